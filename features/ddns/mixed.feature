@ddns @ddns-d2 @kea-ncr @mixed-pair @rfc4703
Feature: A DHCP server paired with the other implementation's DHCP-DDNS daemon
  The DHCP server and the DHCP-DDNS daemon talk only through Kea's NameChangeRequest protocol (length-prefixed
  JSON over UDP), so either implementation's server works with either daemon: under --sut kea this runs
  kea-dhcp4/6 with lessor ddns, under --sut lessor it runs lessor's server with kea-dhcp-ddns.

  @v4 @release
  Scenario: RFC 4703 6.3 and 6.5 - the other implementation's daemon adds and removes a DHCPv4 client's records
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DHCP-DDNS daemon is the other implementation's
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:45:00:01
    And the client gets an address with hostname mixed
    Then the DNS has an A record for mixed.example.com. with address $yiaddr
    And the DNS has a DHCID record for mixed.example.com. computed from hw-address 02:00:5e:45:00:01
    And the DNS has a PTR record for $yiaddr pointing to mixed.example.com.
    When the client sets ciaddr to $yiaddr
    And the client copies option server-id from the response
    And the client sends a RELEASE message by unicast
    Then the server does not respond
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for mixed.example.com.
    And the DNS has no PTR record for $yiaddr

  @v6 @rfc4704
  Scenario: RFC 4703 6.3 - the other implementation's daemon adds a DHCPv6 client's records
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DHCP-DDNS daemon is the other implementation's
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:45:00:02
    And the client gets an address with fqdn flags S and name mixed6.example.com.
    Then the DNS has an AAAA record for mixed6.example.com. with address $address
    And the DNS has a DHCID record for mixed6.example.com. computed from DUID 00:03:00:01:02:00:5e:45:00:02
    And the DNS has a PTR record for $address pointing to mixed6.example.com.
    And the DHCP-DDNS daemon has processed 1 request

@ddns @rfc4703 @ddns-removal
Feature: DNS records removed when the lease ends
  When a lease ends (released, expired and reclaimed, or declined) the server has the records it added
  removed (RFC 4703 6.5): the A or AAAA record, then, once no address is left at the name, the DHCID, and the
  PTR record at the address's reverse name.

  @v4 @rfc2131 @release
  Scenario: RFC 4703 6.5 - a DHCPv4 RELEASE removes the A, DHCID and PTR records
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:42:00:01
    And the client gets an address with hostname leaving
    Then the DNS has an A record for leaving.example.com. with address $yiaddr
    And the DNS has a PTR record for $yiaddr pointing to leaving.example.com.
    When the client sets ciaddr to $yiaddr
    And the client copies option server-id from the response
    And the client sends a RELEASE message by unicast
    Then the server does not respond
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no A record for leaving.example.com.
    And the DNS has no DHCID record for leaving.example.com.
    And the DNS has no PTR record for $yiaddr

  @v4
  Scenario: RFC 4703 6.5 - an expired DHCPv4 lease, once reclaimed, has its records removed
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter valid-lifetime is 2
    And the server reclaims expired leases every 1 seconds
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:42:00:02
    And the client gets an address with hostname expiring
    Then the DNS has an A record for expiring.example.com. with address $yiaddr
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for expiring.example.com.
    And the DNS has no PTR record for $yiaddr

  @v4 @rfc2131 @decline
  Scenario: RFC 4703 6.5 - a DHCPv4 DECLINE removes the records added for the declined address
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:42:00:03
    And the client gets an address with hostname declining
    Then the DNS has an A record for declining.example.com. with address $yiaddr
    And the DNS has a PTR record for $yiaddr pointing to declining.example.com.
    When the client requests the offered address
    And the client copies option server-id from the response
    And the client sends a DECLINE message
    Then the server does not respond
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for declining.example.com.
    And the DNS has no PTR record for $yiaddr

  @v6 @rfc4704 @rfc8415 @release
  Scenario: RFC 4703 6.5 - a DHCPv6 RELEASE removes the AAAA, DHCID and PTR records
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:42:00:04
    And the client gets an address with fqdn flags S and name leaving6.example.com.
    Then the DNS has an AAAA record for leaving6.example.com. with address $address
    And the DNS has a PTR record for $address pointing to leaving6.example.com.
    When the client saves the leased value $address
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a RELEASE message
    Then the server responds with REPLY
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for leaving6.example.com.
    And the DNS has no PTR record for $saved.leased

  @v6 @rfc4704
  Scenario: RFC 4703 6.5 - an expired DHCPv6 lease, once reclaimed, has its records removed
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter preferred-lifetime is 1
    And the server parameter valid-lifetime is 2
    And the server reclaims expired leases every 1 seconds
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:42:00:05
    And the client gets an address with fqdn flags S and name expiring6.example.com.
    Then the DNS has an AAAA record for expiring6.example.com. with address $address
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for expiring6.example.com.
    And the DNS has no PTR record for $address

  @v6 @rfc4704 @rfc8415 @decline
  Scenario: RFC 4703 6.5 - a DHCPv6 DECLINE removes the records added for the declined address
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:42:00:06
    And the client gets an address with fqdn flags S and name declining6.example.com.
    Then the DNS has an AAAA record for declining6.example.com. with address $address
    When the client saves the declined value $address
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a DECLINE message
    Then the server responds with REPLY
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no records for declining6.example.com.
    And the DNS has no PTR record for $saved.declined

@ddns @rfc4703 @conflict-resolution
Feature: DNS name conflicts between clients
  RFC 4703 6.3 lets the updater add a name only when no one uses it, or when the DHCID stored beside it
  matches the client's; a different client asking for a name in use must not displace the owner's records.
  The client that owns the name may update them. With conflict resolution off (Kea's
  ddns-use-conflict-resolution false) the updates carry no prerequisites, so the last client takes the name.

  @v4
  Scenario: RFC 4703 6.3.3 - a second DHCPv4 client asking for a name in use does not displace the first
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:41:00:01
    And the client gets an address with hostname shared
    And the client saves the first value $yiaddr
    Then the DNS has an A record for shared.example.com. with address $saved.first
    When the client uses chaddr 02:00:5e:41:00:02
    And the client gets an address with hostname shared
    And the client saves the second value $yiaddr
    Then the DHCP-DDNS daemon has processed 2 requests
    And the DNS has an A record for shared.example.com. with address $saved.first
    And the DNS has no A record for shared.example.com. with address $saved.second
    And the DNS has a DHCID record for shared.example.com. computed from hw-address 02:00:5e:41:00:01
    And the DNS has a PTR record for $saved.first pointing to shared.example.com.
    And the DNS has no PTR record for $saved.second

  @v4
  Scenario: RFC 4703 6.3.3 - the client that owns the name keeps it when it asks again
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter ddns-update-on-renew is true
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:41:00:03
    And the client gets an address with hostname owner
    Then the DNS has an A record for owner.example.com. with address $yiaddr
    When the client gets an address with hostname owner
    Then the DHCP-DDNS daemon has processed at least 2 requests
    And the DNS has an A record for owner.example.com. with address $yiaddr
    And the DNS has a DHCID record for owner.example.com. computed from hw-address 02:00:5e:41:00:03
    And the DNS has a PTR record for $yiaddr pointing to owner.example.com.

  @v4
  Scenario: RFC 4703 6.3 - without conflict resolution the second client takes the name
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter ddns-use-conflict-resolution is false
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:41:00:04
    And the client gets an address with hostname taken
    And the client saves the first value $yiaddr
    Then the DNS has an A record for taken.example.com. with address $saved.first
    When the client uses chaddr 02:00:5e:41:00:05
    And the client gets an address with hostname taken
    And the client saves the second value $yiaddr
    Then the DNS has an A record for taken.example.com. with address $saved.second
    And the DHCP-DDNS daemon has processed 2 requests
    And the DNS has no A record for taken.example.com. with address $saved.first
    And the DNS has a DHCID record for taken.example.com. computed from hw-address 02:00:5e:41:00:05

  @v6 @rfc4704
  Scenario: RFC 4703 6.3.3 - a second DHCPv6 client asking for a name in use does not displace the first
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:41:00:06
    And the client gets an address with fqdn flags S and name shared6.example.com.
    And the client saves the first value $address
    Then the DNS has an AAAA record for shared6.example.com. with address $saved.first
    When the client uses DUID 00:03:00:01:02:00:5e:41:00:07
    And the client gets an address with fqdn flags S and name shared6.example.com.
    And the client saves the second value $address
    Then the DHCP-DDNS daemon has processed 2 requests
    And the DNS has an AAAA record for shared6.example.com. with address $saved.first
    And the DNS has no AAAA record for shared6.example.com. with address $saved.second
    And the DNS has a DHCID record for shared6.example.com. computed from DUID 00:03:00:01:02:00:5e:41:00:06
    And the DNS has no PTR record for $saved.second

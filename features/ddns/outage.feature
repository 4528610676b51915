@ddns @ddns-d2 @rfc4703 @ddns-outage
Feature: DHCP service while DNS updates cannot be made
  DNS updates are a side effect of leasing: when the DHCP-DDNS daemon or the DNS server is down, clients
  still get their leases (RFC 4703 6: the updates are the DHCP server's business, not a condition of the
  lease), the daemon that could not reach DNS logs it, and names are added again once the part is back.
  NameChangeRequests travel over UDP, so a DHCP server cannot tell that nobody received one: Kea logs it
  as sent, and the name of a client leased during the outage stays out of DNS.

  @v4
  Scenario: RFC 4703 6 - with the DHCP-DDNS daemon down the DHCPv4 server still leases; names return with it
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server is started
    And the server is started
    When the client uses chaddr 02:00:5e:44:00:01
    And the client gets an address with hostname nod2
    Then the server responds with ACK
    And the lease file contains address $yiaddr
    And the server is still running
    And the DNS has no records for nod2.example.com.
    When the DHCP-DDNS daemon is started
    And the client uses chaddr 02:00:5e:44:00:02
    And the client gets an address with hostname backd2
    Then the DNS has an A record for backd2.example.com. with address $yiaddr
    And the DHCP-DDNS daemon has processed 1 request
    And the DNS has no records for nod2.example.com.

  @v4
  Scenario: RFC 4703 6 - with the DNS server silent the DHCPv4 server still leases and the daemon logs the timeout
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the DNS server stops answering
    And the client uses chaddr 02:00:5e:44:00:03
    And the client gets an address with hostname nodns
    Then the server responds with ACK
    And the lease file contains address $yiaddr
    And the DHCP-DDNS daemon has processed 1 request
    And the DHCP-DDNS daemon statistic update-timeout is at least 1
    And the DHCP-DDNS daemon statistic update-success is 0
    And the DHCP-DDNS daemon log contains TIMEOUT
    When the DNS server answers again
    And the client uses chaddr 02:00:5e:44:00:04
    And the client gets an address with hostname backdns
    Then the DNS has an A record for backdns.example.com. with address $yiaddr

  @v6 @rfc4704
  Scenario: RFC 4703 6 - with the DHCP-DDNS daemon down the DHCPv6 server still leases
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server is started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:44:00:05
    And the client gets an address with fqdn flags S and name nod2v6.example.com.
    Then the server responds with REPLY
    And the response IA_NA contains address $address
    And the lease file contains address $address
    And the server is still running
    And the DNS has no records for nod2v6.example.com.

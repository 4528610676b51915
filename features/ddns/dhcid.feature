@ddns @rfc4701 @rfc4703 @dhcid
Feature: DHCID records
  Next to each name it adds, the DHCP-DDNS daemon stores a DHCID record (RFC 4703 5.1) that identifies the
  client that owns the name: a 2-byte identifier type, a digest type (1, SHA-256) and SHA-256 over the
  identifier followed by the FQDN in wire form (RFC 4701 3.3 to 3.5). The identifier is the DHCPv4
  client-id (type 1), or htype and chaddr when there is no client-id (type 0), or the DUID (type 2): the
  DHCPv6 DUID, and the DUID inside a DHCPv4 client-id of type 255 (RFC 4361 6.1). The checks compute the
  expected value themselves.

  @v4
  Scenario: RFC 4701 3.3 - a DHCPv4 client without client-id: identifier type 0, htype and chaddr
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:40:00:01
    And the client gets an address with hostname dhcid-hw
    Then the DNS has an A record for dhcid-hw.example.com. with address $yiaddr
    And the DNS has a DHCID record for dhcid-hw.example.com. computed from hw-address 02:00:5e:40:00:01
    And the DNS has a PTR record for $yiaddr pointing to dhcid-hw.example.com.

  @v4
  Scenario: RFC 4701 3.3 - a DHCPv4 client with a client-id: identifier type 1, the client-id's data
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:40:00:02
    And the client uses client-id 01:02:00:5e:40:00:02
    And the client gets an address with hostname dhcid-cid
    Then the DNS has a DHCID record for dhcid-cid.example.com. computed from client-id 01:02:00:5e:40:00:02
    And the DNS has an A record for dhcid-cid.example.com. with address $yiaddr

  @v4
  Scenario: RFC 4701 3.3 and RFC 4361 6.1 - a DHCPv4 client-id of type 255 carries a DUID: identifier type 2
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:40:00:03
    And the client uses client-id ff:00:00:00:01:00:03:00:01:02:00:5e:40:00:03
    And the client gets an address with hostname dhcid-duid4
    Then the DNS has a DHCID record for dhcid-duid4.example.com. computed from client-id ff:00:00:00:01:00:03:00:01:02:00:5e:40:00:03
    And the DNS has a DHCID record for dhcid-duid4.example.com. computed from DUID 00:03:00:01:02:00:5e:40:00:03

  @v6 @rfc4704
  Scenario: RFC 4701 3.3 - a DHCPv6 client: identifier type 2, the DUID
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:40:00:06
    And the client gets an address with fqdn flags S and name dhcid-v6.example.com.
    Then the DNS has an AAAA record for dhcid-v6.example.com. with address $address
    And the DNS has a DHCID record for dhcid-v6.example.com. computed from DUID 00:03:00:01:02:00:5e:40:00:06
    And the DNS has a PTR record for $address pointing to dhcid-v6.example.com.

@ddns @rfc2136 @rfc8945 @tsig
Feature: TSIG-signed DNS updates
  The DNS server accepts an update of a zone only when it is signed with the zone's TSIG key (RFC 8945);
  the DHCP-DDNS daemon signs with the key configured for the zone, with any of the HMAC algorithms of
  RFC 8945 6 (and HMAC-MD5, still common). An update with a bad signature, or none, is refused (RFC 8945
  5.2: BADSIG, and the zone's policy for unsigned updates), so nothing is added, and the daemon says why.

  @v4
  Scenario Outline: RFC 8945 6 - updates signed with <algorithm> are accepted
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones with TSIG key forge-tsig using <algorithm>
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:43:00:01
    And the client gets an address with hostname signed
    Then the DNS has an A record for signed.example.com. with address $yiaddr
    And the DNS has a PTR record for $yiaddr pointing to signed.example.com.
    And the DNS server log contains signer "forge-tsig" approved

    Examples:
      | algorithm   |
      | HMAC-MD5    |
      | HMAC-SHA1   |
      | HMAC-SHA224 |
      | HMAC-SHA256 |
      | HMAC-SHA384 |
      | HMAC-SHA512 |

  @v6 @rfc4704
  Scenario: RFC 8945 6 - DHCPv6 updates signed with HMAC-SHA512 are accepted
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones with TSIG key forge-tsig using HMAC-SHA512
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses DUID 00:03:00:01:02:00:5e:43:00:02
    And the client gets an address with fqdn flags S and name signed6.example.com.
    Then the DNS has an AAAA record for signed6.example.com. with address $address
    And the DNS has a PTR record for $address pointing to signed6.example.com.

  @v4 @ddns-d2
  Scenario: RFC 8945 5.2.2 - an update signed with a wrong secret is refused and nothing is added
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DHCP-DDNS daemon has a wrong secret for key forge-key
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:43:00:03
    And the client gets an address with hostname forged
    Then the DHCP-DDNS daemon has processed 1 request
    And the DNS has no records for forged.example.com.
    And the DNS has no PTR record for $yiaddr
    And the DNS server log contains tsig verify failure (BADSIG)
    And the DHCP-DDNS daemon log contains BADSIG

  @v4
  Scenario: RFC 2136 3.3 - an unsigned update of a zone that requires a key is refused
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And DNS updates go to the lab DNS server for zone example.com. and the reverse zones
    And the DHCP-DDNS daemon updates zone example.com. and the reverse zones without a key
    And the DNS server and the DHCP-DDNS daemon are started
    And the server is started
    When the client uses chaddr 02:00:5e:43:00:04
    And the client gets an address with hostname unsigned
    Then the DHCP-DDNS daemon has processed 1 request
    And the DNS has no records for unsigned.example.com.
    And the DNS has no PTR record for $yiaddr
    And the DNS server log contains update 'example.com/IN' denied
    And the DHCP-DDNS daemon log contains REFUSED

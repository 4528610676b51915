@dhcp6 @v6 @rfc8415 @information-request
Feature: DHCPv6 Information-request
  A client that needs configuration but no addresses sends an Information-request (RFC 8415 18.2.6) and
  the server answers with a Reply holding the requested configuration options (RFC 8415 18.3.6). Servers
  discard an Information-request that names another server or includes an IA option (RFC 8415 16.12).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server sets option dns-servers to 2001:db8::53
    And the server sets option domain-search to example.com
    And the server is started

  Scenario: RFC 8415 18.3.6 - INFORMATION-REQUEST gets the requested options and no addresses
    When the client requests option dns-servers
    And the client requests option domain-search
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response option dns-servers is 2001:db8::53
    And the response option domain-search is example.com
    And the response does not include option IA_NA
    And the lease file does not contain address 2001:db8:1::10

  Scenario: RFC 8415 16.12, 16.10 - INFORMATION-REQUEST without a Client Identifier still gets a Reply
    When the client requests option dns-servers
    And the client omits option client-id
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    And the response option dns-servers is 2001:db8::53
    And the response does not include option client-id

  Scenario: RFC 8415 16.12 - INFORMATION-REQUEST naming this server gets a Reply
    When the client requests option dns-servers
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    When the client copies option server-id from the response
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    And the response option dns-servers is 2001:db8::53

  Scenario: RFC 8415 16.12 - INFORMATION-REQUEST naming another server is discarded
    When the client requests option dns-servers
    And the client adds option server-id with value 00:03:00:01:02:00:5e:00:53:99
    And the client sends an INFORMATION-REQUEST message
    Then the server does not respond

  @kea-inforequest-with-ia
  Scenario: RFC 8415 16.12 - INFORMATION-REQUEST with an IA_NA option is discarded
    When the client requests option dns-servers
    And the client adds IA_NA
    And the client sends an INFORMATION-REQUEST message
    Then the server does not respond

  @pd @kea-inforequest-with-ia
  Scenario: RFC 8415 16.12 - INFORMATION-REQUEST with an IA_PD option is discarded
    When the client requests option dns-servers
    And the client adds IA_PD
    And the client sends an INFORMATION-REQUEST message
    Then the server does not respond

  Scenario: RFC 8415 21.23 - the configured information refresh time is returned when requested
    When the server configuration is cleared
    And the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server sets option information-refresh-time to 7200
    And the server is reconfigured
    And the client requests option information-refresh-time
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    And the response option information-refresh-time is 7200

  @relay
  Scenario: RFC 8415 18.3.6 - a relayed INFORMATION-REQUEST gets the options of the relay's link
    When the server configuration is cleared
    And the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet sets option dns-servers to 2001:db8:1::53
    And the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the subnet sets option dns-servers to 2001:db8:2::53
    And the server is reconfigured
    And the client is behind a relay with link-address 2001:db8:2::1
    And the client requests option dns-servers
    And the client sends an INFORMATION-REQUEST message
    Then the server responds with REPLY
    And the response is relayed through 1 relays
    And the response option dns-servers is 2001:db8:2::53

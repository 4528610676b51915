@dhcp6 @v6 @rfc8415 @relay @relay-agent
Feature: DHCPv6 relayed messages
  A server answers a RELAY-FORW with a RELAY-REPL to the same relay, copies the relay's Interface-Id
  into it (RFC 8415 18.4, 19.3, 21.18), and chooses the client's link from the link-address of the
  relay closest to the client or from the Interface-Id (RFC 8415 13.1). One RELAY-REPL level answers
  each RELAY-FORW level (RFC 8415 19.3).

  Scenario: RFC 8415 18.4 - a relayed SOLICIT is answered in a RELAY-REPL that echoes the interface-id
    Given the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1 and interface-id port-7
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response is relayed through 1 relays
    And the relay reply carries interface-id port-7
    And the response includes option client-id
    And the response includes option server-id

  Scenario: RFC 8415 13.1 - the relay's link-address selects the subnet, not the server's own link
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response is relayed through 1 relays
    And the response IA_NA contains an address in 2001:db8:2::10-2001:db8:2::20

  Scenario: RFC 8415 13.1 - the relay's interface-id selects the subnet configured for it
    Given the server is configured with subnet 2001:db8:3::/64 and pool 2001:db8:3::10-2001:db8:3::20
    And the subnet is selected by interface-id port-7
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1 and interface-id port-7
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the relay reply carries interface-id port-7
    And the response IA_NA contains an address in 2001:db8:3::10-2001:db8:3::20

  Scenario: RFC 8415 13.1 - a relay with another interface-id does not get the interface-id subnet
    Given the server is configured with subnet 2001:db8:3::/64 and pool 2001:db8:3::10-2001:db8:3::20
    And the subnet is selected by interface-id port-7
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1 and interface-id port-9
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA contains no address
    And the response IA_NA status code is NoAddrsAvail

  Scenario: RFC 8415 19.3 - a SOLICIT through two relays is answered through two RELAY-REPL levels
    Given the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1 and interface-id port-7
    And the client is behind a relay with link-address 2001:db8:1::2
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response is relayed through 2 relays
    And the relay reply carries interface-id port-7
    And the response IA_NA contains an address in 2001:db8:2::10-2001:db8:2::20

  Scenario: RFC 8415 18.4 - a relayed client completes a SARR exchange
    Given the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the server is started
    When the client is behind a relay with link-address 2001:db8:2::1
    And the client completes a SARR exchange
    Then the server responds with REPLY
    And the response is relayed through 1 relays
    And the response IA_NA contains an address in 2001:db8:2::10-2001:db8:2::20
    And the lease file contains address $address

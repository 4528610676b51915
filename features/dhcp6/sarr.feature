@dhcp6 @v6 @rfc8415 @sarr
Feature: DHCPv6 Solicit-Advertise-Request-Reply
  A client obtains an address with the four-message exchange (RFC 8415 18.2.1, 18.3.1, 18.3.2).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter preferred-lifetime is 3000
    And the server parameter valid-lifetime is 4000
    And the server is started

  Scenario: SOLICIT is answered with an ADVERTISE carrying an address from the pool
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response includes option server-id
    And the response includes option client-id
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20
    And the response address preferred lifetime is 3000
    And the response address valid lifetime is 4000

  Scenario: REQUEST with the advertised IA_NA gets a REPLY with the lease
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a REQUEST message
    Then the server responds with REPLY
    And the response IA_NA contains address $address
    And the lease file contains address $address

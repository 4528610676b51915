@dhcp6 @v6 @rfc8415 @validation
Feature: DHCPv6 message validation
  Servers discard client messages that lack mandatory identifiers or that carry forbidden ones
  (RFC 8415 16.2, 16.4, 16.6), and say NoAddrsAvail in the IA when they have nothing to assign
  (RFC 8415 18.3.9).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::10
    And the server is started

  Scenario: RFC 8415 16.2 - a SOLICIT without a client-id is discarded
    When the client omits option client-id
    And the client sends a SOLICIT message
    Then the server does not respond

  Scenario: RFC 8415 16.2 - a SOLICIT that carries a server-id is discarded
    When the client adds option server-id with value 00:01:00:01:2a:2b:2c:2d:02:00:5e:00:53:fe
    And the client sends a SOLICIT message
    Then the server does not respond

  Scenario: RFC 8415 16.4 - a REQUEST naming another server's DUID is discarded
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client copies option IA_NA from the response
    And the client adds option server-id with value 00:01:00:01:2a:2b:2c:2d:02:00:5e:00:53:fe
    And the client sends a REQUEST message
    Then the server does not respond

  Scenario: RFC 8415 16.4 - a REQUEST without a server-id is discarded
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client copies option IA_NA from the response
    And the client sends a REQUEST message
    Then the server does not respond

  Scenario: RFC 8415 16.4 - a REQUEST without a client-id is discarded
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client omits option client-id
    And the client sends a REQUEST message
    Then the server does not respond

  Scenario: RFC 8415 18.3.9 - when the pool is exhausted a second client gets NoAddrsAvail in its IA_NA
    When the client completes a SARR exchange
    Then the lease file contains address 2001:db8:1::10
    When the client uses DUID 00:03:00:01:02:00:5e:00:53:b2
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA contains no address
    And the response IA_NA status code is NoAddrsAvail

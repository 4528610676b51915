@dhcp6 @v6 @rfc8415 @rapid-commit @two-message
Feature: DHCPv6 rapid commit (two-message exchange)
  A client that includes Rapid Commit in its SOLICIT may get its lease in a single REPLY when the server
  is willing to commit (RFC 8415 18.3.1, 21.14). Otherwise the normal ADVERTISE is sent.

  Scenario: RFC 8415 18.3.1 - a rapid-commit SOLICIT to a rapid-commit server is answered by a REPLY with the lease
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter rapid-commit is true
    And the server is started
    When the client requests rapid commit
    And the client sends a SOLICIT message
    Then the server responds with REPLY
    And the response includes option rapid-commit
    And the response includes option server-id
    And the response includes option client-id
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20
    And the lease file contains address $address

  Scenario: RFC 8415 18.3.1 - a SOLICIT without Rapid Commit gets an ADVERTISE even from a rapid-commit server
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter rapid-commit is true
    And the server is started
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response does not include option rapid-commit
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20
    And the lease file does not contain address $address

  Scenario: RFC 8415 18.3.1 - a server with rapid commit off answers a rapid-commit SOLICIT with an ADVERTISE
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter rapid-commit is false
    And the server is started
    When the client requests rapid commit
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response does not include option rapid-commit
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20
    And the lease file does not contain address $address

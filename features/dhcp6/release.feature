@dhcp6 @v6 @rfc8415 @release
Feature: DHCPv6 RELEASE
  A client gives its addresses back; the server deletes the bindings and confirms with a REPLY
  (RFC 8415 18.3.7).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server is started

  Scenario: RFC 8415 18.3.7 - RELEASE of a leased address gets a REPLY with status Success and frees the lease
    When the client completes a SARR exchange
    And the client saves the leased value $address
    Then the lease file contains address $saved.leased
    When the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a RELEASE message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response includes option status-code
    And the response status code is Success
    And the lease file does not contain address $saved.leased

  Scenario: RFC 8415 18.3.7 - RELEASE of an address the client does not hold gets NoBinding in the IA
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client copies option server-id from the response
    And the client adds IA_NA with address 2001:db8:1::1f
    And the client sends a RELEASE message
    Then the server responds with REPLY
    And the response IA_NA status code is NoBinding

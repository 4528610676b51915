@dhcp6 @v6 @rfc8415 @renew
Feature: DHCPv6 RENEW
  A client extends the lifetimes of its addresses with the server that assigned them (RFC 8415 18.3.4).
  A RENEW that does not name the server is discarded (RFC 8415 16.6).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter preferred-lifetime is 3000
    And the server parameter valid-lifetime is 4000
    And the server parameter renew-timer is 1000
    And the server parameter rebind-timer is 2000
    And the server is started

  Scenario: RFC 8415 18.3.4 - RENEW with server-id and IA_NA gets a REPLY extending the same address
    When the client completes a SARR exchange
    And the client saves the leased value $address
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a RENEW message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response IA_NA contains address $saved.leased
    And the response IA_NA T1 is 1000
    And the response IA_NA T2 is 2000
    And the response address preferred lifetime is 3000
    And the response address valid lifetime is 4000
    And the lease file contains address $saved.leased

  Scenario: RFC 8415 16.6 - RENEW without a server-id is discarded
    When the client completes a SARR exchange
    And the client copies option IA_NA from the response
    And the client sends a RENEW message
    Then the server does not respond

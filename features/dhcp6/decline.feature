@dhcp6 @v6 @rfc8415 @decline
Feature: DHCPv6 DECLINE
  A client that finds its address in use on the link declines it; the server marks the address as not
  usable and confirms with a REPLY (RFC 8415 18.3.8).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::10
    And the server is started

  Scenario: RFC 8415 18.3.8 - DECLINE of a leased address gets a REPLY with status Success and the lease is declined
    When the client completes a SARR exchange
    And the client saves the leased value $address
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a DECLINE message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response status code is Success
    And the lease for $saved.leased has state 1

  @kea-decline-reply-without-status
  Scenario: RFC 8415 18.3.8 - the REPLY to a DECLINE carries a message-level Status Code option
    When the client completes a SARR exchange
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a DECLINE message
    Then the server responds with REPLY
    And the response includes option status-code
    And the response status code is Success

  Scenario: RFC 8415 18.3.8 - a declined address is not offered again, even to the client that declined it
    When the client completes a SARR exchange
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a DECLINE message
    Then the server responds with REPLY
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA contains no address
    And the response IA_NA status code is NoAddrsAvail

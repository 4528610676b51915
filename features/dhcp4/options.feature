@dhcp4 @v4 @rfc2131 @rfc2132 @options
Feature: DHCPv4 requested options
  A client names the parameters it wants in the Parameter Request List (RFC 2132 9.8). The server MUST
  supply as many of the requested parameters as it can and MUST omit those it cannot provide
  (RFC 2131 4.3.1). The routers (RFC 2132 3.5) and domain-name-servers (RFC 2132 3.8) options carry
  lists of IPv4 addresses.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the subnet sets option routers to 192.0.2.1
    And the server sets option domain-name-servers to 192.0.2.53, 192.0.2.54

  Scenario: RFC 2131 4.3.1 - requested routers and name servers are in the OFFER
    Given the server is started
    And the client requests option routers
    And the client requests option domain-name-servers
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option routers is 192.0.2.1
    And the response option domain-name-servers is 192.0.2.53,192.0.2.54

  Scenario: RFC 2131 4.3.1 - requested routers and name servers are in the ACK
    Given the server is started
    And the client requests option routers
    And the client requests option domain-name-servers
    When the client completes a DORA exchange
    Then the response option routers is 192.0.2.1
    And the response option domain-name-servers contains 192.0.2.54

  Scenario: RFC 2131 4.3.1 - a requested option the server has no value for is omitted
    Given the server is started
    And the client requests option ntp-servers
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response does not include option ntp-servers

  Scenario: RFC 2131 4.3.1 - a configured option that is not requested is not sent
    Given the server sets option ntp-servers to 192.0.2.123
    And the server is started
    And the client requests option routers
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response does not include option ntp-servers
    And the response option routers is 192.0.2.1

  Scenario: RFC 2131 4.3.1 - the same configured option is sent once it is requested
    Given the server sets option ntp-servers to 192.0.2.123
    And the server is started
    And the client requests option ntp-servers
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option ntp-servers is 192.0.2.123

  Scenario: RFC 2131 4.3.1 - Kea also sends routers and domain-name-servers to a client that requests nothing
    Kea puts a few basic options in every answer; RFC 2131 4.3.1 does not forbid unrequested options.
    Given the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option routers is 192.0.2.1
    And the response option domain-name-servers is 192.0.2.53,192.0.2.54

@dhcp4 @v4 @rfc2131 @inform
Feature: DHCPv4 INFORM
  A client with an externally configured address asks for local parameters with a DHCPINFORM carrying
  its address in ciaddr (RFC 2131 3.4, 4.4.3). The server answers with a DHCPACK unicast to ciaddr that
  holds the requested parameters but no lease time and no yiaddr, and it neither checks nor creates a
  lease (RFC 2131 4.3.5, table 3).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the subnet sets option routers to 192.0.2.1
    And the server sets option domain-name-servers to 192.0.2.53
    And the server sets option ntp-servers to 192.0.2.123
    And the server is started

  Scenario: RFC 2131 4.3.5 - unicast INFORM is answered by an ACK with parameters but no lease
    Given the client requests option routers
    And the client requests option domain-name-servers
    And the client requests option ntp-servers
    When the client sets ciaddr to 192.0.2.50
    And the client sends an INFORM message by unicast
    Then the server responds with ACK
    And the response yiaddr is 0.0.0.0
    And the response ciaddr is 192.0.2.50
    And the response does not include option lease-time
    And the response does not include option renewal-time
    And the response option server-id is 192.0.2.1
    And the response option routers is 192.0.2.1
    And the response option domain-name-servers is 192.0.2.53
    And the response option ntp-servers is 192.0.2.123
    And the response is sent to 192.0.2.50 port 68
    And the lease file does not contain address 192.0.2.50

  Scenario: RFC 2131 4.3.5 - broadcast INFORM is answered to ciaddr
    Given the client requests option ntp-servers
    When the client sets ciaddr to 192.0.2.51
    And the client sends an INFORM message
    Then the server responds with ACK
    And the response yiaddr is 0.0.0.0
    And the response does not include option lease-time
    And the response option ntp-servers is 192.0.2.123
    And the response is sent to 192.0.2.51 port 68

  Scenario: RFC 2131 4.3.1 - INFORM returns only what was requested among optional parameters
    Given the client requests option routers
    When the client sets ciaddr to 192.0.2.52
    And the client sends an INFORM message by unicast
    Then the server responds with ACK
    And the response option routers is 192.0.2.1
    And the response does not include option ntp-servers

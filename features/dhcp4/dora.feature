@dhcp4 @v4 @rfc2131 @dora
Feature: DHCPv4 DORA exchange
  A client without an address discovers the server and obtains a lease (RFC 2131 3.1).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter valid-lifetime is 4000
    And the server is started

  Scenario: DISCOVER is answered with an OFFER from the pool
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is in 192.0.2.10-192.0.2.20
    And the response option server-id is 192.0.2.1
    And the response option lease-time is 4000
    And the response option subnet-mask is 255.255.255.0

  Scenario: REQUEST for the offered address is ACKed and leased
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    When the client copies option server-id from the response
    And the client requests the offered address
    And the client sends a REQUEST message
    Then the server responds with ACK
    And the response yiaddr is $yiaddr
    And the response option server-id is 192.0.2.1
    And the response option lease-time is 4000
    And the lease file contains address $yiaddr

  Scenario: RFC 2131 4.3.1 - the OFFER is addressed to the client's chaddr
    Given the client uses chaddr 02:00:5e:10:00:01
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response chaddr is 02:00:5e:10:00:01
    And the response ciaddr is 0.0.0.0
    And the response giaddr is 0.0.0.0

  Scenario: RFC 2131 4.3.1 - a free address the client asks for in DISCOVER is offered
    When the client adds option requested-address with value 192.0.2.17
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is 192.0.2.17

  Scenario: RFC 2131 4.1 - with the broadcast bit set the OFFER is broadcast
    When the client sets the broadcast bit
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response is sent to 255.255.255.255 port 68

  Scenario: RFC 2131 4.1 - without the broadcast bit the OFFER is unicast to yiaddr
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response is sent to $yiaddr port 68

  Scenario: RFC 2131 4.3.1 and RFC 2132 9.11, 9.12 - configured timers are sent as T1 and T2
    Given the server parameter renew-timer is 1000
    And the server parameter rebind-timer is 2000
    And the server is reconfigured
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option renewal-time is 1000
    And the response option rebinding-time is 2000
    When the client completes a DORA exchange
    Then the response option lease-time is 4000
    And the response option renewal-time is 1000
    And the response option rebinding-time is 2000
    And the response option subnet-mask is 255.255.255.0

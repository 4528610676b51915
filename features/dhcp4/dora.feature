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

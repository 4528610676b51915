@dhcp4 @v4 @rfc2131 @renew
Feature: DHCPv4 lease renewal and rebinding
  At T1 a client in RENEWING state unicasts a REQUEST to its server with ciaddr set and neither a server
  identifier nor a requested address; at T2, in REBINDING state, it broadcasts the same REQUEST
  (RFC 2131 4.3.2, 4.4.5). The server extends the lease with a DHCPACK sent to ciaddr (RFC 2131 4.1).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter valid-lifetime is 4000
    And the server is started

  Scenario: RFC 2131 4.3.2 - RENEWING REQUEST unicast with ciaddr is ACKed with the same address
    When the client completes a DORA exchange
    And the client sets ciaddr to $yiaddr
    And the client sends a REQUEST message by unicast
    Then the server responds with ACK
    And the response yiaddr is $yiaddr
    And the response ciaddr is $yiaddr
    And the response option lease-time is 4000
    And the response option server-id is 192.0.2.1
    And the response is sent to $yiaddr port 68
    And the lease file contains address $yiaddr

  Scenario: RFC 2131 4.3.2 - RENEWING hands out the lease time configured now
    When the client completes a DORA exchange
    And the server parameter valid-lifetime is 5000
    And the server is reconfigured
    And the client sets ciaddr to $yiaddr
    And the client sends a REQUEST message by unicast
    Then the server responds with ACK
    And the response yiaddr is $yiaddr
    And the response option lease-time is 5000
    And the lease for $yiaddr has valid_lifetime 5000

  Scenario: RFC 2131 4.3.2 - REBINDING REQUEST broadcast with ciaddr is ACKed with the same address
    When the client completes a DORA exchange
    And the client sets ciaddr to $yiaddr
    And the client sends a REQUEST message
    Then the server responds with ACK
    And the response yiaddr is $yiaddr
    And the response option lease-time is 4000
    And the response is sent to $yiaddr port 68

@dhcp4 @v4 @rfc2131 @reservations @host-reservation
Feature: DHCPv4 host reservations
  A reserved address is given to the client it is reserved for, whichever address the pool would
  offer next, and to no other client (RFC 2131 4.3.1: the server chooses the address from, first,
  a binding configured for the client).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the subnet reserves address 192.0.2.200 for hw-address 02:00:5e:10:00:01
    And the subnet reserves address 192.0.2.201 for client-id 01:02:00:5e:10:00:02
    And the server is started

  Scenario: RFC 2131 4.3.1 - a client reserved by hardware address is offered its reserved address
    When the client uses chaddr 02:00:5e:10:00:01
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is 192.0.2.200

  Scenario: RFC 2131 4.3.1 - a client reserved by client identifier gets its reserved address in the ACK
    When the client uses client-id 01:02:00:5e:10:00:02
    And the client completes a DORA exchange
    Then the response yiaddr is 192.0.2.201
    And the lease for 192.0.2.201 has client_id 01:02:00:5e:10:00:02

  Scenario: RFC 2131 4.3.1 - a client without a reservation is offered an address from the pool
    When the client uses chaddr 02:00:5e:10:00:09
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is in 192.0.2.10-192.0.2.20

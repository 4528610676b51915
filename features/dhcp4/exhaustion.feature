@dhcp4 @v4 @rfc2131 @exhaustion
Feature: DHCPv4 pool exhaustion
  A server offers only addresses that are free (RFC 2131 4.3.1); when none is left it has nothing to
  offer, and Kea then sends nothing. The holder of an existing binding still gets its own address back.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.10
    And the server is started

  Scenario: RFC 2131 4.3.1 - with the only address leased a second client gets no OFFER
    Given the client uses chaddr 02:00:5e:10:00:2a
    When the client completes a DORA exchange
    Then the lease file contains address 192.0.2.10
    When the client uses chaddr 02:00:5e:10:00:2b
    And the client sends a DISCOVER message
    Then the server does not respond

  Scenario: RFC 2131 4.3.1 - with the pool exhausted the lease holder is still offered its address
    Given the client uses chaddr 02:00:5e:10:00:2a
    When the client completes a DORA exchange
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is 192.0.2.10

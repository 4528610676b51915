@dhcp4 @v4 @rfc2131 @release
Feature: DHCPv4 RELEASE
  A client gives up its lease with a DHCPRELEASE unicast to the server, carrying ciaddr and the server
  identifier (RFC 2131 4.4.6, table 5). The server does not answer, marks the address as not allocated
  (RFC 2131 4.3.4) and may hand it to another client. The release is matched to the client by its
  identifier, chaddr here (RFC 2131 4.2).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.10
    And the server is started

  Scenario: RFC 2131 4.3.4 - a released address is freed and offered to another client
    Given the client uses chaddr 02:00:5e:10:00:0a
    When the client completes a DORA exchange
    And the client sets ciaddr to $yiaddr
    And the client copies option server-id from the response
    And the client sends a RELEASE message by unicast
    Then the server does not respond
    And the lease file does not contain address 192.0.2.10
    When the client uses chaddr 02:00:5e:10:00:0b
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is 192.0.2.10

  Scenario: RFC 2131 4.3.4 - while the lease is held the single address is not offered to another client
    Given the client uses chaddr 02:00:5e:10:00:0a
    When the client completes a DORA exchange
    And the client uses chaddr 02:00:5e:10:00:0b
    And the client sends a DISCOVER message
    Then the server does not respond
    And the lease file contains address 192.0.2.10

  Scenario: RFC 2131 4.2 - a RELEASE from a different client does not free the lease
    Given the client uses chaddr 02:00:5e:10:00:0a
    When the client completes a DORA exchange
    And the client uses chaddr 02:00:5e:10:00:0b
    And the client sets ciaddr to 192.0.2.10
    And the client adds option server-id with value 192.0.2.1
    And the client sends a RELEASE message by unicast
    Then the server does not respond
    And the lease file contains address 192.0.2.10
    And the lease for 192.0.2.10 has hwaddr 02:00:5e:10:00:0a

@dhcp4 @v4 @rfc2131 @decline
Feature: DHCPv4 DECLINE
  A client that finds its new address already in use sends a DHCPDECLINE with the address in the
  requested-address option and the server identifier (RFC 2131 4.4.1, table 5). The server does not
  answer, marks the address as not available and should notify the administrator (RFC 2131 4.3.3);
  it does not offer the address again. Kea records the declined lease with state 1.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.11
    And the server is started

  Scenario: RFC 2131 4.3.3 - a declined address is marked unavailable and not offered again
    Given the client uses chaddr 02:00:5e:10:00:1a
    When the client completes a DORA exchange
    And the client saves the declined value $yiaddr
    And the client requests the offered address
    And the client copies option server-id from the response
    And the client sends a DECLINE message
    Then the server does not respond
    And the lease for $saved.declined has state 1
    When the client uses chaddr 02:00:5e:10:00:1b
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is not $saved.declined
    And the response yiaddr is in 192.0.2.10-192.0.2.11

  Scenario: RFC 2131 4.3.3 - once the other address is leased the declined one leaves the pool empty
    Given the client uses chaddr 02:00:5e:10:00:1a
    When the client completes a DORA exchange
    And the client requests the offered address
    And the client copies option server-id from the response
    And the client sends a DECLINE message
    Then the server does not respond
    When the client uses chaddr 02:00:5e:10:00:1b
    And the client completes a DORA exchange
    And the client uses chaddr 02:00:5e:10:00:1c
    And the client sends a DISCOVER message
    Then the server does not respond

  Scenario: RFC 2131 4.2 - a DECLINE from a different client leaves the lease alone
    Given the client uses chaddr 02:00:5e:10:00:1a
    When the client completes a DORA exchange
    And the client uses chaddr 02:00:5e:10:00:1b
    And the client requests the offered address
    And the client copies option server-id from the response
    And the client sends a DECLINE message
    Then the server does not respond
    And the lease for $yiaddr has state 0
    And the lease for $yiaddr has hwaddr 02:00:5e:10:00:1a

@dhcp4 @v4 @rfc2131 @robustness
Feature: DHCPv4 robustness against malformed packets
  A DHCP message has a fixed 236-byte header followed by the magic cookie and options, and every DHCP
  message carries the DHCP Message Type option (RFC 2131 2, 3; RFC 2132 9.6). Packets that break this
  format cannot be interpreted and are dropped; the server must go on serving well-formed requests.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server is started

  Scenario: RFC 2131 2 - a DISCOVER cut inside the fixed header is dropped
    When the client sends a DISCOVER message truncated to 100 bytes
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2131 3 - a DISCOVER cut before the magic cookie is dropped
    When the client sends a DISCOVER message truncated to 236 bytes
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2131 2 - a short run of garbage bytes is dropped
    When the client sends malformed bytes 0123456789abcdeffedcba9876543210deadbeef
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2132 2 - an option whose length runs past the end of the packet does not stop the server
    When the client sends a DISCOVER message ending in raw option bytes 0cf0414243
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2132 9.6 - a message whose message type option runs past the end of the packet is dropped
    When the client omits option message-type
    And the client sends a DISCOVER message ending in raw option bytes 350a01
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2132 9.6 - a DISCOVER cut inside its message type option is dropped
    When the client sends a DISCOVER message truncated to 242 bytes
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2132 9.6 - a message without the DHCP Message Type option is dropped
    When the client omits option message-type
    And the client sends a DISCOVER message
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

  Scenario: RFC 2132 9.6 - a message of an unknown DHCP message type is dropped
    When the client sends a type-99 message
    Then the server does not respond
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the server is still running

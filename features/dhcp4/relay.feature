@dhcp4 @v4 @rfc2131 @rfc3046 @relay @relay-agent-info
Feature: DHCPv4 through a relay agent
  A relay agent puts its address in giaddr; the server picks the subnet from it and sends its answers to
  the relay's server port, 67 (RFC 2131 4.1, 4.3.1). A server that receives the Relay Agent Information
  option echoes it unchanged in its reply (RFC 3046 2.2). A NAK to a relay has the broadcast bit set
  (RFC 2131 4.3.2). A subnet may also be tied to a relay by configuration rather than by giaddr.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server is configured with subnet 198.51.100.0/24 and pool 198.51.100.10-198.51.100.20
    And the subnet is reached only through relays
    And the client is behind relay 198.51.100.1

  Scenario: RFC 2131 4.3.1 - a relayed DISCOVER gets an address from the relay's subnet, sent to the relay
    Given the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is in 198.51.100.10-198.51.100.20
    And the response giaddr is 198.51.100.1
    And the response is sent to 198.51.100.1 port 67
    And the response does not include option relay-agent-information

  Scenario: RFC 3046 2.2 - the relay agent information is echoed in the OFFER
    Given the server is started
    And the relay adds circuit-id 00:01:02:03
    And the relay adds remote-id 0a:0b:0c:0d:0e:0f
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option relay-agent-information contains sub-option 1
    And the response option relay-agent-information sub-option 1 is 00:01:02:03
    And the response option relay-agent-information sub-option 2 is 0a:0b:0c:0d:0e:0f
    And the response is sent to 198.51.100.1 port 67

  Scenario: RFC 3046 2.2 - the relay agent information is echoed in the ACK of a relayed DORA
    Given the server is started
    And the relay adds circuit-id 00:01:02:04
    And the relay adds remote-id 0a:0b:0c:0d:0e:10
    When the client completes a DORA exchange
    Then the response option relay-agent-information sub-option 1 is 00:01:02:04
    And the response option relay-agent-information sub-option 2 is 0a:0b:0c:0d:0e:10
    And the response yiaddr is in 198.51.100.10-198.51.100.20
    And the response is sent to 198.51.100.1 port 67
    And the lease file contains address $yiaddr

  Scenario: RFC 2131 4.1 - a NAK for a relayed client goes to the relay with the agent information
    Given the server parameter authoritative is true
    And the server is started
    And the relay adds circuit-id 00:01:02:05
    When the client adds option requested-address with value 192.0.2.15
    And the client sends a REQUEST message
    Then the server responds with NAK
    And the response yiaddr is 0.0.0.0
    And the response giaddr is 198.51.100.1
    And the response is sent to 198.51.100.1 port 67
    And the response option relay-agent-information sub-option 1 is 00:01:02:05

  @kea-nak-relay-broadcast-bit
  Scenario: RFC 2131 4.3.2 - a NAK for a relayed REQUEST has the broadcast bit set
    Given the server parameter authoritative is true
    And the server is started
    When the client adds option requested-address with value 192.0.2.15
    And the client sends a REQUEST message
    Then the server responds with NAK
    And the response flags is 0x8000

  Scenario: RFC 2131 4.3.1 - a subnet configured for the relay's address serves its clients
    Given the server configuration is cleared
    And the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server is configured with subnet 203.0.113.0/24 and pool 203.0.113.10-203.0.113.20
    And the subnet is reached through relay 198.51.100.1
    And the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is in 203.0.113.10-203.0.113.20
    And the response is sent to 198.51.100.1 port 67

  Scenario: RFC 2131 4.3.1 - a relay from a network the server has no subnet for gets no answer
    Given the server configuration is cleared
    And the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server is started
    When the client sends a DISCOVER message
    Then the server does not respond

@dhcp4 @v4 @rfc2131 @rfc6842 @client-id
Feature: DHCPv4 client identifier
  A server MUST return a client identifier option it received unchanged in its DHCPOFFER, DHCPACK and
  DHCPNAK (RFC 6842 3). When the client sends a client identifier the server uses it, rather than
  chaddr, to identify the client and its binding (RFC 2131 2, 4.2).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the client uses client-id 01:02:00:5e:10:00:3a

  Scenario: RFC 6842 3 - the client identifier is echoed in the OFFER
    Given the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option client-id is 01:02:00:5e:10:00:3a

  Scenario: RFC 6842 3 - the client identifier is echoed in the ACK
    Given the server is started
    When the client completes a DORA exchange
    Then the response option client-id is 01:02:00:5e:10:00:3a
    And the lease for $yiaddr has client_id 01:02:00:5e:10:00:3a

  Scenario: RFC 6842 3 - the client identifier is echoed in the NAK
    Given the server parameter authoritative is true
    And the server is started
    When the client adds option requested-address with value 203.0.113.5
    And the client sends a REQUEST message
    Then the server responds with NAK
    And the response option client-id is 01:02:00:5e:10:00:3a

  @echo-client-id
  Scenario: RFC 6842 3 - with echo-client-id off Kea leaves the client identifier out
    Given the server parameter echo-client-id is false
    And the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response does not include option client-id

  Scenario: RFC 2131 4.2 - the same client identifier with a new chaddr keeps its address
    Given the server is started
    And the client uses chaddr 02:00:5e:10:00:3a
    When the client completes a DORA exchange
    And the client saves the leased value $yiaddr
    And the client uses chaddr 02:00:5e:10:00:3b
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is $saved.leased
    And the response chaddr is 02:00:5e:10:00:3b

  Scenario: RFC 2131 4.2 - a different client identifier with the same chaddr is another client
    Given the server is started
    And the client uses chaddr 02:00:5e:10:00:3c
    When the client completes a DORA exchange
    And the client saves the leased value $yiaddr
    And the client uses client-id 01:02:00:5e:10:00:3d
    And the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response yiaddr is not $saved.leased

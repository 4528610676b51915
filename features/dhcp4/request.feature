@dhcp4 @v4 @rfc2131 @nak
Feature: DHCPv4 REQUEST validation and DHCPNAK
  A REQUEST in SELECTING state names the chosen server in the server identifier; other servers take it as
  a decline of their offer and do not answer (RFC 2131 3.1, 4.3.2). A client in INIT-REBOOT sends no
  server identifier and its address in the requested-address option; the server NAKs an address that is
  wrong for the client's network and stays silent about clients it has no record of (RFC 2131 4.3.2).
  A NAK carries no address and no lease time and, with giaddr zero, is broadcast (RFC 2131 4.1, table 3).

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server parameter valid-lifetime is 4000

  Scenario: RFC 2131 4.3.2 - REQUEST in SELECTING state for another server gets no answer
    Given the server is started
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    When the client requests the offered address
    And the client adds option server-id with value 192.0.2.99
    And the client sends a REQUEST message
    Then the server does not respond
    And the lease file does not contain address $yiaddr

  Scenario: RFC 2131 4.3.2 - INIT-REBOOT with the client's own address is ACKed
    Given the server is started
    When the client completes a DORA exchange
    And the client requests the offered address
    And the client sends a REQUEST message
    Then the server responds with ACK
    And the response yiaddr is $yiaddr
    And the response option lease-time is 4000

  Scenario: RFC 2131 4.3.2 - INIT-REBOOT with an address from a foreign network is NAKed
    Given the server parameter authoritative is true
    And the server is started
    When the client adds option requested-address with value 203.0.113.5
    And the client sends a REQUEST message
    Then the server responds with NAK
    And the response yiaddr is 0.0.0.0
    And the response option server-id is 192.0.2.1
    And the response does not include option lease-time
    And the response is sent to 255.255.255.255 port 68

  Scenario: RFC 2131 4.3.2 - INIT-REBOOT from a client the server has no record of gets no answer
    Given the server is started
    When the client adds option requested-address with value 192.0.2.15
    And the client sends a REQUEST message
    Then the server does not respond
    And the lease file does not contain address 192.0.2.15

  Scenario: RFC 2131 4.3.2 - REQUEST in SELECTING state for an address leased to another client is NAKed
    Given the server is started
    And the client uses chaddr 02:00:5e:10:00:4a
    When the client completes a DORA exchange
    And the client uses chaddr 02:00:5e:10:00:4b
    And the client requests the offered address
    And the client adds option server-id with value 192.0.2.1
    And the client sends a REQUEST message
    Then the server responds with NAK
    And the response yiaddr is 0.0.0.0
    And the response option server-id is 192.0.2.1
    And the lease for $yiaddr has hwaddr 02:00:5e:10:00:4a

  Scenario: RFC 2131 4.3.2 - without authoritative Kea stays silent about an unknown client on the wrong network
    The RFC asks for a NAK on the wrong network (SHOULD) but silence towards clients the server has no
    record of (MUST); Kea's authoritative parameter chooses between the two.
    Given the server is started
    When the client adds option requested-address with value 203.0.113.5
    And the client sends a REQUEST message
    Then the server does not respond

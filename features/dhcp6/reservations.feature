@dhcp6 @v6 @rfc8415 @reservations @host-reservation
Feature: DHCPv6 host reservations
  A client whose DUID has a reservation is assigned the reserved address or prefix (RFC 8415 18.3:
  the server assigns addresses according to its administrative policy, here a per-DUID binding).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the subnet reserves address 2001:db8:1::500 for DUID 00:03:00:01:02:00:5e:10:00:01
    And the subnet reserves prefix 2001:db8:9000::/56 for DUID 00:03:00:01:02:00:5e:10:00:02
    And the server is started

  Scenario: RFC 8415 18.3.1 - a reserved DUID is advertised its reserved address
    When the client uses DUID 00:03:00:01:02:00:5e:10:00:01
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA contains address 2001:db8:1::500

  @pd
  Scenario: RFC 8415 18.3.2 - a reserved DUID is assigned its reserved prefix
    When the client uses DUID 00:03:00:01:02:00:5e:10:00:02
    And the client requests a prefix
    And the client completes a SARR exchange
    Then the response IA_PD contains prefix 2001:db8:9000::/56
    And the lease file contains address 2001:db8:9000::

  Scenario: RFC 8415 18.3.1 - a DUID without a reservation is advertised an address from the pool
    When the client uses DUID 00:03:00:01:02:00:5e:10:00:09
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20

@dhcp6 @v6 @rfc8415 @sarr
Feature: DHCPv6 Solicit-Advertise-Request-Reply
  A client obtains an address with the four-message exchange (RFC 8415 18.2.1, 18.3.1, 18.3.2).
  Every server answer carries the server's DUID and echoes the client's DUID (RFC 8415 18.3.9, 18.3.10),
  and an IA_NA granted with configured renew/rebind timers carries them as T1/T2 (RFC 8415 21.4).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter preferred-lifetime is 3000
    And the server parameter valid-lifetime is 4000
    And the server parameter renew-timer is 1000
    And the server parameter rebind-timer is 2000
    And the server is started

  Scenario: SOLICIT is answered with an ADVERTISE carrying an address from the pool
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response includes option server-id
    And the response includes option client-id
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20
    And the response address preferred lifetime is 3000
    And the response address valid lifetime is 4000

  Scenario: REQUEST with the advertised IA_NA gets a REPLY with the lease
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client saves the advertised value $address
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a REQUEST message
    Then the server responds with REPLY
    And the response IA_NA contains address $saved.advertised
    And the lease file contains address $saved.advertised

  Scenario: RFC 8415 21.4 - the IA_NA in the REPLY carries the configured renew and rebind timers as T1 and T2
    When the client completes a SARR exchange
    Then the server responds with REPLY
    And the response IA_NA T1 is 1000
    And the response IA_NA T2 is 2000
    And the response address preferred lifetime is 3000
    And the response address valid lifetime is 4000

  Scenario: RFC 8415 18.3.9 - the ADVERTISE IA_NA carries the configured T1 and T2
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_NA T1 is 1000
    And the response IA_NA T2 is 2000

  Scenario: RFC 8415 18.3.10 - the REPLY to a REQUEST carries a server-id and echoes the client's DUID
    Given the client uses DUID 00:03:00:01:02:00:5e:00:53:b1
    When the client completes a SARR exchange
    Then the server responds with REPLY
    And the response includes option server-id
    And the response option client-id is 00:03:00:01:02:00:5e:00:53:b1

  Scenario: RFC 8415 18.3.10 - the REPLY carries the same server-id as the ADVERTISE
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client saves option server-id from the response as advertised-server-id
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a REQUEST message
    Then the server responds with REPLY
    And the response option server-id is $saved.advertised-server-id

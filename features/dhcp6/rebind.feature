@dhcp6 @v6 @rfc8415 @rebind
Feature: DHCPv6 Rebind
  A client whose server stopped answering Renews multicasts a Rebind, with no Server Identifier, to any
  server (RFC 8415 18.2.5). A server extends the bindings it holds and returns leases that are no longer
  appropriate for the link with lifetimes of 0 (RFC 8415 18.3.5). Servers discard a Rebind that carries a
  Server Identifier or lacks a Client Identifier (RFC 8415 16.7).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server parameter preferred-lifetime is 3000
    And the server parameter valid-lifetime is 4000

  Scenario: RFC 8415 18.3.5 - REBIND of the client's own address extends it
    Given the server is started
    When the client completes a SARR exchange
    And the client copies option IA_NA from the response
    And the client sends a REBIND message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response IA_NA contains address $address
    And the response address preferred lifetime is 3000
    And the response address valid lifetime is 4000
    And the lease file contains address $address

  Scenario: RFC 8415 18.3.5 - after the link is renumbered, REBIND returns the old address with lifetimes 0
    Given the server is started
    When the client completes a SARR exchange
    And the client saves the old value $address
    And the server configuration is cleared
    And the server is configured with subnet 2001:db8:3::/64 and pool 2001:db8:3::10-2001:db8:3::20
    And the server is reconfigured
    And the client copies option IA_NA from the response
    And the client sends a REBIND message
    Then the server responds with REPLY
    And the response IA_NA contains address $saved.old
    And the response address $saved.old has lifetimes 0 0

  Scenario: RFC 8415 18.3.5 - REBIND for an unknown address off the link does not extend it
    The server has no binding for the address; it may return it with lifetimes 0 or leave it out,
    but it must not hand out an address that is not appropriate for the link.
    Given the server is started
    When the client adds IA_NA with address 2001:db8:99::5 with lifetimes 3000 4000
    And the client sends a REBIND message
    Then the server does not extend address 2001:db8:99::5

  @pd
  Scenario: RFC 8415 18.3.5 - REBIND of a delegated prefix extends it
    Given the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the server is started
    When the client does not include IA_NA
    And the client requests a prefix
    And the client completes a SARR exchange
    And the client copies option IA_PD from the response
    And the client sends a REBIND message
    Then the server responds with REPLY
    And the response IA_PD contains prefix $prefix
    And the response prefix preferred lifetime is 3000
    And the response prefix valid lifetime is 4000

  @pd
  Scenario: RFC 8415 18.3.5 - after the delegating pool moves, REBIND returns the old prefix with lifetimes 0
    Given the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the server is started
    When the client does not include IA_NA
    And the client requests a prefix
    And the client completes a SARR exchange
    And the client saves the old value $prefix
    And the server configuration is cleared
    And the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet has pd-pool 2001:db8:9000::/48 delegating /56 prefixes
    And the server is reconfigured
    And the client copies option IA_PD from the response
    And the client sends a REBIND message
    Then the server responds with REPLY
    And the response IA_PD contains prefix $saved.old
    And the response prefix $saved.old has lifetimes 0 0

  Scenario: RFC 8415 16.7 - REBIND carrying a Server Identifier is discarded
    Given the server is started
    When the client completes a SARR exchange
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client sends a REBIND message
    Then the server does not respond

  Scenario: RFC 8415 16.7 - REBIND without a Client Identifier is discarded
    Given the server is started
    When the client completes a SARR exchange
    And the client copies option IA_NA from the response
    And the client omits option client-id
    And the client sends a REBIND message
    Then the server does not respond

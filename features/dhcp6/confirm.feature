@dhcp6 @v6 @rfc8415 @confirm
Feature: DHCPv6 Confirm
  A client that may have moved to another link sends a Confirm with the addresses it holds (RFC 8415
  18.2.3). The server only checks whether those addresses are appropriate for the client's link and
  answers Success or NotOnLink; with no addresses to check it sends no Reply (RFC 8415 18.3.3). Servers
  discard a Confirm that carries a Server Identifier or lacks a Client Identifier (RFC 8415 16.5).

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20

  Scenario: RFC 8415 18.3.3 - CONFIRM of the client's own address gets Success
    Given the server is started
    When the client completes a SARR exchange
    And the client adds IA_NA with address $address
    And the client sends a CONFIRM message
    Then the server responds with REPLY
    And the response includes option server-id
    And the response includes option client-id
    And the response status code is Success

  Scenario: RFC 8415 18.3.3 - CONFIRM after the link was renumbered gets NotOnLink
    Given the server is started
    When the client completes a SARR exchange
    And the server configuration is cleared
    And the server is configured with subnet 2001:db8:3::/64 and pool 2001:db8:3::10-2001:db8:3::20
    And the server is reconfigured
    And the client adds IA_NA with address $address
    And the client sends a CONFIRM message
    Then the server responds with REPLY
    And the response status code is NotOnLink

  Scenario: RFC 8415 18.3.3 - CONFIRM of an address from another prefix gets NotOnLink
    Given the server is started
    When the client adds IA_NA with address 2001:db8:99::5
    And the client sends a CONFIRM message
    Then the server responds with REPLY
    And the response status code is NotOnLink

  Scenario: RFC 8415 18.3.3 - one off-link address among on-link ones makes the answer NotOnLink
    Given the server is started
    When the client adds IA_NA with address 2001:db8:1::15
    And the client adds IA_NA with IAID 77 with address 2001:db8:99::5
    And the client sends a CONFIRM message
    Then the server responds with REPLY
    And the response status code is NotOnLink

  Scenario: RFC 8415 18.3.3 - an on-link address the server never leased still gets Success
    Given the server is started
    When the client adds IA_NA with address 2001:db8:1::77
    And the client sends a CONFIRM message
    Then the server responds with REPLY
    And the response status code is Success
    And the lease file does not contain address 2001:db8:1::77

  Scenario: RFC 8415 18.3.3 - CONFIRM with an IA_NA holding no address gets no Reply
    Given the server is started
    When the client adds IA_NA
    And the client sends a CONFIRM message
    Then the server does not respond

  Scenario: RFC 8415 18.3.3 - CONFIRM with no IA at all gets no Reply
    Given the server is started
    When the client sends a CONFIRM message
    Then the server does not respond

  Scenario: RFC 8415 16.5 - CONFIRM carrying a Server Identifier is discarded
    Given the server is started
    When the client completes a SARR exchange
    And the client copies option server-id from the response
    And the client adds IA_NA with address $address
    And the client sends a CONFIRM message
    Then the server does not respond

  Scenario: RFC 8415 16.5 - CONFIRM without a Client Identifier is discarded
    Given the server is started
    When the client adds IA_NA with address 2001:db8:1::15
    And the client omits option client-id
    And the client sends a CONFIRM message
    Then the server does not respond

  @relay @kea-confirm-unknown-link
  Scenario: RFC 8415 18.3.3 - CONFIRM from a link the server knows nothing about gets no Reply
    The relay's link-address matches no configured subnet, so the server cannot tell whether the
    address is on that link and must stay silent.
    Given the server is started
    When the client is behind a relay with link-address 2001:db8:7::1
    And the client adds IA_NA with address 2001:db8:7::15
    And the client sends a CONFIRM message
    Then the server does not respond

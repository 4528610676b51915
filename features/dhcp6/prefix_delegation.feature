@dhcp6 @v6 @rfc8415 @pd @prefix-delegation
Feature: DHCPv6 prefix delegation
  A requesting router asks for prefixes with IA_PD and the server delegates them from its pd-pools
  (RFC 8415 6.3, 18.3.1, 18.3.2, 21.21, 21.22). With nothing to delegate the IA_PD carries
  NoPrefixAvail (RFC 8415 18.3.9).

  Scenario: RFC 8415 18.3.9 - a SOLICIT with IA_PD is advertised a /56 from the pd-pool
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the server is started
    When the client requests a prefix
    And the client does not include IA_NA
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_PD contains a prefix in 2001:db8:8000::/48
    And the response prefix length is 56
    And the response does not include option IA_NA

  Scenario: RFC 8415 18.3.2 - a REQUEST with the advertised IA_PD gets a REPLY delegating the prefix
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the server is started
    When the client requests a prefix
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    When the client saves the advertised value $prefix
    And the client copies option server-id from the response
    And the client copies option IA_NA from the response
    And the client copies option IA_PD from the response
    And the client sends a REQUEST message
    Then the server responds with REPLY
    And the response IA_PD contains prefix $saved.advertised
    And the response prefix length is 56
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20

  Scenario: RFC 8415 18.3.2 - the delegated prefix is recorded as a PD lease
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the subnet has pd-pool 2001:db8:8000::/48 delegating /56 prefixes
    And the server is started
    When the client requests a prefix
    And the client does not include IA_NA
    And the client completes a SARR exchange
    Then the server responds with REPLY
    And the lease file contains address $prefix
    And the lease for $prefix has lease_type PD
    And the lease for $prefix has prefix_len 56

  Scenario: RFC 8415 18.3.9 - without a pd-pool the IA_PD carries NoPrefixAvail
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server is started
    When the client requests a prefix
    And the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response IA_PD contains no prefix
    And the response IA_PD status code is NoPrefixAvail
    And the response IA_NA contains an address in 2001:db8:1::10-2001:db8:1::20

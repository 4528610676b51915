@ddns @v4 @rfc2132 @rfc4702 @hostname
Feature: DHCPv4 Host Name option (12) with DNS updates enabled
  A client may name itself in the Host Name option (RFC 2132 3.14); the name may or may not be qualified
  with the local domain. A client that sends the Client FQDN option should not also send the Host Name
  option, and the server uses the Client FQDN option when both are present (RFC 4702 3.1). The server
  qualifies a single-label name with its suffix, sanitizes it, may replace it with a generated name, or
  uses a name reserved for the client.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server sends DNS updates to the DHCP-DDNS daemon
    And the server parameter ddns-qualifying-suffix is example.com.

  Scenario: RFC 2132 3.14 - a single-label host name comes back qualified with the suffix, in the OFFER
    Given the server is started
    And the client uses hostname myhost
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option hostname is myhost.example.com

  Scenario: RFC 2132 3.14 - the qualified host name is in the ACK and the lease
    Given the server is started
    And the client uses hostname myhost
    When the client completes a DORA exchange
    Then the response option hostname is myhost.example.com
    And the lease for $yiaddr has hostname myhost.example.com
    And the lease for $yiaddr has fqdn_fwd true
    And the lease for $yiaddr has fqdn_rev true

  Scenario: RFC 2132 3.14 - a host name that is already qualified is kept
    Given the server is started
    And the client uses hostname laptop.example.org
    When the client completes a DORA exchange
    Then the response option hostname is laptop.example.org
    And the lease for $yiaddr has hostname laptop.example.org

  Scenario: RFC 4702 3.1 - with both options the Client FQDN option wins over the Host Name option
    Given the server is started
    And the client uses hostname other
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has name myhost.example.com.
    And the response does not include option hostname
    And the lease for $yiaddr has hostname myhost.example.com.

  Scenario: RFC 2132 3.14 - hostname-char-set replaces characters not allowed in a host name
    Given the server parameter hostname-char-set is [^A-Za-z0-9.-]
    And the server parameter hostname-char-replacement is x
    And the server is started
    And the client uses hostname my_host
    When the client completes a DORA exchange
    Then the response option hostname is myxhost.example.com
    And the lease for $yiaddr has hostname myxhost.example.com

  Scenario: RFC 2132 3.14 - ddns-replace-client-name always replaces the client's host name
    Given the server parameter ddns-replace-client-name is always
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client uses hostname myhost
    When the client completes a DORA exchange
    Then the response option hostname is host-$dashed.example.com
    And the lease for $yiaddr has hostname host-$dashed.example.com

  Scenario: RFC 2132 3.14 - ddns-replace-client-name when-not-present names a client that sent no name
    Given the server parameter ddns-replace-client-name is when-not-present
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client requests option hostname
    When the client completes a DORA exchange
    Then the response option hostname is host-$dashed.example.com
    And the lease for $yiaddr has hostname host-$dashed.example.com

  Scenario: RFC 2132 3.14 - no Host Name option goes to a client that neither sent nor requested one
    Given the server is started
    When the client completes a DORA exchange
    Then the response does not include option hostname
    And the lease for $yiaddr has hostname none

  Scenario: RFC 2132 3.14 - a reserved host name is sent to a client that requests it and is leased
    Given the subnet reserves address 192.0.2.15 for hw-address 02:00:5e:00:53:aa
    And the reservation has hostname reserved
    And the server is started
    And the client uses chaddr 02:00:5e:00:53:aa
    And the client requests option hostname
    When the client completes a DORA exchange
    Then the response yiaddr is 192.0.2.15
    And the response option hostname is reserved.example.com
    And the lease for 192.0.2.15 has hostname reserved.example.com

  Scenario: RFC 2132 3.14 - a reserved host name replaces the name the client sent
    Given the subnet reserves address 192.0.2.16 for hw-address 02:00:5e:00:53:ab
    And the reservation has hostname reserved
    And the server is started
    And the client uses chaddr 02:00:5e:00:53:ab
    And the client uses hostname myhost
    When the client completes a DORA exchange
    Then the response option hostname is reserved.example.com
    And the lease for 192.0.2.16 has hostname reserved.example.com

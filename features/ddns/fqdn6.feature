@ddns @v6 @rfc4704 @fqdn
Feature: DHCPv6 Client FQDN option (RFC 4704) with DNS updates enabled
  The Client FQDN option (39) carries the client's name and the S, O and N flags: S asks the server to
  update the AAAA records, N asks it to update nothing (S must then be 0), and O tells the client the server
  overrode its S wish (RFC 4704 4.1). The name is in DNS wire format; a partial name lacks the terminating
  root label (RFC 4704 4.2), and the server SHOULD send back its notion of the complete FQDN. The server
  includes the option in ADVERTISE and REPLY only when the client sent it and asked for it in its Option
  Request option (RFC 4704 6). The lease records whether the server updates the forward (AAAA) and reverse
  (PTR) records and the name it used.

  Background:
    Given the server is configured with subnet 2001:db8:1::/64 and pool 2001:db8:1::10-2001:db8:1::20
    And the server sends DNS updates to the DHCP-DDNS daemon
    And the server parameter ddns-qualifying-suffix is example.com.
    And the client requests option fqdn

  Scenario: RFC 4704 4.1 - S=1: the server takes the AAAA update, in the ADVERTISE
    Given the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.

  Scenario: RFC 4704 4.1 - S=1: the REPLY confirms it and the lease records both updates
    Given the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client completes a SARR exchange
    Then the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.
    And the lease for $address has fqdn_fwd true
    And the lease for $address has fqdn_rev true
    And the lease for $address has hostname myhost.example.com.

  Scenario: RFC 4704 4.1 - S=0: the client keeps the AAAA update, the server does only the PTR
    Given the server is started
    And the client adds option fqdn with flags none and name myhost.example.com.
    When the client completes a SARR exchange
    Then the response option fqdn has flags none
    And the lease for $address has fqdn_fwd false
    And the lease for $address has fqdn_rev true

  Scenario: RFC 4704 4.1 - N=1: the server does no DNS update and says so with N
    Given the server is started
    And the client adds option fqdn with flags N and name myhost.example.com.
    When the client completes a SARR exchange
    Then the response option fqdn has flags N
    And the lease for $address has fqdn_fwd false
    And the lease for $address has fqdn_rev false

  Scenario: RFC 4704 4.1 - N=1 overridden by ddns-override-no-update: S and O set, N clear
    Given the server parameter ddns-override-no-update is true
    And the server is started
    And the client adds option fqdn with flags N and name myhost.example.com.
    When the client completes a SARR exchange
    Then the response option fqdn has flags O S
    And the lease for $address has fqdn_fwd true

  Scenario: RFC 4704 4.1 - S=0 overridden by ddns-override-client-update: S and O set
    Given the server parameter ddns-override-client-update is true
    And the server is started
    And the client adds option fqdn with flags none and name myhost.example.com.
    When the client completes a SARR exchange
    Then the response option fqdn has flags O S
    And the lease for $address has fqdn_fwd true

  Scenario: RFC 4704 4.2 - a partial name is completed with the qualifying suffix
    Given the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a SARR exchange
    Then the response option fqdn has name myhost.example.com.
    And the lease for $address has hostname myhost.example.com.

  Scenario: RFC 4704 4.2 - a fully qualified name outside the suffix is kept as sent
    Given the server is started
    And the client adds option fqdn with flags S and name laptop.example.org.
    When the client completes a SARR exchange
    Then the response option fqdn has name laptop.example.org.

  Scenario: RFC 4704 4.2 - an empty name gets a name generated from the address
    Given the server parameter ddns-replace-client-name is when-not-present
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name ""
    When the client completes a SARR exchange
    Then the response option fqdn has flags S
    And the response option fqdn has name host-$dashed.example.com.
    And the lease for $address has hostname host-$dashed.example.com.

  Scenario: RFC 4704 6 - ddns-replace-client-name always replaces the client's name
    Given the server parameter ddns-replace-client-name is always
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a SARR exchange
    Then the response option fqdn has name host-$dashed.example.com.

  Scenario: RFC 4704 6 - hostname-char-set replaces characters not allowed in a host name
    Given the server parameter hostname-char-set is [^A-Za-z0-9.-]
    And the server parameter hostname-char-replacement is x
    And the server is started
    And the client adds option fqdn with flags S and name my_host
    When the client completes a SARR exchange
    Then the response option fqdn has name myxhost.example.com.

  Scenario: RFC 4704 4.1 - with ddns-send-updates false the server declines all updates: N set, O set for S
    Given the server parameter ddns-send-updates is false
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a SARR exchange
    Then the response option fqdn has flags N O
    And the lease for $address has fqdn_fwd false
    And the lease for $address has fqdn_rev false

  @kea-fqdn6-without-oro
  Scenario: RFC 4704 6 - no Client FQDN option in the answer unless the client requested it
    Given the server is started
    And the client does not request option fqdn
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client sends a SOLICIT message
    Then the server responds with ADVERTISE
    And the response does not include option fqdn

  Scenario: RFC 4704 6 - the Client FQDN works through a relay
    Given the server is configured with subnet 2001:db8:2::/64 and pool 2001:db8:2::10-2001:db8:2::20
    And the subnet is reached only through relays
    And the server is started
    And the client is behind a relay with link-address 2001:db8:2::1
    And the client adds option fqdn with flags S and name relayed
    When the client completes a SARR exchange
    Then the response is relayed through 1 relays
    And the response option fqdn has flags S
    And the response option fqdn has name relayed.example.com.
    And the lease for $address has fqdn_fwd true

@ddns @v4 @rfc4702 @fqdn
Feature: DHCPv4 Client FQDN option (RFC 4702) with DNS updates enabled
  The Client FQDN option (81) carries the client's name and flags that say who updates DNS: S asks the
  server to do the A update, N asks it to do no update at all (S must then be 0), O tells the client that
  the server overrode its S wish, and E says the name is in canonical wire format rather than the
  deprecated ASCII encoding (RFC 4702 2.1). A server answers in the client's encoding and SHOULD set
  RCODE1 and RCODE2 to 255 (RFC 4702 2.1, 2.2). A name without the terminating root label is partial
  (RFC 4702 2.3): the server completes it. The lease records whether the server updates the forward
  (A) and reverse (PTR) records and the name it used.

  Background:
    Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
    And the server sends DNS updates to the DHCP-DDNS daemon
    And the server parameter ddns-qualifying-suffix is example.com.

  Scenario: RFC 4702 2.1 - S=1: the server takes the A update, in the OFFER
    Given the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.
    And the response option fqdn uses the canonical wire encoding

  Scenario: RFC 4702 2.1 - S=1: the ACK confirms it and the lease records both updates
    Given the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    When the client copies option server-id from the response
    And the client requests the offered address
    And the client sends a REQUEST message
    Then the server responds with ACK
    And the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.
    And the lease for $yiaddr has fqdn_fwd true
    And the lease for $yiaddr has fqdn_rev true
    And the lease for $yiaddr has hostname myhost.example.com.

  @kea-fqdn-rcode-not-255
  Scenario: RFC 4702 2.2 - the server sets RCODE1 and RCODE2 to 255
    Given the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option fqdn has RCODE1 and RCODE2 255

  Scenario: RFC 4702 2.1 - S=0: the client keeps the A update, the server does only the PTR
    Given the server is started
    And the client adds option fqdn with flags none and name myhost.example.com.
    When the client completes a DORA exchange
    Then the response option fqdn has flags none
    And the response option fqdn has name myhost.example.com.
    And the lease for $yiaddr has fqdn_fwd false
    And the lease for $yiaddr has fqdn_rev true

  Scenario: RFC 4702 2.1 - N=1: the server does no DNS update and says so with N
    Given the server is started
    And the client adds option fqdn with flags N and name myhost.example.com.
    When the client completes a DORA exchange
    Then the response option fqdn has flags N
    And the lease for $yiaddr has fqdn_fwd false
    And the lease for $yiaddr has fqdn_rev false

  Scenario: RFC 4702 2.1 - N=1 overridden by ddns-override-no-update: S and O set, N clear
    Given the server parameter ddns-override-no-update is true
    And the server is started
    And the client adds option fqdn with flags N and name myhost.example.com.
    When the client completes a DORA exchange
    Then the response option fqdn has flags O S
    And the lease for $yiaddr has fqdn_fwd true
    And the lease for $yiaddr has fqdn_rev true

  Scenario: RFC 4702 2.1 - S=0 overridden by ddns-override-client-update: S and O set
    Given the server parameter ddns-override-client-update is true
    And the server is started
    And the client adds option fqdn with flags none and name myhost.example.com.
    When the client completes a DORA exchange
    Then the response option fqdn has flags O S
    And the lease for $yiaddr has fqdn_fwd true
    And the lease for $yiaddr has fqdn_rev true

  Scenario: RFC 4702 2.1 - a client FQDN in the deprecated ASCII encoding is answered in ASCII
    Given the server is started
    And the client adds option fqdn in ASCII with flags S and name myhost.example.com.
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option fqdn uses the ASCII encoding
    And the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.

  Scenario: RFC 4702 2.3 - a partial name is completed with the qualifying suffix
    Given the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.
    And the lease for $yiaddr has hostname myhost.example.com.

  Scenario: RFC 4702 2.3 - a fully qualified name outside the suffix is kept as sent
    Given the server is started
    And the client adds option fqdn with flags S and name laptop.example.org.
    When the client completes a DORA exchange
    Then the response option fqdn has name laptop.example.org.
    And the lease for $yiaddr has hostname laptop.example.org.

  Scenario: RFC 4702 2.3.1 - a partial name in ASCII is completed too
    Given the server is started
    And the client adds option fqdn in ASCII with flags S and name myhost
    When the client sends a DISCOVER message
    Then the server responds with OFFER
    And the response option fqdn uses the ASCII encoding
    And the response option fqdn has name myhost.example.com.

  Scenario: RFC 4702 4 - ddns-replace-client-name always replaces the client's name with a generated one
    Given the server parameter ddns-replace-client-name is always
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name myhost.example.com.
    When the client completes a DORA exchange
    Then the response option fqdn has name host-$dashed.example.com.
    And the lease for $yiaddr has hostname host-$dashed.example.com.

  Scenario: RFC 4702 4 - ddns-replace-client-name never keeps the client's name
    Given the server parameter ddns-replace-client-name is never
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has name myhost.example.com.

  Scenario: RFC 4702 4 - ddns-replace-client-name when-present replaces a name the client sent
    Given the server parameter ddns-replace-client-name is when-present
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has name host-$dashed.example.com.

  Scenario: RFC 4702 2.3 - an empty name with when-not-present gets a generated name
    Given the server parameter ddns-replace-client-name is when-not-present
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name ""
    When the client completes a DORA exchange
    Then the response option fqdn has flags S
    And the response option fqdn has name host-$dashed.example.com.
    And the lease for $yiaddr has hostname host-$dashed.example.com.

  Scenario: RFC 4702 4 - ddns-replace-client-name when-not-present keeps a name the client sent
    Given the server parameter ddns-replace-client-name is when-not-present
    And the server parameter ddns-generated-prefix is host
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has name myhost.example.com.

  Scenario: RFC 4702 4 - hostname-char-set replaces characters not allowed in a host name
    Given the server parameter hostname-char-set is [^A-Za-z0-9.-]
    And the server parameter hostname-char-replacement is x
    And the server is started
    And the client adds option fqdn with flags S and name my_host
    When the client completes a DORA exchange
    Then the response option fqdn has name myxhost.example.com.
    And the lease for $yiaddr has hostname myxhost.example.com.

  Scenario: RFC 4702 2.1 - with ddns-send-updates false the server declines all updates: N set, O set for S
    Given the server parameter ddns-send-updates is false
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has flags N O
    And the lease for $yiaddr has fqdn_fwd false
    And the lease for $yiaddr has fqdn_rev false

  Scenario: RFC 4702 4 - the Client FQDN works through a relay
    Given the server is configured with subnet 198.51.100.0/24 and pool 198.51.100.10-198.51.100.20
    And the subnet is reached only through relays
    And the server is started
    And the client is behind relay 198.51.100.1
    And the client adds option fqdn with flags S and name relayed
    When the client completes a DORA exchange
    Then the response giaddr is 198.51.100.1
    And the response option fqdn has flags S
    And the response option fqdn has name relayed.example.com.
    And the lease for $yiaddr has fqdn_fwd true

  Scenario: RFC 4702 2.1 - with DNS updates switched off the server answers N=1, and O for a client's S=1
    Given the server sends no DNS updates
    And the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    Then the response option fqdn has flags N O
    And the response option fqdn has name myhost.example.com.
    And the lease for $yiaddr has fqdn_fwd false
    And the lease for $yiaddr has fqdn_rev false

  Scenario: RFC 4702 2.1 - the FQDN in a renewing REQUEST is answered in the ACK
    Given the server is started
    And the client adds option fqdn with flags S and name myhost
    When the client completes a DORA exchange
    And the client sets ciaddr to $yiaddr
    And the client sends a REQUEST message by unicast
    Then the server responds with ACK
    And the response option fqdn has flags S
    And the response option fqdn has name myhost.example.com.

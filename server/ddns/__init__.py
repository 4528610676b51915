"""DNS updates: the NameChangeRequest format, DHCID records (RFC 4701), the RFC 4703 update
transactions and the `lessor ddns` daemon (Kea's D2 counterpart)."""

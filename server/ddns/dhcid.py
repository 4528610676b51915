"""The DHCID resource record (RFC 4701): who owns a DNS name that DHCP added.

RDATA = identifier-type (2 octets) | digest-type (1 octet, 1 = SHA-256) |
        SHA-256(identifier | FQDN in canonical DNS wire format)

Identifier types (RFC 4701 3.3): 0 = htype + chaddr, 1 = the DHCPv4 client-id option data,
2 = a DUID (DHCPv6, or a DHCPv4 client-id in the RFC 4361 form: type 255, IAID, DUID).
"""

from __future__ import annotations

import hashlib

TYPE_HWADDR = 0
TYPE_CLIENT_ID = 1
TYPE_DUID = 2
DIGEST_SHA256 = 1


def fqdn_wire(fqdn: str) -> bytes:
    """The name in canonical wire form (RFC 4034 6.2: lower case), always ending at the root."""
    out = bytearray()
    for label in fqdn.rstrip(".").split("."):
        if not label:
            raise ValueError(f"empty label in {fqdn!r}")
        raw = label.lower().encode("ascii")
        if len(raw) > 63:
            raise ValueError(f"label longer than 63 octets in {fqdn!r}")
        out.append(len(raw))
        out += raw
    out.append(0)
    if len(out) > 255:
        raise ValueError(f"name longer than 255 octets: {fqdn!r}")
    return bytes(out)


def dhcid(identifier_type: int, identifier: bytes, fqdn: str) -> bytes:
    """The DHCID RDATA for an identifier (already laid out as RFC 4701 says) and a name."""
    digest = hashlib.sha256(identifier + fqdn_wire(fqdn)).digest()
    return identifier_type.to_bytes(2, "big") + bytes([DIGEST_SHA256]) + digest


def from_hwaddr(htype: int, chaddr: bytes, fqdn: str) -> bytes:
    return dhcid(TYPE_HWADDR, bytes([htype]) + chaddr, fqdn)


def from_client_id(client_id: bytes, fqdn: str) -> bytes:
    """A DHCPv4 client-id; one of type 255 (RFC 4361) is hashed as a DUID (the octets after IAID)."""
    if len(client_id) > 5 and client_id[0] == 255:
        return dhcid(TYPE_DUID, client_id[5:], fqdn)
    return dhcid(TYPE_CLIENT_ID, client_id, fqdn)


def from_duid(duid: bytes, fqdn: str) -> bytes:
    return dhcid(TYPE_DUID, duid, fqdn)


def for_v4_client(client_id: bytes | None, htype: int, chaddr: bytes, fqdn: str) -> bytes:
    """What a DHCPv4 server uses: the client-id when the client sent one, else the hardware address."""
    if client_id:
        return from_client_id(client_id, fqdn)
    return from_hwaddr(htype, chaddr, fqdn)

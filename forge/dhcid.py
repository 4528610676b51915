"""The DHCID value a DNS check expects (RFC 4701), computed independently of any server.

RDATA = identifier type (2 bytes) || digest type (1 byte, 1 = SHA-256)
        || SHA-256(identifier || FQDN in canonical DNS wire form).
Identifier types: 0 = htype + chaddr (DHCPv4 without client-id), 1 = the DHCPv4 client-id option's data,
2 = a DUID (DHCPv6, and a DHCPv4 client-id of type 255 (RFC 4361), whose DUID follows the IAID).
"""

from __future__ import annotations

import base64
import hashlib

HWADDR, CLIENT_ID, DUID = 0, 1, 2
SHA256 = 1


def wire_name(fqdn: str) -> bytes:
    """The FQDN as DNS labels, lower-cased (canonical form, RFC 4034 6.2), ending with the root label."""
    name = fqdn.strip().rstrip(".")
    out = bytearray()
    for label in name.split(".") if name else []:
        raw = label.lower().encode("ascii")
        if not 0 < len(raw) < 64:
            raise ValueError(f"{fqdn!r}: label {label!r} must be 1 to 63 bytes")
        out += bytes([len(raw)]) + raw
    return bytes(out + b"\x00")


def rdata(identifier_type: int, identifier: bytes, fqdn: str) -> bytes:
    digest = hashlib.sha256(identifier + wire_name(fqdn)).digest()
    return identifier_type.to_bytes(2, "big") + bytes([SHA256]) + digest


def _hex(text: str) -> bytes:
    cleaned = text.strip().replace(":", "").replace("-", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not hex (bytes like 01:02:ab or 0102ab)") from None


def expected(kind: str, value: str, fqdn: str, htype: int = 1) -> bytes:
    """The DHCID RDATA for an identifier as features write it: `hw-address MAC`, `client-id HEX`, `DUID HEX`."""
    key = kind.strip().lower()
    data = _hex(value)
    if key in ("hw-address", "hwaddr", "chaddr"):
        return rdata(HWADDR, bytes([htype]) + data, fqdn)
    if key == "client-id":
        if data[:1] == b"\xff":
            # RFC 4361 6.1: type 255, then a 4-byte IAID, then the DUID; the DHCID uses the DUID.
            if len(data) < 6:
                raise ValueError(f"client-id {value}: type 255 needs an IAID and a DUID")
            return rdata(DUID, data[5:], fqdn)
        return rdata(CLIENT_ID, data, fqdn)
    if key == "duid":
        return rdata(DUID, data, fqdn)
    raise ValueError(f"unknown DHCID identifier kind {kind!r}: hw-address, client-id or DUID")


def to_text(value: bytes) -> str:
    """The presentation form of a DHCID RR (base64, as in RFC 4701 section 3.6)."""
    return base64.b64encode(value).decode("ascii")

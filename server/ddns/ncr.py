"""NameChangeRequests in Kea's wire form: a 2-octet big-endian length, then one JSON object.

{"change-type": 0 (add) | 1 (remove), "forward-change": bool, "reverse-change": bool,
 "fqdn": "host.example.org.", "ip-address": "192.0.2.10", "dhcid": "<hex RDATA>",
 "lease-expires-on": "YYYYMMDDHHMMSS" (UTC), "lease-length": TTL seconds, "use-conflict-resolution": bool}

Kea's DHCP servers send these over UDP to D2 (127.0.0.1:53001 by default); lessor's servers and
`lessor ddns` speak the same, so either side can be paired with Kea's.
"""

from __future__ import annotations

import ipaddress
import json
import struct
import time
from dataclasses import dataclass

CHG_ADD = 0
CHG_REMOVE = 1


class NcrError(ValueError):
    """A NameChangeRequest that cannot be decoded; the message says which field is wrong."""


@dataclass(frozen=True, slots=True)
class NameChangeRequest:
    change_type: int
    forward: bool
    reverse: bool
    fqdn: str  # fully qualified, ending with "."
    ip_address: str
    dhcid: bytes
    lease_expires_on: int  # epoch seconds
    lease_length: int  # the TTL the records get
    use_conflict_resolution: bool = True

    def to_json(self) -> dict:
        return {
            "change-type": self.change_type,
            "forward-change": self.forward,
            "reverse-change": self.reverse,
            "fqdn": self.fqdn,
            "ip-address": self.ip_address,
            "dhcid": self.dhcid.hex().upper(),
            "lease-expires-on": time.strftime("%Y%m%d%H%M%S", time.gmtime(self.lease_expires_on)),
            "lease-length": self.lease_length,
            "use-conflict-resolution": self.use_conflict_resolution,
        }

    def encode(self) -> bytes:
        body = json.dumps(self.to_json(), separators=(",", ":")).encode()
        return struct.pack("!H", len(body)) + body

    def describe(self) -> str:
        kind = "add" if self.change_type == CHG_ADD else "remove"
        sides = "+".join(s for s, on in (("forward", self.forward), ("reverse", self.reverse)) if on) or "none"
        return f"{kind} {self.fqdn} {self.ip_address} ({sides})"


def _field(doc: dict, key: str, kind: type):
    if key not in doc:
        raise NcrError(f"NCR has no {key!r}")
    value = doc[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise NcrError(f"NCR {key!r} must be an integer, not {value!r}")
    if kind is not int and not isinstance(value, kind):
        raise NcrError(f"NCR {key!r} must be {kind.__name__}, not {value!r}")
    return value


def from_json(doc: object) -> NameChangeRequest:
    if not isinstance(doc, dict):
        raise NcrError("NCR is not a JSON object")
    change = _field(doc, "change-type", int)
    if change not in (CHG_ADD, CHG_REMOVE):
        raise NcrError(f"NCR change-type {change} is neither 0 (add) nor 1 (remove)")
    forward = _field(doc, "forward-change", bool)
    reverse = _field(doc, "reverse-change", bool)
    if not forward and not reverse:
        raise NcrError("NCR asks for neither a forward nor a reverse change")
    fqdn = _field(doc, "fqdn", str).strip()
    if not fqdn or fqdn == ".":
        raise NcrError("NCR fqdn is empty")
    if not fqdn.endswith("."):
        fqdn += "."
    address = _field(doc, "ip-address", str)
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        raise NcrError(f"NCR ip-address {address!r} is not an IP address") from None
    try:
        dhcid = bytes.fromhex(_field(doc, "dhcid", str))
    except ValueError:
        raise NcrError("NCR dhcid is not hexadecimal") from None
    if not dhcid:
        raise NcrError("NCR dhcid is empty")
    expires = _field(doc, "lease-expires-on", str)
    try:
        expires_at = int(time.mktime(time.strptime(expires, "%Y%m%d%H%M%S")) - time.timezone)
    except ValueError:
        raise NcrError(f"NCR lease-expires-on {expires!r} is not YYYYMMDDHHMMSS") from None
    length = _field(doc, "lease-length", int)
    if length < 0:
        raise NcrError(f"NCR lease-length {length} is negative")
    conflict = doc.get("use-conflict-resolution", True)
    if not isinstance(conflict, bool):
        raise NcrError(f"NCR use-conflict-resolution must be a boolean, not {conflict!r}")
    return NameChangeRequest(change, forward, reverse, fqdn, address, dhcid, expires_at, length, conflict)


def decode(datagram: bytes) -> NameChangeRequest:
    """One UDP datagram as Kea's servers send it (length prefix, then JSON)."""
    if len(datagram) < 2:
        raise NcrError(f"NCR datagram of {len(datagram)} octet(s) is too short")
    (length,) = struct.unpack_from("!H", datagram)
    body = datagram[2:]
    if length != len(body):
        raise NcrError(f"NCR length prefix says {length} octets but {len(body)} follow")
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NcrError(f"NCR is not valid JSON: {exc}") from None
    return from_json(doc)


def ttl_for(valid_lifetime: int) -> int:
    """Kea 2.2's DNS TTL for a lease: a third of its lifetime, at least 600 s (RFC 4702 5 suggests it)."""
    return max(600, valid_lifetime // 3)


def for_lease(change_type: int, hostname: str, address: str, dhcid: bytes, cltt: int, valid_lifetime: int,
              forward: bool, reverse: bool, use_conflict_resolution: bool) -> NameChangeRequest:
    """The NCR a DHCP server sends for a lease, as Kea's: the lease's name (made fully qualified),
    lease-expires-on = cltt + valid lifetime, lease-length = ttl_for(valid lifetime)."""
    fqdn = hostname if hostname.endswith(".") else hostname + "."
    return NameChangeRequest(change_type, forward, reverse, fqdn, address, dhcid, cltt + valid_lifetime,
                             ttl_for(valid_lifetime), use_conflict_resolution)

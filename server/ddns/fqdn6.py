"""The DHCPv6 Client FQDN option (39, RFC 4704) and the server's answer as Kea 2.2 gives it.

Option 39 = flags (1 octet: N O S = 4 2 1) | domain name in DNS wire form (no terminating root label =
a partial name). There is no E flag and no ASCII form. The flag rules are those of RFC 4702 (see
server.ddns.fqdn4.server_flags). A client that sends no option 39 gets one anyway, with a generated
name, when updates are enabled and ddns-replace-client-name is always or when-not-present.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.config.model import DdnsParams
from server.ddns import names
from server.ddns.fqdn4 import FqdnError, decode_name_wire, encode_name_wire, server_flags

FLAG_S, FLAG_O, FLAG_N = 1, 2, 4
CLIENT_FQDN = 39

__all__ = ["CLIENT_FQDN", "FLAG_N", "FLAG_O", "FLAG_S", "Fqdn6", "FqdnError", "Name6", "decide", "decode",
           "encode"]


@dataclass(frozen=True, slots=True)
class Fqdn6:
    flags: int
    name: str  # lower case, without a trailing "."; "" = no name
    partial: bool


def decode(data: bytes) -> Fqdn6:
    if not data:
        raise FqdnError("Client FQDN option without its flags octet")
    flags = data[0]
    if flags & FLAG_N and flags & FLAG_S:
        raise FqdnError("Client FQDN with both N and S set (RFC 4704 4.1: S must be 0 when N is 1)")
    name, partial = decode_name_wire(data[1:])
    return Fqdn6(flags, name, partial)


def encode(flags: int, name: str) -> bytes:
    """`name` is fully qualified (ends with ".") or "" (an empty partial name)."""
    return bytes([flags]) + (encode_name_wire(name, False) if name else b"")


@dataclass(slots=True)
class Name6:
    """The name for the client's leases and the DNS updates the server takes on. `flags` is None when the
    Reply carries no option 39 (the client sent none): then the lease only records a reserved hostname."""

    name: str  # "" until generated (when flags is not None)
    forward: bool
    reverse: bool
    flags: int | None

    @property
    def needs_generating(self) -> bool:
        return self.flags is not None and not self.name

    def lease_hostname(self, address: int, params: DdnsParams) -> str:
        """The name for a lease of `address`: generated from the first address when the server owes one."""
        if self.needs_generating:
            self.name = names.generated(address, 6, params, True)
        return self.name

    def option(self) -> tuple[int, bytes] | None:
        return None if self.flags is None else (CLIENT_FQDN, encode(self.flags, self.name))


def decide(data: bytes | None, reserved_hostname: str, params: DdnsParams) -> Name6 | None:
    """Kea's processClientFqdn. Raises FqdnError for a malformed option 39."""
    if data is None:
        if params.enabled and names.supplies_missing_name(params):
            client = Fqdn6(FLAG_S, "", True)
        elif reserved_hostname:
            return Name6(reserved_hostname, False, False, None)
        else:
            return None
    else:
        client = decode(data)
    s, n, o = server_flags(bool(client.flags & FLAG_S), bool(client.flags & FLAG_N), params)
    flags = (FLAG_S if s else 0) | (FLAG_N if n else 0) | (FLAG_O if o else 0)
    if reserved_hostname:
        name = names.reserved_fqdn(reserved_hostname, params, True)
    else:
        name = names.fqdn_name(client.name, client.partial, params)
    return Name6(name, forward=s, reverse=not n, flags=flags)

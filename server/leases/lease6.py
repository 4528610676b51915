"""The DHCPv6 lease record, with the same fields as a row of Kea's memfile v6."""

from __future__ import annotations

from dataclasses import dataclass

from server.leases.lease4 import STATE_DECLINED, STATE_DEFAULT, STATE_EXPIRED_RECLAIMED

TYPE_NA = 0
TYPE_TA = 1
TYPE_PD = 2

__all__ = ["STATE_DECLINED", "STATE_DEFAULT", "STATE_EXPIRED_RECLAIMED", "TYPE_NA", "TYPE_PD", "TYPE_TA", "Lease6"]


@dataclass(slots=True)
class Lease6:
    """One IPv6 lease: an address (IA_NA, IA_TA) or a delegated prefix (IA_PD), as a 128-bit int.

    `cltt` is the client's last transmission time (epoch seconds); `prefix_len` is 128 for addresses.
    `hwaddr` is optional (b"" = none); when it is set, `hwtype` and `hwaddr_source` are written too (1, Ethernet,
    and 0, unknown, when they are None). A declined lease has the one-byte DUID b"\\x00", as Kea's.
    `user_context` is the JSON text as written in the lease file ("" = none).
    Leases handed out by Memfile6 are shared with its index: replace them (dataclasses.replace) rather than
    changing them in place.
    """

    address: int
    duid: bytes
    valid_lifetime: int
    cltt: int
    subnet_id: int
    preferred_lifetime: int
    lease_type: int
    iaid: int
    prefix_len: int
    fqdn_fwd: bool = False
    fqdn_rev: bool = False
    hostname: str = ""
    hwaddr: bytes = b""
    state: int = STATE_DEFAULT
    user_context: str = ""
    hwtype: int | None = None
    hwaddr_source: int | None = None

    @property
    def expire(self) -> int:
        return self.cltt + self.valid_lifetime

"""The DHCPv4 lease record, with the same fields as a row of Kea's memfile."""

from __future__ import annotations

from dataclasses import dataclass

STATE_DEFAULT = 0
STATE_DECLINED = 1
STATE_EXPIRED_RECLAIMED = 2


@dataclass(slots=True)
class Lease4:
    """One IPv4 lease. `address` is an int; `cltt` is the client's last transmission time (epoch seconds).

    `user_context` is kept as the text written in the lease file (Kea writes its own JSON form, see
    `server.leases.csv4.kea_json`); an empty string means none.
    Leases handed out by Memfile4 are shared with its index: replace them (dataclasses.replace) rather than
    changing them in place.
    """

    address: int
    hwaddr: bytes
    client_id: bytes | None
    valid_lifetime: int
    cltt: int
    subnet_id: int
    fqdn_fwd: bool = False
    fqdn_rev: bool = False
    hostname: str = ""
    state: int = STATE_DEFAULT
    user_context: str = ""

    @property
    def expire(self) -> int:
        return self.cltt + self.valid_lifetime

"""Leases as adapters report them, in one shape for every server."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Lease:
    address: str
    subnet_id: int | None = None
    valid_lifetime: int | None = None
    expire: int | None = None
    hwaddr: str | None = None
    client_id: str | None = None
    duid: str | None = None
    iaid: int | None = None
    lease_type: str | None = None  # "NA", "TA", "PD" for v6, None for v4
    prefix_len: int | None = None
    preferred_lifetime: int | None = None
    hostname: str | None = None
    state: int = 0  # 0 default, 1 declined, 2 expired-reclaimed
    fqdn_fwd: bool | None = None  # the server did (or will do) the forward DNS update
    fqdn_rev: bool | None = None  # ... and the reverse one

    def field(self, name: str):
        return getattr(self, name.replace("-", "_"))


_V6_TYPES = {"0": "NA", "1": "TA", "2": "PD"}


def _opt_int(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def _opt_bool(text: str | None) -> bool | None:
    return text.strip() not in ("0", "false") if text not in (None, "") else None


def parse_kea_memfile(text: str) -> list[Lease]:
    """Replay a Kea memfile CSV (v4 or v6) the way Kea loads it: the last row for an
    address wins, and a row with valid_lifetime 0 erases the lease."""
    rows = csv.DictReader(io.StringIO(text))
    leases: dict[tuple[str, str | None], Lease] = {}
    for row in rows:
        if not row.get("address"):
            continue
        v6 = "duid" in row
        lease = Lease(
            address=row["address"],
            subnet_id=_opt_int(row.get("subnet_id")),
            valid_lifetime=_opt_int(row.get("valid_lifetime")),
            expire=_opt_int(row.get("expire")),
            hwaddr=row.get("hwaddr") or None,
            client_id=row.get("client_id") or None,
            duid=row.get("duid") or None,
            iaid=_opt_int(row.get("iaid")),
            lease_type=_V6_TYPES.get(row.get("lease_type", ""), None) if v6 else None,
            prefix_len=_opt_int(row.get("prefix_len")),
            preferred_lifetime=_opt_int(row.get("pref_lifetime")),
            hostname=(row.get("hostname") or "").replace("&#x2c", ",") or None,
            state=_opt_int(row.get("state")) or 0,
            fqdn_fwd=_opt_bool(row.get("fqdn_fwd")),
            fqdn_rev=_opt_bool(row.get("fqdn_rev")),
        )
        key = (lease.address, lease.lease_type)
        if lease.valid_lifetime == 0:
            leases.pop(key, None)
        else:
            leases[key] = lease
    return list(leases.values())

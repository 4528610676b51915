"""Memfile6: the in-memory DHCPv6 lease database backed by a Kea 2.2-compatible CSV lease file.

The file handling (load order, append-before-memory, LFC, the PID file "<file>.pid") is server.leases.memfile's,
shared with Memfile4; this module adds the v6 schema (server.leases.csv6) and the v6 indexes. Leases are keyed by
(lease_type, address), so an address and a delegated prefix with the same first address are two leases.
Known deviation: Kea 2.2 keys its v6 leases by address alone, so kea-lfc keeps only the later of two such rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.leases import memfile
from server.leases.csv6 import (
    COLUMNS,
    HEADER_LINE,
    address_text,
    check_writable,
    format_row,
    parse_header,
    parse_row,
)
from server.leases.lease6 import STATE_DEFAULT, Lease6
from server.leases.memfile import LeaseFileError, MemfileBase, NoSuchLease, Schema, discard

__all__ = ["SCHEMA6", "LeaseFileError", "Memfile6", "NoSuchLease", "read_header", "read_lease_file",
           "write_lease_file"]

Key6 = tuple[int, int]  # (lease_type, address)


def _key(lease: Lease6) -> Key6:
    return (lease.lease_type, lease.address)


def _sort_key(lease: Lease6) -> Key6:
    return (lease.address, lease.lease_type)  # kea-lfc's order: by address


def _describe(lease: Lease6) -> str:
    kind = {0: "IA_NA", 1: "IA_TA", 2: "IA_PD"}.get(lease.lease_type, f"type {lease.lease_type}")
    text = address_text(lease.address)
    return f"{kind} {text}/{lease.prefix_len}" if lease.lease_type == 2 else f"{kind} {text}"


SCHEMA6 = Schema("DHCPv6", COLUMNS, HEADER_LINE, parse_header, parse_row, format_row, check_writable, _key,
                 _sort_key, _describe)


def read_lease_file(path: str, leases: dict[Key6, Lease6], max_row_errors: int = 0) -> tuple[str, ...] | None:
    """Replay the rows of one v6 lease file into `leases` ((lease_type, address) -> Lease6), Kea's way."""
    return memfile.read_lease_file(SCHEMA6, path, leases, max_row_errors)


def read_header(path: str) -> tuple[str, ...] | None:
    """The columns of a v6 lease file's header (None when the file is missing or empty)."""
    return memfile.read_header(SCHEMA6, path)


def write_lease_file(path: str, leases: Iterable[Lease6]) -> None:
    """Write a compacted v6 lease file (header, then one row per lease ordered by address) and fsync it."""
    memfile.write_lease_file(SCHEMA6, path, leases)


class Memfile6(MemfileBase):
    """The v6 lease database. Lookups are dict look-ups: by (lease_type, address), by (duid, iaid, lease_type),
    by duid; counts by (subnet, lease_type, state)."""

    schema = SCHEMA6

    def __init__(self, path: str | None, persist: bool = True, lfc_interval: int = 0, max_row_errors: int = 0):
        super().__init__(path, persist, lfc_interval, max_row_errors)
        self._leases: dict[Key6, Lease6] = {}
        self._keys: dict[Key6, tuple[tuple[bytes, int, int], tuple[int, int, int]]] = {}
        self._by_duid_iaid: dict[tuple[bytes, int, int], dict[Key6, None]] = {}
        self._by_duid: dict[bytes, dict[Key6, None]] = {}
        self._counts: dict[tuple[int, int, int], int] = {}  # (subnet_id, lease_type, state) -> leases

    def get(self, lease_type: int, address: int) -> Lease6 | None:
        return self._leases.get((lease_type, address))

    def get_by_duid_iaid(self, duid: bytes, iaid: int, lease_type: int, subnet_id: int | None = None) -> list[Lease6]:
        """The leases of one IA of a client (of one subnet, or of all when subnet_id is None)."""
        leases = self._leases
        found = [leases[k] for k in self._by_duid_iaid.get((duid, iaid, lease_type), ())]
        if subnet_id is not None:
            found = [x for x in found if x.subnet_id == subnet_id]
        return found

    def get_by_duid(self, duid: bytes) -> list[Lease6]:
        leases = self._leases
        return [leases[k] for k in self._by_duid.get(duid, ())]

    def get_by_hwaddr(self, hwaddr: bytes) -> list[Lease6]:
        return [x for x in self._leases.values() if x.hwaddr == hwaddr]

    def count(self, subnet_id: int, lease_type: int, state: int = STATE_DEFAULT) -> int:
        """Leases of the subnet of that type in that state (Kea's assigned-nas/-pds count state 0, expired or
        not)."""
        return self._counts.get((subnet_id, lease_type, state), 0)

    def _insert(self, key: Key6, lease: Lease6) -> None:
        self._leases[key] = lease
        ia_key = (lease.duid, lease.iaid, lease.lease_type)
        self._by_duid_iaid.setdefault(ia_key, {})[key] = None
        self._by_duid.setdefault(lease.duid, {})[key] = None
        count_key = (lease.subnet_id, lease.lease_type, lease.state)
        self._counts[count_key] = self._counts.get(count_key, 0) + 1
        self._keys[key] = (ia_key, count_key)

    def _remove(self, key: Key6) -> None:
        lease = self._leases.pop(key)
        ia_key, count_key = self._keys.pop(key)
        discard(self._by_duid_iaid, ia_key, key)
        discard(self._by_duid, lease.duid, key)
        self._counts[count_key] -= 1

"""Memfile4: the in-memory DHCPv4 lease database backed by a Kea 2.2-compatible CSV lease file.

The file handling (load order, append-before-memory, LFC, the PID file) is server.leases.memfile's; this module
adds the v4 schema (server.leases.csv4) and the v4 indexes: by address, (hwaddr, subnet), (client-id, subnet).
"""

from __future__ import annotations

from collections.abc import Iterable

from server.leases import memfile
from server.leases.csv4 import (
    COLUMNS,
    HEADER_LINE,
    address_text,
    check_writable,
    format_row,
    parse_header,
    parse_row,
)
from server.leases.lease4 import STATE_DEFAULT, Lease4
from server.leases.memfile import (  # noqa: F401 - re-exported for v4 callers
    SUFFIX_FINISH,
    SUFFIX_INPUT,
    SUFFIX_OUTPUT,
    SUFFIX_PID,
    SUFFIX_PREVIOUS,
    LeaseFileError,
    MemfileBase,
    NoSuchLease,
    Schema,
    discard,
)


def _address(lease: Lease4) -> int:
    return lease.address


def _describe(lease: Lease4) -> str:
    return address_text(lease.address)


SCHEMA4 = Schema("DHCPv4", COLUMNS, HEADER_LINE, parse_header, parse_row, format_row, check_writable, _address,
                 _address, _describe)


def read_lease_file(path: str, leases: dict[int, Lease4], max_row_errors: int = 0) -> tuple[str, ...] | None:
    """Replay the rows of one v4 lease file into `leases` (address -> Lease4), Kea's way (see memfile)."""
    return memfile.read_lease_file(SCHEMA4, path, leases, max_row_errors)


def read_header(path: str) -> tuple[str, ...] | None:
    """The columns of a v4 lease file's header (None when the file is missing or empty)."""
    return memfile.read_header(SCHEMA4, path)


def write_lease_file(path: str, leases: Iterable[Lease4]) -> None:
    """Write a compacted v4 lease file (header, then one row per lease ordered by address) and fsync it."""
    memfile.write_lease_file(SCHEMA4, path, leases)


class Memfile4(MemfileBase):
    """The v4 lease database. Lookups are dict look-ups: by address, by (hwaddr, subnet), by (client-id, subnet)."""

    schema = SCHEMA4

    def __init__(self, path: str | None, persist: bool = True, lfc_interval: int = 0, max_row_errors: int = 0):
        super().__init__(path, persist, lfc_interval, max_row_errors)
        self._leases: dict[int, Lease4] = {}
        self._keys: dict[int, tuple[tuple[bytes, int], tuple[bytes, int] | None, tuple[int, int]]] = {}
        self._by_hwaddr: dict[tuple[bytes, int], dict[int, None]] = {}
        self._by_client_id: dict[tuple[bytes, int], dict[int, None]] = {}
        self._counts: dict[tuple[int, int], int] = {}  # (subnet_id, state) -> leases

    def get(self, address: int) -> Lease4 | None:
        return self._leases.get(address)

    def get_by_hwaddr(self, hwaddr: bytes, subnet_id: int | None = None) -> list[Lease4]:
        """Leases of a hardware address in one subnet (dict look-up), or in every subnet when subnet_id is None."""
        if subnet_id is None:
            return [x for x in self._leases.values() if x.hwaddr == hwaddr]
        leases = self._leases
        return [leases[a] for a in self._by_hwaddr.get((hwaddr, subnet_id), ())]

    def get_by_client_id(self, client_id: bytes, subnet_id: int | None = None) -> list[Lease4]:
        if subnet_id is None:
            return [x for x in self._leases.values() if x.client_id == client_id]
        leases = self._leases
        return [leases[a] for a in self._by_client_id.get((client_id, subnet_id), ())]

    def count(self, subnet_id: int, state: int = STATE_DEFAULT) -> int:
        """Leases of the subnet in that state (Kea's assigned-addresses counts state 0, expired or not)."""
        return self._counts.get((subnet_id, state), 0)

    def _insert(self, address: int, lease: Lease4) -> None:
        self._leases[address] = lease
        hw_key = (lease.hwaddr, lease.subnet_id)
        self._by_hwaddr.setdefault(hw_key, {})[address] = None
        cid_key = None
        if lease.client_id:
            cid_key = (lease.client_id, lease.subnet_id)
            self._by_client_id.setdefault(cid_key, {})[address] = None
        count_key = (lease.subnet_id, lease.state)
        self._counts[count_key] = self._counts.get(count_key, 0) + 1
        self._keys[address] = (hw_key, cid_key, count_key)

    def _remove(self, address: int) -> None:
        del self._leases[address]
        hw_key, cid_key, count_key = self._keys.pop(address)
        discard(self._by_hwaddr, hw_key, address)
        if cid_key is not None:
            discard(self._by_client_id, cid_key, address)
        self._counts[count_key] -= 1

"""Kea 2.2 memfile v4 rows: the header, writing a Lease4 as a row and reading a row back.

The text is what Kea's CSVLeaseFile4 writes: the address dotted-quad; hwaddr and client_id as lower-case
colon-separated hex (client_id empty when there is none); expire = cltt + valid_lifetime; booleans 0/1;
hostname and user_context escaped (',' as "&#x2c" and '&' as "&#x26", as Kea's CSVRow::escapeCharacters does).
"""

from __future__ import annotations

import socket

from server.leases.csvtext import (  # noqa: F401 - re-exported: csv4 is where v4 callers find them
    UINT32_MAX,
    UINT64_MAX,
    RowError,
    escape,
    kea_json,
    parse_context,
    parse_flag,
    parse_hex_id,
    parse_uint,
    unescape,
)
from server.leases.lease4 import STATE_DECLINED, Lease4

COLUMNS = ("address", "hwaddr", "client_id", "valid_lifetime", "expire", "subnet_id", "fqdn_fwd", "fqdn_rev",
           "hostname", "state", "user_context")
HEADER = ",".join(COLUMNS)
HEADER_LINE = (HEADER + "\n").encode()
MIN_COLUMNS = 9  # the oldest schema Kea reads (1.0) ends with hostname
MAX_HWADDR_LEN = 20
MIN_CLIENT_ID_LEN = 2
MAX_CLIENT_ID_LEN = 128  # ClientId::MAX_CLIENT_ID_LEN in Kea 2.2


def address_text(address: int) -> str:
    return f"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}"


# -- rows --------------------------------------------------------------------------------------------------------
def check_writable(lease: Lease4) -> None:
    """Kea refuses to write a lease without a hardware address unless it is declined."""
    if not lease.hwaddr and lease.state != STATE_DECLINED:
        raise ValueError(f"lease {address_text(lease.address)} has an empty hardware address and is not declined")


def format_row(lease: Lease4, valid_lifetime: int | None = None) -> bytes:
    """The row (with its newline) Kea writes for the lease; valid_lifetime overrides the lease's (0 = delete)."""
    a = lease.address
    valid = lease.valid_lifetime if valid_lifetime is None else valid_lifetime
    cid = lease.client_id
    return (f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255},{lease.hwaddr.hex(':')},"
            f"{cid.hex(':') if cid else ''},{valid},{lease.cltt + valid},{lease.subnet_id},"
            f"{1 if lease.fqdn_fwd else 0},{1 if lease.fqdn_rev else 0},{escape(lease.hostname)},{lease.state},"
            f"{escape(lease.user_context)}\n").encode("utf-8", "surrogateescape")


def parse_header(line: str) -> tuple[str, ...]:
    """The columns of a header line; raises RowError when it is not a (possibly older or newer) v4 header."""
    columns = tuple(line.split(","))
    known = min(len(columns), len(COLUMNS))
    if len(columns) < MIN_COLUMNS or columns[:known] != COLUMNS[:known]:
        raise RowError(f"not a Kea DHCPv4 lease file header: {line!r} (expected {HEADER!r})")
    return columns


def parse_row(line: str, ncolumns: int = len(COLUMNS)) -> Lease4:
    """Read one row (without its newline) of a file whose header has ncolumns columns."""
    fields = line.split(",")
    n = len(fields)
    if n < ncolumns and (n < MIN_COLUMNS or ncolumns >= len(COLUMNS)):  # Kea ignores values beyond the columns
        raise RowError(f"{n} values where the header has {ncolumns} columns")
    try:
        address = int.from_bytes(socket.inet_pton(socket.AF_INET, fields[0]), "big")
    except OSError:
        raise RowError(f"address {fields[0]!r} is not an IPv4 address") from None
    hwaddr = parse_hex_id(fields[1], "hwaddr") if fields[1] else b""
    if len(hwaddr) > MAX_HWADDR_LEN:
        raise RowError(f"hwaddr {fields[1]!r} is longer than {MAX_HWADDR_LEN} bytes")
    client_id = None
    if fields[2]:
        client_id = parse_hex_id(fields[2], "client_id", plain=True)
        if not MIN_CLIENT_ID_LEN <= len(client_id) <= MAX_CLIENT_ID_LEN:
            raise RowError(f"client_id {fields[2]!r} is not {MIN_CLIENT_ID_LEN} to {MAX_CLIENT_ID_LEN} bytes long")
    valid = parse_uint(fields[3], "valid_lifetime", UINT32_MAX)
    expire = parse_uint(fields[4], "expire", UINT64_MAX)
    subnet_id = parse_uint(fields[5], "subnet_id", UINT32_MAX)
    fqdn_fwd = parse_flag(fields[6], "fqdn_fwd")
    fqdn_rev = parse_flag(fields[7], "fqdn_rev")
    hostname = unescape(fields[8])
    state = parse_uint(fields[9], "state", UINT32_MAX) if n > 9 else 0
    if not hwaddr and state != STATE_DECLINED:
        raise RowError("hwaddr is empty and the lease is not declined")
    context = parse_context(fields[10]) if n > 10 else ""
    return Lease4(address, hwaddr, client_id, valid, expire - valid, subnet_id, fqdn_fwd, fqdn_rev, hostname, state,
                  context)

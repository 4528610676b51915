"""Kea 2.2 memfile v6 rows: the header, writing a Lease6 as a row and reading a row back.

What Kea's CSVLeaseFile6 writes (checked against kea-lfc -6, tests/server/test_memfile6_kea.py): the address as
inet_ntop writes it (lower case, "::" compressed, "::ffff:1.2.3.4" for mapped ones, prefixes too); the DUID and
hwaddr as lower-case colon-separated hex; expire = cltt + valid_lifetime; lease_type 0 NA, 1 TA, 2 PD;
prefix_len 128 for addresses; booleans 0/1; hostname and user_context escaped as in v4; hwaddr, hwtype and
hwaddr_source all empty when there is no hardware address.

What it reads, as Kea 2.2 does: rows of an older schema (the oldest has 12 columns, up to hostname) get the
missing columns' defaults; the DUID may also be plain hex (an odd digit count gets a leading 0, "0x" allowed) or
space-separated; a hardware address Kea cannot read (bad hex, over 20 bytes, a bad hwtype or hwaddr_source, or
those columns missing from the row) is dropped but the lease kept; an empty hwtype reads as 1 and an empty
hwaddr_source as 0; cltt is (expire - valid_lifetime) modulo 2**32 as Kea keeps it in 32 bits; lease_type
and prefix_len are read as ints, prefix_len kept modulo 256.
Known deviations: Kea also keeps rows whose address is IPv4 or has a "%scope"; lessor skips them.
"""

from __future__ import annotations

import socket

from server.leases.csvtext import (
    UINT16_MAX,
    UINT32_MAX,
    UINT64_MAX,
    RowError,
    escape,
    parse_context,
    parse_flag,
    parse_hex_id,
    parse_int,
    parse_uint,
    unescape,
)
from server.leases.lease6 import STATE_DECLINED, Lease6

COLUMNS = ("address", "duid", "valid_lifetime", "expire", "subnet_id", "pref_lifetime", "lease_type", "iaid",
           "prefix_len", "fqdn_fwd", "fqdn_rev", "hostname", "hwaddr", "state", "user_context", "hwtype",
           "hwaddr_source")
HEADER = ",".join(COLUMNS)
HEADER_LINE = (HEADER + "\n").encode()
MIN_COLUMNS = 12  # the oldest schema Kea reads (1.0) ends with hostname
NEEDED_VALUES = 15  # a row must reach user_context (hwtype and hwaddr_source only matter with a hwaddr)
DEFAULTS = ("", "0", "", "", "")  # hwaddr, state, user_context, hwtype, hwaddr_source for older schemas
MAX_HWADDR_LEN = 20
MAX_DUID_LEN = 128
EMPTY_DUID = b"\x00"  # Kea's DUID::EMPTY(), the DUID of a declined lease
HTYPE_ETHER = 1
HWADDR_SOURCE_UNKNOWN = 0

_AF_INET6 = socket.AF_INET6
_inet_ntop = socket.inet_ntop
_inet_pton = socket.inet_pton


def address_text(address: int) -> str:
    return _inet_ntop(_AF_INET6, address.to_bytes(16, "big"))


def parse_duid(text: str) -> bytes:
    """A DUID as Kea's DUID::fromText reads it (util::str::decodeFormattedHexString)."""
    if ":" in text:
        duid = parse_hex_id(text, "duid")
    elif " " in text:
        duid = parse_hex_id(text.replace(" ", ":"), "duid")
    else:
        body = text[2:] if len(text) > 2 and text.startswith("0x") else text
        try:
            duid = bytes.fromhex(("0" if len(text) % 2 else "") + body) if body.isascii() and "x" not in body else None
        except ValueError:
            duid = None
        if duid is None:
            raise RowError(f"duid {text!r} is not hex")
    if not duid:
        raise RowError("duid is empty")
    if len(duid) > MAX_DUID_LEN:
        raise RowError(f"duid {text!r} is longer than {MAX_DUID_LEN} bytes")
    return duid


def check_writable(lease: Lease6) -> None:
    """What Kea refuses to write (or could not read back): no DUID, or the empty DUID on a lease not declined."""
    duid = lease.duid
    if not duid:
        raise ValueError(f"lease {address_text(lease.address)} has no DUID")
    if duid == EMPTY_DUID and lease.state != STATE_DECLINED:
        raise ValueError(f"lease {address_text(lease.address)} has the empty DUID 00 and is not declined")
    if len(duid) > MAX_DUID_LEN:
        raise ValueError(f"lease {address_text(lease.address)} has a DUID longer than {MAX_DUID_LEN} bytes")
    if len(lease.hwaddr) > MAX_HWADDR_LEN:
        raise ValueError(f"lease {address_text(lease.address)} has a hwaddr longer than {MAX_HWADDR_LEN} bytes")


def format_row(lease: Lease6, valid_lifetime: int | None = None) -> bytes:
    """The row (with its newline) Kea writes for the lease; valid_lifetime overrides the lease's (0 = delete)."""
    valid = lease.valid_lifetime if valid_lifetime is None else valid_lifetime
    hwaddr = lease.hwaddr
    if hwaddr:
        hwtype = HTYPE_ETHER if lease.hwtype is None else lease.hwtype
        source = HWADDR_SOURCE_UNKNOWN if lease.hwaddr_source is None else lease.hwaddr_source
        hw_text, hw_tail = hwaddr.hex(":"), f"{hwtype},{source}"
    else:
        hw_text, hw_tail = "", ","
    hostname = lease.hostname
    if "," in hostname or "&" in hostname:
        hostname = escape(hostname)
    context = lease.user_context
    if context and ("," in context or "&" in context):
        context = escape(context)
    return (f"{_inet_ntop(_AF_INET6, lease.address.to_bytes(16, 'big'))},{lease.duid.hex(':')},{valid},"
            f"{lease.cltt + valid},{lease.subnet_id},{lease.preferred_lifetime},{lease.lease_type},{lease.iaid},"
            f"{lease.prefix_len},{1 if lease.fqdn_fwd else 0},{1 if lease.fqdn_rev else 0},{hostname},{hw_text},"
            f"{lease.state},{context},{hw_tail}\n").encode("utf-8", "surrogateescape")


def parse_header(line: str) -> tuple[str, ...]:
    """The columns of a header line; raises RowError when it is not a (possibly older or newer) v6 header."""
    columns = tuple(line.split(","))
    known = min(len(columns), len(COLUMNS))
    if len(columns) < MIN_COLUMNS or columns[:known] != COLUMNS[:known]:
        raise RowError(f"not a Kea DHCPv6 lease file header: {line!r} (expected {HEADER!r})")
    return columns


def _hwaddr(fields: list[str]) -> tuple[bytes, int | None, int | None]:
    """The hardware address columns, or (b"", None, None) when Kea would drop the hardware address."""
    text = fields[12]
    if not text or len(fields) < len(COLUMNS):
        return b"", None, None
    try:
        hwaddr = parse_hex_id(text, "hwaddr")
        hwtype = parse_uint(fields[15], "hwtype", UINT16_MAX) if fields[15] else HTYPE_ETHER
        source = parse_uint(fields[16], "hwaddr_source", UINT32_MAX) if fields[16] else HWADDR_SOURCE_UNKNOWN
    except RowError:
        return b"", None, None
    if not hwaddr or len(hwaddr) > MAX_HWADDR_LEN:
        return b"", None, None
    return hwaddr, hwtype, source


def parse_row(line: str, ncolumns: int = len(COLUMNS)) -> Lease6:
    """Read one row (without its newline) of a file whose header has ncolumns columns."""
    fields = line.split(",")
    n = len(fields)
    if ncolumns < len(COLUMNS) and n >= ncolumns:  # an older schema: Kea adds the missing columns' defaults
        if n < len(COLUMNS):
            fields += DEFAULTS[n - MIN_COLUMNS:]
    elif n < NEEDED_VALUES:
        raise RowError(f"{n} values where the header has {ncolumns} columns")
    try:
        address = int.from_bytes(_inet_pton(_AF_INET6, fields[0]), "big")
    except OSError:
        raise RowError(f"address {fields[0]!r} is not an IPv6 address") from None
    duid = parse_duid(fields[1])
    valid = parse_uint(fields[2], "valid_lifetime", UINT32_MAX)
    expire = parse_uint(fields[3], "expire", UINT64_MAX)
    subnet_id = parse_uint(fields[4], "subnet_id", UINT32_MAX)
    preferred = parse_uint(fields[5], "pref_lifetime", UINT32_MAX)
    lease_type = parse_int(fields[6], "lease_type")
    iaid = parse_uint(fields[7], "iaid", UINT32_MAX)
    prefix_len = parse_int(fields[8], "prefix_len") & 255
    fqdn_fwd = parse_flag(fields[9], "fqdn_fwd")
    fqdn_rev = parse_flag(fields[10], "fqdn_rev")
    hostname = unescape(fields[11])
    hwaddr, hwtype, source = _hwaddr(fields)
    state = parse_uint(fields[13], "state", UINT32_MAX)
    if duid == EMPTY_DUID and state != STATE_DECLINED:
        raise RowError("the empty DUID 00 is only valid for declined leases")
    context = parse_context(fields[14])
    return Lease6(address, duid, valid, (expire - valid) & UINT32_MAX, subnet_id, preferred, lease_type, iaid,
                  prefix_len, fqdn_fwd, fqdn_rev, hostname, hwaddr, state, context, hwtype, source)

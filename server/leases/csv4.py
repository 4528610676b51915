"""Kea 2.2 memfile v4 rows: the header, writing a Lease4 as a row and reading a row back.

The text is what Kea's CSVLeaseFile4 writes: the address dotted-quad; hwaddr and client_id as lower-case
colon-separated hex (client_id empty when there is none); expire = cltt + valid_lifetime; booleans 0/1;
hostname and user_context escaped (',' as "&#x2c" and '&' as "&#x26", as Kea's CSVRow::escapeCharacters does).
"""

from __future__ import annotations

import json
import math
import re
import socket

from server.leases.lease4 import STATE_DECLINED, Lease4

COLUMNS = ("address", "hwaddr", "client_id", "valid_lifetime", "expire", "subnet_id", "fqdn_fwd", "fqdn_rev",
           "hostname", "state", "user_context")
HEADER = ",".join(COLUMNS)
HEADER_LINE = (HEADER + "\n").encode()
MIN_COLUMNS = 9  # the oldest schema Kea reads (1.0) ends with hostname
MAX_HWADDR_LEN = 20
MIN_CLIENT_ID_LEN = 2
MAX_CLIENT_ID_LEN = 128  # ClientId::MAX_CLIENT_ID_LEN in Kea 2.2
UINT32_MAX = 0xFFFFFFFF
UINT64_MAX = 0xFFFFFFFFFFFFFFFF

_HEX_PART = re.compile(r"[0-9a-fA-F]{1,2}\Z")
_DECIMAL = re.compile(r"\d+\Z", re.ASCII)


class RowError(ValueError):
    """A lease file row that cannot be read; the message names the bad field."""


# -- text helpers ------------------------------------------------------------------------------------------------
def address_text(address: int) -> str:
    return f"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}"


def escape(text: str) -> str:
    """Kea's CSVRow::escapeCharacters(text, ","): the separator and the escape tag's '&' become &#xHH."""
    if "," not in text and "&" not in text:
        return text
    return text.replace("&", "&#x26").replace(",", "&#x2c")


def unescape(text: str) -> str:
    """Kea's CSVRow::unescapeCharacters: every "&#x" followed by two hex digits becomes that byte."""
    if "&#x" not in text:
        return text
    raw = text.encode("utf-8", "surrogateescape")
    raw = re.sub(rb"&#x([0-9a-fA-F]{2})", lambda m: bytes((int(m.group(1), 16),)), raw)
    return raw.decode("utf-8", "surrogateescape")


def kea_json(value) -> str:
    """JSON text as Kea's Element::str() writes it, so that a user context we write matches Kea's row.

    Maps: "{ "k": v, ... }" with keys sorted (and not escaped); lists: "[ a, b ]"; empty ones "{  }" and "[  ]";
    doubles as C++ streams print them (%g) plus ".0" when that has no dot; in strings every byte outside
    0x20..0x7e is written \\u00XX.
    """
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}": {kea_json(value[k])}' for k in sorted(value)) + " }"
    if isinstance(value, list | tuple):
        return "[ " + ", ".join(kea_json(v) for v in value) + " ]"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value!r} cannot be written as JSON")
        text = format(value, "g")
        return text if "." in text else text + ".0"
    if isinstance(value, str):
        return '"' + "".join(_json_char(b) for b in value.encode("utf-8", "surrogateescape")) + '"'
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


_JSON_ESCAPES = {0x22: '\\"', 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def _json_char(b: int) -> str:
    special = _JSON_ESCAPES.get(b)
    if special is not None:
        return special
    if b < 0x20 or b >= 0x7F:
        return f"\\u{b:04x}"
    return chr(b)


def parse_hex_id(text: str, what: str, plain: bool = False) -> bytes:
    """An identifier as Kea reads it: colon-separated hex with 1 or 2 digits a byte (or, with plain=True as for
    client ids, also unseparated hex)."""
    n = len(text)
    if n % 3 == 2 and text[2::3] == ":" * (n // 3):
        try:
            return bytes.fromhex(text.replace(":", ""))
        except ValueError:
            pass
    elif plain and ":" not in text and n % 2 == 0:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    out = bytearray()
    for part in text.split(":"):
        if not _HEX_PART.match(part):
            raise RowError(f"{what} {text!r} is not colon-separated hex")
        out.append(int(part, 16))
    return bytes(out)


def _uint(text: str, what: str, maximum: int) -> int:
    """An unsigned integer as boost::lexical_cast reads it: "-N" is accepted and wraps (Kea reads -1 as max)."""
    digits = text[1:] if text[:1] in "-+" and len(text) > 1 else text
    if not _DECIMAL.match(digits):
        raise RowError(f"{what} {text!r} is not an unsigned integer")
    value = int(digits)
    if value > maximum:
        raise RowError(f"{what} {text} is out of range (max {maximum})")
    return (-value) & maximum if text[0] == "-" else value


def _flag(text: str, what: str) -> bool:
    if text == "1":
        return True
    if text == "0":
        return False
    raise RowError(f"{what} {text!r} is not 0 or 1")


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
    valid = _uint(fields[3], "valid_lifetime", UINT32_MAX)
    expire = _uint(fields[4], "expire", UINT64_MAX)
    subnet_id = _uint(fields[5], "subnet_id", UINT32_MAX)
    fqdn_fwd = _flag(fields[6], "fqdn_fwd")
    fqdn_rev = _flag(fields[7], "fqdn_rev")
    hostname = unescape(fields[8])
    state = _uint(fields[9], "state", UINT32_MAX) if n > 9 else 0
    if not hwaddr and state != STATE_DECLINED:
        raise RowError("hwaddr is empty and the lease is not declined")
    context = ""
    if n > 10 and fields[10]:
        context = unescape(fields[10])
        try:
            parsed = json.loads(context)
        except ValueError as exc:
            raise RowError(f"user_context {context!r} is not JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise RowError(f"user_context {context!r} is not a JSON map")
    return Lease4(address, hwaddr, client_id, valid, expire - valid, subnet_id, fqdn_fwd, fqdn_rev, hostname, state,
                  context)

"""Kea's text form of option data <-> option payload bytes.

``csv-format: true`` data is a comma-separated list of values of the definition's type (``\\,`` is a literal
comma, values are trimmed, empty values skipped, exactly as Kea splits them); ``csv-format: false`` (or no
definition) data is a hex string: ``0a0b0c``, ``0x0a0b0c``, ``0a:0b:0c``, ``0a 0b 0c``, or ``'quoted text'``.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable, Mapping

from server.wire.optiondefs import V6_SPACES, OptionDef

_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_INT_RANGES = {
    "int8": (-(1 << 7), (1 << 7) - 1, ">b"),
    "int16": (-(1 << 15), (1 << 15) - 1, ">h"),
    "int32": (-(1 << 31), (1 << 31) - 1, ">i"),
    "uint8": (0, (1 << 8) - 1, ">B"),
    "uint16": (0, (1 << 16) - 1, ">H"),
    "uint32": (0, (1 << 32) - 1, ">I"),
}


class OptionDataError(ValueError):
    """Option data that does not match its definition; the message names the value and the expected type."""


# ---------------------------------------------------------------------------------------------- text -> bytes

def split_csv(data: str) -> list[str]:
    """Split Kea CSV option data: ``\\,`` is a literal comma; values are trimmed; empty values are dropped."""
    if "\\," not in data:
        return [v for v in (p.strip() for p in data.split(",")) if v]
    values: list[str] = []
    cur: list[str] = []
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == "\\" and i + 1 < n and data[i + 1] == ",":
            cur.append(",")
            i += 2
            continue
        if c == ",":
            values.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    values.append("".join(cur))
    return [v for v in (p.strip() for p in values) if v]


def parse_hex(data: str, what: str = "option data") -> bytes:
    """Kea's hex forms: ``0a0b``, ``0x0a0b`` (odd length gets a leading 0), ``0a:b:0c``, ``0a 0b``, ``'text'``."""
    s = data.strip()
    if not s:
        return b""
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1].encode()
    sep = ":" if ":" in s else (" " if " " in s else "")
    if sep:
        out = bytearray()
        for part in s.split(sep) if sep == ":" else s.split():
            if not 1 <= len(part) <= 2 or not _HEXDIGITS.issuperset(part):
                raise OptionDataError(f"{what}: {data!r} is not a valid hex string (bad octet {part!r})")
            out.append(int(part, 16))
        return bytes(out)
    if s[:2] in ("0x", "0X"):
        s = s[2:]
        if not s:
            raise OptionDataError(f"{what}: {data!r} is not a valid hex string (no digits after 0x)")
    if not _HEXDIGITS.issuperset(s):
        raise OptionDataError(f"{what}: {data!r} is not a valid hex string")
    if len(s) % 2:
        s = "0" + s
    return bytes.fromhex(s)


def _parse_int(value: str, type_: str, what: str) -> bytes:
    lo, hi, fmt = _INT_RANGES[type_]
    v = value.strip()
    try:
        neg = v.startswith("-")
        body = v[1:] if neg else v
        if body[:2] in ("0x", "0X"):
            n = int(body[2:], 16)
        elif body.isdigit():
            n = int(body, 10)
        else:
            raise ValueError
        n = -n if neg else n
    except ValueError:
        raise OptionDataError(f"{what}: {value!r} is not a valid {type_} value") from None
    if not lo <= n <= hi:
        raise OptionDataError(f"{what}: {value!r} is out of range for {type_} ({lo}..{hi})")
    return struct.pack(fmt, n)


def _parse_bool(value: str, what: str) -> bytes:
    v = value.strip().lower()
    if v in ("true", "1"):
        return b"\x01"
    if v in ("false", "0"):
        return b"\x00"
    raise OptionDataError(f"{what}: {value!r} is not a valid boolean value (expected true or false)")


def _parse_ipv4(value: str, what: str) -> bytes:
    try:
        return ipaddress.IPv4Address(value.strip()).packed
    except ValueError:
        raise OptionDataError(f"{what}: {value!r} is not a valid ipv4-address") from None


def _parse_ipv6(value: str, what: str) -> bytes:
    try:
        return ipaddress.IPv6Address(value.strip()).packed
    except ValueError:
        raise OptionDataError(f"{what}: {value!r} is not a valid ipv6-address") from None


def _parse_prefix(value: str, what: str) -> bytes:
    addr, slash, plen = value.strip().partition("/")
    if not slash or not plen.isdigit() or int(plen) > 128:
        raise OptionDataError(f"{what}: {value!r} is not a valid ipv6-prefix (expected address/length)")
    length = int(plen)
    raw = bytearray(_parse_ipv6(addr, what)[: (length + 7) // 8])
    if length % 8:
        raw[-1] &= (0xFF << (8 - length % 8)) & 0xFF
    return bytes((length,)) + bytes(raw)


def _parse_psid(value: str, what: str) -> bytes:
    psid_s, slash, len_s = value.strip().partition("/")
    try:
        if not slash:
            raise ValueError
        psid = int(psid_s.strip(), 0)
        plen = int(len_s.strip(), 10)
    except ValueError:
        raise OptionDataError(f"{what}: {value!r} is not a valid psid (expected psid/psid-length)") from None
    if not 0 <= plen <= 16:
        raise OptionDataError(f"{what}: psid length in {value!r} must be 0..16")
    if psid < 0 or psid >= (1 << plen) and not (plen == 0 and psid == 0):
        raise OptionDataError(f"{what}: psid {psid} in {value!r} does not fit in {plen} bits")
    return struct.pack(">BH", plen, (psid << (16 - plen)) & 0xFFFF if plen else 0)


def encode_fqdn(name: str, what: str = "fqdn") -> bytes:
    """A domain name in DNS wire format (uncompressed, absolute): ``example.com`` -> ``\\x07example\\x03com\\x00``."""
    n = name.strip()
    if n in (".", ""):
        if n == ".":
            return b"\x00"
        raise OptionDataError(f"{what}: empty domain name is not a valid fqdn")
    if n.endswith("."):
        n = n[:-1]
    out = bytearray()
    for label in n.split("."):
        raw = label.encode()
        if not raw:
            raise OptionDataError(f"{what}: {name!r} is not a valid fqdn (empty label)")
        if len(raw) > 63:
            raise OptionDataError(f"{what}: {name!r} is not a valid fqdn (label {label[:20]!r}... over 63 bytes)")
        out.append(len(raw))
        out += raw
    out.append(0)
    if len(out) > 255:
        raise OptionDataError(f"{what}: {name!r} is not a valid fqdn (longer than 255 bytes)")
    return bytes(out)


def _parse_tuple(value: str, what: str, v6: bool = False) -> bytes:
    """An opaque-data tuple: a length (1 byte in DHCPv4, 2 bytes in DHCPv6, RFC 8415 21.16) then the text."""
    raw = value.encode()
    if v6:
        if len(raw) > 65535:
            raise OptionDataError(f"{what}: tuple value {value[:20]!r}... is longer than 65535 bytes")
        return len(raw).to_bytes(2, "big") + raw
    if len(raw) > 255:
        raise OptionDataError(f"{what}: tuple value {value[:20]!r}... is longer than 255 bytes")
    return bytes((len(raw),)) + raw


def _encode_value(value: str, type_: str, what: str, v6: bool = False) -> bytes:
    if type_ in _INT_RANGES:
        return _parse_int(value, type_, what)
    if type_ == "ipv4-address":
        return _parse_ipv4(value, what)
    if type_ == "string":
        return value.encode()
    if type_ == "boolean":
        return _parse_bool(value, what)
    if type_ == "fqdn":
        return encode_fqdn(value, what)
    if type_ == "binary":
        return parse_hex(value, what)
    if type_ == "ipv6-address":
        return _parse_ipv6(value, what)
    if type_ == "ipv6-prefix":
        return _parse_prefix(value, what)
    if type_ == "tuple":
        return _parse_tuple(value, what, v6)
    if type_ == "psid":
        return _parse_psid(value, what)
    raise OptionDataError(f"{what}: values of type {type_!r} cannot be given in option data")


def _label(defn: OptionDef | None, code: int | None) -> str:
    if defn is not None:
        return f"option '{defn.space}.{defn.name}' (code {defn.code})"
    return f"option code {code}" if code is not None else "option"


def _is_v6(defn: OptionDef | None, family: int | None) -> bool:
    if family is not None:
        return family == 6
    return defn is not None and defn.space in V6_SPACES


def encode_option_data(defn: OptionDef | None, data: str, csv_format: bool = True, code: int | None = None,
                       family: int | None = None) -> bytes:
    """The option payload for Kea's option-data ``data`` text. Raises OptionDataError naming value and type.

    ``family`` (4 or 6) only matters for ``tuple`` values (1- or 2-byte length); when None it is 6 for the
    definitions of Kea's DHCPv6 spaces and 4 otherwise."""
    what = _label(defn, code)
    v6 = _is_v6(defn, family)
    if not isinstance(data, str):
        raise OptionDataError(f"{what}: data must be a string, got {type(data).__name__}")
    if defn is None or not csv_format:
        if defn is not None and defn.type == "empty" and not defn.encapsulate:
            return b""
        return parse_hex(data, what)
    t = defn.type
    if t == "empty":
        return b""
    if t == "internal":
        raise OptionDataError(f"{what}: option of internal type cannot be configured in csv-format")
    values = split_csv(data)
    if t == "record":
        fields = defn.record_types
        if len(values) < len(fields):
            raise OptionDataError(
                f"{what}: insufficient number of values for a record of {len(fields)} fields "
                f"({', '.join(fields)}): got {len(values)} in {data!r}")
        out = [_encode_value(values[i], f, f"{what} field {i + 1} ({f})", v6) for i, f in enumerate(fields)]
        if defn.array:
            last = fields[-1]
            out += [_encode_value(v, last, f"{what} field {i + 1} ({last})", v6)
                    for i, v in enumerate(values[len(fields):], len(fields))]
        return b"".join(out)
    if defn.array:
        return b"".join(_encode_value(v, t, what, v6) for v in values)
    if not values:
        if t == "binary":
            return b""
        raise OptionDataError(f"{what}: no value given for an option of type {t}")
    return _encode_value(values[0], t, what, v6)


# ---------------------------------------------------------------------------------------------- bytes -> text

def _need(data: bytes, pos: int, n: int, type_: str, what: str) -> bytes:
    if pos + n > len(data):
        raise OptionDataError(f"{what}: truncated {type_} value at offset {pos} ({len(data) - pos} of {n} bytes)")
    return data[pos:pos + n]


def _decode_fqdn(data: bytes, pos: int, what: str) -> tuple[str, int]:
    labels: list[str] = []
    while True:
        if pos >= len(data):
            raise OptionDataError(f"{what}: truncated fqdn at offset {pos}")
        ln = data[pos]
        pos += 1
        if ln == 0:
            break
        if ln > 63:
            raise OptionDataError(f"{what}: invalid fqdn label length {ln} (compression is not allowed here)")
        labels.append(_need(data, pos, ln, "fqdn", what).decode("utf-8", "backslashreplace"))
        pos += ln
    return (".".join(labels) + ".") if labels else ".", pos


def _decode_value(data: bytes, pos: int, type_: str, what: str, v6: bool = False) -> tuple[str, int]:
    """One value of ``type_`` at ``pos``: (text, new position). Variable-length types take the rest."""
    if type_ in _INT_RANGES:
        fmt = _INT_RANGES[type_][2]
        size = struct.calcsize(fmt)
        return str(struct.unpack(fmt, _need(data, pos, size, type_, what))[0]), pos + size
    if type_ == "ipv4-address":
        return str(ipaddress.IPv4Address(_need(data, pos, 4, type_, what))), pos + 4
    if type_ == "boolean":
        return ("true" if _need(data, pos, 1, type_, what)[0] else "false"), pos + 1
    if type_ == "string":
        return data[pos:].decode("utf-8", "backslashreplace").replace(",", "\\,"), len(data)
    if type_ == "binary":
        return data[pos:].hex(), len(data)
    if type_ == "fqdn":
        return _decode_fqdn(data, pos, what)
    if type_ == "ipv6-address":
        return str(ipaddress.IPv6Address(_need(data, pos, 16, type_, what))), pos + 16
    if type_ == "ipv6-prefix":
        plen = _need(data, pos, 1, type_, what)[0]
        if plen > 128:
            raise OptionDataError(f"{what}: invalid ipv6-prefix length {plen}")
        nbytes = (plen + 7) // 8
        raw = _need(data, pos + 1, nbytes, type_, what).ljust(16, b"\x00")
        return f"{ipaddress.IPv6Address(raw)}/{plen}", pos + 1 + nbytes
    if type_ == "tuple":
        size = 2 if v6 else 1
        ln = int.from_bytes(_need(data, pos, size, type_, what), "big")
        text = _need(data, pos + size, ln, type_, what).decode("utf-8", "backslashreplace")
        return text.replace(",", "\\,"), pos + size + ln
    if type_ == "psid":
        plen, raw = struct.unpack(">BH", _need(data, pos, 3, type_, what))
        if plen > 16:
            raise OptionDataError(f"{what}: invalid psid length {plen}")
        return f"{raw >> (16 - plen) if plen else 0}/{plen}", pos + 3
    raise OptionDataError(f"{what}: cannot decode values of type {type_!r}")


def decode_option_data(defn: OptionDef | None, data: bytes, family: int | None = None) -> str:
    """The Kea csv text of an option payload (hex when there is no definition or for binary/empty/internal)."""
    what = _label(defn, None)
    v6 = _is_v6(defn, family)
    if defn is None or defn.type in ("binary", "empty", "internal"):
        return data.hex()
    t = defn.type
    if t == "record":
        fields = defn.record_types
        out: list[str] = []
        pos = 0
        for f in fields:
            text, pos = _decode_value(data, pos, f, what, v6)
            out.append(text)
        if defn.array:
            while pos < len(data):
                text, pos = _decode_value(data, pos, fields[-1], what, v6)
                out.append(text)
        elif pos != len(data):
            raise OptionDataError(f"{what}: {len(data) - pos} trailing bytes after the record")
        return ", ".join(out)
    if defn.array:
        out = []
        pos = 0
        while pos < len(data):
            text, pos = _decode_value(data, pos, t, what, v6)
            out.append(text)
        return ", ".join(out)
    text, pos = _decode_value(data, 0, t, what, v6)
    if pos != len(data):
        raise OptionDataError(f"{what}: {len(data) - pos} trailing bytes after the {t} value")
    return text


# ---------------------------------------------------------------------------------------------- sub-options

def encode_tlvs(options: Mapping[int, bytes] | Iterable[tuple[int, bytes]]) -> bytes:
    """Code/length/value sub-options (1-byte code and length); values over 255 bytes are split (RFC 3396)."""
    items = options.items() if isinstance(options, Mapping) else options
    out = bytearray()
    for code, value in items:
        if not 1 <= code <= 254:
            raise OptionDataError(f"sub-option code {code} out of range 1..254")
        if not value:
            out += bytes((code, 0))
        for i in range(0, len(value), 255):
            chunk = value[i:i + 255]
            out += bytes((code, len(chunk)))
            out += chunk
    return bytes(out)


def parse_tlvs(data: bytes, what: str = "sub-options") -> dict[int, bytes]:
    """Parse code/length/value sub-options; repeated codes are concatenated (RFC 3396); PAD skipped, END stops."""
    out: dict[int, bytes] = {}
    i, n = 0, len(data)
    while i < n:
        code = data[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            break
        if i + 1 >= n:
            raise OptionDataError(f"{what}: sub-option {code} at offset {i} has no length byte")
        end = i + 2 + data[i + 1]
        if end > n:
            raise OptionDataError(f"{what}: sub-option {code} at offset {i} overruns the buffer "
                                  f"(length {data[i + 1]}, {n - i - 2} bytes left)")
        value = bytes(data[i + 2:end])
        out[code] = out[code] + value if code in out else value
        i = end
    return out

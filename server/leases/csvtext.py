"""Text helpers shared by Kea 2.2's memfile v4 and v6 rows: escaping, Kea's JSON form, hex identifiers and
unsigned integers read the way boost::lexical_cast reads them."""

from __future__ import annotations

import json
import math
import re

UINT16_MAX = 0xFFFF
UINT32_MAX = 0xFFFFFFFF
UINT64_MAX = 0xFFFFFFFFFFFFFFFF
INT32_MIN = -0x80000000
INT32_MAX = 0x7FFFFFFF

_HEX_PART = re.compile(r"[0-9a-fA-F]{1,2}\Z")
_DECIMAL = re.compile(r"\d+\Z", re.ASCII)


class RowError(ValueError):
    """A lease file row that cannot be read; the message names the bad field."""


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


def parse_uint(text: str, what: str, maximum: int) -> int:
    """An unsigned integer as boost::lexical_cast reads it: "-N" is accepted and wraps (Kea reads -1 as max)."""
    digits = text[1:] if text[:1] in "-+" and len(text) > 1 else text
    if not _DECIMAL.match(digits):
        raise RowError(f"{what} {text!r} is not an unsigned integer")
    value = int(digits)
    if value > maximum:
        raise RowError(f"{what} {text} is out of range (max {maximum})")
    return (-value) & maximum if text[0] == "-" else value


def parse_flag(text: str, what: str) -> bool:
    if text == "1":
        return True
    if text == "0":
        return False
    raise RowError(f"{what} {text!r} is not 0 or 1")


def parse_int(text: str, what: str) -> int:
    """A signed int as boost::lexical_cast<int> reads it."""
    digits = text[1:] if text[:1] in "-+" and len(text) > 1 else text
    if not _DECIMAL.match(digits):
        raise RowError(f"{what} {text!r} is not an integer")
    value = -int(digits) if text[0] == "-" else int(digits)
    if not INT32_MIN <= value <= INT32_MAX:
        raise RowError(f"{what} {text} is out of range")
    return value


def parse_context(text: str) -> str:
    """A user_context column: empty, or (unescaped) the text of a JSON map."""
    if not text:
        return ""
    context = unescape(text)
    try:
        parsed = json.loads(context)
    except ValueError as exc:
        raise RowError(f"user_context {context!r} is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise RowError(f"user_context {context!r} is not a JSON map")
    return context

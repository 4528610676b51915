"""The DHCPv6 message codec (RFC 8415 8, 9, 21): client/server messages and relay messages nested to
any depth (up to HOP_COUNT_LIMIT), options as (code, bytes) pairs, and helpers for the IA options."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SOLICIT, ADVERTISE, REQUEST, CONFIRM, RENEW, REBIND, REPLY = 1, 2, 3, 4, 5, 6, 7
RELEASE, DECLINE, RECONFIGURE, INFORMATION_REQUEST, RELAY_FORW, RELAY_REPL = 8, 9, 10, 11, 12, 13
SUCCESS, UNSPEC_FAIL, NO_ADDRS_AVAIL, NO_BINDING, NOT_ON_LINK, USE_MULTICAST, NO_PREFIX_AVAIL = 0, 1, 2, 3, 4, 5, 6
OPTION_RELAY_MSG = 9
OPTION_IAADDR, OPTION_STATUS_CODE, OPTION_IA_NA, OPTION_IA_TA, OPTION_IA_PD, OPTION_IAPREFIX = 5, 13, 3, 4, 25, 26
HOP_COUNT_LIMIT = 32

_HDR = struct.Struct("!HH")
_IA = struct.Struct("!III")
_ADDR_LIFE = struct.Struct("!II")


class ParseError(ValueError):
    """The datagram is not a well-formed DHCPv6 message; the text says why."""


@dataclass(slots=True)
class Message6:
    msg_type: int
    transaction_id: int
    options: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass(slots=True)
class Relay6:
    msg_type: int
    hop_count: int
    link_address: bytes
    peer_address: bytes
    options: list[tuple[int, bytes]] = field(default_factory=list)  # without the relay-msg option
    inner: Message6 | Relay6 | None = None


def parse_options(data: bytes, where: str = "message") -> list[tuple[int, bytes]]:
    out = []
    i, n = 0, len(data)
    unpack = _HDR.unpack_from
    while i < n:
        if i + 4 > n:
            raise ParseError(f"{where}: truncated option header at offset {i}")
        code, length = unpack(data, i)
        end = i + 4 + length
        if end > n:
            raise ParseError(f"{where}: option {code} claims {length} bytes, {n - i - 4} remain")
        out.append((code, data[i + 4:end]))
        i = end
    return out


def encode_options(options) -> bytes:
    pack = _HDR.pack
    return b"".join(pack(code, len(data)) + data for code, data in options)


def decode6(data: bytes) -> Message6 | Relay6:
    return _decode(bytes(data), 0)


def _decode(data: bytes, depth: int) -> Message6 | Relay6:
    if len(data) < 4:
        raise ParseError(f"{len(data)} bytes is shorter than a DHCPv6 header")
    kind = data[0]
    if kind not in (RELAY_FORW, RELAY_REPL):
        return Message6(kind, int.from_bytes(data[1:4], "big"), parse_options(data[4:]))
    if depth >= HOP_COUNT_LIMIT:
        raise ParseError(f"relay messages nested deeper than {HOP_COUNT_LIMIT} levels")
    if len(data) < 34:
        raise ParseError(f"relay header of {len(data)} bytes (34 needed)")
    options = parse_options(data[34:], "relay message")
    inner = [d for c, d in options if c == OPTION_RELAY_MSG]
    if not inner:
        raise ParseError("relay message without a Relay Message option")
    if len(inner) > 1:
        raise ParseError("relay message with more than one Relay Message option")
    return Relay6(kind, data[1], data[2:18], data[18:34], [(c, d) for c, d in options if c != OPTION_RELAY_MSG],
                  _decode(inner[0], depth + 1))


def encode6(msg: Message6 | Relay6) -> bytes:
    if isinstance(msg, Relay6):
        inner = encode6(msg.inner)
        return (bytes((msg.msg_type, msg.hop_count)) + msg.link_address + msg.peer_address
                + encode_options(msg.options) + _HDR.pack(OPTION_RELAY_MSG, len(inner)) + inner)
    return (bytes((msg.msg_type,)) + msg.transaction_id.to_bytes(3, "big") + encode_options(msg.options))


# -- IA helpers ------------------------------------------------------------------------------------
def decode_ia(data: bytes) -> tuple[int, int, int, list[tuple[int, bytes]]]:
    """IA_NA / IA_PD body -> (iaid, T1, T2, sub-options)."""
    if len(data) < 12:
        raise ParseError(f"IA option of {len(data)} bytes (12 needed)")
    iaid, t1, t2 = _IA.unpack_from(data)
    return iaid, t1, t2, parse_options(data[12:], "IA option")


def encode_ia(code: int, iaid: int, t1: int, t2: int, options=()) -> bytes:
    body = _IA.pack(iaid, t1, t2) + b"".join(options)
    return _HDR.pack(code, len(body)) + body


def decode_ia_ta(data: bytes) -> tuple[int, list[tuple[int, bytes]]]:
    if len(data) < 4:
        raise ParseError(f"IA_TA option of {len(data)} bytes (4 needed)")
    return int.from_bytes(data[:4], "big"), parse_options(data[4:], "IA_TA option")


def encode_ia_ta(iaid: int, options=()) -> bytes:
    body = iaid.to_bytes(4, "big") + b"".join(options)
    return _HDR.pack(OPTION_IA_TA, len(body)) + body


def decode_iaaddr(data: bytes) -> tuple[bytes, int, int, list[tuple[int, bytes]]]:
    if len(data) < 24:
        raise ParseError(f"IA Address option of {len(data)} bytes (24 needed)")
    preferred, valid = _ADDR_LIFE.unpack_from(data, 16)
    return data[:16], preferred, valid, parse_options(data[24:], "IA Address option")


def encode_iaaddr(address: bytes, preferred: int, valid: int, options=()) -> bytes:
    body = address + _ADDR_LIFE.pack(preferred, valid) + b"".join(options)
    return _HDR.pack(OPTION_IAADDR, len(body)) + body


def decode_iaprefix(data: bytes) -> tuple[int, int, int, bytes, list[tuple[int, bytes]]]:
    if len(data) < 25:
        raise ParseError(f"IA Prefix option of {len(data)} bytes (25 needed)")
    preferred, valid = _ADDR_LIFE.unpack_from(data)
    return preferred, valid, data[8], data[9:25], parse_options(data[25:], "IA Prefix option")


def encode_iaprefix(preferred: int, valid: int, prefix_len: int, prefix: bytes, options=()) -> bytes:
    body = _ADDR_LIFE.pack(preferred, valid) + bytes((prefix_len,)) + prefix + b"".join(options)
    return _HDR.pack(OPTION_IAPREFIX, len(body)) + body


def encode_status(code: int, message: str = "") -> bytes:
    body = code.to_bytes(2, "big") + message.encode()
    return _HDR.pack(OPTION_STATUS_CODE, len(body)) + body


def decode_status(data: bytes) -> tuple[int, str]:
    if len(data) < 2:
        raise ParseError("Status Code option shorter than 2 bytes")
    return int.from_bytes(data[:2], "big"), data[2:].decode("utf-8", "replace")

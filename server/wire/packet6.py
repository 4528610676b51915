"""The DHCPv6 message codec (RFC 8415 sections 8, 9 and 21).

Client/server messages (:class:`Message6`) and relay messages (:class:`Relay6`) nested to any depth up to
HOP_COUNT_LIMIT; options are kept as ``(code, bytes)`` pairs in wire order (repeats allowed), and plain
bytes-in/bytes-out helpers build and read the IA options. Hot path: ``struct.unpack_from`` over one buffer,
no per-option objects beyond the tuples, iterative (not recursive) relay handling.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

# Message types (RFC 8415 7.3).
SOLICIT = 1
ADVERTISE = 2
REQUEST = 3
CONFIRM = 4
RENEW = 5
REBIND = 6
REPLY = 7
RELEASE = 8
DECLINE = 9
RECONFIGURE = 10
INFORMATION_REQUEST = 11
RELAY_FORW = 12
RELAY_REPL = 13

MESSAGE_TYPE_NAMES = {
    SOLICIT: "SOLICIT", ADVERTISE: "ADVERTISE", REQUEST: "REQUEST", CONFIRM: "CONFIRM", RENEW: "RENEW",
    REBIND: "REBIND", REPLY: "REPLY", RELEASE: "RELEASE", DECLINE: "DECLINE", RECONFIGURE: "RECONFIGURE",
    INFORMATION_REQUEST: "INFORMATION_REQUEST", RELAY_FORW: "RELAY_FORW", RELAY_REPL: "RELAY_REPL",
    14: "LEASEQUERY", 15: "LEASEQUERY_REPLY", 16: "LEASEQUERY_DONE", 17: "LEASEQUERY_DATA",
    20: "DHCPV4_QUERY", 21: "DHCPV4_RESPONSE",
}

# Status codes (RFC 8415 21.13).
SUCCESS = 0
UNSPEC_FAIL = 1
NO_ADDRS_AVAIL = 2
NO_BINDING = 3
NOT_ON_LINK = 4
USE_MULTICAST = 5
NO_PREFIX_AVAIL = 6

STATUS_NAMES = {
    SUCCESS: "Success", UNSPEC_FAIL: "UnspecFail", NO_ADDRS_AVAIL: "NoAddrsAvail", NO_BINDING: "NoBinding",
    NOT_ON_LINK: "NotOnLink", USE_MULTICAST: "UseMulticast", NO_PREFIX_AVAIL: "NoPrefixAvail",
}

# Option codes the codec itself needs (the full table is server.wire.optiondefs.STANDARD_V6_DEFS).
OPTION_CLIENTID = 1
OPTION_SERVERID = 2
OPTION_IA_NA = 3
OPTION_IA_TA = 4
OPTION_IAADDR = 5
OPTION_ORO = 6
OPTION_PREFERENCE = 7
OPTION_ELAPSED_TIME = 8
OPTION_RELAY_MSG = 9
OPTION_UNICAST = 12
OPTION_STATUS_CODE = 13
OPTION_RAPID_COMMIT = 14
OPTION_INTERFACE_ID = 18
OPTION_IA_PD = 25
OPTION_IAPREFIX = 26

HOP_COUNT_LIMIT = 32          # RFC 8415 7.6: relay messages nested deeper than this are refused
HEADER_LEN = 4                # msg-type + transaction-id
RELAY_HEADER_LEN = 34         # msg-type + hop-count + link-address + peer-address

_HDR = struct.Struct("!HH")
_UNPACK_HDR = _HDR.unpack_from
_PACK_HDR = _HDR.pack
_IA = struct.Struct("!III")
_ADDR_LIFE = struct.Struct("!II")
_PREFIX = struct.Struct("!IIB16s")
_STATUS = struct.Struct("!H")
_RELAY_TYPES = frozenset((RELAY_FORW, RELAY_REPL))


class ParseError(ValueError):
    """A datagram that is not a well-formed DHCPv6 message; the text says why (and where)."""


@dataclass(slots=True)
class Message6:
    msg_type: int
    transaction_id: int
    options: list[tuple[int, bytes]] = field(default_factory=list)

    def get(self, code: int) -> bytes | None:
        """The payload of the first option ``code``, or None."""
        for c, data in self.options:
            if c == code:
                return data
        return None

    def get_all(self, code: int) -> list[bytes]:
        """The payloads of every option ``code``, in wire order."""
        return [data for c, data in self.options if c == code]


@dataclass(slots=True)
class Relay6:
    msg_type: int                       # RELAY_FORW (12) or RELAY_REPL (13)
    hop_count: int
    link_address: bytes                 # 16 bytes
    peer_address: bytes                 # 16 bytes
    options: list[tuple[int, bytes]] = field(default_factory=list)  # without the relay-msg option (9)
    inner: Message6 | Relay6 | None = None

    def get(self, code: int) -> bytes | None:
        """The payload of the first option ``code`` of this relay level, or None."""
        for c, data in self.options:
            if c == code:
                return data
        return None

    def get_all(self, code: int) -> list[bytes]:
        return [data for c, data in self.options if c == code]


def innermost(msg: Message6 | Relay6) -> tuple[list[Relay6], Message6]:
    """The relay levels outermost first, and the client/server message they carry."""
    relays: list[Relay6] = []
    while isinstance(msg, Relay6):
        relays.append(msg)
        msg = msg.inner
    if msg is None:
        raise ValueError("relay message without an inner message")
    return relays, msg


# -- options ---------------------------------------------------------------------------------------

def _parse(data: bytes, i: int, n: int, where: str) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    append = out.append
    unpack = _UNPACK_HDR
    while i < n:
        if i + 4 > n:
            raise ParseError(f"{where}: truncated option header at offset {i} ({n - i} of 4 bytes)")
        code, length = unpack(data, i)
        i += 4
        end = i + length
        if end > n:
            raise ParseError(f"{where}: option {code} at offset {i - 4} claims {length} bytes, {n - i} remain")
        append((code, data[i:end]))
        i = end
    return out


def parse_options(data: bytes, where: str = "options") -> list[tuple[int, bytes]]:
    """Code/length/value options (2-byte code and length) -> [(code, payload)] in wire order."""
    if not isinstance(data, bytes):
        data = bytes(data)
    return _parse(data, 0, len(data), where)


def encode_options(options: Iterable[tuple[int, bytes]]) -> bytes:
    """[(code, payload)] -> wire bytes. Raises ValueError for a code or a payload that does not fit."""
    pack = _PACK_HDR
    try:
        return b"".join([pack(code, len(data)) + data for code, data in options])
    except struct.error as exc:
        if not isinstance(options, (list, tuple)):
            raise ValueError(f"cannot encode options: {exc}") from None
        for code, data in options:
            if not isinstance(code, int) or not 0 <= code <= 0xFFFF:
                raise ValueError(f"option code {code!r} out of range 0..65535") from None
            if len(data) > 0xFFFF:
                raise ValueError(f"option {code}: payload of {len(data)} bytes exceeds 65535") from None
        raise ValueError(f"cannot encode options: {exc}") from None


# -- messages --------------------------------------------------------------------------------------

def decode6(data: bytes) -> Message6 | Relay6:
    """One UDP payload -> Message6, or Relay6 chain (outermost first) ending in a Message6.

    Raises ParseError naming the problem: shorter than 4 bytes, a truncated option, a relay header under
    34 bytes, a relay without (or with several) Relay Message options, relays nested deeper than 32."""
    if not isinstance(data, bytes):
        data = bytes(data)
    relays: list[Relay6] = []
    while True:
        n = len(data)
        if n < HEADER_LEN:
            raise ParseError(f"{_level(relays)}{n} bytes is shorter than a DHCPv6 header (4 bytes)")
        kind = data[0]
        if kind not in _RELAY_TYPES:
            msg: Message6 | Relay6 = Message6(kind, int.from_bytes(data[1:4], "big"),
                                              _parse(data, 4, n, f"{_level(relays)}message"))
            break
        if len(relays) >= HOP_COUNT_LIMIT:
            raise ParseError(f"relay messages nested deeper than {HOP_COUNT_LIMIT} levels (HOP_COUNT_LIMIT)")
        where = f"relay level {len(relays) + 1}"
        if n < RELAY_HEADER_LEN:
            raise ParseError(f"{where}: relay header of {n} bytes ({RELAY_HEADER_LEN} needed)")
        inner = None
        options = []
        for opt in _parse(data, RELAY_HEADER_LEN, n, where):
            if opt[0] == OPTION_RELAY_MSG:
                if inner is not None:
                    raise ParseError(f"{where}: relay message with more than one Relay Message option")
                inner = opt[1]
            else:
                options.append(opt)
        if inner is None:
            raise ParseError(f"{where}: relay message without a Relay Message option")
        relays.append(Relay6(kind, data[1], data[2:18], data[18:34], options, None))
        data = inner
    for relay in reversed(relays):
        relay.inner = msg
        msg = relay
    return msg


def _level(relays: list) -> str:
    return f"inside relay level {len(relays)}: " if relays else ""


def encode6(msg: Message6 | Relay6) -> bytes:
    """Message6 or Relay6 chain -> UDP payload (each relay level: its options, then Relay Message)."""
    relays: list[Relay6] = []
    while isinstance(msg, Relay6):
        relays.append(msg)
        msg = msg.inner
    if not isinstance(msg, Message6):
        raise ValueError(f"relay message must carry a Message6 or Relay6, not {type(msg).__name__}")
    if not 0 <= msg.msg_type <= 255 or not 0 <= msg.transaction_id <= 0xFFFFFF:
        raise ValueError(f"message type {msg.msg_type} or transaction id {msg.transaction_id:#x} out of range")
    out = bytes((msg.msg_type,)) + msg.transaction_id.to_bytes(3, "big") + encode_options(msg.options)
    for relay in reversed(relays):
        if len(relay.link_address) != 16 or len(relay.peer_address) != 16:
            raise ValueError("relay link-address and peer-address must be 16 bytes each")
        if len(out) > 0xFFFF:
            raise ValueError(f"relayed message of {len(out)} bytes does not fit a Relay Message option")
        out = b"".join((bytes((relay.msg_type, relay.hop_count)), relay.link_address, relay.peer_address,
                        encode_options(relay.options), _PACK_HDR(OPTION_RELAY_MSG, len(out)), out))
    return out


# -- IA helpers (bytes in, bytes out) --------------------------------------------------------------

def _body(options: Iterable[bytes | tuple[int, bytes]]) -> bytes:
    """Sub-options given as TLV bytes (e.g. from encode_iaaddr) or as (code, payload) pairs."""
    return b"".join([o if isinstance(o, (bytes, bytearray)) else _PACK_HDR(o[0], len(o[1])) + o[1]
                     for o in options])


def _tlv(code: int, body: bytes) -> bytes:
    if len(body) > 0xFFFF:
        raise ValueError(f"option {code}: payload of {len(body)} bytes exceeds 65535")
    return _PACK_HDR(code, len(body)) + body


def decode_ia(data: bytes) -> tuple[int, int, int, list[tuple[int, bytes]]]:
    """IA_NA / IA_PD payload -> (iaid, T1, T2, sub-options)."""
    if len(data) < 12:
        raise ParseError(f"IA option of {len(data)} bytes (12 needed)")
    iaid, t1, t2 = _IA.unpack_from(data)
    return iaid, t1, t2, _parse(data, 12, len(data), "IA option")


def encode_ia(code: int, iaid: int, t1: int, t2: int, options: Iterable[bytes | tuple[int, bytes]] = ()) -> bytes:
    """The whole IA_NA (3) / IA_PD (25) option, code and length included."""
    return _tlv(code, _IA.pack(iaid, t1, t2) + _body(options))


def decode_ia_ta(data: bytes) -> tuple[int, list[tuple[int, bytes]]]:
    """IA_TA payload -> (iaid, sub-options)."""
    if len(data) < 4:
        raise ParseError(f"IA_TA option of {len(data)} bytes (4 needed)")
    return int.from_bytes(data[:4], "big"), _parse(data, 4, len(data), "IA_TA option")


def encode_ia_ta(iaid: int, options: Iterable[bytes | tuple[int, bytes]] = ()) -> bytes:
    """The whole IA_TA (4) option."""
    return _tlv(OPTION_IA_TA, iaid.to_bytes(4, "big") + _body(options))


def decode_iaaddr(data: bytes) -> tuple[bytes, int, int, list[tuple[int, bytes]]]:
    """IA Address payload -> (address: 16 bytes, preferred lifetime, valid lifetime, sub-options)."""
    if len(data) < 24:
        raise ParseError(f"IA Address option of {len(data)} bytes (24 needed)")
    preferred, valid = _ADDR_LIFE.unpack_from(data, 16)
    return data[:16], preferred, valid, _parse(data, 24, len(data), "IA Address option")


def encode_iaaddr(address: bytes, preferred: int, valid: int,
                  options: Iterable[bytes | tuple[int, bytes]] = ()) -> bytes:
    """The whole IA Address (5) option."""
    if len(address) != 16:
        raise ValueError(f"IA Address: address must be 16 bytes, got {len(address)}")
    return _tlv(OPTION_IAADDR, address + _ADDR_LIFE.pack(preferred, valid) + _body(options))


def decode_iaprefix(data: bytes) -> tuple[int, int, int, bytes, list[tuple[int, bytes]]]:
    """IA Prefix payload -> (preferred lifetime, valid lifetime, prefix length, prefix: 16 bytes, sub-options)."""
    if len(data) < 25:
        raise ParseError(f"IA Prefix option of {len(data)} bytes (25 needed)")
    preferred, valid, prefix_len, prefix = _PREFIX.unpack_from(data)
    return preferred, valid, prefix_len, prefix, _parse(data, 25, len(data), "IA Prefix option")


def encode_iaprefix(preferred: int, valid: int, prefix_len: int, prefix: bytes,
                    options: Iterable[bytes | tuple[int, bytes]] = ()) -> bytes:
    """The whole IA Prefix (26) option."""
    if len(prefix) != 16:
        raise ValueError(f"IA Prefix: prefix must be 16 bytes, got {len(prefix)}")
    return _tlv(OPTION_IAPREFIX, _PREFIX.pack(preferred, valid, prefix_len, prefix) + _body(options))


def encode_status(code: int, message: str = "") -> bytes:
    """The whole Status Code (13) option: code and UTF-8 message."""
    return _tlv(OPTION_STATUS_CODE, _STATUS.pack(code) + message.encode())


def decode_status(data: bytes) -> tuple[int, str]:
    """Status Code payload -> (code, message)."""
    if len(data) < 2:
        raise ParseError(f"Status Code option of {len(data)} bytes (2 needed)")
    return _STATUS.unpack_from(data)[0], data[2:].decode("utf-8", "replace")

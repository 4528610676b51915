"""DHCPv4 packet decode/encode (RFC 2131 header, RFC 2132 options, RFC 3396 long options, option 52 overload).

Hot path: plain bytes, one struct call for the fixed header, a tight loop over the options.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass, field

MAGIC_COOKIE = b"\x63\x82\x53\x63"
HEADER_LEN = 236          # fixed BOOTP header, up to the magic cookie
MIN_PACKET_LEN = 240      # header + magic cookie
BOOTP_MIN_LEN = 300       # replies are padded to at least this many bytes

OPT_PAD = 0
OPT_OVERLOAD = 52
OPT_MESSAGE_TYPE = 53
OPT_END = 255

BOOTREQUEST = 1
BOOTREPLY = 2

DHCPDISCOVER = 1
DHCPOFFER = 2
DHCPREQUEST = 3
DHCPDECLINE = 4
DHCPACK = 5
DHCPNAK = 6
DHCPRELEASE = 7
DHCPINFORM = 8

MESSAGE_TYPE_NAMES = {
    1: "DHCPDISCOVER", 2: "DHCPOFFER", 3: "DHCPREQUEST", 4: "DHCPDECLINE", 5: "DHCPACK", 6: "DHCPNAK",
    7: "DHCPRELEASE", 8: "DHCPINFORM", 9: "DHCPFORCERENEW", 10: "DHCPLEASEQUERY", 11: "DHCPLEASEUNASSIGNED",
    12: "DHCPLEASEUNKNOWN", 13: "DHCPLEASEACTIVE", 14: "DHCPBULKLEASEQUERY", 15: "DHCPLEASEQUERYDONE",
    16: "DHCPACTIVELEASEQUERY", 17: "DHCPLEASEQUERYSTATUS", 18: "DHCPTLS",
}

# op htype hlen hops xid secs flags ciaddr yiaddr siaddr giaddr chaddr sname file cookie
_HEADER = struct.Struct("!BBBBIHHIIII16s64s128s4s")
_UNPACK_FIXED = struct.Struct("!BBBBIHHIIII").unpack_from
_PACK_HEADER = _HEADER.pack
_CODE_LEN = tuple(tuple(bytes((c, n)) for n in range(256)) for c in range(256))
_PAD_TAIL = b"\x00" * BOOTP_MIN_LEN


class ParseError(ValueError):
    """A DHCPv4 packet that cannot be decoded; the message says why."""


@dataclass(slots=True)
class Packet4:
    op: int = BOOTREQUEST
    htype: int = 1
    hlen: int = 6
    hops: int = 0
    xid: int = 0
    secs: int = 0
    flags: int = 0
    ciaddr: int = 0
    yiaddr: int = 0
    siaddr: int = 0
    giaddr: int = 0
    chaddr: bytes = b""
    sname: bytes = b""
    file: bytes = b""
    options: dict[int, bytes] = field(default_factory=dict)

    @property
    def msg_type(self) -> int | None:
        v = self.options.get(OPT_MESSAGE_TYPE)
        return v[0] if v else None

    @property
    def broadcast(self) -> bool:
        return bool(self.flags & 0x8000)


def _parse_options(data: bytes, i: int, n: int, opts: dict[int, bytes], where: str) -> None:
    while i < n:
        code = data[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            return
        if i + 1 >= n:
            raise ParseError(f"option {code} at offset {i} in the {where} has no length byte")
        j = i + 2 + data[i + 1]
        if j > n:
            raise ParseError(f"option {code} at offset {i} in the {where} overruns it "
                             f"(length {data[i + 1]}, only {n - i - 2} bytes left)")
        if code in opts:
            opts[code] += data[i + 2:j]       # RFC 3396: concatenate split instances
        else:
            opts[code] = data[i + 2:j]
        i = j


def decode4(data: bytes) -> Packet4:
    """Decode a DHCPv4 packet. Raises ParseError with a reason if it is malformed.

    Option 52 (overload) is applied and then dropped from ``options``; overloaded sname/file fields come
    back empty (their contents were options). Trailing NULs of sname and file are stripped.
    """
    if type(data) is not bytes:
        data = bytes(data)
    n = len(data)
    if n < MIN_PACKET_LEN:
        raise ParseError(f"packet too short: {n} bytes, a DHCPv4 packet has at least {MIN_PACKET_LEN}")
    if data[236:240] != MAGIC_COOKIE:
        raise ParseError(f"bad magic cookie {data[236:240].hex()} (expected 63825363)")
    op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr = _UNPACK_FIXED(data)
    if hlen > 16:
        raise ParseError(f"hlen {hlen} is larger than the 16-byte chaddr field")
    opts: dict[int, bytes] = {}
    _parse_options(data, 240, n, opts, "options field")
    sname = data[44:108]
    file = data[108:236]
    overload = opts.pop(OPT_OVERLOAD, None)
    if overload is not None and len(overload) == 1 and 1 <= overload[0] <= 3:
        ov = overload[0]
        if ov & 1:
            _parse_options(data, 108, 236, opts, "file field (overloaded)")
            file = b""
        if ov & 2:
            _parse_options(data, 44, 108, opts, "sname field (overloaded)")
            sname = b""
        opts.pop(OPT_OVERLOAD, None)
    return Packet4(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
                   data[28:28 + hlen], sname.rstrip(b"\x00"), file.rstrip(b"\x00"), opts)


def encode4(pkt: Packet4) -> bytes:
    """Encode a packet: option 53 first, the others in dict order, END, padded to 300 bytes.

    Options longer than 255 bytes are split into several instances (RFC 3396). Option 52 is never written
    (encode4 does not overload sname/file). Raises ValueError for out-of-range fields.
    """
    if len(pkt.chaddr) > 16 or len(pkt.sname) > 64 or len(pkt.file) > 128:
        raise ValueError(f"chaddr/sname/file too long ({len(pkt.chaddr)}/{len(pkt.sname)}/{len(pkt.file)} bytes, "
                         "max 16/64/128)")
    try:
        head = _PACK_HEADER(pkt.op, pkt.htype, pkt.hlen, pkt.hops, pkt.xid, pkt.secs, pkt.flags, pkt.ciaddr,
                            pkt.yiaddr, pkt.siaddr, pkt.giaddr, pkt.chaddr, pkt.sname, pkt.file, MAGIC_COOKIE)
    except struct.error as exc:
        raise ValueError(f"DHCPv4 header field out of range: {exc}") from None
    parts = [head]
    append = parts.append
    opts = pkt.options
    mt = opts.get(OPT_MESSAGE_TYPE)
    if mt is not None:
        _append_option(append, OPT_MESSAGE_TYPE, mt)
    for code, value in opts.items():
        if code in (OPT_MESSAGE_TYPE, OPT_OVERLOAD):
            continue
        ln = len(value)
        if ln <= 255 and 0 < code < 255:
            append(_CODE_LEN[code][ln])
            append(value)
        else:
            _append_option(append, code, value)
    append(b"\xff")
    out = b"".join(parts)
    if len(out) < BOOTP_MIN_LEN:
        out += _PAD_TAIL[: BOOTP_MIN_LEN - len(out)]
    return out


def _append_option(append, code: int, value: bytes) -> None:
    if not 0 < code < 255:
        raise ValueError(f"option code {code} cannot be encoded (0 is PAD, 255 is END)")
    ln = len(value)
    if ln == 0:
        append(_CODE_LEN[code][0])
        return
    for i in range(0, ln, 255):
        chunk = value[i:i + 255]
        append(_CODE_LEN[code][len(chunk)])
        append(chunk)


def ip4(text: str) -> int:
    """Dotted quad -> int (raises ValueError)."""
    try:
        return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except OSError:
        raise ValueError(f"{text!r} is not a valid IPv4 address") from None


def ip4_str(addr: int) -> str:
    """int -> dotted quad."""
    return socket.inet_ntoa(addr.to_bytes(4, "big"))

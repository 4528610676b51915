"""DHCPv4 on the tester side: scapy builders and a reader for what comes back."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field

from scapy.layers.dhcp import BOOTP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw

from forge.packets import fqdn, values
from forge.packets.options import V4_CODES

MESSAGE_TYPES = {
    "DISCOVER": 1, "OFFER": 2, "REQUEST": 3, "DECLINE": 4, "ACK": 5, "NAK": 6, "RELEASE": 7, "INFORM": 8,
}
MESSAGE_NAMES = {v: k for k, v in MESSAGE_TYPES.items()}
MAGIC = b"\x63\x82\x53\x63"
BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"


def message_type(name: str) -> int:
    key = name.upper().removeprefix("DHCP")
    if key not in MESSAGE_TYPES:
        raise KeyError(f"unknown DHCPv4 message type {name!r}; one of {', '.join(MESSAGE_TYPES)}")
    return MESSAGE_TYPES[key]


def tlv(code: int, data: bytes) -> bytes:
    if len(data) > 255:
        raise ValueError(f"option {code} is {len(data)} bytes; DHCPv4 options hold at most 255")
    return bytes([code, len(data)]) + data


def relay_agent_information(circuit_id: bytes | None = None, remote_id: bytes | None = None) -> bytes:
    """Option 82 data (RFC 3046): sub-option 1 circuit-id, 2 remote-id."""
    data = b""
    if circuit_id is not None:
        data += tlv(1, circuit_id)
    if remote_id is not None:
        data += tlv(2, remote_id)
    return data


@dataclass
class Relay4:
    address: str  # giaddr, and the relay's own source address
    agent_options: bytes | None = None  # option 82 data, None to send none
    hops: int = 1


@dataclass
class Message4:
    """Everything needed to put one DHCPv4 client message on the wire."""

    msg_type: int
    chaddr: str
    xid: int = field(default_factory=lambda: random.getrandbits(32))
    options: list[tuple[int, bytes]] = field(default_factory=list)  # in wire order, after option 53
    ciaddr: str = "0.0.0.0"
    yiaddr: str = "0.0.0.0"
    siaddr: str = "0.0.0.0"
    giaddr: str | None = None
    flags: int = 0
    hops: int = 0
    secs: int = 0
    htype: int = 1
    relay: Relay4 | None = None
    omit_message_type: bool = False
    src_ip: str | None = None  # None: 0.0.0.0, or ciaddr when unicast
    dst_ip: str | None = None  # None: broadcast, or the server when relayed
    dst_mac: str | None = None
    trailing: bytes = b""  # raw bytes appended after the end option

    def options_bytes(self) -> bytes:
        data = b"" if self.omit_message_type else tlv(53, bytes([self.msg_type]))
        for code, value in self.options:
            data += tlv(code, value)
        if self.relay is not None and self.relay.agent_options is not None:
            data += tlv(82, self.relay.agent_options)  # RFC 3046: the relay appends it last
        return data + b"\xff" + self.trailing


def build(msg: Message4, *, client_mac: str, relay_mac: str, server_mac: str, server_ip: str) -> Packet:
    """The frame for a client message: broadcast from the client, unicast from ciaddr, or via a relay."""
    chaddr = bytes.fromhex(msg.chaddr.replace(":", "").replace("-", ""))
    giaddr = msg.giaddr or (msg.relay.address if msg.relay else "0.0.0.0")
    bootp = BOOTP(op=1, htype=msg.htype, hlen=len(chaddr), hops=msg.relay.hops if msg.relay else msg.hops,
                  xid=msg.xid, secs=msg.secs, flags=msg.flags, ciaddr=msg.ciaddr, yiaddr=msg.yiaddr,
                  siaddr=msg.siaddr, giaddr=giaddr, chaddr=chaddr.ljust(16, b"\x00"), options=MAGIC)
    if msg.relay is not None:
        frame = (Ether(src=relay_mac, dst=msg.dst_mac or server_mac)
                 / IP(src=msg.relay.address, dst=msg.dst_ip or server_ip) / UDP(sport=67, dport=67))
    elif msg.dst_ip:
        frame = (Ether(src=client_mac, dst=msg.dst_mac or server_mac)
                 / IP(src=msg.src_ip or msg.ciaddr, dst=msg.dst_ip) / UDP(sport=68, dport=67))
    else:
        frame = (Ether(src=client_mac, dst=msg.dst_mac or BROADCAST_MAC)
                 / IP(src=msg.src_ip or "0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67))
    # Options go in as raw bytes so features control them exactly (including malformed ones).
    return frame / bootp / Raw(load=msg.options_bytes())


@dataclass
class Response4:
    """A DHCPv4 packet the server sent, with its options read straight from the bytes."""

    frame: Packet
    op: int
    xid: int
    flags: int
    ciaddr: str
    yiaddr: str
    siaddr: str
    giaddr: str
    chaddr: str
    hops: int
    sname: bytes
    file: bytes
    options: list[tuple[int, bytes]]
    malformed: str | None = None

    @property
    def msg_type(self) -> int | None:
        value = self.option(53)
        return value[0] if value else None

    @property
    def type_name(self) -> str:
        return MESSAGE_NAMES.get(self.msg_type or 0, f"type-{self.msg_type}")

    def option(self, code: int) -> bytes | None:
        """The option's data, with split instances (RFC 3396) joined; None when absent."""
        parts = [data for c, data in self.options if c == code]
        return b"".join(parts) if parts else None

    def field(self, name: str) -> str:
        key = name.lower()
        if key in ("sname", "file"):
            return getattr(self, key).rstrip(b"\x00").decode(errors="replace")
        if key in ("op", "xid", "flags", "hops"):
            return str(getattr(self, key))
        return str(getattr(self, key))

    @property
    def dst_ip(self) -> str:
        return self.frame[IP].dst

    @property
    def dst_port(self) -> int:
        return self.frame[UDP].dport

    @property
    def dst_mac(self) -> str:
        return self.frame[Ether].dst


def parse_options(data: bytes) -> tuple[list[tuple[int, bytes]], str | None]:
    options, i = [], 0
    while i < len(data):
        code = data[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            return options, None
        if i + 1 >= len(data) or i + 2 + data[i + 1] > len(data):
            return options, f"option {code} overruns the packet"
        length = data[i + 1]
        options.append((code, data[i + 2:i + 2 + length]))
        i += 2 + length
    return options, "no end option"


def read(frame: Packet) -> Response4 | None:
    """A Response4 for a frame holding a BOOTREPLY, else None."""
    if not frame.haslayer(UDP) or not frame.haslayer(IP):
        return None
    payload = bytes(frame[UDP].payload)
    if len(payload) < 240 or payload[0] != 2:
        return None
    b = BOOTP(payload)
    malformed = None if payload[236:240] == MAGIC else "bad magic cookie"
    options, problem = parse_options(payload[240:])
    hlen = min(b.hlen, 16)
    return Response4(
        frame=frame, op=b.op, xid=b.xid, flags=int(b.flags), ciaddr=b.ciaddr, yiaddr=b.yiaddr, siaddr=b.siaddr,
        giaddr=b.giaddr, chaddr=bytes(b.chaddr)[:hlen].hex(":"), hops=b.hops, sname=bytes(b.sname),
        file=bytes(b.file), options=options, malformed=malformed or problem,
    )


def describe_option(code: int, data: bytes) -> str:
    info = V4_CODES.get(code)
    if info is None:
        return f"{code} option-{code}={data.hex(':') or '(empty)'}"
    text = values.decode(info.kind, data)
    if code == 53 and data:
        text += f" ({MESSAGE_NAMES.get(data[0], '?')})"
    if code == 81:
        text = fqdn.describe(4, data)
    if code == 82:
        subs, _ = parse_options(data + b"\xff")
        text = ", ".join(f"sub-option {c}={d.hex(':')}" for c, d in subs) or text
    return f"{code} {info.name}={text}"


def describe(resp: Response4) -> str:
    lines = [
        f"DHCP{resp.type_name} xid=0x{resp.xid:08x} from {resp.frame[IP].src} to "
        f"{resp.dst_ip}:{resp.dst_port} (ether {resp.dst_mac})",
        f"  yiaddr={resp.yiaddr} ciaddr={resp.ciaddr} siaddr={resp.siaddr} giaddr={resp.giaddr} "
        f"chaddr={resp.chaddr} flags=0x{resp.flags:04x} hops={resp.hops}",
    ]
    if resp.sname.strip(b"\x00") or resp.file.strip(b"\x00"):
        lines.append(f"  sname={resp.field('sname')!r} file={resp.field('file')!r}")
    lines += ["  option " + describe_option(c, d) for c, d in resp.options]
    if resp.malformed:
        lines.append(f"  MALFORMED: {resp.malformed}")
    return "\n".join(lines)


def in_range(addr: str, text: str) -> bool:
    """Whether addr is in "first-last" or "prefix/len"."""
    a = ipaddress.ip_address(addr)
    if "/" in text:
        return a in ipaddress.ip_network(text.strip(), strict=False)
    first, last = (ipaddress.ip_address(t.strip()) for t in text.split("-"))
    return first <= a <= last

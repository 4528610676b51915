"""DHCPv6 on the tester side: scapy builders and a reader for what comes back (RFC 8415)."""

from __future__ import annotations

import ipaddress
import random
import struct
from dataclasses import dataclass, field

from scapy.layers.dhcp6 import (
    DHCP6_RelayForward,
    DHCP6OptElapsedTime,
    DHCP6OptIA_NA,
    DHCP6OptIA_PD,
    DHCP6OptIAAddress,
    DHCP6OptIAPrefix,
    DHCP6OptIfaceId,
    DHCP6OptOptReq,
    DHCP6OptRelayMsg,
)
from scapy.layers.inet import UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw

from forge.packets import fqdn, values
from forge.packets.options import V6_CODES

MESSAGE_TYPES = {
    "SOLICIT": 1, "ADVERTISE": 2, "REQUEST": 3, "CONFIRM": 4, "RENEW": 5, "REBIND": 6, "REPLY": 7,
    "RELEASE": 8, "DECLINE": 9, "RECONFIGURE": 10, "INFORMATION-REQUEST": 11, "RELAY-FORW": 12,
    "RELAY-REPL": 13,
}
MESSAGE_ALIASES = {"INFOREQUEST": 11, "INFO-REQUEST": 11, "RELAYFORW": 12, "RELAYREPLY": 13}
MESSAGE_NAMES = {v: k for k, v in MESSAGE_TYPES.items()}
STATUS_CODES = {
    "Success": 0, "UnspecFail": 1, "NoAddrsAvail": 2, "NoBinding": 3, "NotOnLink": 4, "UseMulticast": 5,
    "NoPrefixAvail": 6,
}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}
ALL_DHCP_RELAY_AGENTS_AND_SERVERS = "ff02::1:2"
MULTICAST_MAC = "33:33:00:01:00:02"


def message_type(name: str) -> int:
    key = name.upper()
    if key in MESSAGE_TYPES:
        return MESSAGE_TYPES[key]
    if key in MESSAGE_ALIASES:
        return MESSAGE_ALIASES[key]
    raise KeyError(f"unknown DHCPv6 message type {name!r}; one of {', '.join(MESSAGE_TYPES)}")


def status_code(text: str) -> int:
    if text.strip().isdigit():
        return int(text)
    for name, code in STATUS_CODES.items():
        if name.lower() == text.strip().lower():
            return code
    raise KeyError(f"unknown status code {text!r}; one of {', '.join(STATUS_CODES)}")


def tlv(code: int, data: bytes) -> bytes:
    return struct.pack("!HH", code, len(data)) + data


# -- option builders (scapy classes where scapy models the option) --------
def ia_na(iaid: int, t1: int = 0, t2: int = 0, addresses: list[tuple[str, int, int]] = ()) -> bytes:
    return bytes(DHCP6OptIA_NA(iaid=iaid, T1=t1, T2=t2, ianaopts=[
        DHCP6OptIAAddress(addr=a, preflft=p, validlft=v) for a, p, v in addresses]))


def ia_pd(iaid: int, t1: int = 0, t2: int = 0, prefixes: list[tuple[str, int, int, int]] = ()) -> bytes:
    return bytes(DHCP6OptIA_PD(iaid=iaid, T1=t1, T2=t2, iapdopt=[
        DHCP6OptIAPrefix(prefix=p, plen=n, preflft=pl, validlft=vl) for p, n, pl, vl in prefixes]))


def oro(codes: list[int]) -> bytes:
    return bytes(DHCP6OptOptReq(reqopts=list(codes)))


def elapsed_time(hundredths: int = 0) -> bytes:
    return bytes(DHCP6OptElapsedTime(elapsedtime=hundredths))


def duid_ll(mac: str) -> bytes:
    return struct.pack("!HH", 3, 1) + bytes.fromhex(mac.replace(":", ""))


@dataclass
class Relay6:
    """One relay hop: the relay's link-address and the peer-address it saw."""

    link_address: str
    peer_address: str
    interface_id: bytes | None = None
    extra_options: list[bytes] = field(default_factory=list)


@dataclass
class Message6:
    msg_type: int
    trid: int = field(default_factory=lambda: random.getrandbits(24))
    options: list[bytes] = field(default_factory=list)  # complete option TLVs in wire order
    relays: list[Relay6] = field(default_factory=list)  # innermost (closest to the client) first
    dst_ip: str | None = None  # None: ff02::1:2 (or the server, when relayed)
    src_ip: str | None = None

    def message_bytes(self) -> bytes:
        return bytes([self.msg_type]) + self.trid.to_bytes(3, "big") + b"".join(self.options)

    def wire_bytes(self) -> bytes:
        data = self.message_bytes()
        for hop, relay in enumerate(self.relays):
            layer = DHCP6_RelayForward(hopcount=hop, linkaddr=relay.link_address, peeraddr=relay.peer_address)
            if relay.interface_id is not None:
                layer = layer / DHCP6OptIfaceId(ifaceid=relay.interface_id)
            for extra in relay.extra_options:
                layer = layer / Raw(extra)
            data = bytes(layer / DHCP6OptRelayMsg(message=[Raw(data)]))
        return data


def build(msg: Message6, *, client_mac: str, client_ll: str, relay_ip: str, server_mac: str,
          server_ip: str) -> Packet:
    """Link-local multicast from the client, or a RELAY-FORW unicast from the relay's global address."""
    if msg.relays:
        return (Ether(src=client_mac, dst=server_mac) / IPv6(src=msg.src_ip or relay_ip, dst=msg.dst_ip or server_ip)
                / UDP(sport=547, dport=547) / Raw(msg.wire_bytes()))
    dst = msg.dst_ip or ALL_DHCP_RELAY_AGENTS_AND_SERVERS
    dst_mac = MULTICAST_MAC if ipaddress.IPv6Address(dst).is_multicast else server_mac
    return (Ether(src=client_mac, dst=dst_mac) / IPv6(src=msg.src_ip or client_ll, dst=dst)
            / UDP(sport=546, dport=547) / Raw(msg.wire_bytes()))


# -- reading -----------------------------------------------------------
# Where a container option's own sub-options start.
_CONTAINERS = {3: 12, 4: 4, 25: 12, 5: 24, 26: 25}


@dataclass
class Option6:
    code: int
    data: bytes
    children: list[Option6] = field(default_factory=list)

    @property
    def name(self) -> str:
        info = V6_CODES.get(self.code)
        return info.name if info else f"option-{self.code}"

    def find(self, code: int) -> list[Option6]:
        return [c for c in self.children if c.code == code]

    # IA_NA / IA_PD fields
    @property
    def iaid(self) -> int:
        return struct.unpack("!I", self.data[:4])[0]

    @property
    def t1(self) -> int:
        return struct.unpack("!I", self.data[4:8])[0]

    @property
    def t2(self) -> int:
        return struct.unpack("!I", self.data[8:12])[0]

    # IAADDR fields
    @property
    def address(self) -> str:
        if self.code == 26:
            return str(ipaddress.IPv6Address(self.data[9:25]))
        return str(ipaddress.IPv6Address(self.data[:16]))

    @property
    def preferred_lifetime(self) -> int:
        return struct.unpack("!I", self.data[:4] if self.code == 26 else self.data[16:20])[0]

    @property
    def valid_lifetime(self) -> int:
        return struct.unpack("!I", self.data[4:8] if self.code == 26 else self.data[20:24])[0]

    @property
    def prefix_len(self) -> int:
        return self.data[8]

    # status code fields
    @property
    def status(self) -> int:
        return struct.unpack("!H", self.data[:2])[0]

    @property
    def status_message(self) -> str:
        return self.data[2:].decode(errors="replace")


class MalformedError(ValueError):
    pass


def parse_options(data: bytes) -> list[Option6]:
    out, i = [], 0
    while i < len(data):
        if i + 4 > len(data):
            raise MalformedError(f"truncated option header at offset {i}")
        code, length = struct.unpack("!HH", data[i:i + 4])
        body = data[i + 4:i + 4 + length]
        if len(body) != length:
            raise MalformedError(f"option {code} claims {length} bytes, {len(body)} present")
        opt = Option6(code, body)
        start = _CONTAINERS.get(code)
        if start is not None and len(body) >= start:
            opt.children = parse_options(body[start:])
        out.append(opt)
        i += 4 + length
    return out


@dataclass
class RelayHop:
    hop_count: int
    link_address: str
    peer_address: str
    options: list[Option6]

    def option(self, code: int) -> Option6 | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass
class Response6:
    frame: Packet | None
    msg_type: int
    trid: int
    options: list[Option6]
    relays: list[RelayHop] = field(default_factory=list)  # outermost first
    raw: bytes = b""

    @property
    def type_name(self) -> str:
        return MESSAGE_NAMES.get(self.msg_type, f"type-{self.msg_type}")

    def all(self, code: int) -> list[Option6]:
        return [o for o in self.options if o.code == code]

    def option(self, code: int) -> Option6 | None:
        found = self.all(code)
        return found[0] if found else None

    @property
    def src_ip(self) -> str:
        return self.frame[IPv6].src if self.frame is not None else ""

    @property
    def dst_ip(self) -> str:
        return self.frame[IPv6].dst if self.frame is not None else ""


def parse_message(data: bytes, frame: Packet | None = None) -> Response6:
    if len(data) < 4:
        raise MalformedError("shorter than a DHCPv6 header")
    relays: list[RelayHop] = []
    while data[0] in (12, 13):
        if len(data) < 34:
            raise MalformedError("truncated relay header")
        options = parse_options(data[34:])
        relays.append(RelayHop(data[1], str(ipaddress.IPv6Address(data[2:18])),
                               str(ipaddress.IPv6Address(data[18:34])), options))
        inner = next((o for o in options if o.code == 9), None)
        if inner is None:
            raise MalformedError("relay message without a relay-msg option")
        data = inner.data
        if len(data) < 4:
            raise MalformedError("relayed message shorter than a DHCPv6 header")
    return Response6(frame, data[0], int.from_bytes(data[1:4], "big"), parse_options(data[4:]), relays, data)


def read(frame: Packet) -> Response6 | None:
    """A Response6 for a frame holding a server-to-client (or to-relay) message, else None."""
    if not frame.haslayer(IPv6) or not frame.haslayer(UDP) or frame[UDP].sport != 547:
        return None
    payload = bytes(frame[UDP].payload)
    if not payload or payload[0] not in (2, 7, 10, 13):
        return None
    try:
        return parse_message(payload, frame)
    except MalformedError:
        return None


def describe_option(opt: Option6, indent: str = "  ") -> list[str]:
    info = V6_CODES.get(opt.code)
    if opt.code in (3, 25) and len(opt.data) >= 12:
        head = f"{opt.code} {opt.name} iaid={opt.iaid} T1={opt.t1} T2={opt.t2}"
    elif opt.code == 4 and len(opt.data) >= 4:
        head = f"{opt.code} {opt.name} iaid={opt.iaid}"
    elif opt.code == 5 and len(opt.data) >= 24:
        head = (f"{opt.code} iaaddr {opt.address} preferred={opt.preferred_lifetime} "
                f"valid={opt.valid_lifetime}")
    elif opt.code == 26 and len(opt.data) >= 25:
        head = (f"{opt.code} iaprefix {opt.address}/{opt.prefix_len} preferred={opt.preferred_lifetime} "
                f"valid={opt.valid_lifetime}")
    elif opt.code == 39:
        head = f"39 client-fqdn {fqdn.describe(6, opt.data)}"
    elif opt.code == 13 and len(opt.data) >= 2:
        head = f"13 status-code {opt.status} ({STATUS_NAMES.get(opt.status, '?')}) {opt.status_message!r}"
    else:
        head = f"{opt.code} {opt.name}={values.decode(info.kind if info else 'hex', opt.data)}"
    lines = [indent + "option " + head]
    for child in opt.children:
        lines += describe_option(child, indent + "    ")
    return lines


def describe(resp: Response6) -> str:
    lines = []
    indent = ""
    where = f" from {resp.src_ip} to {resp.dst_ip}" if resp.frame is not None else ""
    for hop in resp.relays:
        lines.append(f"{indent}RELAY-REPL hop={hop.hop_count} link={hop.link_address} peer={hop.peer_address}"
                     + (where if not indent else ""))
        lines += describe_option_list([o for o in hop.options if o.code != 9], indent + "  ")
        indent += "    "
        where = ""
    lines.append(f"{indent}{resp.type_name} trid=0x{resp.trid:06x}{where}")
    lines += describe_option_list(resp.options, indent + "  ")
    return "\n".join(lines)


def describe_option_list(options: list[Option6], indent: str) -> list[str]:
    out = []
    for opt in options:
        out += describe_option(opt, indent)
    return out

"""DHCPv6 sockets: one UDP socket per interface, bound to port 547 on that device, joined to
All_DHCP_Relay_Agents_and_Servers (ff02::1:2)."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

ALL_DHCP_RELAY_AGENTS_AND_SERVERS = socket.inet_pton(socket.AF_INET6, "ff02::1:2")
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50


@dataclass
class Interface6:
    name: str
    index: int
    udp: socket.socket

    def close(self) -> None:
        self.udp.close()


def open_interface6(name: str, port: int) -> Interface6:
    try:
        index = socket.if_nametoindex(name)
    except OSError:
        raise OSError(f"interface {name!r} does not exist") from None
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, name.encode())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        sock.bind(("::", port))
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                        ALL_DHCP_RELAY_AGENTS_AND_SERVERS + struct.pack("@I", index))
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot open UDP port {port} on {name}: {exc.strerror}") from None
    return Interface6(name, index, sock)

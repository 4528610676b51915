"""DHCPv4 sockets: a UDP socket per interface to receive and to answer relays, and an AF_PACKET
socket per interface to answer clients that have no address yet (`dhcp-socket-type: raw`)."""

from __future__ import annotations

import fcntl
import socket
import struct
from dataclasses import dataclass

SIOCGIFADDR = 0x8915
SIOCGIFHWADDR = 0x8927
ETH_P_IP = 0x0800
IP_PKTINFO = 8  # Linux; Python 3.11 lacks the name


def _ifreq(sock: socket.socket, request: int, name: str) -> bytes:
    return fcntl.ioctl(sock.fileno(), request, struct.pack("256s", name.encode()[:15]))


def interface_info(name: str) -> tuple[int, bytes]:
    """(primary IPv4 address as int, MAC) of an interface; OSError when it does not exist."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            mac = _ifreq(s, SIOCGIFHWADDR, name)[18:24]
        except OSError as exc:
            raise OSError(f"interface {name!r}: {exc.strerror}") from None
        try:
            addr = int.from_bytes(_ifreq(s, SIOCGIFADDR, name)[20:24], "big")
        except OSError:
            raise OSError(f"interface {name!r} has no IPv4 address") from None
    return addr, mac


def interface_addresses(name: str) -> tuple[int, ...]:
    """Every IPv4 address on the interface, from getifaddrs(3)."""
    import ctypes
    import ctypes.util

    class Sockaddr(ctypes.Structure):
        _fields_ = [("family", ctypes.c_ushort), ("data", ctypes.c_ubyte * 14)]

    class Ifaddrs(ctypes.Structure):
        pass

    Ifaddrs._fields_ = [("next", ctypes.POINTER(Ifaddrs)), ("name", ctypes.c_char_p), ("flags", ctypes.c_uint),
                        ("addr", ctypes.POINTER(Sockaddr)), ("netmask", ctypes.POINTER(Sockaddr)),
                        ("ifu", ctypes.c_void_p), ("data", ctypes.c_void_p)]
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    head = ctypes.POINTER(Ifaddrs)()
    if libc.getifaddrs(ctypes.byref(head)) != 0:
        return ()
    found = []
    try:
        node = head
        while node:
            entry = node.contents
            if entry.name.decode() == name and entry.addr and entry.addr.contents.family == socket.AF_INET:
                found.append(int.from_bytes(bytes(entry.addr.contents.data[2:6]), "big"))
            node = entry.next
    finally:
        libc.freeifaddrs(head)
    return tuple(found)


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def ipv4_udp_frame(src_mac: bytes, dst_mac: bytes, src_ip: int, dst_ip: int, sport: int, dport: int,
                   payload: bytes, ident: int = 0) -> bytes:
    udp_len = 8 + len(payload)
    ip_header = struct.pack("!BBHHHBBHII", 0x45, 0x10, 20 + udp_len, ident & 0xFFFF, 0, 64, 17, 0, src_ip, dst_ip)
    ip_header = ip_header[:10] + struct.pack("!H", _checksum(ip_header)) + ip_header[12:]
    pseudo = struct.pack("!IIBBH", src_ip, dst_ip, 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    csum = _checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    return dst_mac + src_mac + b"\x08\x00" + ip_header + udp


@dataclass
class Interface4:
    name: str
    address: int  # the server identifier on this link
    addresses: tuple[int, ...]
    mac: bytes
    udp: socket.socket
    raw: socket.socket | None

    def close(self) -> None:
        self.udp.close()
        if self.raw is not None:
            self.raw.close()


def open_interface(name: str, address: int | None, port: int, raw: bool) -> Interface4:
    primary, mac = interface_info(name)
    addresses = interface_addresses(name) or (primary,)
    if address is not None and address not in addresses:
        raise OSError(f"interface {name!r} has no address {socket.inet_ntoa(address.to_bytes(4, 'big'))}")
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, name.encode())
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        udp.setsockopt(socket.SOL_IP, IP_PKTINFO, 1)
        udp.bind(("0.0.0.0", port))
        udp.setblocking(False)
    except OSError as exc:
        udp.close()
        raise OSError(f"cannot open UDP port {port} on {name}: {exc.strerror}") from None
    raw_sock = None
    if raw:
        try:
            # Protocol 0: the socket sends frames but receives none.
            raw_sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
            raw_sock.bind((name, 0))
        except OSError as exc:
            udp.close()
            raise OSError(f"cannot open a raw socket on {name}: {exc.strerror}") from None
    return Interface4(name, address or primary, addresses, mac, udp, raw_sock)

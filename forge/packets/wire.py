"""The tester's wire: one capture for the whole scenario, and sending with a wait for answers.

The capture starts before the first packet is sent (so no reply can arrive
unseen), keeps every DHCP frame of the scenario for the pcap artifact, and lets
each exchange look only at what arrived after its own send.

The wire also stands in for the clients it plays on ARP: a server that unicasts
to a client's new address through its IP stack (ISC dhcpd answering a RENEWING
client at ciaddr, RFC 2131 4.1) first asks who has that address, and a real
client would say. The wire answers such requests for addresses of the tester's
subnet other than the tester's own, with the tester's MAC, so the reply reaches
the capture.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable

from scapy.config import conf
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Packet
from scapy.sendrecv import AsyncSniffer
from scapy.utils import wrpcap

DHCP_FILTER = "udp and (port 67 or port 68 or port 546 or port 547)"


class Wire:
    def __init__(self, iface: str, arp_for: ipaddress.IPv4Interface | None = None, mac: str | None = None,
                 arp_except: tuple[str, ...] = ()):
        """`arp_for`: the tester's address on the link; ARP requests for other addresses of its subnet
        (but `arp_except`) are answered with `mac`. None: no ARP answers."""
        self.iface = iface
        self._arp_net = arp_for.network if arp_for is not None else None
        self._arp_skip = {str(arp_for.ip), *arp_except} if arp_for is not None else set()
        self._mac = mac
        self.arp_answered: list[str] = []
        self.frames: list[Packet] = []
        self._cond = threading.Condition()
        self._started = threading.Event()
        self._sniffer: AsyncSniffer | None = None
        self._socket = None

    def _on_frame(self, frame: Packet) -> None:
        if ARP in frame:
            self._answer_arp(frame[ARP])
            return
        with self._cond:
            self.frames.append(frame)
            self._cond.notify_all()

    def _answer_arp(self, arp) -> None:
        if arp.op != 1 or self._socket is None or self._arp_net is None or not self._mac:
            return
        target = arp.pdst
        try:
            if ipaddress.ip_address(target) not in self._arp_net or target in self._arp_skip:
                return
        except ValueError:
            return
        reply = Ether(src=self._mac, dst=arp.hwsrc) / ARP(op=2, hwsrc=self._mac, psrc=target, hwdst=arp.hwsrc,
                                                          pdst=arp.psrc)
        self._socket.send(reply)
        self.arp_answered.append(target)

    def start(self, timeout: float = 5.0) -> None:
        capture = f"({DHCP_FILTER}) or arp" if self._arp_net is not None else DHCP_FILTER
        self._sniffer = AsyncSniffer(iface=self.iface, filter=capture, prn=self._on_frame, store=False,
                                     started_callback=self._started.set, promisc=True)
        self._sniffer.start()
        if not self._started.wait(timeout):
            raise RuntimeError(f"capture on {self.iface} did not start within {timeout}s")
        self._socket = conf.L2socket(iface=self.iface)

    def stop(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._sniffer is not None:
            try:
                self._sniffer.stop()
            except Exception:  # noqa: BLE001 - the sniffer may already be gone
                pass
            self._sniffer = None

    def mark(self) -> int:
        with self._cond:
            return len(self.frames)

    def send(self, frame: Packet) -> int:
        """Send a frame; returns the capture position to look for answers from."""
        if self._socket is None:
            raise RuntimeError("the wire is not started")
        position = self.mark()
        self._socket.send(frame)
        return position

    def wait_for(self, since: int, match: Callable[[Packet], object], timeout: float,
                 settle: float = 0.0) -> list:
        """Matching results of frames captured after `since`, waiting up to `timeout` for the first.

        With settle > 0, keep collecting for that long after the first match (to see duplicates).
        """
        deadline = time.monotonic() + timeout
        found: list = []
        seen = since
        with self._cond:
            while True:
                for frame in self.frames[seen:]:
                    result = match(frame)
                    if result is not None:
                        found.append(result)
                seen = len(self.frames)
                now = time.monotonic()
                if found and settle > 0:
                    deadline = min(deadline, now + settle)
                    settle = 0.0
                elif found:
                    return found
                if now >= deadline:
                    return found
                self._cond.wait(deadline - now)

    def write_pcap(self, path: str) -> None:
        with self._cond:
            frames = list(self.frames)
        wrpcap(path, frames, linktype=1)  # Ethernet, also when nothing was captured

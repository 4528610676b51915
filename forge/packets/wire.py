"""The tester's wire: one capture for the whole scenario, and sending with a wait for answers.

The capture starts before the first packet is sent (so no reply can arrive
unseen), keeps every DHCP frame of the scenario for the pcap artifact, and lets
each exchange look only at what arrived after its own send.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from scapy.config import conf
from scapy.packet import Packet
from scapy.sendrecv import AsyncSniffer
from scapy.utils import wrpcap

DHCP_FILTER = "udp and (port 67 or port 68 or port 546 or port 547)"


class Wire:
    def __init__(self, iface: str):
        self.iface = iface
        self.frames: list[Packet] = []
        self._cond = threading.Condition()
        self._started = threading.Event()
        self._sniffer: AsyncSniffer | None = None
        self._socket = None

    def _on_frame(self, frame: Packet) -> None:
        with self._cond:
            self.frames.append(frame)
            self._cond.notify_all()

    def start(self, timeout: float = 5.0) -> None:
        self._sniffer = AsyncSniffer(iface=self.iface, filter=DHCP_FILTER, prn=self._on_frame, store=False,
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

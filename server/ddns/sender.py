"""Sending NameChangeRequests to the DHCP-DDNS daemon (Kea's D2, or `lessor ddns`) over UDP.

The socket is non-blocking and bound to sender-ip:sender-port, connected to server-ip:server-port so the
kernel reports an unreachable daemon (ICMP port unreachable -> ECONNREFUSED on a later send). NCRs that
cannot be written at once wait in a queue of at most max-queue-size; beyond that they are dropped.
Nothing here ever blocks or raises into the packet path: DHCP service goes on without DNS updates, and
each outage is logged once when it starts and once when it ends (not once per NCR).
"""

from __future__ import annotations

import collections
import errno
import logging
import socket

from server.config.model import DhcpDdns
from server.ddns.ncr import NameChangeRequest
from server.stats import Stats

# Errors after which a later send may work again: the daemon is down or the path is (for now) unusable.
_TRANSIENT = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN,
              errno.EPERM, errno.EACCES, errno.EMSGSIZE}


class NcrSender:
    def __init__(self, cfg: DhcpDdns, stats: Stats, log: logging.Logger, tag: str = "DHCP4"):
        self.cfg = cfg
        self.stats = stats
        self.log = log
        self.tag = tag
        self.queue: collections.deque[bytes] = collections.deque()
        self.failing = False  # inside an outage: failures are counted, not logged again
        self.lost = 0  # NCRs lost in the current outage
        family = socket.AF_INET6 if ":" in cfg.server_ip else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            self.sock.setblocking(False)
            self.sock.bind((cfg.sender_ip, cfg.sender_port))
            self.sock.connect((cfg.server_ip, cfg.server_port))
        except OSError:
            self.sock.close()
            raise
        log.info("%s_DDNS_SENDER_STARTED sending NameChangeRequests from %s to %s port %d (queue %d)", tag,
                 "%s:%d" % self.sock.getsockname()[:2], cfg.server_ip, cfg.server_port, cfg.max_queue_size)

    @property
    def pending(self) -> int:
        return len(self.queue)

    def send(self, ncr: NameChangeRequest) -> None:
        """Send one NCR now, or queue it behind earlier ones; never raises, never blocks."""
        if self.log.isEnabledFor(logging.DEBUG):
            self.log.debug("%s_DDNS_NCR_QUEUED %s", self.tag, ncr.describe())
        data = ncr.encode()
        if self.queue:
            self.flush()
        if not self.queue and self._write(data):
            return
        if len(self.queue) >= self.cfg.max_queue_size:
            self._lose(f"the send queue is full ({self.cfg.max_queue_size} NameChangeRequests)", ncr)
            return
        self.queue.append(data)

    def flush(self) -> None:
        """Write queued NCRs until the socket would block."""
        while self.queue:
            if not self._write(self.queue[0]):
                return
            self.queue.popleft()

    def _write(self, data: bytes) -> bool:
        """True when the datagram left (or was given up on); False when the socket would block."""
        refused = False
        while True:
            try:
                self.sock.send(data)
            except (BlockingIOError, InterruptedError):
                return False
            except OSError as exc:
                if exc.errno == errno.ECONNREFUSED and not refused:
                    # The connected socket reports the ICMP port unreachable an earlier datagram caused; this one
                    # was not sent yet: try it again, the error being cleared now.
                    refused = True
                    self._lose("nothing listens there (ICMP port unreachable); an earlier request was lost", None)
                    continue
                if exc.errno == errno.ENOBUFS:
                    return False
                self._lose(f"{exc.strerror or exc} (errno {exc.errno})", None, transient=exc.errno in _TRANSIENT)
                return True
            self.stats.inc("ncr-sent")
            if self.failing and not refused:
                self.failing = False
                self.log.info("%s_DDNS_SENDER_RECOVERED NameChangeRequests reach %s port %d again; %d were lost",
                              self.tag, self.cfg.server_ip, self.cfg.server_port, self.lost)
                self.lost = 0
            return True

    def _lose(self, why: str, ncr: NameChangeRequest | None, transient: bool = True) -> None:
        self.stats.inc("ncr-dropped")
        self.lost += 1
        if not self.failing:
            self.failing = True
            what = f" ({ncr.describe()})" if ncr is not None else ""
            self.log.error("%s_DDNS_REQUEST_SEND_FAILED cannot send a NameChangeRequest to the DHCP-DDNS daemon "
                           "at %s port %d: %s%s; DHCP service goes on without these DNS updates%s", self.tag,
                           self.cfg.server_ip, self.cfg.server_port, why, what,
                           "" if transient else " (this error will not clear by itself)")

    def close(self) -> None:
        if self.queue:
            self.log.warning("%s_DDNS_SENDER_STOPPED %d queued NameChangeRequest(s) not sent", self.tag,
                             len(self.queue))
            self.queue.clear()
        self.sock.close()


def sender_for(current: NcrSender | None, cfg: DhcpDdns, stats: Stats, log: logging.Logger,
               tag: str) -> NcrSender | None:
    """The sender a (re)loaded configuration needs: the current one when the dhcp-ddns link is unchanged,
    a new one when it changed, None when updates are off. A sender that cannot open its socket is logged
    and left out: DHCP service goes on without DNS updates."""
    if current is not None and current.cfg == cfg and cfg.enable_updates:
        return current
    if current is not None:
        current.close()
    if not cfg.enable_updates:
        return None
    try:
        return NcrSender(cfg, stats, log, tag)
    except OSError as exc:
        log.error("%s_DDNS_SENDER_START_FAILED cannot open the NameChangeRequest socket from %s port %d to %s port "
                  "%d: %s; no DNS updates will be sent", tag, cfg.sender_ip, cfg.sender_port, cfg.server_ip,
                  cfg.server_port, exc.strerror or exc)
        return None

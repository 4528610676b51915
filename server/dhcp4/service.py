"""The DHCPv4 service: its sockets, the receive path, lease reclamation and statistics."""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import socket
import time

from server.config.dhcp4 import parse_dhcp4
from server.config.loader import load_file
from server.config.model4 import Dhcp4Config
from server.ddns.sender import sender_for
from server.dhcp4.engine import Engine, Query, Reply, ip
from server.dhcp4.sockets import IP_PKTINFO, Interface4, ipv4_udp_frame, open_interface
from server.leases.memfile4 import Memfile4
from server.service import BATCH, BaseService
from server.wire.packet4 import ParseError, decode4, encode4

log = logging.getLogger("lessor.dhcp4")
DEFAULT_LEASE_FILE = "/var/lib/kea/kea-leases4.csv"


def load_config(path: str) -> Dhcp4Config:
    return parse_dhcp4(load_file(path))


class Dhcp4Service(BaseService):
    family = 4

    def __init__(self, config_path: str, port: int = 67, client_port: int = 68, debug: bool = False):
        super().__init__(config_path, port, client_port, debug)
        self._ident = 0
        self.ncr = None  # the NameChangeRequest sender while dhcp-ddns enable-updates is true

    def load_config(self, path: str) -> Dhcp4Config:
        return load_config(path)

    def parse_document(self, doc: dict):
        return parse_dhcp4(doc)

    def open_leases(self, cfg: Dhcp4Config) -> Memfile4:
        db = cfg.lease_database
        path = db.name or DEFAULT_LEASE_FILE if db.persist else None
        store = Memfile4(path, persist=db.persist, lfc_interval=db.lfc_interval, max_row_errors=db.max_row_errors)
        store.open()
        return store

    def make_engine(self, cfg: Dhcp4Config, interfaces: list[Interface4]) -> Engine:
        self.ncr = sender_for(self.ncr, cfg.dhcp_ddns, self.stats, log, "DHCP4")
        return Engine(cfg, self.leases, self.stats, {i.name: i.addresses for i in interfaces}, self.ncr)

    def shutdown(self) -> None:
        super().shutdown()
        if self.ncr is not None:
            self.ncr.close()
            self.ncr = None

    def open_interfaces(self, cfg: Dhcp4Config) -> list[Interface4]:
        wanted = list(cfg.interfaces)
        if any(name == "*" for name, _ in wanted):
            wanted = [(n, None) for n in sorted(os.listdir("/sys/class/net")) if n != "lo"]
        opened: list[Interface4] = []
        try:
            for name, address in wanted:
                opened.append(open_interface(name, address, self.port, cfg.socket_type == "raw"))
        except OSError:
            for iface in opened:
                iface.close()
            raise
        return opened

    def refresh_subnet_stats(self) -> None:
        now = int(time.time())
        counts: dict[int, int] = {}
        for lease in self.leases.all():
            if lease.state == 0 and lease.expire > now:
                counts[lease.subnet_id] = counts.get(lease.subnet_id, 0) + 1
        for s in self.cfg.subnets:
            self.stats.set(f"subnet[{s.id}].total-addresses", s.total_addresses)
            self.stats.set(f"subnet[{s.id}].assigned-addresses", counts.get(s.id, 0))

    def receive(self, iface: Interface4) -> None:
        for _ in range(BATCH):
            try:
                data, ancdata, _flags, src = iface.udp.recvmsg(4096, 64)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("DHCP4_RECEIVE_FAILED on %s: %s", iface.name, exc)
                return
            reply = self.handle_datagram(iface.name, iface.address, data, src[0], ancdata)
            if reply is not None:
                self._send(iface, reply)
        if self.ncr is not None and self.ncr.queue:
            self.ncr.flush()

    def handle_datagram(self, iface_name: str, iface_addr: int, data: bytes, src_ip: str,
                        ancdata=()) -> Reply | None:
        """Everything between the socket and the reply: count, decode, process. Never raises."""
        self.stats.inc("pkt4-received")
        try:
            pkt = decode4(data)
        except ParseError as exc:
            self.stats.inc("pkt4-parse-failed")
            self.stats.inc("pkt4-receive-drop")
            log.debug("DHCP4_PACKET_DROP %d bytes from %s on %s: malformed: %s", len(data), src_ip, iface_name, exc)
            return None
        unicast = False
        for level, kind, value in ancdata:
            if level == socket.SOL_IP and kind == IP_PKTINFO and len(value) >= 12:
                unicast = int.from_bytes(value[8:12], "big") != 0xFFFFFFFF
        try:
            query = Query(pkt=pkt, iface=iface_name, iface_addr=iface_addr,
                          src_ip=int.from_bytes(socket.inet_aton(src_ip), "big"), src_mac=bytes(pkt.chaddr[:6]),
                          unicast=unicast)
            return self.engine.process(query)
        except Exception:  # noqa: BLE001 - one bad packet must never stop the service
            log.exception("DHCP4_PROCESS_FAILED xid=0x%08x from %s", pkt.xid, src_ip)
            self.stats.inc("pkt4-receive-drop")
            return None

    def _send(self, iface: Interface4, reply: Reply) -> None:
        data = encode4(reply.pkt)
        try:
            if reply.relayed or iface.raw is None or reply.dst_mac is None:
                dst = reply.dst_ip
                if iface.raw is None and not reply.relayed and not reply.pkt.ciaddr:
                    dst = 0xFFFFFFFF  # udp sockets cannot reach a client that has no address yet
                port = self.port if reply.relayed else self.client_port
                iface.udp.sendto(data, (ip(dst), port))
            else:
                self._ident = (self._ident + 1) & 0xFFFF
                frame = ipv4_udp_frame(iface.mac, reply.dst_mac, iface.address, reply.dst_ip, self.port,
                                       self.client_port, data, self._ident)
                iface.raw.send(frame)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ENOBUFS):
                log.warning("DHCP4_SEND_FAILED to %s: %s", ip(reply.dst_ip), exc)
            self.stats.inc("pkt4-send-drop")

    # -- lease lifecycle ------------------------------------------------------------
    def reclaim(self, limit: int | None = None, remove: bool = False) -> int:
        cfg = self.cfg.expired
        now = int(time.time())
        deadline = time.monotonic() + cfg.max_reclaim_time / 1000 if cfg.max_reclaim_time else None
        count = 0
        batch = self.leases.expired(now, limit or cfg.max_reclaim_leases or 1 << 30, include_declined=True)
        for lease in batch:
            if deadline and time.monotonic() > deadline:
                break
            if lease.state == 0:
                self.engine.ddns_remove(lease)
            if remove:
                self.leases.delete(lease)
            elif lease.state == 1:
                # Probation is over: the declined address becomes available again.
                self.leases.delete(lease)
                self.stats.inc("declined-addresses", -1)
                self.stats.inc(f"subnet[{lease.subnet_id}].declined-addresses", -1)
            else:
                # Kea clears the name with the DNS entries (the remove NCR went above).
                self.leases.update(dataclasses.replace(lease, state=2, hostname="", fqdn_fwd=False, fqdn_rev=False))
            if lease.state == 0:
                self.stats.inc(f"subnet[{lease.subnet_id}].assigned-addresses", -1)
            self.stats.inc("reclaimed-leases")
            self.stats.inc(f"subnet[{lease.subnet_id}].reclaimed-leases")
            count += 1
        if count:
            log.debug("ALLOC_ENGINE_V4_LEASES_RECLAMATION_COMPLETE reclaimed %d lease(s)", count)
        return count

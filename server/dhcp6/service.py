"""The DHCPv6 service: its sockets, the receive path, lease reclamation and statistics."""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import logging
import os
import time

from server.config.dhcp6 import parse_dhcp6
from server.config.loader import load_file
from server.config.model6 import Dhcp6Config
from server.ddns.sender import sender_for
from server.dhcp6.duid import server_duid
from server.dhcp6.engine import Engine6, Query6, Reply6
from server.dhcp6.sockets import Interface6, open_interface6
from server.leases.memfile6 import Memfile6
from server.service import BATCH, BaseService
from server.wire import packet6 as p6

log = logging.getLogger("lessor.dhcp6")
DEFAULT_LEASE_FILE = "/var/lib/kea/kea-leases6.csv"


def load_config(path: str) -> Dhcp6Config:
    return parse_dhcp6(load_file(path))


class Dhcp6Service(BaseService):
    family = 6

    def __init__(self, config_path: str, port: int = 547, client_port: int = 546, debug: bool = False):
        super().__init__(config_path, port, client_port, debug)
        self.duid: bytes | None = None
        self.ncr = None  # the NameChangeRequest sender while dhcp-ddns enable-updates is true

    def load_config(self, path: str) -> Dhcp6Config:
        return load_config(path)

    def parse_document(self, doc: dict):
        return parse_dhcp6(doc)

    def open_leases(self, cfg: Dhcp6Config) -> Memfile6:
        db = cfg.lease_database
        path = db.name or DEFAULT_LEASE_FILE if db.persist else None
        store = Memfile6(path, persist=db.persist, lfc_interval=db.lfc_interval, max_row_errors=db.max_row_errors)
        store.open()
        return store

    def open_interfaces(self, cfg: Dhcp6Config) -> list[Interface6]:
        names = [name for name, _ in cfg.interfaces]
        if "*" in names:
            names = [n for n in sorted(os.listdir("/sys/class/net")) if n != "lo"]
        opened: list[Interface6] = []
        try:
            for name in dict.fromkeys(names):
                opened.append(open_interface6(name, self.port))
        except OSError:
            for iface in opened:
                iface.close()
            raise
        return opened

    def make_engine(self, cfg: Dhcp6Config, interfaces: list[Interface6]) -> Engine6:
        if self.duid is None or (self.cfg is not None and cfg.server_id != self.cfg.server_id):
            self.duid = server_duid(cfg.server_id, cfg.data_directory)
            log.info("DHCP6_SERVERID server DUID %s", self.duid.hex(":"))
        self.ncr = sender_for(self.ncr, cfg.dhcp_ddns, self.stats, log, "DHCP6")
        return Engine6(cfg, self.leases, self.stats, self.duid, self.ncr)

    def shutdown(self) -> None:
        super().shutdown()
        if self.ncr is not None:
            self.ncr.close()
            self.ncr = None

    def refresh_subnet_stats(self) -> None:
        now = int(time.time())
        counts: dict[tuple[int, int], int] = {}
        for lease in self.leases.all():
            if lease.state == 0 and lease.expire > now:
                key = (lease.subnet_id, lease.lease_type)
                counts[key] = counts.get(key, 0) + 1
        for s in self.cfg.subnets:
            self.stats.set(f"subnet[{s.id}].total-nas", sum(p.size for p in s.pools))
            self.stats.set(f"subnet[{s.id}].total-pds", sum(p.count for p in s.pd_pools))
            self.stats.set(f"subnet[{s.id}].assigned-nas", counts.get((s.id, 0), 0))
            self.stats.set(f"subnet[{s.id}].assigned-pds", counts.get((s.id, 2), 0))

    def receive(self, iface: Interface6) -> None:
        for _ in range(BATCH):
            try:
                data, _anc, _flags, src = iface.udp.recvmsg(65536, 256)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("DHCP6_RECEIVE_FAILED on %s: %s", iface.name, exc)
                return
            reply = self.handle_datagram(iface.name, data, src[0].split("%")[0], src[1])
            if reply is not None:
                self._send(iface, reply)
        if self.ncr is not None and self.ncr.queue:
            self.ncr.flush()

    def handle_datagram(self, iface_name: str, data: bytes, src_ip: str, src_port: int) -> Reply6 | None:
        """Count, decode, process. Never raises."""
        self.stats.inc("pkt6-received")
        try:
            packet = p6.decode6(data)
        except p6.ParseError as exc:
            self.stats.inc("pkt6-parse-failed")
            self.stats.inc("pkt6-receive-drop")
            log.debug("DHCP6_PACKET_DROP %d bytes from %s on %s: malformed: %s", len(data), src_ip, iface_name, exc)
            return None
        relays = []
        while isinstance(packet, p6.Relay6):
            if packet.msg_type != 12:
                self.stats.inc("pkt6-receive-drop")
                log.debug("DHCP6_PACKET_DROP a RELAY-REPL sent to the server from %s", src_ip)
                return None
            relays.append(packet)
            packet = packet.inner
        try:
            query = Query6(msg=packet, relays=relays, iface=iface_name, src=int(ipaddress.IPv6Address(src_ip)),
                           src_port=src_port)
            return self.engine.process(query)
        except Exception:  # noqa: BLE001 - one bad packet must never stop the service
            log.exception("DHCP6_PROCESS_FAILED trid=0x%06x from %s", getattr(packet, "transaction_id", 0), src_ip)
            self.stats.inc("pkt6-receive-drop")
            return None

    def _send(self, iface: Interface6, reply: Reply6) -> None:
        data = p6.encode6(reply.packet)
        address = ipaddress.IPv6Address(reply.dst)
        try:
            iface.udp.sendto(data, (str(address), reply.dst_port, 0, iface.index if address.is_link_local else 0))
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ENOBUFS):
                log.warning("DHCP6_SEND_FAILED to %s: %s", address, exc)
            self.stats.inc("pkt6-send-drop")

    def reclaim(self, limit: int | None = None, remove: bool = False) -> int:
        cfg = self.cfg.expired
        now = int(time.time())
        count = 0
        for lease in self.leases.expired(now, limit or cfg.max_reclaim_leases or 1 << 30, include_declined=True):
            kind = "pds" if lease.lease_type == 2 else "nas"
            if lease.state == 0:
                self.engine.ddns_remove(lease)
            if remove or lease.state == 1:
                self.leases.delete(lease)
            else:
                # Kea clears the name with the DNS entries (the remove NCR went above).
                self.leases.update(dataclasses.replace(lease, state=2, hostname="", fqdn_fwd=False, fqdn_rev=False))
            if lease.state == 0:
                self.stats.inc(f"subnet[{lease.subnet_id}].assigned-{kind}", -1)
            self.stats.inc("reclaimed-leases")
            count += 1
        return count


__all__ = ["Dhcp6Service", "load_config"]

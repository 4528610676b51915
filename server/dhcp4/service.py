"""The DHCPv4 service: sockets, the receive loop, timers, signals, reloads and the control channel."""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import selectors
import signal
import socket
import time

from server import __version__
from server import log as logsetup
from server.config import ConfigError
from server.config.dhcp4 import parse_dhcp4
from server.config.loader import load_file
from server.config.model4 import Dhcp4Config
from server.control import ERROR, SUCCESS, UNSUPPORTED, ControlChannel, answer
from server.dhcp4.engine import Engine, Query, Reply, ip
from server.dhcp4.sockets import IP_PKTINFO, Interface4, ipv4_udp_frame, open_interface
from server.leases.memfile4 import Memfile4
from server.stats import Stats
from server.wire.packet4 import ParseError, decode4, encode4

log = logging.getLogger("lessor.dhcp4")
DEFAULT_LEASE_FILE = "/var/lib/kea/kea-leases4.csv"
BATCH = 64


def load_config(path: str) -> Dhcp4Config:
    return parse_dhcp4(load_file(path))


class Dhcp4Service:
    def __init__(self, config_path: str, port: int = 67, client_port: int = 68, debug: bool = False):
        self.config_path = config_path
        self.port = port
        self.client_port = client_port
        self.debug = debug
        self.stats = Stats()
        self.cfg: Dhcp4Config | None = None
        self.leases: Memfile4 | None = None
        self.engine: Engine | None = None
        self.interfaces: dict[int, Interface4] = {}  # udp fileno -> interface
        self.control: ControlChannel | None = None
        self.selector = selectors.DefaultSelector()
        self.running = False
        self._reload_requested = False
        self._wake_r, self._wake_w = os.pipe()
        self._ident = 0
        self._next_reclaim = 0.0
        self._next_flush = 0.0

    # -- start-up and configuration ------------------------------------------------
    def start(self) -> None:
        cfg = load_config(self.config_path)
        logsetup.configure(cfg.loggers, self.debug)
        log.info("DHCP4_STARTING lessor %s (DHCPv4) starting with %s", __version__, self.config_path)
        self._apply(cfg, first=True)
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, ("wake", None))
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGHUP, lambda *_: self._request_reload())
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        self.running = True
        log.info("DHCP4_STARTED lessor DHCPv4 server %s serving %d subnet(s) on %s", __version__,
                 len(cfg.subnets), ", ".join(i.name for i in self.interfaces.values()) or "no interface")

    def _open_leases(self, cfg: Dhcp4Config) -> Memfile4:
        db = cfg.lease_database
        path = db.name or DEFAULT_LEASE_FILE if db.persist else None
        store = Memfile4(path, persist=db.persist, lfc_interval=db.lfc_interval, max_row_errors=db.max_row_errors)
        store.open()
        return store

    def _apply(self, cfg: Dhcp4Config, first: bool = False) -> None:
        """Make cfg the running configuration. Raises (leaving the old one in place) on failure."""
        old_db = self.cfg.lease_database if self.cfg else None
        leases = self.leases
        new_leases = None
        if leases is None or cfg.lease_database != old_db:
            new_leases = self._open_leases(cfg)
        try:
            interfaces = self._open_interfaces(cfg)
        except OSError:
            if new_leases is not None:
                new_leases.close()
            raise
        control = None
        if cfg.control_socket and (self.control is None or self.control.path != cfg.control_socket):
            control = ControlChannel(cfg.control_socket, self._commands())
        # Commit: nothing below can fail.
        if new_leases is not None:
            if leases is not None:
                leases.close()
            self.leases = new_leases
        for iface in self.interfaces.values():
            self.selector.unregister(iface.udp)
            iface.close()
        self.interfaces = {i.udp.fileno(): i for i in interfaces}
        for iface in interfaces:
            self.selector.register(iface.udp, selectors.EVENT_READ, ("dhcp", iface))
        if control is not None:
            if self.control is not None:
                self.selector.unregister(self.control.sock)
                self.control.close()
            self.control = control
            self.selector.register(control.sock, selectors.EVENT_READ, ("ctrl", None))
        elif not cfg.control_socket and self.control is not None:
            self.selector.unregister(self.control.sock)
            self.control.close()
            self.control = None
        self.cfg = cfg
        addrs = {i.name: i.addresses for i in interfaces}
        self.engine = Engine(cfg, self.leases, self.stats, addrs)
        self._refresh_subnet_stats()
        self._next_reclaim = time.monotonic() + cfg.expired.reclaim_timer_wait_time
        self._next_flush = time.monotonic() + cfg.expired.flush_reclaimed_timer_wait_time

    def _open_interfaces(self, cfg: Dhcp4Config) -> list[Interface4]:
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

    def _refresh_subnet_stats(self) -> None:
        now = int(time.time())
        counts: dict[int, int] = {}
        for lease in self.leases.all():
            if lease.state == 0 and lease.expire > now:
                counts[lease.subnet_id] = counts.get(lease.subnet_id, 0) + 1
        for s in self.cfg.subnets:
            self.stats.set(f"subnet[{s.id}].total-addresses", s.total_addresses)
            self.stats.set(f"subnet[{s.id}].assigned-addresses", counts.get(s.id, 0))

    def _request_reload(self) -> None:
        self._reload_requested = True

    def reload(self) -> tuple[bool, str]:
        try:
            cfg = load_config(self.config_path)
            self._apply(cfg)
        except (ConfigError, OSError, ValueError) as exc:
            log.error("DHCP4_CONFIG_LOAD_FAIL the new configuration was rejected, the running one stays: %s", exc)
            return False, str(exc)
        logsetup.configure(cfg.loggers, self.debug)
        log.info("DHCP4_CONFIG_COMPLETE configuration reloaded from %s: %d subnet(s)", self.config_path,
                 len(cfg.subnets))
        return True, "Configuration successful."

    # -- the loop -----------------------------------------------------------------
    def stop(self) -> None:
        self.running = False

    def run(self) -> None:
        while self.running:
            timeout = max(0.0, min(self._next_reclaim, self._next_flush) - time.monotonic())
            for key, _ in self.selector.select(min(timeout, 1.0)):
                kind, iface = key.data
                if kind == "dhcp":
                    self._receive(iface)
                elif kind == "ctrl":
                    conn = self.control.accept() if self.control else None
                    if conn is not None:
                        self.selector.register(conn, selectors.EVENT_READ, ("conn", conn))
                elif kind == "conn":
                    conn = iface
                    fileno = conn.fileno()
                    if self.control is None or fileno not in self.control.pending:
                        self.selector.unregister(conn)
                        conn.close()
                    else:
                        self.selector.unregister(conn)
                        if not self.control.service(conn):
                            self.selector.register(conn, selectors.EVENT_READ, ("conn", conn))
                elif kind == "wake":
                    try:
                        os.read(self._wake_r, 512)
                    except BlockingIOError:
                        pass
            if self._reload_requested:
                self._reload_requested = False
                self.reload()
            now = time.monotonic()
            if now >= self._next_reclaim:
                self.reclaim()
                self._next_reclaim = now + max(1, self.cfg.expired.reclaim_timer_wait_time)
            if now >= self._next_flush:
                self.flush_reclaimed()
                self._next_flush = now + max(1, self.cfg.expired.flush_reclaimed_timer_wait_time)
        self.shutdown()

    def _receive(self, iface: Interface4) -> None:
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
            if remove:
                self.leases.delete(lease)
            elif lease.state == 1:
                # Probation is over: the declined address becomes available again.
                self.leases.delete(lease)
                self.stats.inc("declined-addresses", -1)
                self.stats.inc(f"subnet[{lease.subnet_id}].declined-addresses", -1)
            else:
                self.leases.update(dataclasses.replace(lease, state=2))
            if lease.state == 0:
                self.stats.inc(f"subnet[{lease.subnet_id}].assigned-addresses", -1)
            self.stats.inc("reclaimed-leases")
            self.stats.inc(f"subnet[{lease.subnet_id}].reclaimed-leases")
            count += 1
        if count:
            log.debug("ALLOC_ENGINE_V4_LEASES_RECLAMATION_COMPLETE reclaimed %d lease(s)", count)
        return count

    def flush_reclaimed(self) -> None:
        hold = self.cfg.expired.hold_reclaimed_time
        now = int(time.time())
        for lease in [x for x in self.leases.all() if x.state == 2 and x.expire + hold <= now]:
            self.leases.delete(lease)

    def shutdown(self) -> None:
        log.info("DHCP4_SHUTDOWN lessor DHCPv4 server shutting down")
        for iface in self.interfaces.values():
            iface.close()
        self.interfaces = {}
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.leases is not None:
            self.leases.close()
            self.leases = None
        signal.set_wakeup_fd(-1)

    # -- control commands ---------------------------------------------------------
    def _commands(self) -> dict:
        def config_get(_args):
            return answer(SUCCESS, "", {"Dhcp4": self.cfg.source})

        def config_reload(_args):
            ok, text = self.reload()
            return answer(SUCCESS if ok else ERROR, text)

        def config_test(args):
            try:
                parse_dhcp4(args)
            except (ConfigError, ValueError) as exc:
                return answer(ERROR, str(exc))
            return answer(SUCCESS, "Configuration seems sane.")

        def statistic_get(args):
            name = args.get("name")
            if not isinstance(name, str):
                return answer(ERROR, "'name' parameter missing")
            return answer(SUCCESS, "", self.stats.as_kea(name))

        def leases_reclaim(args):
            if not isinstance(args.get("remove"), bool):
                return answer(ERROR, "'remove' parameter not specified")
            count = self.reclaim(remove=args["remove"])
            return answer(SUCCESS, f"Reclamation of expired leases is complete ({count}).")

        def shutdown(_args):
            self.stop()
            return answer(SUCCESS, "Shutting down.")

        commands = {
            "build-report": lambda a: answer(SUCCESS, f"lessor {__version__}"),
            "config-get": config_get,
            "config-reload": config_reload,
            "config-test": config_test,
            "leases-reclaim": leases_reclaim,
            "shutdown": shutdown,
            "statistic-get": statistic_get,
            "statistic-get-all": lambda a: answer(SUCCESS, "", self.stats.as_kea()),
            "statistic-reset-all": lambda a: (self.stats.reset_all(), answer(SUCCESS, "All statistics reset."))[1],
            "status-get": lambda a: answer(SUCCESS, "", {"pid": os.getpid(), "uptime": 0,
                                                         "multi-threading-enabled": False}),
            "version-get": lambda a: answer(SUCCESS, __version__, {"extended": f"lessor {__version__}"}),
        }
        commands["list-commands"] = lambda a: answer(SUCCESS, "", sorted(commands))
        return commands


__all__ = ["UNSUPPORTED", "Dhcp4Service", "load_config"]

"""What the DHCPv4 and DHCPv6 services share: the receive loop, signals, reloads that keep the running
configuration when the new one fails, lease-expiry timers and the control channel."""

from __future__ import annotations

import logging
import os
import selectors
import signal
import time

from server import __version__
from server import log as logsetup
from server.config import ConfigError
from server.control import ERROR, SUCCESS, ControlChannel, answer, on_control_event
from server.stats import Stats

BATCH = 64


class BaseService:
    """Subclasses set `family` and implement the hooks marked below."""

    family = 0
    lease_file_default = ""

    def __init__(self, config_path: str, port: int, client_port: int, debug: bool = False):
        self.config_path = config_path
        self.port = port
        self.client_port = client_port
        self.debug = debug
        self.stats = Stats()
        self.cfg = None
        self.leases = None
        self.engine = None
        self.interfaces: dict[int, object] = {}  # socket fileno -> interface
        self.control: ControlChannel | None = None
        self.selector = selectors.DefaultSelector()
        self.running = False
        self._reload_requested = False
        self._wake_r, self._wake_w = os.pipe()
        self._next_reclaim = 0.0
        self._next_flush = 0.0
        self.log = logging.getLogger(f"lessor.dhcp{self.family}")
        self.tag = f"DHCP{self.family}"

    # -- hooks ---------------------------------------------------------------------------
    def load_config(self, path: str):
        raise NotImplementedError

    def open_leases(self, cfg):
        raise NotImplementedError

    def open_interfaces(self, cfg) -> list:
        raise NotImplementedError

    def make_engine(self, cfg, interfaces: list):
        raise NotImplementedError

    def receive(self, iface) -> None:
        raise NotImplementedError

    def refresh_subnet_stats(self) -> None:
        raise NotImplementedError

    def reclaim(self, limit: int | None = None, remove: bool = False) -> int:
        raise NotImplementedError

    def flush_reclaimed(self) -> None:
        hold = self.cfg.expired.hold_reclaimed_time
        now = int(time.time())
        for lease in [x for x in self.leases.all() if x.state == 2 and x.expire + hold <= now]:
            self.leases.delete(lease)

    def extra_commands(self) -> dict:
        return {}

    def parse_document(self, doc: dict):
        """Validate a configuration document (config-test)."""
        raise NotImplementedError

    # -- start-up and configuration ------------------------------------------------------
    def start(self) -> None:
        cfg = self.load_config(self.config_path)
        logsetup.configure(cfg.loggers, self.debug)
        self.log.info("%s_STARTING lessor %s (DHCPv%d) starting with %s", self.tag, __version__, self.family,
                      self.config_path)
        self._apply(cfg)
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, ("wake", None))
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGHUP, lambda *_: self._request_reload())
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        self.running = True
        self.log.info("%s_STARTED lessor DHCPv%d server %s serving %d subnet(s) on %s", self.tag, self.family,
                      __version__, len(cfg.subnets),
                      ", ".join(i.name for i in self.interfaces.values()) or "no interface")

    def _apply(self, cfg) -> None:
        """Make cfg the running configuration. Raises (leaving the old one in place) on failure."""
        old_db = self.cfg.lease_database if self.cfg else None
        leases = self.leases
        new_leases = None
        if leases is None or cfg.lease_database != old_db:
            new_leases = self.open_leases(cfg)
        try:
            interfaces = self.open_interfaces(cfg)
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
        self.engine = self.make_engine(cfg, interfaces)
        self.refresh_subnet_stats()
        self._next_reclaim = time.monotonic() + cfg.expired.reclaim_timer_wait_time
        self._next_flush = time.monotonic() + cfg.expired.flush_reclaimed_timer_wait_time

    def _request_reload(self) -> None:
        self._reload_requested = True

    def reload(self) -> tuple[bool, str]:
        try:
            cfg = self.load_config(self.config_path)
            self._apply(cfg)
        except (ConfigError, OSError, ValueError) as exc:
            self.log.error("%s_CONFIG_LOAD_FAIL the new configuration was rejected, the running one stays: %s",
                           self.tag, exc)
            return False, str(exc)
        logsetup.configure(cfg.loggers, self.debug)
        self.log.info("%s_CONFIG_COMPLETE configuration reloaded from %s: %d subnet(s)", self.tag,
                      self.config_path, len(cfg.subnets))
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
                    self.receive(iface)
                elif kind in ("ctrl", "conn"):
                    on_control_event(self.control, self.selector, kind, iface)
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

    def shutdown(self) -> None:
        self.log.info("%s_SHUTDOWN lessor DHCPv%d server shutting down", self.tag, self.family)
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
            return answer(SUCCESS, "", {f"Dhcp{self.family}": self.cfg.source})

        def config_reload(_args):
            ok, text = self.reload()
            return answer(SUCCESS if ok else ERROR, text)

        def config_test(args):
            try:
                self.parse_document(args)
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
        commands.update(self.extra_commands())
        commands["list-commands"] = lambda a: answer(SUCCESS, "", sorted(commands))
        return commands


"""`lessor ddns`: Kea's kea-dhcp-ddns counterpart. Receives NameChangeRequests over UDP, queues them
(at most QUEUE_MAX waiting; the excess is refused and logged), and carries them out on worker threads
(at most MAX_TRANSACTIONS at once, never two for the same DHCID at the same time, in arrival order per
DHCID, as Kea's update manager does). The control channel, SIGHUP reloads and statistics work as in the
DHCP services; a configuration that fails to load or apply leaves the running one in place."""

from __future__ import annotations

import collections
import ipaddress
import logging
import os
import selectors
import signal
import socket
import threading
import time

from server import __version__
from server import log as logsetup
from server.config import ConfigError
from server.control import ERROR, SUCCESS, ControlChannel, answer, on_control_event
from server.ddns.config import QUEUE_MAX, D2Config, load_config, parse_document
from server.ddns.dnsclient import KEY_STATS, DnsClient
from server.ddns.ncr import NameChangeRequest, NcrError, decode
from server.ddns.transactions import Transaction, request_id
from server.stats import Stats

MAX_TRANSACTIONS = 32  # Kea's D2UpdateMgr default
GLOBAL_STATS = ("ncr-received", "ncr-invalid", "ncr-error", "update-sent", "update-signed", "update-unsigned",
                "update-success", "update-timeout", "update-error")


class RequestQueue:
    """NCRs waiting for a worker; `take` hands out the oldest whose DHCID has no transaction running."""

    def __init__(self, limit: int = QUEUE_MAX):
        self.limit = limit
        self.items: collections.deque[NameChangeRequest] = collections.deque()
        self.busy: set[bytes] = set()
        self.cond = threading.Condition()
        self.closed = False

    def put(self, ncr: NameChangeRequest) -> bool:
        with self.cond:
            if len(self.items) >= self.limit:
                return False
            self.items.append(ncr)
            self.cond.notify()
            return True

    def _eligible(self) -> NameChangeRequest | None:
        for ncr in self.items:
            if ncr.dhcid not in self.busy:
                return ncr
        return None

    def take(self) -> NameChangeRequest | None:
        with self.cond:
            while not self.closed:
                ncr = self._eligible()
                if ncr is not None:
                    self.items.remove(ncr)
                    self.busy.add(ncr.dhcid)
                    return ncr
                self.cond.wait()
            return None

    def done(self, ncr: NameChangeRequest) -> None:
        with self.cond:
            self.busy.discard(ncr.dhcid)
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def __len__(self) -> int:
        with self.cond:
            return len(self.items)


class D2Daemon:
    def __init__(self, config_path: str, debug: bool = False):
        self.config_path = config_path
        self.debug = debug
        self.cfg: D2Config | None = None
        self.stats = Stats()
        self.stats_lock = threading.Lock()
        self.queue = RequestQueue()
        self.listener: socket.socket | None = None
        self.control: ControlChannel | None = None
        self.selector = selectors.DefaultSelector()
        self.workers: list[threading.Thread] = []
        self.running = False
        self.reloads = 0
        self.started_at = time.monotonic()
        self._reload_requested = False
        self._wake_r, self._wake_w = os.pipe()
        self.log = logging.getLogger("lessor.ddns")

    # -- statistics ------------------------------------------------------------------------
    def count(self, name: str, amount: int = 1) -> None:
        with self.stats_lock:
            self.stats.inc(name, amount)

    def _init_stats(self, cfg: D2Config) -> None:
        with self.stats_lock:
            for name in GLOBAL_STATS:
                if self.stats.get(name) == 0:
                    self.stats.set(name, 0)
            wanted = {f"key[{k}].{s}" for k in cfg.keys for s in KEY_STATS}
            for name in list(self.stats.as_kea()):
                if name.startswith("key[") and name not in wanted:
                    self.stats.remove(name)
            for name in wanted:
                if self.stats.get(name) == 0:
                    self.stats.set(name, 0)

    # -- configuration -------------------------------------------------------------------
    def start(self) -> None:
        cfg = load_config(self.config_path)
        logsetup.configure(cfg.loggers, self.debug)
        self.log.info("DHCP_DDNS_STARTING lessor %s (DHCP-DDNS) starting with %s", __version__, self.config_path)
        self._apply(cfg)
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, ("wake", None))
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGHUP, lambda *_: self._request_reload())
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        for i in range(MAX_TRANSACTIONS):
            worker = threading.Thread(target=self._work, name=f"d2-worker-{i}", daemon=True)
            worker.start()
            self.workers.append(worker)
        self.running = True
        self.log.info("DHCP_DDNS_STARTED lessor DHCP-DDNS server %s started: listening on %s, port %d, using UDP",
                      __version__, cfg.ip_address, cfg.port)

    def _open_listener(self, cfg: D2Config) -> socket.socket:
        family = socket.AF_INET6 if ipaddress.ip_address(cfg.ip_address).version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            sock.bind((cfg.ip_address, cfg.port))
        except OSError as exc:
            sock.close()
            raise OSError(exc.errno, f"cannot listen on {cfg.ip_address} port {cfg.port}: {exc.strerror}") from None
        sock.setblocking(False)
        return sock

    def _apply(self, cfg: D2Config) -> None:
        """Make cfg the running configuration; raises (the old one stays) when a socket cannot be opened."""
        old = self.cfg
        listener = None
        if old is None or (old.ip_address, old.port) != (cfg.ip_address, cfg.port):
            listener = self._open_listener(cfg)
        control = None
        if cfg.control_socket and (self.control is None or self.control.path != cfg.control_socket):
            try:
                control = ControlChannel(cfg.control_socket, self._commands())
            except OSError:
                if listener is not None:
                    listener.close()
                raise
        # Commit: nothing below can fail.
        if listener is not None:
            if self.listener is not None:
                self.selector.unregister(self.listener)
                self.listener.close()
            self.listener = listener
            self.selector.register(listener, selectors.EVENT_READ, ("ncr", None))
        if control is not None or (not cfg.control_socket and self.control is not None):
            if self.control is not None:
                self.selector.unregister(self.control.sock)
                self.control.close()
            self.control = control
            if control is not None:
                self.selector.register(control.sock, selectors.EVENT_READ, ("ctrl", None))
        self.cfg = cfg
        self._init_stats(cfg)
        if not ipaddress.ip_address(cfg.ip_address).is_loopback:
            self.log.warning("DHCP_DDNS_NOT_ON_LOOPBACK the DHCP-DDNS server has been configured to listen on %s "
                             "which is not the local loopback. This is an insecure configuration supported for "
                             "testing purposes only", cfg.ip_address)

    def _request_reload(self) -> None:
        self._reload_requested = True

    def reload(self, cfg: D2Config | None = None) -> tuple[bool, str]:
        try:
            if cfg is None:
                cfg = load_config(self.config_path)
            self._apply(cfg)
        except (ConfigError, OSError, ValueError) as exc:
            self.log.error("DHCP_DDNS_CONFIG_FAIL DHCP-DDNS server configuration failed, the running one stays: %s",
                           exc)
            return False, str(exc)
        logsetup.configure(cfg.loggers, self.debug)
        self.reloads += 1
        self.log.info("DHCP_DDNS_CONFIGURE configuration reloaded from %s: %d forward and %d reverse domain(s), "
                      "%d TSIG key(s)", self.config_path, len(cfg.forward), len(cfg.reverse), len(cfg.keys))
        return True, "Configuration committed."

    # -- receiving -----------------------------------------------------------------------
    def receive(self) -> None:
        for _ in range(256):
            try:
                data, peer = self.listener.recvfrom(65535)
            except BlockingIOError:
                return
            except OSError as exc:
                self.count("ncr-error")
                self.log.error("DHCP_DDNS_QUEUE_MGR_RECV_ERROR receiving a request failed: %s", exc)
                return
            try:
                ncr = decode(data)
            except NcrError as exc:
                self.count("ncr-invalid")
                self.log.error("DHCP_DDNS_INVALID_NCR application received an invalid DNS update request from %s: %s",
                               peer[0], exc)
                continue
            self.count("ncr-received")
            if not self.queue.put(ncr):
                self.count("ncr-error")
                self.log.error("DHCP_DDNS_QUEUE_MGR_QUEUE_FULL application request queue has reached maximum number "
                               "of entries %d: request refused: %s", self.queue.limit, ncr.describe())
                continue
            self.log.debug("DHCP_DDNS_QUEUE_MGR_QUEUE_RECEIVE Request ID %s: received and queued a request: %s",
                           request_id(ncr), ncr.describe())

    def _work(self) -> None:
        while True:
            ncr = self.queue.take()
            if ncr is None:
                return
            try:
                cfg = self.cfg
                Transaction(ncr, cfg, DnsClient(cfg.dns_server_timeout, self.count), self.log).run()
            except Exception:  # noqa: BLE001 - one request must never stop the worker
                self.log.exception("DHCP_DDNS_STATE_MODEL_UNEXPECTED_ERROR Request ID %s: unexpected error while "
                                   "carrying out: %s", request_id(ncr), ncr.describe())
            finally:
                self.queue.done(ncr)

    # -- the loop --------------------------------------------------------------------------
    def stop(self) -> None:
        self.running = False

    def run(self) -> None:
        while self.running:
            for key, _ in self.selector.select(1.0):
                kind, conn = key.data
                if kind == "ncr":
                    self.receive()
                elif kind in ("ctrl", "conn"):
                    on_control_event(self.control, self.selector, kind, conn)
                elif kind == "wake":
                    try:
                        os.read(self._wake_r, 512)
                    except BlockingIOError:
                        pass
            if self._reload_requested:
                self._reload_requested = False
                self.reload()
        self.shutdown()

    def shutdown(self) -> None:
        self.log.info("DHCP_DDNS_SHUTDOWN lessor DHCP-DDNS server shutting down (%d request(s) still queued)",
                      len(self.queue))
        self.queue.close()
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        if self.control is not None:
            self.control.close()
            self.control = None
        signal.set_wakeup_fd(-1)
        deadline = time.monotonic() + 5
        for worker in self.workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    # -- control commands ------------------------------------------------------------------
    def _commands(self) -> dict:
        def config_test(args):
            try:
                parse_document(args)
            except (ConfigError, ValueError) as exc:
                return answer(ERROR, str(exc))
            return answer(SUCCESS, "Configuration check successful")

        def config_set(args):
            try:
                cfg = parse_document(args)
            except (ConfigError, ValueError) as exc:
                return answer(ERROR, str(exc))
            ok, text = self.reload(cfg)
            return answer(SUCCESS if ok else ERROR, text)

        def config_reload(_args):
            ok, text = self.reload()
            return answer(SUCCESS if ok else ERROR, text)

        def statistic_get(args):
            name = args.get("name")
            if not isinstance(name, str):
                return answer(ERROR, "'name' parameter missing")
            with self.stats_lock:
                return answer(SUCCESS, "", self.stats.as_kea(name))

        def statistic_get_all(_args):
            with self.stats_lock:
                return answer(SUCCESS, "", self.stats.as_kea())

        def statistic_reset(args):
            name = args.get("name")
            if not isinstance(name, str):
                return answer(ERROR, "'name' parameter missing")
            with self.stats_lock:
                if name not in self.stats.as_kea():
                    return answer(ERROR, f"No '{name}' statistic found")
                self.stats.set(name, 0)
            return answer(SUCCESS, f"Statistic '{name}' reset.")

        def statistic_reset_all(_args):
            with self.stats_lock:
                self.stats.reset_all()
            return answer(SUCCESS, "All statistics reset to neutral values.")

        def shutdown(_args):
            self.stop()
            return answer(SUCCESS, "Shutdown initiated, type is: normal")

        commands = {
            "build-report": lambda a: answer(SUCCESS, f"lessor {__version__}"),
            "config-get": lambda a: answer(SUCCESS, "", {"DhcpDdns": self.cfg.source}),
            "config-reload": config_reload,
            "config-set": config_set,
            "config-test": config_test,
            "shutdown": shutdown,
            "statistic-get": statistic_get,
            "statistic-get-all": statistic_get_all,
            "statistic-reset": statistic_reset,
            "statistic-reset-all": statistic_reset_all,
            "status-get": lambda a: answer(SUCCESS, "", {"pid": os.getpid(), "reload": self.reloads,
                                                         "uptime": int(time.monotonic() - self.started_at)}),
            "version-get": lambda a: answer(SUCCESS, __version__, {"extended": f"lessor {__version__}"}),
        }
        commands["list-commands"] = lambda a: answer(SUCCESS, "", sorted(commands))
        return commands

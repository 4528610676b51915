"""What every SUT adapter does."""

from __future__ import annotations

import abc
import time
from collections.abc import Callable
from pathlib import Path

from forge.hosts import Host, HostError, Process
from forge.lab import Lab
from forge.leases import Lease
from forge.model import ServerModel


class ServerStartError(Exception):
    """The server did not come up; the message carries its own log lines."""


def poll(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Call condition until it is true or `timeout` seconds pass. Never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def poll_until_quiet(read: Callable[[], dict], signature: Callable[[dict], object], ready: Callable[[dict], bool],
                     quiet: float, timeout: float, interval: float = 0.05) -> tuple[bool, dict]:
    """Poll `read()` (counters; OSError or ValueError means not yet readable) until `ready` holds for the
    latest reading and `signature` of the readings has not changed for `quiet` seconds. Returns (True, the
    reading at the last change) or (False, the same) once `timeout` passes."""
    state: dict = {"last": None, "since": time.monotonic(), "reading": {}}

    def done() -> bool:
        try:
            reading = read()
        except (OSError, ValueError):
            return False
        now = time.monotonic()
        mark = signature(reading)
        if mark != state["last"]:
            state["last"], state["since"], state["reading"] = mark, now, reading
        return ready(reading) and now - state["since"] >= quiet

    ok = poll(done, timeout, interval)
    return ok, state["reading"]


def log_tail(text: str, lines: int = 25) -> str:
    tail = text.strip().splitlines()[-lines:]
    return "\n".join("    | " + line for line in tail) or "    | (the server wrote nothing)"


class SutAdapter(abc.ABC):
    """Renders a ServerModel to native files on a host and drives the server there."""

    name: str = ""
    #: What this SUT can do; a scenario tagged with a capability it lacks is reported unsupported.
    capabilities: frozenset[str] = frozenset()
    start_timeout: float = 15.0

    def __init__(self, host: Host, lab: Lab, workdir: str):
        self.host = host
        self.lab = lab
        self.workdir = workdir
        self.model: ServerModel | None = None
        self.process: Process | None = None
        self.host.makedirs(workdir)

    # -- to implement -------------------------------------------------
    @abc.abstractmethod
    def render(self, model: ServerModel) -> dict[str, str]:
        """The native configuration files for the model: {path on host: content}."""

    @abc.abstractmethod
    def _launch(self, model: ServerModel) -> Process: ...

    @abc.abstractmethod
    def _ready(self, model: ServerModel) -> bool:
        """True once the server answers (bound sockets, control channel)."""

    @abc.abstractmethod
    def lease_files(self) -> list[str]: ...

    @abc.abstractmethod
    def leases(self) -> list[Lease]: ...

    @abc.abstractmethod
    def log_files(self) -> list[str]: ...

    def use_dns(self, dns) -> None:
        """A SUT that updates DNS itself (no DHCP-DDNS daemon) takes the scenario's DnsModel here."""
        raise NotImplementedError(f"{self.name} sends its DNS updates through a DHCP-DDNS daemon")

    def dns_update_counts(self) -> dict[str, int]:
        """A SUT that updates DNS itself: its updates so far, counted as D2 counts them (ncr-received,
        update-sent, update-success, update-error)."""
        raise NotImplementedError(f"{self.name} sends its DNS updates through a DHCP-DDNS daemon")

    def udp_port_bound(self, port: int) -> bool:
        """True once something on the SUT host listens on this UDP port (readiness, never a sleep)."""
        try:
            result = self.host.run(["ss", "-Hlun", f"sport = :{port}"], check=False, timeout=5)
        except HostError:
            return False
        return result.ok and bool(result.stdout.strip())

    @staticmethod
    def server_port(model: ServerModel) -> int:
        return 67 if model.version == 4 else 547

    def _apply_reconfigure(self, model: ServerModel) -> None:
        """Load a new configuration into a running server; the default restarts it."""
        self.stop()
        self.start(model)

    # -- common behaviour --------------------------------------------
    def log(self) -> str:
        return "\n".join(t for t in (self.host.read_text(p) for p in self.log_files()) if t)

    def write_config(self, model: ServerModel) -> None:
        for path, content in self.render(model).items():
            self.host.put_file(path, content)

    def start(self, model: ServerModel) -> None:
        if self.process is not None and self.process.alive():
            raise ServerStartError(f"{self.name} is already running")
        self.model = model
        self.write_config(model)
        self.process = self._launch(model)
        started = poll(lambda: not self.process.alive() or self._ready(model), self.start_timeout)
        if not self.process.alive():
            raise ServerStartError(f"{self.name} exited during start-up "
                                   f"(status {self.process.wait(1)}); its log:\n{log_tail(self.log())}")
        if not started:
            self.process.stop()
            raise ServerStartError(f"{self.name} was not ready after {self.start_timeout}s; "
                                   f"its log:\n{log_tail(self.log())}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def restart(self, model: ServerModel | None = None) -> None:
        model = model or self.model
        self.stop()
        self.start(model)

    def reconfigure(self, model: ServerModel) -> None:
        if self.process is None or not self.process.alive():
            self.start(model)
            return
        self._apply_reconfigure(model)
        self.model = model

    def running(self) -> bool:
        return self.process is not None and self.process.alive()

    def collect(self, dest: Path) -> None:
        """Copy the rendered configuration, logs and lease files into an artifact folder."""
        dest.mkdir(parents=True, exist_ok=True)
        paths = list(self.model and self.render(self.model) or {}) + self.log_files() + self.lease_files()
        for path in paths:
            try:
                (dest / Path(path).name).write_bytes(self.host.get_file(path))
            except (FileNotFoundError, IsADirectoryError):
                continue

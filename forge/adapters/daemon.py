"""A helper daemon a scenario runs beside the SUT (a DNS server, a DHCP-DDNS daemon): rendered files in its own
work folder, a foreground process on the SUT's host, readiness by polling, its files collected as artifacts."""

from __future__ import annotations

import abc
import signal
from pathlib import Path

from forge.adapters.base import ServerStartError, log_tail, poll
from forge.hosts import Host, Process


class Daemon(abc.ABC):
    """Start, check and stop one helper process; subclasses render its files and say how it is ready."""

    name: str = ""
    start_timeout: float = 10.0

    def __init__(self, host: Host, workdir: str):
        self.host = host
        self.workdir = workdir
        self.process: Process | None = None
        self.rendered: dict[str, str] = {}
        host.makedirs(workdir)

    @abc.abstractmethod
    def render(self, model) -> dict[str, str]:
        """{path on host: content} for the model."""

    @abc.abstractmethod
    def command_line(self) -> list[str]: ...

    @abc.abstractmethod
    def ready(self) -> bool: ...

    @abc.abstractmethod
    def log_files(self) -> list[str]: ...

    def env(self) -> dict[str, str] | None:
        return None

    @abc.abstractmethod
    def check(self) -> None:
        """Let the daemon check its configuration before it runs; raise with its words when it refuses."""

    @property
    def output_path(self) -> str:
        return f"{self.workdir}/{self.name.replace(' ', '-')}.out"

    def log(self) -> str:
        return "\n".join(t for t in (self.host.read_text(p) for p in self.log_files()) if t)

    def running(self) -> bool:
        return self.process is not None and self.process.alive()

    def start(self, model) -> None:
        if self.running():
            raise ServerStartError(f"{self.name} is already running")
        self.rendered = self.render(model)
        for path, content in self.rendered.items():
            self.host.put_file(path, content)
        self.check()
        self.process = self.host.spawn(self.command_line(), log_path=self.output_path, env=self.env())
        process = self.process
        started = poll(lambda: not process.alive() or self.ready(), self.start_timeout, interval=0.05)
        if not process.alive():
            raise ServerStartError(f"{self.name} exited during start-up (status {process.wait(1)}); "
                                   f"its log:\n{log_tail(self.log())}")
        if not started:
            self.stop()
            raise ServerStartError(f"{self.name} was not ready after {self.start_timeout}s; "
                                   f"its log:\n{log_tail(self.log())}")

    def pause(self) -> None:
        """Freeze the process (SIGSTOP): its sockets stay open, so clients see time-outs, not refusals."""
        if not self.running():
            raise ServerStartError(f"{self.name} is not running")
        self.process.signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            self.process.signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.resume()  # a frozen process would not act on SIGTERM
            self.process.stop()
            self.process = None

    def collect(self, dest: Path) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        for path in list(self.rendered) + self.log_files():
            try:
                (dest / Path(path).name).write_bytes(self.host.get_file(path))
            except (FileNotFoundError, IsADirectoryError):
                continue

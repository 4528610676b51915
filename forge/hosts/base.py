"""The one interface every host implements.

A host runs commands, spawns long-running processes whose output goes to a
log file on that host, and moves files in and out. Paths are paths on the host.
"""

from __future__ import annotations

import abc
import signal
from dataclasses import dataclass


class HostError(Exception):
    """A command could not be run, or a file could not be moved."""


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Process(abc.ABC):
    """A handle to a long-running process on a host."""

    pid: int
    log_path: str

    @abc.abstractmethod
    def alive(self) -> bool: ...

    @abc.abstractmethod
    def signal(self, sig: int) -> None: ...

    @abc.abstractmethod
    def wait(self, timeout: float) -> int | None:
        """Wait for the process to exit; its exit status, or None on timeout."""

    @abc.abstractmethod
    def output(self) -> str:
        """What the process has written to stdout and stderr so far."""

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout` seconds. Returns the exit status when known."""
        if not self.alive():
            return self.wait(0)
        self.signal(signal.SIGTERM)
        status = self.wait(timeout)
        if status is None and self.alive():
            self.signal(signal.SIGKILL)
            status = self.wait(timeout)
        return status


class Host(abc.ABC):
    """Where a server runs."""

    name: str

    @abc.abstractmethod
    def run(self, argv: list[str], *, timeout: float = 30.0, check: bool = True,
            env: dict[str, str] | None = None) -> CommandResult: ...

    @abc.abstractmethod
    def spawn(self, argv: list[str], *, log_path: str, env: dict[str, str] | None = None) -> Process: ...

    @abc.abstractmethod
    def put_file(self, path: str, data: bytes | str, mode: int = 0o644) -> None: ...

    @abc.abstractmethod
    def get_file(self, path: str) -> bytes:
        """The file's content; raises FileNotFoundError when it does not exist."""

    @abc.abstractmethod
    def makedirs(self, path: str) -> None: ...

    @abc.abstractmethod
    def remove_tree(self, path: str) -> None: ...

    @abc.abstractmethod
    def unix_request(self, socket_path: str, payload: bytes, timeout: float = 5.0) -> bytes:
        """Send payload on a unix stream socket on the host and read the answer until EOF."""

    def exists(self, path: str) -> bool:
        try:
            self.get_file(path)
        except (FileNotFoundError, IsADirectoryError):
            return False
        return True

    def read_text(self, path: str, default: str = "") -> str:
        try:
            return self.get_file(path).decode("utf-8", "replace")
        except FileNotFoundError:
            return default

    def _checked(self, result: CommandResult, check: bool) -> CommandResult:
        if check and not result.ok:
            raise HostError(f"{self.name}: `{' '.join(result.argv)}` exited {result.returncode}: "
                            f"{(result.stderr or result.stdout).strip()[-2000:]}")
        return result

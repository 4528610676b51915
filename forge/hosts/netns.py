"""A host that is a network namespace on this machine (or this machine itself)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from forge.hosts.base import CommandResult, Host, HostError, Process


def _env_prefix(env: dict[str, str] | None) -> list[str]:
    return ["env"] + [f"{k}={v}" for k, v in env.items()] if env else []


class LocalProcess(Process):
    def __init__(self, popen: subprocess.Popen, log_path: str):
        self._popen = popen
        self.pid = popen.pid
        self.log_path = log_path

    def alive(self) -> bool:
        return self._popen.poll() is None

    def signal(self, sig: int) -> None:
        try:
            # The process leads its own session; signal the whole group so
            # that `ip netns exec` wrappers and children go too.
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass

    def wait(self, timeout: float) -> int | None:
        try:
            return self._popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def output(self) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")
        except FileNotFoundError:
            return ""


class NetnsHost(Host):
    """Runs commands inside `netns` (or in the current namespace when netns is None)."""

    def __init__(self, netns: str | None):
        self.netns = netns
        self.name = f"netns:{netns}" if netns else "local"

    def _wrap(self, argv: list[str], env: dict[str, str] | None) -> list[str]:
        prefix = ["ip", "netns", "exec", self.netns] if self.netns else []
        return prefix + _env_prefix(env) + list(argv)

    def run(self, argv, *, timeout=30.0, check=True, env=None) -> CommandResult:
        full = self._wrap(argv, env)
        try:
            proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout, check=False)
        except FileNotFoundError as exc:
            raise HostError(f"{self.name}: cannot run {argv[0]}: {exc.strerror}") from None
        except subprocess.TimeoutExpired:
            raise HostError(f"{self.name}: `{' '.join(argv)}` did not finish in {timeout}s") from None
        return self._checked(CommandResult(tuple(full), proc.returncode, proc.stdout, proc.stderr), check)

    def spawn(self, argv, *, log_path, env=None) -> Process:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            popen = subprocess.Popen(self._wrap(argv, env), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        return LocalProcess(popen, log_path)

    def put_file(self, path, data, mode=0o644) -> None:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode() if isinstance(data, str) else data)
        os.chmod(p, mode)

    def get_file(self, path) -> bytes:
        return Path(path).read_bytes()

    def makedirs(self, path) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def remove_tree(self, path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def unix_request(self, socket_path, payload, timeout=5.0) -> bytes:
        # Unix sockets are named in the file system, which all namespaces here share.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(socket_path)
            s.sendall(payload)
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)


__all__ = ["LocalProcess", "NetnsHost", "signal"]

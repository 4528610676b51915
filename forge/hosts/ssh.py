"""A host reached over SSH with paramiko, using key authentication.

Commands may be prefixed with sudo (`sudo: true`) and with `ip netns exec NS`
(`netns: NAME`) when the remote side keeps its DHCP interface in a namespace.
Long-running processes are started detached with setsid and their output goes
to a log file on the remote host; the handle tracks them by PID.
"""

from __future__ import annotations

import shlex
import threading
import time

from forge.hosts.base import CommandResult, Host, HostError, Process


def _read_both(channel_file_out, channel_file_err) -> tuple[bytes, bytes]:
    """Read stdout and stderr concurrently: reading one to EOF first can deadlock on large output."""
    out: list[bytes] = []
    err: list[bytes] = []
    t = threading.Thread(target=lambda: err.append(channel_file_err.read()), daemon=True)
    t.start()
    out.append(channel_file_out.read())
    t.join()
    return out[0], err[0] if err else b""


class SshProcess(Process):
    def __init__(self, host: SshHost, pid: int, log_path: str):
        self._host = host
        self.pid = pid
        self.log_path = log_path
        self._status: int | None = None

    def alive(self) -> bool:
        return self._host.run(["kill", "-0", str(self.pid)], check=False).ok

    def signal(self, sig: int) -> None:
        self._host.run(["kill", f"-{int(sig)}", f"-{self.pid}"], check=False)

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while True:
            if not self.alive():
                return 0 if self._status is None else self._status
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)

    def output(self) -> str:
        return self._host.read_text(self.log_path)


class SshHost(Host):
    def __init__(self, hostname: str, *, username: str = "root", port: int = 22, key_filename: str | None = None,
                 sudo: bool = False, netns: str | None = None, known_hosts: str | None = None):
        import paramiko

        self.name = f"ssh:{username}@{hostname}"
        self.sudo = sudo
        self.netns = netns
        self._client = paramiko.SSHClient()
        if known_hosts:
            self._client.load_host_keys(known_hosts)
        else:
            self._client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            self._client.connect(hostname, port=port, username=username, key_filename=key_filename,
                                 allow_agent=False, look_for_keys=key_filename is None, timeout=10)
        except Exception as exc:
            raise HostError(f"{self.name}: cannot connect: {exc}") from None
        self._sftp = self._client.open_sftp()

    def close(self) -> None:
        self._sftp.close()
        self._client.close()

    def _command(self, argv: list[str], env: dict[str, str] | None = None) -> str:
        prefix: list[str] = []
        if self.sudo:
            prefix += ["sudo", "-n"]
        if self.netns:
            prefix += ["ip", "netns", "exec", self.netns]
        if env:
            prefix += ["env"] + [f"{k}={v}" for k, v in env.items()]
        return shlex.join(prefix + list(argv))

    def run(self, argv, *, timeout=30.0, check=True, env=None) -> CommandResult:
        command = self._command(argv, env)
        _stdin, stdout, stderr = self._client.exec_command(command, timeout=timeout)
        out, err = _read_both(stdout, stderr)
        code = stdout.channel.recv_exit_status()
        return self._checked(CommandResult(tuple(argv), code, out.decode(errors="replace"),
                                           err.decode(errors="replace")), check)

    def spawn(self, argv, *, log_path, env=None) -> Process:
        inner = self._command(argv, env)
        script = f"setsid sh -c {shlex.quote(inner)} >> {shlex.quote(log_path)} 2>&1 < /dev/null & echo $!"
        result = self.run(["sh", "-c", script])
        return SshProcess(self, int(result.stdout.strip()), log_path)

    def put_file(self, path, data, mode=0o644) -> None:
        with self._sftp.open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        self._sftp.chmod(path, mode)

    def get_file(self, path) -> bytes:
        try:
            with self._sftp.open(path, "rb") as f:
                return f.read()
        except OSError as exc:
            if getattr(exc, "errno", None) == 2 or "No such file" in str(exc):
                raise FileNotFoundError(path) from None
            raise

    def makedirs(self, path) -> None:
        self.run(["mkdir", "-p", path])

    def remove_tree(self, path) -> None:
        self.run(["rm", "-rf", path], check=False)

    def unix_request(self, socket_path, payload, timeout=5.0) -> bytes:
        code = ("import socket,sys;s=socket.socket(socket.AF_UNIX);s.settimeout(%r);s.connect(%r);"
                "s.sendall(sys.stdin.buffer.read());b=b''\nwhile True:\n c=s.recv(65536)\n if not c: break\n b+=c\n"
                "sys.stdout.buffer.write(b)") % (timeout, socket_path)
        command = self._command(["python3", "-c", code])
        stdin, stdout, stderr = self._client.exec_command(command, timeout=timeout + 5)
        stdin.write(payload)
        stdin.channel.shutdown_write()
        out, err = _read_both(stdout, stderr)
        if stdout.channel.recv_exit_status() != 0:
            raise OSError(f"{self.name}: control socket {socket_path}: {err.decode(errors='replace').strip()}")
        return out

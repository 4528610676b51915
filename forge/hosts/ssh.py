"""A host reached over SSH with paramiko, using key authentication.

Commands may be prefixed with `sudo -n` (`sudo: true`: a login user that is not root, with password-less sudo)
and with `ip netns exec NS` (`netns: NAME`) when the remote side keeps its DHCP interface in a namespace.
Files move over SFTP as the login user; with sudo, a file the user may not read or write goes through
`sudo -n cat` / `sudo -n sh -c 'cat > ...'` instead. Long-running processes start detached (setsid, in the
background, output to a log file on the remote host); the handle tracks them by PID (the process group leader)
and stops them by signalling the group, SIGTERM then SIGKILL.

The host key must be known: from `known_hosts` when given, else from ~/.ssh/known_hosts; unknown keys are refused.
"""

from __future__ import annotations

import errno
import posixpath
import shlex
import signal
import stat
import threading
import time

from forge.hosts.base import CommandResult, Host, HostError, Process

# Runs on the remote host: sends stdin to a unix stream socket and copies the answer, up to EOF, to stdout.
_UNIX_CLIENT = (
    "import socket,sys\n"
    "s=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\n"
    "s.settimeout(float(sys.argv[2]))\n"
    "s.connect(sys.argv[1])\n"
    "s.sendall(sys.stdin.buffer.read())\n"
    "while True:\n"
    "    c=s.recv(65536)\n"
    "    if not c: break\n"
    "    sys.stdout.buffer.write(c)\n"
)


def _read_into(stream, chunks: list[bytes]) -> None:
    try:
        chunks.append(stream.read())
    except (TimeoutError, OSError):  # the reading side reports the time-out
        pass


class SshProcess(Process):
    """A process started by SshHost.spawn: the leader of its own process group on the remote host."""

    def __init__(self, host: SshHost, pid: int, log_path: str, status_path: str):
        self._host = host
        self.pid = pid
        self.log_path = log_path
        self._status_path = status_path
        self._last_signal: int | None = None

    def alive(self) -> bool:
        # /proc over SFTP: no command to run, and an unreaped zombie counts as gone.
        try:
            text = self._host.get_file(f"/proc/{self.pid}/stat").decode(errors="replace")
        except (FileNotFoundError, OSError):
            return False
        return text.rpartition(")")[2].split()[:1] != ["Z"]

    def signal(self, sig: int) -> None:
        self._last_signal = int(sig)
        self._host.run(["kill", f"-{int(sig)}", "--", f"-{self.pid}"], check=False)

    def _status(self) -> int:
        # The wrapper shell writes the exit status when the command ends by itself; a signalled group has none.
        text = self._host.read_text(self._status_path).strip()
        if text.lstrip("-").isdigit():
            return int(text)
        return -self._last_signal if self._last_signal else -1

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
        return self._status()

    def output(self) -> str:
        return self._host.read_text(self.log_path)

    def _group_alive(self) -> bool:
        # Not `kill -0 -PGID`: that counts zombies, which wait for a reaper for a while on some hosts.
        script = f"ps -eo pgid=,stat= | awk '$1 == {self.pid} && $2 !~ /^Z/ {{ found = 1 }} END {{ exit !found }}'"
        return self._host.run(["sh", "-c", script], check=False).ok

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM to the process group, then SIGKILL after `timeout` seconds: the group, not only its leader
        (the wrapper shell), so that a child that survives the leader is still stopped."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            deadline = time.monotonic() + timeout
            if not self._group_alive():
                return self._status()
            self.signal(sig)
            while self._group_alive():
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
            else:
                return self._status()
        return None


class SshHost(Host):
    def __init__(self, hostname: str, *, username: str = "root", port: int = 22, key_filename: str | None = None,
                 sudo: bool = False, netns: str | None = None, known_hosts: str | None = None,
                 connect_timeout: float = 10.0):
        import paramiko

        self.name = f"ssh:{username}@{hostname}:{port}"
        self.sudo = sudo
        self.netns = netns
        self._client = paramiko.SSHClient()
        try:
            if known_hosts:
                self._client.load_host_keys(known_hosts)
            else:
                self._client.load_system_host_keys()
        except OSError as exc:
            raise HostError(f"{self.name}: cannot read known hosts {known_hosts}: {exc}") from None
        self._client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            self._client.connect(hostname, port=port, username=username, key_filename=key_filename,
                                 allow_agent=False, look_for_keys=key_filename is None, timeout=connect_timeout,
                                 banner_timeout=connect_timeout, auth_timeout=connect_timeout)
        except (paramiko.SSHException, OSError) as exc:
            self._client.close()
            raise HostError(f"{self.name}: cannot connect: {exc}") from None
        self._sftp = self._client.open_sftp()

    def close(self) -> None:
        self._sftp.close()
        self._client.close()

    def __enter__(self) -> SshHost:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- commands ----------------------------------------------------
    def _command(self, argv: list[str], env: dict[str, str] | None = None, privileged: bool = True) -> str:
        prefix: list[str] = []
        if self.sudo and privileged:
            prefix += ["sudo", "-n"]
        if self.netns and privileged:
            prefix += ["ip", "netns", "exec", self.netns]
        if env:
            prefix += ["env"] + [f"{k}={v}" for k, v in env.items()]
        return shlex.join(prefix + list(argv))

    def _exec(self, command: str, timeout: float, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
        """Run one command line; stdout and stderr are read at the same time (one of them filling up while
        the other is read to its end would stall the remote command)."""
        try:
            channel = self._client.get_transport().open_session(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - paramiko raises several kinds for a dead transport
            raise HostError(f"{self.name}: cannot open a session: {exc}") from None
        with channel:
            channel.settimeout(timeout)
            errors: list[bytes] = []
            try:
                channel.exec_command(command)
                if stdin is not None:
                    channel.sendall(stdin)
                channel.shutdown_write()
                reader = threading.Thread(target=_read_into, args=(channel.makefile_stderr("rb"), errors),
                                          daemon=True)
                reader.start()
                out = channel.makefile("rb").read()
                reader.join(timeout)
                code = channel.recv_exit_status()
            except TimeoutError:
                raise HostError(f"{self.name}: `{command}` did not finish in {timeout}s") from None
        return code, out, errors[0] if errors else b""

    def run(self, argv, *, timeout=30.0, check=True, env=None) -> CommandResult:
        code, out, err = self._exec(self._command(argv, env), timeout)
        return self._checked(CommandResult(tuple(argv), code, out.decode(errors="replace"),
                                           err.decode(errors="replace")), check)

    def spawn(self, argv, *, log_path, env=None) -> Process:
        status_path = log_path + ".status"
        inner = f"{self._command(argv, env)}; echo $? > {shlex.quote(status_path)}"
        script = (f"mkdir -p {shlex.quote(posixpath.dirname(log_path) or '.')} && rm -f {shlex.quote(status_path)}"
                  f" && {{ setsid sh -c {shlex.quote(inner)} >> {shlex.quote(log_path)} 2>&1 < /dev/null & }}"
                  f" && echo $!")
        code, out, err = self._exec(shlex.join(["sh", "-c", script]), 30.0)
        text = out.decode(errors="replace").strip()
        if code != 0 or not text.isdigit():
            raise HostError(f"{self.name}: cannot start `{' '.join(argv)}`: {err.decode(errors='replace').strip()}")
        return SshProcess(self, int(text), log_path, status_path)

    def make_workroot(self, prefix: str = "forge-", parent: str = "/tmp") -> str:
        """A fresh folder owned by the login user (so SFTP can write in it), for one session's files."""
        template = posixpath.join(parent, prefix + "XXXXXXXX")
        code, out, err = self._exec(shlex.join(["mktemp", "-d", template]), 30.0)
        if code != 0:
            raise HostError(f"{self.name}: mktemp failed: {err.decode(errors='replace').strip()}")
        return out.decode().strip()

    # -- files -------------------------------------------------------
    def put_file(self, path, data, mode=0o644) -> None:
        payload = data.encode() if isinstance(data, str) else data
        try:
            self.makedirs(posixpath.dirname(path) or ".")
            with self._sftp.open(path, "wb") as f:
                f.write(payload)
            self._sftp.chmod(path, mode)
        except PermissionError:
            if not self.sudo:
                raise
            script = f"cat > {shlex.quote(path)} && chmod {mode:o} {shlex.quote(path)}"
            code, _, err = self._exec(self._command(["sh", "-c", script]), 30.0, stdin=payload)
        else:
            return
        if code != 0:
            raise HostError(f"{self.name}: cannot write {path}: {err.decode(errors='replace').strip()}")

    def get_file(self, path) -> bytes:
        try:
            with self._sftp.open(path, "rb") as f:
                return f.read()
        except PermissionError:
            if not self.sudo:
                raise
        except OSError as exc:
            if exc.errno == errno.ENOENT or "No such file" in str(exc):
                raise FileNotFoundError(path) from None
            if self._is_dir(path):
                raise IsADirectoryError(path) from None
            raise
        code, out, err = self._exec(self._command(["cat", "--", path]), 30.0)
        if code != 0:
            raise FileNotFoundError(path)
        return out

    def _is_dir(self, path: str) -> bool:
        try:
            return stat.S_ISDIR(self._sftp.stat(path).st_mode or 0)
        except OSError:
            return False

    def makedirs(self, path) -> None:
        if self._is_dir(path):
            return
        code, _, err = self._exec(self._command(["mkdir", "-p", path], privileged=False), 30.0)
        if code != 0 and self.sudo:
            code, _, err = self._exec(self._command(["mkdir", "-p", path]), 30.0)
        if code != 0:
            raise HostError(f"{self.name}: cannot create {path}: {err.decode(errors='replace').strip()}")

    def remove_tree(self, path) -> None:
        self.run(["rm", "-rf", "--", path], check=False)

    def unix_request(self, socket_path, payload, timeout=5.0) -> bytes:
        command = self._command(["python3", "-c", _UNIX_CLIENT, socket_path, str(timeout)])
        try:
            code, out, err = self._exec(command, timeout + 10, stdin=payload)
        except HostError as exc:
            raise OSError(str(exc)) from None
        if code != 0:
            raise OSError(f"{self.name}: control socket {socket_path}: {err.decode(errors='replace').strip()}")
        return out


__all__ = ["SshHost", "SshProcess"]

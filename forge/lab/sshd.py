"""The SSH variant of the lab: a private sshd inside the SUT namespace.

`forge lab up` on a lab whose `sut.host.type` is ssh (and whose SUT is built here) generates, in a state folder
outside the repository (/var/tmp/forge-lab-<name>/, mode 0700, never committed):

    ssh_host_ed25519_key(.pub)   the sshd's host key
    client_ed25519(.pub)         the key forge logs in with; its public half is the only authorized key
    authorized_keys, known_hosts (the host key, for forge's host-key check), sshd_config, sshd.pid, sshd.log

and starts /usr/sbin/sshd in the SUT namespace, listening only on the SUT's lab address: root by key only, no
password or keyboard-interactive login, SFTP built in. `forge lab down` stops it and removes the folder (keys
included). Every step is idempotent, and readiness is polled (the SSH banner), never slept on.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from forge.lab.topology import Lab, LabError

SSHD = "/usr/sbin/sshd"
#: sshd refuses to start without its privilege separation folder (compiled in as /run/sshd on Debian).
PRIVSEP_DIR = Path("/run/sshd")
STATE_ROOT = Path("/var/tmp")
START_TIMEOUT = 10.0

# Connects from inside the SUT namespace until the SSH banner comes or the deadline passes: one process, many tries.
_BANNER_PROBE = """
import socket, sys, time
host, port, deadline = sys.argv[1], int(sys.argv[2]), time.monotonic() + float(sys.argv[3])
while True:
    try:
        with socket.create_connection((host, port), timeout=1) as s:
            if s.recv(64).startswith(b"SSH-"):
                sys.exit(0)
    except OSError:
        pass
    if time.monotonic() >= deadline:
        sys.exit(1)
    time.sleep(0.05)
"""


def state_dir(lab: Lab) -> Path:
    return STATE_ROOT / ("forge-lab-" + re.sub(r"[^A-Za-z0-9._-]+", "-", lab.name))


def client_key(lab: Lab) -> Path:
    return state_dir(lab) / "client_ed25519"


def known_hosts(lab: Lab) -> Path:
    return state_dir(lab) / "known_hosts"


def _pidfile(lab: Lab) -> Path:
    return state_dir(lab) / "sshd.pid"


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (orphans may wait for a reaper a while)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def pid(lab: Lab) -> int | None:
    """The lab sshd's PID when it is running, else None."""
    try:
        value = int(_pidfile(lab).read_text().strip())
    except (OSError, ValueError):
        return None
    if not _alive(value):
        return None
    try:
        exe = os.readlink(f"/proc/{value}/exe")
    except OSError:
        return None
    return value if os.path.basename(exe).startswith("sshd") else None


def _banner(lab: Lab, timeout: float) -> bool:
    host = lab.sut_host
    proc = subprocess.run(["ip", "netns", "exec", lab.sut.netns, sys.executable, "-c", _BANNER_PROBE,
                           host.address, str(host.port), str(timeout)],
                          capture_output=True, timeout=timeout + 10, check=False)
    return proc.returncode == 0


def problems(lab: Lab) -> list[str]:
    """What is wrong with the lab's sshd; empty when it runs and answers (or the lab has none)."""
    if not lab.lab_sshd:
        return []
    if pid(lab) is None:
        return ["sshd not running"]
    if not _banner(lab, 1.0):
        return [f"sshd does not answer on {lab.sut_host.address}:{lab.sut_host.port}"]
    return []


def describe(lab: Lab) -> str:
    """One line for `forge lab status`."""
    value = pid(lab)
    where = f"{lab.sut_host.address}:{lab.sut_host.port} in {lab.sut.netns}"
    if value is None:
        return f"sshd: not running ({where}); state {state_dir(lab)}"
    return f"sshd: pid {value} on {where}; client key {client_key(lab)}"


def _keygen(path: Path, comment: str) -> None:
    if path.exists() and path.with_suffix(".pub").exists():
        return
    path.unlink(missing_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True, capture_output=True)


def _config(lab: Lab, state: Path) -> str:
    host = lab.sut_host
    return "\n".join([
        "# forge lab sshd: written by `forge lab up`, removed by `forge lab down`.",
        f"ListenAddress {host.address}:{host.port}",
        f"HostKey {state / 'ssh_host_ed25519_key'}",
        f"PidFile {state / 'sshd.pid'}",
        f"AuthorizedKeysFile {state / 'authorized_keys'}",
        # The state folder lives under /var/tmp (sticky, world-writable), which StrictModes would refuse;
        # the folder itself is root's, mode 0700.
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitEmptyPasswords no",
        "UsePAM no",
        f"AllowUsers {host.user}",
        "X11Forwarding no",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "PermitTunnel no",
        "PrintMotd no",
        "MaxSessions 64",
        "MaxStartups 64",
        "Subsystem sftp internal-sftp",
        # bash reads ~/.bashrc for a command run by sshd only at shell level 1: forge's commands skip the
        # login user's interactive set-up (slow on some machines) and get sshd's plain default PATH.
        "SetEnv SHLVL=1",
        "LogLevel INFO",
        "",
    ])


def _prepare(lab: Lab) -> Path:
    state = state_dir(lab)
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    _keygen(state / "ssh_host_ed25519_key", f"forge-lab-{lab.name}-host")
    _keygen(client_key(lab), f"forge-lab-{lab.name}-client")
    (state / "authorized_keys").write_text(client_key(lab).with_suffix(".pub").read_text())
    host_pub = " ".join((state / "ssh_host_ed25519_key.pub").read_text().split()[:2])
    name = lab.sut_host.address if lab.sut_host.port == 22 else f"[{lab.sut_host.address}]:{lab.sut_host.port}"
    known_hosts(lab).write_text(f"{name} {host_pub}\n")
    (state / "sshd_config").write_text(_config(lab, state))
    if not PRIVSEP_DIR.exists():
        PRIVSEP_DIR.mkdir(mode=0o755)
        (state / "created-privsep-dir").write_text(f"{PRIVSEP_DIR}\n")
    return state


def up(lab: Lab) -> str:
    """Start the lab's sshd (the namespaces must exist). Returns what was done."""
    if not lab.lab_sshd:
        return "no sshd"
    if pid(lab) is not None and _banner(lab, 1.0):
        return "already running"
    stop(lab)
    state = _prepare(lab)
    config = state / "sshd_config"
    check = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise LabError(f"sshd refused its configuration {config}: {check.stderr.strip()}")
    proc = subprocess.run(["ip", "netns", "exec", lab.sut.netns, SSHD, "-f", str(config), "-E",
                           str(state / "sshd.log")], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise LabError(f"sshd did not start in {lab.sut.netns}: {proc.stderr.strip()}")
    if not _banner(lab, START_TIMEOUT):
        log = (state / "sshd.log").read_text(errors="replace")[-2000:] if (state / "sshd.log").exists() else ""
        stop(lab)
        raise LabError(f"sshd did not answer on {lab.sut_host.address}:{lab.sut_host.port} "
                       f"after {START_TIMEOUT}s: {log.strip()}")
    return "started"


def stop(lab: Lab, timeout: float = 5.0) -> bool:
    """Stop the lab's sshd (SIGTERM, then SIGKILL); True when one was running."""
    value = pid(lab)
    if value is None:
        return False
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(value, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(value):
                return True
            time.sleep(0.02)
    return True


def _sshd_pids() -> list[int]:
    """Every live sshd process on the machine (listeners and per-connection children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.path.basename(os.readlink(entry / "exe")).startswith("sshd") and _alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _in_netns(pid: int, netns: str) -> bool:
    try:
        return os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat(f"/run/netns/{netns}").st_ino
    except OSError:
        return False


def _stop_sessions(lab: Lab, timeout: float = 5.0) -> None:
    """Kill what is left of the lab sshd's connections (a session, a probe's pre-authentication child)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [p for p in _sshd_pids() if _in_netns(p, lab.sut.netns)]
        if not left:
            return
        for value in left:
            try:
                os.kill(value, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.02)


def down(lab: Lab) -> list[str]:
    """Stop the sshd, remove its state folder (keys included) and the privsep folder when the lab made it."""
    removed = []
    if stop(lab):
        removed.append("sshd")
    _stop_sessions(lab)
    state = state_dir(lab)
    marker = state / "created-privsep-dir"
    # Another sshd (another SSH lab) may still need it: then it stays until that lab goes down.
    if marker.exists() and PRIVSEP_DIR.is_dir() and not any(PRIVSEP_DIR.iterdir()) and not _sshd_pids():
        PRIVSEP_DIR.rmdir()
    if state.exists():
        shutil.rmtree(state, ignore_errors=True)
        removed.append(f"ssh state {state}")
    return removed

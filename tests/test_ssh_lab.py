"""The SSH variant of the lab: a real sshd in the SUT namespace, SshHost against it, and the basic DHCPv4 and
DHCPv6 features run through it against Kea and lessor. Also the lab files' sut.host section and the remote
example (parsed and validated only: nothing builds it here)."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import paramiko
import pytest

from forge.adapters.base import poll
from forge.hosts import HostError
from forge.hosts.connect import open_sut_host
from forge.lab import load_lab, netns, sshd
from forge.lab.topology import REPO_ROOT, LabError
from tests.conftest import NEEDS_ROOT

SSH_LAB = REPO_ROOT / "lab" / "ssh.yaml"
REMOTE_EXAMPLE = REPO_ROOT / "lab" / "remote.example.yaml"
CLONE_NEWNET = 0x40000000


def private_ssh_lab_file(tmp_dir: Path, tag: str) -> Path:
    text = SSH_LAB.read_text()
    for old, new in (("forge-ssh-", f"f{tag}-ssh-"), ("vssh-", f"v{tag}s-"), ("relayssh", f"relay{tag}s"),
                     ("name: ssh", f"name: tests-ssh-{tag}")):
        text = text.replace(old, new)
    path = tmp_dir / f"lab-ssh-{tag}.yaml"
    path.write_text(text)
    return path


def in_netns(name: str, fn):
    """Call fn in a thread that has joined namespace `name`: sockets it opens live there (paramiko's own thread
    then keeps using the connected socket), while the test process stays where it is."""
    out: dict = {}

    def target():
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            with open(f"/run/netns/{name}") as f:
                if libc.setns(f.fileno(), CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), f"setns {name}")
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


# -- lab files (no root needed) ---------------------------------------------------
def test_ssh_lab_file_names_the_lab_sshd():
    lab = load_lab(SSH_LAB)
    assert lab.lab_sshd and not lab.remote_sut
    assert lab.sut_host.type == "ssh" and lab.sut_host.address == str(lab.sut.ipv4.ip)
    default = load_lab(REPO_ROOT / "lab" / "default.yaml")
    assert not set(lab.namespaces) & set(default.namespaces), "both labs must be able to be up at once"
    assert {lab.tester.iface, lab.sut.iface}.isdisjoint({default.tester.iface, default.sut.iface})


def test_remote_example_parses_and_validates():
    lab = load_lab(REMOTE_EXAMPLE)
    assert lab.remote_sut and not lab.lab_sshd
    assert lab.namespaces == (lab.tester.netns,), "only the tester side is built on this machine"
    host = lab.sut_host
    assert host.type == "ssh" and host.sudo and host.address == "10.20.30.40"
    assert host.key and os.path.isabs(host.key) and host.lessor
    assert lab.tester.device == lab.tester.iface


def _variant(tmp_path, old: str, new: str, source: Path = SSH_LAB) -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / "lab.yaml"
    path.write_text(text.replace(old, new))
    return path


def test_remote_example_dhcp_link_stays_in_documentation_ranges(tmp_path):
    with pytest.raises(LabError, match="outside the documentation"):
        load_lab(_variant(tmp_path, "ipv4: 192.0.2.1/24", "ipv4: 10.0.0.1/24", REMOTE_EXAMPLE))


@pytest.mark.parametrize("old,new,message", [
    ("address: 192.0.2.1 ", "address: 192.0.2.9 ", "listens on the SUT's lab address"),
    ("type: ssh", "type: telnet", "neither local nor ssh"),
    ("port: 22", "port: 70000", "not a port number"),
    ("sudo: false", "sudo: false\n    password: x", "unknown keys password"),
])
def test_bad_sut_host_sections_are_refused(tmp_path, old, new, message):
    with pytest.raises(LabError, match=message):
        load_lab(_variant(tmp_path, old, new))


def test_a_remote_sut_must_be_reached_over_ssh(tmp_path):
    with pytest.raises(LabError, match="must be reached over SSH"):
        load_lab(_variant(tmp_path, "type: ssh ", "type: local ", REMOTE_EXAMPLE))


# -- the lab's sshd and SshHost against it (root) ---------------------------------
@pytest.fixture(scope="module")
def ssh_lab(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    tag = os.environ.get("FORGE_TEST_LAB_TAG", "t")
    lab = load_lab(private_ssh_lab_file(tmp_path_factory.mktemp("sshlab"), tag))
    netns.up(lab)
    yield lab
    netns.down(lab)


@pytest.fixture
def host(ssh_lab):
    """A fresh connection per test: `forge run` ends by stopping every process in the lab's namespaces but the
    sshd itself, sessions included."""
    h = in_netns(ssh_lab.tester.netns, lambda: open_sut_host(ssh_lab))
    h.root = h.make_workroot()
    yield h
    h.remove_tree(h.root)
    h.close()


@NEEDS_ROOT
def test_lab_sshd_runs_in_the_sut_namespace_on_the_lab_address_only(ssh_lab):
    assert netns.status(ssh_lab).up
    pid = sshd.pid(ssh_lab)
    assert pid is not None and pid in netns.namespace_pids(ssh_lab.sut.netns)
    listening = subprocess.run(["ip", "netns", "exec", ssh_lab.sut.netns, "ss", "-Hltnp"],
                               capture_output=True, text=True, check=True).stdout
    sockets = [line.split()[3] for line in listening.splitlines() if f"pid={pid}," in line]
    assert sockets == [f"{ssh_lab.sut_host.address}:22"], listening
    state = sshd.state_dir(ssh_lab)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE(sshd.client_key(ssh_lab).stat().st_mode) == 0o600
    config = (state / "sshd_config").read_text()
    assert "PasswordAuthentication no" in config and "PermitRootLogin prohibit-password" in config
    assert str(state) in config  # host key, PID file and authorized keys all in the state folder
    # `up` again changes nothing
    assert netns.up(ssh_lab) == "already up" and sshd.pid(ssh_lab) == pid


@NEEDS_ROOT
def test_lab_sshd_refuses_passwords_and_unknown_keys(ssh_lab, tmp_path):
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)

    def attempt(**kwargs):
        client = paramiko.SSHClient()
        client.load_host_keys(str(sshd.known_hosts(ssh_lab)))
        try:
            client.connect(ssh_lab.sut_host.address, username="root", allow_agent=False, look_for_keys=False,
                           timeout=5, **kwargs)
        except paramiko.AuthenticationException:
            return "refused"
        finally:
            client.close()
        return "accepted"

    assert in_netns(ssh_lab.tester.netns, lambda: attempt(password="root")) == "refused"
    assert in_netns(ssh_lab.tester.netns, lambda: attempt(key_filename=str(other))) == "refused"
    assert in_netns(ssh_lab.tester.netns, lambda: attempt(key_filename=str(sshd.client_key(ssh_lab)))) == "accepted"


@NEEDS_ROOT
def test_run_gives_status_and_both_streams(host):
    result = host.run(["sh", "-c", "echo out; echo err >&2; exit 3"], check=False)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    with pytest.raises(HostError, match="exited 3"):
        host.run(["sh", "-c", "exit 3"])
    # Large output on both streams at once: read concurrently, nothing stalls.
    big = host.run(["sh", "-c", "head -c 2500000 /dev/zero; head -c 2500000 /dev/zero >&2"], timeout=20)
    assert len(big.stdout) == len(big.stderr) == 2500000
    assert host.run(["env"], env={"FORGE_PROBE": "a b"}).stdout.count("FORGE_PROBE=a b") == 1
    with pytest.raises(HostError, match="did not finish"):
        host.run(["sleep", "5"], timeout=0.5)


@NEEDS_ROOT
def test_files_move_over_sftp(host):
    path = f"{host.root}/sub/dir/f.conf"
    host.put_file(path, "line one\n", mode=0o600)
    assert host.get_file(path) == b"line one\n"
    assert host.read_text(path) == "line one\n" and host.exists(path)
    assert host.run(["stat", "-c", "%a", path]).stdout.strip() == "600"
    host.put_file(path, b"\x00\xff")
    assert host.get_file(path) == b"\x00\xff"
    with pytest.raises(FileNotFoundError):
        host.get_file(f"{host.root}/missing")
    assert host.read_text(f"{host.root}/missing", default="none") == "none"
    with pytest.raises(IsADirectoryError):
        host.get_file(f"{host.root}/sub")
    host.makedirs(f"{host.root}/a/b/c")
    assert host.run(["test", "-d", f"{host.root}/a/b/c"], check=False).ok
    host.remove_tree(f"{host.root}/a")
    assert not host.run(["test", "-e", f"{host.root}/a"], check=False).ok


def _group_members(host, pgid: int) -> list[str]:
    out = host.run(["ps", "-eo", "pgid=,stat="]).stdout
    return [line for line in out.splitlines() if line.split()[0] == str(pgid) and not line.split()[1].startswith("Z")]


@NEEDS_ROOT
def test_spawned_processes_log_and_stop(host):
    log = f"{host.root}/logs/sleeper.out"
    proc = host.spawn(["sh", "-c", "echo started; exec sleep 60"], log_path=log)
    assert proc.alive()
    assert poll(lambda: "started" in proc.output(), 5)
    started = time.monotonic()
    assert proc.stop() == -signal.SIGTERM
    assert time.monotonic() - started < 3 and not proc.alive() and not _group_members(host, proc.pid)

    # A child that ignores SIGTERM is killed when the timeout passes.
    stubborn = host.spawn(["sh", "-c", "trap '' TERM; sleep 60"], log_path=f"{host.root}/stubborn.out")
    assert poll(lambda: len(_group_members(host, stubborn.pid)) >= 2, 5)
    assert stubborn.stop(timeout=1.0) == -signal.SIGKILL
    assert not _group_members(host, stubborn.pid)

    # A process that ends by itself reports its exit status.
    quitter = host.spawn(["sh", "-c", "echo bye; exit 7"], log_path=f"{host.root}/quitter.out")
    assert quitter.wait(5) == 7 and quitter.output() == "bye\n"


UNIX_ECHO = """
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen()
c, _ = s.accept()
data = b""
while not data.endswith(b"}"):
    data += c.recv(4096)
c.sendall(b"answer:" + data.upper())
c.close()
"""


@NEEDS_ROOT
def test_unix_request_reaches_a_control_socket_on_the_host(host):
    sock = f"{host.root}/ctl.sock"
    server = host.spawn(["python3", "-c", UNIX_ECHO, sock], log_path=f"{host.root}/echo.out")
    try:
        assert poll(lambda: host.run(["test", "-S", sock], check=False).ok, 5), server.output()
        assert host.unix_request(sock, b'{"command": "status-get"}') == b'answer:{"COMMAND": "STATUS-GET"}'
    finally:
        server.stop()
    with pytest.raises(OSError):
        host.unix_request(f"{host.root}/nobody.sock", b"{}", timeout=1)


@NEEDS_ROOT
@pytest.mark.parametrize("sut", ["kea", "lessor"])
def test_basic_v4_and_v6_features_pass_through_ssh(ssh_lab, tmp_path, sut):
    log = sshd.state_dir(ssh_lab) / "sshd.log"
    logins = log.read_text().count("Accepted publickey")
    proc = subprocess.run(
        [sys.executable, "-m", "forge.cli", "run", "--sut", sut, "--lab", str(ssh_lab.path), "--keep-lab",
         "--artifacts", str(tmp_path), "--", "-m", "dora or sarr", "scenarios/test_dhcp4.py",
         "scenarios/test_dhcp6.py"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())["results"]
    features = {r["feature"] for r in results}
    assert features == {"features/dhcp4/dora.feature", "features/dhcp6/sarr.feature"}, features
    assert len(results) >= 10 and {r["outcome"] for r in results} == {"passed"}
    # The run went through the lab's sshd, which --keep-lab left running.
    assert log.read_text().count("Accepted publickey") > logins
    assert sshd.pid(ssh_lab) is not None and netns.status(ssh_lab).up
    # The server's files came back over SFTP.
    assert any(p.name.startswith(f"{sut}-dhcp4") for p in (tmp_path / "scenarios").rglob("*.conf"))


@NEEDS_ROOT
def test_lab_down_stops_sshd_and_removes_the_keys(ssh_lab):
    pid = sshd.pid(ssh_lab)
    assert pid is not None
    made_privsep_dir = (sshd.state_dir(ssh_lab) / "created-privsep-dir").exists()
    removed = netns.down(ssh_lab)
    assert "sshd" in removed
    if made_privsep_dir:
        assert not sshd.PRIVSEP_DIR.exists(), "the lab made /run/sshd, so the lab removes it"
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2][:3]
    assert not sshd.state_dir(ssh_lab).exists()
    assert not set(ssh_lab.namespaces) & netns.list_namespaces()
    assert netns.down(ssh_lab) == []

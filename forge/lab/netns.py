"""Build, inspect and tear down a namespace lab with iproute2.

Every operation is idempotent: `up` on a healthy lab changes nothing, `up` on a
half-built or stale lab (a crashed run) tears the pieces down and builds anew,
and `down` on a missing lab is a no-op.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass

from forge.lab import sshd
from forge.lab.topology import Endpoint, Lab, LabError


def _ip(*args: str, netns: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    argv = ["ip"] + (["-n", netns] if netns else []) + list(args)
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise LabError(f"`{' '.join(argv)}` failed: {proc.stderr.strip()}")
    return proc


def _sysctl(netns: str, key: str, value: str) -> None:
    subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw", f"{key}={value}"],
                   capture_output=True, check=False)


def list_namespaces() -> set[str]:
    proc = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    return {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}


def namespace_pids(netns: str) -> list[int]:
    proc = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True, check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def kill_namespace_processes(netns: str, timeout: float = 5.0, keep: tuple[int, ...] = ()) -> list[int]:
    """SIGTERM every process in the namespace but `keep` (the lab's sshd), then SIGKILL the ones that linger."""
    spare = {os.getpid(), *keep}
    pids = [p for p in namespace_pids(netns) if p not in spare]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [p for p in namespace_pids(netns) if p not in spare]
            if not pids:
                return []
            time.sleep(0.05)
    return pids


@dataclass
class LabStatus:
    up: bool
    problems: list[str]

    def __str__(self) -> str:
        if self.up:
            return "up"
        return "down" if not self.problems else "broken: " + "; ".join(self.problems)


def _addresses(netns: str, iface: str) -> set[str]:
    proc = _ip("-br", "addr", "show", "dev", iface, netns=netns, check=False)
    if proc.returncode != 0:
        return set()
    fields = proc.stdout.split()
    return {f.lower() for f in fields[2:]}


def _check_endpoint(ep: Endpoint, problems: list[str]) -> None:
    proc = _ip("-br", "link", "show", "dev", ep.iface, netns=ep.netns, check=False)
    if proc.returncode != 0:
        problems.append(f"{ep.iface} missing in {ep.netns}")
        return
    if "UP" not in proc.stdout.split()[1]:
        problems.append(f"{ep.iface} in {ep.netns} is not up")
    have = _addresses(ep.netns, ep.iface)
    for want in (str(ep.ipv4), str(ep.ipv6), f"{ep.link_local}/64"):
        if want.lower() not in have:
            problems.append(f"{ep.iface} in {ep.netns} lacks {want}")
    if ep.relay is not None:
        have = _addresses(ep.netns, ep.relay.iface)
        for want in (str(ep.relay.ipv4), str(ep.relay.ipv6)):
            if want.lower() not in have:
                problems.append(f"{ep.relay.iface} in {ep.netns} lacks {want}")


def status(lab: Lab) -> LabStatus:
    present = list_namespaces()
    problems: list[str] = []
    missing = [ns for ns in lab.namespaces if ns not in present]
    if len(missing) == len(lab.namespaces):
        return LabStatus(False, [])
    problems += [f"namespace {ns} missing" for ns in missing]
    if not missing:
        _check_endpoint(lab.tester, problems)
        if not lab.remote_sut:
            _check_endpoint(lab.sut, problems)
        if not problems:
            problems += sshd.problems(lab)
    return LabStatus(not problems, problems)


def down(lab: Lab) -> list[str]:
    """Kill the lab's processes and delete its namespaces and any stray veth. Returns what was removed."""
    removed = sshd.down(lab) if lab.lab_sshd else []
    present = list_namespaces()
    for ns in lab.namespaces:
        if ns in present:
            kill_namespace_processes(ns)
            _ip("netns", "del", ns, check=False)
            removed.append(f"namespace {ns}")
    # A crash between `link add` and `link set netns` leaves the pair in the root namespace. A physical
    # device (tester.device) goes back to the root namespace by itself when its namespace is deleted.
    for iface in () if lab.remote_sut else (lab.tester.iface, lab.sut.iface):
        if _ip("link", "show", "dev", iface, check=False).returncode == 0:
            _ip("link", "del", iface, check=False)
            removed.append(f"stray link {iface}")
    return removed


def _configure_endpoint(ep: Endpoint) -> None:
    ns = ep.netns
    _ip("link", "set", "lo", "up", netns=ns)
    # No automatic link-local (the lab sets a fixed one) and no duplicate address detection,
    # so addresses are usable at once.
    for key in ("accept_dad=0", "dad_transmits=0", "addr_gen_mode=1"):
        name, value = key.split("=")
        _sysctl(ns, f"net.ipv6.conf.{ep.iface}.{name}", value)
    _sysctl(ns, "net.ipv6.conf.all.accept_dad", "0")
    if ep.device is None:  # a physical device keeps its own address (checked before it was moved)
        _ip("link", "set", "dev", ep.iface, "address", ep.mac, netns=ns)
    _ip("addr", "add", str(ep.ipv4), "dev", ep.iface, netns=ns)
    _ip("-6", "addr", "add", str(ep.ipv6), "dev", ep.iface, "nodad", netns=ns)
    _ip("-6", "addr", "add", f"{ep.link_local}/64", "dev", ep.iface, "nodad", netns=ns)
    _ip("link", "set", "dev", ep.iface, "up", netns=ns)
    if ep.relay is not None:
        # A veth pair with both ends in the namespace: works where the dummy module is absent.
        _ip("link", "add", ep.relay.iface, "type", "veth", "peer", "name", f"{ep.relay.iface}p", netns=ns)
        _ip("link", "set", "dev", f"{ep.relay.iface}p", "up", netns=ns)
        _ip("addr", "add", str(ep.relay.ipv4), "dev", ep.relay.iface, netns=ns)
        _ip("-6", "addr", "add", str(ep.relay.ipv6), "dev", ep.relay.iface, "nodad", netns=ns)
        _ip("link", "set", "dev", ep.relay.iface, "up", netns=ns)
    for route in ep.routes:
        dest, _, via = route.partition(" via ")
        family = "-6" if ":" in dest else "-4"
        _ip(family, "route", "replace", dest.strip(), "via", via.strip(), netns=ns)
    _sysctl(ns, "net.ipv4.ip_forward", "0")


def _check_device(ep: Endpoint) -> None:
    """A physical tester device must exist here, unused by addresses, and carry the lab's MAC (forge does not
    rewrite a real NIC's address)."""
    if ep.device != ep.iface:
        raise LabError(f"tester.device {ep.device} must also be tester.iface (it keeps its name), not {ep.iface}")
    proc = _ip("-br", "addr", "show", "dev", ep.device, check=False)
    if proc.returncode != 0:
        raise LabError(f"tester.device {ep.device} is not an interface of this machine")
    if len(proc.stdout.split()) > 2:
        raise LabError(f"tester.device {ep.device} has addresses in the root namespace; use a spare interface")
    mac = _ip("-br", "link", "show", "dev", ep.device).stdout.split()[2].lower()
    if mac != ep.mac:
        raise LabError(f"tester.mac {ep.mac} is not {ep.device}'s address {mac}")


def up(lab: Lab) -> str:
    """Bring the lab up. Returns 'already up' or 'created' (after clearing any stale pieces)."""
    if status(lab).up:
        return "already up"
    down(lab)
    try:
        if lab.remote_sut:
            _check_device(lab.tester)
        for ns in lab.namespaces:
            _ip("netns", "add", ns)
        if lab.remote_sut:
            _ip("link", "set", lab.tester.device, "netns", lab.tester.netns)
            _configure_endpoint(lab.tester)
        else:
            _ip("link", "add", lab.tester.iface, "type", "veth", "peer", "name", lab.sut.iface)
            _ip("link", "set", lab.tester.iface, "netns", lab.tester.netns)
            _ip("link", "set", lab.sut.iface, "netns", lab.sut.netns)
            _configure_endpoint(lab.tester)
            _configure_endpoint(lab.sut)
            if lab.lab_sshd:
                sshd.up(lab)
    except BaseException:
        down(lab)
        raise
    state = status(lab)
    if not state.up:
        down(lab)
        raise LabError(f"lab {lab.name} did not come up: {state}")
    return "created"

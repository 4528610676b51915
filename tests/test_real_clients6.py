"""Real DHCPv6 clients (ISC dhclient -6 for an address and for a delegated prefix, dibbler-client) each
get a lease from the server under test on the tester's veth, and the server holds it for them.

As in tests/test_real_clients.py, each client runs in the tester namespace with a clean environment
and a hook script of ours that only records what the client reports to a file in tmp_path. dhclient
runs that script instead of its own (so it configures nothing); dibbler-client always configures the
address itself and then calls the script. The test polls for the recorded lease and checks the
server's leases while the client still runs (dibbler releases its lease when it stops), then stops
the client, sweeps any client process left in the namespace, and puts the tester's IPv6 addresses and
routes back as they were.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from forge.adapters import adapter_class
from forge.adapters.base import SutAdapter, log_tail, poll
from forge.hosts import NetnsHost
from forge.lab import Lab, netns
from forge.model import PdPool, Pool, ServerModel

SUBNET = "2001:db8:1::/64"
POOL = "2001:db8:1::100-2001:db8:1::1ff"
PD_POOL = ipaddress.ip_network("2001:db8:8000::/48")
DELEGATED_LEN = 56
PREFERRED, VALID = 3000, 4000
CLIENT_TIMEOUT = 10.0  # seconds for one client to report a bound lease
CLEAN_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin"

# The hook script every client runs. dhclient names the event in $reason, dibbler passes it as $1
# ("add", "update", "delete"). The environment is written NUL-separated, then renamed, so a reader
# never sees half a file.
RECORDER = """#!/bin/sh
event="${{reason:-$1}}"
env -0 > "{out}/.$event.$$" && mv "{out}/.$event.$$" "{out}/$event.env"
echo "$event" >> "{out}/events"
exit 0
"""


@dataclass(frozen=True)
class Client:
    name: str
    binary: str
    lease_type: str  # "NA" or "PD": what the client asks for
    bound_event: str  # the event whose environment describes the new lease
    lease_var: str  # the address, or the prefix as "prefix/len"
    duid_var: str  # the client's DUID, as the client reports it
    argv: Callable[[str, Path, Path], list[str]]  # (interface, recorder script, work dir) -> argv


def dhclient6(*modes: str, duid_type: str = "LL") -> Callable[[str, Path, Path], list[str]]:
    """dhclient -6 with `modes` (-N for an address, -P for a prefix) and a DUID of `duid_type`.

    DUID-LL is made from the interface's MAC only, so every run is the same client; DUID-LLT (dhclient's
    default for stateful runs) adds the time, so every run is a new one. Fresh lease and PID files in
    the work dir mean no old lease (no CONFIRM/REQUEST from memory): a full SOLICIT/ADVERTISE/REQUEST/
    REPLY. -1: one attempt, -d: stay in the foreground (the test stops it), -sf: our recorder, which
    configures nothing.
    """
    def argv(iface: str, script: Path, work: Path) -> list[str]:
        conf = work / "dhclient6.conf"
        conf.write_text("initial-interval 1;\n")
        return ["dhclient", "-6", *modes, "-D", duid_type, "-1", "-d", "-v", "-cf", str(conf),
                "-lf", str(work / "dhclient6.leases"), "-pf", str(work / "dhclient6.pid"), "-sf", str(script),
                iface]
    return argv


def _dibbler(iface: str, script: Path, work: Path) -> list[str]:
    # dibbler-client reads /etc/dibbler/client.conf and keeps its DUID, PID and lease database in
    # /var/lib/dibbler and its log in /var/log/dibbler, with no option to move them. `ip netns exec`
    # runs us in a mount namespace of our own (not propagated back), so bind-mount folders from the
    # work dir over all three, and an empty file over /etc/resolv.conf, which it edits when it gets DNS
    # servers: the host's files stay untouched and no old lease or DUID is reused.
    etc, lib, log = work / "etc", work / "lib", work / "log"
    for folder in (etc, lib, log):
        folder.mkdir()
    resolv = work / "resolv.conf"
    resolv.write_text("")
    # One IA_NA on the tester's interface and nothing else; our recorder runs after each change.
    (etc / "client.conf").write_text(f'log-level 8\nlog-mode full\nscript "{script}"\n'
                                     f'iface "{iface}" {{\n    ia\n}}\n')
    mounts = ('mount --bind "$1" /etc/dibbler && mount --bind "$2" /var/lib/dibbler && '
              'mount --bind "$3" /var/log/dibbler && mount --bind "$4" /etc/resolv.conf && shift 4 && exec "$@"')
    return ["sh", "-c", mounts, "sh", str(etc), str(lib), str(log), str(resolv), "dibbler-client", "run"]


CLIENTS = {
    c.name: c for c in (
        Client("dhclient-na", "dhclient", "NA", "BOUND6", "new_ip6_address", "new_dhcp6_client_id",
               dhclient6("-N")),
        Client("dhclient-pd", "dhclient", "PD", "BOUND6", "new_ip6_prefix", "new_dhcp6_client_id",
               dhclient6("-P")),
        # dibbler reports the server's REPLY options as SRV_OPTION<code>: 1 is our client identifier.
        Client("dibbler", "dibbler-client", "NA", "add", "ADDR1", "SRV_OPTION1", _dibbler),
    )
}
CLIENT_COMMS = {"dhclient", "dibbler-client"}


def model6() -> ServerModel:
    model = ServerModel(version=6, valid_lifetime=VALID, preferred_lifetime=PREFERRED)
    subnet = model.add_subnet(SUBNET)
    subnet.pools.append(Pool(POOL))
    subnet.pd_pools.append(PdPool(str(PD_POOL.network_address), PD_POOL.prefixlen, DELEGATED_LEN))
    return model


@pytest.fixture(params=["kea", "lessor"])
def server(request, test_lab, tmp_path):
    adapter = adapter_class(request.param)(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "server"))
    try:
        adapter.start(model6())
    except BaseException:
        adapter.stop()
        raise
    yield adapter
    adapter.stop()


# -- the tester side ------------------------------------------------------------------------------
def _network_state(host: NetnsHost, iface: str) -> tuple[set[str], set[str]]:
    """The interface's IPv6 addresses (addr/len) and the namespace's IPv6 routes, as text."""
    addrs = json.loads(host.run(["ip", "-j", "-6", "addr", "show", "dev", iface]).stdout or "[]")
    addresses = {f"{a['local']}/{a['prefixlen']}" for link in addrs for a in link.get("addr_info", [])}
    # Without the remaining lifetime ("expires 3999sec") that routes from a DHCP lease carry, which
    # changes every second and is no argument of `ip route del`.
    routes = {re.sub(r" expires \S+", "", line).strip()
              for line in host.run(["ip", "-6", "route", "show"]).stdout.splitlines() if line.strip()}
    return addresses, routes


def _restore_network(host: NetnsHost, iface: str, before: tuple[set[str], set[str]]) -> None:
    addresses, routes = _network_state(host, iface)
    for addr in addresses - before[0]:
        host.run(["ip", "-6", "addr", "del", addr, "dev", iface], check=False)
    for addr in before[0] - addresses:
        host.run(["ip", "-6", "addr", "add", addr, "dev", iface, "nodad"], check=False)
    addresses, routes = _network_state(host, iface)
    for route in routes - before[1]:
        host.run(["ip", "-6", "route", "del", *route.split()], check=False)
    for route in before[1] - routes:
        host.run(["ip", "-6", "route", "replace", *route.split()], check=False)


def _client_pids(ns: str) -> list[int]:
    pids = []
    for pid in netns.namespace_pids(ns):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if comm in CLIENT_COMMS:
            pids.append(pid)
    return pids


def _sweep_clients(ns: str) -> None:
    """Kill client processes left in the tester namespace."""
    left = _client_pids(ns)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if poll(lambda: not _client_pids(ns), 3.0):
            return


def _read_env(path: Path) -> dict[str, str]:
    env = {}
    for item in path.read_bytes().split(b"\0"):
        key, sep, value = item.decode(errors="replace").partition("=")
        if sep:
            env[key] = value
    return env


def duid_bytes(text: str | None) -> bytes:
    """A DUID in any colon-separated hex spelling ("0:3:0:1:..." or "00:03:00:01:...") as bytes."""
    return bytes(int(part, 16) for part in (text or "").split(":") if part)


@contextmanager
def running_client(client: Client, lab: Lab, tmp_path: Path, server: SutAdapter) -> Iterator[dict[str, str]]:
    """Run `client` in the lab's tester namespace until it reports a lease, and yield the environment
    it reported; on leaving, stop it, sweep leftovers and restore the tester's addresses and routes."""
    if shutil.which(client.binary, path=CLEAN_PATH.partition("=")[2]) is None:
        pytest.skip(f"{client.binary} is not installed (scripts/setup installs it)")
    tester = lab.tester
    host = NetnsHost(tester.netns)
    work = Path(tempfile.mkdtemp(prefix=f"{client.name}-", dir=tmp_path))
    out = work / "events.d"
    out.mkdir()
    script = work / "record.sh"
    script.write_text(RECORDER.format(out=out))
    script.chmod(0o755)
    argv = ["env", "-i", CLEAN_PATH, *client.argv(tester.iface, script, work)]
    bound = out / f"{client.bound_event}.env"

    before = _network_state(host, tester.iface)
    assert not _client_pids(tester.netns), "a DHCP client is already running in the tester namespace"
    process = host.spawn(argv, log_path=str(work / f"{client.binary}.out"))
    try:
        poll(lambda: bound.exists() or not process.alive(), CLIENT_TIMEOUT, interval=0.05)
        events = (out / "events").read_text().split() if (out / "events").exists() else []
        assert bound.exists(), (
            f"{client.name} reported no {client.bound_event} within {CLIENT_TIMEOUT}s "
            f"({'exited with ' + str(process.wait(0)) if not process.alive() else 'still running'}); "
            f"events: {events}; command: {' '.join(argv)}\n{client.name} output:\n{log_tail(process.output())}\n"
            f"server log:\n{log_tail(server.log())}")
        yield _read_env(bound)
    finally:
        # The client itself first, so that it can undo its own configuration; then its process group.
        try:
            os.kill(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        process.wait(3)
        process.stop(timeout=2)
        _sweep_clients(tester.netns)
        _restore_network(host, tester.iface, before)
    assert _network_state(host, tester.iface) == before, "the tester's addresses or routes were not restored"


def reported_lease(client: Client, env: dict[str, str]) -> ipaddress.IPv6Network:
    """What the client got: an address as a /128, or the delegated prefix."""
    value = env.get(client.lease_var) or ""
    try:
        return ipaddress.ip_network(value if "/" in value else f"{value}/128")
    except ValueError:
        raise AssertionError(f"{client.name} reported {client.lease_var}={value!r}: {env}") from None


def server_holds(server: SutAdapter, client: Client, lease: ipaddress.IPv6Network, duid: bytes) -> bool:
    for held in server.leases():
        if held.lease_type != client.lease_type or duid_bytes(held.duid) != duid:
            continue
        length = held.prefix_len if client.lease_type == "PD" else 128
        if ipaddress.ip_network(f"{held.address}/{length}") == lease:
            return True
    return False


@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_real_client6_gets_a_lease(server, test_lab, tmp_path, client_name):
    client = CLIENTS[client_name]
    with running_client(client, test_lab, tmp_path, server) as env:
        lease = reported_lease(client, env)
        if client.lease_type == "PD":
            assert lease.prefixlen == DELEGATED_LEN and lease.subnet_of(PD_POOL), \
                f"{client.name} got prefix {lease}, not a /{DELEGATED_LEN} in {PD_POOL}: {env}"
        else:
            assert Pool(POOL).contains(str(lease.network_address)), \
                f"{client.name} got {lease.network_address}, outside {POOL}: {env}"
        duid = duid_bytes(env.get(client.duid_var))
        assert len(duid) >= 4, f"{client.name} reported no client DUID: {env}"
        # Checked while the client still runs: dibbler releases its lease when it stops. Kea writes the
        # lease before it replies; a little slack for a server that writes after.
        assert poll(lambda: server_holds(server, client, lease, duid), 2.0), (
            f"{server.name} holds no {client.lease_type} lease of {lease} for DUID {duid.hex(':')}: "
            f"{[(held.address, held.prefix_len, held.lease_type, held.duid) for held in server.leases()]}")

"""Real DHCPv4 clients (ISC dhclient, dhcpcd, busybox udhcpc) each get a lease from the server under
test: a full DORA on the tester's veth, with the address, router and DNS server the model gives.

Each client runs in the tester namespace with a clean environment and a hook script of ours that only
records what the client reports (its environment at the "bound" event) to a file in tmp_path, so the
client changes nothing outside that namespace. The test polls for that file, then stops the client,
sweeps any client process left in the namespace, and puts the tester's IPv4 addresses and routes back
as they were (dhcpcd configures the interface itself and, on exit, also deletes the lab's own
192.0.2.0/24 route).
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from forge.adapters import ServerStartError, adapter_class
from forge.adapters.base import log_tail, poll
from forge.hosts import NetnsHost
from forge.lab import netns
from forge.model import OptionData, Pool, ServerModel

POOL = "192.0.2.100-192.0.2.150"
ROUTER = "192.0.2.1"
DNS = "192.0.2.53"
CLIENT_TIMEOUT = 10.0  # seconds for one client to report a bound lease
CLEAN_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin"

# The hook script every client runs. dhclient and dhcpcd name the event in $reason, udhcpc passes it
# as $1. The environment is written NUL-separated, then renamed, so a reader never sees half a file.
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
    bound_event: str  # the event whose environment describes the new lease
    address_var: str
    router_var: str
    dns_var: str
    argv: Callable[[str, Path, Path], list[str]]  # (interface, recorder script, work dir) -> argv


def _dhclient(iface: str, script: Path, work: Path) -> list[str]:
    # Our own configuration (not /etc/dhcp/dhclient.conf): ask for what we check, give up after 8 s.
    # Fresh lease, PID and DUID files in tmp_path mean no INIT-REBOOT from an old lease: a full DORA.
    # -1: one attempt, -d: stay in the foreground (the test stops it), -sf: our recorder, which
    # configures nothing.
    conf = work / "dhclient.conf"
    conf.write_text("request subnet-mask, broadcast-address, routers, domain-name-servers;\n"
                    "timeout 8;\ninitial-interval 1;\n")
    return ["dhclient", "-4", "-1", "-d", "-v", "-cf", str(conf), "-lf", str(work / "dhclient.leases"),
            "-pf", str(work / "dhclient.pid"), "-df", str(work / "dhclient.duid"), "-sf", str(script), iface]


def _dhcpcd(iface: str, script: Path, work: Path) -> list[str]:
    # dhcpcd keeps its state in /run/dhcpcd and /var/lib/dhcpcd, with no option to move them.
    # `ip netns exec` runs us in a mount namespace of our own (not propagated back), so bind-mount
    # folders from tmp_path over both: the host's files stay untouched, and no stale lease there
    # turns the run into an INIT-REBOOT.
    run, db = work / "run", work / "db"
    run.mkdir()
    db.mkdir()
    conf = work / "dhcpcd.conf"
    # No hooks (-c is our recorder), no ARP probing or claim (-A) and no IPv4LL (-L), which would
    # take seconds, no random start-up delay, IPv4 only (-4), stay in the foreground (-B).
    conf.write_text("nodelay\nnoarp\nnoipv4ll\nipv4only\nnoipv6rs\n"
                    "option subnet_mask, routers, domain_name_servers\n")
    dhcpcd = ["dhcpcd", "-4", "-B", "-A", "-L", "-f", str(conf), "-c", str(script),
              "-j", str(work / "dhcpcd.log"), "-t", "8", iface]
    return ["sh", "-c", 'mount --bind "$1" /run && mount --bind "$2" /var/lib/dhcpcd && shift 2 && exec "$@"',
            "sh", str(run), str(db), *dhcpcd]


def _udhcpc(iface: str, script: Path, work: Path) -> list[str]:
    # -f foreground, -q quit once bound, -n quit if no lease, -s our recorder (which configures nothing);
    # up to 3 DISCOVERs 1 s apart.
    return ["udhcpc", "-i", iface, "-f", "-q", "-n", "-t", "3", "-T", "1", "-A", "1", "-s", str(script)]


CLIENTS = {
    c.name: c for c in (
        Client("dhclient", "dhclient", "BOUND", "new_ip_address", "new_routers", "new_domain_name_servers",
               _dhclient),
        Client("dhcpcd", "dhcpcd", "BOUND", "new_ip_address", "new_routers", "new_domain_name_servers", _dhcpcd),
        Client("udhcpc", "udhcpc", "bound", "ip", "router", "dns", _udhcpc),
    )
}
CLIENT_COMMS = {"dhclient", "dhcpcd", "udhcpc", "busybox"}


def _model() -> ServerModel:
    model = ServerModel(version=4)
    model.valid_lifetime = 600
    subnet = model.add_subnet("192.0.2.0/24")
    subnet.pools.append(Pool(POOL))
    subnet.options += [OptionData("routers", None, ROUTER), OptionData("domain-name-servers", None, DNS)]
    return model


@pytest.fixture(params=["kea", "lessor"])
def server(request, test_lab, tmp_path):
    adapter = adapter_class(request.param)(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "server"))
    try:
        adapter.start(_model())
    except ServerStartError as exc:
        adapter.stop()
        if request.param == "lessor":
            pytest.skip(f"`lessor dhcp4` cannot start yet: {exc}")
        raise
    yield adapter
    adapter.stop()


# -- the tester side ------------------------------------------------------------------------------
def _network_state(host: NetnsHost, iface: str) -> tuple[set[str], set[str]]:
    """The interface's IPv4 addresses (a.b.c.d/len) and the namespace's IPv4 routes, as text."""
    addrs = json.loads(host.run(["ip", "-j", "-4", "addr", "show", "dev", iface]).stdout or "[]")
    addresses = {f"{a['local']}/{a['prefixlen']}" for link in addrs for a in link.get("addr_info", [])}
    routes = {line.strip() for line in host.run(["ip", "-4", "route", "show"]).stdout.splitlines() if line.strip()}
    return addresses, routes


def _restore_network(host: NetnsHost, iface: str, before: tuple[set[str], set[str]]) -> None:
    addresses, routes = _network_state(host, iface)
    for addr in addresses - before[0]:
        host.run(["ip", "addr", "del", addr, "dev", iface], check=False)
    addresses, routes = _network_state(host, iface)
    for route in routes - before[1]:
        host.run(["ip", "-4", "route", "del", *route.split()], check=False)
    for route in before[1] - routes:
        host.run(["ip", "-4", "route", "replace", *route.split()], check=False)


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
    """Kill client processes left in the tester namespace (dhcpcd's privsep helpers, a stuck client)."""
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


@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_real_client_gets_a_lease(server, test_lab, tmp_path, client_name):
    client = CLIENTS[client_name]
    tester = test_lab.tester
    host = NetnsHost(tester.netns)
    out = tmp_path / "client"
    out.mkdir()
    script = tmp_path / "record.sh"
    script.write_text(RECORDER.format(out=out))
    script.chmod(0o755)
    argv = ["env", "-i", CLEAN_PATH, *client.argv(tester.iface, script, tmp_path)]
    log_path = str(tmp_path / f"{client.name}.out")
    bound = out / f"{client.bound_event}.env"

    before = _network_state(host, tester.iface)
    assert not _client_pids(tester.netns), "a DHCP client is already running in the tester namespace"
    process = host.spawn(argv, log_path=log_path)
    try:
        poll(lambda: bound.exists() or not process.alive(), CLIENT_TIMEOUT, interval=0.05)
        events = (out / "events").read_text().split() if (out / "events").exists() else []
        assert bound.exists(), (
            f"{client.name} reported no {client.bound_event} within {CLIENT_TIMEOUT}s "
            f"({'exited with ' + str(process.wait(0)) if not process.alive() else 'still running'}); "
            f"events: {events}; command: {' '.join(argv)}\n{client.name} output:\n{log_tail(process.output())}\n"
            f"server log:\n{log_tail(server.log())}")
        env = _read_env(bound)
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

    address = env.get(client.address_var)
    assert address and Pool(POOL).contains(address), f"{client.name} got {address!r}, outside {POOL}: {env}"
    routers, dns = env.get(client.router_var), env.get(client.dns_var)
    assert (routers or "").split() == [ROUTER], f"{client.name} recorded routers {routers!r}"
    assert (dns or "").split() == [DNS], f"{client.name} recorded DNS servers {dns!r}"

    def leased() -> bool:
        return any(lease.address == address and (lease.hwaddr or "").lower() == tester.mac
                   for lease in server.leases())

    # Kea writes the lease before it ACKs; a little slack for a server that writes after.
    assert poll(leased, 2.0), (f"{server.name} holds no lease of {address} for {tester.mac}: "
                               f"{[(lease.address, lease.hwaddr) for lease in server.leases()]}")
    assert _network_state(host, tester.iface) == before, "the tester's addresses or routes were not restored"

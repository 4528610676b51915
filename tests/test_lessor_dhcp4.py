"""lessor dhcp4 as a process: crash safety under load, Kea lease-file round trip, reloads,
a second instance on the same lease file, and -t."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from forge.adapters.base import poll
from forge.adapters.kea import KeaAdapter
from forge.adapters.lessor import LessorAdapter, lessor_command
from forge.hosts import NetnsHost
from forge.model import OptionData, Pool, ServerModel

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root for the namespace lab")


def relayed_model(lab) -> ServerModel:
    """A big pool reached through the tester's own address acting as a relay (as perfdhcp does)."""
    model = ServerModel(version=4, valid_lifetime=3600)
    subnet = model.add_subnet("198.18.0.0/15")
    subnet.pools.append(Pool("198.18.0.10-198.19.255.250"))
    subnet.relay_addresses.append(str(lab.tester.ipv4.ip))
    subnet.direct = False
    return model


def direct_model() -> ServerModel:
    model = ServerModel(version=4, valid_lifetime=3600)
    subnet = model.add_subnet("192.0.2.0/24")
    subnet.pools.append(Pool("192.0.2.100-192.0.2.199"))
    subnet.options.append(OptionData("routers", None, "192.0.2.1"))
    return model


@pytest.fixture
def lessor(test_lab, tmp_path):
    adapter = LessorAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "lessor"))
    yield adapter
    adapter.stop()


def test_sigkill_under_load_loses_no_acked_lease(test_lab, lessor, tmp_path):
    lessor.start(relayed_model(test_lab))
    acks = tmp_path / "acks.txt"
    load = NetnsHost(test_lab.tester.netns).spawn(
        [sys.executable, "-m", "forge.tools.relayload", "--server", str(test_lab.sut.ipv4.ip),
         "--giaddr", str(test_lab.tester.ipv4.ip), "--clients", "100000", "--out", str(acks), "--timeout", "0.3",
         "--max-failures", "5"], log_path=str(tmp_path / "load.log"))
    try:
        assert poll(lambda: acks.exists() and len(acks.read_text().splitlines()) >= 300, 60), \
            (tmp_path / "load.log").read_text()
        lessor.process.signal(signal.SIGKILL)  # mid-load, no chance to flush anything
        lessor.process.wait(5)
        lessor.process = None
        assert load.wait(30) is not None, "the load generator did not notice the server was gone"
    finally:
        load.stop()
    acked = dict(line.split() for line in acks.read_text().splitlines())
    assert len(acked) >= 300
    lessor.start(lessor.model)  # the same lease file
    leases = {lease.address: lease for lease in lessor.leases()}
    lost = [(a, mac) for a, mac in acked.items() if a not in leases or leases[a].hwaddr != mac]
    assert not lost, f"{len(lost)} of {len(acked)} ACKed leases lost after SIGKILL, e.g. {lost[:5]}"
    status = lessor.command("statistic-get", {"name": "subnet[1].assigned-addresses"})
    assert status["arguments"]["subnet[1].assigned-addresses"][0][0] >= len(acked)


def _udhcpc(lab, tmp_path, requested: str | None = None) -> str:
    script = tmp_path / "udhcpc.sh"
    script.write_text(f'#!/bin/sh\n[ "$1" = bound ] && echo "$ip" > {tmp_path}/bound.txt\nexit 0\n')
    script.chmod(0o755)
    (tmp_path / "bound.txt").unlink(missing_ok=True)
    argv = ["udhcpc", "-i", lab.tester.iface, "-f", "-q", "-n", "-t", "3", "-T", "1", "-A", "1", "-s", str(script)]
    if requested:
        argv += ["-r", requested]
    subprocess.run(["ip", "netns", "exec", lab.tester.netns, *argv], capture_output=True, timeout=20, check=False)
    return (tmp_path / "bound.txt").read_text().strip()


@pytest.mark.skipif(shutil.which("udhcpc") is None or shutil.which("kea-dhcp4") is None,
                    reason="scripts/setup installs udhcpc and Kea")
def test_kea_lease_file_round_trip(test_lab, lessor, tmp_path):
    model = direct_model()
    kea = KeaAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "kea"))
    kea.start(model)
    try:
        first = _udhcpc(test_lab, tmp_path, requested="192.0.2.137")
    finally:
        kea.stop()
    assert first == "192.0.2.137"
    # lessor starts on the very file kea-dhcp4 wrote.
    lessor.render(model)
    os.makedirs(lessor.workdir, exist_ok=True)
    shutil.copy(kea.lease_path, lessor.lease_path)
    lessor.start(model)
    assert any(lease.address == "192.0.2.137" for lease in lessor.leases())
    assert _udhcpc(test_lab, tmp_path) == "192.0.2.137", "the returning client did not get its old address"
    lessor.stop()
    # ... and Kea loads what lessor wrote.
    shutil.copy(lessor.lease_path, kea.lease_path)
    kea.start(model)
    try:
        assert _udhcpc(test_lab, tmp_path) == "192.0.2.137"
    finally:
        kea.stop()


def test_sighup_reload_and_bad_config_keeps_serving(test_lab, lessor):
    model = direct_model()
    lessor.start(model)
    model.valid_lifetime = 1234
    lessor.write_config(model)
    lessor.process.signal(signal.SIGHUP)
    assert poll(lambda: lessor.command("config-get")["arguments"]["Dhcp4"]["valid-lifetime"] == 1234, 10)
    with open(lessor.config_path, "w") as f:
        f.write('{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "bogus-key": 1}]}}')
    lessor.process.signal(signal.SIGHUP)
    assert poll(lambda: "bogus-key: unknown parameter" in lessor.log(), 10), lessor.log()[-2000:]
    assert lessor.running()
    assert lessor.command("config-get")["arguments"]["Dhcp4"]["valid-lifetime"] == 1234
    assert lessor.command("status-get")["result"] == 0


def test_second_instance_on_the_same_lease_file_refuses(test_lab, lessor):
    lessor.start(direct_model())
    proc = subprocess.run(["ip", "netns", "exec", test_lab.sut.netns, lessor_command(), "dhcp4", "-c",
                           lessor.config_path, "-p", "1067"], capture_output=True, text=True, timeout=20,
                          check=False)
    assert proc.returncode == 1
    assert f"PID {lessor.process.pid}" in proc.stderr or "another server" in proc.stderr, proc.stderr
    assert lessor.running()


def test_config_check(tmp_path):
    good = tmp_path / "good.json"
    good.write_text('{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24"}]}}  # comment\n')
    bad = tmp_path / "bad.json"
    bad.write_text('{"Dhcp4": {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "x"}]}]}}')
    ok = subprocess.run([lessor_command(), "dhcp4", "-t", str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    fail = subprocess.run([lessor_command(), "dhcp4", "-t", str(bad)], capture_output=True, text=True, check=False)
    assert fail.returncode == 1
    assert "/Dhcp4/subnet4[0]/pools[0]/pool" in fail.stderr


def test_clean_stop_flushes_and_releases_the_lock(test_lab, lessor):
    lessor.start(direct_model())
    pid_file = lessor.lease_path + ".pid"
    assert os.path.exists(pid_file)
    lessor.process.signal(signal.SIGTERM)
    assert lessor.process.wait(10) == 0
    lessor.process = None
    assert not os.path.exists(pid_file)
    assert os.path.exists(lessor.lease_path)  # the leases stay for the next start

"""lessor dhcp6 as a process, with a real client (dhclient -6): the Kea <-> lessor v6 lease-file round
trip, and a server DUID that survives restarts when `server-id.persist` is on."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from forge.adapters import adapter_class
from forge.adapters.base import poll
from forge.adapters.kea import KeaAdapter
from forge.adapters.lessor import LessorAdapter
from forge.hosts import NetnsHost
from tests.test_real_clients6 import Client, dhclient6, duid_bytes, model6, reported_lease, running_client

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root for the namespace lab"),
    pytest.mark.skipif(shutil.which("dhclient") is None, reason="scripts/setup installs dhclient"),
]

# The same client every run: DUID-LL from the tester's MAC, and dhclient's IAID from the MAC too.
RETURNING = Client("returning", "dhclient", "NA", "BOUND6", "new_ip6_address", "new_dhcp6_client_id",
                   dhclient6("-N", duid_type="LL"))
# Another client (DUID-LLT, with the time in it) that takes the pool's first address first, so that the
# returning client's address is not simply what any new client would get.
OTHER = Client("other", "dhclient", "NA", "BOUND6", "new_ip6_address", "new_dhcp6_client_id",
               dhclient6("-N", duid_type="LLT"))


def _address(client: Client, lab, tmp_path, server) -> tuple[str, str]:
    """Run the client once: the address it got and the server DUID of the REPLY (as bytes in hex)."""
    with running_client(client, lab, tmp_path, server) as env:
        address = str(reported_lease(client, env).network_address)
        server_duid = duid_bytes(env.get("new_dhcp6_server_id")).hex(":")
    assert server_duid, f"{client.name} recorded no server identifier: {env}"
    return address, server_duid


@pytest.mark.skipif(shutil.which("kea-dhcp6") is None, reason="scripts/setup installs Kea")
def test_kea_lease_file_round_trip(test_lab, tmp_path):
    model = model6()
    kea = KeaAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "kea"))
    lessor = LessorAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "lessor"))
    try:
        kea.start(model)
        other, _ = _address(OTHER, test_lab, tmp_path, kea)
        first, _ = _address(RETURNING, test_lab, tmp_path, kea)
        kea.stop()
        assert other != first
        # lessor starts on the very file kea-dhcp6 wrote.
        lessor.render(model)
        os.makedirs(lessor.workdir, exist_ok=True)
        shutil.copy(kea.lease_path, lessor.lease_path)
        lessor.start(model)
        held = {(lease.address, lease.lease_type) for lease in lessor.leases()}
        assert {(other, "NA"), (first, "NA")} <= held, f"lessor did not load Kea's leases: {held}"
        again, _ = _address(RETURNING, test_lab, tmp_path, lessor)
        assert again == first, f"the returning client got {again} from lessor, not its {first} from Kea"
        lessor.stop()
        # ... and Kea loads what lessor wrote.
        shutil.copy(lessor.lease_path, kea.lease_path)
        kea.start(model)
        assert any(lease.address == first and lease.lease_type == "NA" for lease in kea.leases())
        back, _ = _address(RETURNING, test_lab, tmp_path, kea)
        assert back == first, f"the returning client got {back} from Kea on lessor's file, not {first}"
    finally:
        kea.stop()
        lessor.stop()


@pytest.mark.parametrize("sut", ["kea", "lessor"])
def test_server_duid_persists_across_restarts(test_lab, tmp_path, sut):
    if sut == "kea" and shutil.which("kea-dhcp6") is None:
        pytest.skip("scripts/setup installs Kea")
    server = adapter_class(sut)(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path / "server"))
    server.server_id_persist = True
    server.data_directory = str(tmp_path / "data")
    os.makedirs(server.data_directory)
    rendered = server.render_dict(model6())["Dhcp6"]
    assert rendered["server-id"] == {"type": "LLT", "persist": True}
    assert rendered["data-directory"] == server.data_directory
    try:
        server.start(model6())
        started = time.monotonic()
        _, duid = _address(RETURNING, test_lab, tmp_path, server)
        stored = os.path.join(server.data_directory, "kea-dhcp6-serverid")
        assert os.path.exists(stored), f"{sut} kept no server DUID in {server.data_directory}"
        assert duid_bytes(open(stored).read().strip()).hex(":") == duid
        # A DUID-LLT made anew holds the time in seconds: restart at least a second later, so that a
        # server which forgot its DUID would answer with a different one (the client run above
        # normally takes longer than that already).
        poll(lambda: time.monotonic() - started >= 1.2, 2.0, interval=0.1)
        server.restart()
        _, again = _address(RETURNING, test_lab, tmp_path, server)
    finally:
        server.stop()
    assert again == duid, f"{sut} answered with server DUID {again} after a restart, {duid} before"

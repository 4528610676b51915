"""The Kea adapter drives real kea-dhcp4/kea-dhcp6: start with readiness polling, a failed start
reported with Kea's own log lines, reconfigure, restart, stop."""

from __future__ import annotations

import shutil

import pytest

from forge.adapters import ServerStartError
from forge.adapters.kea import KeaAdapter
from forge.hosts import NetnsHost
from forge.model import Pool, ServerModel

pytestmark = pytest.mark.skipif(shutil.which("kea-dhcp4") is None, reason="Kea is installed by scripts/setup")


def _model(version: int, pool: str) -> ServerModel:
    model = ServerModel(version=version)
    prefix = "192.0.2.0/24" if version == 4 else "2001:db8:1::/64"
    model.add_subnet(prefix).pools.append(Pool(pool))
    return model


@pytest.fixture
def adapter(test_lab, tmp_path):
    a = KeaAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path))
    yield a
    a.stop()


@pytest.mark.parametrize("version,pool", [(4, "192.0.2.10-192.0.2.20"), (6, "2001:db8:1::10-2001:db8:1::20")])
def test_lifecycle(adapter, version, pool):
    model = _model(version, pool)
    adapter.start(model)
    assert adapter.running()
    assert adapter.command("status-get")["result"] == 0
    model.valid_lifetime = 1234
    adapter.reconfigure(model)
    assert adapter.command("config-get")["arguments"][f"Dhcp{version}"]["valid-lifetime"] == 1234
    first_pid = adapter.process.pid
    adapter.restart()
    assert adapter.running() and adapter.process.pid != first_pid
    adapter.stop()
    assert not adapter.running()
    assert "started" in adapter.log().lower() or "DHCP" in adapter.log()


def test_rejected_configuration_is_reported_with_keas_own_words(adapter):
    model = _model(4, "203.0.113.10-203.0.113.20")  # a pool outside its subnet
    with pytest.raises(ServerStartError) as err:
        adapter.start(model)
    text = str(err.value)
    assert "rejected the configuration" in text
    assert "203.0.113.10" in text  # Kea names the offending pool
    assert not adapter.running()


def test_bad_reconfiguration_keeps_the_running_server(adapter):
    model = _model(4, "192.0.2.10-192.0.2.20")
    adapter.start(model)
    bad = _model(4, "203.0.113.10-203.0.113.20")
    with pytest.raises(ServerStartError, match="refused the new configuration"):
        adapter.reconfigure(bad)
    assert adapter.running()
    assert adapter.command("status-get")["result"] == 0

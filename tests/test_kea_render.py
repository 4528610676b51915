"""The Kea adapter renders models that real kea-dhcp4/kea-dhcp6 accept (`-t`)."""

import json
import shutil

import pytest

from forge.adapters.kea import KeaAdapter
from forge.hosts import NetnsHost
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel

pytestmark = pytest.mark.skipif(shutil.which("kea-dhcp4") is None, reason="Kea is installed by scripts/setup")


def _check(lab, tmp_path, model):
    """Render, then let the real daemon check the file in the lab's server namespace."""
    adapter = KeaAdapter(NetnsHost(lab.sut.netns), lab, str(tmp_path))
    files = adapter.render(model)
    for path, text in files.items():
        adapter.host.put_file(path, text)
        result = adapter.host.run([adapter.daemon, "-t", path], check=False,
                                  env={"KEA_PIDFILE_DIR": adapter.workdir, "KEA_LOCKFILE_DIR": adapter.workdir})
        assert result.ok, result.stdout + result.stderr
    return json.loads(next(iter(files.values())))


def test_v4_model_renders_to_valid_kea(test_lab, tmp_path):
    m = ServerModel(version=4, valid_lifetime=4000, echo_client_id=False, authoritative=True)
    s = m.add_subnet("192.0.2.0/24")
    s.pools.append(Pool("192.0.2.10-192.0.2.20", [OptionData("domain-name-servers", None, "192.0.2.53")]))
    s.options.append(OptionData("routers", None, "192.0.2.1"))
    s.reservations.append(Reservation(hw_address="02:00:00:00:00:09", ip_address="192.0.2.99"))
    r = m.add_subnet("198.51.100.0/24")
    r.pools.append(Pool("198.51.100.10-198.51.100.20"))
    r.relay_addresses.append("198.51.100.1")
    r.direct = False
    conf = _check(test_lab, tmp_path, m)["Dhcp4"]
    assert conf["echo-client-id"] is False
    assert conf["subnet4"][0]["interface"] == test_lab.sut.iface
    assert "interface" not in conf["subnet4"][1]


def test_v6_model_renders_to_valid_kea(test_lab, tmp_path):
    m = ServerModel(version=6, preferred_lifetime=3000, rapid_commit=True)
    s = m.add_subnet("2001:db8:1::/64")
    s.pools.append(Pool("2001:db8:1::10-2001:db8:1::20"))
    s.pd_pools.append(PdPool("2001:db8:8000::", 48, 56))
    r = m.add_subnet("2001:db8:2::/64")
    r.interface_id = "port-7"
    r.direct = False
    conf = _check(test_lab, tmp_path, m)["Dhcp6"]
    assert conf["subnet6"][0]["rapid-commit"] is True
    assert conf["subnet6"][1]["interface-id"] == "port-7"

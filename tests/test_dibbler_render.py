"""The Dibbler adapter: server.conf rendering, the server-AddrMgr.xml lease parser, and real dibbler-server 1.0.1
started on the rendering in a lab, isolated so that /etc/dibbler, /var/lib/dibbler and /var/log/dibbler on the host
are left exactly as they were."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from forge.adapters import ServerStartError
from forge.adapters.dibbler import SYSTEM_DIRS, DibblerAdapter
from forge.hosts import NetnsHost
from forge.lab import load_lab
from forge.leases_dibbler import parse_dibbler_addrmgr
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel
from tests.conftest import private_lab_file

needs_dibbler = pytest.mark.skipif(shutil.which("dibbler-server") is None,
                                   reason="dibbler-server is installed by scripts/setup")


@pytest.fixture
def paper_lab(tmp_path):
    """A lab description for rendering only: nothing is brought up."""
    return load_lab(private_lab_file(tmp_path, "r"))


def _model() -> ServerModel:
    m = ServerModel(version=6, preferred_lifetime=3000, valid_lifetime=4000, renew_timer=1000, rebind_timer=2000,
                    rapid_commit=True)
    m.options.append(OptionData("dns-servers", 23, "2001:db8::53"))
    m.options.append(OptionData("information-refresh-time", 32, "7200"))
    s = m.add_subnet("2001:db8:1::/64")
    s.pools.append(Pool("2001:db8:1::10-2001:db8:1::20"))
    s.pd_pools.append(PdPool("2001:db8:8000::", 48, 56))
    s.options.append(OptionData("domain-search", 24, "example.com"))
    s.reservations.append(Reservation(duid="00:03:00:01:02:00:5e:10:00:01", ip_addresses=["2001:db8:1::500"]))
    s.reservations.append(Reservation(duid="00:03:00:01:02:00:5e:10:00:02", prefixes=["2001:db8:9000::/56"]))
    r = m.add_subnet("2001:db8:3::/64")
    r.pools.append(Pool("2001:db8:3::/120"))
    r.interface_id = "port-7"
    r.direct = False
    r.valid_lifetime = 5000
    return m


def _block(text: str, head: str) -> str:
    """The text of one top-level `iface` block."""
    start = text.index(head)
    return text[start:text.index("\n}\n", start)]


def test_render_direct_interface(paper_lab, tmp_path):
    adapter = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path / "w"))
    files = adapter.render(_model())
    assert list(files) == [str(tmp_path / "w" / "etc" / "server.conf")]
    text = files[adapter.config_path]
    assert text.splitlines()[1:3] == ["log-level 8", "log-mode full"]
    assert "guess-mode" not in text  # the only relayed subnet names its interface-id
    direct = _block(text, f'iface "{paper_lab.sut.iface}" {{')
    for line in ("rapid-commit yes", "subnet 2001:db8:1::/64", "pool 2001:db8:1::10-2001:db8:1::20",
                 "pd-pool 2001:db8:8000::/48", "pd-length 56", "T1 1000", "T2 2000", "prefered-lifetime 3000",
                 "valid-lifetime 4000", "option dns-server 2001:db8::53", "option lifetime 7200",
                 "option domain example.com", "client duid 0x0003000102005e100001 {", "address 2001:db8:1::500",
                 "client duid 0x0003000102005e100002 {", "prefix 2001:db8:9000::/56"):
        assert f"  {line}" in direct, line
    assert "unicast" not in direct  # direct clients get no Server Unicast option


def test_render_relay_interface(paper_lab, tmp_path):
    adapter = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path))
    relay = _block(adapter.render_text(_model()), 'iface "relay1" {')
    for line in (f'relay "{paper_lab.sut.iface}"', 'interface-id "port-7"', "subnet 2001:db8:3::/64",
                 f"unicast {paper_lab.sut.ipv6.ip}", "pool 2001:db8:3::-2001:db8:3::ff", "valid-lifetime 5000",
                 "option dns-server 2001:db8::53"):
        assert f"  {line}" in relay, line
    assert "domain example.com" not in relay  # the other subnet's option


def test_relays_without_interface_id_turn_guess_mode_on(paper_lab, tmp_path):
    m = ServerModel(version=6)
    s = m.add_subnet("2001:db8:2::/64")
    s.pools.append(Pool("2001:db8:2::10-2001:db8:2::20"))
    s.direct = False
    text = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path)).render_text(m)
    assert "\nguess-mode\n" in text
    assert f'iface "{paper_lab.sut.iface}"' not in text  # no direct subnet: no classes for the link itself
    assert "interface-id" not in text


def test_server_duid_goes_to_the_state_folder(paper_lab, tmp_path):
    m = _model()
    m.server_id = "00:01:00:01:2a:2b:2c:2d:02:00:5e:00:53:01"
    adapter = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path))
    assert adapter.render(m)[str(tmp_path / "lib" / "server-duid")] == m.server_id + "\n"


def test_render_refuses_what_dibbler_cannot_do(paper_lab, tmp_path):
    adapter = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path))
    with pytest.raises(ServerStartError, match="DHCPv6 server only"):
        adapter.render(ServerModel(version=4))
    m = ServerModel(version=6)
    m.add_subnet("2001:db8:1::/64").reservations.append(Reservation(hw_address="02:00:5e:00:53:09"))
    with pytest.raises(ServerStartError, match="by DUID only"):
        adapter.render(m)
    m = ServerModel(version=6)
    m.add_subnet("2001:db8:1::/64").options.append(OptionData("bcms-server-d", 33, "example.com"))
    with pytest.raises(ServerStartError, match="cannot render option bcms-server-d"):
        adapter.render(m)


ADDRMGR = """<AddrMgr>
  <timestamp>1795815842</timestamp>
  <replayDetection>0</replayDetection>
  <AddrClient>
    <duid length="10">00:03:00:01:02:da:a7:62:6d:ad</duid>
    <AddrIA unicast="fe80::2" T1="1000" T2="2000" IAID="23067" state="CONFIGURED" ifacename="vf-sut" iface="101">
      <duid length="10">00:03:00:01:02:da:a7:62:6d:ad</duid>
      <AddrAddr timestamp="1795815842" pref="3000" valid="4000" prefix="128">2001:db8:1::1b</AddrAddr>
    </AddrIA>
    <AddrPD unicast="fe80::2" T1="5" T2="10" IAID="15528" state="CONFIGURED" ifacename="vf-sut" iface="101">
      <duid length="10">00:03:00:01:02:da:a7:62:6d:ad</duid>
      <AddrPrefix timestamp="1795815843" pref="86400" valid="172800" length="56">2001:db8:8000:1900::</AddrPrefix>
    </AddrPD>
  </AddrClient>
  <AddrClient>
    <duid length="1">58</duid>
  <!-- 1-byte length DUID. DECLINED-ADDRESSES -->
    <AddrIA unicast="::" T1="0" T2="0" IAID="0" state="NOTCONFIGURED" ifacename="vf-sut" iface="101">
      <duid length="1">58</duid>
      <AddrAddr timestamp="1795815883" pref="7200" valid="7200" prefix="128">2001:db8:1::10</AddrAddr>
    </AddrIA>
  </AddrClient>
</AddrMgr>
"""


def test_addrmgr_leases():
    na, pd, declined = parse_dibbler_addrmgr(ADDRMGR)
    assert (na.address, na.lease_type, na.iaid, na.duid) == (
        "2001:db8:1::1b", "NA", 23067, "00:03:00:01:02:da:a7:62:6d:ad")
    assert (na.preferred_lifetime, na.valid_lifetime, na.expire, na.prefix_len, na.state) == (
        3000, 4000, 1795815842 + 4000, 128, 0)
    assert (pd.address, pd.lease_type, pd.prefix_len, pd.valid_lifetime, pd.iaid) == (
        "2001:db8:8000:1900::", "PD", 56, 172800, 15528)
    assert (declined.address, declined.state, declined.duid) == ("2001:db8:1::10", 1, None)


@pytest.mark.parametrize("text", ["", "<AddrMgr>\n  <AddrClient>", "<AddrMgr><timestamp>1</timestamp></AddrMgr>"])
def test_addrmgr_empty_or_half_written(text):
    assert parse_dibbler_addrmgr(text) == []


def test_leases_name_the_model_subnet(paper_lab, tmp_path):
    adapter = DibblerAdapter(NetnsHost(paper_lab.sut.netns), paper_lab, str(tmp_path))
    adapter.model = _model()
    adapter.host.put_file(adapter.lease_path, ADDRMGR)
    assert {lease.address: lease.subnet_id for lease in adapter.leases()} == {
        "2001:db8:1::1b": 1, "2001:db8:8000:1900::": 1, "2001:db8:1::10": 1}


# -- the real daemon ---------------------------------------------------------
def _snapshot() -> dict[str, str]:
    """Every entry under Dibbler's system folders with its type, size, mtime and content hash."""
    seen = {}
    for _, target in SYSTEM_DIRS:
        root = Path(target)
        for path in [root, *sorted(root.rglob("*"))]:
            st = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
            seen[str(path)] = f"{st.st_mode:o} {st.st_size} {st.st_mtime_ns} {digest}"
    return seen


@needs_dibbler
def test_real_dibbler_runs_isolated(test_lab, tmp_path):
    before = _snapshot()
    m = _model()
    m.server_id = "00:01:00:01:2a:2b:2c:2d:02:00:5e:00:53:01"
    adapter = DibblerAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path))
    try:
        adapter.start(m)
        assert adapter.running()
        out = adapter.host.read_text(adapter.output_path)
        assert "Critical" not in out, out
        assert f"My DUID is {m.server_id}." in out
        sockets = adapter.host.run(["ss", "-Hlun", "sport = :547"]).stdout
        assert "ff02::1:2" in sockets and str(test_lab.sut.ipv6.ip) in sockets
        adapter.restart(m)  # the first run left its PID file behind
        assert adapter.running()
    finally:
        adapter.stop()
    assert not adapter.running()
    # Dibbler wrote its state, lease database and log into the work folder, and nothing on the host.
    for name in ("lib/server-AddrMgr.xml", "lib/server-CfgMgr.xml", "lib/server-duid", "log/dibbler-server.log"):
        assert (tmp_path / name).is_file(), name
    assert parse_dibbler_addrmgr((tmp_path / "lib" / "server-AddrMgr.xml").read_text()) == []
    assert _snapshot() == before


@needs_dibbler
def test_real_dibbler_refusal_is_reported_with_its_log(test_lab, tmp_path):
    m = ServerModel(version=6)
    m.add_subnet("2001:db8:1::/64")  # no pool and not stateless: Dibbler refuses the configuration
    adapter = DibblerAdapter(NetnsHost(test_lab.sut.netns), test_lab, str(tmp_path))
    with pytest.raises(ServerStartError, match="No class definitions"):
        adapter.start(m)
    assert not adapter.running()

"""The lab DNS server's named.conf and the DHCP-DDNS daemon's DhcpDdns JSON, as rendered from the neutral DNS
model: real named-checkconf and kea-dhcp-ddns -t accept them, and the daemons start and stop in a lab."""

import json
import shutil
import subprocess

import pytest

from forge.adapters.bind9 import Bind9Server
from forge.adapters.d2 import KeaD2Adapter, LessorD2Adapter, d2_adapter, d2_name, other_d2
from forge.dnsmodel import REVERSE_ZONES, DnsModel
from forge.hosts import NetnsHost
from forge.lab import load_lab
from tests.conftest import private_lab_file

needs_bind = pytest.mark.skipif(shutil.which("named") is None, reason="BIND9 is installed by scripts/setup")
needs_d2 = pytest.mark.skipif(shutil.which("kea-dhcp-ddns") is None, reason="Kea is installed by scripts/setup")


@pytest.fixture
def lab(tmp_path):
    """The lab's addresses only (nothing is brought up)."""
    return load_lab(private_lab_file(tmp_path, "r"))


def _model(algorithm="HMAC-SHA256") -> DnsModel:
    m = DnsModel()
    for zone in ("example.com.", *REVERSE_ZONES):
        m.add_zone(zone, "forge-key", algorithm)
    return m


@needs_bind
@pytest.mark.parametrize("algorithm", ["HMAC-MD5", "HMAC-SHA1", "HMAC-SHA224", "HMAC-SHA256", "HMAC-SHA384",
                                       "HMAC-SHA512"])
def test_named_conf_is_accepted_and_stays_in_its_folder(lab, tmp_path, algorithm):
    server = Bind9Server(NetnsHost(None), lab, str(tmp_path / "dns"))
    files = server.render(_model(algorithm))
    for path, text in files.items():
        server.host.put_file(path, text)
    check = subprocess.run(["named-checkconf", "-z", server.config_path], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    conf = files[server.config_path]
    assert f"algorithm {algorithm.lower()};" in conf
    assert conf.count('allow-update { key "forge-key"; };') == 3
    assert "recursion no;" in conf
    assert f"{lab.sut.ipv4.ip};" in conf and f"{lab.sut.ipv6.ip};" in conf and "127.0.0.1;" in conf
    for line in conf.splitlines():  # every file named writes is in the work folder
        if any(k in line for k in ("directory", "pid-file", "session-keyfile", "file ")):
            assert str(tmp_path / "dns") in line, line
    zone = files[server.zone_path(_model().zone("example.com."))]
    assert "IN SOA ns.example.com." in zone and f"ns.example.com. IN A {lab.sut.ipv4.ip}" in zone


def test_zone_without_its_key_is_an_error(lab, tmp_path):
    m = _model()
    m.zone("example.com.").key = "missing"
    with pytest.raises(ValueError, match="needs TSIG key missing"):
        Bind9Server(NetnsHost(None), lab, str(tmp_path)).render(m)
    with pytest.raises(ValueError, match="no zone to serve"):
        Bind9Server(NetnsHost(None), lab, str(tmp_path)).render(DnsModel())


def test_model_errors_are_named():
    m = _model()
    with pytest.raises(ValueError, match="unknown TSIG algorithm"):
        m.add_key("k", "HMAC-SHA3")
    with pytest.raises(ValueError, match="already defined with HMAC-SHA256"):
        m.add_key("forge-key", "HMAC-MD5")
    with pytest.raises(ValueError, match="does not serve zone example.org."):
        m.zone("example.org")
    assert m.zone_of("host.example.com").name == "example.com."
    assert m.zone_of("10.2.0.192.in-addr.arpa.").name == "2.0.192.in-addr.arpa."
    assert m.zone_of("host.example.org.") is None


@needs_d2
def test_dhcpddns_json_is_accepted_by_kea(tmp_path):
    m = _model("HMAC-SHA512")
    m.wrong_secret("forge-key")
    d2 = KeaD2Adapter(NetnsHost(None), str(tmp_path))
    files = d2.render(m)
    for path, text in files.items():
        d2.host.put_file(path, text)
    result = d2.host.run(d2.check_line(), check=False, env=d2.env())
    assert result.ok, result.stdout + result.stderr
    conf = json.loads(files[d2.config_path])["DhcpDdns"]
    assert (conf["ip-address"], conf["port"]) == ("127.0.0.1", 53001)
    assert conf["control-socket"]["socket-name"].startswith(str(tmp_path))
    assert [k["name"] for k in conf["tsig-keys"]] == ["forge-key"]
    assert conf["tsig-keys"][0]["algorithm"] == "HMAC-SHA512"
    assert conf["tsig-keys"][0]["secret"] != m.keys["forge-key"].secret  # the wrong secret goes to D2 only
    assert [d["name"] for d in conf["forward-ddns"]["ddns-domains"]] == ["example.com."]
    assert [d["name"] for d in conf["reverse-ddns"]["ddns-domains"]] == list(REVERSE_ZONES)
    assert conf["forward-ddns"]["ddns-domains"][0]["dns-servers"] == [{"ip-address": "127.0.0.1", "port": 53}]
    assert conf["loggers"][0]["output_options"][0]["output"].startswith(str(tmp_path))


def test_unsigned_zone_renders_without_key(tmp_path):
    m = _model()
    m.zone("example.com.").d2_key = None
    conf = json.loads(next(iter(KeaD2Adapter(NetnsHost(None), str(tmp_path)).render(m).values())))["DhcpDdns"]
    assert "key-name" not in conf["forward-ddns"]["ddns-domains"][0]
    assert conf["reverse-ddns"]["ddns-domains"][0]["key-name"] == "forge-key"


def test_d2_choice(tmp_path):
    assert d2_name("kea", None) == "kea-dhcp-ddns" and d2_name("lessor", None) == "lessor ddns"
    assert other_d2("kea") == "lessor ddns" and other_d2("lessor") == "kea-dhcp-ddns"
    assert isinstance(d2_adapter("lessor ddns", NetnsHost(None), str(tmp_path)), LessorD2Adapter)
    with pytest.raises(ValueError, match="unknown DHCP-DDNS daemon"):
        d2_name("kea", "bind-ddns")


@needs_bind
@needs_d2
def test_daemons_start_answer_and_stop_in_a_lab(test_lab, tmp_path):
    host = NetnsHost(test_lab.sut.netns)
    m = _model()
    server = Bind9Server(host, test_lab, str(tmp_path / "dns"))
    d2 = KeaD2Adapter(host, str(tmp_path / "d2"))
    server.start(m)
    try:
        d2.start(m)
        stats = d2.statistics()
        assert stats["ncr-received"] == 0 and "update-sent" in stats
        ok, _ = d2.settled(0, 0.1, 5)
        assert ok
        # The SOA answers on the lab address too (what the checks query, from the tester's side).
        probe = host.run(["dig", "+short", f"@{test_lab.sut.ipv4.ip}", "example.com.", "SOA"], check=False)
        assert "ns.example.com." in probe.stdout
    finally:
        d2.stop()
        server.stop()
    assert not d2.running() and not server.running()
    assert "running" in server.log()

"""The ISC dhcpd adapter renders models that real dhcpd 4.4 accepts (`dhcpd -t -cf`), and reads its lease file."""

import shutil
import subprocess

import pytest

from forge.adapters.iscdhcp_conf import option_value, render_dhcpd_conf
from forge.leases_dhcpd import parse_dhcpd_leases
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel

needs_dhcpd = pytest.mark.skipif(shutil.which("dhcpd") is None, reason="isc-dhcp-server is installed by scripts/setup")


def _check(tmp_path, model, iface_address):
    """Render, then let the real dhcpd check the file (-t only parses it: no socket, no lease file)."""
    text = render_dhcpd_conf(model, iface_address)
    conf = tmp_path / f"dhcpd{model.version}.conf"
    conf.write_text(text)
    result = subprocess.run(["dhcpd", f"-{model.version}", "-t", "-cf", str(conf)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, text + result.stdout + result.stderr
    return text


def _v4_model() -> ServerModel:
    m = ServerModel(version=4, valid_lifetime=4000, renew_timer=1000, rebind_timer=2000, echo_client_id=False,
                    authoritative=True, match_client_id=False)
    m.options.append(OptionData("domain-name-servers", None, "192.0.2.53, 192.0.2.54"))
    s = m.add_subnet("192.0.2.0/24")
    s.pools.append(Pool("192.0.2.10-192.0.2.20", [OptionData("ntp-servers", None, "192.0.2.123")]))
    s.options.append(OptionData("routers", None, "192.0.2.1"))
    s.options.append(OptionData("domain-search", None, "example.com, example.org"))
    s.options.append(OptionData(None, 224, "0102ff", csv_format=False))
    s.reservations.append(Reservation(hw_address="02:00:00:00:00:09", ip_address="192.0.2.99"))
    s.reservations.append(Reservation(client_id="01:02:00:5e:10:00:02", ip_address="192.0.2.98", hostname="pc"))
    r = m.add_subnet("203.0.113.0/24")
    r.pools.append(Pool("203.0.113.0/28"))
    r.relay_addresses.append("198.51.100.1")
    r.direct = False
    return m


def _v6_model() -> ServerModel:
    m = ServerModel(version=6, valid_lifetime=4000, preferred_lifetime=3000, rapid_commit=True, renew_timer=1000)
    m.options.append(OptionData("dns-servers", None, "2001:db8::53"))
    m.options.append(OptionData("information-refresh-time", None, "7200"))
    s = m.add_subnet("2001:db8:2::/64")
    s.direct = False
    s.pools.append(Pool("2001:db8:2::10-2001:db8:2::20", [OptionData("domain-search", None, "example.com")]))
    s.pd_pools.append(PdPool("2001:db8:8000::", 48, 56))
    s.reservations.append(Reservation(duid="00:03:00:01:02:00:5e:10:00:01", ip_addresses=["2001:db8:2::500"]))
    s.reservations.append(Reservation(duid="00:03:00:01:02:00:5e:10:00:02", prefixes=["2001:db8:9000::/56"]))
    d = m.add_subnet("2001:db8:3::/64")
    d.pools.append(Pool("2001:db8:3::/120"))
    return m


@needs_dhcpd
def test_v4_model_renders_to_valid_dhcpd(tmp_path):
    text = _check(tmp_path, _v4_model(), "192.0.2.1")
    for line in ("ping-check false;", "ddns-update-style none;", "echo-client-id false;", "authoritative;",
                 "ignore-client-uids true;", "default-lease-time 4000;", "max-lease-time 4000;",
                 "option dhcp-renewal-time 1000;", "option dhcp-rebinding-time 2000;",
                 "option domain-name-servers 192.0.2.53, 192.0.2.54;", "range 192.0.2.10 192.0.2.20;",
                 'option domain-search "example.com", "example.org";', "option forge-opt-224 code 224 = string;",
                 "option forge-opt-224 01:02:ff;", "hardware ethernet 02:00:00:00:00:09;",
                 "option dhcp-client-identifier 01:02:00:5e:10:00:02;", "fixed-address 192.0.2.98;",
                 "range 203.0.113.0 203.0.113.15;"):
        assert line in text, line
    # the relayed subnet shares a link with a placeholder holding the relay's address
    assert "subnet 198.51.100.1 netmask 255.255.255.255" in text
    assert text.index("shared-network") < text.index("subnet 203.0.113.0") < text.index("subnet 198.51.100.1")


@needs_dhcpd
def test_v6_model_renders_to_valid_dhcpd(tmp_path):
    text = _check(tmp_path, _v6_model(), "2001:db8:1::1")
    for line in ("preferred-lifetime 3000;", "option dhcp6.rapid-commit;", "option dhcp6.name-servers 2001:db8::53;",
                 "option dhcp6.info-refresh-time 7200;", "range6 2001:db8:2::10 2001:db8:2::20;",
                 "prefix6 2001:db8:8000:: 2001:db8:8000:ff00:: /56;", 'option dhcp6.domain-search "example.com";',
                 "host-identifier option dhcp6.client-id 00:03:00:01:02:00:5e:10:00:01;",
                 "fixed-address6 2001:db8:2::500;", "fixed-prefix6 2001:db8:9000::/56;", "range6 2001:db8:3::/120;"):
        assert line in text, line
    # the interface's own address gets a host-sized subnet, on one link with the direct subnet
    assert "subnet6 2001:db8:1::1/128" in text
    assert "2001:db8:1::/64" not in text


@needs_dhcpd
def test_interface_subnet_is_declared_even_when_the_model_has_none(tmp_path):
    m = ServerModel(version=4)
    s = m.add_subnet("198.51.100.0/24")
    s.pools.append(Pool("198.51.100.10-198.51.100.20"))
    s.direct = False
    text = _check(tmp_path, m, "192.0.2.1")
    assert "subnet 192.0.2.1 netmask 255.255.255.255" in text
    assert "shared-network" not in text


def test_option_values_follow_their_kind():
    assert option_value("string", 'a "b"') == '"a \\"b\\""'
    assert option_value("hex", "0x0A0b") == "0a:0b"
    assert option_value("ipv4[]", "192.0.2.1,192.0.2.2") == "192.0.2.1, 192.0.2.2"
    assert option_value("u32", "7200", csv_format=False) == "72:00"  # raw hex data


LEASES4 = """\
# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;

lease 192.0.2.10 {
  starts 5 2026/11/27 21:00:00;
  ends 5 2026/11/27 22:06:40;
  cltt 5 2026/11/27 21:00:00;
  binding state active;
  next binding state free;
  hardware ethernet 02:00:5E:10:00:0A;
  uid 1:2:0:5e:10:0:a;
  client-hostname "pc \\"one\\"";
}
lease 192.0.2.11 {
  starts 5 2026/11/27 21:00:00;
  ends 5 2026/11/27 22:00:00;
  binding state active;
  uid "\\001\\002\\000^\\020\\000\\013";
}
lease 192.0.2.11 {
  starts 5 2026/11/27 21:00:00;
  ends 5 2026/11/27 21:10:00;
  binding state free;
}
lease 192.0.2.12 {
  binding state abandoned;
}
"""

LEASES6 = """\
authoring-byte-order little-endian;
server-duid 00:01:00:01:32:9c:b6:b7:02:00:5e:00:53:01;

ia-na 3b:bc:0:0:0:3:0:1:2:0:5e:10:0:2 {
  cltt 5 2026/11/27 21:46:31;
  iaaddr 2001:db8:1::20 {
    binding state active;
    preferred-life 3000;
    max-life 4000;
    ends 6 2026/11/28 09:46:31;
  }
}
ia-pd "\\001\\000\\000\\000\\000\\003\\000\\001\\002\\000^\\020\\000\\002" {
  cltt 5 2026/11/27 21:46:31;
  iaprefix 2001:db8:8000:100::/56 {
    binding state active;
    preferred-life 3000;
    max-life 4000;
    ends epoch 1795900000;
  }
}
"""


def test_v4_leases_replay_the_journal():
    leases = {lease.address: lease for lease in parse_dhcpd_leases(LEASES4)}
    first = leases["192.0.2.10"]
    assert (first.hwaddr, first.client_id, first.valid_lifetime, first.state) == \
        ("02:00:5e:10:00:0a", "01:02:00:5e:10:00:0a", 4000, 0)
    assert first.hostname == 'pc "one"'
    assert leases["192.0.2.11"].state == 2  # the later declaration (free) wins
    assert leases["192.0.2.12"].state == 1  # abandoned: declined


def test_v6_leases_carry_iaid_duid_and_type():
    leases = {lease.address: lease for lease in parse_dhcpd_leases(LEASES6)}
    na, pd = leases["2001:db8:1::20"], leases["2001:db8:8000:100::"]
    assert (na.lease_type, na.iaid, na.duid, na.valid_lifetime, na.preferred_lifetime, na.prefix_len) == \
        ("NA", 48187, "00:03:00:01:02:00:5e:10:00:02", 4000, 3000, 128)
    assert (pd.lease_type, pd.iaid, pd.prefix_len, pd.expire, pd.state) == ("PD", 1, 56, 1795900000, 0)

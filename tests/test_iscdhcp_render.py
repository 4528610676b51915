"""The ISC dhcpd adapter renders models that real dhcpd 4.4 accepts (`dhcpd -t -cf`), and reads its lease file."""

import shutil
import subprocess

import pytest

from forge.adapters.iscdhcp_conf import option_value, render_dhcpd_conf
from forge.adapters.iscdhcp_ddns import count_dns_updates
from forge.dnsmodel import REVERSE_ZONES, TSIG_ALGORITHMS, DnsModel
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


# -- DNS updates (dhcpd's own) ------------------------------------------------------------------------------
def _dns_model() -> DnsModel:
    dns = DnsModel()
    dns.add_zone("example.com.", "forge-tsig", "HMAC-SHA512")
    for zone in REVERSE_ZONES:
        dns.add_zone(zone, "rev-key", "hmac-md5")
    return dns


def _ddns_check(tmp_path, model, iface_address, dns):
    text = render_dhcpd_conf(model, iface_address, dns=dns)
    conf = tmp_path / f"dhcpd{model.version}.conf"
    conf.write_text(text)
    result = subprocess.run(["dhcpd", f"-{model.version}", "-t", "-cf", str(conf)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, text + result.stdout + result.stderr
    return text


@needs_dhcpd
@pytest.mark.parametrize("algorithm", sorted(TSIG_ALGORITHMS))
def test_v4_ddns_renders_keys_and_zones_dhcpd_accepts(tmp_path, algorithm):
    m = _v4_model()
    m.dhcp_ddns = {"enable-updates": True, "server-ip": "127.0.0.1", "server-port": 53001}
    m.ddns.update({"ddns-qualifying-suffix": "example.com.", "ddns-use-conflict-resolution": False,
                   "hostname-char-set": "[^a-z]"})
    m.subnets[1].ddns["ddns-send-updates"] = False
    dns = DnsModel()
    dns.add_zone("example.com.", "forge-tsig", algorithm)
    dns.add_zone(REVERSE_ZONES[0], "forge-tsig", algorithm)
    text = _ddns_check(tmp_path, m, "192.0.2.1", dns)
    secret = dns.keys["forge-tsig"].secret
    for line in ("ddns-update-style standard;", "update-optimization false;", "allow client-updates;",
                 'ddns-domainname "example.com";', "update-conflict-detection false;",
                 f"algorithm {TSIG_ALGORITHMS[algorithm]};", f'secret "{secret}";', "zone example.com. {",
                 "zone 2.0.192.in-addr.arpa. {", "primary 127.0.0.1;", 'key "forge-tsig";',
                 "# not rendered, dhcpd has no equivalent: hostname-char-set"):
        assert line in text, line
    assert "ddns-update-style none;" not in text
    # the subnet's own setting lands in that subnet only
    assert text.index("subnet 203.0.113.0") < text.index("ddns-updates off;")


@needs_dhcpd
def test_v6_ddns_with_unsigned_zone_override_and_updates_off(tmp_path):
    m = _v6_model()
    m.dhcp_ddns = {"enable-updates": False}
    m.ddns.update({"ddns-qualifying-suffix": "example.com.", "ddns-override-client-update": True})
    dns = _dns_model()
    dns.zone("example.com.").d2_key = None  # "the DHCP-DDNS daemon updates zone example.com. without a key"
    text = _ddns_check(tmp_path, m, "2001:db8:1::1", dns)
    for line in ("ddns-update-style standard;", "ddns-updates off;", "ignore client-updates;",
                 "zone 1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. {", 'key "rev-key";', "algorithm hmac-md5;"):
        assert line in text, line
    assert "allow client-updates;" not in text
    assert "forge-tsig" not in text  # a key no zone is signed with is left out
    zone = text[text.index("zone example.com. {"):]
    assert "key" not in zone[:zone.index("}")]


def test_wrong_secret_is_rendered_for_dhcpd_not_the_dns_servers():
    m = ServerModel(version=4)
    m.add_subnet("192.0.2.0/24")
    m.dhcp_ddns = {"enable-updates": True}
    dns = _dns_model()
    right = dns.keys["forge-tsig"].secret
    wrong = dns.wrong_secret("forge-tsig").secret
    text = render_dhcpd_conf(m, "192.0.2.1", dns=dns)
    assert wrong in text and right not in text


@needs_dhcpd
def test_without_a_dns_server_zones_point_at_loopback_unsigned(tmp_path):
    """Features that never start a DNS server: dhcpd must not ask a resolver outside the lab for the zone."""
    m = ServerModel(version=4)
    m.add_subnet("192.0.2.0/24").pools.append(Pool("192.0.2.10-192.0.2.20"))
    m.dhcp_ddns = {"enable-updates": True}
    m.ddns["ddns-qualifying-suffix"] = "example.com."
    text = _ddns_check(tmp_path, m, "192.0.2.1", None)
    for zone in ("example.com.", *REVERSE_ZONES):
        assert f"zone {zone} {{\n    primary 127.0.0.1;\n}}" in text, zone
    assert "key" not in text


def test_no_dhcp_ddns_keeps_updates_off():
    m = ServerModel(version=4)
    m.add_subnet("192.0.2.0/24")
    m.ddns["ddns-qualifying-suffix"] = "example.com."
    text = render_dhcpd_conf(m, "192.0.2.1", dns=_dns_model())
    assert "ddns-update-style none;" in text
    assert "zone " not in text and "key " not in text


DDNS_LOG = """\
DHCPACK on 192.0.2.10 to 02:00:5e:42:00:01 (leaving) via vi-sut
Added new forward map from leaving.example.com to 192.0.2.10
Added reverse map from 10.2.0.192.in-addr.arpa. to leaving.example.com
Forward map from shared.example.com to 192.0.2.11 FAILED: Has an address record but no DHCID, not mine.
Unable to add forward map from forged.example.com to 192.0.2.12: tsig indicates error
Removed forward map from leaving.example.com to 192.0.2.10
Removed reverse map on 10.2.0.192.in-addr.arpa.
Can't remove reverse map on 12.2.0.192.in-addr.arpa.: REFUSED
"""


def test_dns_updates_are_counted_from_dhcpds_log():
    counts = count_dns_updates(DDNS_LOG)
    assert counts == {"ncr-received": 4, "update-sent": 7, "update-success": 4, "update-error": 3,
                      "forward-updates": 4, "reverse-updates": 3}
    assert count_dns_updates("DHCPACK on 192.0.2.10\n")["ncr-received"] == 0


LEASES_DDNS = """\
lease 192.0.2.10 {
  binding state active;
  hardware ethernet 02:00:5e:40:00:01;
  set ddns-rev-name = "10.2.0.192.in-addr.arpa.";
  set ddns-dhcid = "\\000\\000\\001\\031";
  set ddns-fwd-name = "dhcid-hw.example.com";
  client-hostname "dhcid-hw";
}
lease 192.0.2.11 {
  binding state active;
  set ddns-rev-name = "11.2.0.192.in-addr.arpa.";
}
lease 192.0.2.12 {
  binding state active;
}
ia-na bf:53:00:00:00:03:00:01:02:00:5e:40:00:06 {
  iaaddr 2001:db8:1::20 {
    binding state active;
    set ddns-fwd-name = "v6.example.com";
  }
}
"""


def test_leases_show_the_dns_updates_dhcpd_made():
    leases = {lease.address: lease for lease in parse_dhcpd_leases(LEASES_DDNS)}
    both, rev_only, none, v6 = (leases[a] for a in ("192.0.2.10", "192.0.2.11", "192.0.2.12", "2001:db8:1::20"))
    assert (both.fqdn_fwd, both.fqdn_rev, both.hostname) == (True, True, "dhcid-hw")
    assert (rev_only.fqdn_fwd, rev_only.fqdn_rev) == (False, True)
    assert (none.fqdn_fwd, none.fqdn_rev) == (None, None)  # no update recorded: the file cannot tell
    assert (v6.fqdn_fwd, v6.fqdn_rev, v6.hostname) == (True, False, "v6.example.com")

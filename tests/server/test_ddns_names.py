"""Client names as Kea 2.2 treats them: sanitizing, qualifying, generating, replace-client-name, and the
DDNS configuration keys (inheritance, deprecated dhcp-ddns keys, errors naming their JSON path)."""

from __future__ import annotations

import pytest

from server.config import ConfigError
from server.config.dhcp4 import parse_dhcp4
from server.config.dhcp6 import parse_dhcp6
from server.config.model import DdnsParams, DhcpDdns
from server.ddns import names

SUFFIXED = DdnsParams(qualifying_suffix="example.com.")


@pytest.mark.parametrize("name,count", [("", 0), (".", 1), ("host", 2), ("host.", 2), ("host.example.com", 4),
                                        ("host.example.com.", 4)])
def test_label_count_is_keas(name, count):
    assert names.label_count(name) == count


@pytest.mark.parametrize("bad", ["a..b", "x" * 64, ".".join(["abcdefgh"] * 30)])
def test_label_count_refuses_malformed_names(bad):
    with pytest.raises(names.BadName):
        names.label_count(bad)


def test_scrub_uses_the_char_set_and_replacement():
    assert names.scrub("my_host", DdnsParams()) == "myhost"  # Kea's default set, empty replacement
    assert names.scrub("my_host!", DdnsParams(hostname_char_replacement="x")) == "myxhostx"
    assert names.scrub("my_host", DdnsParams(hostname_char_set="")) == "my_host"
    # label by label: a set that does not spare dots still keeps the name's structure
    assert names.scrub_labels("a_b.c_d", DdnsParams(hostname_char_set="[^a-z]", hostname_char_replacement="-")) \
        == "a-b.c-d"


@pytest.mark.parametrize("name,dot,want", [("myhost", True, "myhost.example.com."),
                                          ("myhost", False, "myhost.example.com"),
                                          ("myhost.", False, "myhost.example.com")])
def test_qualify_appends_the_suffix_and_sets_the_dot(name, dot, want):
    assert names.qualify(name, SUFFIXED, dot) == want


def test_qualify_without_suffix_only_fixes_the_dot():
    assert names.qualify("myhost", DdnsParams(), True) == "myhost."
    assert names.qualify("myhost.", DdnsParams(), False) == "myhost"


def test_generated_names_dash_the_address():
    params = DdnsParams(generated_prefix="host", qualifying_suffix="example.com")
    assert names.generated(0xC000020A, 4, params, True) == "host-192-0-2-10.example.com."
    assert names.generated(0x20010DB8000100000000000000000010, 6, params, True) == "host-2001-db8-1--10.example.com."
    assert names.generated(0xC000020A, 4, DdnsParams(), False) == "myhost-192-0-2-10"


@pytest.mark.parametrize("mode,name,want", [
    ("never", "myhost", "myhost.example.com."),
    ("when-not-present", "myhost", "myhost.example.com."),
    ("always", "myhost", ""),
    ("when-present", "myhost", ""),
    ("never", "", ""),
])
def test_fqdn_name_follows_replace_client_name(mode, name, want):
    params = DdnsParams(replace_client_name=mode, qualifying_suffix="example.com")
    assert names.fqdn_name(name, True, params) == want


def test_fqdn_name_keeps_a_full_name_and_lowers_it():
    assert names.fqdn_name("Laptop.Example.ORG", False, SUFFIXED) == "laptop.example.org."
    assert names.fqdn_name("my_host", True, DdnsParams(hostname_char_replacement="x", qualifying_suffix="e.com")) \
        == "myxhost.e.com."


# -- configuration -------------------------------------------------------------------
def doc4(**extra) -> dict:
    conf = {"subnet4": [{"id": 1, "subnet": "192.0.2.0/24"}]}
    conf.update(extra)
    return {"Dhcp4": conf}


def test_defaults_are_keas():
    cfg = parse_dhcp4(doc4())
    assert cfg.dhcp_ddns == DhcpDdns()
    p = cfg.subnets[0].ddns
    assert p == DdnsParams() and not p.enabled
    assert p.hostname_char_set == "[^A-Za-z0-9.-]" and p.generated_prefix == "myhost"


def test_parameters_are_inherited_global_shared_network_subnet():
    cfg = parse_dhcp4(doc4(**{
        "dhcp-ddns": {"enable-updates": True},
        "ddns-qualifying-suffix": "example.com.", "ddns-generated-prefix": "g",
        "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "ddns-generated-prefix": "s"}],
        "shared-networks": [{"name": "net", "ddns-send-updates": False, "ddns-override-no-update": True,
                             "subnet4": [{"id": 2, "subnet": "198.51.100.0/24", "ddns-send-updates": True},
                                         {"id": 3, "subnet": "203.0.113.0/24"}]}],
    }))
    s1, s2, s3 = cfg.subnets
    assert (s1.ddns.generated_prefix, s1.ddns.qualifying_suffix, s1.ddns.enabled) == ("s", "example.com.", True)
    assert (s2.ddns.generated_prefix, s2.ddns.override_no_update, s2.ddns.enabled) == ("g", True, True)
    assert s3.ddns.enabled is False and s3.ddns.override_no_update is True


def test_deprecated_dhcp_ddns_keys_move_to_global_unless_set_there():
    cfg = parse_dhcp4(doc4(**{"ddns-generated-prefix": "global",
                              "dhcp-ddns": {"enable-updates": True, "generated-prefix": "old",
                                            "qualifying-suffix": "example.org.", "replace-client-name": "always"}}))
    p = cfg.subnets[0].ddns
    assert (p.generated_prefix, p.qualifying_suffix, p.replace_client_name) == ("global", "example.org.", "always")


def test_dhcp_ddns_link():
    cfg = parse_dhcp6({"Dhcp6": {"dhcp-ddns": {"enable-updates": True, "server-ip": "::1", "server-port": 53011,
                                               "max-queue-size": 5, "ncr-protocol": "udp"}}})
    assert cfg.dhcp_ddns == DhcpDdns(True, "::1", 53011, "::", 0, 5, "UDP", "JSON")
    assert cfg.ddns.enabled


@pytest.mark.parametrize("extra,path,text", [
    ({"ddns-replace-client-name": True}, "/Dhcp4/ddns-replace-client-name", "no longer supported"),
    ({"ddns-replace-client-name": "sometimes"}, "/Dhcp4/ddns-replace-client-name", "not one of"),
    ({"ddns-send-updates": "yes"}, "/Dhcp4/ddns-send-updates", "expected a boolean"),
    ({"hostname-char-set": "["}, "/Dhcp4/hostname-char-set", "not a valid regular expression"),
    ({"subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "ddns-generated-prefix": 5}]},
     r"/Dhcp4/subnet4\[0\]/ddns-generated-prefix", "expected a string"),
    ({"dhcp-ddns": {"server-ip": "127.0.0.1"}}, "/Dhcp4/dhcp-ddns", "missing 'enable-updates'"),
    ({"dhcp-ddns": {"enable-updates": True, "ncr-protocol": "TCP"}}, "/Dhcp4/dhcp-ddns/ncr-protocol",
     "not supported yet"),
    ({"dhcp-ddns": {"enable-updates": True, "ncr-format": "XML"}}, "/Dhcp4/dhcp-ddns/ncr-format", "not JSON"),
    ({"dhcp-ddns": {"enable-updates": True, "server-ip": "nonsense"}}, "/Dhcp4/dhcp-ddns/server-ip",
     "not an IP address"),
    ({"dhcp-ddns": {"enable-updates": True, "sender-ip": "::"}}, "/Dhcp4/dhcp-ddns/sender-ip", "family mismatch"),
    ({"dhcp-ddns": {"enable-updates": True, "server-port": 70000}}, "/Dhcp4/dhcp-ddns/server-port", "not a port"),
    ({"dhcp-ddns": {"enable-updates": True, "max-queue-size": -1}}, "/Dhcp4/dhcp-ddns/max-queue-size", "negative"),
    ({"dhcp-ddns": {"enable-updates": True, "sender-ip": "127.0.0.1", "sender-port": 53001}}, "/Dhcp4/dhcp-ddns",
     "cannot share"),
    ({"dhcp-ddns": {"enable-updates": True, "always-include-fqdn": True}},
     "/Dhcp4/dhcp-ddns/always-include-fqdn", "unknown parameter"),
    ({"dhcp-ddns": {"enable-updates": True, "replace-client-name": "sometimes"}},
     "/Dhcp4/dhcp-ddns/replace-client-name", "not one of"),
])
def test_bad_ddns_configuration_names_its_path(extra, path, text):
    with pytest.raises(ConfigError, match=f"{path}: .*{text}"):
        parse_dhcp4(doc4(**extra))

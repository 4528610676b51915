"""DhcpDdns parsing: Kea 2.2's defaults and its refusals (each checked against kea-dhcp-ddns -t), errors
naming their JSON path; domain matching and reverse names."""

from __future__ import annotations

import json

import pytest

from server.config import ConfigError
from server.config.errors import NotSupportedYet
from server.ddns.config import QUEUE_MAX, load_config, parse_document
from server.ddns.domains import match, reverse_name

SECRET = "LSWXnfkKZjdPJI5QxlpnfQ=="


def doc(**top) -> dict:
    return {"DhcpDdns": top}


def domain(name: str, **extra) -> dict:
    return {"name": name, "dns-servers": [{"ip-address": "127.0.0.1"}], **extra}


def test_defaults_are_keas():
    cfg = parse_document(doc(port=53001))
    assert (cfg.ip_address, cfg.port, cfg.dns_server_timeout) == ("127.0.0.1", 53001, 100)
    assert cfg.forward == () and cfg.reverse == () and cfg.keys == {} and cfg.control_socket is None
    assert QUEUE_MAX == 1024


def test_full_configuration(tmp_path):
    text = """// Kea's dialect: comments and trailing commas
    {"DhcpDdns": {"ip-address": "::1", "port": 53100, "dns-server-timeout": 500, "ncr-protocol": "udp",
      "ncr-format": "JSON", "user-context": {"a": 1}, "comment": "d2",
      "control-socket": {"socket-type": "unix", "socket-name": "/tmp/d2.sock"},
      "tsig-keys": [{"name": "k1", "algorithm": "hmac-sha256", "secret": "%s", "comment": "x"},
                    {"name": "k2", "algorithm": "HMAC-MD5", "secret": "%s", "digest-bits": 0}],
      "forward-ddns": {"ddns-domains": [{"name": "Example.COM", "key-name": "k1",
          "dns-servers": [{"ip-address": "192.0.2.53"}, {"ip-address": "2001:db8::53", "port": 5353,
                                                         "key-name": "k2"}]}]},
      "reverse-ddns": {"ddns-domains": [{"name": "2.0.192.in-addr.arpa.",
          "dns-servers": [{"ip-address": "127.0.0.1", "user-context": {}},]}]},
      "loggers": [{"name": "kea-dhcp-ddns", "severity": "DEBUG", "output_options": [{"output": "stdout"}]}],
    }}""" % (SECRET, SECRET)
    path = tmp_path / "d2.json"
    path.write_text(text)
    cfg = load_config(str(path))
    assert (cfg.ip_address, cfg.port, cfg.dns_server_timeout, cfg.control_socket) == ("::1", 53100, 500,
                                                                                      "/tmp/d2.sock")
    fwd = cfg.forward[0]
    assert fwd.name == "example.com."
    assert [(s.ip_address, s.port, s.key.name) for s in fwd.servers] == [("192.0.2.53", 53, "k1"),
                                                                        ("2001:db8::53", 5353, "k2")]
    assert cfg.keys["k1"].algorithm == "HMAC-SHA256" and len(cfg.keys["k1"].secret) == 16
    assert cfg.reverse[0].servers[0].key is None
    assert cfg.loggers[0].severity == "DEBUG"


@pytest.mark.parametrize("top, path, words", [
    ({"max-queue-size": 10}, "/DhcpDdns/max-queue-size", "unknown parameter"),
    ({"foo": 1}, "/DhcpDdns/foo", "unknown parameter"),
    ({"port": 0}, "/DhcpDdns/port", "1-65535"),
    ({"port": 70000}, "/DhcpDdns/port", "1-65535"),
    ({"port": "53001"}, "/DhcpDdns/port", "integer"),
    ({"dns-server-timeout": 0}, "/DhcpDdns/dns-server-timeout", "greater than zero"),
    ({"ncr-protocol": "TCP"}, "/DhcpDdns/ncr-protocol", "not yet supported"),
    ({"ncr-format": "XML"}, "/DhcpDdns/ncr-format", "unknown format"),
    ({"ip-address": "0.0.0.0"}, "/DhcpDdns/ip-address", "cannot be"),
    ({"ip-address": "foo"}, "/DhcpDdns/ip-address", "not an IP address"),
    ({"forward-ddns": {"comment": "x"}}, "/DhcpDdns/forward-ddns/comment", "unknown parameter"),
    ({"forward-ddns": {"ddns-domains": [domain("example.com.", foo=1)]}},
     "/DhcpDdns/forward-ddns/ddns-domains[0]/foo", "unknown parameter"),
    ({"forward-ddns": {"ddns-domains": [{"name": "example.com.", "dns-servers": [{"ip-address": "127.0.0.1",
                                                                                  "x": 2}]}]}},
     "/DhcpDdns/forward-ddns/ddns-domains[0]/dns-servers[0]/x", "unknown parameter"),
    ({"forward-ddns": {"ddns-domains": [{"name": "example.com.", "dns-servers": []}]}},
     "/DhcpDdns/forward-ddns/ddns-domains[0]", "at least one"),
    ({"forward-ddns": {"ddns-domains": [{"dns-servers": [{"ip-address": "127.0.0.1"}]}]}},
     "/DhcpDdns/forward-ddns/ddns-domains[0]", "missing parameter 'name'"),
    ({"forward-ddns": {"ddns-domains": [domain("")]}}, "/DhcpDdns/forward-ddns/ddns-domains[0]/name", "blank"),
    ({"forward-ddns": {"ddns-domains": [domain("example.com."), domain("EXAMPLE.com")]}},
     "/DhcpDdns/forward-ddns/ddns-domains[1]/name", "duplicate"),
    ({"forward-ddns": {"ddns-domains": [domain("example.com.", **{"key-name": "nokey"})]}},
     "/DhcpDdns/forward-ddns/ddns-domains[0]/key-name", "undefined key"),
    ({"reverse-ddns": {"ddns-domains": [{"name": "2.0.192.in-addr.arpa.", "dns-servers": [
        {"ip-address": "127.0.0.1", "port": 0}]}]}},
     "/DhcpDdns/reverse-ddns/ddns-domains[0]/dns-servers[0]/port", "1-65535"),
    ({"tsig-keys": [{"name": "k", "algorithm": "hmac-sha3", "secret": SECRET}]},
     "/DhcpDdns/tsig-keys[0]/algorithm", "unknown TSIG key algorithm"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-MD5", "secret": "!!!"}]},
     "/DhcpDdns/tsig-keys[0]/secret", "base64"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-MD5"}]}, "/DhcpDdns/tsig-keys[0]", "'secret'"),
    ({"tsig-keys": [{"name": " ", "algorithm": "HMAC-MD5", "secret": SECRET}]},
     "/DhcpDdns/tsig-keys[0]/name", "blank"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-MD5", "secret": SECRET}] * 2},
     "/DhcpDdns/tsig-keys[1]/name", "duplicate"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-SHA256", "secret": SECRET, "digest-bits": 100}]},
     "/DhcpDdns/tsig-keys[0]/digest-bits", "multiple of eight"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-SHA256", "secret": SECRET, "digest-bits": 120}]},
     "/DhcpDdns/tsig-keys[0]/digest-bits", "too small"),
    ({"tsig-keys": [{"name": "k", "algorithm": "HMAC-MD5", "secret-file": "/x"}]},
     "/DhcpDdns/tsig-keys[0]/secret-file", "unknown parameter"),
    ({"control-socket": {"socket-type": "tcp", "socket-name": "/x"}}, "/DhcpDdns/control-socket/socket-type",
     "unix"),
])
def test_errors_name_their_path(top, path, words):
    with pytest.raises(ConfigError) as err:
        parse_document(doc(**top))
    assert err.value.path == path
    assert words in str(err.value)


def test_only_dhcpddns_at_the_top():
    with pytest.raises(ConfigError, match="/Dhcp4: unknown top-level object"):
        parse_document({"DhcpDdns": {}, "Dhcp4": {}})
    with pytest.raises(ConfigError, match="needs a top-level 'DhcpDdns'"):
        parse_document({"Dhcp4": {}})


def test_what_lessor_does_not_do_is_refused_by_name():
    with pytest.raises(NotSupportedYet, match="not supported yet: hostname"):
        parse_document(doc(**{"forward-ddns": {"ddns-domains": [
            {"name": "example.com.", "dns-servers": [{"hostname": "ns.example.com."}]}]}}))
    # A truncated MAC (RFC 8945 5.2.2.1) Kea accepts; dnspython cannot send one.
    with pytest.raises(NotSupportedYet, match="digest-bits"):
        parse_document(doc(**{"tsig-keys": [{"name": "k", "algorithm": "HMAC-SHA256", "secret": SECRET,
                                             "digest-bits": 128}]}))
    with pytest.raises(NotSupportedYet, match="hooks-libraries"):
        parse_document(doc(**{"hooks-libraries": [{"library": "/x.so"}]}))


def test_full_length_digest_bits_and_every_algorithm_accepted():
    keys = [{"name": f"k{i}", "algorithm": a, "secret": SECRET, "digest-bits": bits}
            for i, (a, bits) in enumerate([("hmac-md5", 0), ("HMAC-SHA1", 160), ("Hmac-Sha224", 0),
                                           ("HMAC-SHA256", 256), ("HMAC-SHA384", 0), ("HMAC-SHA512", 512)])]
    cfg = parse_document(doc(**{"tsig-keys": keys}))
    assert sorted(k.algorithm for k in cfg.keys.values()) == ["HMAC-MD5", "HMAC-SHA1", "HMAC-SHA224",
                                                              "HMAC-SHA256", "HMAC-SHA384", "HMAC-SHA512"]


def test_server_key_overrides_domain_key():
    cfg = parse_document(json.loads(json.dumps(doc(**{
        "tsig-keys": [{"name": "a", "algorithm": "HMAC-MD5", "secret": SECRET},
                      {"name": "b", "algorithm": "HMAC-SHA1", "secret": SECRET}],
        "forward-ddns": {"ddns-domains": [{"name": "example.com.", "key-name": "a", "dns-servers": [
            {"ip-address": "127.0.0.1"}, {"ip-address": "127.0.0.2", "key-name": "b"}]}]}}))))
    assert [s.key.name for s in cfg.forward[0].servers] == ["a", "b"]


def test_longest_suffix_match():
    cfg = parse_document(doc(**{"forward-ddns": {"ddns-domains": [
        domain("example.com."), domain("sub.example.com."), domain("org.")]}}))
    assert match(cfg.forward, "host.sub.example.com.").name == "sub.example.com."
    assert match(cfg.forward, "HOST.Example.Com").name == "example.com."
    assert match(cfg.forward, "example.com.").name == "example.com."
    assert match(cfg.forward, "host.example.org.").name == "org."
    assert match(cfg.forward, "myexample.com.") is None
    assert match(cfg.forward, "host.example.net.") is None
    everything = parse_document(doc(**{"forward-ddns": {"ddns-domains": [domain(".")]}}))
    assert match(everything.forward, "host.example.net.").name == "."


def test_reverse_names():
    assert reverse_name("192.0.2.10") == "10.2.0.192.in-addr.arpa."
    assert reverse_name("2001:db8:1::10") == (
        "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")

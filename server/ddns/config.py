"""Validate Kea 2.2's `DhcpDdns` object (kea-dhcp-ddns's configuration) and build a D2Config.

Kea's own rules, checked against kea-dhcp-ddns -t: only `DhcpDdns` at the top; unknown keys are errors
(named by their JSON path here); port 1-65535; dns-server-timeout > 0 ms (default 100); ip-address not
0.0.0.0 / :: (default 127.0.0.1); ncr-protocol UDP and ncr-format JSON only; TSIG algorithms HMAC-MD5..
HMAC-SHA512, case-insensitive; digest-bits 0 or a multiple of 8 no smaller than max(80, hash/2); key names
and domain names non-blank; every key-name (domain or server) names a tsig-keys entry; at least one
dns-server per domain; `hostname` servers are not supported (Kea says the same). Kea has no
`max-queue-size` here (it rejects the key): the request queue is bounded at Kea's D2 default, QUEUE_MAX.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from dataclasses import dataclass, field

from server.config.common import ANYWHERE, check_keys, control_socket, loggers, typed
from server.config.errors import ConfigError, NotSupportedYet
from server.config.loader import load_file
from server.config.model import Logger

QUEUE_MAX = 1024  # Kea's D2QueueMgr default; DhcpDdns has no key for it
TOP_SUPPORTED = ANYWHERE | {
    "ip-address", "port", "dns-server-timeout", "ncr-protocol", "ncr-format", "forward-ddns", "reverse-ddns",
    "tsig-keys", "control-socket", "loggers", "hooks-libraries",
}
# Hash size in bits of each algorithm Kea accepts, by its configuration name.
ALGORITHMS = {"HMAC-MD5": 128, "HMAC-SHA1": 160, "HMAC-SHA224": 224, "HMAC-SHA256": 256, "HMAC-SHA384": 384,
              "HMAC-SHA512": 512}


@dataclass(frozen=True)
class TsigKey:
    name: str
    algorithm: str  # upper case, one of ALGORITHMS
    secret: bytes
    digest_bits: int = 0


@dataclass(frozen=True)
class DnsServer:
    ip_address: str
    port: int = 53
    key: TsigKey | None = None

    def __str__(self) -> str:
        return f"{self.ip_address} port:{self.port}"


@dataclass(frozen=True)
class DdnsDomain:
    name: str  # absolute, lower case, ending with "."
    servers: tuple[DnsServer, ...]
    key: TsigKey | None = None


@dataclass(frozen=True)
class D2Config:
    ip_address: str = "127.0.0.1"
    port: int = 53001
    dns_server_timeout: int = 100  # milliseconds
    forward: tuple[DdnsDomain, ...] = ()
    reverse: tuple[DdnsDomain, ...] = ()
    keys: dict[str, TsigKey] = field(default_factory=dict)
    control_socket: str | None = None
    loggers: list[Logger] = field(default_factory=list)
    source: dict = field(default_factory=dict)


def _int_range(obj: dict, key: str, path: str, default: int, low: int, high: int, what: str) -> int:
    value = typed(obj, key, path, int, default)
    if not low <= value <= high:
        raise ConfigError(f"{path}/{key}", f"{value}: {what}")
    return value


def _tsig_key(item, path: str) -> TsigKey:
    check_keys(item, path, ANYWHERE | {"name", "algorithm", "secret", "digest-bits"})
    for key in ("name", "algorithm", "secret"):
        if key not in item:
            raise ConfigError(path, f"missing parameter '{key}'")
    name = typed(item, "name", path, str).strip()
    if not name:
        raise ConfigError(f"{path}/name", "TSIG key name cannot be blank")
    algorithm = typed(item, "algorithm", path, str).upper()
    if algorithm not in ALGORITHMS:
        raise ConfigError(f"{path}/algorithm", f"unknown TSIG key algorithm {item['algorithm']!r} "
                                               f"(one of {', '.join(ALGORITHMS)})")
    text = typed(item, "secret", path, str)
    try:
        secret = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{path}/secret", "the secret is not base64") from None
    bits = typed(item, "digest-bits", path, int, 0)
    if bits < 0 or bits % 8:
        raise ConfigError(f"{path}/digest-bits", f"{bits}: must be zero or a positive multiple of eight")
    size = ALGORITHMS[algorithm]
    if bits and bits < max(80, size // 2):
        raise ConfigError(f"{path}/digest-bits", f"{bits} is too small for {algorithm} "
                                                 f"(at least {max(80, size // 2)})")
    if bits and bits < size:
        raise NotSupportedYet(f"{path}/digest-bits")  # truncated MACs: dnspython cannot send them
    return TsigKey(name=name, algorithm=algorithm, secret=secret, digest_bits=bits)


def _key_ref(obj: dict, path: str, keys: dict[str, TsigKey]) -> TsigKey | None:
    name = typed(obj, "key-name", path, str, "").strip()
    if not name:
        return None
    if name not in keys:
        raise ConfigError(f"{path}/key-name", f"undefined key {name!r} (not in tsig-keys)")
    return keys[name]


def _address(text: str, path: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ConfigError(path, f"{text!r} is not an IP address") from None


def _domains(obj, path: str, keys: dict[str, TsigKey]) -> tuple[DdnsDomain, ...]:
    check_keys(obj, path, {"ddns-domains"})
    items = typed(obj, "ddns-domains", path, list, [])
    domains: dict[str, DdnsDomain] = {}
    for i, item in enumerate(items):
        p = f"{path}/ddns-domains[{i}]"
        check_keys(item, p, ANYWHERE | {"name", "key-name", "dns-servers"})
        if "name" not in item:
            raise ConfigError(p, "missing parameter 'name'")
        name = typed(item, "name", p, str).strip().lower()
        if not name:
            raise ConfigError(f"{p}/name", "DDNS domain name cannot be blank")
        name = name if name.endswith(".") else name + "."
        if name in domains:
            raise ConfigError(f"{p}/name", f"duplicate domain {name}")
        key = _key_ref(item, p, keys)
        servers_in = typed(item, "dns-servers", p, list)
        if not servers_in:
            raise ConfigError(p, "a domain needs at least one entry in 'dns-servers'")
        servers = []
        for j, srv in enumerate(servers_in):
            q = f"{p}/dns-servers[{j}]"
            check_keys(srv, q, ANYWHERE | {"ip-address", "port", "key-name", "hostname"})
            if typed(srv, "hostname", q, str, ""):
                raise NotSupportedYet(f"{q}/hostname")  # Kea 2.2: "hostname is not yet supported"
            if "ip-address" not in srv:
                raise ConfigError(q, "missing parameter 'ip-address'")
            servers.append(DnsServer(
                ip_address=_address(typed(srv, "ip-address", q, str), f"{q}/ip-address"),
                port=_int_range(srv, "port", q, 53, 1, 65535, "port must be 1-65535"),
                key=_key_ref(srv, q, keys) or key))
        domains[name] = DdnsDomain(name=name, servers=tuple(servers), key=key)
    return tuple(domains.values())


def parse_document(doc) -> D2Config:
    if not isinstance(doc, dict) or "DhcpDdns" not in doc:
        raise ConfigError("", "the configuration needs a top-level 'DhcpDdns' object")
    for key in doc:
        if key != "DhcpDdns":
            raise ConfigError(f"/{key}", "unknown top-level object (lessor ddns reads only 'DhcpDdns')")
    path = "/DhcpDdns"
    g = check_keys(doc["DhcpDdns"], path, TOP_SUPPORTED)
    address = _address(typed(g, "ip-address", path, str, "127.0.0.1"), f"{path}/ip-address")
    if ipaddress.ip_address(address).is_unspecified:
        raise ConfigError(f"{path}/ip-address", f"IP address cannot be {address!r}")
    protocol = typed(g, "ncr-protocol", path, str, "UDP").upper()
    if protocol == "TCP":
        raise ConfigError(f"{path}/ncr-protocol", "TCP is not yet supported (Kea 2.2 neither)")
    if protocol != "UDP":
        raise ConfigError(f"{path}/ncr-protocol", f"unknown protocol {g['ncr-protocol']!r} (UDP)")
    if typed(g, "ncr-format", path, str, "JSON").upper() != "JSON":
        raise ConfigError(f"{path}/ncr-format", f"unknown format {g['ncr-format']!r} (JSON)")
    if typed(g, "hooks-libraries", path, list, []):
        raise NotSupportedYet(f"{path}/hooks-libraries")
    keys: dict[str, TsigKey] = {}
    for i, item in enumerate(typed(g, "tsig-keys", path, list, [])):
        key = _tsig_key(item, f"{path}/tsig-keys[{i}]")
        if key.name in keys:
            raise ConfigError(f"{path}/tsig-keys[{i}]/name", f"duplicate TSIG key name {key.name}")
        keys[key.name] = key
    ctl = None
    if "control-socket" in g:
        ctl = control_socket(g["control-socket"], f"{path}/control-socket")
    return D2Config(
        ip_address=address,
        port=_int_range(g, "port", path, 53001, 1, 65535, "port must be 1-65535"),
        dns_server_timeout=_int_range(g, "dns-server-timeout", path, 100, 1, 0x7FFFFFFF,
                                      "dns-server-timeout must be greater than zero (milliseconds)"),
        forward=_domains(g.get("forward-ddns", {}), f"{path}/forward-ddns", keys),
        reverse=_domains(g.get("reverse-ddns", {}), f"{path}/reverse-ddns", keys),
        keys=keys, control_socket=ctl, loggers=loggers(typed(g, "loggers", path, list, []), f"{path}/loggers"),
        source=doc["DhcpDdns"])


def load_config(path: str) -> D2Config:
    return parse_document(load_file(path))

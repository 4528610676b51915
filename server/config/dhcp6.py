"""Validate Kea's `Dhcp6` object and build a Dhcp6Config (same key rules as Dhcp4)."""

from __future__ import annotations

import ipaddress

from server.config.common import (
    ANYWHERE,
    DDNS_KEYS,
    check_keys,
    control_socket,
    ddns_params,
    expired_leases,
    family_root,
    global_ddns,
    hex_bytes,
    lease_database,
    loggers,
    parse_option_data,
    parse_option_defs,
    pool_bounds,
    typed,
    uint32,
)
from server.config.errors import ConfigError, NotSupportedYet
from server.config.model6 import Dhcp6Config, PdPool6, Pool6, Reservation6, ServerId, Subnet6, mask128
from server.wire.optiondefs import OptionDefs

INHERITED = {
    "preferred-lifetime", "min-preferred-lifetime", "max-preferred-lifetime", "valid-lifetime",
    "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer", "calculate-tee-times",
    "t1-percent", "t2-percent", "rapid-commit", *DDNS_KEYS,
}
GLOBAL_SUPPORTED = INHERITED | ANYWHERE | {
    "interfaces-config", "lease-database", "subnet6", "shared-networks", "option-data", "option-def", "server-id",
    "data-directory", "decline-probation-period", "expired-leases-processing", "loggers", "control-socket",
    "multi-threading", "hooks-libraries", "dhcp-ddns", "sanity-checks",
}
GLOBAL_KEA_ONLY = {
    "cache-threshold", "cache-max-age", "server-tag", "parked-packet-limit", "statistic-default-sample-count",
    "statistic-default-sample-age", "early-global-reservations-lookup", "ip-reservations-unique",
    "reservations-lookup-first", "store-extended-info", "hosts-database", "hosts-databases",
    "host-reservation-identifiers", "client-classes", "dhcp4o6-port", "dhcp-queue-control", "reservations",
    "config-control", "reservation-mode", "reservations-global", "reservations-in-subnet",
    "reservations-out-of-pool", "compatibility",
    "relay-supplied-options", "mac-sources",
}
SUBNET_SUPPORTED = INHERITED | ANYWHERE | {
    "id", "subnet", "pools", "pd-pools", "option-data", "relay", "interface", "interface-id", "reservations",
}
SUBNET_KEA_ONLY = {
    "client-class", "require-client-classes", "reservation-mode", "reservations-global", "reservations-in-subnet",
    "reservations-out-of-pool", "store-extended-info", "cache-threshold", "cache-max-age",
}
SHARED_SUPPORTED = (SUBNET_SUPPORTED - {"id", "subnet", "pools", "pd-pools", "reservations"}) | {"name", "subnet6"}
POOL_SUPPORTED = ANYWHERE | {"pool", "option-data"}
PD_POOL_SUPPORTED = ANYWHERE | {"prefix", "prefix-len", "delegated-len", "excluded-prefix", "excluded-prefix-len",
                                "option-data"}
POOL_KEA_ONLY = {"client-class", "require-client-classes"}
RESERVATION_SUPPORTED = ANYWHERE | {"duid", "hw-address", "ip-addresses", "prefixes", "hostname", "option-data"}
RESERVATION_KEA_ONLY = {"flex-id", "client-classes"}


def _ipv6(text, path: str) -> int:
    try:
        return int(ipaddress.IPv6Address(str(text).strip()))
    except ValueError:
        raise ConfigError(path, f"{text!r} is not an IPv6 address") from None


def _prefix(text, path: str) -> tuple[int, int]:
    try:
        net = ipaddress.IPv6Network(str(text).strip(), strict=True)
    except ValueError as exc:
        raise ConfigError(path, f"{text!r} is not an IPv6 prefix: {exc}") from None
    return int(net.network_address), net.prefixlen


def _lifetime_pair(target, obj: dict, path: str, name: str) -> None:
    value = uint32(obj, f"{name}-lifetime", path)
    if value is not None:
        setattr(target, f"{name}_lifetime", value)
        setattr(target, f"min_{name}_lifetime", uint32(obj, f"min-{name}-lifetime", path, value))
        setattr(target, f"max_{name}_lifetime", uint32(obj, f"max-{name}-lifetime", path, value))
    else:
        for bound in ("min", "max"):
            v = uint32(obj, f"{bound}-{name}-lifetime", path)
            if v is not None:
                setattr(target, f"{bound}_{name}_lifetime", v)


def _apply_inherited(target: Subnet6, obj: dict, path: str) -> None:
    _lifetime_pair(target, obj, path, "preferred")
    _lifetime_pair(target, obj, path, "valid")
    for key in ("renew-timer", "rebind-timer"):
        value = uint32(obj, key, path)
        if value is not None:
            setattr(target, key.replace("-", "_"), value)
    for key in ("calculate-tee-times", "rapid-commit"):
        value = typed(obj, key, path, bool)
        if value is not None:
            setattr(target, key.replace("-", "_"), value)
    for key in ("t1-percent", "t2-percent"):
        value = typed(obj, key, path, float)
        if value is not None:
            if not 0 < value < 1:
                raise ConfigError(f"{path}/{key}", f"{value} must be between 0 and 1")
            setattr(target, key.replace("-", "_"), float(value))
    target.ddns = ddns_params(obj, path, target.ddns)


def _relay(obj, path: str) -> frozenset[int]:
    check_keys(obj, path, ANYWHERE | {"ip-addresses", "ip-address"})
    addrs = typed(obj, "ip-addresses", path, list, [])
    if "ip-address" in obj:
        addrs = [*addrs, obj["ip-address"]]
    return frozenset(_ipv6(a, f"{path}/ip-addresses[{i}]") for i, a in enumerate(addrs))


def _pool(item, path: str, subnet: Subnet6, defs: OptionDefs) -> Pool6:
    check_keys(item, path, POOL_SUPPORTED, POOL_KEA_ONLY)
    start, end = pool_bounds(item, path, subnet, 6)
    return Pool6(start, end, parse_option_data(item.get("option-data"), f"{path}/option-data", defs, 6))


def _pd_pool(item, path: str, defs: OptionDefs) -> PdPool6:
    check_keys(item, path, PD_POOL_SUPPORTED, POOL_KEA_ONLY)
    for key in ("prefix", "prefix-len", "delegated-len"):
        if key not in item:
            raise ConfigError(path, f"missing '{key}'")
    plen = typed(item, "prefix-len", path, int)
    dlen = typed(item, "delegated-len", path, int)
    if not 1 <= plen <= dlen <= 128:
        raise ConfigError(path, f"need 1 <= prefix-len ({plen}) <= delegated-len ({dlen}) <= 128")
    prefix = _ipv6(item["prefix"], f"{path}/prefix")
    if prefix & ~mask128(plen) & ((1 << 128) - 1):
        raise ConfigError(f"{path}/prefix", f"{item['prefix']} has bits set beyond /{plen}")
    pd = PdPool6(prefix, plen, dlen, options=parse_option_data(item.get("option-data"), f"{path}/option-data",
                                                                defs, 6))
    if "excluded-prefix" in item:
        pd.excluded_prefix = _ipv6(item["excluded-prefix"], f"{path}/excluded-prefix")
        pd.excluded_prefix_len = typed(item, "excluded-prefix-len", path, int)
        if pd.excluded_prefix_len is None or not dlen < pd.excluded_prefix_len <= 128:
            raise ConfigError(f"{path}/excluded-prefix-len", "must be longer than delegated-len and at most 128")
    return pd


def _reservation(item, path: str, subnet: Subnet6, defs: OptionDefs) -> Reservation6:
    check_keys(item, path, RESERVATION_SUPPORTED, RESERVATION_KEA_ONLY)
    res = Reservation6()
    if "duid" in item:
        res.duid = hex_bytes(typed(item, "duid", path, str), f"{path}/duid")
    if "hw-address" in item:
        res.hw_address = hex_bytes(typed(item, "hw-address", path, str), f"{path}/hw-address")
    if (res.duid is None) == (res.hw_address is None):
        raise ConfigError(path, "a reservation needs exactly one identifier: duid or hw-address")
    for i, a in enumerate(typed(item, "ip-addresses", path, list, [])):
        address = _ipv6(a, f"{path}/ip-addresses[{i}]")
        if not subnet.contains(address):
            raise ConfigError(f"{path}/ip-addresses[{i}]", f"{a} is not in the subnet")
        res.ip_addresses.append(address)
    for i, p in enumerate(typed(item, "prefixes", path, list, [])):
        res.prefixes.append(_prefix(p, f"{path}/prefixes[{i}]"))
    res.hostname = typed(item, "hostname", path, str, "")
    res.options = parse_option_data(item.get("option-data"), f"{path}/option-data", defs, 6)
    return res


_COPIED = ("preferred_lifetime", "min_preferred_lifetime", "max_preferred_lifetime", "valid_lifetime",
           "min_valid_lifetime", "max_valid_lifetime", "renew_timer", "rebind_timer", "calculate_tee_times",
           "t1_percent", "t2_percent", "rapid_commit", "interface", "interface_id", "relay_addresses", "ddns")


def _subnet(item, path: str, parent: Subnet6, parent_options, defs: OptionDefs, shared: str | None) -> Subnet6:
    check_keys(item, path, SUBNET_SUPPORTED, SUBNET_KEA_ONLY)
    text = typed(item, "subnet", path, str)
    if text is None:
        raise ConfigError(path, "missing 'subnet'")
    try:
        net = ipaddress.IPv6Network(text.strip(), strict=False)
    except ValueError:
        raise ConfigError(f"{path}/subnet", f"{text!r} is not an IPv6 prefix") from None
    subnet_id = typed(item, "id", path, int)
    if subnet_id is None:
        raise ConfigError(path, "missing 'id' (lessor needs explicit subnet ids, so leases keep their subnet)")
    if not 1 <= subnet_id <= 0xFFFFFFFE:
        raise ConfigError(f"{path}/id", f"{subnet_id} is not a valid subnet id")
    s = Subnet6(id=subnet_id, network=int(net.network_address), prefixlen=net.prefixlen, shared_network=shared)
    for attr in _COPIED:
        setattr(s, attr, getattr(parent, attr))
    _apply_inherited(s, item, path)
    if "interface" in item:
        s.interface = typed(item, "interface", path, str)
    if "interface-id" in item:
        s.interface_id = typed(item, "interface-id", path, str).encode()
    if s.interface and s.interface_id is not None:
        raise ConfigError(path, "a subnet cannot have both 'interface' and 'interface-id'")
    if "relay" in item:
        s.relay_addresses = _relay(item["relay"], f"{path}/relay")
    s.options = {**parent_options, **parse_option_data(item.get("option-data"), f"{path}/option-data", defs, 6)}
    s.pools = [_pool(p, f"{path}/pools[{i}]", s, defs) for i, p in enumerate(typed(item, "pools", path, list, []))]
    s.pd_pools = [_pd_pool(p, f"{path}/pd-pools[{i}]", defs)
                  for i, p in enumerate(typed(item, "pd-pools", path, list, []))]
    for i, r in enumerate(typed(item, "reservations", path, list, [])):
        res = _reservation(r, f"{path}/reservations[{i}]", s, defs)
        if res.duid is not None:
            s.by_duid[res.duid] = res
        if res.hw_address is not None:
            s.by_hw[res.hw_address] = res
        for address in res.ip_addresses:
            s.reserved[address] = res
        for prefix in res.prefixes:
            s.reserved_prefixes[prefix] = res
    for kind in ("preferred", "valid"):
        low, value, high = (getattr(s, f"min_{kind}_lifetime"), getattr(s, f"{kind}_lifetime"),
                            getattr(s, f"max_{kind}_lifetime"))
        if not low <= value <= high:
            raise ConfigError(path, f"{kind}-lifetime {value} is outside {low} .. {high}")
    if s.renew_timer is not None and s.rebind_timer is not None and s.renew_timer > s.rebind_timer:
        raise ConfigError(path, f"renew-timer {s.renew_timer} is greater than rebind-timer {s.rebind_timer}")
    return s


def _server_id(obj, path: str) -> ServerId:
    check_keys(obj, path, ANYWHERE | {"type", "identifier", "time", "htype", "enterprise-id", "persist"})
    kind = typed(obj, "type", path, str, "LLT")
    if kind not in ("LLT", "EN", "LL"):
        raise ConfigError(f"{path}/type", f"{kind!r} is not one of LLT, EN, LL")
    ident = typed(obj, "identifier", path, str, "")
    return ServerId(type=kind, identifier=hex_bytes(ident, f"{path}/identifier") if ident else b"",
                    time=uint32(obj, "time", path, 0), htype=uint32(obj, "htype", path, 1),
                    enterprise_id=uint32(obj, "enterprise-id", path, 0),
                    persist=typed(obj, "persist", path, bool, True))


def _interfaces(obj, path: str) -> list[tuple[str, int | None]]:
    check_keys(obj, path, ANYWHERE | {"interfaces", "re-detect", "service-sockets-require-all",
                                      "service-sockets-max-retries", "service-sockets-retry-wait-time"})
    for key in ("service-sockets-require-all", "service-sockets-max-retries", "service-sockets-retry-wait-time"):
        if key in obj:
            raise NotSupportedYet(f"{path}/{key}")
    result = []
    for i, text in enumerate(typed(obj, "interfaces", path, list, [])):
        if not isinstance(text, str):
            raise ConfigError(f"{path}/interfaces[{i}]", "expected an interface name")
        name, _, addr = text.partition("/")
        result.append((name, _ipv6(addr, f"{path}/interfaces[{i}]") if addr else None))
    return result


def parse_dhcp6(doc: dict) -> Dhcp6Config:
    path, g = family_root(doc, 6, GLOBAL_SUPPORTED, GLOBAL_KEA_ONLY)
    cfg = Dhcp6Config(interfaces=_interfaces(g.get("interfaces-config", {}), f"{path}/interfaces-config"),
                      source=doc["Dhcp6"])
    if "lease-database" in g:
        cfg.lease_database = lease_database(g["lease-database"], f"{path}/lease-database")
    if "server-id" in g:
        cfg.server_id = _server_id(g["server-id"], f"{path}/server-id")
    cfg.data_directory = typed(g, "data-directory", path, str, cfg.data_directory)
    cfg.decline_probation_period = uint32(g, "decline-probation-period", path, 86400)
    if "expired-leases-processing" in g:
        cfg.expired = expired_leases(g["expired-leases-processing"], f"{path}/expired-leases-processing")
    cfg.loggers = loggers(typed(g, "loggers", path, list, []), f"{path}/loggers")
    if "control-socket" in g:
        cfg.control_socket = control_socket(g["control-socket"], f"{path}/control-socket")
    defs = parse_option_defs(g.get("option-def"), f"{path}/option-def", OptionDefs.standard_v6(), 6)
    cfg.options = parse_option_data(g.get("option-data"), f"{path}/option-data", defs, 6)
    base = Subnet6(id=0, network=0, prefixlen=0)
    _apply_inherited(base, g, path)
    cfg.dhcp_ddns, base.ddns = global_ddns(g, path)
    cfg.ddns = base.ddns
    subnets: list[Subnet6] = []
    for i, item in enumerate(typed(g, "subnet6", path, list, [])):
        subnets.append(_subnet(item, f"{path}/subnet6[{i}]", base, cfg.options, defs, None))
    names: set[str] = set()
    for i, sn in enumerate(typed(g, "shared-networks", path, list, [])):
        p = f"{path}/shared-networks[{i}]"
        check_keys(sn, p, SHARED_SUPPORTED, SUBNET_KEA_ONLY)
        name = typed(sn, "name", p, str)
        if not name or name in names:
            raise ConfigError(f"{p}/name", "a shared network needs a unique 'name'")
        names.add(name)
        parent = Subnet6(id=0, network=0, prefixlen=0)
        for attr in _COPIED:
            setattr(parent, attr, getattr(base, attr))
        _apply_inherited(parent, sn, p)
        if "interface" in sn:
            parent.interface = typed(sn, "interface", p, str)
        if "interface-id" in sn:
            parent.interface_id = typed(sn, "interface-id", p, str).encode()
        if "relay" in sn:
            parent.relay_addresses = _relay(sn["relay"], f"{p}/relay")
        options = {**cfg.options, **parse_option_data(sn.get("option-data"), f"{p}/option-data", defs, 6)}
        for j, item in enumerate(typed(sn, "subnet6", p, list, [])):
            subnets.append(_subnet(item, f"{p}/subnet6[{j}]", parent, options, defs, name))
    seen: dict[int, str] = {}
    for s in subnets:
        label = f"{ipaddress.IPv6Address(s.network)}/{s.prefixlen}"
        if s.id in seen:
            raise ConfigError(f"{path}/subnet6", f"subnet id {s.id} is used by {seen[s.id]} and {label}")
        seen[s.id] = label
    cfg.subnets = subnets
    return cfg

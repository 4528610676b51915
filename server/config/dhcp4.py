"""Validate Kea's `Dhcp4` object and build a Dhcp4Config.

Every key is either implemented, known to Kea but not implemented yet (an explicit
"not supported yet: KEY" error), or unknown (an error naming its JSON path).
"""

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
from server.config.model4 import (
    Dhcp4Config,
    Pool4,
    Reservation4,
    Subnet4,
)
from server.wire.optiondefs import OptionDefs

# Parameters inherited global -> shared network -> subnet.
INHERITED = {
    "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer",
    "calculate-tee-times", "t1-percent", "t2-percent", "match-client-id", "authoritative", "next-server",
    "server-hostname", "boot-file-name", *DDNS_KEYS,
}
GLOBAL_SUPPORTED = INHERITED | ANYWHERE | {
    "interfaces-config", "lease-database", "subnet4", "shared-networks", "option-data", "option-def",
    "echo-client-id", "decline-probation-period", "expired-leases-processing", "loggers", "control-socket",
    "multi-threading", "hooks-libraries", "dhcp-ddns", "sanity-checks",
}
GLOBAL_KEA_ONLY = {
    "cache-threshold", "cache-max-age", "server-tag", "parked-packet-limit", "statistic-default-sample-count",
    "statistic-default-sample-age", "early-global-reservations-lookup", "ip-reservations-unique",
    "reservations-lookup-first", "store-extended-info", "hosts-database", "hosts-databases",
    "host-reservation-identifiers", "client-classes", "dhcp4o6-port", "dhcp-queue-control", "reservations",
    "config-control", "reservation-mode", "reservations-global", "reservations-in-subnet",
    "reservations-out-of-pool", "compatibility",
}
SUBNET_SUPPORTED = INHERITED | ANYWHERE | {
    "id", "subnet", "pools", "option-data", "relay", "interface", "reservations",
}
SUBNET_KEA_ONLY = {
    "client-class", "require-client-classes", "4o6-interface", "4o6-interface-id", "4o6-subnet",
    "reservation-mode", "reservations-global", "reservations-in-subnet", "reservations-out-of-pool",
    "store-extended-info", "cache-threshold", "cache-max-age",
}
SHARED_SUPPORTED = (SUBNET_SUPPORTED - {"id", "subnet", "pools", "reservations"}) | {"name", "subnet4"}
SHARED_KEA_ONLY = SUBNET_KEA_ONLY - {"4o6-interface", "4o6-interface-id", "4o6-subnet"}
POOL_SUPPORTED = ANYWHERE | {"pool", "option-data"}
POOL_KEA_ONLY = {"client-class", "require-client-classes"}
RESERVATION_SUPPORTED = ANYWHERE | {
    "hw-address", "client-id", "ip-address", "hostname", "option-data", "next-server", "server-hostname",
    "boot-file-name",
}
RESERVATION_KEA_ONLY = {"circuit-id", "flex-id", "duid", "client-classes"}


def _ipv4(text, path: str) -> int:
    try:
        return int(ipaddress.IPv4Address(str(text).strip()))
    except ValueError:
        raise ConfigError(path, f"{text!r} is not an IPv4 address") from None


def _pool(item, path: str, subnet: Subnet4, defs: OptionDefs) -> Pool4:
    check_keys(item, path, POOL_SUPPORTED, POOL_KEA_ONLY)
    start, end = pool_bounds(item, path, subnet, 4)
    return Pool4(start, end, parse_option_data(item.get("option-data"), f"{path}/option-data", defs))


def _reservation(item, path: str, subnet: Subnet4, defs: OptionDefs) -> Reservation4:
    check_keys(item, path, RESERVATION_SUPPORTED, RESERVATION_KEA_ONLY)
    res = Reservation4()
    if "hw-address" in item:
        res.hw_address = hex_bytes(typed(item, "hw-address", path, str), f"{path}/hw-address")
    if "client-id" in item:
        res.client_id = hex_bytes(typed(item, "client-id", path, str), f"{path}/client-id")
    if (res.hw_address is None) == (res.client_id is None):
        raise ConfigError(path, "a reservation needs exactly one identifier: hw-address or client-id")
    if "ip-address" in item:
        res.ip_address = _ipv4(item["ip-address"], f"{path}/ip-address")
        if not subnet.contains(res.ip_address):
            raise ConfigError(f"{path}/ip-address", f"{item['ip-address']} is not in the subnet")
    res.hostname = typed(item, "hostname", path, str, "")
    res.options = parse_option_data(item.get("option-data"), f"{path}/option-data", defs)
    if "next-server" in item:
        res.next_server = _ipv4(item["next-server"], f"{path}/next-server")
    res.server_hostname = typed(item, "server-hostname", path, str)
    res.boot_file_name = typed(item, "boot-file-name", path, str)
    return res


def _apply_inherited(target: Subnet4, obj: dict, path: str) -> None:
    for key in ("valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer", "rebind-timer"):
        value = uint32(obj, key, path)
        if value is not None:
            setattr(target, key.replace("-", "_"), value)
    for key in ("calculate-tee-times", "match-client-id", "authoritative"):
        value = typed(obj, key, path, bool)
        if value is not None:
            setattr(target, key.replace("-", "_"), value)
    for key in ("t1-percent", "t2-percent"):
        value = typed(obj, key, path, float)
        if value is not None:
            if not 0 < value < 1:
                raise ConfigError(f"{path}/{key}", f"{value} must be between 0 and 1")
            setattr(target, key.replace("-", "_"), float(value))
    if "next-server" in obj:
        target.next_server = _ipv4(obj["next-server"], f"{path}/next-server")
    for key in ("server-hostname", "boot-file-name"):
        value = typed(obj, key, path, str)
        if value is not None:
            setattr(target, key.replace("-", "_"), value)
    target.ddns = ddns_params(obj, path, target.ddns)


def _subnet(item, path: str, parent: Subnet4, parent_options, defs: OptionDefs, shared: str | None) -> Subnet4:
    check_keys(item, path, SUBNET_SUPPORTED, SUBNET_KEA_ONLY)
    text = typed(item, "subnet", path, str)
    if text is None:
        raise ConfigError(path, "missing 'subnet'")
    try:
        net = ipaddress.IPv4Network(text.strip(), strict=False)
    except ValueError:
        raise ConfigError(f"{path}/subnet", f"{text!r} is not an IPv4 prefix") from None
    subnet_id = typed(item, "id", path, int)
    if subnet_id is None:
        raise ConfigError(path, "missing 'id' (lessor needs explicit subnet ids, so leases keep their subnet)")
    if not 1 <= subnet_id <= 0xFFFFFFFE:
        raise ConfigError(f"{path}/id", f"{subnet_id} is not a valid subnet id")
    s = Subnet4(id=subnet_id, network=int(net.network_address), prefixlen=net.prefixlen, shared_network=shared)
    for attr in ("valid_lifetime", "min_valid_lifetime", "max_valid_lifetime", "renew_timer", "rebind_timer",
                 "calculate_tee_times", "t1_percent", "t2_percent", "match_client_id", "authoritative",
                 "next_server", "server_hostname", "boot_file_name", "interface", "relay_addresses", "ddns"):
        setattr(s, attr, getattr(parent, attr))
    explicit_valid = "valid-lifetime" in item
    _apply_inherited(s, item, path)
    if explicit_valid:
        s.min_valid_lifetime = uint32(item, "min-valid-lifetime", path, s.valid_lifetime)
        s.max_valid_lifetime = uint32(item, "max-valid-lifetime", path, s.valid_lifetime)
    if "interface" in item:
        s.interface = typed(item, "interface", path, str)
    if "relay" in item:
        s.relay_addresses = _relay(item["relay"], f"{path}/relay")
    s.options = {**parent_options, **parse_option_data(item.get("option-data"), f"{path}/option-data", defs)}
    pools = typed(item, "pools", path, list, [])
    s.pools = [_pool(p, f"{path}/pools[{i}]", s, defs) for i, p in enumerate(pools)]
    for i, a in enumerate(s.pools):
        for b in s.pools[i + 1:]:
            if a.start <= b.end and b.start <= a.end:
                raise ConfigError(f"{path}/pools", "pools overlap")
    for i, r in enumerate(typed(item, "reservations", path, list, [])):
        res = _reservation(r, f"{path}/reservations[{i}]", s, defs)
        if res.hw_address is not None:
            s.by_hw[res.hw_address] = res
        if res.client_id is not None:
            s.by_client_id[res.client_id] = res
        if res.ip_address is not None:
            if res.ip_address in s.reserved:
                raise ConfigError(f"{path}/reservations[{i}]/ip-address", "address reserved twice")
            s.reserved[res.ip_address] = res
    _check_lifetimes(s, path)
    return s


def _check_lifetimes(s: Subnet4, path: str) -> None:
    if not s.min_valid_lifetime <= s.valid_lifetime <= s.max_valid_lifetime:
        raise ConfigError(path, f"valid-lifetime {s.valid_lifetime} is outside min-valid-lifetime "
                                f"{s.min_valid_lifetime} .. max-valid-lifetime {s.max_valid_lifetime}")
    if s.renew_timer is not None and s.rebind_timer is not None and s.renew_timer > s.rebind_timer:
        raise ConfigError(path, f"renew-timer {s.renew_timer} is greater than rebind-timer {s.rebind_timer}")


def _relay(obj, path: str) -> frozenset[int]:
    check_keys(obj, path, ANYWHERE | {"ip-addresses", "ip-address"})
    addrs = typed(obj, "ip-addresses", path, list, [])
    if "ip-address" in obj:
        addrs = [*addrs, obj["ip-address"]]
    return frozenset(_ipv4(a, f"{path}/ip-addresses[{i}]") for i, a in enumerate(addrs))


# -- global sections ------------------------------------------------------------------
def _interfaces(obj, path: str) -> tuple[list[tuple[str, int | None]], str]:
    check_keys(obj, path, ANYWHERE | {"interfaces", "dhcp-socket-type", "outbound-interface", "re-detect",
                                      "service-sockets-require-all", "service-sockets-max-retries",
                                      "service-sockets-retry-wait-time"})
    for key in ("outbound-interface", "service-sockets-require-all", "service-sockets-max-retries",
                "service-sockets-retry-wait-time"):
        if key in obj:
            raise NotSupportedYet(f"{path}/{key}")
    result = []
    for i, text in enumerate(typed(obj, "interfaces", path, list, [])):
        if not isinstance(text, str):
            raise ConfigError(f"{path}/interfaces[{i}]", "expected an interface name")
        name, _, addr = text.partition("/")
        result.append((name, _ipv4(addr, f"{path}/interfaces[{i}]") if addr else None))
    socket_type = typed(obj, "dhcp-socket-type", path, str, "raw")
    if socket_type not in ("raw", "udp"):
        raise ConfigError(f"{path}/dhcp-socket-type", f"{socket_type!r} is neither 'raw' nor 'udp'")
    return result, socket_type


def parse_dhcp4(doc: dict) -> Dhcp4Config:
    """Validate a whole configuration document ({"Dhcp4": {...}})."""
    path, g = family_root(doc, 4, GLOBAL_SUPPORTED, GLOBAL_KEA_ONLY)
    interfaces, socket_type = _interfaces(g.get("interfaces-config", {}), f"{path}/interfaces-config")
    cfg = Dhcp4Config(interfaces=interfaces, socket_type=socket_type, source=doc["Dhcp4"])
    if "lease-database" in g:
        cfg.lease_database = lease_database(g["lease-database"], f"{path}/lease-database")
    cfg.echo_client_id = typed(g, "echo-client-id", path, bool, True)
    cfg.decline_probation_period = uint32(g, "decline-probation-period", path, 86400)
    if "expired-leases-processing" in g:
        cfg.expired = expired_leases(g["expired-leases-processing"], f"{path}/expired-leases-processing")
    cfg.loggers = loggers(typed(g, "loggers", path, list, []), f"{path}/loggers")
    if "control-socket" in g:
        cfg.control_socket = control_socket(g["control-socket"], f"{path}/control-socket")

    defs = parse_option_defs(g.get("option-def"), f"{path}/option-def", OptionDefs.standard_v4())
    global_options = parse_option_data(g.get("option-data"), f"{path}/option-data", defs)
    base = Subnet4(id=0, network=0, prefixlen=0)
    _apply_inherited(base, g, path)
    cfg.dhcp_ddns, base.ddns = global_ddns(g, path)
    if "valid-lifetime" in g:
        base.min_valid_lifetime = uint32(g, "min-valid-lifetime", path, base.valid_lifetime)
        base.max_valid_lifetime = uint32(g, "max-valid-lifetime", path, base.valid_lifetime)

    subnets: list[Subnet4] = []
    for i, item in enumerate(typed(g, "subnet4", path, list, [])):
        subnets.append(_subnet(item, f"{path}/subnet4[{i}]", base, global_options, defs, None))
    names = set()
    for i, sn in enumerate(typed(g, "shared-networks", path, list, [])):
        p = f"{path}/shared-networks[{i}]"
        check_keys(sn, p, SHARED_SUPPORTED, SHARED_KEA_ONLY)
        name = typed(sn, "name", p, str)
        if not name:
            raise ConfigError(p, "a shared network needs a 'name'")
        if name in names:
            raise ConfigError(f"{p}/name", f"shared network {name!r} is defined twice")
        names.add(name)
        parent = Subnet4(id=0, network=0, prefixlen=0)
        for attr in vars(base):
            setattr(parent, attr, getattr(base, attr))
        _apply_inherited(parent, sn, p)
        if "interface" in sn:
            parent.interface = typed(sn, "interface", p, str)
        if "relay" in sn:
            parent.relay_addresses = _relay(sn["relay"], f"{p}/relay")
        options = {**global_options, **parse_option_data(sn.get("option-data"), f"{p}/option-data", defs)}
        for j, item in enumerate(typed(sn, "subnet4", p, list, [])):
            subnets.append(_subnet(item, f"{p}/subnet4[{j}]", parent, options, defs, name))
    seen: dict[int, str] = {}
    for s in subnets:
        label = f"{ipaddress.IPv4Address(s.network)}/{s.prefixlen}"
        if s.id in seen:
            raise ConfigError(f"{path}/subnet4", f"subnet id {s.id} is used by {seen[s.id]} and {label}")
        seen[s.id] = label
    cfg.subnets = subnets
    return cfg

"""Validation helpers shared by the Dhcp4 and Dhcp6 parsers: key checks with JSON paths, typed
values, option definitions and option data, and the sections both families have."""

from __future__ import annotations

import dataclasses
import ipaddress
import re

from server.config.errors import ConfigError, NotSupportedYet
from server.config.model import (
    REPLACE_MODES,
    ConfiguredOption,
    DdnsParams,
    DhcpDdns,
    ExpiredLeases,
    LeaseDatabase,
    Logger,
    LoggerOutput,
)
from server.wire.optiondata import OptionDataError, encode_option_data
from server.wire.optiondefs import OptionDef, OptionDefError, OptionDefs

ANYWHERE = {"comment", "user-context"}
# The top-level option space and the largest option code of each family.
FAMILY = {4: ("dhcp4", 254), 6: ("dhcp6", 65535)}
OPTION_DATA_SUPPORTED = ANYWHERE | {"name", "code", "data", "space", "csv-format", "always-send"}
OPTION_DEF_SUPPORTED = ANYWHERE | {"name", "code", "type", "record-types", "space", "array", "encapsulate"}


def check_keys(obj, path: str, supported: set[str], kea_only: set[str] = frozenset()) -> dict:
    if not isinstance(obj, dict):
        raise ConfigError(path, f"expected an object, got {type(obj).__name__}")
    for key in obj:
        if key in supported:
            continue
        if key in kea_only:
            raise NotSupportedYet(f"{path}/{key}")
        raise ConfigError(f"{path}/{key}", "unknown parameter")
    return obj


def typed(obj: dict, key: str, path: str, kind, default=None):
    if key not in obj:
        return default
    value = obj[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        names = {int: "an integer", bool: "a boolean", str: "a string", list: "a list", dict: "an object",
                 float: "a number"}
        raise ConfigError(f"{path}/{key}", f"expected {names[kind]}, got {value!r}")
    return value


def uint32(obj, key, path, default=None):
    value = typed(obj, key, path, int, default)
    if value is not None and not 0 <= value <= 0xFFFFFFFF:
        raise ConfigError(f"{path}/{key}", f"{value} is outside 0..4294967295")
    return value


def hex_bytes(text: str, path: str) -> bytes:
    cleaned = text.strip().replace(":", "").replace("-", "").replace(" ", "")
    cleaned = cleaned[2:] if cleaned.lower().startswith("0x") else cleaned
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise ConfigError(path, f"{text!r} is not a hexadecimal identifier") from None


# -- options ---------------------------------------------------------------------


def parse_option_defs(items, path: str, base: OptionDefs, family: int = 4) -> OptionDefs:
    top, max_code = FAMILY[family]
    if items is None:
        return base
    if not isinstance(items, list):
        raise ConfigError(path, "expected a list")
    defs = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        check_keys(item, p, OPTION_DEF_SUPPORTED)
        for key in ("name", "code", "type"):
            if key not in item:
                raise ConfigError(p, f"missing '{key}'")
        code = typed(item, "code", p, int)
        if not 1 <= code <= max_code:
            raise ConfigError(f"{p}/code", f"{code} is not a DHCPv{family} option code (1-{max_code})")
        record = typed(item, "record-types", p, str, "")
        defs.append(OptionDef(
            name=typed(item, "name", p, str), code=code, type=typed(item, "type", p, str),
            array=typed(item, "array", p, bool, False),
            record_types=tuple(t.strip() for t in record.split(",") if t.strip()),
            encapsulate=typed(item, "encapsulate", p, str, ""), space=typed(item, "space", p, str, top),
        ))
    try:
        return base.with_defs(defs)
    except (OptionDefError, ValueError) as exc:
        raise ConfigError(path, str(exc)) from None


def parse_option_data(items, path: str, defs: OptionDefs, family: int = 4) -> dict[int, ConfiguredOption]:
    """Option data of one level, as wire bytes; sub-options are packed into their encapsulating option."""
    top_space, max_code = FAMILY[family]
    if items is None:
        return {}
    if not isinstance(items, list):
        raise ConfigError(path, "expected a list")
    top: dict[int, ConfiguredOption] = {}
    sub: dict[str, list[tuple[int, bytes]]] = {}
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        check_keys(item, p, OPTION_DATA_SUPPORTED)
        space = typed(item, "space", p, str, top_space)
        name = typed(item, "name", p, str)
        code = typed(item, "code", p, int)
        if name is None and code is None:
            raise ConfigError(p, "an option needs a 'name' or a 'code'")
        defn = defs.by_name(space, name) if name is not None else defs.by_code(space, code)
        if name is not None and defn is None:
            raise ConfigError(f"{p}/name", f"no option named {name!r} in space {space!r}; define it in option-def")
        if defn is not None and code is not None and defn.code != code:
            raise ConfigError(f"{p}/code", f"option {name!r} has code {defn.code}, not {code}")
        code = defn.code if defn is not None else code
        if space == top_space and not 1 <= code <= max_code:
            raise ConfigError(f"{p}/code", f"{code} is not a DHCPv{family} option code (1-{max_code})")
        data = typed(item, "data", p, str, "")
        try:
            wire = encode_option_data(defn, data, typed(item, "csv-format", p, bool, True), code=code, family=family)
        except OptionDataError as exc:
            raise ConfigError(f"{p}/data", str(exc)) from None
        if space == top_space:
            top[code] = ConfiguredOption(code, wire, typed(item, "always-send", p, bool, False))
        else:
            sub.setdefault(space, []).append((code, wire))
    for space, entries in sub.items():
        parent = next((o for o in top.values()
                       if (d := defs.by_code(top_space, o.code)) is not None and d.encapsulate == space), None)
        if parent is None:
            parent_def = next((d for d in defs.space(top_space) if d.encapsulate == space), None)
            if parent_def is None:
                raise ConfigError(path, f"options in space {space!r} but no option encapsulates that space")
            parent = ConfiguredOption(parent_def.code, b"")
        if family == 4:
            packed = parent.data + b"".join(bytes([c, len(d)]) + d for c, d in entries)
        else:
            packed = parent.data + b"".join(c.to_bytes(2, "big") + len(d).to_bytes(2, "big") + d for c, d in entries)
        top[parent.code] = ConfiguredOption(parent.code, packed, parent.always_send)
    return top


# -- pools, reservations, subnets -------------------------------------------------------


def lease_database(obj, path: str) -> LeaseDatabase:
    check_keys(obj, path, ANYWHERE | {"type", "persist", "name", "lfc-interval", "max-row-errors"},
               {"host", "port", "user", "password", "reconnect-wait-time", "max-reconnect-tries", "on-fail",
                "connect-timeout", "readonly", "trust-anchor", "cert-file", "key-file", "cipher-list"})
    kind = typed(obj, "type", path, str, "memfile")
    if kind in ("mysql", "postgresql"):
        raise NotSupportedYet(f"{path}/type={kind}")
    if kind != "memfile":
        raise ConfigError(f"{path}/type", f"unknown lease database type {kind!r}")
    return LeaseDatabase(type=kind, persist=typed(obj, "persist", path, bool, True),
                         name=typed(obj, "name", path, str),
                         lfc_interval=uint32(obj, "lfc-interval", path, 3600),
                         max_row_errors=uint32(obj, "max-row-errors", path, 0))


def expired_leases(obj, path: str) -> ExpiredLeases:
    keys = ("reclaim-timer-wait-time", "flush-reclaimed-timer-wait-time", "hold-reclaimed-time",
            "max-reclaim-leases", "max-reclaim-time", "unwarned-reclaim-cycles")
    check_keys(obj, path, ANYWHERE | set(keys))
    defaults = ExpiredLeases()
    return ExpiredLeases(**{k.replace("-", "_"): uint32(obj, k, path, getattr(defaults, k.replace("-", "_")))
                            for k in keys})


def loggers(items, path: str) -> list[Logger]:
    loggers = []
    for i, item in enumerate(items or []):
        p = f"{path}[{i}]"
        check_keys(item, p, ANYWHERE | {"name", "output_options", "output-options", "severity", "debuglevel"})
        severity = typed(item, "severity", p, str, "INFO").upper()
        if severity not in ("FATAL", "ERROR", "WARN", "INFO", "DEBUG", "NONE"):
            raise ConfigError(f"{p}/severity", f"unknown severity {severity!r}")
        outputs = []
        opts_key = "output_options" if "output_options" in item else "output-options"
        for j, o in enumerate(typed(item, opts_key, p, list, [])):
            q = f"{p}/{opts_key}[{j}]"
            check_keys(o, q, ANYWHERE | {"output", "flush", "maxsize", "maxver", "pattern"})
            outputs.append(LoggerOutput(output=typed(o, "output", q, str, "stdout"),
                                        flush=typed(o, "flush", q, bool, True),
                                        maxsize=uint32(o, "maxsize", q, 10240000),
                                        maxver=uint32(o, "maxver", q, 1)))
        loggers.append(Logger(name=typed(item, "name", p, str, "lessor"), severity=severity,
                              debuglevel=uint32(item, "debuglevel", p, 0), outputs=tuple(outputs)))
    return loggers


def control_socket(obj, path: str) -> str | None:
    check_keys(obj, path, ANYWHERE | {"socket-type", "socket-name"})
    if typed(obj, "socket-type", path, str, "unix") != "unix":
        raise ConfigError(f"{path}/socket-type", "only 'unix' control sockets exist")
    name = typed(obj, "socket-name", path, str)
    if not name:
        raise ConfigError(path, "missing 'socket-name'")
    return name


def only_defaults(obj, path: str, allowed: dict) -> None:
    """Sections lessor accepts only with their defaults (the feature itself is not supported yet)."""
    if not isinstance(obj, (dict, list)):
        raise ConfigError(path, "expected an object")
    if isinstance(obj, list):
        if obj:
            raise NotSupportedYet(path)
        return
    for key, value in obj.items():
        if key in ANYWHERE:
            continue
        if key not in allowed:
            raise ConfigError(f"{path}/{key}", "unknown parameter")
        if value != allowed[key]:
            raise NotSupportedYet(f"{path}/{key}")


def pool_bounds(item: dict, path: str, subnet, version: int) -> tuple[int, int]:
    """First and last address of a pool written as "first - last" or "prefix/len", inside its subnet."""
    text = typed(item, "pool", path, str)
    if text is None:
        raise ConfigError(path, "missing 'pool'")
    address = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    network = ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network
    try:
        if "/" in text:
            net = network(text.strip(), strict=False)
            start, end = int(net.network_address), int(net.broadcast_address)
        else:
            first, _, last = text.partition("-")
            start, end = int(address(first.strip())), int(address(last.strip()))
    except ValueError:
        raise ConfigError(f"{path}/pool", f"{text!r} is not 'first - last' or 'prefix/len'") from None
    if start > end:
        raise ConfigError(f"{path}/pool", f"{text!r}: the first address is after the last")
    if not (subnet.contains(start) and subnet.contains(end)):
        raise ConfigError(f"{path}/pool", f"pool {text} is not inside subnet {address(subnet.network)}/"
                                          f"{subnet.prefixlen}")
    return start, end


# Sections lessor accepts only with their default values (the feature itself is not built yet).
DEFAULT_ONLY_SECTIONS = {
    "multi-threading": {"enable-multi-threading": False, "thread-pool-size": 0, "packet-queue-size": 64},
    "hooks-libraries": {},
    "sanity-checks": {"lease-checks": "warn"},
}


def family_root(doc, family: int, supported: set[str], kea_only: set[str]) -> tuple[str, dict]:
    """The checked `DhcpN` object of a configuration document, and its JSON path."""
    top = f"Dhcp{family}"
    if not isinstance(doc, dict) or top not in doc:
        raise ConfigError("", f"the configuration needs a top-level '{top}' object")
    for key in doc:
        if key != top:
            raise ConfigError(f"/{key}", f"unknown top-level object (lessor dhcp{family} reads only '{top}')")
    path = f"/{top}"
    g = check_keys(doc[top], path, supported, kea_only)
    for key, defaults in DEFAULT_ONLY_SECTIONS.items():
        if key in g:
            only_defaults(g[key], f"{path}/{key}", defaults)
    return path, g


# -- DNS updates ---------------------------------------------------------------------

# Kea's DDNS parameters, inherited global -> shared network -> subnet: key -> (DdnsParams field, type).
DDNS_KEYS = {
    "ddns-send-updates": ("send_updates", bool),
    "ddns-override-no-update": ("override_no_update", bool),
    "ddns-override-client-update": ("override_client_update", bool),
    "ddns-replace-client-name": ("replace_client_name", str),
    "ddns-generated-prefix": ("generated_prefix", str),
    "ddns-qualifying-suffix": ("qualifying_suffix", str),
    "ddns-update-on-renew": ("update_on_renew", bool),
    "ddns-use-conflict-resolution": ("use_conflict_resolution", bool),
    "hostname-char-set": ("hostname_char_set", str),
    "hostname-char-replacement": ("hostname_char_replacement", str),
}
# Keys Kea 2.2 still takes inside `dhcp-ddns` (deprecated): each moves to its global parameter unless that
# is set too, in which case the global one wins (Kea's DHCPSRV_CFGMGR_DDNS_PARAMETER_MOVED / _IGNORED).
DHCP_DDNS_DEPRECATED = {
    "override-no-update": "ddns-override-no-update",
    "override-client-update": "ddns-override-client-update",
    "replace-client-name": "ddns-replace-client-name",
    "generated-prefix": "ddns-generated-prefix",
    "qualifying-suffix": "ddns-qualifying-suffix",
    "hostname-char-set": "hostname-char-set",
    "hostname-char-replacement": "hostname-char-replacement",
}
DHCP_DDNS_KEYS = {"enable-updates", "server-ip", "server-port", "sender-ip", "sender-port", "max-queue-size",
                  "ncr-protocol", "ncr-format"}


def ddns_params(obj: dict, path: str, parent: DdnsParams, keys: dict | None = None) -> DdnsParams:
    """The DDNS parameters set at one level over those inherited from `parent`. `keys` maps a key to the
    JSON path where it was written, when that is not `path/key` (deprecated keys from dhcp-ddns)."""
    changes = {}
    for key, (attr, kind) in DDNS_KEYS.items():
        if key not in obj:
            continue
        where = (keys or {}).get(key, f"{path}/{key}")
        value = obj[key]
        if key == "ddns-replace-client-name" and isinstance(value, bool):
            raise ConfigError(where, "boolean values are no longer supported (Kea 2.2): use never, always, "
                                     "when-present or when-not-present")
        if not isinstance(value, kind):
            raise ConfigError(where, f"expected {'a boolean' if kind is bool else 'a string'}, got {value!r}")
        if key == "ddns-replace-client-name":
            value = value.lower()
            if value not in REPLACE_MODES:
                raise ConfigError(where, f"{obj[key]!r} is not one of {', '.join(REPLACE_MODES)}")
        elif key == "hostname-char-set" and value:
            try:
                re.compile(value)
            except re.error as exc:
                raise ConfigError(where, f"{value!r} is not a valid regular expression: {exc}") from None
        changes[attr] = value
    return dataclasses.replace(parent, **changes) if changes else parent


def _port(obj: dict, key: str, path: str, default: int) -> int:
    value = typed(obj, key, path, int, default)
    if not 0 <= value <= 65535:
        raise ConfigError(f"{path}/{key}", f"{value} is not a port number (0-65535)")
    return value


def _ip_text(obj: dict, key: str, path: str, default: str | None):
    text = typed(obj, key, path, str, default)
    if text is None:
        return None
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise ConfigError(f"{path}/{key}", f"{text!r} is not an IP address") from None


def dhcp_ddns(obj, path: str) -> tuple[DhcpDdns, dict, dict]:
    """Kea's `dhcp-ddns` map: the link to the DHCP-DDNS daemon, and the deprecated DDNS parameters found
    in it as {global key: value} with {global key: JSON path}."""
    check_keys(obj, path, ANYWHERE | DHCP_DDNS_KEYS | set(DHCP_DDNS_DEPRECATED))
    if "enable-updates" not in obj:
        raise ConfigError(path, "missing 'enable-updates' (Kea requires it in dhcp-ddns)")
    server_ip = _ip_text(obj, "server-ip", path, "127.0.0.1")
    sender_ip = _ip_text(obj, "sender-ip", path, None)
    if sender_ip is None:
        sender_ip = ipaddress.ip_address("0.0.0.0" if server_ip.version == 4 else "::")
    if sender_ip.version != server_ip.version:
        raise ConfigError(f"{path}/sender-ip", f"address family mismatch: server-ip {server_ip} is IPv"
                                               f"{server_ip.version}, sender-ip {sender_ip} is IPv{sender_ip.version}")
    protocol = typed(obj, "ncr-protocol", path, str, "UDP").upper()
    if protocol == "TCP":
        raise NotSupportedYet(f"{path}/ncr-protocol")
    if protocol != "UDP":
        raise ConfigError(f"{path}/ncr-protocol", f"{obj['ncr-protocol']!r} is not UDP (nor TCP)")
    fmt = typed(obj, "ncr-format", path, str, "JSON").upper()
    if fmt != "JSON":
        raise ConfigError(f"{path}/ncr-format", f"{obj['ncr-format']!r} is not JSON, the only NCR format")
    queue = typed(obj, "max-queue-size", path, int, 1024)
    if queue < 0:
        raise ConfigError(f"{path}/max-queue-size", f"{queue} is negative")
    cfg = DhcpDdns(enable_updates=typed(obj, "enable-updates", path, bool), server_ip=str(server_ip),
                   server_port=_port(obj, "server-port", path, 53001), sender_ip=str(sender_ip),
                   sender_port=_port(obj, "sender-port", path, 0), max_queue_size=queue,
                   ncr_protocol=protocol, ncr_format=fmt)
    if (cfg.server_ip, cfg.server_port) == (cfg.sender_ip, cfg.sender_port):
        raise ConfigError(path, f"server and sender cannot share the same address and port: {cfg.server_ip} "
                                f"port {cfg.server_port}")
    moved = {DHCP_DDNS_DEPRECATED[k]: v for k, v in obj.items() if k in DHCP_DDNS_DEPRECATED}
    where = {DHCP_DDNS_DEPRECATED[k]: f"{path}/{k}" for k in obj if k in DHCP_DDNS_DEPRECATED}
    return cfg, moved, where


def global_ddns(g: dict, path: str) -> tuple[DhcpDdns, DdnsParams]:
    """The dhcp-ddns link and the global DDNS parameters (deprecated dhcp-ddns keys included)."""
    link, moved, where = DhcpDdns(), {}, {}
    if "dhcp-ddns" in g:
        link, moved, where = dhcp_ddns(g["dhcp-ddns"], f"{path}/dhcp-ddns")
    merged = {**{k: v for k, v in moved.items() if k not in g}, **g}
    where = {k: w for k, w in where.items() if k not in g}
    return link, ddns_params(merged, path, DdnsParams(enable_updates=link.enable_updates), where)

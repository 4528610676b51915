"""Option names, codes and value types for the tester side (independent of any server's tables).

Names follow Kea's option names; a few short aliases from classic Forge are accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OptionInfo:
    code: int
    name: str
    kind: str  # a type understood by forge.packets.values


def _table(rows, aliases) -> tuple[dict[int, OptionInfo], dict[str, OptionInfo]]:
    by_code = {code: OptionInfo(code, name, kind) for code, name, kind in rows}
    by_name = {info.name: info for info in by_code.values()}
    for alias, code in aliases.items():
        by_name[alias] = by_code[code]
    return by_code, by_name


V4_CODES, V4_NAMES = _table(
    [
        (1, "subnet-mask", "ipv4"), (2, "time-offset", "i32"), (3, "routers", "ipv4[]"),
        (4, "time-servers", "ipv4[]"), (5, "name-servers", "ipv4[]"), (6, "domain-name-servers", "ipv4[]"),
        (7, "log-servers", "ipv4[]"), (12, "host-name", "string"), (15, "domain-name", "string"),
        (19, "ip-forwarding", "bool"), (23, "default-ip-ttl", "u8"), (26, "interface-mtu", "u16"),
        (28, "broadcast-address", "ipv4"), (42, "ntp-servers", "ipv4[]"), (43, "vendor-encapsulated-options", "hex"),
        (44, "netbios-name-servers", "ipv4[]"), (50, "dhcp-requested-address", "ipv4"),
        (51, "dhcp-lease-time", "u32"), (52, "dhcp-option-overload", "u8"), (53, "dhcp-message-type", "u8"),
        (54, "dhcp-server-identifier", "ipv4"), (55, "dhcp-parameter-request-list", "u8[]"),
        (56, "dhcp-message", "string"), (57, "dhcp-max-message-size", "u16"), (58, "dhcp-renewal-time", "u32"),
        (59, "dhcp-rebinding-time", "u32"), (60, "vendor-class-identifier", "string"),
        (61, "dhcp-client-identifier", "hex"), (66, "tftp-server-name", "string"), (67, "boot-file-name", "string"),
        (81, "fqdn", "hex"), (82, "dhcp-agent-options", "hex"), (118, "subnet-selection", "ipv4"),
        (119, "domain-search", "fqdn[]"),
    ],
    {
        "server-id": 54, "lease-time": 51, "requested-address": 50, "client-id": 61, "message-type": 53,
        "parameter-request-list": 55, "relay-agent-information": 82, "renewal-time": 58, "rebinding-time": 59,
        "router": 3, "dns-servers": 6, "hostname": 12,
    },
)

V6_CODES, V6_NAMES = _table(
    [
        (1, "clientid", "hex"), (2, "serverid", "hex"), (3, "ia-na", "hex"), (4, "ia-ta", "hex"),
        (5, "iaaddr", "hex"), (6, "oro", "u16[]"), (7, "preference", "u8"), (8, "elapsed-time", "u16"),
        (9, "relay-msg", "hex"), (11, "auth", "hex"), (12, "unicast", "ipv6"), (13, "status-code", "hex"),
        (14, "rapid-commit", "empty"), (15, "user-class", "hex"), (16, "vendor-class", "hex"),
        (17, "vendor-opts", "hex"), (18, "interface-id", "string"), (19, "reconf-msg", "u8"),
        (20, "reconf-accept", "empty"), (21, "sip-server-dns", "fqdn[]"), (22, "sip-server-addr", "ipv6[]"),
        (23, "dns-servers", "ipv6[]"), (24, "domain-search", "fqdn[]"), (25, "ia-pd", "hex"),
        (26, "iaprefix", "hex"), (27, "nis-servers", "ipv6[]"), (28, "nisp-servers", "ipv6[]"),
        (31, "sntp-servers", "ipv6[]"), (32, "information-refresh-time", "u32"), (37, "remote-id", "hex"),
        (38, "subscriber-id", "hex"), (39, "client-fqdn", "hex"), (56, "ntp-server", "hex"),
        (67, "pd-exclude", "hex"),
    ],
    {
        "client-id": 1, "server-id": 2, "IA_NA": 3, "IA_TA": 4, "IAADDR": 5, "IA_PD": 25, "IAPREFIX": 26,
        "option-request": 6, "status": 13, "interface-id-option": 18, "fqdn": 39,
    },
)


def lookup(version: int, ref: str | int) -> OptionInfo:
    """An option by code or name; an unknown code gets a hex-typed entry."""
    codes, names = (V4_CODES, V4_NAMES) if version == 4 else (V6_CODES, V6_NAMES)
    text = str(ref).strip()
    if text.isdigit():
        code = int(text)
        return codes.get(code, OptionInfo(code, f"option-{code}", "hex"))
    for candidate in (text, text.lower(), text.upper()):
        if candidate in names:
            return names[candidate]
    raise KeyError(f"unknown DHCPv{version} option {ref!r}; use its code or one of: "
                   f"{', '.join(sorted(n for n in names if n.islower()))}")

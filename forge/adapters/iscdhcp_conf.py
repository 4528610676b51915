"""Render the neutral ServerModel to an ISC dhcpd 4.4 configuration (dhcpd.conf(5), dhcp-options(5)).

Links: dhcpd picks a client's subnet from the address of the interface it heard it on, or from the relay's
giaddr (v4) / link-address (v6). So every subnet that is served on the SUT's own link (`direct`) shares one
`shared-network` with the interface's own subnet (a host-sized one when the model has none, as dhcpd needs one),
and a subnet tied to relay addresses shares one with the subnets those addresses are in (a host-sized
placeholder subnet when the address is in none).
"""

from __future__ import annotations

import ipaddress

from forge.adapters.iscdhcp_ddns import ddns_lines, scope_lines
from forge.dnsmodel import DnsModel
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel, Subnet
from forge.packets.options import lookup

#: Kea option names whose dhcpd name differs (v4); every other known v4 name is the same in both.
_V4_NAMES = {"name-servers": "ien116-name-servers", "boot-file-name": "bootfile-name"}
#: v4 names dhcpd 4.4 knows under the same name as Kea's.
_V4_SAME = {
    "subnet-mask", "time-offset", "routers", "time-servers", "domain-name-servers", "log-servers", "host-name",
    "domain-name", "ip-forwarding", "default-ip-ttl", "interface-mtu", "broadcast-address", "ntp-servers",
    "vendor-encapsulated-options", "netbios-name-servers", "dhcp-renewal-time", "dhcp-rebinding-time",
    "vendor-class-identifier", "tftp-server-name", "domain-search", "subnet-selection", "dhcp-message",
}
#: Kea DHCPv6 option names and their dhcpd names (all in the dhcp6 space).
_V6_NAMES = {
    "dns-servers": "dhcp6.name-servers", "domain-search": "dhcp6.domain-search",
    "sntp-servers": "dhcp6.sntp-servers", "information-refresh-time": "dhcp6.info-refresh-time",
    "preference": "dhcp6.preference", "sip-server-dns": "dhcp6.sip-servers-names",
    "sip-server-addr": "dhcp6.sip-servers-addresses", "nis-servers": "dhcp6.nis-servers",
    "nisp-servers": "dhcp6.nisp-servers", "unicast": "dhcp6.unicast", "rapid-commit": "dhcp6.rapid-commit",
}
#: forge's option value kinds as dhcpd option-definition types.
_TYPES = {
    "ipv4": "ip-address", "ipv4[]": "array of ip-address", "ipv6": "ip6-address", "ipv6[]": "array of ip6-address",
    "u8": "unsigned integer 8", "u16": "unsigned integer 16", "u32": "unsigned integer 32",
    "i32": "signed integer 32", "u8[]": "array of unsigned integer 8", "u16[]": "array of unsigned integer 16",
    "bool": "boolean", "string": "text", "fqdn[]": "domain-list", "hex": "string",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _hex(text: str) -> str:
    """Kea's hex notation (01:02, 0102, 0x0102, '01 02') as dhcpd's colon-separated octets."""
    digits = text.strip().lower().removeprefix("0x").replace(":", "").replace(" ", "").replace("-", "")
    if len(digits) % 2:
        digits = "0" + digits
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def _items(data: str) -> list[str]:
    return [part.strip() for part in data.split(",") if part.strip()]


def option_value(kind: str, data: str, csv_format: bool = True) -> str:
    """A Kea-style textual value as a dhcpd option value of the given forge kind."""
    if not csv_format or kind == "hex":
        return _hex(data)
    if kind == "empty":
        return ""
    if kind in ("string",):
        return _quote(data)
    if kind == "fqdn[]":
        return ", ".join(_quote(name) for name in _items(data))
    if kind == "bool":
        return "true" if data.strip().lower() in ("1", "true", "yes", "on") else "false"
    return ", ".join(_items(data))


class OptionRenderer:
    """Turns OptionData into `option NAME VALUE;` lines, collecting the definitions custom codes need."""

    def __init__(self, version: int):
        self.version = version
        self.definitions: dict[str, str] = {}

    def _custom(self, space: str | None, code: int, kind: str, csv_format: bool) -> str:
        if space:
            universe = space.replace("_", "-")
            self.definitions.setdefault(f"space {universe}", f"option space {universe};")
        else:
            universe = "dhcp6" if self.version == 6 else ""
        type_ = _TYPES.get(kind, "string") if csv_format else "string"
        name = f"forge-opt-{code}"
        full = f"{universe}.{name}" if universe else name
        self.definitions.setdefault(full, f"option {full} code {code} = {type_};")
        return full

    def name_and_kind(self, o: OptionData) -> tuple[str, str]:
        if o.space:
            code = o.code if o.code is not None else lookup(self.version, o.name).code
            return self._custom(o.space, code, "hex", False), "hex"
        info = lookup(self.version, o.code if o.name is None else o.name)
        if self.version == 4:
            if info.name in _V4_NAMES:
                return _V4_NAMES[info.name], info.kind
            if info.name in _V4_SAME:
                return info.name, info.kind
        elif info.name in _V6_NAMES:
            return _V6_NAMES[info.name], info.kind
        return self._custom(None, info.code, info.kind, o.csv_format), info.kind

    def lines(self, options: list[OptionData]) -> list[str]:
        out = []
        for o in options:
            name, kind = self.name_and_kind(o)
            value = option_value(kind, o.data, o.csv_format)
            out.append(f"option {name} {value};" if value else f"option {name};")
        return out


def _indent(lines: list[str], depth: int = 1) -> list[str]:
    return ["    " * depth + line if line else line for line in lines]


def _block(head: str, body: list[str]) -> list[str]:
    return [head + " {", *_indent(body), "}"]


def _pool_lines(pool: Pool, version: int, options: OptionRenderer) -> list[str]:
    text = pool.range.replace(" ", "")
    if version == 6 and "/" in text:
        rng = f"range6 {text};"
    else:
        first, last = pool.bounds
        rng = f"range {first} {last};" if version == 4 else f"range6 {first} {last};"
    if not pool.options:
        return [rng]
    return _block("pool" if version == 4 else "pool6", [rng, *options.lines(pool.options)])


def _prefix6(pd: PdPool) -> str:
    net = ipaddress.ip_network(f"{pd.prefix}/{pd.prefix_len}", strict=False)
    high = ipaddress.ip_address(int(net.broadcast_address) & ~((1 << (128 - pd.delegated_len)) - 1))
    return f"prefix6 {net.network_address} {high} /{pd.delegated_len};"


def _timers(target, version: int) -> list[str]:
    """Lifetimes and timers of a model or subnet (values that are None inherit the outer scope)."""
    out = []
    if target.valid_lifetime is not None:
        v = target.valid_lifetime
        out += [f"default-lease-time {v};", f"max-lease-time {v};", f"min-lease-time {v};"]
    if version == 6 and target.preferred_lifetime is not None:
        out.append(f"preferred-lifetime {target.preferred_lifetime};")
    if target.renew_timer is not None:
        out.append(f"option dhcp-renewal-time {target.renew_timer};")
    if target.rebind_timer is not None:
        out.append(f"option dhcp-rebinding-time {target.rebind_timer};")
    if version == 4 and target.authoritative is not None:
        out.append("authoritative;" if target.authoritative else "not authoritative;")
    if version == 4 and target.match_client_id is not None:
        out.append(f"ignore-client-uids {'false' if target.match_client_id else 'true'};")
    if version == 6 and target.rapid_commit:
        out.append("option dhcp6.rapid-commit;")
    return out


def _host_lines(name: str, r: Reservation, version: int, options: OptionRenderer) -> list[str]:
    body = []
    if r.hw_address:
        body.append(f"hardware ethernet {r.hw_address.lower()};")
    if version == 4:
        if r.client_id:
            body.append(f"option dhcp-client-identifier {_hex(r.client_id)};")
        if r.ip_address:
            body.append(f"fixed-address {r.ip_address};")
    else:
        if r.duid:
            body.append(f"host-identifier option dhcp6.client-id {_hex(r.duid)};")
        body += [f"fixed-address6 {a};" for a in r.ip_addresses]
        body += [f"fixed-prefix6 {p};" for p in r.prefixes]
    if r.hostname:
        quoted = _quote(r.hostname)
        body.append(f"option host-name {quoted};" if version == 4 else f"ddns-hostname {quoted};")
    body += options.lines(r.options)
    return _block(f"host {name}", body)


def _network(prefix: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(prefix, strict=False)


def _subnet_head(net) -> str:
    if net.version == 4:
        return f"subnet {net.network_address} netmask {net.netmask}"
    return f"subnet6 {net}"


class _Links:
    """Groups subnets (by network) that share one link: a tiny union-find over network keys."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _anchor(model: ServerModel, iface_address) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """The subnet dhcpd ties the interface to: the model's subnet holding the interface's address, else a
    host-sized one (so that no prefix the model left out counts as on-link, e.g. after renumbering)."""
    address = ipaddress.ip_address(iface_address)
    for s in model.subnets:
        if address in s.network:
            return s.network
    return ipaddress.ip_network(f"{address}/{address.max_prefixlen}")


def render_dhcpd_conf(model: ServerModel, iface_address, lease_id_hex: bool = True,
                      dns: DnsModel | None = None) -> str:
    """The dhcpd.conf text for a model served on an interface whose own address is `iface_address`; `dns` is
    the scenario's DNS side when dhcpd updates DNS (see forge/adapters/iscdhcp_ddns.py)."""
    v = model.version
    options = OptionRenderer(v)
    head = ["# Rendered by forge for ISC dhcpd 4.4; one scenario, one server.", *ddns_lines(model, dns)]
    if v == 4:
        head.append("ping-check false;")
        if model.echo_client_id is not None:
            head.append(f"echo-client-id {'true' if model.echo_client_id else 'false'};")
    if lease_id_hex:
        head.append("lease-id-format hex;")
    head += _timers(model, v)
    globals_ = options.lines(model.options)

    # subnets by network; the interface's own one always exists
    bodies: dict[str, list[str]] = {}
    nets: dict[str, object] = {}
    links = _Links()
    iface_network = _anchor(model, iface_address)
    iface_key = str(iface_network)
    nets[iface_key] = iface_network
    bodies[iface_key] = []
    links.find(iface_key)
    hosts: list[str] = []
    for s in model.subnets:
        key = str(s.network)
        nets[key] = s.network
        body = bodies.setdefault(key, [])
        body += _subnet_body(s, v, options)
        for i, r in enumerate(s.reservations, 1):
            hosts += _host_lines(f"s{s.id}-r{i}", r, v, options)
        if s.direct:
            links.join(key, iface_key)
    for s in model.subnets:
        for relay in s.relay_addresses:
            addr = ipaddress.ip_address(relay)
            home = next((k for k, n in nets.items() if addr in n), None)
            if home is None:
                placeholder = ipaddress.ip_network(f"{addr}/{addr.max_prefixlen}")
                home = str(placeholder)
                nets[home] = placeholder
                bodies[home] = []
            links.join(home, str(s.network))

    groups: dict[str, list[str]] = {}
    for key in bodies:
        groups.setdefault(links.find(key), []).append(key)
    declarations: list[str] = []
    for n, members in enumerate(groups.values(), 1):
        blocks: list[str] = []
        for key in members:
            blocks += _block(_subnet_head(nets[key]), bodies[key])
        declarations += _block(f"shared-network link-{n}", blocks) if len(members) > 1 else blocks

    definitions = list(options.definitions.values())
    return "\n".join([*head, *definitions, *globals_, "", *declarations, *hosts]) + "\n"


def _subnet_body(s: Subnet, version: int, options: OptionRenderer) -> list[str]:
    body = _timers(s, version) + scope_lines(s.ddns)
    body += options.lines(s.options)
    for pool in s.pools:
        body += _pool_lines(pool, version, options)
    if version == 6:
        body += [_prefix6(pd) for pd in s.pd_pools]
    return body

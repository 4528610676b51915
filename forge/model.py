"""The neutral server configuration that steps build and adapters render.

Nothing here knows about any one server's syntax. Values are plain text in the
notation operators write (addresses, prefixes, "a-b" ranges, option values as
comma-separated text), so every adapter can render them its own way.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

#: The DDNS parameters a model level may carry (Kea 2.2 names) and their value kinds.
DDNS_PARAMS: dict[str, type] = {
    "ddns-send-updates": bool,
    "ddns-override-no-update": bool,
    "ddns-override-client-update": bool,
    "ddns-replace-client-name": str,  # never, always, when-present, when-not-present
    "ddns-generated-prefix": str,
    "ddns-qualifying-suffix": str,
    "ddns-update-on-renew": bool,
    "ddns-use-conflict-resolution": bool,
    "hostname-char-set": str,
    "hostname-char-replacement": str,
}


@dataclass
class OptionData:
    """One configured option. `name` is the Kea-style name when known, else None and `code` is set."""

    name: str | None
    code: int | None
    data: str
    space: str | None = None  # None means the family's standard space
    csv_format: bool = True
    always_send: bool = False


@dataclass
class Pool:
    range: str  # "first-last" or "prefix/len"
    options: list[OptionData] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[ipaddress._BaseAddress, ipaddress._BaseAddress]:
        text = self.range.replace(" ", "")
        if "/" in text:
            net = ipaddress.ip_network(text, strict=False)
            return net[0], net[-1]
        first, last = text.split("-")
        return ipaddress.ip_address(first), ipaddress.ip_address(last)

    def contains(self, addr: str) -> bool:
        first, last = self.bounds
        a = ipaddress.ip_address(addr)
        return a.version == first.version and first <= a <= last


@dataclass
class PdPool:
    prefix: str  # e.g. 2001:db8:8000::
    prefix_len: int
    delegated_len: int
    excluded_prefix: str | None = None
    excluded_prefix_len: int | None = None


@dataclass
class Reservation:
    hw_address: str | None = None
    client_id: str | None = None
    duid: str | None = None
    ip_address: str | None = None  # v4
    ip_addresses: list[str] = field(default_factory=list)  # v6
    prefixes: list[str] = field(default_factory=list)  # v6, "prefix/len"
    hostname: str | None = None
    options: list[OptionData] = field(default_factory=list)


@dataclass
class Subnet:
    id: int
    prefix: str
    pools: list[Pool] = field(default_factory=list)
    pd_pools: list[PdPool] = field(default_factory=list)
    options: list[OptionData] = field(default_factory=list)
    relay_addresses: list[str] = field(default_factory=list)
    interface: str | None = None  # None: the lab's server interface when the subnet is direct
    direct: bool = True  # reached by clients on the server's own link (not only through relays)
    interface_id: str | None = None  # v6: match relays by their interface-id option
    reservations: list[Reservation] = field(default_factory=list)
    rapid_commit: bool | None = None
    # Per-subnet overrides; None inherits the global value.
    valid_lifetime: int | None = None
    preferred_lifetime: int | None = None
    renew_timer: int | None = None
    rebind_timer: int | None = None
    match_client_id: bool | None = None
    authoritative: bool | None = None
    #: DDNS behaviour at this level, by Kea parameter name (ddns-qualifying-suffix, hostname-char-set, ...);
    #: a key that is absent inherits the global value.
    ddns: dict[str, str | bool] = field(default_factory=dict)

    @property
    def network(self):
        return ipaddress.ip_network(self.prefix, strict=False)

    @property
    def version(self) -> int:
        return self.network.version


@dataclass
class ServerModel:
    """A whole DHCPv4 or DHCPv6 server configuration."""

    version: int  # 4 or 6
    subnets: list[Subnet] = field(default_factory=list)
    options: list[OptionData] = field(default_factory=list)
    valid_lifetime: int | None = None
    preferred_lifetime: int | None = None
    renew_timer: int | None = None
    rebind_timer: int | None = None
    echo_client_id: bool | None = None
    match_client_id: bool | None = None
    authoritative: bool | None = None
    decline_probation_period: int | None = None
    rapid_commit: bool | None = None  # default for v6 subnets
    server_id: str | None = None  # v6 DUID as hex, None lets the server choose
    #: Global DDNS behaviour, by Kea parameter name (see DDNS_PARAMS).
    ddns: dict[str, str | bool] = field(default_factory=dict)
    #: The link to the DHCP-DDNS daemon (Kea's `dhcp-ddns` map: enable-updates, server-ip, server-port,
    #: max-queue-size, ...); None renders nothing, so updates stay off.
    dhcp_ddns: dict[str, str | int | bool] | None = None
    #: Kea's `expired-leases-processing` map (reclaim-timer-wait-time, hold-reclaimed-time, ...);
    #: None renders nothing, so the server's defaults apply.
    expired_leases: dict[str, int] | None = None

    def add_subnet(self, prefix: str) -> Subnet:
        subnet = Subnet(id=len(self.subnets) + 1, prefix=prefix)
        if subnet.version != self.version:
            raise ValueError(f"subnet {prefix} is IPv{subnet.version} but the server is DHCPv{self.version}")
        self.subnets.append(subnet)
        return subnet

    @property
    def current_subnet(self) -> Subnet:
        if not self.subnets:
            raise ValueError("no subnet is configured yet")
        return self.subnets[-1]

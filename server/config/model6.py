"""lessor's validated DHCPv6 configuration: plain data, inheritance resolved, addresses as ints."""

from __future__ import annotations

from dataclasses import dataclass, field

from server.config.model import ConfiguredOption, DdnsParams, DhcpDdns, ExpiredLeases, LeaseDatabase, Logger


def mask128(prefixlen: int) -> int:
    return ((1 << 128) - 1) ^ ((1 << (128 - prefixlen)) - 1)


@dataclass
class Pool6:
    start: int
    end: int
    options: dict[int, ConfiguredOption] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.end - self.start + 1


@dataclass
class PdPool6:
    prefix: int
    prefix_len: int
    delegated_len: int
    excluded_prefix: int | None = None
    excluded_prefix_len: int | None = None
    options: dict[int, ConfiguredOption] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return 1 << (self.delegated_len - self.prefix_len)

    def nth(self, n: int) -> int:
        return self.prefix + (n << (128 - self.delegated_len))

    def contains(self, prefix: int, length: int) -> bool:
        return length == self.delegated_len and (prefix & mask128(self.prefix_len)) == self.prefix


@dataclass
class Reservation6:
    duid: bytes | None = None
    hw_address: bytes | None = None
    ip_addresses: list[int] = field(default_factory=list)
    prefixes: list[tuple[int, int]] = field(default_factory=list)
    hostname: str = ""
    options: dict[int, ConfiguredOption] = field(default_factory=dict)


@dataclass
class Subnet6:
    id: int
    network: int
    prefixlen: int
    pools: list[Pool6] = field(default_factory=list)
    pd_pools: list[PdPool6] = field(default_factory=list)
    options: dict[int, ConfiguredOption] = field(default_factory=dict)
    relay_addresses: frozenset[int] = frozenset()
    interface: str | None = None
    interface_id: bytes | None = None
    shared_network: str | None = None
    rapid_commit: bool = False
    by_duid: dict[bytes, Reservation6] = field(default_factory=dict)
    by_hw: dict[bytes, Reservation6] = field(default_factory=dict)
    reserved: dict[int, Reservation6] = field(default_factory=dict)  # address -> reservation
    reserved_prefixes: dict[tuple[int, int], Reservation6] = field(default_factory=dict)
    preferred_lifetime: int = 3600
    min_preferred_lifetime: int = 3600
    max_preferred_lifetime: int = 3600
    valid_lifetime: int = 7200
    min_valid_lifetime: int = 7200
    max_valid_lifetime: int = 7200
    renew_timer: int | None = None
    rebind_timer: int | None = None
    calculate_tee_times: bool = True
    t1_percent: float = 0.5
    t2_percent: float = 0.8
    ddns: DdnsParams = field(default_factory=DdnsParams)

    @property
    def mask(self) -> int:
        return mask128(self.prefixlen)

    def contains(self, address: int) -> bool:
        return (address & self.mask) == self.network

    def in_pool(self, address: int) -> bool:
        return any(p.start <= address <= p.end for p in self.pools)

    def pd_pool_for(self, prefix: int, length: int) -> PdPool6 | None:
        return next((p for p in self.pd_pools if p.contains(prefix, length)), None)


@dataclass(frozen=True)
class ServerId:
    type: str = "LLT"  # LLT, EN or LL
    identifier: bytes = b""
    time: int = 0
    htype: int = 1
    enterprise_id: int = 0
    persist: bool = True


@dataclass
class Dhcp6Config:
    interfaces: list[tuple[str, int | None]]
    lease_database: LeaseDatabase = field(default_factory=LeaseDatabase)
    subnets: list[Subnet6] = field(default_factory=list)
    server_id: ServerId = field(default_factory=ServerId)
    data_directory: str = "/var/lib/kea"
    decline_probation_period: int = 86400
    expired: ExpiredLeases = field(default_factory=ExpiredLeases)
    loggers: list[Logger] = field(default_factory=list)
    control_socket: str | None = None
    options: dict[int, ConfiguredOption] = field(default_factory=dict)  # global, for Information-request
    dhcp_ddns: DhcpDdns = field(default_factory=DhcpDdns)
    ddns: DdnsParams = field(default_factory=DdnsParams)  # global, for messages without a subnet
    source: dict = field(default_factory=dict)

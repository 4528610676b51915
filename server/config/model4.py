"""lessor's validated DHCPv4 configuration: plain data, inheritance already resolved.

Addresses are ints. Each subnet carries the effective value of every inherited
parameter (global -> shared network -> subnet), and its option data as wire
bytes merged from global, shared network and subnet level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from server.config.model import ConfiguredOption, DdnsParams, DhcpDdns, ExpiredLeases, LeaseDatabase, Logger


@dataclass
class Pool4:
    start: int
    end: int
    options: dict[int, ConfiguredOption] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.end - self.start + 1


@dataclass
class Reservation4:
    hw_address: bytes | None = None
    client_id: bytes | None = None
    ip_address: int | None = None
    hostname: str = ""
    options: dict[int, ConfiguredOption] = field(default_factory=dict)
    next_server: int | None = None
    server_hostname: str | None = None
    boot_file_name: str | None = None


@dataclass
class Subnet4:
    id: int
    network: int
    prefixlen: int
    pools: list[Pool4] = field(default_factory=list)
    options: dict[int, ConfiguredOption] = field(default_factory=dict)
    relay_addresses: frozenset[int] = frozenset()
    interface: str | None = None
    shared_network: str | None = None
    by_hw: dict[bytes, Reservation4] = field(default_factory=dict)
    by_client_id: dict[bytes, Reservation4] = field(default_factory=dict)
    reserved: dict[int, Reservation4] = field(default_factory=dict)  # address -> reservation
    valid_lifetime: int = 7200
    min_valid_lifetime: int = 7200
    max_valid_lifetime: int = 7200
    renew_timer: int | None = None
    rebind_timer: int | None = None
    calculate_tee_times: bool = False
    t1_percent: float = 0.5
    t2_percent: float = 0.875
    match_client_id: bool = True
    authoritative: bool = False
    next_server: int = 0
    server_hostname: str = ""
    boot_file_name: str = ""
    ddns: DdnsParams = field(default_factory=DdnsParams)

    @property
    def mask(self) -> int:
        return (0xFFFFFFFF << (32 - self.prefixlen)) & 0xFFFFFFFF

    def contains(self, address: int) -> bool:
        return (address & self.mask) == self.network

    def in_pool(self, address: int) -> bool:
        return any(p.start <= address <= p.end for p in self.pools)

    @property
    def total_addresses(self) -> int:
        return sum(p.size for p in self.pools)


@dataclass
class Dhcp4Config:
    interfaces: list[tuple[str, int | None]]  # (name, address or None); "*" for all
    socket_type: str = "raw"
    lease_database: LeaseDatabase = field(default_factory=LeaseDatabase)
    subnets: list[Subnet4] = field(default_factory=list)
    echo_client_id: bool = True
    decline_probation_period: int = 86400
    expired: ExpiredLeases = field(default_factory=ExpiredLeases)
    loggers: list[Logger] = field(default_factory=list)
    control_socket: str | None = None
    dhcp_ddns: DhcpDdns = field(default_factory=DhcpDdns)
    source: dict = field(default_factory=dict)  # the Dhcp4 object as given, for config-get

    def subnet_by_id(self, subnet_id: int) -> Subnet4 | None:
        return next((s for s in self.subnets if s.id == subnet_id), None)

"""DHCPv6 allocation: addresses (IA_NA) and delegated prefixes (IA_PD). Reservation first, then the
client's binding for the IA, then the address or prefix it asks for, then a free one from the pools."""

from __future__ import annotations

from server.config.model6 import Reservation6, Subnet6
from server.leases.lease6 import Lease6

NA, TA, PD = 0, 1, 2
STATE_DECLINED, STATE_RECLAIMED = 1, 2


def reservation_for(subnet: Subnet6, duid: bytes, hwaddr: bytes | None) -> Reservation6 | None:
    res = subnet.by_duid.get(duid)
    if res is None and hwaddr:
        res = subnet.by_hw.get(hwaddr)
    return res


class Allocator6:
    def __init__(self, leases):
        self.leases = leases
        self._cursor: dict[tuple[int, int, int], int] = {}

    def owned(self, lease: Lease6, duid: bytes, iaid: int) -> bool:
        return lease.state != STATE_DECLINED and lease.duid == duid and lease.iaid == iaid

    def usable(self, kind: int, address: int, subnet: Subnet6, duid: bytes, iaid: int, now: int,
               res: Reservation6 | None, prefix_len: int = 128) -> bool:
        reserved = subnet.reserved.get(address) if kind == NA else subnet.reserved_prefixes.get((address, prefix_len))
        if reserved is not None and reserved is not res:
            return False
        lease = self.leases.get(kind, address)
        if lease is None:
            return True
        if self.owned(lease, duid, iaid):
            return True
        if lease.state == STATE_DECLINED:
            return lease.expire <= now
        return lease.state == STATE_RECLAIMED or lease.expire <= now

    def bindings(self, kind: int, subnets: list[Subnet6], duid: bytes, iaid: int) -> list[Lease6]:
        ids = {s.id for s in subnets}
        return [lease for lease in self.leases.get_by_duid_iaid(duid, iaid, kind)
                if lease.subnet_id in ids and lease.state != STATE_DECLINED]

    def pick_address(self, subnets: list[Subnet6], duid: bytes, iaid: int, hints: list[int], now: int,
                     hwaddr: bytes | None = None) -> tuple[int, Subnet6] | None:
        for s in subnets:
            res = reservation_for(s, duid, hwaddr)
            if res is not None:
                for address in res.ip_addresses:
                    if self.usable(NA, address, s, duid, iaid, now, res):
                        return address, s
        for lease in self.bindings(NA, subnets, duid, iaid):
            s = next(s for s in subnets if s.id == lease.subnet_id)
            if s.contains(lease.address) and (s.in_pool(lease.address) or lease.address in s.reserved):
                return lease.address, s
        for hint in hints:
            for s in subnets:
                if s.contains(hint) and s.in_pool(hint) and \
                        self.usable(NA, hint, s, duid, iaid, now, reservation_for(s, duid, hwaddr)):
                    return hint, s
        for s in subnets:
            res = reservation_for(s, duid, hwaddr)
            for index, pool in enumerate(s.pools):
                key = (s.id, NA, index)
                start = self._cursor.get(key, pool.start)
                if not pool.start <= start <= pool.end:
                    start = pool.start
                size = pool.size
                offset = start - pool.start
                for step in range(min(size, 1 << 20)):
                    address = pool.start + (offset + step) % size
                    if self.usable(NA, address, s, duid, iaid, now, res):
                        self._cursor[key] = address + 1 if address < pool.end else pool.start
                        return address, s
        return None

    def pick_prefix(self, subnets: list[Subnet6], duid: bytes, iaid: int, hints: list[tuple[int, int]], now: int,
                    hwaddr: bytes | None = None) -> tuple[int, int, Subnet6] | None:
        for s in subnets:
            res = reservation_for(s, duid, hwaddr)
            if res is not None:
                for prefix, length in res.prefixes:
                    if self.usable(PD, prefix, s, duid, iaid, now, res, length):
                        return prefix, length, s
        for lease in self.bindings(PD, subnets, duid, iaid):
            s = next(s for s in subnets if s.id == lease.subnet_id)
            if s.pd_pool_for(lease.address, lease.prefix_len) or (lease.address, lease.prefix_len) in \
                    s.reserved_prefixes:
                return lease.address, lease.prefix_len, s
        for prefix, length in hints:
            for s in subnets:
                if prefix and s.pd_pool_for(prefix, length) and \
                        self.usable(PD, prefix, s, duid, iaid, now, reservation_for(s, duid, hwaddr), length):
                    return prefix, length, s
        for s in subnets:
            res = reservation_for(s, duid, hwaddr)
            for index, pool in enumerate(s.pd_pools):
                key = (s.id, PD, index)
                count = pool.count
                start = self._cursor.get(key, 0) % count
                for step in range(min(count, 1 << 20)):
                    n = (start + step) % count
                    prefix = pool.nth(n)
                    if self.usable(PD, prefix, s, duid, iaid, now, res, pool.delegated_len):
                        self._cursor[key] = (n + 1) % count
                        return prefix, pool.delegated_len, s
        return None

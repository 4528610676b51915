"""The allocation engine: reservation first, then the client's existing lease, then the requested
address, then a free address from the pools. One address never goes to two clients."""

from __future__ import annotations

from dataclasses import dataclass

from server.config.model4 import Reservation4, Subnet4
from server.leases.lease4 import Lease4

STATE_DEFAULT, STATE_DECLINED, STATE_RECLAIMED = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Client:
    hwaddr: bytes
    client_id: bytes | None  # None when absent or when match-client-id is off

    def owns(self, lease: Lease4) -> bool:
        """Kea's rule: compare client identifiers when both sides have one, else hardware addresses."""
        if lease.state == STATE_DECLINED:
            return False
        if self.client_id is not None and lease.client_id:
            return lease.client_id == self.client_id
        return bool(lease.hwaddr) and lease.hwaddr == self.hwaddr


def reservation_for(subnet: Subnet4, client: Client) -> Reservation4 | None:
    if client.client_id is not None:
        res = subnet.by_client_id.get(client.client_id)
        if res is not None:
            return res
    return subnet.by_hw.get(client.hwaddr)


class Allocator:
    def __init__(self, leases):
        self.leases = leases
        self._cursor: dict[tuple[int, int], int] = {}

    def usable(self, address: int, subnet: Subnet4, client: Client, now: int) -> bool:
        """Whether `client` may have `address` now: not held by another client, not declined, and not
        reserved for someone else."""
        res = subnet.reserved.get(address)
        if res is not None and reservation_for(subnet, client) is not res:
            return False
        lease = self.leases.get(address)
        if lease is None:
            return True
        if client.owns(lease):
            return True
        if lease.state == STATE_DECLINED:
            return lease.expire <= now
        return lease.state == STATE_RECLAIMED or lease.expire <= now

    def existing(self, subnets: list[Subnet4], client: Client) -> Lease4 | None:
        """The client's lease in one of the subnets (by client-id, else by hardware address)."""
        ids = {s.id for s in subnets}
        found: list[Lease4] = []
        if client.client_id is not None:
            for sid in ids:
                found += self.leases.get_by_client_id(client.client_id, sid)
        if not found:
            for sid in ids:
                found += [lease for lease in self.leases.get_by_hwaddr(client.hwaddr, sid) if client.owns(lease)]
        found = [lease for lease in found if lease.state != STATE_DECLINED]
        if not found:
            return None
        return max(found, key=lambda lease: lease.cltt)

    def pick(self, subnets: list[Subnet4], client: Client, requested: int | None, now: int
             ) -> tuple[int, Subnet4] | None:
        """The address to offer or assign, with its subnet; None when nothing is free."""
        for s in subnets:
            res = reservation_for(s, client)
            if res is not None and res.ip_address is not None and self.usable(res.ip_address, s, client, now):
                return res.ip_address, s
        lease = self.existing(subnets, client)
        if lease is not None:
            s = next(s for s in subnets if s.id == lease.subnet_id)
            if s.contains(lease.address) and (s.in_pool(lease.address) or lease.address in s.reserved):
                return lease.address, s
        if requested:
            for s in subnets:
                if s.contains(requested) and s.in_pool(requested) and self.usable(requested, s, client, now):
                    return requested, s
        for s in subnets:
            address = self._free_in(s, client, now)
            if address is not None:
                return address, s
        return None

    def _free_in(self, subnet: Subnet4, client: Client, now: int) -> int | None:
        for index, pool in enumerate(subnet.pools):
            key = (subnet.id, index)
            start = self._cursor.get(key, pool.start)
            if not pool.start <= start <= pool.end:
                start = pool.start
            size = pool.size
            offset = start - pool.start
            for step in range(size):
                address = pool.start + (offset + step) % size
                if self.usable(address, subnet, client, now):
                    self._cursor[key] = address + 1 if address < pool.end else pool.start
                    return address
        return None

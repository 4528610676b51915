"""Subnet selection for DHCPv6 (Kea's order): for relayed traffic the relay closest to the client
decides, by its interface-id option, then its link-address (a subnet listing it in relay ip-addresses,
else the subnet holding it); for direct traffic the receiving interface, else the client's source
address when it is global."""

from __future__ import annotations

from server.config.model6 import Dhcp6Config, Subnet6

INTERFACE_ID = 18


class SubnetSelector6:
    def __init__(self, cfg: Dhcp6Config):
        self.subnets = cfg.subnets
        self._shared: dict[str, list[Subnet6]] = {}
        for s in cfg.subnets:
            if s.shared_network:
                self._shared.setdefault(s.shared_network, []).append(s)

    def family(self, subnet: Subnet6 | None) -> list[Subnet6]:
        if subnet is None:
            return []
        if subnet.shared_network is None:
            return [subnet]
        return [subnet] + [s for s in self._shared[subnet.shared_network] if s is not subnet]

    def _containing(self, address: int) -> Subnet6 | None:
        return next((s for s in self.subnets if s.contains(address)), None)

    def select(self, relay_options: list[tuple[int, bytes]] | None, link_address: int, iface: str,
               src: int) -> Subnet6 | None:
        if relay_options is not None:
            interface_id = next((d for c, d in relay_options if c == INTERFACE_ID), None)
            if interface_id is not None:
                for s in self.subnets:
                    if s.interface_id == interface_id:
                        return s
                if any(s.interface_id is not None for s in self.subnets):
                    return None
            if link_address:
                for s in self.subnets:
                    if link_address in s.relay_addresses:
                        return s
                found = self._containing(link_address)
                if found is not None and found.interface_id is None:
                    return found
            return None
        for s in self.subnets:
            if s.interface == iface:
                return s
        if src >> 118 != 0x3FA:  # not fe80::/10
            found = self._containing(src)
            if found is not None and found.interface_id is None and not found.relay_addresses:
                return found
        return None

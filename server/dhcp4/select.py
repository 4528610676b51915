"""Subnet selection for DHCPv4 (Kea's order): link-selection / subnet-selection options, then the relay
(giaddr: a subnet listing it in relay ip-addresses, else the subnet containing it), then for direct
traffic the receiving interface (ciaddr first when the client has an address)."""

from __future__ import annotations

from server.config.model4 import Dhcp4Config, Subnet4

RAI = 82
SUBNET_SELECTION = 118
LINK_SELECTION_SUBOPTION = 5


def _sub_option(data: bytes, code: int) -> bytes | None:
    i = 0
    while i + 2 <= len(data):
        c, n = data[i], data[i + 1]
        if c == code:
            return data[i + 2:i + 2 + n]
        i += 2 + n
    return None


class SubnetSelector:
    def __init__(self, cfg: Dhcp4Config):
        self.subnets = cfg.subnets
        self._shared: dict[str, list[Subnet4]] = {}
        for s in cfg.subnets:
            if s.shared_network:
                self._shared.setdefault(s.shared_network, []).append(s)

    def family(self, subnet: Subnet4) -> list[Subnet4]:
        """The subnet and, when it belongs to a shared network, its siblings (it first)."""
        if subnet.shared_network is None:
            return [subnet]
        return [subnet] + [s for s in self._shared[subnet.shared_network] if s is not subnet]

    def _containing(self, address: int) -> Subnet4 | None:
        for s in self.subnets:
            if (address & s.mask) == s.network:
                return s
        return None

    def select(self, options: dict[int, bytes], giaddr: int, ciaddr: int, iface: str,
               iface_addrs: tuple[int, ...]) -> Subnet4 | None:
        rai = options.get(RAI)
        if rai is not None:
            link = _sub_option(rai, LINK_SELECTION_SUBOPTION)
            if link is not None and len(link) == 4:
                return self._containing(int.from_bytes(link, "big"))
        selection = options.get(SUBNET_SELECTION)
        if selection is not None and len(selection) == 4:
            return self._containing(int.from_bytes(selection, "big"))
        if giaddr:
            for s in self.subnets:
                if giaddr in s.relay_addresses:
                    return s
            return self._containing(giaddr)
        if ciaddr:
            s = self._containing(ciaddr)
            if s is not None and (s.interface in (None, iface)):
                return s
        for s in self.subnets:
            if s.interface == iface:
                return s
        for addr in iface_addrs:
            s = self._containing(addr)
            if s is not None and s.interface in (None, iface) and not s.relay_addresses:
                return s
        return None

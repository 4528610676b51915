"""Side-by-side DHCPv6 benchmark: Kea's kea-dhcp6 and lessor, same configuration, same load.

    .venv/bin/python -m bench.dhcp6 [--servers kea,lessor] [--seconds 5] [--rates 250,500,...]

The DHCPv6 twin of bench/dhcp4.py (same options, same steps, same table): for each server it finds
the best sustainable 4-way Solicit-Advertise-Request-Reply exchange rate under --max-drop percent
drops, stepping perfdhcp's offered rate up, and measures the server's peak RSS (VmHWM) with 100,000
leases in its lease file. It builds its own namespace lab and always tears it down.

perfdhcp -6 sends its Solicits to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) from the tester's
link-local address on the veth pair (`-l IFACE`), so both servers see clients on their own link and
serve them from the subnet of their interface. (Unicast Solicits are dropped by servers, and relayed
mode would need a subnet selected by the relay's link-address; the direct link is simpler and works
the same way for both servers.)
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
import time
from pathlib import Path

from bench.common import Family, add_arguments, run
from forge.lab import Lab
from forge.model import Pool, ServerModel

VALID_LIFETIME = 3600
PREFERRED_LIFETIME = 3600  # Kea's default preferred-lifetime; only written into the memory test's leases
#: Pool offsets inside the server's /64: ::1:0 to ::ffff:ffff, clear of the lab's own ::1 and ::2.
POOL_FIRST, POOL_LAST = 0x1_0000, 0xFFFF_FFFF
LEASE_HEADER = ("address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,"
                "fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source")
EXCHANGES = ("SOLICIT-ADVERTISE", "REQUEST-REPLY")


def _network(lab: Lab) -> ipaddress.IPv6Network:
    return lab.sut.ipv6.network


def build_model(lab: Lab) -> ServerModel:
    """The one configuration both servers get: the server interface's /64 (2001:db8:1::/64 in the
    bench lab), direct on that link, with a pool of about 2^32 addresses."""
    net = _network(lab)
    model = ServerModel(version=6, valid_lifetime=VALID_LIFETIME)
    subnet = model.add_subnet(str(net))
    subnet.pools.append(Pool(f"{net[POOL_FIRST]}-{net[POOL_LAST]}"))
    return model


def perfdhcp_target(lab: Lab) -> tuple[list[str], list[str]]:
    """perfdhcp multicasts from the tester's veth: `perfdhcp -6 -l vbench-tester ...`."""
    return ["-6", "-l", lab.tester.iface], []


def write_leases(path: str, count: int, model: ServerModel, now: float | None = None) -> None:
    """A Kea v6 memfile with `count` valid IA_NA leases in subnet 1, from the start of its first pool,
    expiring an hour from now."""
    now = int(now if now is not None else time.time())
    first = int(model.subnets[0].pools[0].bounds[0])
    expire = now + VALID_LIFETIME
    lines = [LEASE_HEADER]
    for i in range(count):
        duid = "00:03:00:01:02:bb:" + ":".join(f"{b:02x}" for b in i.to_bytes(4, "big"))  # DUID-LL
        lines.append(f"{ipaddress.IPv6Address(first + i)},{duid},{VALID_LIFETIME},{expire},1,{PREFERRED_LIFETIME},"
                     f"0,1,128,0,0,,,0,,,")
    Path(path).write_text("\n".join(lines) + "\n")


FAMILY = Family(version=6, exchanges=EXCHANGES, build_model=build_model, perfdhcp_target=perfdhcp_target,
                write_leases=write_leases, assigned_statistic="subnet[1].assigned-nas")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.dhcp6",
        description="Side-by-side DHCPv6 benchmark of kea-dhcp6 and lessor with perfdhcp -6 in a private "
                    "namespace lab (needs root). Same configuration for both: subnet 2001:db8:1::/64 on the "
                    "server's interface, pool ::1:0-::ffff:ffff, valid-lifetime 3600, memfile with persist.")
    add_arguments(p)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return run(FAMILY, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

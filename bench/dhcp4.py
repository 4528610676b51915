"""Side-by-side DHCPv4 benchmark: Kea's kea-dhcp4 and lessor, same configuration, same load.

    .venv/bin/python -m bench.dhcp4 [--servers kea,lessor] [--seconds 5] [--rates 250,500,...]

For each server it finds the best sustainable 4-way (DORA) exchange rate under --max-drop percent
drops, stepping perfdhcp's offered rate up, and measures the server's peak RSS (VmHWM) with 100,000
leases in its lease file. It builds its own namespace lab and always tears it down.

Each rate step gets a fresh server start and an empty lease file, so every step measures the same
state (no leases left by the slower steps before it, lease file appended from zero) and the steps do
not depend on their order; a restart costs about a second per step.

The shared machinery is in bench/common.py; this module holds what is DHCPv4's own.
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

SUBNET = "198.18.0.0/15"
POOL = "198.18.0.1-198.19.255.254"
VALID_LIFETIME = 3600
LEASE_HEADER = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context"
EXCHANGES = ("DISCOVER-OFFER", "REQUEST-ACK")


def build_model(lab: Lab) -> ServerModel:
    """The one configuration both servers get: a /15 reached only through the tester as relay."""
    model = ServerModel(version=4, valid_lifetime=VALID_LIFETIME)
    subnet = model.add_subnet(SUBNET)
    subnet.pools.append(Pool(POOL))
    subnet.relay_addresses = [str(lab.tester.ipv4.ip)]
    subnet.direct = False
    return model


def perfdhcp_target(lab: Lab) -> tuple[list[str], list[str]]:
    """perfdhcp acts as a relay from the tester's veth address and unicasts to the server."""
    return ["-4", "-l", str(lab.tester.ipv4.ip)], [str(lab.sut.ipv4.ip)]


def write_leases(path: str, count: int, now: float | None = None) -> None:
    """A Kea v4 memfile with `count` valid leases in subnet 1, expiring an hour from now."""
    now = int(now if now is not None else time.time())
    first = int(ipaddress.IPv4Network(SUBNET)[1])
    expire = now + VALID_LIFETIME
    lines = [LEASE_HEADER]
    for i in range(count):
        mac = "02:bb:" + ":".join(f"{b:02x}" for b in i.to_bytes(4, "big"))
        lines.append(f"{ipaddress.IPv4Address(first + i)},{mac},01:{mac},{VALID_LIFETIME},{expire},1,0,0,,0,")
    Path(path).write_text("\n".join(lines) + "\n")


FAMILY = Family(version=4, exchanges=EXCHANGES, build_model=build_model, perfdhcp_target=perfdhcp_target,
                write_leases=lambda path, count, model: write_leases(path, count),
                assigned_statistic="subnet[1].assigned-addresses")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.dhcp4",
        description="Side-by-side DHCPv4 benchmark of kea-dhcp4 and lessor with perfdhcp in a private "
                    "namespace lab (needs root). Same configuration for both: subnet 198.18.0.0/15 reached "
                    "through the tester as relay, valid-lifetime 3600, memfile with persist.")
    add_arguments(p)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return run(FAMILY, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

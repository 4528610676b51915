"""Lab topology, read from a YAML file (see lab/default.yaml)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# The only address ranges a lab may use (documentation and benchmark ranges).
ALLOWED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15", "2001:db8::/32")
)
LINK_LOCAL = ipaddress.ip_network("fe80::/10")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LAB = REPO_ROOT / "lab" / "default.yaml"


class LabError(Exception):
    """A lab file is invalid, or the lab cannot be built."""


@dataclass(frozen=True)
class Relay:
    iface: str
    ipv4: ipaddress.IPv4Interface
    ipv6: ipaddress.IPv6Interface


@dataclass(frozen=True)
class Endpoint:
    netns: str
    iface: str
    mac: str
    ipv4: ipaddress.IPv4Interface
    ipv6: ipaddress.IPv6Interface
    link_local: ipaddress.IPv6Address
    relay: Relay | None = None
    routes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lab:
    name: str
    path: Path
    tester: Endpoint
    sut: Endpoint
    host: dict = field(default_factory=dict)

    @property
    def namespaces(self) -> tuple[str, str]:
        return (self.tester.netns, self.sut.netns)


def _check_address(where: str, addr) -> None:
    if addr.version == 6 and addr in LINK_LOCAL:
        return
    if not any(addr in net for net in ALLOWED_NETWORKS if net.version == addr.version):
        raise LabError(f"{where}: {addr} is outside the documentation and benchmark ranges")


def _interface(where: str, text: str, version: int):
    try:
        value = ipaddress.ip_interface(str(text))
    except ValueError as exc:
        raise LabError(f"{where}: {exc}") from None
    if value.version != version:
        raise LabError(f"{where}: expected an IPv{version} address/prefix, got {text}")
    _check_address(where, value.ip)
    return value


def _endpoint(name: str, data: dict) -> Endpoint:
    if not isinstance(data, dict):
        raise LabError(f"{name}: expected a mapping")
    missing = {"netns", "iface", "mac", "ipv4", "ipv6", "link_local"} - set(data)
    if missing:
        raise LabError(f"{name}: missing keys {', '.join(sorted(missing))}")
    relay = None
    if data.get("relay"):
        r = data["relay"]
        relay = Relay(
            iface=str(r["iface"]),
            ipv4=_interface(f"{name}.relay.ipv4", r["ipv4"], 4),
            ipv6=_interface(f"{name}.relay.ipv6", r["ipv6"], 6),
        )
    link_local = ipaddress.IPv6Address(str(data["link_local"]))
    if link_local not in LINK_LOCAL:
        raise LabError(f"{name}.link_local: {link_local} is not a link-local address")
    routes = tuple(str(r) for r in data.get("routes", ()))
    for route in routes:
        dest, _, via = route.partition(" via ")
        _check_address(f"{name}.routes", ipaddress.ip_network(dest.strip()).network_address)
        _check_address(f"{name}.routes", ipaddress.ip_address(via.strip()))
    return Endpoint(
        netns=str(data["netns"]),
        iface=str(data["iface"]),
        mac=str(data["mac"]).lower(),
        ipv4=_interface(f"{name}.ipv4", data["ipv4"], 4),
        ipv6=_interface(f"{name}.ipv6", data["ipv6"], 6),
        link_local=link_local,
        relay=relay,
        routes=routes,
    )


def load_lab(path: str | os.PathLike | None = None) -> Lab:
    """Read a lab file; None means $FORGE_LAB or lab/default.yaml."""
    path = Path(path or os.environ.get("FORGE_LAB") or DEFAULT_LAB)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise LabError(f"cannot read lab file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise LabError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or "tester" not in data or "sut" not in data:
        raise LabError(f"{path}: a lab needs 'tester' and 'sut' sections")
    return Lab(
        name=str(data.get("name", path.stem)),
        path=path.resolve(),
        tester=_endpoint("tester", data["tester"]),
        sut=_endpoint("sut", data["sut"]),
        host=dict(data.get("host") or {}),
    )

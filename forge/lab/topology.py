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
    #: A physical interface of this machine that forge moves into the tester namespace instead of
    #: building a veth pair (the SUT is then a remote machine on that link); None for the veth lab.
    device: str | None = None


@dataclass(frozen=True)
class SutHost:
    """How forge reaches the SUT's host (`sut.host` in a lab file); type "local" runs it in the SUT namespace."""

    type: str = "local"
    address: str = ""
    port: int = 22
    user: str = "root"
    key: str | None = None
    sudo: bool = False
    known_hosts: str | None = None
    lessor: str | None = None
    workroot: str = "/tmp"


@dataclass(frozen=True)
class Lab:
    name: str
    path: Path
    tester: Endpoint
    sut: Endpoint
    host: dict = field(default_factory=dict)
    sut_host: SutHost = field(default_factory=SutHost)

    @property
    def remote_sut(self) -> bool:
        """True when the SUT is another machine: only the tester side is built here."""
        return self.tester.device is not None

    @property
    def lab_sshd(self) -> bool:
        """True when `forge lab up` runs an sshd in the SUT namespace (the SSH variant of the local lab)."""
        return self.sut_host.type == "ssh" and not self.remote_sut

    @property
    def namespaces(self) -> tuple[str, ...]:
        """The namespaces built on this machine."""
        return (self.tester.netns,) if self.remote_sut else (self.tester.netns, self.sut.netns)


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


def _endpoint(name: str, data: dict, netns_optional: bool = False) -> Endpoint:
    if not isinstance(data, dict):
        raise LabError(f"{name}: expected a mapping")
    needed = {"iface", "mac", "ipv4", "ipv6", "link_local"} | (set() if netns_optional else {"netns"})
    missing = needed - set(data)
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
        netns=str(data.get("netns") or ""),
        iface=str(data["iface"]),
        mac=str(data["mac"]).lower(),
        ipv4=_interface(f"{name}.ipv4", data["ipv4"], 4),
        ipv6=_interface(f"{name}.ipv6", data["ipv6"], 6),
        link_local=link_local,
        relay=relay,
        routes=routes,
        device=str(data["device"]) if data.get("device") else None,
    )


_HOST_KEYS = {"type", "address", "port", "user", "key", "sudo", "known_hosts", "lessor", "workroot"}


def _sut_host(data, sut: Endpoint, remote: bool) -> SutHost:
    """`sut.host`: absent means local. The SSH address of a remote SUT is its management address, used only
    for SSH, so it is not range-checked; the lab's own sshd listens on the SUT's lab address only."""
    if data is None:
        if remote:
            raise LabError("sut.host: a remote SUT (tester.device set) must be reached over SSH (type: ssh)")
        return SutHost()
    if not isinstance(data, dict):
        raise LabError("sut.host: expected a mapping")
    unknown = set(data) - _HOST_KEYS
    if unknown:
        raise LabError(f"sut.host: unknown keys {', '.join(sorted(unknown))}")
    kind = str(data.get("type", "local"))
    if kind == "local":
        if remote:
            raise LabError("sut.host: a remote SUT (tester.device set) must be reached over SSH (type: ssh)")
        return SutHost()
    if kind != "ssh":
        raise LabError(f"sut.host.type: {kind!r} is neither local nor ssh")
    address = str(data.get("address") or (sut.ipv4.ip if not remote else ""))
    if not address:
        raise LabError("sut.host.address: a remote SUT needs its SSH (management) address")
    if not remote and address != str(sut.ipv4.ip):
        raise LabError(f"sut.host.address: the lab's sshd listens on the SUT's lab address {sut.ipv4.ip}, "
                       f"not {address}")
    try:
        port = int(data.get("port", 22))
    except (TypeError, ValueError):
        raise LabError(f"sut.host.port: {data.get('port')!r} is not a port number") from None
    if not 0 < port < 65536:
        raise LabError(f"sut.host.port: {port} is not a port number")
    workroot = str(data.get("workroot", "/tmp"))
    if not workroot.startswith("/"):
        raise LabError(f"sut.host.workroot: {workroot!r} is not an absolute path")
    return SutHost(
        type="ssh", address=address, port=port, user=str(data.get("user", "root")),
        key=os.path.expanduser(str(data["key"])) if data.get("key") else None, sudo=bool(data.get("sudo", False)),
        known_hosts=os.path.expanduser(str(data["known_hosts"])) if data.get("known_hosts") else None,
        lessor=str(data["lessor"]) if data.get("lessor") else None, workroot=workroot,
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
    tester = _endpoint("tester", data["tester"])
    remote = tester.device is not None
    sut_data = data["sut"]
    sut = _endpoint("sut", sut_data, netns_optional=remote)
    if not remote and tester.netns == sut.netns:
        raise LabError("tester.netns and sut.netns must differ")
    return Lab(
        name=str(data.get("name", path.stem)),
        path=path.resolve(),
        tester=tester,
        sut=sut,
        host=dict(data.get("host") or {}),
        sut_host=_sut_host(sut_data.get("host") if isinstance(sut_data, dict) else None, sut, remote),
    )

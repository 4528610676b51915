"""The Dibbler adapter: dibbler-server 1.0.1 from Debian's package, DHCPv6 only.

Dibbler has no option for its working directory: it reads /etc/dibbler/server.conf, keeps its state
(server-AddrMgr.xml, server-duid, server.pid, ...) in /var/lib/dibbler and logs to
/var/log/dibbler/dibbler-server.log. The adapter runs it in a private mount namespace (`unshare --mount`)
inside the SUT's network namespace, with the scenario's own folders bind-mounted over those three, so the
host's files are never touched and each scenario starts from an empty lease database.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
from dataclasses import replace

from forge.adapters.base import ServerStartError, SutAdapter, poll
from forge.hosts import Process
from forge.leases import Lease
from forge.leases_dibbler import parse_dibbler_addrmgr
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel, Subnet

#: The folders Dibbler uses, and the work folder's sub-folder bind-mounted over each.
SYSTEM_DIRS = (("etc", "/etc/dibbler"), ("lib", "/var/lib/dibbler"), ("log", "/var/log/dibbler"))

#: Kea-style option names and Dibbler's `option` keywords for them (RFC 8415 and companions).
_OPTION_KEYWORDS = {
    "dns-servers": "dns-server",
    "domain-search": "domain",
    "sntp-servers": "ntp-server",
    "nis-servers": "nis-server",
    "nis-domain-name": "nis-domain",
    "nisp-servers": "nis+-server",
    "nisp-domain-name": "nis+-domain",
    "sip-server-addr": "sip-server",
    "sip-server-dns": "sip-domain",
    "information-refresh-time": "lifetime",
    "aftr-name": "aftr",
}


def _hex(text: str) -> str:
    """A DUID or hex value as Dibbler writes it: 0x and the bytes."""
    return "0x" + text.replace(":", "").replace(" ", "").lower()


def _quote(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _option_line(option: OptionData) -> str:
    if option.name == "preference":
        return f"preference {int(option.data)}"
    keyword = _OPTION_KEYWORDS.get(option.name or "")
    if keyword is not None:
        return f"option {keyword} {option.data}"
    if option.code is not None and not option.csv_format:
        # Dibbler's custom options: a code and raw bytes.
        return f"option {option.code} duid {_hex(option.data)}"
    raise ServerStartError(f"the dibbler adapter cannot render option {option.name or option.code} "
                           f"(known: {', '.join(sorted(_OPTION_KEYWORDS))}, or a code with raw hex data)")


def _pool_range(pool: Pool) -> str:
    first, last = pool.bounds
    return f"{first}-{last}"


class DibblerAdapter(SutAdapter):
    name = "dibbler"
    capabilities = frozenset({"v6", "relay", "pd", "rapid-commit", "reservations", "decline", "confirm"})
    start_timeout = 15.0

    def __init__(self, host, lab, workdir):
        super().__init__(host, lab, workdir)
        self._output_start = 0

    # -- paths -----------------------------------------------------
    def _path(self, *parts: str) -> str:
        return os.path.join(self.workdir, *parts)

    @property
    def config_path(self) -> str:
        return self._path("etc", "server.conf")

    @property
    def lease_path(self) -> str:
        return self._path("lib", "server-AddrMgr.xml")

    @property
    def duid_path(self) -> str:
        return self._path("lib", "server-duid")

    @property
    def output_path(self) -> str:
        return self._path("dibbler-server.out")

    def lease_files(self) -> list[str]:
        return [self.lease_path]

    def log_files(self) -> list[str]:
        return [self._path("log", "dibbler-server.log"), self.output_path]

    # -- rendering -------------------------------------------------
    def _lifetimes(self, model: ServerModel, subnet: Subnet) -> list[str]:
        lines = []
        for attr, keyword in (("renew_timer", "T1"), ("rebind_timer", "T2"),
                              ("preferred_lifetime", "prefered-lifetime"), ("valid_lifetime", "valid-lifetime")):
            value = getattr(subnet, attr)
            if value is None:
                value = getattr(model, attr)
            if value is not None:
                lines.append(f"{keyword} {value}")
        return lines

    def _classes(self, model: ServerModel, subnet: Subnet) -> list[str]:
        lifetimes = self._lifetimes(model, subnet)
        lines = []
        for pool in subnet.pools:
            lines += ["class {", f"  pool {_pool_range(pool)}", *(f"  {x}" for x in lifetimes), "}"]
        for pd in subnet.pd_pools:
            lines += self._pd_class(pd, lifetimes)
        return lines

    @staticmethod
    def _pd_class(pd: PdPool, lifetimes: list[str]) -> list[str]:
        if pd.excluded_prefix:
            raise ServerStartError("dibbler-server 1.0.1 cannot exclude a prefix (RFC 6603) from a pd-pool")
        return ["pd-class {", f"  pd-pool {pd.prefix}/{pd.prefix_len}", f"  pd-length {pd.delegated_len}",
                *(f"  {x}" for x in lifetimes), "}"]

    @staticmethod
    def _client(r: Reservation) -> list[str]:
        if not r.duid:
            raise ServerStartError("dibbler-server reservations are by DUID only (client duid ...)")
        body = [f"  address {a}" for a in r.ip_addresses] + [f"  prefix {p}" for p in r.prefixes]
        body += [f"  {_option_line(o)}" for o in r.options]
        return [f"client duid {_hex(r.duid)} {{", *body, "}"]

    @staticmethod
    def _options(model: ServerModel, subnets: list[Subnet]) -> list[str]:
        """Dibbler has options per interface only: the global ones, overridden by the subnets' and pools'."""
        merged: dict[str | int | None, OptionData] = {}
        for option in model.options:
            merged[option.name or option.code] = option
        for subnet in subnets:
            for option in subnet.options + [o for p in subnet.pools for o in p.options]:
                merged[option.name or option.code] = option
        return [_option_line(o) for o in merged.values()]

    def _iface(self, model: ServerModel, name: str, subnets: list[Subnet], head: list[str]) -> list[str]:
        # The subnets tell Dibbler which addresses are on the link (CONFIRM, REBIND, relay link-address).
        body = list(head) + [f"subnet {s.network}" for s in subnets]
        rapid = [s.rapid_commit if s.rapid_commit is not None else model.rapid_commit for s in subnets]
        if any(rapid):
            body.append("rapid-commit yes")
        for subnet in subnets:
            body += self._classes(model, subnet)
        body += self._options(model, subnets)
        for subnet in subnets:
            for r in subnet.reservations:
                body += self._client(r)
        return [f"iface {_quote(name)} {{", *(f"  {line}" for line in body), "}"]

    def render_text(self, model: ServerModel) -> str:
        if model.version != 6:
            raise ServerStartError("dibbler-server is a DHCPv6 server only")
        sut_iface = self.lab.sut.iface
        direct: dict[str, list[Subnet]] = {}
        relayed: list[Subnet] = []
        for subnet in model.subnets:
            if subnet.direct and subnet.interface_id is None:
                direct.setdefault(subnet.interface or sut_iface, []).append(subnet)
            else:
                relayed.append(subnet)
        lines = ["# Rendered by forge for dibbler-server 1.0.1.", "log-level 8", "log-mode full"]
        if any(s.interface_id is None for s in relayed):
            # The model does not say which interface-id those relays send; without guess-mode Dibbler
            # drops a RELAY-FORW whose interface-id matches no configured relay.
            lines.append("guess-mode")
        for name, subnets in direct.items():
            lines += self._iface(model, name, subnets, [])
        for index, subnet in enumerate(relayed, start=1):
            head = [f"relay {_quote(subnet.interface or sut_iface)}"]
            if subnet.interface_id is not None:
                value = subnet.interface_id
                head.append(f"interface-id {value if value.startswith('0x') else _quote(value)}")
            if index == 1:
                # Relays send to the server's global address, where Dibbler only listens when told to; the
                # socket belongs to the underlying interface. Dibbler then also sends the Server Unicast
                # option to relayed clients.
                head.append(f"unicast {self.lab.sut.ipv6.ip}")
            lines += self._iface(model, f"relay{index}", [subnet], head)
        return "\n".join(lines) + "\n"

    def render(self, model: ServerModel) -> dict[str, str]:
        files = {self.config_path: self.render_text(model)}
        if model.server_id:
            files[self.duid_path] = ":".join(f"{b:02x}" for b in bytes.fromhex(_hex(model.server_id)[2:])) + "\n"
        return files

    # -- process ---------------------------------------------------
    def command_line(self) -> list[str]:
        """dibbler-server in a private mount namespace with the work folders over its fixed ones."""
        mounts = " && ".join(f"mount --bind {shlex.quote(self._path(sub))} {target}" for sub, target in SYSTEM_DIRS)
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", f"{mounts} && exec dibbler-server run"]

    def _launch(self, model: ServerModel) -> Process:
        for sub, target in SYSTEM_DIRS:
            self.host.makedirs(self._path(sub))
            if not self.host.run(["test", "-d", target], check=False).ok:
                raise ServerStartError(f"{target} is missing: install dibbler-server (scripts/setup)")
        # Dibbler refuses to start when the PID in its PID file is a running dibbler-server: the previous run's
        # PID may since belong to another lab's Dibbler.
        self.host.run(["rm", "-f", self._path("lib", "server.pid")], check=False)
        # The output file grows across restarts: readiness and idleness look only at this run's part.
        self._output_start = len(self.host.read_text(self.output_path))
        return self.host.spawn(self.command_line(), log_path=self.output_path)


    def _output(self) -> str:
        return self.host.read_text(self.output_path)[self._output_start:]

    def _ready(self, model: ServerModel) -> bool:
        return "Accepting connections" in self._output() and self.udp_port_bound(547)

    def _idle(self) -> bool:
        """Dibbler saves its lease database after every message, then logs that it waits for the next one."""
        lines = self._output().strip().splitlines()
        return bool(lines) and "Accepting connections" in lines[-1]

    def leases(self) -> list[Lease]:
        if self.running():
            poll(self._idle, 3.0)
        leases = parse_dibbler_addrmgr(self.host.read_text(self.lease_path))
        subnets = self.model.subnets if self.model is not None else []
        return [replace(lease, subnet_id=_subnet_id(subnets, lease.address)) for lease in leases]


def _subnet_id(subnets: list[Subnet], address: str) -> int | None:
    """Dibbler keeps no subnet in its leases: the model's subnet that holds the address (or delegates it)."""
    addr = ipaddress.ip_address(address)
    for subnet in subnets:
        if addr in subnet.network or any(
                addr in ipaddress.ip_network(f"{pd.prefix}/{pd.prefix_len}", strict=False) for pd in subnet.pd_pools):
            return subnet.id
    return None

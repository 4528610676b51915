"""The ISC DHCP adapter: `dhcpd -4` and `dhcpd -6` (isc-dhcp-server 4.4.3 from Debian).

dhcpd runs in the foreground in the SUT's namespace with its configuration, lease file, PID file and log
in the scenario's work folder (nothing under /etc/dhcp or /var/lib/dhcp). It has no reload: a new
configuration means a restart, which keeps the lease file.
"""

from __future__ import annotations

import os

from forge.adapters.base import ServerStartError, SutAdapter
from forge.adapters.iscdhcp_conf import render_dhcpd_conf
from forge.adapters.iscdhcp_ddns import count_dns_updates
from forge.dnsmodel import DnsModel
from forge.hosts import Process
from forge.leases import Lease
from forge.leases_dhcpd import parse_dhcpd_leases
from forge.model import ServerModel


class IscDhcpAdapter(SutAdapter):
    name = "iscdhcp"
    #: ddns: dhcpd updates DNS itself (forge/adapters/iscdhcp_ddns.py; "the DHCP-DDNS daemon" is built in).
    #: Not claimed: ddns-d2 and kea-ncr (there is no DHCP-DDNS daemon, and no NameChangeRequest protocol).
    capabilities = frozenset({
        "v4", "v6", "relay", "pd", "rapid-commit", "echo-client-id", "match-client-id", "reservations", "ddns",
    })
    daemon = "dhcpd"

    def __init__(self, host, lab, workdir):
        super().__init__(host, lab, workdir)
        self._version = 4
        #: The scenario's DNS side, once "the DHCP-DDNS daemon" (built in: forge/adapters/builtin_d2.py) starts.
        self.dns: DnsModel | None = None

    # -- paths -----------------------------------------------------
    def _path(self, name: str) -> str:
        return os.path.join(self.workdir, name)

    @property
    def config_path(self) -> str:
        return self._path(f"dhcpd{self._version}.conf")

    @property
    def lease_path(self) -> str:
        return self._path(f"dhcpd{self._version}.leases")

    @property
    def pid_path(self) -> str:
        return self._path(f"dhcpd{self._version}.pid")

    def lease_files(self) -> list[str]:
        return [self.lease_path]

    def log_files(self) -> list[str]:
        return [self._path(f"dhcpd{self._version}.log")]

    def command_line(self, check: bool) -> list[str]:
        """Check the configuration (-t) or run in the foreground, logging to stderr (-f -d)."""
        argv = [self.daemon, f"-{self._version}", "-cf", self.config_path]
        if check:
            return [*argv, "-t"]
        return [*argv[:2], "-f", "-d", *argv[2:], "-lf", self.lease_path, "-pf", self.pid_path, self.lab.sut.iface]

    # -- rendering -------------------------------------------------
    def render(self, model: ServerModel) -> dict[str, str]:
        self._version = model.version
        sut = self.lab.sut
        address = (sut.ipv4 if model.version == 4 else sut.ipv6).ip
        return {self.config_path: render_dhcpd_conf(model, address, dns=self.dns)}

    # -- DNS updates (dhcpd's own) ---------------------------------
    def use_dns(self, dns: DnsModel) -> None:
        self.dns = dns

    def dns_update_counts(self) -> dict[str, int]:
        return count_dns_updates(self.host.read_text(self.log_files()[0]))

    # -- process ---------------------------------------------------
    def _launch(self, model: ServerModel) -> Process:
        self._version = model.version
        check = self.host.run(self.command_line(check=True), check=False)
        if not check.ok:
            raise ServerStartError(f"dhcpd -{self._version} rejected the configuration {self.config_path}:\n"
                                   f"{(check.stdout + check.stderr).strip()[-3000:]}")
        if not self.host.exists(self.lease_path):
            self.host.put_file(self.lease_path, "")
        self.host.run(["rm", "-f", self.pid_path], check=False)  # readiness waits for the new one
        return self.host.spawn(self.command_line(check=False), log_path=self.log_files()[0])


    def _ready(self, model: ServerModel) -> bool:
        # dhcpd writes its PID file once it has read its leases and opened its sockets.
        return self.host.exists(self.pid_path) and self.udp_port_bound(self.server_port(model))

    def leases(self) -> list[Lease]:
        return parse_dhcpd_leases(self.host.read_text(self.lease_path))

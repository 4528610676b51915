"""The lab's DNS server: BIND9 `named -g` in the SUT's namespace, authoritative for the scenario's zones,
accepting dynamic updates (RFC 2136) only when signed with the zone's TSIG key (RFC 8945).

Everything named writes (zones, journals, pid file, session key, managed keys) stays in its work folder."""

from __future__ import annotations

import os

from forge.adapters.daemon import Daemon
from forge.dnsmodel import TSIG_ALGORITHMS, DnsModel, Zone
from forge.hosts import Host, HostError
from forge.lab import Lab

SOA_TIMERS = "1 3600 600 86400 60"  # serial refresh retry expire negative-TTL


def _quote(text: str) -> str:
    if '"' in text or "\\" in text:
        raise ValueError(f"{text!r}: quotes and backslashes are not allowed in named.conf names")
    return f'"{text}"'


class Bind9Server(Daemon):
    name = "named"

    def __init__(self, host: Host, lab: Lab, workdir: str):
        super().__init__(host, workdir)
        self.lab = lab
        self.model: DnsModel | None = None

    # -- paths -----------------------------------------------------
    def _path(self, name: str) -> str:
        return os.path.join(self.workdir, name)

    @property
    def config_path(self) -> str:
        return self._path("named.conf")

    @property
    def output_path(self) -> str:
        return self._path("named.log")

    def zone_path(self, zone: Zone) -> str:
        return self._path(f"{zone.name.rstrip('.')}.zone")

    def log_files(self) -> list[str]:
        return [self.output_path]

    def journal_files(self) -> list[str]:
        return [self.zone_path(z) + ".jnl" for z in (self.model.zones if self.model else [])]

    # -- rendering -------------------------------------------------
    def nameserver(self, model: DnsModel) -> str:
        forward = model.forward_zones
        return f"ns.{forward[0].name}" if forward else "ns.example.com."

    def zone_file(self, model: DnsModel, zone: Zone) -> str:
        ns = self.nameserver(model)
        lines = [
            "$TTL 300",
            f"{zone.name} IN SOA {ns} hostmaster.{ns.removeprefix('ns.')} ( {SOA_TIMERS} )",
            f"{zone.name} IN NS {ns}",
        ]
        if ns.endswith("." + zone.name):  # the name server's own addresses, in its zone
            lines.append(f"{ns} IN A {self.lab.sut.ipv4.ip}")
            lines.append(f"{ns} IN AAAA {self.lab.sut.ipv6.ip}")
        return "\n".join(lines) + "\n"

    def config(self, model: DnsModel) -> str:
        sut = self.lab.sut
        wd = _quote(self.workdir)
        out = [
            "// Rendered by forge for one scenario: an authoritative-only server for the lab's zones.",
            "options {",
            f"    directory {wd};",
            f"    pid-file {_quote(self._path('named.pid'))};",
            f"    session-keyfile {_quote(self._path('session.key'))};",
            f"    managed-keys-directory {wd};",
            f"    dump-file {_quote(self._path('named_dump.db'))};",
            f"    statistics-file {_quote(self._path('named.stats'))};",
            f"    listen-on port {model.dns_port} {{ 127.0.0.1; {sut.ipv4.ip}; }};",
            f"    listen-on-v6 port {model.dns_port} {{ ::1; {sut.ipv6.ip}; }};",
            "    recursion no;",
            "    dnssec-validation no;",
            "    notify no;",
            "    allow-query { any; };",
            "    allow-transfer { none; };",
            "};",
            "controls { };",
            "",
        ]
        for key in model.keys.values():
            out += [f"key {_quote(key.name)} {{",
                    f"    algorithm {TSIG_ALGORITHMS[key.algorithm]};",
                    f"    secret {_quote(key.secret)};",
                    "};"]
        for zone in model.zones:
            if zone.key not in model.keys:
                raise ValueError(f"zone {zone.name} needs TSIG key {zone.key}, which is not defined")
            out += [f"zone {_quote(zone.name)} {{",
                    "    type primary;",
                    f"    file {_quote(self.zone_path(zone))};",
                    f"    allow-update {{ key {_quote(zone.key)}; }};",
                    "};"]
        return "\n".join(out) + "\n"

    def render(self, model: DnsModel) -> dict[str, str]:
        if not model.zones:
            raise ValueError("the DNS server has no zone to serve")
        files = {self.config_path: self.config(model)}
        for zone in model.zones:
            files[self.zone_path(zone)] = self.zone_file(model, zone)
        return files

    # -- process ---------------------------------------------------
    def start(self, model: DnsModel) -> None:
        self.model = model
        # Fresh zones: no journal from an earlier start may replay old records onto them.
        for journal in self.journal_files():
            self.host.run(["rm", "-f", journal], check=False)
        super().start(model)

    def check(self) -> None:
        try:
            result = self.host.run(["named-checkconf", self.config_path], check=False, timeout=10)
        except HostError:
            return  # no checker on this host: named itself will say what is wrong
        if not result.ok:
            raise ValueError(f"named-checkconf refused {self.config_path}:\n"
                             f"{(result.stdout + result.stderr).strip()[-2000:]}")

    def command_line(self) -> list[str]:
        return ["named", "-g", "-c", self.config_path]

    def ready(self) -> bool:
        """Every zone answers its SOA on the address D2 uses."""
        model = self.model
        for zone in model.zones:
            try:
                result = self.host.run(["dig", "+short", "+time=1", "+tries=1", "-p", str(model.dns_port),
                                        f"@{model.dns_address}", zone.name, "SOA"], check=False, timeout=5)
            except HostError:
                return False
            if not result.ok or not result.stdout.strip():
                return False
        return True

    def collect(self, dest) -> None:
        super().collect(dest)
        for journal in self.journal_files():
            try:
                (dest / os.path.basename(journal)).write_bytes(self.host.get_file(journal))
            except FileNotFoundError:
                continue

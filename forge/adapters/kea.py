"""The Kea 2.2 adapter: kea-dhcp4 and kea-dhcp6 from Debian's packages."""

from __future__ import annotations

import json
import os

from forge.adapters.base import SutAdapter
from forge.hosts import Process
from forge.leases import Lease, parse_kea_memfile
from forge.model import OptionData, PdPool, Pool, Reservation, ServerModel, Subnet


def _options(options: list[OptionData]) -> list[dict]:
    out = []
    for o in options:
        entry: dict = {"name": o.name} if o.name else {"code": o.code}
        if o.name and o.code is not None:
            entry["code"] = o.code
        entry["data"] = o.data
        if o.space:
            entry["space"] = o.space
        if not o.csv_format:
            entry["csv-format"] = False
        if o.always_send:
            entry["always-send"] = True
        out.append(entry)
    return out


def _pool(pool: Pool) -> dict:
    entry: dict = {"pool": pool.range}
    if pool.options:
        entry["option-data"] = _options(pool.options)
    return entry


def _pd_pool(pd: PdPool) -> dict:
    entry: dict = {"prefix": pd.prefix, "prefix-len": pd.prefix_len, "delegated-len": pd.delegated_len}
    if pd.excluded_prefix:
        entry["excluded-prefix"] = pd.excluded_prefix
        entry["excluded-prefix-len"] = pd.excluded_prefix_len
    return entry


def _reservation(r: Reservation, version: int) -> dict:
    entry: dict = {}
    if r.hw_address:
        entry["hw-address"] = r.hw_address
    if r.client_id and version == 4:
        entry["client-id"] = r.client_id
    if r.duid:
        entry["duid"] = r.duid
    if version == 4 and r.ip_address:
        entry["ip-address"] = r.ip_address
    if version == 6:
        if r.ip_addresses:
            entry["ip-addresses"] = list(r.ip_addresses)
        if r.prefixes:
            entry["prefixes"] = list(r.prefixes)
    if r.hostname:
        entry["hostname"] = r.hostname
    if r.options:
        entry["option-data"] = _options(r.options)
    return entry


_TIMERS = (
    ("valid_lifetime", "valid-lifetime"),
    ("renew_timer", "renew-timer"),
    ("rebind_timer", "rebind-timer"),
    ("match_client_id", "match-client-id"),
    ("authoritative", "authoritative"),
)


class KeaAdapter(SutAdapter):
    name = "kea"
    capabilities = frozenset({
        "v4", "v6", "relay", "relay-v6-nested", "pd", "rapid-commit", "echo-client-id",
        "match-client-id", "reservations", "authoritative", "decline", "inform", "confirm", "ddns",
        "kea-ncr", "ddns-d2",
    })

    #: Prefix of the files the adapter writes in its work folder.
    file_prefix = "kea"
    #: Severity of the rendered logger: DEBUG for conformance artifacts; benchmarks set INFO or WARN,
    #: since debug logging slows the server down a lot.
    log_severity = "DEBUG"

    def __init__(self, host, lab, workdir):
        super().__init__(host, lab, workdir)
        self._version = 4
        #: DHCPv6: keep the server DUID in `data_directory` across restarts (`server-id.persist`).
        #: Off by default, so every start generates a fresh DUID and writes nothing outside workdir.
        self.server_id_persist = False
        #: Where a persisted server DUID is kept (`data-directory`); None means the work folder.
        self.data_directory: str | None = None

    # -- paths -----------------------------------------------------
    def _path(self, name: str) -> str:
        return os.path.join(self.workdir, name)

    @property
    def daemon(self) -> str:
        return f"kea-dhcp{self._version}"

    @property
    def config_path(self) -> str:
        return self._path(f"{self.file_prefix}-dhcp{self._version}.conf")

    @property
    def lease_path(self) -> str:
        return self._path(f"{self.file_prefix}-leases{self._version}.csv")

    @property
    def socket_path(self) -> str:
        return self._path(f"{self.file_prefix}{self._version}.sock")

    def lease_files(self) -> list[str]:
        return [self.lease_path]

    def log_files(self) -> list[str]:
        stem = f"{self.file_prefix}-dhcp{self._version}"
        return [self._path(f"{stem}.log"), self._path(f"{stem}.out")]

    def command_line(self, check: bool) -> list[str]:
        """The daemon's command line: check the configuration (-t) or run it (-c)."""
        return [self.daemon, "-t" if check else "-c", self.config_path]

    # -- rendering -------------------------------------------------
    def _subnet(self, s: Subnet, version: int) -> dict:
        entry: dict = {"id": s.id, "subnet": s.prefix, "pools": [_pool(p) for p in s.pools]}
        if version == 6 and s.pd_pools:
            entry["pd-pools"] = [_pd_pool(p) for p in s.pd_pools]
        if s.options:
            entry["option-data"] = _options(s.options)
        if s.relay_addresses:
            entry["relay"] = {"ip-addresses": list(s.relay_addresses)}
        interface = s.interface or (self.lab.sut.iface if s.direct else None)
        if s.interface_id is not None:
            entry["interface-id"] = s.interface_id
        elif interface:
            entry["interface"] = interface
        if s.reservations:
            entry["reservations"] = [_reservation(r, version) for r in s.reservations]
        if version == 6:
            if s.rapid_commit is not None:
                entry["rapid-commit"] = s.rapid_commit
            if s.preferred_lifetime is not None:
                entry["preferred-lifetime"] = s.preferred_lifetime
        for attr, key in _TIMERS:
            value = getattr(s, attr)
            if value is not None and (version == 4 or key not in ("match-client-id", "authoritative")):
                entry[key] = value
        entry.update(s.ddns)
        return entry

    def render_dict(self, model: ServerModel) -> dict:
        v = model.version
        sut = self.lab.sut
        root: dict = {
            "control-socket": {"socket-type": "unix", "socket-name": self.socket_path},
            "lease-database": {"type": "memfile", "persist": True, "name": self.lease_path,
                               "lfc-interval": 0},
            "loggers": [{
                "name": f"kea-dhcp{v}",
                "output_options": [{"output": self.log_files()[0]}],
                "severity": self.log_severity,
                **({"debuglevel": 99} if self.log_severity == "DEBUG" else {}),
            }],
        }
        if v == 4:
            root["interfaces-config"] = {"interfaces": [sut.iface], "dhcp-socket-type": "raw"}
        else:
            # The unicast address too, so that relays can reach the server at its global address.
            root["interfaces-config"] = {"interfaces": [f"{sut.iface}/{sut.ipv6.ip}"]}
            root["server-id"] = {"type": "LLT", "persist": self.server_id_persist}
            if self.server_id_persist:
                root["data-directory"] = self.data_directory or self.workdir
        for attr, key in _TIMERS:
            value = getattr(model, attr)
            if value is not None and (v == 4 or key not in ("match-client-id", "authoritative")):
                root[key] = value
        if v == 6 and model.preferred_lifetime is not None:
            root["preferred-lifetime"] = model.preferred_lifetime
        if v == 4 and model.echo_client_id is not None:
            root["echo-client-id"] = model.echo_client_id
        if model.decline_probation_period is not None:
            root["decline-probation-period"] = model.decline_probation_period
        if model.options:
            root["option-data"] = _options(model.options)
        root.update(model.ddns)
        if model.dhcp_ddns is not None:
            root["dhcp-ddns"] = dict(model.dhcp_ddns)
        if model.expired_leases is not None:
            root["expired-leases-processing"] = dict(model.expired_leases)
        subnets = []
        for s in model.subnets:
            entry = self._subnet(s, v)
            if v == 6 and s.rapid_commit is None and model.rapid_commit is not None:
                entry["rapid-commit"] = model.rapid_commit
            subnets.append(entry)
        root[f"subnet{v}"] = subnets
        return {f"Dhcp{v}": root}

    def render(self, model: ServerModel) -> dict[str, str]:
        self._version = model.version
        return {self.config_path: json.dumps(self.render_dict(model), indent=2) + "\n"}

    # -- process ---------------------------------------------------
    def _launch(self, model: ServerModel) -> Process:
        self._version = model.version
        check = self.host.run(self.command_line(check=True), check=False, env=self._env())
        if not check.ok:
            from forge.adapters.base import ServerStartError

            raise ServerStartError(f"{self.daemon} rejected the configuration {self.config_path}:\n"
                                   f"{(check.stdout + check.stderr).strip()[-3000:]}")
        return self.host.spawn(self.command_line(check=False), log_path=self.log_files()[1], env=self._env())

    def _env(self) -> dict[str, str]:
        # Kea keeps its PID file and logger lock under /run/kea unless told otherwise;
        # keeping them in the scenario's own folder isolates scenarios and runs.
        return {"KEA_PIDFILE_DIR": self.workdir, "KEA_LOCKFILE_DIR": self.workdir}

    def command(self, command: str, arguments: dict | None = None, timeout: float = 5.0) -> dict:
        request: dict = {"command": command}
        if arguments is not None:
            request["arguments"] = arguments
        raw = self.host.unix_request(self.socket_path, json.dumps(request).encode(), timeout=timeout)
        answer = json.loads(raw.decode())
        return answer[0] if isinstance(answer, list) else answer


    def _ready(self, model: ServerModel) -> bool:
        try:
            answer = self.command("status-get", timeout=1.0)
        except (OSError, ValueError):
            return False
        return answer.get("result") == 0 and self.udp_port_bound(self.server_port(model))

    def _apply_reconfigure(self, model: ServerModel) -> None:
        from forge.adapters.base import ServerStartError

        if model.version != self._version:
            super()._apply_reconfigure(model)
            return
        self.write_config(model)
        answer = self.command("config-reload", timeout=10.0)
        if answer.get("result") != 0:
            raise ServerStartError(f"{self.daemon} refused the new configuration: {answer.get('text')}")

    def leases(self) -> list[Lease]:
        return parse_kea_memfile(self.host.read_text(self.lease_path))

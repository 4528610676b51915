"""DHCP-DDNS daemons (D2): kea-dhcp-ddns from Kea 2.2, and `lessor ddns`, which reads the same DhcpDdns JSON and
answers on the same control socket. Both run in the SUT's namespace, receive the DHCP server's NameChangeRequests on
127.0.0.1:53001 and send signed DNS updates to the lab's DNS server."""

from __future__ import annotations

import json
import os

from forge.adapters.base import ServerStartError, poll_until_quiet
from forge.adapters.daemon import Daemon
from forge.adapters.lessor import lessor_command
from forge.dnsmodel import BUILTIN_D2, D2_IMPLEMENTATIONS, DnsModel
from forge.hosts import Host

#: The statistics whose values say how far D2 has got with its work.
PROGRESS = ("ncr-received", "ncr-invalid", "ncr-error", "update-sent", "update-success", "update-error",
            "update-timeout")


class D2Adapter(Daemon):
    """What both implementations share: the rendered DhcpDdns JSON, the control socket, the statistics."""

    file_prefix = "d2"
    log_severity = "DEBUG"

    def __init__(self, host: Host, workdir: str):
        super().__init__(host, workdir)
        self.model: DnsModel | None = None

    # -- paths -----------------------------------------------------
    def _path(self, name: str) -> str:
        return os.path.join(self.workdir, name)

    @property
    def config_path(self) -> str:
        return self._path(f"{self.file_prefix}.conf")

    @property
    def socket_path(self) -> str:
        return self._path(f"{self.file_prefix}.sock")

    @property
    def log_path(self) -> str:
        return self._path(f"{self.file_prefix}.log")

    @property
    def output_path(self) -> str:
        return self._path(f"{self.file_prefix}.out")

    def log_files(self) -> list[str]:
        return [self.log_path, self.output_path]

    # -- rendering -------------------------------------------------
    def render_dict(self, model: DnsModel) -> dict:
        server = {"ip-address": model.dns_address, "port": model.dns_port}
        used_keys: list[str] = []

        def domains(zones) -> dict:
            out = []
            for zone in zones:
                entry: dict = {"name": zone.name, "dns-servers": [dict(server)]}
                if zone.d2_key:
                    entry["key-name"] = zone.d2_key
                    if zone.d2_key not in used_keys:
                        used_keys.append(zone.d2_key)
                out.append(entry)
            return {"ddns-domains": out}

        forward, reverse = domains(model.forward_zones), domains(model.reverse_zones)
        keys = [model.d2_key(name) for name in used_keys]
        return {"DhcpDdns": {
            "ip-address": model.d2_address,
            "port": model.d2_port,
            "dns-server-timeout": model.dns_timeout_ms,
            "control-socket": {"socket-type": "unix", "socket-name": self.socket_path},
            "tsig-keys": [{"name": k.name, "algorithm": k.algorithm, "secret": k.secret} for k in keys],
            "forward-ddns": forward,
            "reverse-ddns": reverse,
            "loggers": [{
                "name": "kea-dhcp-ddns",
                "output_options": [{"output": self.log_path}],
                "severity": self.log_severity,
                **({"debuglevel": 99} if self.log_severity == "DEBUG" else {}),
            }],
        }}

    def render(self, model: DnsModel) -> dict[str, str]:
        return {self.config_path: json.dumps(self.render_dict(model), indent=2) + "\n"}

    # -- process ---------------------------------------------------
    def start(self, model: DnsModel) -> None:
        self.model = model
        super().start(model)

    def check(self) -> None:
        result = self.host.run(self.check_line(), check=False, env=self.env(), timeout=15)
        if not result.ok:
            raise ServerStartError(f"{self.name} rejected the configuration {self.config_path}:\n"
                                   f"{(result.stdout + result.stderr).strip()[-3000:]}")

    def check_line(self) -> list[str]:
        raise NotImplementedError

    def command(self, command: str, arguments: dict | None = None, timeout: float = 5.0) -> dict:
        request: dict = {"command": command}
        if arguments is not None:
            request["arguments"] = arguments
        raw = self.host.unix_request(self.socket_path, json.dumps(request).encode(), timeout=timeout)
        answer = json.loads(raw.decode())
        return answer[0] if isinstance(answer, list) else answer

    def ready(self) -> bool:
        try:
            return self.command("status-get", timeout=1.0).get("result") == 0
        except (OSError, ValueError):
            return False

    def statistics(self) -> dict[str, int]:
        """{name: current value} from statistic-get-all (per-key statistics included)."""
        answer = self.command("statistic-get-all")
        if answer.get("result") != 0:
            raise ServerStartError(f"{self.name}: statistic-get-all failed: {answer.get('text')}")
        out = {}
        for name, samples in (answer.get("arguments") or {}).items():
            if samples:
                out[name] = int(samples[0][0])
        return out

    def settled(self, requests: int | None, quiet: float, timeout: float) -> tuple[bool, dict[str, int]]:
        """Wait until D2 has received `requests` NCRs (when given), every update it sent has an outcome, and
        the counters have not moved for `quiet` seconds. (True, counters) or (False, the last counters)."""
        def ready(stats: dict) -> bool:
            if requests is not None and stats.get("ncr-received", 0) < requests:
                return False
            finished = sum(stats.get(k, 0) for k in ("update-success", "update-error", "update-timeout"))
            return finished >= stats.get("update-sent", 0)

        return poll_until_quiet(self.statistics, lambda stats: tuple(stats.get(k, 0) for k in PROGRESS), ready,
                                quiet, timeout)


class KeaD2Adapter(D2Adapter):
    name = "kea-dhcp-ddns"
    file_prefix = "kea-dhcp-ddns"

    def command_line(self) -> list[str]:
        return ["kea-dhcp-ddns", "-c", self.config_path]

    def check_line(self) -> list[str]:
        return ["kea-dhcp-ddns", "-t", self.config_path]

    def env(self) -> dict[str, str]:
        # The PID file and logger lock in the scenario's folder, never under /run/kea.
        return {"KEA_PIDFILE_DIR": self.workdir, "KEA_LOCKFILE_DIR": self.workdir}


class LessorD2Adapter(D2Adapter):
    name = "lessor ddns"
    file_prefix = "lessor-ddns"

    def command_line(self) -> list[str]:
        return [lessor_command(), "ddns", "-c", self.config_path]

    def check_line(self) -> list[str]:
        return [lessor_command(), "ddns", "-t", self.config_path]


#: Each SUT's own D2 (BUILTIN_D2: the SUT updates DNS itself, see forge/adapters/builtin_d2.py).
DEFAULT_D2 = {"kea": "kea-dhcp-ddns", "lessor": "lessor ddns", "iscdhcp": BUILTIN_D2}


def d2_name(sut: str, choice: str | None) -> str:
    """The D2 a scenario runs: its choice, else the SUT's own."""
    if choice is None:
        if sut not in DEFAULT_D2:
            raise ValueError(f"{sut} has no DHCP-DDNS daemon of its own")
        return DEFAULT_D2[sut]
    if choice not in D2_IMPLEMENTATIONS:
        raise ValueError(f"unknown DHCP-DDNS daemon {choice!r}; one of {', '.join(D2_IMPLEMENTATIONS)}")
    return choice


def other_d2(sut: str) -> str:
    """The D2 of the other implementation (the mixed pair: lessor dhcp + kea-dhcp-ddns, or the reverse)."""
    own = DEFAULT_D2[sut]
    return next(name for name in D2_IMPLEMENTATIONS if name != own)


def d2_adapter(name: str, host: Host, workdir: str) -> D2Adapter:
    if name == "kea-dhcp-ddns":
        return KeaD2Adapter(host, workdir)
    if name == "lessor ddns":
        return LessorD2Adapter(host, workdir)
    raise ValueError(f"unknown DHCP-DDNS daemon {name!r}; one of {', '.join(D2_IMPLEMENTATIONS)}")

"""The "DHCP-DDNS daemon" of a SUT that updates DNS itself (ISC dhcpd): no process of its own.

Starting it hands the scenario's DNS model (zones, keys) to the SUT adapter, which renders them into the
server's configuration (restarting a running server); stopping it does nothing. Its progress comes from the
outcomes the DHCP server logs for its DNS updates (the adapter's `dns_update_counts`), counted the way D2 counts
NameChangeRequests, so the waits of forge/steps/dns.py work unchanged. D2 statistics and lifecycle steps stay
D2-only (the `ddns-d2` capability).
"""

from __future__ import annotations

from pathlib import Path

from forge.adapters.base import ServerStartError, SutAdapter, poll_until_quiet
from forge.dnsmodel import BUILTIN_D2, DnsModel


class BuiltinD2:
    """Looks like a D2Adapter to the DNS steps (start, stop, running, settled, statistics, log, collect)."""

    name = BUILTIN_D2

    def __init__(self, adapter: SutAdapter):
        self.adapter = adapter
        self.started = False

    def start(self, model: DnsModel) -> None:
        self.adapter.use_dns(model)
        self.started = True
        if self.adapter.running():
            self.adapter.restart()

    def stop(self) -> None:
        self.started = False

    def running(self) -> bool:
        return self.started

    def pause(self) -> None:
        raise ServerStartError(f"{self.adapter.name} updates DNS itself: there is no DHCP-DDNS daemon to pause")

    def resume(self) -> None:
        return None

    def statistics(self) -> dict[str, int]:
        return self.adapter.dns_update_counts()

    def log(self) -> str:
        return self.adapter.log()

    def collect(self, dest: Path) -> None:
        return None  # the SUT adapter collects its own log and configuration

    def settled(self, requests: int | None, quiet: float, timeout: float) -> tuple[bool, dict[str, int]]:
        """Wait until the server has logged the outcome of `requests` updates (when given) and logged no new
        outcome for `quiet` seconds. The server logs an update only once it has its answer, so nothing it
        has logged is still in flight; an update it has not logged yet is what the quiet time waits for."""
        return poll_until_quiet(
            self.statistics, lambda stats: stats,
            lambda stats: requests is None or stats.get("ncr-received", 0) >= requests, quiet, timeout)

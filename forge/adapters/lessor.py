"""The lessor adapter: lessor reads Kea's JSON, so it renders exactly what the Kea adapter renders and
runs `lessor dhcp4` on it. forge never imports the server: lessor runs as a separate process."""

from __future__ import annotations

import os
import shutil
import sys

from forge.adapters.kea import KeaAdapter


def lessor_command() -> str:
    """The `lessor` console script: beside this Python (a venv), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "lessor")
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which("lessor") or "lessor"


class LessorAdapter(KeaAdapter):
    name = "lessor"
    file_prefix = "lessor"
    capabilities = frozenset({
        "v4", "v6", "relay", "relay-v6-nested", "pd", "rapid-commit", "echo-client-id", "match-client-id",
        "reservations", "authoritative", "decline", "inform", "confirm", "ddns", "kea-ncr", "ddns-d2",
    })

    def command_line(self, check: bool) -> list[str]:
        # A lab whose SUT is reached over SSH may name lessor's path there (sut.host.lessor).
        command = self.lab.sut_host.lessor or lessor_command()
        return [command, f"dhcp{self._version}", "-t" if check else "-c", self.config_path]

    def _env(self) -> dict[str, str]:
        return {}

"""The whole conformance suite against real Kea 2.2, as `forge run --sut kea` runs it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import NEEDS_ROOT, private_lab_file

pytestmark = [NEEDS_ROOT, pytest.mark.skipif(shutil.which("kea-dhcp4") is None, reason="needs Kea")]


def test_forge_run_against_kea(tmp_path):
    lab_file = private_lab_file(tmp_path, "k")
    artifacts = tmp_path / "artifacts"
    proc = subprocess.run(["forge", "run", "--sut", "kea", "--lab", str(lab_file), "--artifacts", str(artifacts)],
                          capture_output=True, text=True, timeout=900, check=False)
    print(proc.stdout[-6000:])
    results = json.loads((artifacts / "results.json").read_text())["results"]
    outcomes = [r["outcome"] for r in results]
    bad = [f"{r['scenario']}: {r['outcome']}\n{r['longrepr'][-1500:]}" for r in results
           if r["outcome"] in ("failed", "error", "xpassed")]
    assert not bad, "\n\n".join(bad)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert len(outcomes) >= 60
    assert {r["area"] for r in results} >= {"dhcp4", "dhcp6"}
    assert "per-area summary" in proc.stdout
    assert (artifacts / "junit.xml").exists() and (artifacts / "report.md").exists()

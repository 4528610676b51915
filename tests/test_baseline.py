"""Baselines (features/baselines/<sut>.yaml): loading and its errors, stale entries, and what a listed scenario's
result does to a run: failing is a known failure, passing is an unexpected pass that fails the run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import yaml

from forge.baseline import BaselineError, feature_key, load_baseline
from forge.lab.topology import REPO_ROOT
from tests.test_guards import CONFTEST, TEST_MODULE

FEATURES_DIR = REPO_ROOT / "features"

FEATURE = """\
    @dhcp4 @v4 @rfc2131
    Feature: baseline check

      Background:
        Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
        And the server parameter valid-lifetime is 4000
        And the server is started

      Scenario: listed and failing
        When the client sends a DISCOVER message
        Then the server responds with OFFER
        And the response option lease-time is 9999

      Scenario: listed and passing
        When the client sends a DISCOVER message
        Then the server responds with OFFER

      Scenario: unlisted and failing
        When the client sends a DISCOVER message
        Then the server responds with OFFER
        And the response option lease-time is 1

      Scenario: unlisted and passing
        When the client sends a DISCOVER message
        Then the server responds with OFFER
        And the response option lease-time is 4000
    """


def write_baseline(path, sut: str, entries) -> str:
    path.write_text(yaml.safe_dump({"sut": sut, "known-failures": entries}))
    return str(path)


def run_feature(tmp_path, feature: str, *args: str, lab=None, tags_file=None) -> subprocess.CompletedProcess:
    """One feature file through forge's plugin and steps against kea, as `forge run` would."""
    (tmp_path / "features").mkdir(exist_ok=True)
    (tmp_path / "features" / "check.feature").write_text(textwrap.dedent(feature))
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_check.py").write_text(TEST_MODULE)
    argv = [sys.executable, "-m", "pytest", str(tmp_path), "--rootdir", str(tmp_path), "-p", "no:cacheprovider",
            "--artifacts", str(tmp_path / "artifacts"), "--sut", "kea",
            "--tags-file", str(tags_file or FEATURES_DIR / "tags.yaml"), *args]
    if lab is not None:
        argv = ["ip", "netns", "exec", lab.tester.netns] + argv + ["--lab", str(lab.path)]
    return subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=180, check=False)


def outcomes(tmp_path) -> dict[str, dict]:
    payload = json.loads((tmp_path / "artifacts" / "results.json").read_text())
    return {e["scenario"]: e for e in payload["results"]} | {"": payload}


# -- loading ------------------------------------------------------------------
def test_load_reads_entries_and_matches_by_feature_and_title(tmp_path):
    path = tmp_path / "iscdhcp.yaml"
    write_baseline(path, "iscdhcp", [
        {"scenario": "dhcp4/dora.feature: REQUEST for the offered address is ACKed and leased",
         "reason": "  missing feature: nothing, this is a test  "}])
    baseline = load_baseline(path, "iscdhcp")
    assert baseline.reason_for("dhcp4/dora.feature", "REQUEST for the offered address is ACKed and leased") == \
        "missing feature: nothing, this is a test"
    assert baseline.reason_for("dhcp6/sarr.feature", "REQUEST for the offered address is ACKed and leased") is None


def test_feature_key_is_the_path_under_features():
    assert feature_key(str(FEATURES_DIR / "dhcp4" / "dora.feature"), FEATURES_DIR) == "dhcp4/dora.feature"
    assert feature_key("/tmp/x/features/check.feature", FEATURES_DIR) == "check.feature"
    assert feature_key("/tmp/x/other.feature", FEATURES_DIR) == "other.feature"


@pytest.mark.parametrize(("content", "message"), [
    ({"sut": "iscdhcp", "known-failure": []}, "unknown keys known-failure"),
    ({"sut": "kea", "known-failures": []}, "it is for sut 'kea', but the run is against 'iscdhcp'"),
    ({"sut": "iscdhcp", "known-failures": [{"scenario": "dhcp4/dora.feature: a title"}]},
     "known-failures entry 1 ('dhcp4/dora.feature: a title'): missing reason"),
    ({"sut": "iscdhcp", "known-failures": [{"scenario": "dhcp4/dora.feature: a", "reason": " "}]},
     "entry 1 ('dhcp4/dora.feature: a'): missing reason"),
    ({"sut": "iscdhcp", "known-failures": [{"scenario": "dhcp4/dora.feature: a", "reason": "x", "rfc": "2131"}]},
     "entry 1 ('dhcp4/dora.feature: a'): unknown keys rfc"),
    ({"sut": "iscdhcp", "known-failures": [{"scenario": "a title without a feature", "reason": "x"}]},
     "entry 1 ('a title without a feature'): scenario must read"),
    ({"sut": "iscdhcp", "known-failures": [{"scenario": "d/a.feature: t", "reason": "x"},
                                           {"scenario": "d/a.feature: t", "reason": "y"}]},
     "entry 2 ('d/a.feature: t'): listed twice"),
    ({"sut": "iscdhcp", "known-failures": "dhcp4/dora.feature: t"}, "known-failures must be a list"),
])
def test_a_wrong_baseline_names_the_file_and_entry(tmp_path, content, message):
    path = tmp_path / "iscdhcp.yaml"
    path.write_text(yaml.safe_dump(content))
    with pytest.raises(BaselineError) as err:
        load_baseline(path, "iscdhcp")
    assert str(err.value).startswith(f"baseline {path}:")
    assert message in str(err.value)


def test_stale_entries(tmp_path):
    path = tmp_path / "kea.yaml"
    write_baseline(path, "kea", [
        {"scenario": "dhcp4/dora.feature: a title that is not there", "reason": "x"},
        {"scenario": "dhcp4/dora.feature: REQUEST for the offered address is ACKed and leased", "reason": "x"},
        {"scenario": "dhcp4/no-such.feature: a", "reason": "x"},
        {"scenario": "dhcp6/sarr.feature: a title in a feature left out of the run", "reason": "x"}])
    collected = {"dhcp4/dora.feature": {"REQUEST for the offered address is ACKed and leased"}}
    assert load_baseline(path, "kea").stale(collected, FEATURES_DIR) == [
        "dhcp4/dora.feature: a title that is not there", "dhcp4/no-such.feature: a"]


# -- in a pytest run ----------------------------------------------------------
def test_a_broken_baseline_stops_the_run_with_its_message(tmp_path):
    baseline = write_baseline(tmp_path / "kea.yaml", "kea", [{"scenario": "check.feature: listed and failing"}])
    proc = run_feature(tmp_path, FEATURE, "--baseline", baseline, "--collect-only")
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert f"baseline {baseline}: known-failures entry 1 ('check.feature: listed and failing'): missing reason" \
        in proc.stderr


def test_strict_baseline_refuses_a_stale_entry(tmp_path):
    baseline = write_baseline(tmp_path / "kea.yaml", "kea", [
        {"scenario": "check.feature: listed and failing", "reason": "x"},
        {"scenario": "check.feature: renamed long ago", "reason": "x"}])
    proc = run_feature(tmp_path, FEATURE, "--baseline", baseline, "--collect-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_feature(tmp_path, FEATURE, "--baseline", baseline, "--collect-only", "--strict-baseline")
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "entries matching no scenario (stale): check.feature: renamed long ago" in proc.stderr


def test_unsupported_and_stale_are_reported_without_failing(tmp_path):
    """Needs no lab: a capability kea lacks skips the scenario before any fixture is set up."""
    tags = yaml.safe_load((FEATURES_DIR / "tags.yaml").read_text())
    tags["capabilities"]["frobnicate"] = "the SUT frobnicates"
    (tmp_path / "tags.yaml").write_text(yaml.safe_dump(tags))
    baseline = write_baseline(tmp_path / "kea.yaml", "kea", [{"scenario": "check.feature: gone", "reason": "x"}])
    proc = run_feature(tmp_path, FEATURE.replace("@rfc2131", "@rfc2131 @frobnicate"), "--baseline", baseline,
                       tags_file=tmp_path / "tags.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"WARNING: stale baseline entry in {baseline} (matches no scenario): check.feature: gone" in proc.stdout
    results = outcomes(tmp_path)
    assert results[""]["baseline"] == {"file": baseline, "entries": 1, "stale": ["check.feature: gone"]}
    assert results[""]["unexpected"] == []
    skipped = results["unlisted and passing"]
    assert skipped["outcome"] == "skipped"
    assert skipped["longrepr"] == "not supported by kea: needs frobnicate (the SUT frobnicates)"


@pytest.mark.usefixtures("test_lab")
def test_known_failure_passes_the_run_and_unexpected_results_fail_it(tmp_path, test_lab):
    baseline = write_baseline(tmp_path / "kea.yaml", "kea", [
        {"scenario": "check.feature: listed and failing", "reason": "missing feature: a lease time of 9999"},
        {"scenario": "check.feature: listed and passing", "reason": "deviation: RFC 2131 - says it fails"}])
    proc = run_feature(tmp_path, FEATURE, "--baseline", baseline, lab=test_lab)
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    results = outcomes(tmp_path)
    known = results["listed and failing"]
    assert known["outcome"] == "known-failure"
    assert known["longrepr"] == "known kea failure (baseline): missing feature: a lease time of 9999"
    assert results["listed and passing"]["outcome"] == "xpassed"
    assert results["unlisted and failing"]["outcome"] == "failed"
    assert results["unlisted and passing"]["outcome"] == "passed"
    assert {(u["kind"], u["scenario"]) for u in results[""]["unexpected"]} == {
        ("UNEXPECTED PASS", "check.feature: listed and passing"),
        ("UNEXPECTED FAIL", "check.feature: unlisted and failing")}
    assert "UNEXPECTED PASS: check.feature: listed and passing (xpassed)" in out
    assert "UNEXPECTED FAIL: check.feature: unlisted and failing (failed)" in out
    assert ": listed and failing" not in "".join(line for line in out.splitlines() if "UNEXPECTED" in line)
    report = (tmp_path / "artifacts" / "report.md").read_text()
    assert "| check.feature: listed and failing | known kea failure (baseline): missing feature" in report
    assert "known failure (baseline)" in report

    # Only the known failure left: the run passes, and --no-baseline makes it an ordinary failure.
    only_known = FEATURE.split("      Scenario: listed and passing", maxsplit=1)[0]
    write_baseline(tmp_path / "kea.yaml", "kea", [
        {"scenario": "check.feature: listed and failing", "reason": "missing feature: a lease time of 9999"}])
    for old in ("features", "artifacts"):
        subprocess.run(["rm", "-rf", str(tmp_path / old)], check=True)
    proc = run_feature(tmp_path, only_known, "--baseline", baseline, lab=test_lab)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outcomes(tmp_path)["listed and failing"]["outcome"] == "known-failure"
    proc = run_feature(tmp_path, only_known, "--baseline", baseline, "--no-baseline", lab=test_lab)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert outcomes(tmp_path)["listed and failing"]["outcome"] == "failed"

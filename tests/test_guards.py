"""The suite's guards: each way a feature could silently test nothing must fail the run,
and a wrong expectation must fail with a readable message."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from forge.lab.topology import REPO_ROOT

CONFTEST = "from forge.steps import PLUGINS\n\npytest_plugins = PLUGINS\n"
TEST_MODULE = 'from pytest_bdd import scenarios\n\nscenarios("features")\n'


def run_suite(tmp_path, feature: str, *, lab=None) -> subprocess.CompletedProcess:
    """Run one feature file through forge's plugin and steps, as `forge run` would."""
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "check.feature").write_text(textwrap.dedent(feature))
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_check.py").write_text(TEST_MODULE)
    argv = [sys.executable, "-m", "pytest", str(tmp_path), "--rootdir", str(tmp_path), "-p", "no:cacheprovider",
            "--artifacts", str(tmp_path / "artifacts"), "--tags-file", str(REPO_ROOT / "features" / "tags.yaml"),
            "--sut", "kea"]
    if lab is not None:
        argv = ["ip", "netns", "exec", lab.tester.netns] + argv + ["--lab", str(lab.path)]
    return subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)


def test_scenario_without_given_when_then_lines_fails(tmp_path):
    proc = run_suite(tmp_path, """\
        @dhcp4
        Feature: old-style scenario
          Scenario: written without step keywords
            Test Setup:
            server is configured with subnet 192.0.2.0/24
            Pass Criteria:
            server MUST respond with OFFER
        """)
    assert proc.returncode == 1, proc.stdout
    assert "has no steps" in proc.stdout
    assert "1 failed" in proc.stdout


def test_scenario_without_then_fails(tmp_path):
    proc = run_suite(tmp_path, """\
        @dhcp4
        Feature: no assertion
          Scenario: configures but checks nothing
            Given the server parameter valid-lifetime is 10
        """)
    assert proc.returncode == 1, proc.stdout
    assert "has no Then step" in proc.stdout


def test_undefined_step_fails(tmp_path):
    proc = run_suite(tmp_path, """\
        @dhcp4
        Feature: a typo in a step
          Scenario: undefined step
            Given the server is configurd with a typo
            Then the server does not respond
        """)
    assert proc.returncode == 1, proc.stdout
    assert "Step definition is not found" in proc.stdout


def test_unregistered_tag_fails(tmp_path):
    proc = run_suite(tmp_path, """\
        @dhcp4 @no-such-tag
        Feature: a typo in a tag
          Scenario: tagged wrongly
            Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
            Then the server does not respond
        """)
    assert proc.returncode != 0, proc.stdout
    assert "unregistered tag @no-such-tag" in proc.stdout + proc.stderr


@pytest.mark.usefixtures("test_lab")
def test_wrong_expectation_fails_with_readable_message(tmp_path, test_lab):
    proc = run_suite(tmp_path, """\
        @dhcp4 @v4 @rfc2131
        Feature: a deliberately wrong expectation
          Scenario: the lease time is not what the feature claims
            Given the server is configured with subnet 192.0.2.0/24 and pool 192.0.2.10-192.0.2.20
            And the server parameter valid-lifetime is 4000
            And the server is started
            When the client sends a DISCOVER message
            Then the server responds with OFFER
            And the response option lease-time is 9999
        """, lab=test_lab)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    # The expected value, the received value, and the received packet in readable form.
    assert "expected option 51 (dhcp-lease-time) = 9999, got 4000" in out
    assert "received:" in out and "DHCPOFFER xid=0x" in out
    assert "option 54 dhcp-server-identifier=192.0.2.1" in out
    # The scenario's artifacts exist.
    art = next((tmp_path / "artifacts" / "scenarios").iterdir())
    names = {p.name for p in art.iterdir()}
    assert {"kea-dhcp4.conf", "kea-dhcp4.log", "tester.pcap", "steps.txt"} <= names, names
    assert "FAILED: expected option 51" in (art / "steps.txt").read_text()

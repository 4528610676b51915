"""Shared fixtures for forge's own tests: a private namespace lab, so tests never touch the default one."""

from __future__ import annotations

import os

import pytest

from forge.lab import load_lab, netns
from forge.lab.topology import DEFAULT_LAB

NEEDS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root")


def private_lab_file(tmp_dir, tag: str):
    text = DEFAULT_LAB.read_text()
    for old, new in (("forge-tester", f"f{tag}-tester"), ("forge-sut", f"f{tag}-sut"),
                     ("veth-tester", f"v{tag}-tester"), ("veth-sut", f"v{tag}-sut"), ("relay0", f"relay{tag}"),
                     ("name: default", f"name: tests-{tag}")):
        text = text.replace(old, new)
    path = tmp_dir / f"lab-{tag}.yaml"
    path.write_text(text)
    return path


@pytest.fixture(scope="session")
def test_lab(tmp_path_factory):
    """A lab of its own, up for the whole test session and removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    # FORGE_TEST_LAB_TAG lets two test runs on one machine use separate labs.
    lab = load_lab(private_lab_file(tmp_path_factory.mktemp("lab"), os.environ.get("FORGE_TEST_LAB_TAG", "t")))
    netns.up(lab)
    yield lab
    netns.down(lab)

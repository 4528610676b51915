"""`forge lab up|down|status` is idempotent and clears what a crashed run left behind."""

from __future__ import annotations

import subprocess

import pytest

from forge.lab import load_lab, netns
from tests.conftest import NEEDS_ROOT, private_lab_file

pytestmark = NEEDS_ROOT


def forge(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["forge", *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def lab_file(tmp_path):
    path = private_lab_file(tmp_path, "c")
    yield path
    netns.down(load_lab(path))


def test_up_is_idempotent_and_repairs_stale_pieces(lab_file):
    lab = load_lab(lab_file)
    assert forge("lab", "status", "--lab", str(lab_file)).returncode == 1
    first = forge("lab", "up", "--lab", str(lab_file))
    assert "created" in first.stdout, first.stdout + first.stderr
    assert "already up" in forge("lab", "up", "--lab", str(lab_file)).stdout
    # A crashed run: the server namespace is gone, the tester one is left over.
    subprocess.run(["ip", "netns", "del", lab.sut.netns], check=True)
    status = forge("lab", "status", "--lab", str(lab_file))
    assert status.returncode == 1 and "missing" in status.stdout
    assert "created" in forge("lab", "up", "--lab", str(lab_file)).stdout
    assert forge("lab", "status", "--lab", str(lab_file)).returncode == 0


def test_down_kills_lab_processes_and_is_idempotent(lab_file):
    lab = load_lab(lab_file)
    netns.up(lab)
    sleeper = subprocess.Popen(["ip", "netns", "exec", lab.sut.netns, "sleep", "300"])
    down = forge("lab", "down", "--lab", str(lab_file))
    assert "removed" in down.stdout
    assert sleeper.wait(timeout=10) is not None
    assert lab.sut.netns not in netns.list_namespaces()
    assert "nothing to remove" in forge("lab", "down", "--lab", str(lab_file)).stdout

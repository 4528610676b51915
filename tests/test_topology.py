"""Lab files: the default lab loads, and addresses outside the documentation ranges are refused."""

import pytest

from forge.lab import load_lab
from forge.lab.topology import DEFAULT_LAB, LabError


def test_default_lab_loads():
    lab = load_lab(DEFAULT_LAB)
    assert lab.tester.netns != lab.sut.netns
    assert str(lab.sut.ipv4) == "192.0.2.1/24"
    assert lab.tester.relay is not None and str(lab.tester.relay.ipv4.ip) == "198.51.100.1"
    assert any("198.51.100.0/24" in r for r in lab.sut.routes)


def _write(tmp_path, text):
    path = tmp_path / "lab.yaml"
    path.write_text(DEFAULT_LAB.read_text().replace("192.0.2.2/24", text))
    return path


@pytest.mark.parametrize("address", ["10.0.0.2/24", "192.168.1.2/24", "8.8.8.8/24"])
def test_addresses_outside_documentation_ranges_are_refused(tmp_path, address):
    with pytest.raises(LabError, match="outside the documentation"):
        load_lab(_write(tmp_path, address))


def test_missing_keys_are_named(tmp_path):
    path = tmp_path / "lab.yaml"
    path.write_text("tester: {netns: a}\nsut: {netns: b}\n")
    with pytest.raises(LabError, match="missing keys"):
        load_lab(path)

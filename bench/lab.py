"""The benchmark's own lab: lab/default.yaml with every name changed, so a bench never touches the
default lab or a test run's lab (the same renaming as tests/conftest.py's private_lab_file)."""

from __future__ import annotations

from pathlib import Path

from forge.lab.topology import DEFAULT_LAB

RENAMES = (
    ("forge-tester", "fbench-tester"),
    ("forge-sut", "fbench-sut"),
    ("veth-tester", "vbench-tester"),
    ("veth-sut", "vbench-sut"),
    ("relay0", "relaybench"),
    ("name: default", "name: bench"),
)


def bench_lab_file(dest_dir: Path) -> Path:
    """Write the bench lab file into dest_dir and return its path."""
    text = DEFAULT_LAB.read_text()
    for old, new in RENAMES:
        if old not in text:
            raise ValueError(f"{DEFAULT_LAB} no longer contains {old!r}; update bench/lab.py")
        text = text.replace(old, new)
    path = Path(dest_dir) / "lab-bench.yaml"
    path.write_text(text)
    return path

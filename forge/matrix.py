"""`forge matrix`: run the suite against each SUT in turn (one lab) and write the interop matrix."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from forge import matrix_report

DEFAULT_SUTS = ("lessor", "kea", "iscdhcp", "dibbler")


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated()


def run_one(sut: str, lab: str | None, folder: Path, extra: list[str]) -> int:
    """`forge run --sut SUT` with its artifacts in folder and its output in folder/forge-run.log."""
    shutil.rmtree(folder, ignore_errors=True)  # no stale results.json from an earlier run
    folder.mkdir(parents=True)
    argv = [sys.executable, "-m", "forge.cli", "run", "--sut", sut, "--artifacts", str(folder)]
    if lab:
        argv += ["--lab", lab]
    if extra:
        argv += ["--"] + extra
    with open(folder / "forge-run.log", "w") as log:
        child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        try:
            return child.wait()
        except (KeyboardInterrupt, _Terminated) as exc:
            if isinstance(exc, _Terminated):  # Ctrl-C reached the child already; SIGTERM must be passed on
                child.send_signal(signal.SIGTERM)  # forge run cleans its lab up on either
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
            raise


def load_results(folder: Path) -> dict | None:
    path = folder / "results.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def counts_line(payload: dict) -> str:
    kinds = [matrix_report.kind_of(e["outcome"]) for e in payload["results"]]
    parts = [f"{sum(k in group for k in kinds)} {name}" for name, group in matrix_report.COUNT_COLUMNS
             if name != "not run"]
    return ", ".join(parts)


def write_reports(runs: dict[str, dict | None], out: Path, problems: dict[str, str],
                  docs: Path | None = None) -> matrix_report.Matrix:
    """DIR/matrix.md and DIR/matrix.html (linked to each cell's artifacts); with docs, copies without links."""
    matrix = matrix_report.build(runs, out, problems=problems)
    (out / "matrix.md").write_text(matrix_report.markdown(matrix))
    (out / "matrix.html").write_text(matrix_report.render_html(matrix))
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
        plain = matrix_report.build(runs, docs, links=False, problems=problems)
        (docs / "matrix.md").write_text(matrix_report.markdown(plain))
        (docs / "matrix.html").write_text(matrix_report.render_html(plain))
    return matrix


def run_matrix(suts: list[str], lab: str | None, out: Path, docs: Path | None, extra: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    runs: dict[str, dict | None] = {}
    problems: dict[str, str] = {}
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        for number, sut in enumerate(suts, 1):
            folder = out / sut
            print(f"forge matrix: [{number}/{len(suts)}] {sut}: running (log {folder / 'forge-run.log'})",
                  flush=True)
            started = time.monotonic()
            code = run_one(sut, lab, folder, extra)
            payload = runs[sut] = load_results(folder)
            took = f"{time.monotonic() - started:.0f} s"
            if payload is None:
                problems[sut] = f"its run gave no results (exit {code}); see {sut}/forge-run.log"
                print(f"forge matrix: [{number}/{len(suts)}] {sut}: NO RESULTS after {took} (exit {code}); "
                      f"log {folder / 'forge-run.log'}", flush=True)
            else:
                print(f"forge matrix: [{number}/{len(suts)}] {sut}: {counts_line(payload)} in {took} "
                      f"(exit {code})", flush=True)
    except (KeyboardInterrupt, _Terminated):
        print("forge matrix: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    matrix = write_reports(runs, out, problems, docs)
    print(f"forge matrix: {out / 'matrix.md'}, {out / 'matrix.html'}"
          + (f"; docs copies in {docs}" if docs is not None else ""))
    unexpected = matrix.unexpected()
    for sut, row in unexpected:
        kind = "UNEXPECTED FAIL" if row.cells[sut].kind == "fail" else "UNEXPECTED PASS"
        print(f"forge matrix: {sut}: {kind}: {row.feature}: {row.scenario}")
    for sut, why in problems.items():
        print(f"forge matrix: {sut}: {why}")
    if unexpected or problems:
        print(f"forge matrix: {len(unexpected)} unexpected result(s), {len(problems)} SUT run(s) without results")
        return 1
    print("forge matrix: no unexpected results")
    return 0

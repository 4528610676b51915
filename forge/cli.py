"""The `forge` command: build the lab, run the conformance suite, report."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from forge import matrix, report
from forge.adapters import known_suts
from forge.lab import load_lab, netns, sshd
from forge.lab.topology import REPO_ROOT, LabError

EPILOG = """\
examples:
  forge lab up                      build the default namespace lab (lab/default.yaml)
  forge lab status --lab my.yaml    show whether a lab is up, and what is wrong with it
  forge run                         run every feature against lessor
  forge run --sut kea               run every feature against Kea 2.2, the reference
  forge run -- -k dora -x           pass extra arguments to pytest after --
  forge matrix --suts kea,lessor    run the suite against each SUT and write the interop matrix

Results go to artifacts/<sut>/: report.md (per-area summary, one row per scenario,
links to each scenario's files), junit.xml, results.json, and scenarios/<name>/
holding the rendered configuration, the server log, the lease file, a pcap of the
tester interface and the step trace. `forge matrix` writes DIR/matrix.md and
DIR/matrix.html (default DIR: artifacts/matrix) and each SUT's results in DIR/<sut>/.
"""


def _lab_command(args) -> int:
    lab = load_lab(args.lab)
    if args.action == "up":
        print(f"lab {lab.name}: {netns.up(lab)} ({lab.tester.netns} <-> {lab.sut.netns})")
        if lab.lab_sshd:
            print(f"lab {lab.name}: {sshd.describe(lab)}")
    elif args.action == "down":
        removed = netns.down(lab)
        print(f"lab {lab.name}: " + ("removed " + ", ".join(removed) if removed else "nothing to remove"))
    else:
        state = netns.status(lab)
        print(f"lab {lab.name} ({lab.path}): {state}")
        if lab.lab_sshd:
            print(f"lab {lab.name}: {sshd.describe(lab)}")
        return 0 if state.up else 1
    return 0


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated()


def _run_command(args, extra: list[str]) -> int:
    lab = load_lab(args.lab)
    artifacts = Path(args.artifacts or REPO_ROOT / "artifacts" / args.sut).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _on_sigterm)
    print(f"forge: lab {lab.name}: {netns.up(lab)}", flush=True)
    argv = [
        "ip", "netns", "exec", lab.tester.netns,
        sys.executable, "-m", "pytest", str(REPO_ROOT / "scenarios"),
        "--rootdir", str(REPO_ROOT), "-p", "no:cacheprovider",
        "--sut", args.sut, "--lab", str(lab.path), "--artifacts", str(artifacts),
        "--junitxml", str(artifacts / "junit.xml"), "-o", "junit_family=xunit2",
        "-o", "console_output_style=count", "-q",
    ] + _baseline_args(args) + extra
    child = None
    try:
        child = subprocess.Popen(argv, cwd=REPO_ROOT)
        code = child.wait()
    except (KeyboardInterrupt, _Terminated):
        if child is not None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        print("forge: interrupted; cleaning up", file=sys.stderr)
        code = 130
    finally:
        keep = (sshd.pid(lab),) if lab.lab_sshd and args.keep_lab and sshd.pid(lab) else ()
        for ns in lab.namespaces:
            netns.kill_namespace_processes(ns, keep=keep)
        if not args.keep_lab:
            netns.down(lab)
    results = artifacts / "results.json"
    if results.exists():
        payload = json.loads(results.read_text())
        print(f"\nforge: per-area summary for {payload['sut']}")
        print(report.summary_table(payload))
        for line in report.problem_lines(payload):
            print(f"forge: {line}")
        print(f"forge: report {artifacts / 'report.md'}, junit {artifacts / 'junit.xml'}")
    return code


def _baseline_args(args) -> list[str]:
    out = ["--baseline", str(Path(args.baseline).resolve())] if args.baseline else []
    return out + ["--no-baseline"] * args.no_baseline + ["--strict-baseline"] * args.strict_baseline


def _matrix_command(args, extra: list[str]) -> int:
    suts = [s.strip() for s in args.suts.split(",") if s.strip()]
    unknown = [s for s in suts if s not in known_suts()]
    if unknown or not suts:
        print(f"forge matrix: unknown SUT {', '.join(unknown) or '(none given)'}; known: {', '.join(known_suts())}",
              file=sys.stderr)
        return 2
    load_lab(args.lab)  # a broken lab file fails here, once, not once per SUT
    out = Path(args.artifacts or REPO_ROOT / "artifacts" / "matrix").resolve()
    docs = Path(args.docs).resolve() if args.docs else None
    return matrix.run_matrix(suts, args.lab, out, docs, extra)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forge",
        description="forge: DHCP conformance tests. Gherkin features send scapy-crafted packets at a "
                    "server under test in a network-namespace lab and check the answers against the RFCs.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", help="build, tear down or inspect a lab (idempotent)",
                         description="Build (up), tear down (down) or inspect (status) a namespace lab. "
                                     "up and down are idempotent; up clears stale pieces of a crashed run.")
    lab.add_argument("action", choices=("up", "down", "status"))
    lab.add_argument("--lab", help="lab file (default: $FORGE_LAB or lab/default.yaml)")
    run = sub.add_parser("run", help="run the conformance suite against a SUT",
                         description="Bring the lab up if needed, run every feature against the SUT, "
                                     "print a per-area summary, write JUnit XML and a Markdown report, "
                                     "then tear the lab down (also on Ctrl-C and on failure).",
                         epilog="Arguments after -- go to pytest, e.g. forge run -- -k dora")
    run.add_argument("--sut", default="lessor", choices=known_suts(), help="server under test (default: lessor)")
    run.add_argument("--lab", help="lab file (default: $FORGE_LAB or lab/default.yaml)")
    run.add_argument("--artifacts", help="output folder (default: artifacts/<sut>)")
    run.add_argument("--keep-lab", action="store_true", help="leave the lab up after the run")
    run.add_argument("--baseline", metavar="FILE",
                     help="the SUT's known failures (default: features/baselines/<sut>.yaml when it exists)")
    run.add_argument("--no-baseline", action="store_true", help="ignore the baseline: known failures fail")
    run.add_argument("--strict-baseline", action="store_true",
                     help="a baseline entry that matches no scenario fails the run (default: a warning)")
    mat = sub.add_parser("matrix", help="run the suite against several SUTs and write the interop matrix",
                         description="Run `forge run --sut S` for each SUT in turn in one lab, then write "
                                     "DIR/matrix.md and DIR/matrix.html: scenario x SUT, grouped by area and "
                                     "RFC, each cell linked to its artifacts. Exits 1 when any SUT had "
                                     "unexpected results (a failure not in its baseline, or an unexpected pass).",
                         epilog="Arguments after -- go to pytest in every run, e.g. forge matrix -- -k dora")
    mat.add_argument("--suts", default=",".join(matrix.DEFAULT_SUTS),
                     help=f"comma-separated SUTs, in order (default: {','.join(matrix.DEFAULT_SUTS)})")
    mat.add_argument("--lab", help="lab file (default: $FORGE_LAB or lab/default.yaml)")
    mat.add_argument("--artifacts", metavar="DIR", help="output folder (default: artifacts/matrix)")
    mat.add_argument("--docs", metavar="DIR",
                     help="also write matrix.md and matrix.html there, without the artifact links (e.g. docs)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    args = build_parser().parse_args(argv)
    if os.geteuid() != 0:
        print("forge: network namespaces need root; run it as root", file=sys.stderr)
        return 2
    try:
        if args.command == "lab":
            return _lab_command(args)
        if args.command == "matrix":
            return _matrix_command(args, extra)
        return _run_command(args, extra)
    except LabError as exc:
        print(f"forge: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""What the DHCPv4 and DHCPv6 benchmarks share: the rate search, the memory test, the processes, the
summary table, the common command-line options and the run itself (lab up, servers, lab down).

A `Family` describes what differs between bench/dhcp4.py and bench/dhcp6.py: the configuration both
servers get, how perfdhcp reaches them, the exchange names in perfdhcp's report and the lease file
of the memory test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.lab import bench_lab_file
from bench.perfdhcp import ParseError, Report, parse_report
from forge.adapters import ServerStartError, adapter_class
from forge.adapters.kea import KeaAdapter
from forge.hosts import HostError
from forge.hosts.netns import NetnsHost
from forge.lab import Lab, load_lab, netns
from forge.lab.topology import LabError
from forge.model import ServerModel

DEFAULT_RATES = (250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 15000, 20000)
SERVERS = ("kea", "lessor")


@dataclass(frozen=True)
class Family:
    """What one benchmark (DHCPv4 or DHCPv6) needs beyond the shared code."""

    version: int  # 4 or 6
    #: perfdhcp's two exchanges, in report order: ("DISCOVER-OFFER", "REQUEST-ACK") for v4.
    exchanges: tuple[str, str]
    #: The one configuration both servers get.
    build_model: Callable[[Lab], ServerModel]
    #: perfdhcp's arguments before and after the common -r/-R/-p options (family and target).
    perfdhcp_target: Callable[[Lab], tuple[list[str], list[str]]]
    #: Write a memfile at path with count valid leases from the model's first pool: (path, count, model).
    write_leases: Callable[[str, int, ServerModel], None]
    #: The statistic-get name of subnet 1's assigned leases.
    assigned_statistic: str

    @property
    def prog(self) -> str:
        return f"bench.dhcp{self.version}"

    @property
    def kea_daemon(self) -> str:
        return f"kea-dhcp{self.version}"


class BenchError(Exception):
    """A step of the benchmark could not be run (not a slow server: a broken one, or a broken tool)."""


def say(text: str) -> None:
    print(text, flush=True)


def make_adapter(name: str, lab: Lab, workdir: Path, log_severity: str) -> KeaAdapter:
    adapter = adapter_class(name)(NetnsHost(lab.sut.netns), lab, str(workdir))
    adapter.log_severity = log_severity  # the adapters render DEBUG logging by default: far too slow
    return adapter


def pool_size(model: ServerModel) -> int:
    """Addresses in all pools of the model."""
    total = 0
    for subnet in model.subnets:
        for pool in subnet.pools:
            first, last = pool.bounds
            total += int(last) - int(first) + 1
    return total


# -- processes ----------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The second field (comm) may hold spaces and parentheses: split after its last ')'.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            out.append(int(entry))
    return out


def _exe(pid: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def daemon_pids(spawned_pid: int, ns: str) -> list[int]:
    """The server's own processes: the spawned PID is `ip netns exec NS env ... daemon`, which execs
    (so it normally *is* the daemon). Skip any ip/env wrapper that did not exec, and keep only
    processes inside the server namespace. The daemon comes first, then its children."""
    inside = set(netns.namespace_pids(ns))
    found, todo = [], [spawned_pid]
    while todo:
        pid = todo.pop(0)
        if _exe(pid) not in ("ip", "env", "") and pid in inside:
            found.append(pid)
        todo += _children(pid)
    if not found:
        raise BenchError(f"no server process found under PID {spawned_pid} in namespace {ns}")
    return found


def proc_status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no {key}")


def memory(pids: list[int]) -> dict:
    """Peak and current RSS in KiB, summed over the server's processes (Kea has one)."""
    return {
        "pids": pids,
        "vm_hwm_kib": sum(proc_status_kib(p, "VmHWM") for p in pids),
        "vm_rss_kib": sum(proc_status_kib(p, "VmRSS") for p in pids),
    }


def run_perfdhcp(family: Family, lab: Lab, rate: int, seconds: int, clients: int) -> tuple[Report, int, str]:
    """perfdhcp in the tester namespace, with the family's target arguments."""
    before, after = family.perfdhcp_target(lab)
    argv = ["ip", "netns", "exec", lab.tester.netns, "perfdhcp", *before,
            "-r", str(rate), "-R", str(clients), "-p", str(seconds), *after]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"perfdhcp did not finish within {seconds + 30}s") from None
    # 3: some exchanges did not complete. That is what a rate step measures, not an error.
    if proc.returncode not in (0, 3):
        raise BenchError(f"`{' '.join(argv)}` exited {proc.returncode}:\n{(proc.stdout + proc.stderr)[-2000:]}")
    try:
        return parse_report(proc.stdout), proc.returncode, proc.stdout
    except ParseError as exc:
        raise BenchError(f"{exc}:\n{(proc.stdout + proc.stderr)[-2000:]}") from None


def lease_count(adapter: KeaAdapter, statistic: str) -> int | None:
    """The server's own count of assigned leases in subnet 1, when it answers statistic-get."""
    try:
        answer = adapter.command("statistic-get", {"name": statistic}, timeout=10.0)
        return int(answer["arguments"][statistic][0][0])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


# -- the two measurements -----------------------------------------------
def _fmt_drops(report: Report) -> str:
    return " ".join(f"{k.split('-')[1]} {e.drops_ratio:.2f}%" for k, e in report.exchanges.items())


def rate_search(family: Family, name: str, lab: Lab, model: ServerModel, workdir: Path, args) -> dict:
    steps: list[dict] = []
    result: dict = {"steps": steps, "best": None, "saturated": False}
    for rate in args.rates:
        adapter = make_adapter(name, lab, workdir / f"rate-{rate}", args.log_severity)
        adapter.start(model)
        try:
            report, status, text = run_perfdhcp(family, lab, rate, args.seconds, args.clients)
            alive = adapter.running()
            Path(adapter.workdir, "perfdhcp.txt").write_text(text)
        finally:
            adapter.stop()
        step = {"offered": rate, "perfdhcp_status": status, **report.to_dict()}
        steps.append(step)
        ok = alive and report.max_drops_ratio <= args.max_drop
        say(f"[{name}] offered {rate:>6}/s: achieved {report.rate:9.1f}/s, drops {_fmt_drops(report)}"
            f"{'' if alive else ', SERVER DIED'} -> {'ok' if ok else 'over ' + str(args.max_drop) + '%'}")
        if not alive:
            result["error"] = f"the server died at offered rate {rate}/s; see {adapter.log_files()}"
        if not ok:
            result["saturated"] = True
            break
        if result["best"] is None or report.rate > result["best"]["rate"]:
            result["best"] = step
    return result


def memory_test(family: Family, name: str, lab: Lab, model: ServerModel, workdir: Path, args) -> dict:
    adapter = make_adapter(name, lab, workdir / "memory", args.log_severity)
    adapter.start_timeout = args.start_timeout
    # The adapter names its lease file after the version it last rendered: tell it before start.
    adapter.render(model)
    family.write_leases(adapter.lease_path, args.leases, model)
    started = time.monotonic()
    adapter.start(model)
    try:
        load_seconds = time.monotonic() - started
        pids = daemon_pids(adapter.process.pid, lab.sut.netns)
        loaded = memory(pids)
        count = lease_count(adapter, family.assigned_statistic)
        say(f"[{name}] {args.leases} leases: ready in {load_seconds:.1f}s, server reports "
            f"{'?' if count is None else count} assigned; VmHWM {loaded['vm_hwm_kib'] / 1024:.1f} MiB (PID {pids[0]})")
        report, _, _ = run_perfdhcp(family, lab, args.memory_rate, args.memory_seconds, args.clients)
        if not adapter.running():
            raise BenchError(f"{name} died during the perfdhcp run after loading {args.leases} leases")
        after = memory(daemon_pids(adapter.process.pid, lab.sut.netns))
        say(f"[{name}] after {args.memory_seconds}s of perfdhcp at {args.memory_rate}/s "
            f"(achieved {report.rate:.1f}/s): VmHWM {after['vm_hwm_kib'] / 1024:.1f} MiB")
    finally:
        adapter.stop()
    return {"leases": args.leases, "ready_seconds": round(load_seconds, 2), "assigned_reported": count,
            "after_load": loaded, "after_run": after, "run": report.to_dict()}


def bench_server(family: Family, name: str, lab: Lab, workdir: Path, args) -> dict:
    model = family.build_model(lab)
    out: dict = {"server": name}
    say(f"[{name}] rate search: {args.seconds}s per step, offered rates {', '.join(map(str, args.rates))}")
    pool = pool_size(model)
    exchanges = max(args.rates) * args.seconds
    if args.clients * (1 - math.exp(-exchanges / args.clients)) > 0.9 * pool:
        say(f"[{name}] warning: {exchanges} exchanges from {args.clients} clients come close to the "
            f"{pool} addresses of the pool; the last steps may run out of addresses")
    try:
        out["rates"] = rate_search(family, name, lab, model, workdir / name, args)
        if not args.skip_memory:
            out["memory"] = memory_test(family, name, lab, model, workdir / name, args)
    except (ServerStartError, HostError, BenchError, OSError) as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        say(f"[{name}] FAILED: {out['error']}")
    return out


# -- output -------------------------------------------------------------
def _initials(exchange: str) -> str:
    """DISCOVER-OFFER -> DO, SOLICIT-ADVERTISE -> SA."""
    return "".join(word[0] for word in exchange.split("-"))


def summary(results: dict[str, dict], max_drop: float, exchanges: tuple[str, str]) -> str:
    leases = next((r["memory"]["leases"] for r in results.values() if r.get("memory")), None)
    rows = [("server", "best rate (4-way/s)", "offered", "drops " + " / ".join(_initials(k) for k in exchanges),
             f"peak RSS, {leases} leases (loaded / after run)" if leases is not None else "peak RSS")]
    for name, r in results.items():
        best = (r.get("rates") or {}).get("best")
        mem = r.get("memory")
        if best:
            ex = best["exchanges"]
            drops = " / ".join(f"{ex[k]['drops_ratio']:.2f}%" if k in ex else "?" for k in exchanges)
            rate, offered = f"{best['rate']:.1f}", str(best["offered"])
            if not r["rates"]["saturated"]:
                rate += " (not saturated)"
        else:
            rate, offered, drops = "-", "-", "-"
        memtext = (f"{mem['after_load']['vm_hwm_kib'] / 1024:.1f} / {mem['after_run']['vm_hwm_kib'] / 1024:.1f} MiB"
                   if mem else "-")
        rows.append((name, rate, offered, drops, memtext))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    for name, r in results.items():
        if r.get("error"):
            lines.append(f"{name}: {r['error'].splitlines()[0]}")
    lines.append(f"(best rate: highest achieved rate among steps with at most {max_drop}% drops "
                 f"in both {exchanges[0]} and {exchanges[1]})")
    ratio = rate_ratio(results)
    if ratio is not None:
        lines.append(f"lessor/kea rate ratio: {ratio:.3f}")
    return "\n".join(lines)


def rate_ratio(results: dict[str, dict]) -> float | None:
    try:
        kea = results["kea"]["rates"]["best"]["rate"]
        lessor = results["lessor"]["rates"]["best"]["rate"]
    except (KeyError, TypeError):
        return None
    return lessor / kea if kea else None


def _version(argv: list[str]) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "unknown"
    return (proc.stdout + proc.stderr).strip().splitlines()[0] if (proc.stdout + proc.stderr).strip() else "unknown"


# -- command line -------------------------------------------------------
def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("rates must be positive")
    return sorted(values)


def _servers(text: str) -> list[str]:
    names = [v.strip() for v in text.split(",") if v.strip()]
    for n in names:
        if n not in SERVERS:
            raise argparse.ArgumentTypeError(f"unknown server {n!r}: kea or lessor")
    return names


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options both benchmarks take."""
    p.add_argument("--servers", type=_servers, default=list(SERVERS), help="comma-separated; default kea,lessor")
    p.add_argument("--seconds", type=int, default=5, help="length of each rate step (default 5)")
    p.add_argument("--rates", type=_int_list, default=list(DEFAULT_RATES),
                   help="offered 4-way exchange rates to step through, comma-separated (default "
                        + ",".join(map(str, DEFAULT_RATES)) + ")")
    p.add_argument("--max-drop", type=float, default=1.0,
                   help="a step passes when both exchanges drop at most this percent (default 1.0)")
    p.add_argument("--clients", type=int, default=200000, help="perfdhcp -R: distinct clients (default 200000)")
    p.add_argument("--leases", type=int, default=100000, help="leases in the file for the memory test (default 100000)")
    p.add_argument("--memory-rate", type=int, default=1000, help="perfdhcp rate after the lease load (default 1000)")
    p.add_argument("--memory-seconds", type=int, default=3, help="perfdhcp run after the lease load (default 3)")
    p.add_argument("--skip-memory", action="store_true", help="only the rate search")
    p.add_argument("--start-timeout", type=float, default=120.0,
                   help="seconds a server may take to load the lease file (default 120)")
    p.add_argument("--log-severity", default="WARN", choices=("DEBUG", "INFO", "WARN", "ERROR"),
                   help="server log severity (default WARN; DEBUG slows servers a lot)")
    p.add_argument("--lab", type=Path, help="lab file (default: lab/default.yaml renamed to fbench-*); "
                                            "it is torn down at the end, so never pass the default lab")
    p.add_argument("--workdir", type=Path, help="keep configurations, logs and lease files here "
                                                "(default: a temporary folder, removed at the end)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def run(family: Family, args: argparse.Namespace) -> int:
    """The whole benchmark: lab up, each server in turn, summary, lab down. Returns the exit status."""
    prog = family.prog
    if os.geteuid() != 0:
        print(f"{prog}: network namespaces need root", file=sys.stderr)
        return 2
    if shutil.which("perfdhcp") is None:
        print(f"{prog}: perfdhcp not found (Debian package kea-admin)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _sigterm)
    keep = args.workdir is not None
    workdir = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="fbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    lab = None
    results: dict[str, dict] = {}
    status = 0
    try:
        lab = load_lab(args.lab or bench_lab_file(workdir))
        say(f"lab {lab.name}: {netns.up(lab)} ({lab.tester.netns} <-> {lab.sut.netns}); work folder {workdir}")
        started = time.time()
        for name in args.servers:
            results[name] = bench_server(family, name, lab, workdir, args)
        say("")
        say(summary(results, args.max_drop, family.exchanges))
        if args.json:
            data = {
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
                "elapsed_seconds": round(time.time() - started, 1),
                "cpus": os.cpu_count(),
                "versions": {family.kea_daemon: _version([family.kea_daemon, "-v"]),
                             "perfdhcp": _version(["perfdhcp", "-v"])},
                "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                "results": results,
                "lessor_kea_rate_ratio": rate_ratio(results),
            }
            args.json.write_text(json.dumps(data, indent=2) + "\n")
            say(f"results written to {args.json}")
        if any("error" in r for r in results.values()):
            status = 1
    except LabError as exc:
        print(f"{prog}: lab error: {exc}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        print(f"\n{prog}: interrupted", file=sys.stderr)
        status = 130
    finally:
        # Ignore a second Ctrl-C while tearing down: a half-removed lab is worse than a slow exit.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if lab is not None:
            netns.down(lab)
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return status

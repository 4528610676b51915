"""Run reports: the per-area summary, and a Markdown report linking each scenario's artifacts."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

# xfailed: a known deviation (a deviation tag of features/tags.yaml); known-failure: listed in the SUT's baseline.
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "known-failure", "xpassed")
UNEXPECTED = {"failed": "UNEXPECTED FAIL", "error": "UNEXPECTED FAIL", "xpassed": "UNEXPECTED PASS"}


def area_of(entry: dict, registry) -> str:
    for tag in entry.get("tags", ()):
        if tag in registry.areas:
            return tag
    return "other"


def counts_by_area(payload: dict) -> dict[str, Counter]:
    areas: dict[str, Counter] = defaultdict(Counter)
    for entry in payload["results"]:
        areas[entry.get("area", "other")][entry["outcome"]] += 1
    return dict(sorted(areas.items()))


def summary_table(payload: dict) -> str:
    areas = counts_by_area(payload)
    total: Counter = Counter()
    rows = [f"{'area':<12}{'passed':>8}{'failed':>8}{'errors':>8}{'skipped':>9}{'deviations':>12}{'known':>7}"]
    for area, c in areas.items():
        total.update(c)
        rows.append(_row(area, c))
    rows.append(_row("total", total))
    return "\n".join(rows)


def _row(name: str, c: Counter) -> str:
    return (f"{name:<12}{c['passed']:>8}{c['failed'] + c['xpassed']:>8}{c['error']:>8}{c['skipped']:>9}"
            f"{c['xfailed']:>12}{c['known-failure']:>7}")


def unexpected(payload: dict) -> list[dict]:
    """The results that fail a run against its expectations: a failure or error not in the baseline (and not a
    deviation), and a listed scenario or deviation that passed."""
    return [{"kind": UNEXPECTED[e["outcome"]], "nodeid": e["nodeid"], "outcome": e["outcome"],
             "scenario": e.get("key") or f"{e['feature']}: {e['scenario']}"}
            for e in payload["results"] if e["outcome"] in UNEXPECTED]


def problem_lines(payload: dict) -> list[str]:
    """What a reader must look at: unexpected results, then stale baseline entries."""
    lines = [f"{u['kind']}: {u['scenario']} ({u['outcome']})" for u in unexpected(payload)]
    baseline = payload.get("baseline") or {}
    lines += [f"WARNING: stale baseline entry in {baseline['file']} (matches no scenario): {key}"
              for key in baseline.get("stale", ())]
    return lines


_SYMBOL = {"passed": "pass", "failed": "**FAIL**", "error": "**ERROR**", "skipped": "unsupported",
           "xfailed": "deviation (expected)", "known-failure": "known failure (baseline)",
           "xpassed": "**unexpected pass**"}


def markdown(payload: dict, out: Path) -> str:
    sut = payload["sut"]
    lines = [f"# forge conformance report: {sut}", "", "## Summary per area", "", "```",
             summary_table(payload), "```", ""]
    lines += ["*failed* includes unexpected passes of known deviations and known failures; *deviations* counts "
              "scenarios that failed as the known deviation says they do; *known* counts scenarios that failed "
              "as the SUT's baseline says they do.", ""]
    problems = problem_lines(payload)
    if problems:
        lines += ["## Unexpected results and warnings", ""] + [f"- {p}" for p in problems] + [""]
    known = [e for e in payload["results"] if e.get("baseline")]
    if known:
        lines += [f"## Known failures (baseline {payload['baseline']['file']})", "",
                  "| scenario | reason | outcome here |", "|---|---|---|"]
        lines += [f"| {e.get('key', e['scenario'])} | {e['baseline']} | {_SYMBOL[e['outcome']]} |" for e in known]
        lines.append("")
    deviations = payload.get("deviations", {})
    seen = [e for e in payload["results"] if any(t in deviations for t in e["tags"])]
    if seen:
        lines += ["## Known deviations from the RFCs", "",
                  "| scenario | deviation | RFC | affected SUTs | outcome here |", "|---|---|---|---|---|"]
        for e in seen:
            for tag in (t for t in e["tags"] if t in deviations):
                d = deviations[tag]
                lines.append(f"| {e['scenario']} | `{tag}`: {d['reason']} | {d['rfc']} | "
                             f"{', '.join(d['suts'])} | {_SYMBOL[e['outcome']]} |")
        lines.append("")
    by_area: dict[str, list[dict]] = defaultdict(list)
    for e in payload["results"]:
        by_area[e.get("area", "other")].append(e)
    for area in sorted(by_area):
        lines += [f"## {area}", "", "| feature | scenario | RFC | result | artifacts |", "|---|---|---|---|---|"]
        for e in sorted(by_area[area], key=lambda x: (x["feature"], x["scenario"])):
            rfcs = ", ".join(t for t in e["tags"] if t.startswith("rfc")) or "-"
            link = "-"
            if e.get("artifacts"):
                link = f"[files]({os.path.relpath(e['artifacts'], out)})"
            lines.append(f"| {e['feature']} | {e['scenario']} | {rfcs} | {_SYMBOL[e['outcome']]} | {link} |")
        lines.append("")
    problems = [e for e in payload["results"] if e["outcome"] in ("failed", "error", "xpassed")]
    if problems:
        lines += ["## Failures", ""]
        for e in problems:
            lines += [f"### {e['feature']}: {e['scenario']}", "", "```", e["longrepr"][-4000:], "```", ""]
    return "\n".join(lines) + "\n"

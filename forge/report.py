"""Run reports: the per-area summary, and a Markdown report linking each scenario's artifacts."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


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
    rows = [f"{'area':<12}{'passed':>8}{'failed':>8}{'errors':>8}{'skipped':>9}{'deviations':>12}"]
    for area, c in areas.items():
        total.update(c)
        rows.append(_row(area, c))
    rows.append(_row("total", total))
    return "\n".join(rows)


def _row(name: str, c: Counter) -> str:
    return (f"{name:<12}{c['passed']:>8}{c['failed'] + c['xpassed']:>8}{c['error']:>8}{c['skipped']:>9}"
            f"{c['xfailed']:>12}")


_SYMBOL = {"passed": "pass", "failed": "**FAIL**", "error": "**ERROR**", "skipped": "unsupported",
           "xfailed": "deviation (expected)", "xpassed": "**unexpected pass**"}


def markdown(payload: dict, out: Path) -> str:
    sut = payload["sut"]
    lines = [f"# forge conformance report: {sut}", "", "## Summary per area", "", "```",
             summary_table(payload), "```", ""]
    lines += ["*failed* includes unexpected passes of known deviations; *deviations* counts scenarios that "
              "failed as the known deviation says they do.", ""]
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

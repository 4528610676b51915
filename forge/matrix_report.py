"""The interop matrix: scenario x SUT from each SUT's results.json, as Markdown and as a self-contained HTML page.

Rows are grouped by area, then by the scenario's RFC tags; each cell is one of KINDS, with its reason and a
relative link to the cell's artifact folder (left out for copies kept in the repository's docs).
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# kind: (label, CSS background, CSS text colour)
KINDS = {
    "pass": ("pass", "#d7f5dd", "#0b4d1c"),
    "fail": ("FAIL", "#f9c9c9", "#7a0000"),
    "unexpected-pass": ("unexpected pass", "#ffd59e", "#6b3a00"),
    "known": ("known failure", "#fff1b8", "#5c4700"),
    "deviation": ("deviation", "#e4dcf7", "#3d2a78"),
    "unsupported": ("unsupported", "#e8e8e8", "#444444"),
    "not-run": ("not run", "#ffffff", "#777777"),
}
MEANING = {
    "pass": "the scenario passed",
    "fail": "failed or errored, and is not in the SUT's baseline: an unexpected failure",
    "unexpected-pass": "listed in the baseline or tagged as a deviation for this SUT, but passed: update the "
                       "baseline or the tag",
    "known": "failed as the SUT's baseline (features/baselines/<sut>.yaml) says it does",
    "deviation": "failed as a deviation tag of features/tags.yaml says it does (a known RFC deviation)",
    "unsupported": "skipped: the SUT's adapter does not claim a capability the scenario needs",
    "not-run": "no result for this SUT (not collected, or its run produced no results.json)",
}
_KIND_OF = {"passed": "pass", "failed": "fail", "error": "fail", "xpassed": "unexpected-pass",
            "known-failure": "known", "xfailed": "deviation", "skipped": "unsupported"}
UNEXPECTED_KINDS = ("fail", "unexpected-pass")
COUNT_COLUMNS = (("passed", ("pass",)), ("known failures", ("known",)), ("deviations", ("deviation",)),
                 ("unsupported", ("unsupported",)), ("unexpected", UNEXPECTED_KINDS), ("not run", ("not-run",)))


@dataclass(frozen=True)
class Cell:
    kind: str
    reason: str = ""
    link: str | None = None


@dataclass
class Row:
    area: str
    rfcs: str
    feature: str
    scenario: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Matrix:
    suts: list[str]
    rows: list[Row]
    problems: dict[str, str]  # sut -> why its run gave no results

    def counts(self, sut: str) -> Counter:
        return Counter(row.cells[sut].kind for row in self.rows)

    def unexpected(self) -> list[tuple[str, Row]]:
        return [(sut, row) for row in self.rows for sut in self.suts if row.cells[sut].kind in UNEXPECTED_KINDS]

    def groups(self) -> list[tuple[str, str, list[Row]]]:
        out: list[tuple[str, str, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][:2] != (row.area, row.rfcs):
                out.append((row.area, row.rfcs, []))
            out[-1][2].append(row)
        return out


def kind_of(outcome: str) -> str:
    return _KIND_OF.get(outcome, "fail")


def rfc_label(tags) -> str:
    rfcs = sorted((t for t in tags if re.fullmatch(r"rfc\d+", t)), key=lambda t: int(t[3:]))
    return ", ".join(f"RFC {t[3:]}" for t in rfcs) or "no RFC"


def _display_name(entry: dict) -> str:
    params = re.search(r"\[(.*)\]$", entry["nodeid"])
    return entry["scenario"] + (f" [{params.group(1)}]" if params else "")


def _reason(entry: dict, kind: str) -> str:
    text = (entry.get("longrepr") or "").strip()
    if kind == "fail":
        lines = [line for line in text.splitlines() if line.strip()]
        text = " / ".join(lines[-3:])  # the end of a traceback says what went wrong
    return text[:600]


def build(runs: dict[str, dict | None], out: Path, *, links: bool = True,
          problems: dict[str, str] | None = None) -> Matrix:
    """The matrix from each SUT's results.json payload (None when its run produced none); links are relative
    to out, the folder the reports are written to."""
    rows: dict[str, Row] = {}
    for sut, payload in runs.items():
        for entry in (payload or {}).get("results", ()):
            row = rows.setdefault(entry["nodeid"], Row(entry.get("area", "other"), rfc_label(entry.get("tags", ())),
                                                       entry.get("feature", ""), _display_name(entry)))
            kind = kind_of(entry["outcome"])
            link = None
            if links and entry.get("artifacts"):
                link = Path(os.path.relpath(entry["artifacts"], out)).as_posix() + "/"
            row.cells[sut] = Cell(kind, _reason(entry, kind), link)
    suts = list(runs)
    for row in rows.values():
        for sut in suts:
            row.cells.setdefault(sut, Cell("not-run", (problems or {}).get(sut, "")))
    ordered = sorted(rows.values(), key=lambda r: (r.area, r.rfcs, r.feature, r.scenario))
    return Matrix(suts=suts, rows=ordered, problems=dict(problems or {}))


# -- Markdown -------------------------------------------------------------------
def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_cell(cell: Cell) -> str:
    label = KINDS[cell.kind][0]
    if cell.kind in UNEXPECTED_KINDS:
        label = f"**{label}**"
    if cell.link:
        title = cell.reason.replace('"', "'").replace("\n", " ")
        label = f"[{label}]({cell.link}" + (f' "{_md(title)}"' if title else "") + ")"
    return label


def markdown(matrix: Matrix) -> str:
    lines = ["# forge interop matrix", "",
             f"The conformance suite against {', '.join(matrix.suts)}: one row per scenario, grouped by area "
             "and RFC; one column per server under test.", "", "## Counts per SUT", "",
             "| SUT | " + " | ".join(name for name, _ in COUNT_COLUMNS) + " | total |",
             "|---|" + "---:|" * (len(COUNT_COLUMNS) + 1)]
    for sut in matrix.suts:
        c = matrix.counts(sut)
        lines.append(f"| {sut} | " + " | ".join(str(sum(c[k] for k in kinds)) for _, kinds in COUNT_COLUMNS)
                     + f" | {sum(c.values())} |")
    lines += ["", "Cells: " + "; ".join(f"*{KINDS[k][0]}*: {MEANING[k]}" for k in KINDS) + ".", ""]
    for sut, why in matrix.problems.items():
        lines += [f"**{sut}: {_md(why)}**", ""]
    area = None
    for group_area, rfcs, rows in matrix.groups():
        if group_area != area:
            area = group_area
            lines += [f"## {area}", ""]
        lines += [f"### {rfcs}", "", "| scenario | feature | " + " | ".join(matrix.suts) + " |",
                  "|---|---|" + "---|" * len(matrix.suts)]
        for row in rows:
            lines.append(f"| {_md(row.scenario)} | {_md(row.feature)} | "
                         + " | ".join(_md_cell(row.cells[s]) for s in matrix.suts) + " |")
        lines.append("")
    notes = [(sut, row) for row in matrix.rows for sut in matrix.suts
             if row.cells[sut].kind not in ("pass", "not-run")]
    if notes:
        lines += ["## Why a cell is not a pass", "", "| SUT | scenario | cell | reason |", "|---|---|---|---|"]
        lines += [f"| {sut} | {_md(row.scenario)} | {KINDS[row.cells[sut].kind][0]} | {_md(row.cells[sut].reason)} |"
                  for sut, row in notes]
        lines.append("")
    unexpected = matrix.unexpected()
    lines += ["## Unexpected results", ""]
    lines += [f"- {sut}: {KINDS[row.cells[sut].kind][0].upper()}: {_md(row.feature)}: {_md(row.scenario)}"
              for sut, row in unexpected] or ["None."]
    return "\n".join(lines) + "\n"


# -- HTML -----------------------------------------------------------------------
def _css() -> str:
    kinds = "\n".join(f"td.{k} {{ background: {bg}; color: {fg}; }}" for k, (_, bg, fg) in KINDS.items())
    return """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1a1a1a; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.5em; } h3 { font-size: 1.05em; color: #333; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; }
td.scenario { max-width: 40em; } td.feature { color: #555; font-size: 0.9em; }
td.cell { white-space: nowrap; font-weight: 600; text-align: center; }
td.cell a { color: inherit; }
td.fail, td.unexpected-pass { outline: 2px solid #b00000; outline-offset: -2px; }
.problem { color: #7a0000; font-weight: 600; }
""" + kinds + "\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_cell(cell: Cell) -> str:
    label = _e(KINDS[cell.kind][0])
    if cell.link:
        label = f'<a href="{_e(cell.link)}">{label}</a>'
    title = f' title="{_e(cell.reason)}"' if cell.reason else ""
    return f'<td class="cell {cell.kind}"{title}>{label}</td>'


def render_html(matrix: Matrix) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           "<title>forge interop matrix</title>", f"<style>{_css()}</style>", "</head>", "<body>",
           "<h1>forge interop matrix</h1>",
           f"<p>The conformance suite against {_e(', '.join(matrix.suts))}: one row per scenario, grouped by area "
           "and RFC; one column per server under test. Hover a cell for its reason.</p>",
           "<h2>Counts per SUT</h2>", "<table>", "<tr><th>SUT</th>"
           + "".join(f"<th>{_e(name)}</th>" for name, _ in COUNT_COLUMNS) + "<th>total</th></tr>"]
    for sut in matrix.suts:
        c = matrix.counts(sut)
        out.append(f"<tr><td>{_e(sut)}</td>" + "".join(f'<td class="num">{sum(c[k] for k in kinds)}</td>'
                                                       for _, kinds in COUNT_COLUMNS)
                   + f'<td class="num">{sum(c.values())}</td></tr>')
    out += ["</table>", "<h2>Cells</h2>", "<table>"]
    out += [f'<tr><td class="cell {k}">{_e(label)}</td><td>{_e(MEANING[k])}</td></tr>'
            for k, (label, _, _) in KINDS.items()]
    out.append("</table>")
    out += [f'<p class="problem">{_e(sut)}: {_e(why)}</p>' for sut, why in matrix.problems.items()]
    area = None
    for group_area, rfcs, rows in matrix.groups():
        if group_area != area:
            if area is not None:
                out.append("</table>")
            area = group_area
            out += [f"<h2>{_e(area)}</h2>", "<table>"]
        out.append(f'<tr><th colspan="{len(matrix.suts) + 2}">{_e(rfcs)}</th></tr>')
        out.append("<tr><th>scenario</th><th>feature</th>" + "".join(f"<th>{_e(s)}</th>" for s in matrix.suts)
                   + "</tr>")
        for row in rows:
            out.append(f'<tr><td class="scenario">{_e(row.scenario)}</td><td class="feature">{_e(row.feature)}</td>'
                       + "".join(_html_cell(row.cells[s]) for s in matrix.suts) + "</tr>")
    if area is not None:
        out.append("</table>")
    notes = [(sut, row) for row in matrix.rows for sut in matrix.suts
             if row.cells[sut].kind not in ("pass", "not-run")]
    if notes:
        out += ["<h2>Why a cell is not a pass</h2>", "<table>",
                "<tr><th>SUT</th><th>scenario</th><th>cell</th><th>reason</th></tr>"]
        out += [f"<tr><td>{_e(sut)}</td><td>{_e(row.scenario)}</td>{_html_cell(row.cells[sut])}"
                f"<td>{_e(row.cells[sut].reason)}</td></tr>" for sut, row in notes]
        out.append("</table>")
    unexpected = matrix.unexpected()
    out.append("<h2>Unexpected results</h2>")
    if unexpected:
        out.append("<ul>" + "".join(f'<li class="problem">{_e(sut)}: {_e(KINDS[row.cells[sut].kind][0].upper())}: '
                                    f"{_e(row.feature)}: {_e(row.scenario)}</li>" for sut, row in unexpected)
                   + "</ul>")
    else:
        out.append("<p>None.</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"

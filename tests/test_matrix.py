"""The interop matrix rendered from synthetic results.json files: grouping, every cell kind, counts, links,
the copies for the docs, and a self-contained HTML page."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from forge import matrix, matrix_report
from forge.lab.topology import REPO_ROOT


def entry(nodeid: str, tags, scenario: str, feature: str, outcome: str, artifacts=None, longrepr: str = "") -> dict:
    area = next((t for t in tags if t in ("dhcp4", "dhcp6", "ddns")), "other")
    out = {"nodeid": nodeid, "outcome": outcome, "tags": sorted(tags), "scenario": scenario, "feature": feature,
           "area": area, "longrepr": longrepr, "duration": 0.1}
    if artifacts:
        out["artifacts"] = str(artifacts)
    return out


def results(tmp_path, sut: str) -> dict:
    art = tmp_path / "out" / sut / "scenarios"
    dora = ("scenarios/test_dhcp4.py::test_dora", ["dhcp4", "v4", "rfc2131", "dora"], "DORA <leases>",
            "features/dhcp4/dora.feature")
    cid = ("scenarios/test_dhcp4.py::test_client_id", ["dhcp4", "v4", "rfc2131", "rfc6842"], "client-id echo",
           "features/dhcp4/client_id.feature")
    sarr = ("scenarios/test_dhcp6.py::test_sarr[2]", ["dhcp6", "v6", "rfc8415"], "SARR <n>",
            "features/dhcp6/sarr.feature")
    pd = ("scenarios/test_dhcp6.py::test_pd", ["dhcp6", "pd", "rfc8415"], "PD", "features/dhcp6/pd.feature")
    inforeq = ("scenarios/test_dhcp6.py::test_inforeq", ["dhcp6", "v6", "rfc8415"], "INFOREQ with IA",
               "features/dhcp6/information_request.feature")
    relay = ("scenarios/test_dhcp4.py::test_relay", ["dhcp4", "relay", "rfc2131", "rfc3046"], "relayed NAK",
             "features/dhcp4/relay.feature")
    ddns = ("scenarios/test_ddns.py::test_tsig", ["ddns", "rfc8945"], "TSIG <algo>", "features/ddns/tsig.feature")
    if sut == "good":
        rows = [(dora, "passed", ""), (cid, "passed", ""), (sarr, "passed", ""), (pd, "passed", ""),
                (inforeq, "xfailed", "known good deviation from RFC 8415 16.12: answers it"),
                (relay, "passed", ""), (ddns, "passed", "")]
    else:
        rows = [(dora, "failed", "Traceback\n  line\nCheckFailed: expected option 51 = 9999, got 4000"),
                (cid, "known-failure", "known odd failure (baseline): missing feature: echo switch"),
                (sarr, "skipped", "not supported by odd: needs v6 (the SUT serves DHCPv6)"),
                (pd, "skipped", "not supported by odd: needs pd (the SUT delegates prefixes (IA_PD))"),
                (inforeq, "xpassed", "[XPASS(strict)] known odd failure (baseline): says it fails"),
                (relay, "error", "fixture error <&\"quoted\">")]  # ddns not run at all
    return {"sut": sut, "results": [entry(*spec, artifacts=art / spec[0].split("::")[1], longrepr=why, outcome=o)
                                    for spec, o, why in rows]}


def build(tmp_path, **kw) -> matrix_report.Matrix:
    return matrix_report.build({"good": results(tmp_path, "good"), "odd": results(tmp_path, "odd")},
                               tmp_path / "out", **kw)


def test_rows_are_grouped_by_area_then_rfc(tmp_path):
    m = build(tmp_path)
    assert [(area, rfcs, [r.scenario for r in rows]) for area, rfcs, rows in m.groups()] == [
        ("ddns", "RFC 8945", ["TSIG <algo>"]),
        ("dhcp4", "RFC 2131", ["DORA <leases>"]),
        ("dhcp4", "RFC 2131, RFC 3046", ["relayed NAK"]),
        ("dhcp4", "RFC 2131, RFC 6842", ["client-id echo"]),
        ("dhcp6", "RFC 8415", ["INFOREQ with IA", "PD", "SARR <n> [2]"]),
    ]


def test_every_cell_kind_and_the_counts(tmp_path):
    m = build(tmp_path)
    odd = {r.scenario: r.cells["odd"].kind for r in m.rows}
    assert odd == {"DORA <leases>": "fail", "client-id echo": "known", "SARR <n> [2]": "unsupported",
                   "PD": "unsupported", "INFOREQ with IA": "unexpected-pass", "relayed NAK": "fail",
                   "TSIG <algo>": "not-run"}
    assert {r.cells["good"].kind for r in m.rows} == {"pass", "deviation"}
    assert m.counts("good") == {"pass": 6, "deviation": 1}
    assert m.counts("odd") == {"fail": 2, "known": 1, "unsupported": 2, "unexpected-pass": 1, "not-run": 1}
    assert [(sut, r.scenario) for sut, r in m.unexpected()] == [
        ("odd", "DORA <leases>"), ("odd", "relayed NAK"), ("odd", "INFOREQ with IA")]
    md = matrix_report.markdown(m)
    assert "| good | 6 | 0 | 1 | 0 | 0 | 0 | 7 |" in md
    assert "| odd | 0 | 1 | 0 | 2 | 3 | 1 | 7 |" in md
    assert "- odd: FAIL: features/dhcp4/dora.feature: DORA <leases>" in md
    assert "- odd: UNEXPECTED PASS: features/dhcp6/information_request.feature: INFOREQ with IA" in md


def test_cells_carry_their_reason_and_a_relative_link(tmp_path):
    m = build(tmp_path)
    dora = next(r for r in m.rows if r.scenario == "DORA <leases>")
    assert dora.cells["odd"].link == "odd/scenarios/test_dora/"
    assert dora.cells["odd"].reason == "Traceback /   line / CheckFailed: expected option 51 = 9999, got 4000"
    md = matrix_report.markdown(m)
    assert "[**FAIL**](odd/scenarios/test_dora/ \"Traceback /   line / CheckFailed: expected option 51" in md
    assert "| odd | client-id echo | known failure | known odd failure (baseline): missing feature: echo switch |" \
        in md
    page = matrix_report.render_html(m)
    assert ('<td class="cell unsupported" title="not supported by odd: needs pd (the SUT delegates prefixes '
            '(IA_PD))"><a href="odd/scenarios/test_pd/">unsupported</a></td>') in page
    assert 'title="fixture error &lt;&amp;&quot;quoted&quot;&gt;"' in page  # escaped, not broken markup
    assert "<td>known odd failure (baseline): missing feature: echo switch</td></tr>" in page  # not only a tooltip


def test_docs_copies_have_no_artifact_links(tmp_path):
    (tmp_path / "out").mkdir()
    runs = {"good": results(tmp_path, "good"), "odd": results(tmp_path, "odd")}
    m = matrix.write_reports(runs, tmp_path / "out", {}, docs=tmp_path / "docs")
    assert len(m.unexpected()) == 3
    assert "](odd/scenarios/" in (tmp_path / "out" / "matrix.md").read_text()
    assert 'href="odd/scenarios/' in (tmp_path / "out" / "matrix.html").read_text()
    for name in ("matrix.md", "matrix.html"):
        text = (tmp_path / "docs" / name).read_text()
        assert "scenarios/" not in text and "href=" not in text, name
        assert "known failure" in text and "unsupported" in text


def test_html_is_self_contained(tmp_path):
    page = matrix_report.render_html(build(tmp_path))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert not re.search(r"url\(|@import", page)
    for kind, (label, background, _) in matrix_report.KINDS.items():
        assert f"td.{kind} {{ background: {background};" in page
        assert f'<td class="cell {kind}">{label}</td>' in page  # the legend


def test_a_sut_without_results_is_reported(tmp_path):
    runs = {"good": results(tmp_path, "good"), "gone": None}
    m = matrix_report.build(runs, tmp_path / "out", problems={"gone": "its run gave no results (exit 4)"})
    assert m.counts("gone") == {"not-run": 7}
    assert all(r.cells["gone"].reason == "its run gave no results (exit 4)" for r in m.rows)
    assert "**gone: its run gave no results (exit 4)**" in matrix_report.markdown(m)


def test_counts_line(tmp_path):
    assert matrix.counts_line(results(tmp_path, "odd")) == \
        "0 passed, 1 known failures, 0 deviations, 2 unsupported, 3 unexpected"


def test_unknown_sut_is_a_usage_error():
    proc = subprocess.run([sys.executable, "-m", "forge.cli", "matrix", "--suts", "kea,nosuch"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "unknown SUT nosuch" in proc.stderr


def test_results_json_round_trip(tmp_path):
    """What write_reports reads is what the plugin writes: JSON with the same keys."""
    payload = json.loads(json.dumps(results(tmp_path, "odd")))
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "results.json").write_text(json.dumps(payload))
    assert matrix.load_results(tmp_path / "odd") == payload
    assert matrix.load_results(tmp_path / "missing") is None

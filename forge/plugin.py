"""The forge pytest plugin: lab and SUT fixtures, guards, artifacts, step traces and results.

Baselines (forge/baseline.py): a scenario listed in features/baselines/<sut>.yaml is a strict xfail with the
outcome "known-failure", kept apart from deviation tags ("xfailed"); a listed scenario that passes is an
unexpected pass, and a listed one that matches no scenario is stale (a warning, an error with --strict-baseline).

Guards (each makes the run fail):
  * a scenario with no steps, or with no Then step (pytest-bdd passes those silently);
  * a step with no definition (pytest-bdd's own StepDefinitionNotFoundError);
  * a tag that features/tags.yaml does not register (a collection error).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from forge import report
from forge.adapters import adapter_class
from forge.baseline import BaselineError, default_path, feature_key, load_baseline, scenario_key
from forge.hosts import NetnsHost
from forge.hosts.connect import SutSite, open_sut_site
from forge.lab import load_lab
from forge.lab.topology import REPO_ROOT
from forge.packets.wire import Wire
from forge.scenario import Scenario
from forge.tags import load_tags

TRACE = pytest.StashKey[list]()
REPORTS = pytest.StashKey[dict]()
ARTIFACTS = pytest.StashKey[str]()
BASELINE = pytest.StashKey[str]()
FEATURES_DIR = REPO_ROOT / "features"


def pytest_addoption(parser):
    group = parser.getgroup("forge")
    group.addoption("--sut", default=os.environ.get("FORGE_SUT", "lessor"), help="server under test (default: lessor)")
    group.addoption("--lab", default=None, help="lab file (default: $FORGE_LAB or lab/default.yaml)")
    group.addoption("--artifacts", default=os.environ.get("FORGE_ARTIFACTS"),
                    help="folder for per-scenario artifacts and reports (default: artifacts/<sut>)")
    group.addoption("--tags-file", default=str(FEATURES_DIR / "tags.yaml"), help="the tag registry")
    group.addoption("--baseline", default=None,
                    help="the SUT's known failures (default: features/baselines/<sut>.yaml when it exists)")
    group.addoption("--no-baseline", action="store_true", help="ignore the baseline: known failures fail")
    group.addoption("--strict-baseline", action="store_true",
                    help="a baseline entry that matches no scenario is an error, not a warning")


def pytest_configure(config):
    registry = load_tags(Path(config.getoption("--tags-file")))
    config.stash[REPORTS] = {}
    config._forge_tags = registry
    for tag, text in registry.descriptions.items():
        config.addinivalue_line("markers", f"{tag}: {text}")
    config.option.strict_markers = True
    artifacts = config.getoption("--artifacts") or str(REPO_ROOT / "artifacts" / config.getoption("--sut"))
    config._forge_artifacts = Path(artifacts).resolve()
    config._forge_baseline = _load_baseline(config)
    config._forge_stale = []


def _load_baseline(config):
    if config.getoption("--no-baseline"):
        return None
    sut = config.getoption("--sut")
    given = config.getoption("--baseline")
    path = Path(given) if given else default_path(FEATURES_DIR, sut)
    if not given and not path.exists():
        return None
    try:
        return load_baseline(path.resolve(), sut)
    except BaselineError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag, function):
    from pytest_bdd.utils import CONFIG_STACK

    registry = CONFIG_STACK[-1]._forge_tags
    if tag not in registry:
        raise pytest.UsageError(f"unregistered tag @{tag}: add it to features/tags.yaml (or fix the typo)")
    return getattr(pytest.mark, tag)(function)


def _item_tags(item) -> set[str]:
    return {m.name for m in item.iter_markers()}


def _feature_and_title(item) -> tuple[str, str] | None:
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    return feature_key(template.feature.filename, FEATURES_DIR), template.name


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselect: stale entries are judged on every collected scenario
def pytest_collection_modifyitems(config, items):
    registry = config._forge_tags
    sut = config.getoption("--sut")
    baseline = config._forge_baseline
    collected: dict[str, set[str]] = {}
    for item in items:
        deviated = False
        for tag in _item_tags(item):
            deviation = registry.deviations.get(tag)
            if deviation and sut in deviation.suts:
                deviated = True
                item.add_marker(pytest.mark.xfail(
                    strict=True, reason=f"known {sut} deviation from {deviation.rfc}: {deviation.reason}"))
        where = _feature_and_title(item)
        if where is None:
            continue
        collected.setdefault(where[0], set()).add(where[1])
        reason = baseline.reason_for(*where) if baseline else None
        if reason and not deviated:  # a deviation tag already expects the failure and says why
            reason = f"known {sut} failure (baseline): {reason}"
            item.stash[BASELINE] = reason
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    if baseline:
        config._forge_stale = baseline.stale(collected, FEATURES_DIR)
        if config._forge_stale and config.getoption("--strict-baseline"):
            raise pytest.UsageError(f"baseline {baseline.path}: entries matching no scenario (stale): "
                                    + "; ".join(config._forge_stale))


def pytest_runtest_setup(item):
    registry = item.config._forge_tags
    sut = item.config.getoption("--sut")
    needed = sorted(t for t in _item_tags(item) if t in registry.capabilities)
    lacking = [t for t in needed if t not in adapter_class(sut).capabilities]
    if lacking:
        pytest.skip(f"not supported by {sut}: needs "
                    + ", ".join(f"{t} ({registry.descriptions[t]})" for t in lacking))


# -- guards -------------------------------------------------------------------
def pytest_bdd_before_scenario(request, feature, scenario):
    trace = request.node.stash.setdefault(TRACE, [])
    trace[:0] = [f"Feature: {feature.name} ({feature.rel_filename})", f"Scenario: {scenario.name}"]
    if not scenario.steps:
        pytest.fail(f"scenario {scenario.name!r} in {feature.rel_filename} has no steps: lines without "
                    f"Given/When/Then are only description, so it would test nothing", pytrace=False)
    if not any(step.type == "then" for step in scenario.steps):
        pytest.fail(f"scenario {scenario.name!r} in {feature.rel_filename} has no Then step: it asserts nothing",
                    pytrace=False)


def _trace(request, line: str) -> None:
    request.node.stash.setdefault(TRACE, []).append(f"{time.strftime('%H:%M:%S')} {line}")


def pytest_bdd_before_step(request, feature, scenario, step, step_func):
    _trace(request, f"  {step.keyword} {step.name}")


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    _trace(request, f"    FAILED: {exception}")


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    _trace(request, f"  UNDEFINED STEP: {step.keyword} {step.name}")


# -- fixtures -----------------------------------------------------------------
@pytest.fixture(scope="session")
def forge_lab(request):
    lab = load_lab(request.config.getoption("--lab"))
    if not Path(f"/sys/class/net/{lab.tester.iface}").exists():
        pytest.exit(f"{lab.tester.iface} is not in this network namespace: run the scenarios with "
                    f"`forge run` (or `ip netns exec {lab.tester.netns} pytest ...` after `forge lab up`)",
                    returncode=4)
    return lab


@pytest.fixture(scope="session")
def forge_workroot():
    root = Path(tempfile.mkdtemp(prefix="forge-"))  # short: unix socket paths are limited to 107 bytes
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def forge_sut_site(forge_lab, forge_workroot):
    """The SUT's host (its namespace here, or SSH when the lab's sut.host says so) and the scenarios' folder there."""
    if forge_lab.sut_host.type != "ssh":
        yield SutSite(NetnsHost(forge_lab.sut.netns), str(forge_workroot))
        return
    site = open_sut_site(forge_lab)
    try:
        yield site
    finally:
        site.close()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80]


@pytest.fixture
def scenario(request, forge_lab, forge_sut_site):
    config = request.config
    sut = config.getoption("--sut")
    item = request.node
    artifacts = config._forge_artifacts / "scenarios" / _slug(item.nodeid.split("::")[-1])
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    adapter = adapter_class(sut)(forge_sut_site.host, forge_lab, forge_sut_site.next_workdir())
    tester = forge_lab.tester
    wire = Wire(tester.iface, arp_for=tester.ipv4, mac=tester.mac, arp_except=(str(forge_lab.sut.ipv4.ip),))
    wire.start()
    ctx = Scenario(lab=forge_lab, adapter=adapter, wire=wire, artifacts=artifacts, sut=sut)
    ctx.trace = item.stash.setdefault(TRACE, [])  # steps and what they saw, in one timeline
    item.stash[ARTIFACTS] = str(artifacts)
    try:
        yield ctx
    finally:
        try:
            adapter.stop()
        finally:
            try:
                _stop_daemons(ctx, artifacts)
            finally:
                wire.stop()
                wire.write_pcap(str(artifacts / "tester.pcap"))
                adapter.collect(artifacts)
                (artifacts / "steps.txt").write_text("\n".join(ctx.trace) + "\n")


def _stop_daemons(ctx: Scenario, artifacts: Path) -> None:
    """Stop the scenario's helper daemons (DHCP-DDNS daemon, DNS server), newest first, and keep their files;
    one that fails to stop or copy does not keep the others running."""
    errors = []
    for role, daemon in reversed(list(ctx.daemons.items())):
        try:
            daemon.stop()
        except Exception as exc:  # noqa: BLE001 - report them all after every daemon had its turn
            errors.append(f"{role}: {exc}")
        finally:
            daemon.collect(artifacts)
    if errors:
        raise RuntimeError("stopping the scenario's daemons failed: " + "; ".join(errors))


# -- results ------------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    results = item.config.stash[REPORTS]
    entry = results.setdefault(item.nodeid, {
        "nodeid": item.nodeid, "outcome": "passed", "longrepr": "", "tags": sorted(_item_tags(item)),
        "feature": "", "scenario": item.nodeid.split("::")[-1], "duration": 0.0,
    })
    entry["duration"] += rep.duration
    doc = item.obj.__doc__ or ""  # pytest-bdd sets "<feature>: <scenario>"
    if ":" in doc and not entry["feature"]:
        feature, _, entry["scenario"] = (p.strip() for p in doc.partition(":"))
        entry["feature"] = os.path.relpath(feature, REPO_ROOT) if os.path.isabs(feature) else feature
    if rep.skipped and hasattr(rep, "wasxfail"):
        entry["outcome"] = "known-failure" if BASELINE in item.stash else "xfailed"
        entry["longrepr"] = rep.wasxfail
    elif rep.skipped:
        if entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
            entry["longrepr"] = reason.removeprefix("Skipped: ")
    elif rep.failed and rep.when == "call" and str(rep.longrepr).startswith("[XPASS(strict)]"):
        entry["outcome"] = "xpassed"  # a known failure or deviation that passed: strict xfail fails the run
        entry["longrepr"] = str(rep.longrepr)
    elif rep.failed:
        entry["outcome"] = "failed" if rep.when == "call" else "error"
        entry["longrepr"] = str(rep.longrepr)
    elif rep.passed and hasattr(rep, "wasxfail") and rep.when == "call":
        entry["outcome"] = "xpassed"
    if ARTIFACTS in item.stash:
        entry["artifacts"] = item.stash[ARTIFACTS]
    if BASELINE in item.stash:
        entry["baseline"] = item.stash[BASELINE]
    if "key" not in entry and (where := _feature_and_title(item)):
        entry["key"] = scenario_key(*where)  # as a baseline names it
    return rep


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    results = list(config.stash[REPORTS].values())
    if not results or not hasattr(config, "_forge_artifacts"):
        return
    out = config._forge_artifacts
    out.mkdir(parents=True, exist_ok=True)
    registry = config._forge_tags
    for entry in results:
        entry["area"] = report.area_of(entry, registry)
    baseline = config._forge_baseline
    payload = {"sut": config.getoption("--sut"), "results": results,
               "deviations": {t: d.__dict__ for t, d in registry.deviations.items()},
               "baseline": None if baseline is None else {
                   "file": str(baseline.path), "entries": len(baseline.reasons), "stale": config._forge_stale}}
    payload["unexpected"] = report.unexpected(payload)
    (out / "results.json").write_text(json.dumps(payload, indent=1))
    (out / "report.md").write_text(report.markdown(payload, out))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    path = getattr(config, "_forge_artifacts", None)
    if path is None or not (path / "results.json").exists():
        return
    payload = json.loads((path / "results.json").read_text())
    terminalreporter.write_sep("=", f"forge summary for {payload['sut']}")
    terminalreporter.write_line(report.summary_table(payload))
    for line in report.problem_lines(payload):
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"report: {path / 'report.md'}")

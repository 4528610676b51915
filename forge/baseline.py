"""Baselines: the scenarios known to fail on a SUT, each with why (features/baselines/<sut>.yaml).

    sut: iscdhcp
    known-failures:
      - scenario: "dhcp4/dora.feature: <exact Scenario title>"
        reason: "missing feature: ..."

A listed scenario is run as a strict xfail: failing is a known failure, passing is an unexpected pass.
A Scenario Outline's title covers all its examples. An entry that matches no scenario is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

TOP_KEYS = ("sut", "known-failures")
ENTRY_KEYS = ("scenario", "reason")


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Baseline:
    path: Path
    sut: str
    reasons: dict[str, str]  # "<feature path under features/>: <scenario title>" -> reason

    def reason_for(self, feature: str, title: str) -> str | None:
        return self.reasons.get(scenario_key(feature, title))

    def stale(self, collected: dict[str, set[str]], features_dir: Path) -> list[str]:
        """Entries matching no scenario: their feature file was collected without such a title, or it does not
        exist under features_dir. collected maps each collected feature path to its scenario titles; a feature
        left out of the run (e.g. `forge run -- scenarios/test_dhcp4.py`) cannot tell, so its entries are kept."""
        stale = []
        for key in self.reasons:
            feature, _, title = key.partition(": ")
            if feature in collected:
                if title not in collected[feature]:
                    stale.append(key)
            elif not (features_dir / feature).is_file():
                stale.append(key)
        return stale


def scenario_key(feature: str, title: str) -> str:
    return f"{feature}: {title}"


def feature_key(filename: str, features_dir: Path) -> str:
    """A feature file's path under the features folder (dhcp4/dora.feature), as baselines name it."""
    path = Path(filename).resolve()
    try:
        return path.relative_to(features_dir.resolve()).as_posix()
    except ValueError:
        pass
    parts = path.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "features":
            return Path(*parts[i + 1:]).as_posix()
    return path.name


def default_path(features_dir: Path, sut: str) -> Path:
    return features_dir / "baselines" / f"{sut}.yaml"


def load_baseline(path: Path, sut: str) -> Baseline:
    """Read and check a baseline file for the SUT; BaselineError names what is wrong and where."""
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise BaselineError(f"baseline {path}: cannot read it: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise BaselineError(f"baseline {path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise BaselineError(f"baseline {path}: expected a mapping with keys {', '.join(TOP_KEYS)}")
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise BaselineError(f"baseline {path}: unknown keys {', '.join(map(str, unknown))}; "
                            f"expected {', '.join(TOP_KEYS)}")
    if data.get("sut") != sut:
        raise BaselineError(f"baseline {path}: it is for sut {data.get('sut')!r}, but the run is against {sut!r}")
    entries = data.get("known-failures") or []
    if not isinstance(entries, list):
        raise BaselineError(f"baseline {path}: known-failures must be a list of {{scenario, reason}} entries")
    reasons: dict[str, str] = {}
    for number, entry in enumerate(entries, 1):
        where = f"baseline {path}: known-failures entry {number}"
        if not isinstance(entry, dict):
            raise BaselineError(f"{where}: expected a mapping with keys {', '.join(ENTRY_KEYS)}, got {entry!r}")
        scenario = entry.get("scenario")
        if isinstance(scenario, str):
            where += f" ({scenario!r})"
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            raise BaselineError(f"{where}: unknown keys {', '.join(map(str, unknown))}; "
                                f"expected {', '.join(ENTRY_KEYS)}")
        if not isinstance(scenario, str) or ".feature: " not in scenario:
            raise BaselineError(f"{where}: scenario must read \"<feature path under features/>: <Scenario title>\", "
                                f"e.g. \"dhcp4/dora.feature: REQUEST for the offered address is ACKed and leased\"")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise BaselineError(f"{where}: missing reason (why it fails: \"deviation: RFC ... - ...\" "
                                f"or \"missing feature: ...\")")
        if scenario in reasons:
            raise BaselineError(f"{where}: listed twice")
        reasons[scenario] = reason.strip()
    return Baseline(path=path, sut=sut, reasons=reasons)

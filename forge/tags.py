"""The registry of feature tags (features/tags.yaml): areas, RFCs, capabilities, topics and deviations.

A tag that is not registered fails the run: a typo must not silently select nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SECTIONS = ("areas", "rfcs", "capabilities", "topics", "deviations")


@dataclass(frozen=True)
class Deviation:
    tag: str
    suts: tuple[str, ...]
    rfc: str
    reason: str


@dataclass(frozen=True)
class TagRegistry:
    descriptions: dict[str, str]
    capabilities: frozenset[str]
    deviations: dict[str, Deviation]
    rfcs: frozenset[str]
    areas: frozenset[str]

    def __contains__(self, tag: str) -> bool:
        return tag in self.descriptions


def load_tags(path: Path) -> TagRegistry:
    data = yaml.safe_load(path.read_text()) or {}
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise ValueError(f"{path}: unknown sections {', '.join(sorted(unknown))}; expected {', '.join(SECTIONS)}")
    descriptions: dict[str, str] = {}
    deviations: dict[str, Deviation] = {}
    for section in SECTIONS:
        for tag, value in (data.get(section) or {}).items():
            # An area may also be the capability its scenarios need (ddns); any other repeat is a mistake.
            if tag in descriptions and not (section == "capabilities" and tag in (data.get("areas") or {})):
                raise ValueError(f"{path}: tag {tag!r} is registered twice")
            if section == "deviations":
                deviations[tag] = Deviation(tag, tuple(value["suts"]), value["rfc"], value["reason"])
                descriptions[tag] = f"deviation: {value['reason']}"
            else:
                descriptions[tag] = str(value)
    return TagRegistry(
        descriptions=descriptions,
        capabilities=frozenset((data.get("capabilities") or {}).keys()),
        deviations=deviations,
        rfcs=frozenset((data.get("rfcs") or {}).keys()),
        areas=frozenset((data.get("areas") or {}).keys()),
    )

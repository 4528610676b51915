"""Parse perfdhcp's final report."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

_RATE = re.compile(r"^Rate:\s*([0-9.eE+-]+)\s+4-way exchanges/second", re.M)
_SECTION = re.compile(r"^\*\*\*Statistics for:\s*(\S+)\*\*\*\s*$", re.M)
_NUMBER = re.compile(r"([0-9.eE+-]+)")


@dataclass
class Exchange:
    """One exchange's counters: DISCOVER-OFFER or REQUEST-ACK."""

    sent: int = 0
    received: int = 0
    drops: int = 0
    drops_ratio: float = 0.0  # percent

    @classmethod
    def parse(cls, body: str) -> Exchange:
        values: dict[str, str] = {}
        for line in body.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                values[key.strip().lower()] = value.strip()

        def number(key: str) -> float | None:
            m = _NUMBER.match(values.get(key, ""))
            return float(m.group(1)) if m else None

        sent = int(number("sent packets") or 0)
        drops = int(number("drops") or 0)
        ratio = number("drops ratio")
        if ratio is None:
            ratio = 100.0 * drops / sent if sent else 0.0
        return cls(sent=sent, received=int(number("received packets") or 0), drops=drops, drops_ratio=ratio)


@dataclass
class Report:
    """perfdhcp's final report: the achieved 4-way rate and each exchange's counters."""

    rate: float
    exchanges: dict[str, Exchange] = field(default_factory=dict)

    @property
    def max_drops_ratio(self) -> float:
        """The worst drops ratio (percent) of all exchanges; 100 when nothing was sent."""
        if not self.exchanges or not any(e.sent for e in self.exchanges.values()):
            return 100.0
        return max(e.drops_ratio for e in self.exchanges.values())

    def to_dict(self) -> dict:
        return {"rate": self.rate, "max_drops_ratio": self.max_drops_ratio,
                "exchanges": {k: asdict(v) for k, v in self.exchanges.items()}}


class ParseError(ValueError):
    """The text is not a perfdhcp report."""


def parse_report(text: str) -> Report:
    m = _RATE.search(text)
    if not m:
        raise ParseError("no 'Rate: ... 4-way exchanges/second' line in perfdhcp's output")
    report = Report(rate=float(m.group(1)))
    heads = list(_SECTION.finditer(text))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        report.exchanges[head.group(1)] = Exchange.parse(text[head.end():end])
    return report

"""Statistics under Kea's names, answered by statistic-get / statistic-get-all."""

from __future__ import annotations

import time
from collections import defaultdict


class Stats:
    def __init__(self):
        self._values: dict[str, int] = defaultdict(int)
        self._stamps: dict[str, float] = {}

    def inc(self, name: str, amount: int = 1) -> None:
        self._values[name] += amount
        self._stamps[name] = time.time()

    def set(self, name: str, value: int) -> None:
        self._values[name] = value
        self._stamps[name] = time.time()

    def get(self, name: str) -> int:
        return self._values.get(name, 0)

    def remove(self, name: str) -> bool:
        self._stamps.pop(name, None)
        return self._values.pop(name, None) is not None

    def reset_all(self) -> None:
        for name in self._values:
            self._values[name] = 0

    def _entry(self, name: str) -> list:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self._stamps.get(name, time.time())))
        return [[self._values[name], stamp]]

    def as_kea(self, name: str | None = None) -> dict:
        if name is not None:
            return {name: self._entry(name)} if name in self._values else {}
        return {n: self._entry(n) for n in sorted(self._values)}

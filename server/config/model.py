"""Configuration pieces both families share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfiguredOption:
    code: int
    data: bytes
    always_send: bool = False


@dataclass(frozen=True)
class LeaseDatabase:
    type: str = "memfile"
    persist: bool = True
    name: str | None = None
    lfc_interval: int = 3600
    max_row_errors: int = 0


@dataclass(frozen=True)
class ExpiredLeases:
    reclaim_timer_wait_time: int = 10
    flush_reclaimed_timer_wait_time: int = 25
    hold_reclaimed_time: int = 3600
    max_reclaim_leases: int = 100
    max_reclaim_time: int = 250
    unwarned_reclaim_cycles: int = 5


@dataclass(frozen=True)
class LoggerOutput:
    output: str  # stdout, stderr, syslog, or a file path
    flush: bool = True
    maxsize: int = 10240000
    maxver: int = 1


@dataclass(frozen=True)
class Logger:
    name: str
    severity: str = "INFO"
    debuglevel: int = 0
    outputs: tuple[LoggerOutput, ...] = ()

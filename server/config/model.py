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


HOSTNAME_CHAR_SET = "[^A-Za-z0-9.-]"
REPLACE_MODES = ("never", "always", "when-present", "when-not-present")


@dataclass(frozen=True)
class DdnsParams:
    """The DNS-update behaviour of one subnet (Kea's ddns-* and hostname-char-* parameters, inherited
    global -> shared network -> subnet). `enable_updates` is the global dhcp-ddns switch, copied here so
    `enabled` answers Kea's question "does this subnet send updates?" in one place."""

    send_updates: bool = True
    override_no_update: bool = False
    override_client_update: bool = False
    replace_client_name: str = "never"
    generated_prefix: str = "myhost"
    qualifying_suffix: str = ""
    update_on_renew: bool = False
    use_conflict_resolution: bool = True
    hostname_char_set: str = HOSTNAME_CHAR_SET
    hostname_char_replacement: str = ""
    enable_updates: bool = False

    @property
    def enabled(self) -> bool:
        return self.enable_updates and self.send_updates


@dataclass(frozen=True)
class DhcpDdns:
    """The link to the DHCP-DDNS daemon (Kea's `dhcp-ddns` map). Only UDP and JSON exist, as in Kea 2.2."""

    enable_updates: bool = False
    server_ip: str = "127.0.0.1"
    server_port: int = 53001
    sender_ip: str = "0.0.0.0"
    sender_port: int = 0
    max_queue_size: int = 1024
    ncr_protocol: str = "UDP"
    ncr_format: str = "JSON"

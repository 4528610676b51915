"""The server's DUID (RFC 8415 11): LLT, EN or LL, generated once and kept in the data directory (Kea's
file name, kea-dhcp6-serverid, holding the DUID as colon-separated hex) so it survives restarts."""

from __future__ import annotations

import logging
import os
import time

from server.config.model6 import ServerId

log = logging.getLogger("lessor.dhcp6")
DUID_EPOCH = 946684800  # 2000-01-01T00:00:00Z
SERVER_ID_FILE = "kea-dhcp6-serverid"


def first_mac() -> bytes:
    for name in sorted(os.listdir("/sys/class/net")):
        try:
            with open(f"/sys/class/net/{name}/address") as f:
                mac = bytes.fromhex(f.read().strip().replace(":", ""))
        except (OSError, ValueError):
            continue
        if len(mac) == 6 and any(mac):
            return mac
    return b"\x02\x00\x00\x00\x00\x01"


def make_duid(cfg: ServerId, now: float | None = None) -> bytes:
    if cfg.type == "EN":
        ident = cfg.identifier or os.urandom(6)
        return (2).to_bytes(2, "big") + cfg.enterprise_id.to_bytes(4, "big") + ident
    mac = cfg.identifier or first_mac()
    if cfg.type == "LL":
        return (3).to_bytes(2, "big") + cfg.htype.to_bytes(2, "big") + mac
    stamp = cfg.time or int((now if now is not None else time.time()) - DUID_EPOCH) & 0xFFFFFFFF
    return (1).to_bytes(2, "big") + cfg.htype.to_bytes(2, "big") + stamp.to_bytes(4, "big") + mac


def server_duid(cfg: ServerId, data_directory: str) -> bytes:
    """The persisted DUID when there is one (and persist is on), else a new one (saved when persist is on)."""
    path = os.path.join(data_directory, SERVER_ID_FILE)
    if cfg.persist:
        try:
            with open(path) as f:
                text = f.read().strip()
            duid = bytes.fromhex(text.replace(":", ""))
            if len(duid) >= 4:
                return duid
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            log.warning("DHCP6_SERVERID_READ_FAIL %s: %s; generating a new server DUID", path, exc)
    duid = make_duid(cfg)
    if cfg.persist:
        try:
            os.makedirs(data_directory, exist_ok=True)
            with open(path, "w") as f:
                f.write(duid.hex(":") + "\n")
        except OSError as exc:
            log.warning("DHCP6_SERVERID_WRITE_FAIL %s: %s; the DUID will change on restart", path, exc)
    return duid

"""dhcpd's own DNS updates (dhcpd.conf(5) "DYNAMIC DNS UPDATES"), rendered from the server model's Kea-style
DDNS parameters and the scenario's DnsModel: the RFC 4703 `standard` style with DHCID records, TSIG keys, and a
`zone` clause per lab zone that sends its updates to the lab DNS server in the SUT's namespace.

What maps: dhcp-ddns enable-updates and ddns-send-updates (`ddns-updates`), ddns-qualifying-suffix
(`ddns-domainname`), ddns-override-client-update (`ignore`/`allow client-updates`), ddns-use-conflict-resolution
(`update-conflict-detection`). Not rendered, as dhcpd has no such knob: ddns-override-no-update,
ddns-replace-client-name, ddns-generated-prefix, hostname-char-set, hostname-char-replacement (listed in a
comment of the rendered file). `update-optimization false` makes dhcpd update DNS on every renewal, as Kea does
with ddns-update-on-renew, so each exchange is visible in DNS and in dhcpd's log.
"""

from __future__ import annotations

import re

from forge.dnsmodel import REVERSE_ZONES, TSIG_ALGORITHMS, DnsModel, Zone, absolute
from forge.model import ServerModel

#: Kea DDNS parameters dhcpd has no equivalent for.
UNMAPPED = ("ddns-override-no-update", "ddns-replace-client-name", "ddns-generated-prefix", "hostname-char-set",
            "hostname-char-replacement")


def _quote(text: str) -> str:
    if '"' in text or "\\" in text:
        raise ValueError(f"{text!r}: quotes and backslashes are not allowed in dhcpd.conf names")
    return f'"{text}"'


def scope_lines(params: dict) -> list[str]:
    """The statements for one scope's DDNS parameters (global or subnet); absent keys inherit."""
    out = []
    if "ddns-send-updates" in params:
        out.append(f"ddns-updates {'on' if params['ddns-send-updates'] else 'off'};")
    if "ddns-qualifying-suffix" in params:
        suffix = str(params["ddns-qualifying-suffix"]).strip().rstrip(".")
        if suffix:
            out.append(f"ddns-domainname {_quote(suffix)};")
    if "ddns-override-client-update" in params:
        out.append(f"{'ignore' if params['ddns-override-client-update'] else 'allow'} client-updates;")
    if "ddns-use-conflict-resolution" in params:
        out.append(f"update-conflict-detection {'true' if params['ddns-use-conflict-resolution'] else 'false'};")
    skipped = [key for key in UNMAPPED if key in params]
    if skipped:
        out.append(f"# not rendered, dhcpd has no equivalent: {', '.join(skipped)}")
    return out


def _fallback_zones(model: ServerModel) -> DnsModel:
    """No DNS server in the scenario: zones for the qualifying suffixes and the lab's reverse zones, unsigned,
    at 127.0.0.1 where nothing answers, so that dhcpd never asks a resolver outside the lab where a zone is."""
    dns = DnsModel()
    names = [model.ddns.get("ddns-qualifying-suffix")] + [s.ddns.get("ddns-qualifying-suffix") for s in model.subnets]
    for name in [*names, *REVERSE_ZONES]:
        if name and str(name).strip(".") and dns.zone(str(name), missing_ok=True) is None:
            dns.zones.append(Zone(absolute(str(name)), d2_key=None))
    return dns


def _zone_lines(dns: DnsModel, zone: Zone) -> list[str]:
    body = [f"primary {dns.dns_address};"]
    if dns.dns_port != 53:
        raise ValueError(f"dhcpd sends DNS updates to port 53 only, the lab DNS server is on {dns.dns_port}")
    if zone.d2_key:
        body.append(f"key {_quote(zone.d2_key)};")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", zone.name):
        raise ValueError(f"{zone.name!r}: dhcpd takes a zone name as a bare host name")
    return [f"zone {zone.name} {{", *("    " + line for line in body), "}"]


def ddns_lines(model: ServerModel, dns: DnsModel | None) -> list[str]:
    """The global DDNS statements: `ddns-update-style none` unless the model sends updates (dhcp_ddns set)."""
    if model.dhcp_ddns is None:
        return ["ddns-update-style none;"]
    out = ["ddns-update-style standard;", "update-optimization false;"]
    if "ddns-override-client-update" not in model.ddns:
        out.append("allow client-updates;")
    if not model.dhcp_ddns.get("enable-updates", True):
        out.append("ddns-updates off;")
    out += scope_lines(model.ddns)
    dns = dns if dns is not None and dns.zones else _fallback_zones(model)
    used = []
    for zone in dns.zones:
        if zone.d2_key and zone.d2_key not in used:
            used.append(zone.d2_key)
    for name in used:
        key = dns.d2_key(name)
        out += [f"key {_quote(key.name)} {{", f"    algorithm {TSIG_ALGORITHMS[key.algorithm]};",
                f"    secret {_quote(key.secret)};", "}"]
    for zone in dns.zones:
        out += _zone_lines(dns, zone)
    return out


#: dhcpd's log lines for the outcome of one DNS update (ddns.c), forward or reverse, and whether it failed.
_OUTCOMES = (
    (re.compile(r"Added new forward map from "), "forward", False),
    (re.compile(r"Removed forward map from "), "forward", False),
    (re.compile(r"Forward map from \S+ to \S+ FAILED: "), "forward", True),
    (re.compile(r"Unable to add forward map from "), "forward", True),
    (re.compile(r"Added reverse map from "), "reverse", False),
    (re.compile(r"Removed reverse map on "), "reverse", False),
    (re.compile(r"Unable to add reverse map from "), "reverse", True),
    (re.compile(r"Can't remove reverse map on "), "reverse", True),
)


def count_dns_updates(log: str) -> dict[str, int]:
    """dhcpd's DNS updates so far, from its log, in D2's terms: update-sent (= finished: dhcpd logs an update
    once it has the answer), update-success, update-error, and ncr-received, the requests a Kea server would
    have sent D2 for the same work (one per lease added or removed, covering its forward and reverse update):
    the larger of the forward and the reverse count."""
    counts = {"forward": 0, "reverse": 0, "success": 0, "error": 0}
    for line in log.splitlines():
        for pattern, side, failed in _OUTCOMES:
            if pattern.search(line):
                counts[side] += 1
                counts["error" if failed else "success"] += 1
                break
    done = counts["success"] + counts["error"]
    return {"ncr-received": max(counts["forward"], counts["reverse"]), "update-sent": done,
            "update-success": counts["success"], "update-error": counts["error"],
            "forward-updates": counts["forward"], "reverse-updates": counts["reverse"]}

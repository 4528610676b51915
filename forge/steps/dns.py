"""DNS steps: the lab's DNS server (BIND9) and the DHCP-DDNS daemon as set-up, and checks of what DNS holds.

The DNS server and D2 run in the SUT's namespace; checks query the SUT's lab address from the tester's namespace
with dnspython. Records appear asynchronously: a positive check polls until the record is there; a negative check
first waits until D2 has finished its work (its statistics), so that it cannot pass by looking too early.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.reversename
from pytest_bdd import parsers, step, then

from forge import dhcid
from forge.adapters.base import poll
from forge.adapters.bind9 import Bind9Server
from forge.adapters.builtin_d2 import BuiltinD2
from forge.adapters.d2 import d2_adapter, d2_name, other_d2
from forge.dnsmodel import (
    BUILTIN_D2,
    DEFAULT_ALGORITHM,
    DEFAULT_KEY,
    REVERSE_ZONES,
    TsigKey,
    absolute,
    algorithm_name,
    secret_for,
)
from forge.scenario import CheckFailed, resolve

#: How long a positive check waits for a record to appear.
DNS_TIMEOUT = float(os.environ.get("FORGE_DNS_TIMEOUT", "5.0"))
#: How long D2's counters must stay still before a negative check believes D2 is done.
D2_QUIET = float(os.environ.get("FORGE_D2_QUIET", "0.6"))
#: How long a negative check (or "has processed N requests") waits for D2 to finish.
D2_TIMEOUT = float(os.environ.get("FORGE_D2_TIMEOUT", "10.0"))


def _zones(text: str) -> list[str]:
    """'example.com.', 'the reverse zones', 'example.com. and the reverse zones', 'a. and b.'."""
    out: list[str] = []
    for part in re.split(r"\s*(?:,|\band\b)\s*", text.strip()):
        if not part:
            continue
        if part.lower() == "the reverse zones":
            out += list(REVERSE_ZONES)
        else:
            out.append(absolute(part))
    if not out:
        raise ValueError(f"no zone in {text!r}")
    return out


# -- set-up -------------------------------------------------------------------
@step(parsers.re(r"the DNS server serves zones? (?P<zones>.+?)"
                 r"( with TSIG key (?P<key>\S+) using (?P<algorithm>\S+))?$"))
def serves_zone(scenario, zones, key, algorithm):
    """Updates of the zone are accepted only when signed with its key (forge-key, HMAC-SHA256 unless named)."""
    model = scenario.dns_model()
    for zone in _zones(zones):
        model.add_zone(zone, key or DEFAULT_KEY, algorithm or DEFAULT_ALGORITHM)


@step(parsers.re(r"the DHCP-DDNS daemon updates zones? (?P<zones>.+?) with key (?P<key>\S+)"
                 r"( using (?P<algorithm>\S+))?$"))
def d2_updates_zone(scenario, zones, key, algorithm):
    """Which key D2 signs a zone's updates with. A key the DNS server does not know needs its algorithm."""
    model = scenario.dns_model()
    if key not in model.keys and key not in model.d2_keys:
        if not algorithm:
            raise ValueError(f"TSIG key {key} is not defined: say 'with key {key} using HMAC-SHA256'")
        name = algorithm_name(algorithm)
        model.d2_keys[key] = TsigKey(key, name, secret_for(key, name, "d2-only"))
    for zone in _zones(zones):
        model.zone(zone).d2_key = key


@step(parsers.re(r"the DHCP-DDNS daemon updates zones? (?P<zones>.+?) without a key$"))
def d2_updates_unsigned(scenario, zones):
    model = scenario.dns_model()
    for zone in _zones(zones):
        model.zone(zone).d2_key = None


@step(parsers.parse("the DHCP-DDNS daemon has a wrong secret for key {key}"))
def d2_wrong_secret(scenario, key):
    """D2 signs with the key's name and algorithm but a secret the DNS server does not share (BADSIG)."""
    scenario.dns_model().wrong_secret(key.strip())


@step(parsers.re(r"the DHCP-DDNS daemon is (?P<which>kea-dhcp-ddns|lessor ddns|the other implementation's)$"))
def choose_d2(scenario, which):
    scenario.dns_model().d2 = other_d2(scenario.sut) if which.startswith("the other") else which


def enable_updates(scenario) -> None:
    """The DHCP server sends its NameChangeRequests where D2 listens (Kea's dhcp-ddns map)."""
    server = scenario.require_model()
    dns_model = scenario.dns_model()
    server.dhcp_ddns = {**(server.dhcp_ddns or {}), "enable-updates": True,
                        "server-ip": dns_model.d2_address, "server-port": dns_model.d2_port}


@step(parsers.re(r"DNS updates go to the lab DNS server for zones? (?P<zones>.+?)"
                 r"( with TSIG key (?P<key>\S+) using (?P<algorithm>\S+))?$"))
def dns_updates_go(scenario, zones, key, algorithm):
    """All in one: the DNS server serves the zones (updates need the key), D2 updates them with it, the DHCP
    server sends its NameChangeRequests to D2 and qualifies partial names with the first forward zone."""
    serves_zone(scenario, zones, key, algorithm)
    enable_updates(scenario)
    server = scenario.require_model()
    forward = scenario.dns.forward_zones
    if forward and "ddns-qualifying-suffix" not in server.ddns:
        server.ddns["ddns-qualifying-suffix"] = forward[0].name


@step("the server sends its DNS updates to the lab's DHCP-DDNS daemon")
def server_sends_updates(scenario):
    enable_updates(scenario)


# -- clients with names -------------------------------------------------------
# Shorthands: the name option (kept by the client for every later message, see forge/steps/fqdn.py), then the
# family's full exchange (DORA or SARR, forge/steps/client4.py and client6.py).
def _lease(scenario) -> None:
    if scenario.require_model().version == 4:
        from forge.steps.client4 import dora

        dora(scenario)
    else:
        from forge.steps.client6 import sarr

        sarr(scenario)


@step(parsers.parse("the client gets an address with hostname {name}"))
def lease_with_hostname(scenario, name):
    """DHCPv4: the client uses the Host Name option (12) and completes a DORA exchange."""
    from forge.steps.fqdn import use_hostname

    use_hostname(scenario, name)
    _lease(scenario)


@step(parsers.parse("the client gets an address with fqdn flags {flags} and name {name}"))
def lease_with_fqdn(scenario, flags, name):
    """The client uses the client FQDN option (DHCPv4 81, DHCPv6 39) and completes a DORA or SARR exchange."""
    from forge.steps.fqdn import add_fqdn

    add_fqdn(scenario, flags, name)
    _lease(scenario)


# -- lifecycle ----------------------------------------------------------------
def _workdir(scenario, name: str) -> str:
    return os.path.join(scenario.adapter.workdir, name)


def _dns_server(scenario) -> Bind9Server:
    server = scenario.daemons.get("dns")
    if server is None:
        server = Bind9Server(scenario.adapter.host, scenario.lab, _workdir(scenario, "dns"))
        scenario.daemons["dns"] = server
    return server


def _d2(scenario):
    d2 = scenario.daemons.get("d2")
    name = d2_name(scenario.sut, scenario.dns_model().d2)
    if d2 is None or d2.name != name:
        if d2 is not None:
            d2.stop()
            scenario.daemons[f"d2 ({d2.name})"] = scenario.daemons.pop("d2")
        if name == BUILTIN_D2:
            d2 = BuiltinD2(scenario.adapter)
        else:
            d2 = d2_adapter(name, scenario.adapter.host, _workdir(scenario, "d2"))
        scenario.daemons["d2"] = d2
    return d2


@step("the DNS server is started")
def dns_started(scenario):
    _dns_server(scenario).start(scenario.dns_model())


@step("the DNS server is stopped")
def dns_stopped(scenario):
    _dns_server(scenario).stop()


@step("the DNS server stops answering")
def dns_paused(scenario):
    """The server is frozen (SIGSTOP): its port stays open, so updates time out instead of being refused."""
    _dns_server(scenario).pause()


@step("the DNS server answers again")
def dns_resumed(scenario):
    _dns_server(scenario).resume()


@step("the DHCP-DDNS daemon is started")
def d2_started(scenario):
    d2 = _d2(scenario)
    d2.start(scenario.dns_model())
    if d2.name == BUILTIN_D2:
        scenario.log(f"DHCP-DDNS daemon: none, {scenario.adapter.name} updates DNS itself (zones and keys "
                     f"go into its configuration)")
    else:
        scenario.log(f"DHCP-DDNS daemon: {d2.name}")


@step("the DHCP-DDNS daemon is stopped")
def d2_stopped(scenario):
    if "d2" in scenario.daemons:
        scenario.daemons["d2"].stop()


@step("the DNS server and the DHCP-DDNS daemon are started")
def dns_and_d2_started(scenario):
    dns_started(scenario)
    d2_started(scenario)


def _running_d2(scenario):
    d2 = scenario.daemons.get("d2")
    return d2 if d2 is not None and d2.running() else None


def _counters(stats: dict[str, int]) -> str:
    shown = {k: v for k, v in stats.items() if not k.startswith("key[")}
    return ", ".join(f"{k}={v}" for k, v in sorted(shown.items())) or "(no statistics)"


@step(parsers.re(r"the DHCP-DDNS daemon has processed (?P<least>at least )?(?P<count>\d+) requests?$"))
def d2_processed(scenario, least, count):
    """D2 has received `count` NameChangeRequests (exactly, or at least) and every update it sent has an
    outcome. (A server may send a removal and an addition where one might expect one request.)"""
    d2 = _running_d2(scenario)
    if d2 is None:
        raise CheckFailed("the DHCP-DDNS daemon is not running")
    ok, stats = d2.settled(int(count), D2_QUIET, D2_TIMEOUT)
    if not ok:
        raise CheckFailed(f"{d2.name} did not finish {count} requests within {D2_TIMEOUT}s: {_counters(stats)}")
    if not least and stats.get("ncr-received") != int(count):
        raise CheckFailed(f"expected {d2.name} to have received {count} requests, it received "
                          f"{stats.get('ncr-received')}: {_counters(stats)}")
    scenario.log(f"{d2.name}: {_counters(stats)}")


@then(parsers.re(r"the DHCP-DDNS daemon statistic (?P<name>\S+) is (?P<least>at least )?(?P<value>\d+)$"))
def d2_statistic(scenario, name, least, value):
    """One of D2's statistics (ncr-received, update-sent, update-success, update-timeout, update-error, ...),
    once D2 has finished its work."""
    d2 = _running_d2(scenario)
    if d2 is None:
        raise CheckFailed("the DHCP-DDNS daemon is not running")
    ok, stats = d2.settled(None, D2_QUIET, D2_TIMEOUT)
    got = stats.get(name)
    if got is None:
        raise CheckFailed(f"{d2.name} has no statistic {name!r}: {_counters(stats)}")
    if (got < int(value)) if least else (got != int(value)):
        raise CheckFailed(f"expected {d2.name}'s {name} to be {least or ''}{value}, it is {got}: {_counters(stats)}")


def _wait_for_d2(scenario) -> None:
    """Before a negative check: D2 (when running) has finished everything it was sent."""
    d2 = _running_d2(scenario)
    if d2 is None:
        return
    ok, stats = d2.settled(None, D2_QUIET, D2_TIMEOUT)
    if not ok:
        raise CheckFailed(f"{d2.name} still had updates in flight after {D2_TIMEOUT}s, so the DNS cannot be "
                          f"checked for an absence yet: {_counters(stats)}")


# -- queries ------------------------------------------------------------------
def _server(scenario) -> tuple[str, int]:
    port = scenario.dns.dns_port if scenario.dns else 53
    return str(scenario.lab.sut.ipv4.ip), port


def _query(scenario, name: str, rdtype: str) -> tuple[int, list]:
    """(rcode, rdatas) for name/type at the lab's DNS server; rcode -1 when it does not answer."""
    address, port = _server(scenario)
    request = dns.message.make_query(name, rdtype)
    try:
        answer = dns.query.udp(request, address, port=port, timeout=1.0)
    except (dns.exception.Timeout, OSError):
        return -1, []
    wanted = dns.rdatatype.from_text(rdtype)
    found = [rdata for rrset in answer.answer if rrset.rdtype == wanted for rdata in rrset]
    return answer.rcode(), found


def _holdings(scenario, name: str) -> str:
    """What the DNS holds at a name, for failure messages."""
    lines = []
    for rdtype in ("A", "AAAA", "DHCID", "PTR", "CNAME"):
        rcode, found = _query(scenario, name, rdtype)
        if rcode == -1:
            return f"  (the DNS server at {_server(scenario)[0]} does not answer)"
        lines += [f"  {name} {rdtype} {r.to_text()}" for r in found]
    return "\n".join(lines) or f"  (nothing at {name})"


def _fqdn(scenario, text: str) -> str:
    return absolute(resolve(scenario, text.strip().strip('"')))


def _ptr_name(scenario, address: str) -> str:
    text = resolve(scenario, address).split("/")[0]
    try:
        return dns.reversename.from_address(str(ipaddress.ip_address(text))).to_text()
    except ValueError:
        raise ValueError(f"{address!r} ({text}) is not an IP address") from None


def _await(scenario, name: str, rdtype: str, matches, what: str) -> None:
    start = time.monotonic()
    if poll(lambda: any(matches(r) for r in _query(scenario, name, rdtype)[1]), DNS_TIMEOUT, interval=0.1):
        scenario.log(f"DNS: {what} after {time.monotonic() - start:.2f}s")
        return
    d2 = scenario.daemons.get("d2")
    extra = ""
    if d2 is not None and d2.running():
        try:
            extra = f"\n{d2.name}: {_counters(d2.statistics())}"
        except (OSError, ValueError):
            pass
    raise CheckFailed(f"expected {what} within {DNS_TIMEOUT}s; the DNS holds:\n{_holdings(scenario, name)}{extra}")


@then(parsers.re(r"the DNS has an? (?P<rdtype>A|AAAA) record for (?P<name>\S+) with address (?P<address>\S+)$"))
def has_address(scenario, rdtype, name, address):
    fqdn = _fqdn(scenario, name)
    want = ipaddress.ip_address(resolve(scenario, address))
    _await(scenario, fqdn, rdtype, lambda r: ipaddress.ip_address(r.address) == want,
           f"{rdtype} {want} at {fqdn}")


@then(parsers.parse("the DNS has a PTR record for {address} pointing to {name}"))
def has_ptr(scenario, address, name):
    ptr = _ptr_name(scenario, address)
    target = _fqdn(scenario, name)
    _await(scenario, ptr, "PTR", lambda r: r.target.to_text().lower() == target, f"PTR {target} at {ptr}")


@then(parsers.re(r"the DNS has a DHCID record for (?P<name>\S+) computed from "
                 r"(?P<kind>hw-address|client-id|DUID) (?P<value>\S+)$"))
def has_dhcid(scenario, name, kind, value):
    """RFC 4701: the record's RDATA is the identifier type, digest type 1 and SHA-256(identifier || FQDN)."""
    fqdn = _fqdn(scenario, name)
    want = dhcid.expected(kind, resolve(scenario, value), fqdn)
    _await(scenario, fqdn, "DHCID", lambda r: r.data == want,
           f"DHCID {dhcid.to_text(want)} (from {kind} {value}) at {fqdn}")


@then(parsers.re(r"the DNS has no (?P<rdtype>A|AAAA|DHCID|PTR|TXT|CNAME) records? for (?P<name>\S+)$"))
def has_no_record(scenario, rdtype, name):
    if rdtype == "PTR":
        has_no_ptr(scenario, name)
        return
    _absent(scenario, _fqdn(scenario, name), rdtype)


@then(parsers.re(r"the DNS has no (?P<rdtype>A|AAAA) record for (?P<name>\S+) with address (?P<address>\S+)$"))
def has_not_address(scenario, rdtype, name, address):
    fqdn = _fqdn(scenario, name)
    want = ipaddress.ip_address(resolve(scenario, address))
    _wait_for_d2(scenario)
    rcode, found = _query(scenario, fqdn, rdtype)
    if rcode == -1:
        raise CheckFailed(f"the DNS server at {_server(scenario)[0]} does not answer")
    if any(ipaddress.ip_address(r.address) == want for r in found):
        raise CheckFailed(f"expected no {rdtype} {want} at {fqdn}; the DNS holds:\n{_holdings(scenario, fqdn)}")
    scenario.log(f"DNS: no {rdtype} {want} at {fqdn}")


@then(parsers.parse("the DNS has no PTR record for {address}"))
def has_no_ptr(scenario, address):
    _absent(scenario, _ptr_name(scenario, address), "PTR")


@then(parsers.parse("the DNS has no records for {name}"))
def has_nothing(scenario, name):
    fqdn = _fqdn(scenario, name)
    _wait_for_d2(scenario)
    for rdtype in ("A", "AAAA", "DHCID"):
        _absent(scenario, fqdn, rdtype, wait=False)


def _absent(scenario, name: str, rdtype: str, wait: bool = True) -> None:
    if wait:
        _wait_for_d2(scenario)
    rcode, found = _query(scenario, name, rdtype)
    if rcode == -1:
        raise CheckFailed(f"the DNS server at {_server(scenario)[0]} does not answer, so it cannot show that "
                          f"{name} has no {rdtype} record")
    if found:
        raise CheckFailed(f"expected no {rdtype} record at {name}; the DNS holds:\n{_holdings(scenario, name)}")
    scenario.log(f"DNS: no {rdtype} at {name} ({dns.rcode.to_text(rcode)})")


# -- logs ---------------------------------------------------------------------
def _await_log(scenario, who: str, read, text: str) -> None:
    pattern = text.strip().strip('"')
    if poll(lambda: pattern in read(), DNS_TIMEOUT, interval=0.1):
        return
    # Control-channel chatter (the checks' own statistics polls) says nothing here.
    lines = [line for line in read().strip().splitlines() if "COMMAND_" not in line]
    tail = "\n".join("    | " + line for line in lines[-25:])
    raise CheckFailed(f"expected {who}'s log to contain {pattern!r} within {DNS_TIMEOUT}s; it ends:\n{tail}")


@then(parsers.parse("the DHCP-DDNS daemon log contains {text}"))
def d2_log_contains(scenario, text):
    d2 = scenario.daemons.get("d2")
    if d2 is None:
        raise ValueError("no DHCP-DDNS daemon was started in this scenario")
    _await_log(scenario, d2.name, d2.log, text)


@then(parsers.parse("the DNS server log contains {text}"))
def dns_log_contains(scenario, text):
    server = scenario.daemons.get("dns")
    if server is None:
        raise ValueError("no DNS server was started in this scenario")
    _await_log(scenario, "named", server.log, text)


@then(parsers.parse("the server log contains {text}"))
def server_log_contains(scenario, text):
    _await_log(scenario, scenario.adapter.name, scenario.adapter.log, text)


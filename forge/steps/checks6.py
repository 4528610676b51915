"""DHCPv6 response checks: options, IAs, addresses, prefixes, status codes, lifetimes, relays."""

from __future__ import annotations

import ipaddress

from pytest_bdd import parsers, then

from forge.packets import v6, values
from forge.packets.options import lookup
from forge.scenario import CheckFailed, resolve


def _resp(scenario) -> v6.Response6:
    resp = scenario.response()
    if not isinstance(resp, v6.Response6):
        raise CheckFailed("this check is for DHCPv6 responses")
    return resp


def _fail(resp, text: str):
    raise CheckFailed(f"{text}\nreceived:\n{v6.describe(resp)}")


def _top(resp, ref: str) -> v6.Option6:
    info = lookup(6, ref)
    opt = resp.option(info.code)
    if opt is None:
        _fail(resp, f"expected option {info.code} ({info.name}) in the {resp.type_name}, it is absent")
    return opt


def includes_option(scenario, ref):
    _top(_resp(scenario), ref)


def excludes_option(scenario, ref):
    resp = _resp(scenario)
    info = lookup(6, ref)
    if resp.option(info.code) is not None:
        _fail(resp, f"expected no option {info.code} ({info.name}) in the {resp.type_name}")


def option_is(scenario, ref, value):
    resp = _resp(scenario)
    info = lookup(6, ref)
    opt = _top(resp, ref)
    want = values.encode(info.kind, resolve(scenario, value))
    if opt.data != want:
        _fail(resp, f"expected option {info.code} ({info.name}) = {values.decode(info.kind, want)}, "
                    f"got {values.decode(info.kind, opt.data)}")


def _ias(resp, kind: str) -> list[v6.Option6]:
    code = {"IA_NA": 3, "IA_PD": 25, "IA_TA": 4}[kind]
    found = resp.all(code)
    if not found:
        _fail(resp, f"expected an {kind} option in the {resp.type_name}, there is none")
    return found


IA = r"(?P<kind>IA_NA|IA_PD|IA_TA)"


@then(parsers.re(rf"the response {IA} contains (?P<which>an address|a prefix) in (?P<where>\S+)$"))
def ia_contains_in(scenario, kind, which, where):
    resp = _resp(scenario)
    code = 5 if which == "an address" else 26
    items = [c for ia in _ias(resp, kind) for c in ia.find(code)]
    for item in items:
        if which == "an address" and _in(item.address, where):
            return
        if which == "a prefix" and ipaddress.ip_network(f"{item.address}/{item.prefix_len}").subnet_of(
                ipaddress.ip_network(where, strict=False)):
            return
    _fail(resp, f"expected {kind} to contain {which} in {where}")


def _in(address: str, where: str) -> bool:
    from forge.packets.v4 import in_range

    return in_range(address, where)


@then(parsers.re(rf"the response {IA} contains (?P<which>address|prefix) (?P<value>\S+)$"))
def ia_contains(scenario, kind, which, value):
    resp = _resp(scenario)
    want = resolve(scenario, value)
    code = 5 if which == "address" else 26
    for ia in _ias(resp, kind):
        for item in ia.find(code):
            got = item.address if code == 5 else f"{item.address}/{item.prefix_len}"
            if ipaddress.ip_interface(got) == ipaddress.ip_interface(want if "/" in want or code == 5 else want):
                return
    _fail(resp, f"expected {kind} to contain {which} {want}")


@then(parsers.re(rf"the response {IA} contains no (?P<which>address|prefix)$"))
def ia_contains_nothing(scenario, kind, which):
    resp = _resp(scenario)
    code = 5 if which == "address" else 26
    if any(ia.find(code) for ia in _ias(resp, kind)):
        _fail(resp, f"expected {kind} to carry no {which}")


@then(parsers.re(rf"the response {IA} (?P<timer>T1|T2) is (?P<value>\d+)$"))
def ia_timer(scenario, kind, timer, value):
    resp = _resp(scenario)
    ia = _ias(resp, kind)[0]
    got = ia.t1 if timer == "T1" else ia.t2
    if got != int(value):
        _fail(resp, f"expected {kind} {timer} = {value}, got {got}")


@then(parsers.re(r"the response (?P<which>address|prefix) (?P<life>preferred|valid) lifetime is "
                 r"(?P<negate>not )?(?P<value>\d+)$"))
def lifetime(scenario, which, life, negate, value):
    """Every address (or prefix) in every IA of the response has (or has not) this lifetime."""
    resp = _resp(scenario)
    code = 5 if which == "address" else 26
    items = [c for ia in resp.options if ia.code in (3, 4, 25) for c in ia.find(code)]
    if not items:
        _fail(resp, f"expected an {which} in the response")
    for item in items:
        got = item.preferred_lifetime if life == "preferred" else item.valid_lifetime
        if (got == int(value)) == bool(negate):
            _fail(resp, f"expected {which} {item.address} {life} lifetime {negate or ''}= {value}, got {got}")


def _leases_named(resp, which: str, value: str) -> list[v6.Option6]:
    """The IAADDR (or IAPREFIX) options for one address (or prefix) in any IA of the response."""
    code = 5 if which == "address" else 26
    want = ipaddress.ip_interface(value if which == "address" or "/" in value else f"{value}/64")
    items = [c for ia in resp.options if ia.code in (3, 4, 25) for c in ia.find(code)]
    if which == "address":
        return [i for i in items if ipaddress.ip_address(i.address) == want.ip]
    return [i for i in items if ipaddress.ip_interface(f"{i.address}/{i.prefix_len}") == want]


@then(parsers.re(r"the response (?P<which>address|prefix) (?P<value>\S+) has lifetimes (?P<pref>\d+) (?P<valid>\d+)$"))
def named_lifetimes(scenario, which, value, pref, valid):
    """Lifetimes of one named lease among possibly several in the response."""
    resp = _resp(scenario)
    value = resolve(scenario, value)
    items = _leases_named(resp, which, value)
    if not items:
        _fail(resp, f"expected {which} {value} in the response")
    for item in items:
        if (item.preferred_lifetime, item.valid_lifetime) != (int(pref), int(valid)):
            _fail(resp, f"expected {which} {value} with lifetimes {pref} {valid}, got "
                        f"{item.preferred_lifetime} {item.valid_lifetime}")


@then(parsers.re(r"the server does not extend (?P<which>address|prefix) (?P<value>\S+)$"))
def not_extended(scenario, which, value):
    """No answer, or an answer that leaves the lease out or gives it a valid lifetime of 0 (RFC 8415 18.3.5)."""
    value = resolve(scenario, value)
    for resp in scenario.responses():
        if not isinstance(resp, v6.Response6):
            raise CheckFailed("this check is for DHCPv6 responses")
        for item in _leases_named(resp, which, value):
            if item.valid_lifetime != 0:
                _fail(resp, f"expected {which} {value} to be left out or sent with lifetime 0, it has valid "
                            f"lifetime {item.valid_lifetime}")


@then(parsers.parse("the response prefix length is {length:d}"))
def prefix_length(scenario, length):
    resp = _resp(scenario)
    items = [c for ia in _ias(resp, "IA_PD") for c in ia.find(26)]
    if not items or any(i.prefix_len != length for i in items):
        _fail(resp, f"expected delegated prefixes of length /{length}")


@then(parsers.re(rf"the response (?:{IA} )?status code is (?P<status>\w+)$"))
def status_code(scenario, kind, status):
    resp = _resp(scenario)
    want = v6.status_code(status)
    if kind:
        opts = [s for ia in _ias(resp, kind) for s in ia.find(13)]
        where = kind
    else:
        opts = resp.all(13)
        where = "the message"
    got = [o.status for o in opts]
    # RFC 8415 21.13: a missing status code means Success.
    if want == 0 and not opts:
        return
    if want not in got:
        _fail(resp, f"expected status code {status} ({want}) in {where}, got "
                    f"{', '.join(v6.STATUS_NAMES.get(g, str(g)) for g in got) or 'none'}")


@then(parsers.parse("the response is relayed through {count:d} relays"))
def relay_depth(scenario, count):
    resp = _resp(scenario)
    if len(resp.relays) != count:
        _fail(resp, f"expected {count} RELAY-REPL levels, got {len(resp.relays)}")


@then(parsers.parse("the relay reply carries interface-id {value}"))
def relay_interface_id(scenario, value):
    resp = _resp(scenario)
    if not resp.relays:
        _fail(resp, "expected a RELAY-REPL")
    opt = resp.relays[-1].option(18)
    if opt is None or opt.data != value.encode():
        _fail(resp, f"expected interface-id {value!r} in the RELAY-REPL, got "
                    f"{opt.data if opt else 'none'}")

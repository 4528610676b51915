"""DHCPv4 response checks: options, sub-options, header fields, delivery."""

from __future__ import annotations

from pytest_bdd import parsers, then

from forge.packets import v4, values
from forge.packets.options import lookup
from forge.scenario import CheckFailed, resolve


def _resp(scenario) -> v4.Response4:
    resp = scenario.response()
    if not isinstance(resp, v4.Response4):
        raise CheckFailed("this check is for DHCPv4 responses")
    return resp


def _fail(resp, text: str):
    raise CheckFailed(f"{text}\nreceived:\n{v4.describe(resp)}")


def _option(resp, ref: str) -> tuple[object, bytes]:
    info = lookup(4, ref)
    data = resp.option(info.code)
    if data is None:
        _fail(resp, f"expected option {info.code} ({info.name}) in the {resp.type_name}, it is absent")
    return info, data


def includes_option(scenario, ref):
    _option(_resp(scenario), ref)


def excludes_option(scenario, ref):
    resp = _resp(scenario)
    info = lookup(4, ref)
    if resp.option(info.code) is not None:
        _fail(resp, f"expected no option {info.code} ({info.name}) in the {resp.type_name}")


def option_is(scenario, ref, value):
    resp = _resp(scenario)
    info, data = _option(resp, ref)
    want = values.encode(info.kind, resolve(scenario, value))
    if data != want:
        _fail(resp, f"expected option {info.code} ({info.name}) = {values.decode(info.kind, want)}, "
                    f"got {values.decode(info.kind, data)}")


@then(parsers.re(r"the response option (?P<ref>\S+) contains (?!sub-option )(?P<value>.+)$"))
def option_contains(scenario, ref, value):
    resp = _resp(scenario)
    info, data = _option(resp, ref)
    items = values.decode(info.kind, data).split(",")
    if resolve(scenario, value) not in items:
        _fail(resp, f"expected option {info.code} ({info.name}) to contain {value}, it holds {','.join(items)}")


def _sub_options(resp, ref):
    info, data = _option(resp, ref)
    subs, problem = v4.parse_options(data + b"\xff")
    if problem:
        _fail(resp, f"option {info.code} is not a list of sub-options: {problem}")
    return info, subs


@then(parsers.parse("the response option {ref} contains sub-option {sub:d}"))
def has_sub_option(scenario, ref, sub):
    resp = _resp(scenario)
    info, subs = _sub_options(resp, ref)
    if not any(code == sub for code, _ in subs):
        _fail(resp, f"expected sub-option {sub} in option {info.code} ({info.name})")


@then(parsers.parse("the response option {ref} sub-option {sub:d} is {hexdata}"))
def sub_option_is(scenario, ref, sub, hexdata):
    resp = _resp(scenario)
    info, subs = _sub_options(resp, ref)
    want = values.hex_bytes(hexdata)
    got = [d for code, d in subs if code == sub]
    if want not in got:
        _fail(resp, f"expected option {info.code} sub-option {sub} = {want.hex(':')}, got "
                    f"{', '.join(g.hex(':') for g in got) or 'none'}")


_FIELDS = ("yiaddr", "ciaddr", "siaddr", "giaddr", "chaddr", "flags", "hops", "sname", "file", "xid")


@then(parsers.re(r"the response (?P<name>yiaddr|ciaddr|siaddr|giaddr|chaddr|flags|hops|sname|file) is "
                 r"(?P<value>(?!in ).+)$"))
def field_is(scenario, name, value):
    resp = _resp(scenario)
    want = resolve(scenario, value).strip().strip('"')
    got = resp.field(name)
    if name == "chaddr":
        want = want.lower()
    if name in ("flags", "hops"):
        want = str(int(want, 0))
    if got != want:
        _fail(resp, f"expected {name} = {want}, got {got}")


@then(parsers.parse("the response yiaddr is in {addr_range}"))
def yiaddr_in(scenario, addr_range):
    resp = _resp(scenario)
    if not v4.in_range(resp.yiaddr, addr_range):
        _fail(resp, f"expected yiaddr in {addr_range}, got {resp.yiaddr}")


@then(parsers.parse("the response yiaddr is not {value}"))
def yiaddr_not(scenario, value):
    resp = _resp(scenario)
    if resp.yiaddr == resolve(scenario, value):
        _fail(resp, f"expected yiaddr other than {value}")


@then(parsers.parse("the response is sent to {address} port {port:d}"))
def sent_to(scenario, address, port):
    resp = _resp(scenario)
    want = resolve(scenario, address)
    if resp.dst_ip != want or resp.dst_port != port:
        _fail(resp, f"expected the answer to go to {want}:{port}, it went to {resp.dst_ip}:{resp.dst_port}")

"""Client steps common to DHCPv4 and DHCPv6; the family is the configured server's."""

from __future__ import annotations

from pytest_bdd import parsers, step, when

from forge.packets import v4, v6, values
from forge.packets.options import lookup
from forge.scenario import CheckFailed, resolve


def _version(scenario) -> int:
    return scenario.require_model().version


def _add(scenario, code: int, data: bytes) -> None:
    if _version(scenario) == 4:
        scenario.client4.extra.append((code, data))
    else:
        scenario.client6.extra.append(v6.tlv(code, data))


@step(parsers.parse("the client requests option {ref}"))
def request_option(scenario, ref):
    version = _version(scenario)
    code = lookup(version, ref).code
    target = scenario.client4.prl if version == 4 else scenario.client6.oro
    if code not in target:
        target.append(code)


@step(parsers.parse("the client adds option {ref} with value {value}"))
def add_option(scenario, ref, value):
    info = lookup(_version(scenario), ref)
    _add(scenario, info.code, values.encode(info.kind, resolve(scenario, value)))


@step(parsers.parse("the client adds raw option {code:d} with hex {hexdata}"))
def add_raw_option(scenario, code, hexdata):
    _add(scenario, code, values.hex_bytes(hexdata))


@step(parsers.parse("the client omits option {ref}"))
def omit_option(scenario, ref):
    version = _version(scenario)
    (scenario.client4 if version == 4 else scenario.client6).omit.add(lookup(version, ref).code)


def _from_response(scenario, ref) -> tuple[int, list[bytes]]:
    """The data of every instance of option `ref` in the newest response (v6: whole TLVs)."""
    version = _version(scenario)
    code = lookup(version, ref).code
    resp = scenario.last_response_of(version)
    if version == 4:
        data = resp.option(code)
        found = [] if data is None else [data]
        text = v4.describe(resp)
    else:
        found = [v6.tlv(o.code, o.data) for o in resp.all(code)]
        text = v6.describe(resp)
    if not found:
        raise CheckFailed(f"the last response has no option {ref}:\n{text}")
    return code, found


@step(parsers.parse("the client copies option {ref} from the response"))
def copy_option(scenario, ref):
    code, found = _from_response(scenario, ref)
    if _version(scenario) == 4:
        scenario.client4.extra.append((code, found[0]))
    else:
        scenario.client6.extra.extend(found)


@step(parsers.parse("the client saves option {ref} from the response"))
def save_option(scenario, ref):
    code, found = _from_response(scenario, ref)
    scenario.saved[f"option:{_version(scenario)}:{code}"] = found


@step(parsers.parse("the client saves option {ref} from the response as {name}"))
def save_option_value(scenario, ref, name):
    """Save the option's value, in feature notation, for a later $saved.NAME."""
    version = _version(scenario)
    info = lookup(version, ref)
    _, found = _from_response(scenario, ref)
    data = found[0] if version == 4 else found[0][4:]
    scenario.saved[name.strip()] = values.decode(info.kind, data)


@step(parsers.parse("the client adds the saved option {ref}"))
def restore_option(scenario, ref):
    version = _version(scenario)
    code = lookup(version, ref).code
    found = scenario.saved.get(f"option:{version}:{code}")
    if found is None:
        raise CheckFailed(f"option {ref} was not saved earlier in the scenario")
    if version == 4:
        scenario.client4.extra.append((code, found[0]))
    else:
        scenario.client6.extra.extend(found)


@step(parsers.parse("the client saves the {name} value {value}"))
def save_value(scenario, name, value):
    scenario.saved[name.strip()] = resolve(scenario, value)


@when(parsers.re(r"the client sends an? (?P<name>[A-Za-z][A-Za-z0-9-]*) message(?P<unicast> by unicast)?$"))
def send(scenario, name, unicast):
    if _version(scenario) == 4:
        from forge.steps.client4 import send4

        send4(scenario, name, bool(unicast))
    else:
        from forge.steps.client6 import send6

        send6(scenario, name, bool(unicast))

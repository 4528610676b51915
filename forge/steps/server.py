"""Server configuration and lifecycle steps. They work as Given (set-up) and as When (mid-scenario)."""

from __future__ import annotations

import ipaddress

from pytest_bdd import parsers, step

from forge.model import DDNS_PARAMS, OptionData, PdPool, Pool, Reservation
from forge.packets.options import lookup


def _version_of(address: str) -> int:
    return ipaddress.ip_network(address.strip(), strict=False).version


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "on", "enabled", "1"):
        return True
    if value in ("false", "no", "off", "disabled", "0"):
        return False
    raise ValueError(f"{text!r} is not a boolean (true/false)")


# -- subnets and pools ------------------------------------------------------
@step(parsers.parse("the server is configured with subnet {prefix} and pool {pool}"))
def subnet_with_pool(scenario, prefix, pool):
    model = scenario.model_for(_version_of(prefix))
    model.add_subnet(prefix).pools.append(Pool(pool.strip()))


@step(parsers.re(r"the server is configured with subnet (?P<prefix>\S+)( and no pool)?$"))
def subnet_without_pool(scenario, prefix):
    scenario.model_for(_version_of(prefix)).add_subnet(prefix)


@step(parsers.parse("the subnet has pool {pool}"))
def another_pool(scenario, pool):
    scenario.require_model().current_subnet.pools.append(Pool(pool.strip()))


@step(parsers.parse("the subnet has pd-pool {prefix}/{prefix_len:d} delegating /{delegated_len:d} prefixes"))
def pd_pool(scenario, prefix, prefix_len, delegated_len):
    subnet = scenario.require_model().current_subnet
    subnet.pd_pools.append(PdPool(prefix, prefix_len, delegated_len))


@step(parsers.parse("the subnet is reached through relay {address}"))
def subnet_relay(scenario, address):
    subnet = scenario.require_model().current_subnet
    subnet.relay_addresses.append(address.strip())
    subnet.direct = False


@step(parsers.parse("the subnet is reached only through relays"))
def subnet_relayed_only(scenario):
    scenario.require_model().current_subnet.direct = False


@step(parsers.parse("the subnet is selected by interface-id {interface_id}"))
def subnet_interface_id(scenario, interface_id):
    subnet = scenario.require_model().current_subnet
    subnet.interface_id = interface_id.strip().strip('"')
    subnet.direct = False


@step("the server configuration is cleared")
def clear_configuration(scenario):
    version = scenario.require_model().version
    scenario.model = None
    scenario.model_for(version)


# -- options ----------------------------------------------------------------
def _option(scenario, name: str, value: str) -> OptionData:
    version = scenario.require_model().version
    info = lookup(version, name)
    known = not info.name.startswith("option-")
    return OptionData(name=info.name if known else None, code=info.code, data=value.strip().strip('"'))


@step(parsers.parse("the server sets option {name} to {value}"))
def global_option(scenario, name, value):
    scenario.require_model().options.append(_option(scenario, name, value))


@step(parsers.parse("the subnet sets option {name} to {value}"))
def subnet_option(scenario, name, value):
    scenario.require_model().current_subnet.options.append(_option(scenario, name, value))


@step(parsers.parse("the pool sets option {name} to {value}"))
def pool_option(scenario, name, value):
    scenario.require_model().current_subnet.pools[-1].options.append(_option(scenario, name, value))


# -- parameters -------------------------------------------------------------
_INT_PARAMS = {"valid-lifetime", "preferred-lifetime", "renew-timer", "rebind-timer", "decline-probation-period"}
_BOOL_PARAMS = {"echo-client-id", "match-client-id", "authoritative", "rapid-commit"}


def _set_param(target, param: str, value: str) -> None:
    key = param.strip().lower()
    if key in DDNS_PARAMS:
        text = value.strip().strip('"')
        target.ddns[key] = _bool(text) if DDNS_PARAMS[key] is bool else text
        return
    if key not in _INT_PARAMS | _BOOL_PARAMS:
        known = sorted(_INT_PARAMS | _BOOL_PARAMS | set(DDNS_PARAMS))
        raise ValueError(f"unknown parameter {param!r}; one of {', '.join(known)}")
    attr = key.replace("-", "_")
    if not hasattr(target, attr):
        raise ValueError(f"{param} cannot be set at this level")
    setattr(target, attr, int(value) if key in _INT_PARAMS else _bool(value))


@step(parsers.parse("the server parameter {param} is {value}"))
def server_parameter(scenario, param, value):
    _set_param(scenario.require_model(), param, value)


@step(parsers.parse("the subnet parameter {param} is {value}"))
def subnet_parameter(scenario, param, value):
    _set_param(scenario.require_model().current_subnet, param, value)


@step("the server sends DNS updates to the DHCP-DDNS daemon")
def server_ddns_enabled(scenario):
    """dhcp-ddns enable-updates: NameChangeRequests go to the daemon at 127.0.0.1:53001 (Kea's default)."""
    model = scenario.require_model()
    model.dhcp_ddns = {**(model.dhcp_ddns or {}), "enable-updates": True}


@step(parsers.parse("the server reclaims expired leases every {seconds:d} seconds"))
def reclaim_timer(scenario, seconds):
    """expired-leases-processing: look for expired leases every N seconds and reclaim them (DNS removal
    included); reclaimed leases are not held, so nothing lingers."""
    model = scenario.require_model()
    model.expired_leases = {**(model.expired_leases or {}), "reclaim-timer-wait-time": seconds,
                            "hold-reclaimed-time": 0}


# -- reservations -----------------------------------------------------------
@step(parsers.re(r"the subnet reserves address (?P<address>\S+) for (?P<kind>hw-address|client-id|DUID) "
                 r"(?P<ident>\S+)$"))
def reserve_address(scenario, address, kind, ident):
    subnet = scenario.require_model().current_subnet
    res = Reservation()
    if kind == "hw-address":
        res.hw_address = ident
    elif kind == "client-id":
        res.client_id = ident
    else:
        res.duid = ident
    if subnet.version == 4:
        res.ip_address = address
    else:
        res.ip_addresses.append(address)
    subnet.reservations.append(res)


@step(parsers.parse("the subnet reserves prefix {prefix} for DUID {duid}"))
def reserve_prefix(scenario, prefix, duid):
    scenario.require_model().current_subnet.reservations.append(Reservation(duid=duid, prefixes=[prefix]))


# -- lifecycle ---------------------------------------------------------------
@step("the server is started")
def server_started(scenario):
    scenario.adapter.start(scenario.require_model())


@step("the server is reconfigured")
def server_reconfigured(scenario):
    scenario.adapter.reconfigure(scenario.require_model())


@step("the server is restarted")
def server_restarted(scenario):
    scenario.adapter.restart(scenario.require_model())


@step("the server is stopped")
def server_stopped(scenario):
    scenario.adapter.stop()

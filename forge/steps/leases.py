"""Lease-store checks, on the leases the adapter reads back from the server."""

from __future__ import annotations

from pytest_bdd import parsers, then

from forge.scenario import CheckFailed, resolve


def _dump(leases) -> str:
    if not leases:
        return "  (no active leases)"
    return "\n".join("  " + ", ".join(f"{k}={v}" for k, v in lease.__dict__.items() if v is not None)
                     for lease in leases)


def _find(scenario, address: str):
    leases = scenario.adapter.leases()
    address = resolve(scenario, address)
    found = [lease for lease in leases if lease.address == address.split("/")[0]]
    return address, found, leases


@then(parsers.parse("the lease file contains address {address}"))
def has_lease(scenario, address):
    address, found, leases = _find(scenario, address)
    if not [lease for lease in found if lease.state == 0]:
        raise CheckFailed(f"expected an active lease for {address}; the server's leases:\n{_dump(leases)}")


@then(parsers.parse("the lease file does not contain address {address}"))
def no_lease(scenario, address):
    address, found, leases = _find(scenario, address)
    if [lease for lease in found if lease.state == 0]:
        raise CheckFailed(f"expected no active lease for {address}; the server's leases:\n{_dump(leases)}")


@then(parsers.parse("the lease for {address} has {name} {value}"))
def lease_field(scenario, address, name, value):
    address, found, leases = _find(scenario, address)
    if not found:
        raise CheckFailed(f"expected a lease for {address}; the server's leases:\n{_dump(leases)}")
    want = resolve(scenario, value).strip().lower()
    got = [str(lease.field(name)).lower() for lease in found]
    if want not in got:
        raise CheckFailed(f"expected the lease for {address} to have {name} = {want}, it has "
                          f"{', '.join(got)}; the server's leases:\n{_dump(leases)}")

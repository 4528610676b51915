"""SUT adapters: each renders the neutral model to a server's own configuration and drives it."""

from __future__ import annotations

from forge.adapters.base import ServerStartError, SutAdapter


def adapter_class(name: str) -> type[SutAdapter]:
    """The adapter class for a SUT name (kea, ...)."""
    if name == "kea":
        from forge.adapters.kea import KeaAdapter

        return KeaAdapter
    if name == "lessor":
        from forge.adapters.lessor import LessorAdapter

        return LessorAdapter
    if name == "iscdhcp":
        from forge.adapters.iscdhcp import IscDhcpAdapter

        return IscDhcpAdapter
    if name == "dibbler":
        from forge.adapters.dibbler import DibblerAdapter

        return DibblerAdapter
    raise ValueError(f"unknown SUT {name!r}; known: {', '.join(known_suts())}")


def known_suts() -> tuple[str, ...]:
    return ("kea", "lessor", "iscdhcp", "dibbler")


__all__ = ["ServerStartError", "SutAdapter", "adapter_class", "known_suts"]

"""Dibbler's lease database (server-AddrMgr.xml, dibbler-server 1.0.1) read into forge Lease objects.

The file holds one <AddrClient> per client DUID; inside it an <AddrIA> per IA_NA (with <AddrAddr> children),
an <AddrTA> per IA_TA and an <AddrPD> per IA_PD (with <AddrPrefix> children). Each address or prefix
carries the time it was (re)assigned and its preferred and valid lifetimes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from forge.leases import Lease

#: The DUID of the pseudo-client that holds declined addresses (one byte, "X").
DECLINED_DUID = "58"

#: The IA element, its address element and the forge lease type.
_KINDS = (("AddrIA", "AddrAddr", "NA"), ("AddrTA", "AddrAddr", "TA"), ("AddrPD", "AddrPrefix", "PD"))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _duid(element: ET.Element | None) -> str | None:
    if element is None or not (element.text or "").strip():
        return None
    return element.text.strip().lower()


def parse_dibbler_addrmgr(text: str) -> list[Lease]:
    """Every address and prefix in the database; an empty or half-written file gives no leases."""
    if not text.strip():
        return []
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    leases = []
    for client in root.iter("AddrClient"):
        client_duid = _duid(client.find("duid"))
        declined = client_duid == DECLINED_DUID
        for ia_tag, addr_tag, lease_type in _KINDS:
            for ia in client.findall(ia_tag):
                duid = None if declined else _duid(ia.find("duid")) or client_duid
                for addr in ia.findall(addr_tag):
                    valid = _int(addr.get("valid"))
                    stamp = _int(addr.get("timestamp"))
                    leases.append(Lease(
                        address=(addr.text or "").strip(),
                        duid=duid,
                        iaid=_int(ia.get("IAID")),
                        lease_type=lease_type,
                        prefix_len=_int(addr.get("length") if lease_type == "PD" else addr.get("prefix")),
                        valid_lifetime=valid,
                        preferred_lifetime=_int(addr.get("pref")),
                        expire=stamp + valid if stamp is not None and valid is not None else None,
                        state=1 if declined else 0,
                    ))
    return leases

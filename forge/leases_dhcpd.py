"""ISC dhcpd's lease file (dhcpd.leases(5)) read back as forge Leases.

The file is a journal: dhcpd appends a whole declaration each time a lease changes, so the last
declaration of an address (v4) or of an IA's address/prefix (v6) is its current state.
"""

from __future__ import annotations

import calendar
import re
import sys
import time

from forge.leases import Lease

#: dhcpd binding states and forge's lease states (0 active, 1 declined, 2 expired or released).
_STATES = {"active": 0, "abandoned": 1}
_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[{};]|[^\s{};"]+')


def _tokens(text: str) -> list[str]:
    text = re.sub(r"#[^\n]*", "", text)
    return _TOKEN.findall(text)


def _statements(tokens: list[str], pos: int) -> tuple[list, int]:
    """Parse `words ;` and `words { ... }` until a closing brace; each item is (words, children | None)."""
    out: list = []
    words: list[str] = []
    while pos < len(tokens):
        tok = tokens[pos]
        pos += 1
        if tok == ";":
            if words:
                out.append((words, None))
            words = []
        elif tok == "{":
            children, pos = _statements(tokens, pos)
            out.append((words, children))
            words = []
        elif tok == "}":
            break
        else:
            words.append(tok)
    return out, pos


def _octets(token: str) -> bytes:
    """A quoted string with octal escapes, or colon-separated hex octets, as bytes."""
    if token.startswith('"'):
        body = token[1:-1]
        out = bytearray()
        i = 0
        while i < len(body):
            if body[i] == "\\" and i + 1 < len(body):
                octal = re.match(r"[0-7]{1,3}", body[i + 1:])
                if octal:
                    out.append(int(octal.group(), 8))
                    i += 1 + len(octal.group())
                    continue
                out.append(ord(body[i + 1]))
                i += 2
                continue
            out.append(ord(body[i]))
            i += 1
        return bytes(out)
    return bytes(int(part, 16) for part in token.split(":") if part)


def _hex(data: bytes) -> str:
    return ":".join(f"{b:02x}" for b in data)


def _when(words: list[str]) -> int | None:
    """`ends 5 2026/11/27 21:00:00` (UTC) or `ends epoch 1795...` or `ends never` as a Unix time."""
    if len(words) >= 3 and words[1] == "epoch":
        return int(words[2])
    if len(words) >= 4:
        return calendar.timegm(time.strptime(f"{words[2]} {words[3]}", "%Y/%m/%d %H:%M:%S"))
    return None


def _fields(children: list) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for words, sub in children:
        if sub is None and words:
            key = words[0]
            if key in ("binding", "next", "rewind") and len(words) >= 3 and words[1] == "state":
                out[f"{key} state"] = words[2:]
            elif key == "hardware" and len(words) >= 3:
                out["hardware"] = words[1:]
            elif key == "set" and len(words) >= 4:
                out[f"set {words[1]}"] = words[3:]
            else:
                out[key] = words
    return out


def _state(fields: dict[str, list[str]]) -> int:
    state = (fields.get("binding state") or ["free"])[0]
    return _STATES.get(state, 2)


def _unquote(token: str) -> str:
    return _octets(token).decode("utf-8", "replace") if token.startswith('"') else token


def _ddns(f: dict[str, list[str]]) -> dict:
    """What dhcpd's own DNS updates left on the lease: it sets ddns-fwd-name, ddns-rev-name and ddns-dhcid once
    an update has succeeded, so a lease without any says nothing about DNS (None), not "no update"."""
    if not any(key in f for key in ("set ddns-fwd-name", "set ddns-rev-name", "set ddns-dhcid", "set ddns-txt")):
        return {}
    name = f.get("set ddns-fwd-name")
    return {"fqdn_fwd": "set ddns-fwd-name" in f, "fqdn_rev": "set ddns-rev-name" in f,
            "ddns_name": _unquote(name[0]) if name else None}


def _lease4(address: str, children: list) -> Lease:
    f = _fields(children)
    starts, ends = _when(f.get("starts", [])), _when(f.get("ends", []))
    hw = f.get("hardware")
    uid = f.get("uid")
    host = f.get("client-hostname")
    ddns = _ddns(f)
    return Lease(
        address=address,
        valid_lifetime=ends - starts if starts is not None and ends is not None else None,
        expire=ends,
        hwaddr=hw[1].lower() if hw and len(hw) > 1 else None,
        client_id=_hex(_octets(uid[1])) if uid and len(uid) > 1 else None,
        hostname=_unquote(host[1]) if host and len(host) > 1 else ddns.get("ddns_name"),
        state=_state(f),
        fqdn_fwd=ddns.get("fqdn_fwd"),
        fqdn_rev=ddns.get("fqdn_rev"),
    )


def _leases6(kind: str, ia_id: bytes, children: list, byte_order: str) -> list[Lease]:
    # dhcpd keeps the IAID in the byte order of the host that wrote the file (`authoring-byte-order`)
    iaid = int.from_bytes(ia_id[:4], byte_order) if len(ia_id) >= 4 else None
    duid = _hex(ia_id[4:]) or None
    out = []
    for words, sub in children:
        if sub is None or not words or words[0] not in ("iaaddr", "iaprefix"):
            continue
        f = _fields(sub)
        ends = _when(f.get("ends", []))
        address, _, plen = words[1].partition("/")
        preferred, valid = f.get("preferred-life"), f.get("max-life")
        ddns = _ddns(f)
        out.append(Lease(
            address=address,
            valid_lifetime=int(valid[1]) if valid and len(valid) > 1 else None,
            expire=ends,
            duid=duid,
            iaid=iaid,
            lease_type={"ia-na": "NA", "ia-ta": "TA", "ia-pd": "PD"}[kind],
            prefix_len=int(plen) if plen else 128,
            preferred_lifetime=int(preferred[1]) if preferred and len(preferred) > 1 else None,
            hostname=ddns.get("ddns_name"),
            state=_state(f),
            fqdn_fwd=ddns.get("fqdn_fwd"),
            fqdn_rev=ddns.get("fqdn_rev"),
        ))
    return out


def parse_dhcpd_leases(text: str) -> list[Lease]:
    """Replay a dhcpd.leases journal (v4 `lease` or v6 `ia-na`/`ia-ta`/`ia-pd` declarations): the last
    declaration of each address wins."""
    tree, _ = _statements(_tokens(text), 0)
    leases: dict[tuple[str, str | None], Lease] = {}
    byte_order = sys.byteorder
    for words, children in tree:
        if words[:1] == ["authoring-byte-order"] and len(words) > 1:
            byte_order = "big" if words[1] == "big-endian" else "little"
        if children is None or len(words) < 2:
            continue
        if words[0] == "lease":
            lease = _lease4(words[1], children)
            leases[(lease.address, None)] = lease
        elif words[0] in ("ia-na", "ia-ta", "ia-pd"):
            for lease in _leases6(words[0], _octets(words[1]), children, byte_order):
                leases[(lease.address, lease.lease_type)] = lease
    return list(leases.values())

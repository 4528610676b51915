"""The simulated DHCP clients whose state steps set: identity, requested options, one-shot additions."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from forge.packets import v4, v6


def random_mac() -> str:
    # Locally administered, unicast.
    return "02:" + ":".join(f"{random.getrandbits(8):02x}" for _ in range(5))


@dataclass
class Client4:
    chaddr: str = field(default_factory=random_mac)
    client_id: bytes | None = None
    prl: list[int] = field(default_factory=list)
    relay: v4.Relay4 | None = None
    # Sent in every message from now on, like client-id (the client FQDN, a host name).
    sticky: dict[int, bytes] = field(default_factory=dict)
    # One-shot: apply to the next message only.
    extra: list[tuple[int, bytes]] = field(default_factory=list)
    omit: set[int] = field(default_factory=set)
    fields: dict[str, object] = field(default_factory=dict)
    unicast: bool = False

    def next_message(self, msg_type: int, server_ip: str) -> v4.Message4:
        options: list[tuple[int, bytes]] = []
        if self.client_id is not None:
            options.append((61, self.client_id))
        if self.prl:
            options.append((55, bytes(self.prl)))
        options += list(self.sticky.items())
        # An added option replaces a default one of the same code.
        added = {code for code, _ in self.extra}
        options = [o for o in options if o[0] not in added] + list(self.extra)
        options = [o for o in options if o[0] not in self.omit]
        msg = v4.Message4(msg_type=msg_type, chaddr=self.chaddr, options=options, relay=self.relay,
                          omit_message_type=53 in self.omit)
        for name, value in self.fields.items():
            setattr(msg, name, value)
        if self.unicast and self.relay is None:
            msg.dst_ip = server_ip
        self.extra, self.omit, self.fields, self.unicast = [], set(), {}, False
        return msg


@dataclass
class Client6:
    duid: bytes = field(default_factory=lambda: v6.duid_ll(random_mac()))
    iaid: int = field(default_factory=lambda: random.getrandbits(16) + 1)
    pd_iaid: int = field(default_factory=lambda: random.getrandbits(16) + 1)
    oro: list[int] = field(default_factory=list)
    relays: list[v6.Relay6] = field(default_factory=list)
    want_na: bool = True  # SOLICIT carries an IA_NA unless told otherwise
    want_pd: bool = False
    # Option TLVs sent in every message from now on, by code (the client FQDN).
    sticky: dict[int, bytes] = field(default_factory=dict)
    # One-shot.
    extra: list[bytes] = field(default_factory=list)
    omit: set[int] = field(default_factory=set)
    dst_ip: str | None = None

    def next_message(self, msg_type: int) -> v6.Message6:
        options: list[bytes] = []
        defaults: list[tuple[int, bytes]] = [(1, v6.tlv(1, self.duid)), (8, v6.elapsed_time(0))]
        if msg_type == 1:
            if self.want_na:
                defaults.append((3, v6.ia_na(self.iaid)))
            if self.want_pd:
                defaults.append((25, v6.ia_pd(self.pd_iaid)))
        if self.oro:
            defaults.append((6, v6.oro(self.oro)))
        defaults += list(self.sticky.items())
        added = {int.from_bytes(o[:2], "big") for o in self.extra}
        # Added options of a default's code replace it (a copied IA_NA replaces the SOLICIT one).
        options = [data for code, data in defaults if code not in added] + list(self.extra)
        options = [o for o in options if int.from_bytes(o[:2], "big") not in self.omit]
        msg = v6.Message6(msg_type=msg_type, options=options, relays=list(self.relays), dst_ip=self.dst_ip)
        self.extra, self.omit, self.dst_ip = [], set(), None
        return msg

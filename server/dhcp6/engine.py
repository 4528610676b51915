"""DHCPv6 message processing (RFC 8415): validation (16), Solicit/Advertise, Request, Renew, Rebind,
Release, Decline, Confirm, Information-request, rapid commit, relays (19). No sockets here."""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass

from server.config.model import ConfiguredOption, DdnsParams
from server.config.model6 import Dhcp6Config, Subnet6
from server.ddns import dhcid, fqdn6
from server.ddns.ncr import CHG_ADD, CHG_REMOVE, for_lease
from server.dhcp6.alloc import NA, PD, STATE_DECLINED, Allocator6, reservation_for
from server.dhcp6.select import SubnetSelector6
from server.leases.lease6 import Lease6
from server.stats import Stats
from server.wire import packet6 as p6

FQDN = fqdn6.CLIENT_FQDN

log = logging.getLogger("lessor.dhcp6")

CLIENTID, SERVERID, IA_NA, IA_TA, IAADDR, ORO, PREFERENCE, ELAPSED, RELAY_MSG = 1, 2, 3, 4, 5, 6, 7, 8, 9
STATUS, RAPID_COMMIT, INTERFACE_ID, IA_PD, IAPREFIX = 13, 14, 18, 25, 26
NAMES = {1: "solicit", 2: "advertise", 3: "request", 4: "confirm", 5: "renew", 6: "rebind", 7: "reply",
         8: "release", 9: "decline", 10: "reconfigure", 11: "infrequest", 12: "relay-forw", 13: "relay-repl"}
SUCCESS, NO_ADDRS, NO_BINDING, NOT_ON_LINK, NO_PREFIX = 0, 2, 3, 4, 6
CLIENT_MESSAGES = {1, 3, 4, 5, 6, 8, 9, 11}


@dataclass(slots=True)
class Query6:
    msg: p6.Message6
    relays: list  # Relay6 hops, outermost first
    iface: str
    src: int  # source address as an int
    src_port: int
    name: fqdn6.Name6 | None = None  # the client's name and the DNS updates for its addresses


@dataclass(slots=True)
class Reply6:
    packet: object  # Message6 or Relay6
    dst: int
    dst_port: int
    iface: str


class Engine6:
    def __init__(self, cfg: Dhcp6Config, leases, stats: Stats, server_duid: bytes, ncr=None):
        self.cfg = cfg
        self.ncr = ncr  # server.ddns.sender.NcrSender when dhcp-ddns enable-updates is true, else None
        self.leases = leases
        self.stats = stats
        self.duid = server_duid
        self.selector = SubnetSelector6(cfg)
        self.alloc = Allocator6(leases)
        self.now = lambda: int(time.time())

    # -- entry point -------------------------------------------------------------
    def process(self, q: Query6) -> Reply6 | None:
        msg = q.msg
        kind = msg.msg_type
        if kind not in CLIENT_MESSAGES:
            return self._drop(q, f"message type {kind} is not one a server accepts")
        self.stats.inc(f"pkt6-{NAMES[kind]}-received")
        opts = _index(msg.options)
        problem = self._validate(kind, opts)
        if problem:
            return self._drop(q, problem)
        relay_opts = q.relays[-1].options if q.relays else None
        link = int.from_bytes(q.relays[-1].link_address, "big") if q.relays else 0
        subnet = self.selector.select(relay_opts, link, q.iface, q.src)
        if kind in (1, 3, 5, 6):
            params = subnet.ddns if subnet is not None else self.cfg.ddns
            if FQDN in opts or (params.enabled and params.replace_client_name in ("always", "when-not-present")) \
                    or (subnet is not None and (subnet.by_duid or subnet.by_hw)):
                res = reservation_for(subnet, opts[CLIENTID][0], None) if subnet is not None else None
                try:
                    q.name = fqdn6.decide(opts[FQDN][0] if FQDN in opts else None,
                                          res.hostname if res is not None else "", params)
                except fqdn6.FqdnError as exc:
                    self.stats.inc("pkt6-parse-failed")
                    return self._drop(q, str(exc))
        handler = {1: self._solicit, 3: self._request, 4: self._confirm, 5: self._renew, 6: self._rebind,
                   8: self._release, 9: self._decline, 11: self._inforequest}[kind]
        return handler(q, opts, subnet)

    def _validate(self, kind: int, opts: dict[int, list[bytes]]) -> str | None:
        """RFC 8415 section 16: which messages must carry, or must not carry, which identifiers."""
        client_id = opts.get(CLIENTID)
        server_id = opts.get(SERVERID)
        if kind != 11 and not client_id:
            return "no Client Identifier option"
        if client_id and len(client_id) > 1:
            return "more than one Client Identifier option"
        if kind in (1, 4, 6) and server_id:
            return "a Server Identifier option where the message must not carry one"
        if kind in (3, 5, 8, 9):
            if not server_id:
                return "no Server Identifier option"
            if server_id[0] != self.duid:
                return "the Server Identifier names another server"
        if kind == 11:
            if server_id and server_id[0] != self.duid:
                return "the Server Identifier names another server"
            if any(code in opts for code in (IA_NA, IA_TA, IA_PD)):
                return "an Information-request with an IA option (RFC 8415 16.12)"
        return None

    def _drop(self, q: Query6, reason: str) -> None:
        self.stats.inc("pkt6-receive-drop")
        if log.isEnabledFor(logging.DEBUG):
            log.debug("DHCP6_PACKET_DROP %s trid=0x%06x on %s: %s", NAMES.get(q.msg.msg_type, "?").upper(),
                      q.msg.transaction_id, q.iface, reason)

    # -- stateful messages ---------------------------------------------------------
    def _solicit(self, q: Query6, opts, subnet: Subnet6 | None) -> Reply6:
        rapid = RAPID_COMMIT in opts and subnet is not None and subnet.rapid_commit
        kind = 7 if rapid else 2
        reply = self._reply(q, kind, opts)
        self._assign(q, opts, subnet, reply, commit=rapid)
        if rapid:
            reply.options.append((RAPID_COMMIT, b""))
        self._add_fqdn(q, reply, opts)
        return self._finish(q, reply, subnet, opts)

    def _request(self, q: Query6, opts, subnet: Subnet6 | None) -> Reply6:
        reply = self._reply(q, 7, opts)
        self._assign(q, opts, subnet, reply, commit=True)
        self._add_fqdn(q, reply, opts)
        return self._finish(q, reply, subnet, opts)

    def _assign(self, q: Query6, opts, subnet: Subnet6 | None, reply: p6.Message6, commit: bool) -> None:
        duid = opts[CLIENTID][0]
        subnets = self.selector.family(subnet)
        now = self.now()
        name = q.name
        params = subnet.ddns if subnet is not None else self.cfg.ddns
        changes: list | None = [] if commit and self.ncr is not None and params.enabled else None
        for data in opts.get(IA_NA, ()):
            iaid, _t1, _t2, sub = p6.decode_ia(data)
            hints = [int.from_bytes(p6.decode_iaaddr(d)[0], "big") for c, d in sub if c == IAADDR]
            picked = self.alloc.pick_address(subnets, duid, iaid, hints, now) if subnets else None
            if picked is None:
                self.stats.inc("v6-allocation-fail")
                reply.options.append((IA_NA, _ia_body(iaid, 0, 0, [p6.encode_status(NO_ADDRS,
                                                                                   "No addresses available")])))
                continue
            address, s = picked
            preferred, valid = self._lifetimes(s, sub, IAADDR)
            hostname = name.lease_hostname(address, s.ddns) if name is not None else ""
            if commit and not self._store(Lease6(address=address, duid=duid, valid_lifetime=valid, cltt=now,
                                                 subnet_id=s.id, preferred_lifetime=preferred, lease_type=NA,
                                                 iaid=iaid, prefix_len=128, **_dns(name, hostname)), s, "nas",
                                          changes):
                reply.options.append((IA_NA, _ia_body(iaid, 0, 0, [p6.encode_status(NO_ADDRS, "Lease not stored")])))
                continue
            t1, t2 = _timers(s, preferred)
            reply.options.append((IA_NA, _ia_body(iaid, t1, t2, [p6.encode_iaaddr(address.to_bytes(16, "big"),
                                                                                 preferred, valid)])))
        for data in opts.get(IA_PD, ()):
            iaid, _t1, _t2, sub = p6.decode_ia(data)
            hints = []
            for c, d in sub:
                if c == IAPREFIX:
                    _pl, _vl, length, prefix, _o = p6.decode_iaprefix(d)
                    hints.append((int.from_bytes(prefix, "big"), length))
            picked = self.alloc.pick_prefix(subnets, duid, iaid, hints, now) if subnets else None
            if picked is None:
                self.stats.inc("v6-allocation-fail")
                reply.options.append((IA_PD, _ia_body(iaid, 0, 0, [p6.encode_status(NO_PREFIX,
                                                                                   "No prefixes available")])))
                continue
            prefix, length, s = picked
            preferred, valid = self._lifetimes(s, sub, IAPREFIX)
            if commit and not self._store(Lease6(address=prefix, duid=duid, valid_lifetime=valid, cltt=now,
                                                 subnet_id=s.id, preferred_lifetime=preferred, lease_type=PD,
                                                 iaid=iaid, prefix_len=length,
                                                 **_dns(name, name.name if name is not None else "")), s, "pds"):
                reply.options.append((IA_PD, _ia_body(iaid, 0, 0, [p6.encode_status(NO_PREFIX, "Lease not stored")])))
                continue
            t1, t2 = _timers(s, preferred)
            reply.options.append((IA_PD, _ia_body(iaid, t1, t2, [
                p6.encode_iaprefix(preferred, valid, length, prefix.to_bytes(16, "big"))])))
        for data in opts.get(IA_TA, ()):
            iaid = int.from_bytes(data[:4], "big")
            reply.options.append((IA_TA, iaid.to_bytes(4, "big") + p6.encode_status(NO_ADDRS,
                                                                                     "Temporary addresses not served")))
        if changes:
            self._ddns_reply(changes, duid, params)

    def _lifetimes(self, s: Subnet6, sub, code: int) -> tuple[int, int]:
        preferred, valid = s.preferred_lifetime, s.valid_lifetime
        for c, d in sub:
            if c == code:
                hint_p, hint_v = (p6.decode_iaaddr(d)[1:3] if code == IAADDR else p6.decode_iaprefix(d)[0:2])
                if hint_v:
                    valid = max(s.min_valid_lifetime, min(s.max_valid_lifetime, hint_v))
                if hint_p:
                    preferred = max(s.min_preferred_lifetime, min(s.max_preferred_lifetime, hint_p))
                break
        return min(preferred, valid), valid

    def _store(self, lease: Lease6, s: Subnet6, stat: str, changes: list | None = None) -> bool:
        old = self.leases.get(lease.lease_type, lease.address)
        try:
            if old is None:
                self.leases.add(lease)
            else:
                self.leases.update(lease)
        except Exception as exc:  # noqa: BLE001 - an unwritable lease must never be acknowledged
            log.error("DHCP6_LEASE_WRITE_FAILED %s: %s", lease.address, exc)
            return False
        if old is None or old.state != 0 or old.expire <= self.now():
            self.stats.inc(f"subnet[{s.id}].assigned-{stat}")
        if changes is not None:
            changes.append((old, lease))
        return True

    def _extend(self, q: Query6, opts, subnet: Subnet6 | None, rebind: bool) -> Reply6:
        """Renew (18.3.4) and Rebind (18.3.5)."""
        reply = self._reply(q, 7, opts)
        duid = opts[CLIENTID][0]
        subnets = self.selector.family(subnet)
        now = self.now()
        name = q.name
        params = subnet.ddns if subnet is not None else self.cfg.ddns
        changes: list | None = [] if self.ncr is not None and params.enabled else None
        for code, kind, sub_code, stat in ((IA_NA, NA, IAADDR, "nas"), (IA_PD, PD, IAPREFIX, "pds")):
            track = changes if kind == NA else None
            for data in opts.get(code, ()):
                iaid, _t1, _t2, sub = p6.decode_ia(data)
                out: list[bytes] = []
                bound = self.alloc.bindings(kind, subnets, duid, iaid) if subnets else []
                listed = set()
                best_preferred = None
                for c, d in sub:
                    if c != sub_code:
                        continue
                    if kind == NA:
                        raw, _p, _v, _o = p6.decode_iaaddr(d)
                        address, length = int.from_bytes(raw, "big"), 128
                    else:
                        _p, _v, length, raw, _o = p6.decode_iaprefix(d)
                        address = int.from_bytes(raw, "big")
                    listed.add(address)
                    owner = self._appropriate(kind, subnets, address, length)
                    lease = self.leases.get(kind, address)
                    mine = lease is not None and self.alloc.owned(lease, duid, iaid)
                    usable = owner is not None and (mine or self.alloc.usable(
                        kind, address, owner, duid, iaid, now, reservation_for(owner, duid, None), length))
                    if not usable:
                        out.append(_lease_option(kind, address, length, 0, 0))
                        continue
                    preferred, valid = self._lifetimes(owner, sub, sub_code)
                    hostname = "" if name is None else \
                        name.lease_hostname(address, owner.ddns) if kind == NA else name.name
                    if self._store(Lease6(address=address, duid=duid, valid_lifetime=valid, cltt=now,
                                          subnet_id=owner.id, preferred_lifetime=preferred, lease_type=kind,
                                          iaid=iaid, prefix_len=length, **_dns(name, hostname)), owner, stat,
                                   track):
                        out.append(_lease_option(kind, address, length, preferred, valid))
                        best_preferred = preferred if best_preferred is None else min(best_preferred, preferred)
                for lease in bound:
                    if lease.address not in listed:
                        owner = next(s for s in subnets if s.id == lease.subnet_id)
                        preferred, valid = owner.preferred_lifetime, owner.valid_lifetime
                        hostname = "" if name is None else \
                            name.lease_hostname(lease.address, owner.ddns) if kind == NA else name.name
                        if self._store(Lease6(address=lease.address, duid=duid, valid_lifetime=valid, cltt=now,
                                              subnet_id=owner.id, preferred_lifetime=min(preferred, valid),
                                              lease_type=kind, iaid=iaid, prefix_len=lease.prefix_len,
                                              **_dns(name, hostname)), owner, stat, track):
                            out.append(_lease_option(kind, lease.address, lease.prefix_len, preferred, valid))
                            best_preferred = preferred if best_preferred is None else min(best_preferred, preferred)
                if not out:
                    out.append(p6.encode_status(NO_BINDING, "No binding for this IA"))
                    reply.options.append((code, _ia_body(iaid, 0, 0, out)))
                    continue
                t1, t2 = _timers(subnet if subnet is not None else subnets[0], best_preferred) \
                    if best_preferred is not None and subnets else (0, 0)
                reply.options.append((code, _ia_body(iaid, t1, t2, out)))
        if changes:
            self._ddns_reply(changes, duid, params)
        self._add_fqdn(q, reply, opts)
        return self._finish(q, reply, subnet, opts)

    # -- DNS updates (RFC 4704, Kea's NameChangeRequests) ---------------------------------
    def _add_fqdn(self, q: Query6, reply: p6.Message6, opts) -> None:
        """RFC 4704 6: the answer carries option 39 only when the client sent it and asked for it in its ORO
        (Kea sends it without the ORO: the deviation kea-fqdn6-without-oro)."""
        option = q.name.option() if q.name is not None else None
        if option is not None and FQDN in opts and any(int.from_bytes(oro[i:i + 2], "big") == FQDN
                                                       for oro in opts.get(ORO, ()) for i in range(0, len(oro) - 1, 2)):
            reply.options.append(option)

    def _ddns_reply(self, changes: list, duid: bytes, params: DdnsParams) -> None:
        """NCRs for the addresses of a Reply, as Kea 2.2 sends them: a remove for each address whose old
        entries go (a new name or update directions, or an expired lease taken over), and one add, for the
        first address that is new or whose name changed (or the first one, with ddns-update-on-renew).
        Kea maps the name to that one address only (observed: two IA_NA, one NCR)."""
        now = self.now()
        added = False
        for old, lease in changes:
            if old is not None and old.state == 0:
                mine = old.duid == duid and old.iaid == lease.iaid and old.expire > now
                identical = mine and old.hostname == lease.hostname and \
                    (old.fqdn_fwd, old.fqdn_rev) == (lease.fqdn_fwd, lease.fqdn_rev)
                if not identical:
                    self.ddns_remove(old)
                elif not params.update_on_renew:
                    continue
            if not added:
                self._queue_ncr(CHG_ADD, lease, params)
                added = lease.hostname != "" and (lease.fqdn_fwd or lease.fqdn_rev)

    def ddns_remove(self, lease: Lease6) -> None:
        """The remove NCR for an address lease that had DNS entries (release, decline, expiry, a new name)."""
        if self.ncr is not None and lease.lease_type == NA and lease.hostname and (lease.fqdn_fwd or lease.fqdn_rev):
            subnet = next((s for s in self.cfg.subnets if s.id == lease.subnet_id), None)
            self._queue_ncr(CHG_REMOVE, lease, subnet.ddns if subnet is not None else self.cfg.ddns)

    def _queue_ncr(self, change: int, lease: Lease6, params: DdnsParams) -> None:
        if not lease.hostname or not (lease.fqdn_fwd or lease.fqdn_rev) or lease.lease_type == PD:
            return
        fqdn = lease.hostname if lease.hostname.endswith(".") else lease.hostname + "."
        address = str(ipaddress.IPv6Address(lease.address))
        try:
            rdata = dhcid.from_duid(lease.duid, fqdn)
        except ValueError as exc:
            log.error("DHCPSRV_QUEUE_NCR_FAILED %s %s: %s", "add" if change == CHG_ADD else "remove", address, exc)
            return
        self.ncr.send(for_lease(change, fqdn, address, rdata, lease.cltt, lease.valid_lifetime, lease.fqdn_fwd,
                                lease.fqdn_rev, params.use_conflict_resolution))

    def _appropriate(self, kind: int, subnets: list[Subnet6], address: int, length: int) -> Subnet6 | None:
        for s in subnets:
            if kind == NA and s.contains(address) and (s.in_pool(address) or address in s.reserved):
                return s
            if kind == PD and (s.pd_pool_for(address, length) or (address, length) in s.reserved_prefixes):
                return s
        return None

    def _renew(self, q, opts, subnet):
        return self._extend(q, opts, subnet, rebind=False)

    def _rebind(self, q, opts, subnet):
        return self._extend(q, opts, subnet, rebind=True)

    def _release_or_decline(self, q: Query6, opts, subnet: Subnet6 | None, decline: bool) -> Reply6:
        reply = self._reply(q, 7, opts)
        duid = opts[CLIENTID][0]
        now = self.now()
        for code, kind, sub_code, stat in ((IA_NA, NA, IAADDR, "nas"), (IA_PD, PD, IAPREFIX, "pds")):
            if decline and kind == PD:
                continue
            for data in opts.get(code, ()):
                iaid, _t1, _t2, sub = p6.decode_ia(data)
                done = 0
                for c, d in sub:
                    if c != sub_code:
                        continue
                    raw = p6.decode_iaaddr(d)[0] if kind == NA else p6.decode_iaprefix(d)[3]
                    lease = self.leases.get(kind, int.from_bytes(raw, "big"))
                    if lease is None or not self.alloc.owned(lease, duid, iaid):
                        continue
                    done += 1
                    self.ddns_remove(lease)
                    if decline:
                        self.leases.update(Lease6(address=lease.address, duid=b"\x00", valid_lifetime=
                                                  self.cfg.decline_probation_period, cltt=now,
                                                  subnet_id=lease.subnet_id, preferred_lifetime=0,
                                                  lease_type=NA, iaid=0, prefix_len=128, state=STATE_DECLINED))
                        self.stats.inc("declined-addresses")
                        self.stats.inc(f"subnet[{lease.subnet_id}].declined-addresses")
                    else:
                        self.leases.delete(lease)
                    self.stats.inc(f"subnet[{lease.subnet_id}].assigned-{stat}", -1)
                if done:
                    text = "Lease declined." if decline else "Lease released."
                    reply.options.append((code, _ia_body(iaid, 0, 0, [p6.encode_status(SUCCESS, text)])))
                else:
                    reply.options.append((code, _ia_body(iaid, 0, 0, [p6.encode_status(
                        NO_BINDING, "No binding for this IA")])))
        reply.options.append((STATUS, p6.encode_status(SUCCESS, "All addresses processed.")[4:]))
        return self._finish(q, reply, None, opts, with_config=False)

    def _release(self, q, opts, subnet):
        return self._release_or_decline(q, opts, subnet, decline=False)

    def _decline(self, q, opts, subnet):
        return self._release_or_decline(q, opts, subnet, decline=True)

    def _confirm(self, q: Query6, opts, subnet: Subnet6 | None) -> Reply6 | None:
        """18.3.3: Success when every address is on the client's link, NotOnLink otherwise; no reply when
        there is no address to check or the link is unknown."""
        addresses = []
        subs = [p6.decode_ia(d)[3] for d in opts.get(IA_NA, [])] + [p6.decode_ia_ta(d)[1] for d in opts.get(IA_TA, [])]
        for sub in subs:
            addresses += [int.from_bytes(p6.decode_iaaddr(d)[0], "big") for c, d in sub if c == IAADDR]
        if not addresses:
            return self._drop(q, "a Confirm with no addresses")
        if subnet is None:
            return self._drop(q, "a Confirm from a link the server has no subnet for")
        subnets = self.selector.family(subnet)
        on_link = all(any(s.contains(a) for s in subnets) for a in addresses)
        reply = self._reply(q, 7, opts)
        if on_link:
            reply.options.append((STATUS, p6.encode_status(SUCCESS, "All addresses are on-link.")[4:]))
        else:
            reply.options.append((STATUS, p6.encode_status(NOT_ON_LINK, "Some addresses are not on-link.")[4:]))
        return self._finish(q, reply, subnet, opts, with_config=False)

    def _inforequest(self, q: Query6, opts, subnet: Subnet6 | None) -> Reply6:
        reply = self._reply(q, 7, opts)
        return self._finish(q, reply, subnet, opts)

    # -- replies -------------------------------------------------------------------------
    def _reply(self, q: Query6, kind: int, opts) -> p6.Message6:
        options: list[tuple[int, bytes]] = [(SERVERID, self.duid)]
        if CLIENTID in opts:
            options.append((CLIENTID, opts[CLIENTID][0]))
        return p6.Message6(msg_type=kind, transaction_id=q.msg.transaction_id, options=options)

    def _finish(self, q: Query6, reply: p6.Message6, subnet: Subnet6 | None, opts,
                with_config: bool = True) -> Reply6:
        if with_config:
            configured: dict[int, ConfiguredOption] = dict(subnet.options if subnet is not None else self.cfg.options)
            present = {c for c, _ in reply.options}
            requested = set()
            for data in opts.get(ORO, ()):
                requested |= {int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)}
            for code, opt in configured.items():
                if code in present:
                    continue
                if code in requested or opt.always_send or (code == PREFERENCE and reply.msg_type == 2):
                    reply.options.append((code, opt.data))
        self.stats.inc(f"pkt6-{NAMES[reply.msg_type]}-sent")
        self.stats.inc("pkt6-sent")
        packet: object = reply
        for hop in reversed(q.relays):
            relay_opts = [(c, d) for c, d in hop.options if c == INTERFACE_ID]
            packet = p6.Relay6(msg_type=13, hop_count=hop.hop_count, link_address=hop.link_address,
                               peer_address=hop.peer_address, options=relay_opts, inner=packet)
        port = 547 if q.relays else q.src_port
        return Reply6(packet, q.src, port, q.iface)


def _dns(name: fqdn6.Name6 | None, hostname: str) -> dict:
    """The lease fields that record the client's name and the DNS updates done for it."""
    if name is None:
        return {}
    return {"hostname": hostname, "fqdn_fwd": name.forward, "fqdn_rev": name.reverse}


def _index(options: list[tuple[int, bytes]]) -> dict[int, list[bytes]]:
    out: dict[int, list[bytes]] = {}
    for code, data in options:
        out.setdefault(code, []).append(data)
    return out


def _ia_body(iaid: int, t1: int, t2: int, sub: list[bytes]) -> bytes:
    return iaid.to_bytes(4, "big") + t1.to_bytes(4, "big") + t2.to_bytes(4, "big") + b"".join(sub)


def _lease_option(kind: int, address: int, length: int, preferred: int, valid: int) -> bytes:
    if kind == NA:
        return p6.encode_iaaddr(address.to_bytes(16, "big"), preferred, valid)
    return p6.encode_iaprefix(preferred, valid, length, address.to_bytes(16, "big"))


def _timers(s: Subnet6, preferred: int) -> tuple[int, int]:
    t1, t2 = s.renew_timer, s.rebind_timer
    if s.calculate_tee_times:
        t1 = t1 if t1 is not None else int(preferred * s.t1_percent)
        t2 = t2 if t2 is not None else int(preferred * s.t2_percent)
    return (t1 or 0), (t2 or 0)

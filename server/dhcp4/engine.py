"""DHCPv4 message processing (RFC 2131, 2132, 3046, 6842): one query in, at most one reply out.

The engine never touches a socket: it returns a Reply that says what to send and where, or
None with the reason logged at debug level.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass

from server.config.model4 import ConfiguredOption, Dhcp4Config, Reservation4, Subnet4
from server.ddns import dhcid, fqdn4
from server.ddns.ncr import CHG_ADD, CHG_REMOVE, for_lease
from server.dhcp4.alloc import STATE_DECLINED, Allocator, Client, reservation_for
from server.dhcp4.select import SubnetSelector
from server.leases.lease4 import Lease4
from server.leases.memfile4 import LeaseFileError
from server.stats import Stats
from server.wire.packet4 import Packet4

log = logging.getLogger("lessor.dhcp4")

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = 1, 2, 3, 4, 5, 6, 7, 8
NAMES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack", 6: "nak", 7: "release", 8: "inform"}
BROADCAST = 0xFFFFFFFF
FLAG_BROADCAST = 0x8000
# Options Kea sends whether or not the client asked (when configured).
BASIC_OPTIONS = (1, 3, 6, 15)


@dataclass(slots=True)
class Query:
    pkt: Packet4
    iface: str
    iface_addr: int  # the server's address on the receiving interface: the server identifier
    src_ip: int
    src_mac: bytes
    unicast: bool  # sent to the server's own address rather than broadcast


@dataclass(slots=True)
class Reply:
    pkt: Packet4
    dst_ip: int
    dst_port: int
    dst_mac: bytes | None  # for direct delivery to a client (raw sockets); None: let the kernel route
    iface: str
    relayed: bool


def ip(address: int) -> str:
    return f"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}"


class Engine:
    def __init__(self, cfg: Dhcp4Config, leases, stats: Stats, iface_addrs: dict[str, tuple[int, ...]],
                 ncr=None):
        self.cfg = cfg
        self.leases = leases
        self.stats = stats
        self.iface_addrs = iface_addrs
        self.ncr = ncr  # server.ddns.sender.NcrSender when dhcp-ddns enable-updates is true, else None
        self.selector = SubnetSelector(cfg)
        # Subnets where a client that sends neither option 81 nor 12 may still get a name: a reserved hostname,
        # or ddns-replace-client-name always / when-not-present. Elsewhere such a client costs no name work.
        self.named_subnets = frozenset(
            s.id for s in cfg.subnets
            if s.ddns.replace_client_name in ("always", "when-not-present")
            or any(r.hostname for r in (*s.by_hw.values(), *s.by_client_id.values())))
        self.alloc = Allocator(leases)
        self.now = lambda: int(time.time())

    # -- entry point -----------------------------------------------------------
    def process(self, q: Query) -> Reply | None:
        pkt = q.pkt
        mtype = pkt.options.get(53)
        if pkt.op != 1:
            return self._drop(q, "not a BOOTREQUEST (op %d)" % pkt.op)
        if not mtype or len(mtype) != 1:
            return self._drop(q, "no DHCP message type option")
        kind = mtype[0]
        name = NAMES.get(kind)
        if name is None or kind in (OFFER, ACK, NAK):
            return self._drop(q, f"message type {kind} is not one a server accepts")
        self.stats.inc(f"pkt4-{name}-received")
        if pkt.hlen > 16 or (pkt.htype == 1 and pkt.hlen != 6):
            return self._drop(q, f"bad hardware address length {pkt.hlen} for htype {pkt.htype}")
        subnet = self.selector.select(pkt.options, pkt.giaddr, pkt.ciaddr if kind == INFORM or pkt.ciaddr else 0,
                                      q.iface, self.iface_addrs.get(q.iface, ()))
        if subnet is None:
            if kind == REQUEST and self._authoritative_default() and pkt.options.get(50) and not pkt.giaddr:
                return self._nak(q, None, "no subnet for the client's network (authoritative)")
            return self._drop(q, "no subnet matches the client "
                                 f"(giaddr {ip(pkt.giaddr)}, interface {q.iface})")
        handler = {DISCOVER: self._discover, REQUEST: self._request, RELEASE: self._release,
                   DECLINE: self._decline, INFORM: self._inform}[kind]
        return handler(q, subnet)

    def _authoritative_default(self) -> bool:
        return bool(self.cfg.source.get("authoritative", False))

    def _drop(self, q: Query, reason: str) -> None:
        self.stats.inc("pkt4-receive-drop")
        if log.isEnabledFor(logging.DEBUG):
            log.debug("DHCP4_PACKET_DROP %s from %s xid=0x%08x on %s: %s", _type_name(q.pkt),
                      q.pkt.chaddr.hex(":"), q.pkt.xid, q.iface, reason)

    # -- identity ---------------------------------------------------------------
    def _client(self, pkt: Packet4, subnet: Subnet4) -> Client:
        cid = pkt.options.get(61) if subnet.match_client_id else None
        return Client(bytes(pkt.chaddr), cid or None)

    # -- DISCOVER ----------------------------------------------------------------
    def _discover(self, q: Query, subnet: Subnet4) -> Reply | None:
        pkt = q.pkt
        subnets = self.selector.family(subnet)
        client = self._client(pkt, subnet)
        requested = _addr_option(pkt.options.get(50))
        picked = self.alloc.pick(subnets, client, requested, self.now())
        if picked is None:
            self.stats.inc("v4-allocation-fail")
            return self._drop(q, f"no address available in subnet {subnet.id}")
        address, chosen = picked
        return self._offer_or_ack(q, OFFER, chosen, address, client)

    # -- REQUEST ------------------------------------------------------------------
    def _request(self, q: Query, subnet: Subnet4) -> Reply | None:
        pkt = q.pkt
        server_id = _addr_option(pkt.options.get(54))
        requested = _addr_option(pkt.options.get(50))
        client = self._client(pkt, subnet)
        subnets = self.selector.family(subnet)
        now = self.now()
        if server_id is not None:
            # SELECTING: only the chosen server answers.
            if server_id not in self._my_addresses(q):
                return self._drop(q, f"REQUEST is for server {ip(server_id)}, not us")
            if requested is None:
                return self._drop(q, "SELECTING REQUEST without a requested address")
            target = requested
        elif requested is not None and not pkt.ciaddr:
            # INIT-REBOOT: verify the client's notion of its address.
            owner = next((s for s in subnets if s.contains(requested)), None)
            if owner is None:
                if subnet.authoritative:
                    return self._nak(q, subnet, f"{ip(requested)} is not on the client's network")
                return self._drop(q, f"INIT-REBOOT for {ip(requested)} off this network; not authoritative")
            lease = self.leases.get(requested)
            if lease is None or not client.owns(lease):
                if lease is None and self.alloc.existing(subnets, client) is None:
                    # RFC 2131 4.3.2: no record of the client -> remain silent.
                    return self._drop(q, f"INIT-REBOOT for {ip(requested)}: no record of the client")
                return self._nak(q, subnet, f"{ip(requested)} is not the client's address")
            target = requested
        elif pkt.ciaddr:
            target = pkt.ciaddr  # RENEWING or REBINDING
        else:
            return self._drop(q, "REQUEST with neither server-id, requested address nor ciaddr")
        owner = next((s for s in subnets if s.contains(target)), None)
        if owner is None:
            return self._nak(q, subnet, f"{ip(target)} is not in the client's subnet")
        res = reservation_for(owner, client)
        allowed = owner.in_pool(target) or (res is not None and res.ip_address == target)
        if not allowed:
            return self._nak(q, owner, f"{ip(target)} is outside the pools")
        if not self.alloc.usable(target, owner, client, now):
            return self._nak(q, owner, f"{ip(target)} is leased to another client")
        if res is not None and res.ip_address is not None and res.ip_address != target \
                and self.alloc.usable(res.ip_address, owner, client, now):
            return self._nak(q, owner, f"the client has reservation {ip(res.ip_address)}")
        return self._offer_or_ack(q, ACK, owner, target, client)

    def _my_addresses(self, q: Query) -> tuple[int, ...]:
        return self.iface_addrs.get(q.iface, ()) or (q.iface_addr,)

    # -- OFFER / ACK ---------------------------------------------------------------
    def _lifetime(self, pkt: Packet4, subnet: Subnet4) -> int:
        hint = _u32_option(pkt.options.get(51))
        if hint is None:
            return subnet.valid_lifetime
        return max(subnet.min_valid_lifetime, min(subnet.max_valid_lifetime, hint))

    def _offer_or_ack(self, q: Query, kind: int, subnet: Subnet4, address: int, client: Client) -> Reply | None:
        pkt = q.pkt
        valid = self._lifetime(pkt, subnet)
        res = reservation_for(subnet, client)
        name = None
        opts = pkt.options
        if 81 in opts or 12 in opts or subnet.id in self.named_subnets:
            try:
                name = fqdn4.decide(opts, res.hostname if res is not None else "", subnet.ddns)
            except fqdn4.FqdnError as exc:
                self.stats.inc("pkt4-parse-failed")
                return self._drop(q, str(exc))
        if kind == ACK:
            now = self.now()
            old = self.leases.get(address)
            ddns = self.ncr is not None and subnet.ddns.enabled
            moved_from = self.alloc.existing(self.selector.family(subnet), client) if ddns else None
            lease = Lease4(address=address, hwaddr=bytes(pkt.chaddr), client_id=pkt.options.get(61) or None,
                           valid_lifetime=valid, cltt=now, subnet_id=subnet.id)
            if name is not None:
                lease.hostname = name.lease_hostname(address, subnet.ddns)
                lease.fqdn_fwd, lease.fqdn_rev = name.forward, name.reverse
            try:
                if old is None:
                    self.leases.add(lease)
                else:
                    self.leases.update(lease)
            except (OSError, LeaseFileError) as exc:
                log.error("DHCP4_LEASE_WRITE_FAILED %s: %s; no ACK sent", ip(address), exc)
                return self._drop(q, f"cannot store the lease for {ip(address)}")
            if old is None or old.state != 0 or old.subnet_id != subnet.id or old.expire <= now:
                self.stats.inc(f"subnet[{subnet.id}].assigned-addresses")
                if old is not None and old.state == 0 and old.subnet_id != subnet.id and old.expire > now:
                    self.stats.inc(f"subnet[{old.subnet_id}].assigned-addresses", -1)
            if ddns:
                self._ddns_ack(subnet, lease, old, moved_from, client, pkt.htype, now)
        elif name is not None:
            name.lease_hostname(address, subnet.ddns)
        reply = self._reply(q, kind, subnet, res)
        reply.yiaddr = address
        if kind == ACK:
            reply.ciaddr = pkt.ciaddr  # RFC 2131 table 3: the REQUEST's ciaddr
        opts = reply.options
        opts[51] = valid.to_bytes(4, "big")
        t1, t2 = self._timers(subnet, valid)
        if t1 is not None:
            opts[58] = t1.to_bytes(4, "big")
        if t2 is not None:
            opts[59] = t2.to_bytes(4, "big")
        self._add_options(reply, pkt, subnet, res, address, reserved_hostname=False)
        if name is not None:
            code, data = name.option()
            reply.options[code] = data
            if 82 in reply.options:
                reply.options[82] = reply.options.pop(82)  # the relay agent information stays last
        return self._deliver(q, reply, kind)

    # -- DNS updates (RFC 4702 4, Kea's NameChangeRequests) ------------------------------
    def _ddns_ack(self, subnet: Subnet4, lease: Lease4, old: Lease4 | None, moved_from: Lease4 | None,
                  client: Client, htype: int, now: int) -> None:
        """NCRs for an acknowledged lease: add for a new one; for a renewal only when the name, its
        update directions or the address changed (remove the old first), or always with
        ddns-update-on-renew."""
        previous = None
        if old is not None and old.state == 0:
            if client.owns(old) and old.expire > now:
                previous = old
            else:
                self.ddns_remove(old, htype)  # reclaimed now: its owner's DNS entries go first
        if moved_from is not None and moved_from.address != lease.address and moved_from.state == 0:
            if moved_from.hostname and (moved_from.fqdn_fwd or moved_from.fqdn_rev):
                self.ddns_remove(moved_from, htype)
                try:
                    self.leases.update(dataclasses.replace(moved_from, hostname="", fqdn_fwd=False, fqdn_rev=False))
                except (OSError, LeaseFileError) as exc:
                    log.error("DHCP4_LEASE_WRITE_FAILED %s: %s", ip(moved_from.address), exc)
            if previous is None:
                previous = moved_from
        if previous is not None and not subnet.ddns.update_on_renew and previous.address == lease.address and \
                previous.hostname.lower() == lease.hostname.lower() and \
                (previous.fqdn_fwd, previous.fqdn_rev) == (lease.fqdn_fwd, lease.fqdn_rev):
            return
        if previous is not None and previous.address == lease.address:
            self.ddns_remove(previous, htype)
        self._queue_ncr(CHG_ADD, lease, subnet, htype)

    def ddns_remove(self, lease: Lease4, htype: int = 1) -> None:
        """The remove NCR for a lease that had DNS entries (release, decline, expiry, a new name)."""
        if self.ncr is not None and lease.hostname and (lease.fqdn_fwd or lease.fqdn_rev):
            self._queue_ncr(CHG_REMOVE, lease, self.cfg.subnet_by_id(lease.subnet_id), htype)

    def _queue_ncr(self, change: int, lease: Lease4, subnet: Subnet4 | None, htype: int) -> None:
        if not lease.hostname or not (lease.fqdn_fwd or lease.fqdn_rev):
            return
        match_cid = subnet.match_client_id if subnet is not None else True
        fqdn = lease.hostname if lease.hostname.endswith(".") else lease.hostname + "."
        try:
            rdata = dhcid.for_v4_client(lease.client_id if match_cid else None, htype, lease.hwaddr, fqdn)
        except ValueError as exc:
            log.error("DHCPSRV_QUEUE_NCR_FAILED %s %s: %s", "add" if change == CHG_ADD else "remove",
                      ip(lease.address), exc)
            return
        self.ncr.send(for_lease(change, fqdn, ip(lease.address), rdata, lease.cltt, lease.valid_lifetime,
                                lease.fqdn_fwd, lease.fqdn_rev,
                                subnet.ddns.use_conflict_resolution if subnet is not None else True))

    @staticmethod
    def _timers(subnet: Subnet4, valid: int) -> tuple[int | None, int | None]:
        t1, t2 = subnet.renew_timer, subnet.rebind_timer
        if subnet.calculate_tee_times:
            t1 = t1 if t1 is not None else int(valid * subnet.t1_percent)
            t2 = t2 if t2 is not None else int(valid * subnet.t2_percent)
        if t2 is not None and t2 >= valid:
            t2 = None
        if t1 is not None and (t1 >= (t2 if t2 is not None else valid)):
            t1 = None
        return t1, t2

    # -- RELEASE / DECLINE / INFORM -------------------------------------------------
    def _release(self, q: Query, subnet: Subnet4) -> None:
        pkt = q.pkt
        client = self._client(pkt, subnet)
        lease = self.leases.get(pkt.ciaddr) if pkt.ciaddr else None
        if lease is None:
            return self._drop(q, f"RELEASE of {ip(pkt.ciaddr)}: no such lease")
        if not client.owns(lease):
            return self._drop(q, f"RELEASE of {ip(pkt.ciaddr)} by a client that does not hold it")
        self.leases.delete(lease)
        self.ddns_remove(lease, pkt.htype)
        self.stats.inc(f"subnet[{lease.subnet_id}].assigned-addresses", -1)
        log.info("DHCP4_RELEASE %s released by %s", ip(lease.address), pkt.chaddr.hex(":"))
        return None

    def _decline(self, q: Query, subnet: Subnet4) -> None:
        pkt = q.pkt
        client = self._client(pkt, subnet)
        address = _addr_option(pkt.options.get(50))
        lease = self.leases.get(address) if address else None
        if lease is None:
            return self._drop(q, "DECLINE without a requested address of a known lease")
        if not client.owns(lease):
            return self._drop(q, f"DECLINE of {ip(address)} by a client that does not hold it")
        declined = Lease4(address=address, hwaddr=b"", client_id=None,
                          valid_lifetime=self.cfg.decline_probation_period, cltt=self.now(),
                          subnet_id=lease.subnet_id, state=STATE_DECLINED)
        self.leases.update(declined)
        self.ddns_remove(lease, pkt.htype)
        self.stats.inc("declined-addresses")
        self.stats.inc(f"subnet[{lease.subnet_id}].declined-addresses")
        log.info("DHCP4_DECLINE_LEASE %s declined by %s; in probation for %ds", ip(address),
                 pkt.chaddr.hex(":"), self.cfg.decline_probation_period)
        return None

    def _inform(self, q: Query, subnet: Subnet4) -> Reply | None:
        pkt = q.pkt
        client = self._client(pkt, subnet)
        res = reservation_for(subnet, client)
        reply = self._reply(q, ACK, subnet, res)
        reply.ciaddr = pkt.ciaddr
        self._add_options(reply, pkt, subnet, res, pkt.ciaddr)
        return self._deliver(q, reply, ACK)

    # -- replies ----------------------------------------------------------------
    def _reply(self, q: Query, kind: int, subnet: Subnet4 | None, res: Reservation4 | None) -> Packet4:
        pkt = q.pkt
        next_server = subnet.next_server if subnet else 0
        sname = subnet.server_hostname if subnet else ""
        bootfile = subnet.boot_file_name if subnet else ""
        if res is not None:
            next_server = res.next_server if res.next_server is not None else next_server
            sname = res.server_hostname if res.server_hostname is not None else sname
            bootfile = res.boot_file_name if res.boot_file_name is not None else bootfile
        reply = Packet4(op=2, htype=pkt.htype, hlen=pkt.hlen, hops=0, xid=pkt.xid, secs=0, flags=pkt.flags,
                        ciaddr=0, yiaddr=0, siaddr=next_server if kind != NAK else 0, giaddr=pkt.giaddr,
                        chaddr=pkt.chaddr, sname=sname.encode() if kind != NAK else b"",
                        file=bootfile.encode() if kind != NAK else b"", options={53: bytes([kind])})
        reply.options[54] = q.iface_addr.to_bytes(4, "big")
        return reply

    def _add_options(self, reply: Packet4, pkt: Packet4, subnet: Subnet4, res: Reservation4 | None,
                     address: int, reserved_hostname: bool = True) -> None:
        configured: dict[int, ConfiguredOption] = dict(subnet.options)
        for pool in subnet.pools:
            if pool.start <= address <= pool.end:
                configured.update(pool.options)
                break
        if res is not None:
            configured.update(res.options)
            if reserved_hostname and res.hostname and (12 in pkt.options or 12 in (pkt.options.get(55) or b"")):
                reply.options[12] = res.hostname.encode()
        opts = reply.options
        opts[1] = subnet.mask.to_bytes(4, "big")
        wanted = list(BASIC_OPTIONS) + list(pkt.options.get(55, b""))
        for code in wanted:
            opt = configured.get(code)
            if opt is not None and code not in opts:
                opts[code] = opt.data
        for opt in configured.values():
            if opt.always_send and opt.code not in opts:
                opts[opt.code] = opt.data
        self._echo(reply, pkt)

    def _echo(self, reply: Packet4, pkt: Packet4) -> None:
        if self.cfg.echo_client_id and 61 in pkt.options:
            reply.options[61] = pkt.options[61]
        if pkt.giaddr and 82 in pkt.options:
            reply.options.pop(82, None)
            reply.options[82] = pkt.options[82]  # RFC 3046 2.2: echoed, last

    def _nak(self, q: Query, subnet: Subnet4 | None, reason: str) -> Reply:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("DHCP4_PACKET_NAK %s xid=0x%08x: %s", q.pkt.chaddr.hex(":"), q.pkt.xid, reason)
        reply = self._reply(q, NAK, subnet, None)
        reply.options[56] = reason.encode()[:255]
        self._echo(reply, q.pkt)
        return self._deliver(q, reply, NAK)

    def _deliver(self, q: Query, reply: Packet4, kind: int) -> Reply:
        """Where the reply goes (RFC 2131 4.1 and 4.3.2)."""
        pkt = q.pkt
        self.stats.inc(f"pkt4-{NAMES[kind]}-sent")
        self.stats.inc("pkt4-sent")
        if pkt.giaddr:
            if kind == NAK:
                reply.flags |= FLAG_BROADCAST  # 4.3.2: the relay must broadcast the NAK
            return Reply(reply, pkt.giaddr, 67, None, q.iface, True)
        if kind == NAK:
            return Reply(reply, BROADCAST, 68, b"\xff" * 6, q.iface, False)
        if pkt.ciaddr:
            return Reply(reply, pkt.ciaddr, 68, q.src_mac, q.iface, False)
        if pkt.flags & FLAG_BROADCAST or not reply.yiaddr:
            return Reply(reply, BROADCAST, 68, b"\xff" * 6, q.iface, False)
        return Reply(reply, reply.yiaddr, 68, bytes(pkt.chaddr[:6]) if pkt.hlen == 6 else q.src_mac, q.iface,
                     False)


def _addr_option(data: bytes | None) -> int | None:
    if data is None or len(data) != 4:
        return None
    return int.from_bytes(data, "big")


def _u32_option(data: bytes | None) -> int | None:
    if data is None or len(data) != 4:
        return None
    return int.from_bytes(data, "big")


def _type_name(pkt: Packet4) -> str:
    mtype = pkt.options.get(53)
    return ("DHCP" + NAMES.get(mtype[0], "?").upper()) if mtype else "BOOTP"

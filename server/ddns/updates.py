"""The DNS UPDATE messages (RFC 2136) of Kea 2.2's D2, RR for RR as kea-dhcp-ddns sends them (captured
from it against BIND9). TTL is the NCR's lease-length; prerequisites carry TTL 0.

With conflict resolution (RFC 4703):
  add-forward      prereq  NAME NONE ANY                  update  +A/AAAA, +DHCID
  replace-forward  prereq  NAME ANY ANY, NAME IN DHCID d  update  ANY A/AAAA, +A/AAAA
  replace-reverse  (none)                                 update  ANY PTR, ANY DHCID, +PTR, +DHCID
  remove-forward-address   prereq NAME IN DHCID d         update  NONE A/AAAA addr
  remove-forward-rrs       prereq IN DHCID d, NONE A, NONE AAAA   update ANY ANY
  remove-reverse           prereq REV IN PTR fqdn         update  ANY ANY
Without (the NCR's use-conflict-resolution false):
  add-forward      (none)   update  ANY A/AAAA, ANY DHCID, +A/AAAA, +DHCID
  add-reverse      = replace-reverse
  remove-forward   (none)   update  ANY A/AAAA, ANY DHCID
  remove-reverse   (none)   update  ANY PTR, ANY DHCID
"""

from __future__ import annotations

import ipaddress

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.update

from server.ddns.domains import reverse_name
from server.ddns.ncr import NameChangeRequest

IN = dns.rdataclass.IN
ANY = dns.rdataclass.ANY
NONE = dns.rdataclass.NONE
A, AAAA, PTR, DHCID = dns.rdatatype.A, dns.rdatatype.AAAA, dns.rdatatype.PTR, dns.rdatatype.DHCID
ANYTYPE = dns.rdatatype.ANY


def address_type(ncr: NameChangeRequest) -> int:
    return A if ipaddress.ip_address(ncr.ip_address).version == 4 else AAAA


def _rdata(rdtype: int, value) -> dns.rdata.Rdata:
    if rdtype == DHCID:
        return dns.rdata.from_wire(IN, DHCID, value, 0, len(value))
    return dns.rdata.from_text(IN, rdtype, value)


class _Message:
    """An UpdateMessage filled section by section, RR by RR, in order."""

    def __init__(self, zone: str):
        self.msg = dns.update.UpdateMessage(zone)

    def rr(self, section, name: str, rdtype: int, *, rdclass: int = IN, ttl: int = 0, value=None) -> _Message:
        owner = dns.name.from_text(name)
        deleting = None if rdclass == IN else rdclass
        rrset = self.msg.find_rrset(section, owner, IN, rdtype, deleting=deleting, create=True, force_unique=True)
        rrset.update_ttl(ttl)
        if value is not None:
            rrset.add(_rdata(rdtype, value), ttl)
        return self

    def prereq(self, *args, **kw) -> _Message:
        return self.rr(self.msg.prerequisite, *args, **kw)

    def update(self, *args, **kw) -> _Message:
        return self.rr(self.msg.update, *args, **kw)


def add_forward(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    kind, ttl = address_type(ncr), ncr.lease_length
    m = _Message(zone)
    if ncr.use_conflict_resolution:
        m.prereq(ncr.fqdn, ANYTYPE, rdclass=NONE)
    else:
        m.update(ncr.fqdn, kind, rdclass=ANY).update(ncr.fqdn, DHCID, rdclass=ANY)
    m.update(ncr.fqdn, kind, ttl=ttl, value=ncr.ip_address).update(ncr.fqdn, DHCID, ttl=ttl, value=ncr.dhcid)
    return m.msg


def replace_forward(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    kind = address_type(ncr)
    return (_Message(zone).prereq(ncr.fqdn, ANYTYPE, rdclass=ANY).prereq(ncr.fqdn, DHCID, value=ncr.dhcid)
            .update(ncr.fqdn, kind, rdclass=ANY).update(ncr.fqdn, kind, ttl=ncr.lease_length, value=ncr.ip_address)
            .msg)


def replace_reverse(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    rev, ttl = reverse_name(ncr.ip_address), ncr.lease_length
    return (_Message(zone).update(rev, PTR, rdclass=ANY).update(rev, DHCID, rdclass=ANY)
            .update(rev, PTR, ttl=ttl, value=ncr.fqdn).update(rev, DHCID, ttl=ttl, value=ncr.dhcid).msg)


def remove_forward_address(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    kind = address_type(ncr)
    m = _Message(zone)
    if ncr.use_conflict_resolution:
        return m.prereq(ncr.fqdn, DHCID, value=ncr.dhcid).update(ncr.fqdn, kind, rdclass=NONE,
                                                                 value=ncr.ip_address).msg
    return m.update(ncr.fqdn, kind, rdclass=ANY).update(ncr.fqdn, DHCID, rdclass=ANY).msg


def remove_forward_rrs(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    return (_Message(zone).prereq(ncr.fqdn, DHCID, value=ncr.dhcid).prereq(ncr.fqdn, A, rdclass=NONE)
            .prereq(ncr.fqdn, AAAA, rdclass=NONE).update(ncr.fqdn, ANYTYPE, rdclass=ANY).msg)


def remove_reverse(ncr: NameChangeRequest, zone: str) -> dns.update.UpdateMessage:
    rev = reverse_name(ncr.ip_address)
    m = _Message(zone)
    if ncr.use_conflict_resolution:
        return m.prereq(rev, PTR, value=ncr.fqdn).update(rev, ANYTYPE, rdclass=ANY).msg
    return m.update(rev, PTR, rdclass=ANY).update(rev, DHCID, rdclass=ANY).msg

"""The DNS UPDATE messages of lessor ddns, RR for RR as kea-dhcp-ddns 2.2 sends them (the expected texts
are its messages captured with tcpdump against BIND9), and their TSIG signatures for every algorithm."""

from __future__ import annotations

import dataclasses

import dns.message
import dns.rcode
import dns.tsig
import dns.update
import pytest

from server.ddns import dhcid, updates
from server.ddns.config import DnsServer, TsigKey
from server.ddns.dnsclient import TSIG_ALGORITHMS, tsig_key
from server.ddns.ncr import CHG_ADD, CHG_REMOVE, NameChangeRequest

FQDN = "host1.example.com."
ID = dhcid.from_hwaddr(1, bytes.fromhex("000c01020304"), FQDN)
DHCID_TEXT = "AAABUsJCTIjMxKE+2SNFbEFMWWXuymDy 1aCh2JT66PCdlyA="  # as Kea's update carried it
REV = "10.2.0.192.in-addr.arpa."
REV6 = "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."


def ncr(address="192.0.2.10", change=CHG_ADD, conflict=True) -> NameChangeRequest:
    return NameChangeRequest(change, True, True, FQDN, address, ID, 0, 1200, conflict)


def sections(msg: dns.update.UpdateMessage) -> tuple[list[str], list[str], list[str]]:
    """(zone, prerequisites, updates) as text lines, after a round trip through the wire."""
    back = dns.message.from_wire(msg.to_wire())
    return tuple([line for rrset in section for line in rrset.to_text().splitlines()]
                 for section in (back.zone, back.prerequisite, back.update))


def test_add_forward_name_not_in_use():
    zone, prereq, update = sections(updates.add_forward(ncr(), "example.com."))
    assert zone == ["example.com. IN SOA"]
    assert prereq == ["host1.example.com. NONE ANY"]
    assert update == ["host1.example.com. 1200 IN A 192.0.2.10", f"host1.example.com. 1200 IN DHCID {DHCID_TEXT}"]


def test_replace_forward_dhcid_must_match():
    _, prereq, update = sections(updates.replace_forward(ncr(), "example.com."))
    assert prereq == ["host1.example.com. ANY ANY", f"host1.example.com. 0 IN DHCID {DHCID_TEXT}"]
    assert update == ["host1.example.com. ANY A", "host1.example.com. 1200 IN A 192.0.2.10"]


def test_reverse_replace_has_no_prerequisite():
    zone, prereq, update = sections(updates.replace_reverse(ncr(), "2.0.192.in-addr.arpa."))
    assert zone == ["2.0.192.in-addr.arpa. IN SOA"]
    assert prereq == []
    assert update == [f"{REV} ANY PTR", f"{REV} ANY DHCID", f"{REV} 1200 IN PTR {FQDN}",
                      f"{REV} 1200 IN DHCID {DHCID_TEXT}"]


def test_v6_uses_aaaa_and_nibbles():
    _, prereq, update = sections(updates.add_forward(ncr("2001:db8:1::10"), "example.com."))
    assert update[0] == "host1.example.com. 1200 IN AAAA 2001:db8:1::10"
    _, _, update = sections(updates.replace_reverse(ncr("2001:db8:1::10"), "1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."))
    assert update[2] == f"{REV6} 1200 IN PTR {FQDN}"


def test_remove_with_conflict_resolution():
    req = ncr(change=CHG_REMOVE)
    _, prereq, update = sections(updates.remove_forward_address(req, "example.com."))
    assert prereq == [f"host1.example.com. 0 IN DHCID {DHCID_TEXT}"]
    assert update == ["host1.example.com. 0 NONE A 192.0.2.10"]
    _, prereq, update = sections(updates.remove_forward_rrs(req, "example.com."))
    assert prereq == [f"host1.example.com. 0 IN DHCID {DHCID_TEXT}", "host1.example.com. NONE A",
                      "host1.example.com. NONE AAAA"]
    assert update == ["host1.example.com. ANY ANY"]
    _, prereq, update = sections(updates.remove_reverse(req, "2.0.192.in-addr.arpa."))
    assert prereq == [f"{REV} 0 IN PTR {FQDN}"]
    assert update == [f"{REV} ANY ANY"]


def test_without_conflict_resolution_nothing_is_checked():
    _, prereq, update = sections(updates.add_forward(ncr(conflict=False), "example.com."))
    assert prereq == []
    assert update == ["host1.example.com. ANY A", "host1.example.com. ANY DHCID",
                      "host1.example.com. 1200 IN A 192.0.2.10", f"host1.example.com. 1200 IN DHCID {DHCID_TEXT}"]
    req = ncr(change=CHG_REMOVE, conflict=False)
    _, prereq, update = sections(updates.remove_forward_address(req, "example.com."))
    assert (prereq, update) == ([], ["host1.example.com. ANY A", "host1.example.com. ANY DHCID"])
    _, prereq, update = sections(updates.remove_reverse(req, "2.0.192.in-addr.arpa."))
    assert (prereq, update) == ([], [f"{REV} ANY PTR", f"{REV} ANY DHCID"])
    # The reverse add is the same with or without.
    assert sections(updates.replace_reverse(ncr(conflict=False), "2.0.192.in-addr.arpa.")) == \
        sections(updates.replace_reverse(ncr(), "2.0.192.in-addr.arpa."))


def test_ttl_is_the_lease_length():
    _, _, update = sections(updates.add_forward(dataclasses.replace(ncr(), lease_length=4321), "example.com."))
    assert all(" 4321 IN " in line for line in update)


WIRE_NAMES = {"HMAC-MD5": "hmac-md5.sig-alg.reg.int.", "HMAC-SHA1": "hmac-sha1.", "HMAC-SHA224": "hmac-sha224.",
              "HMAC-SHA256": "hmac-sha256.", "HMAC-SHA384": "hmac-sha384.", "HMAC-SHA512": "hmac-sha512."}
MAC_SIZES = {"HMAC-MD5": 16, "HMAC-SHA1": 20, "HMAC-SHA224": 28, "HMAC-SHA256": 32, "HMAC-SHA384": 48,
             "HMAC-SHA512": 64}


@pytest.mark.parametrize("algorithm", sorted(TSIG_ALGORITHMS))
def test_tsig_signature_per_algorithm(algorithm):
    key = TsigKey("k.example.", algorithm, b"0123456789abcdef0123456789abcdef")
    msg = updates.add_forward(ncr(), "example.com.")
    msg.use_tsig(tsig_key(key))
    wire = msg.to_wire()
    back = dns.message.from_wire(wire, keyring=tsig_key(key))  # verifies the MAC
    assert back.had_tsig and back.keyname.to_text() == "k.example."
    rdata = back.tsig[0]
    assert rdata.algorithm.to_text() == WIRE_NAMES[algorithm]  # lower case, as Kea sends them
    assert len(rdata.mac) == MAC_SIZES[algorithm] and rdata.fudge == 300 and rdata.error == dns.rcode.NOERROR
    wrong = TsigKey("k.example.", algorithm, b"another secret, another secret!!")
    with pytest.raises(dns.tsig.BadSignature):
        dns.message.from_wire(wire, keyring=tsig_key(wrong))


def test_server_text_is_keas():
    assert str(DnsServer("127.0.0.1", 5353)) == "127.0.0.1 port:5353"

"""DHCID (RFC 4701) against the RFC's own examples, and Kea's NameChangeRequest wire form."""

from __future__ import annotations

import base64
import json
import struct

import pytest

from server.ddns import dhcid, ncr


@pytest.mark.parametrize(("value", "expected"), [
    # RFC 4701 3.6: a DHCPv6 client (DUID), a DHCPv4 client-id, a DHCPv4 client without client-id.
    (lambda: dhcid.from_duid(bytes.fromhex("000100064" "12df1660102030405" "06"), "chi6.example.com"),
     "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="),
    (lambda: dhcid.from_client_id(bytes.fromhex("01070809" "0a0b0c"), "chi.example.com"),
     "AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No="),
    (lambda: dhcid.from_hwaddr(1, bytes.fromhex("010203040506"), "client.example.com"),
     "AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY="),
])
def test_rfc4701_examples(value, expected):
    assert base64.b64encode(value()).decode() == expected


def test_name_is_canonical_and_rooted():
    one = dhcid.from_duid(b"\x00\x01", "Host.Example.COM")
    assert one == dhcid.from_duid(b"\x00\x01", "host.example.com.")
    assert dhcid.fqdn_wire("a.b.") == b"\x01a\x01b\x00"


def test_rfc4361_client_id_hashes_as_duid():
    duid = bytes.fromhex("000100064" "12df1660102030405" "06")
    client_id = b"\xff" + b"\x00\x00\x00\x01" + duid  # type 255, IAID 1, DUID
    expected = dhcid.from_duid(duid, "chi6.example.com")
    assert dhcid.for_v4_client(client_id, 1, b"\x02" * 6, "chi6.example.com") == expected
    assert dhcid.for_v4_client(None, 1, bytes.fromhex("010203040506"), "client.example.com")[:2] == b"\x00\x00"


@pytest.mark.parametrize("bad", ["", "a..b", "x" * 64 + ".com"])
def test_bad_names_are_refused(bad):
    with pytest.raises(ValueError):
        dhcid.fqdn_wire(bad)


def _request(**over) -> ncr.NameChangeRequest:
    base = dict(change_type=ncr.CHG_ADD, forward=True, reverse=True, fqdn="myhost.example.com.",
                ip_address="192.0.2.10", dhcid=bytes.fromhex("000101aabb"), lease_expires_on=1_800_000_000,
                lease_length=1300, use_conflict_resolution=True)
    base.update(over)
    return ncr.NameChangeRequest(**base)


def test_wire_form_is_length_prefixed_kea_json():
    data = _request().encode()
    (length,) = struct.unpack_from("!H", data)
    assert length == len(data) - 2
    doc = json.loads(data[2:])
    assert doc == {"change-type": 0, "forward-change": True, "reverse-change": True, "fqdn": "myhost.example.com.",
                   "ip-address": "192.0.2.10", "dhcid": "000101AABB", "lease-expires-on": "20270115080000",
                   "lease-length": 1300, "use-conflict-resolution": True}
    assert ncr.decode(data) == _request()


@pytest.mark.parametrize(("doc", "problem"), [
    ({"change-type": 2}, "change-type"),
    ({"forward-change": False, "reverse-change": False}, "neither"),
    ({"ip-address": "192.0.2.300"}, "ip-address"),
    ({"dhcid": "zz"}, "dhcid"),
    ({"lease-expires-on": "2027"}, "lease-expires-on"),
    ({"lease-length": "600"}, "lease-length"),
    ({"fqdn": ""}, "fqdn"),
])
def test_bad_requests_name_the_field(doc, problem):
    full = _request().to_json()
    full.update(doc)
    body = json.dumps(full).encode()
    with pytest.raises(ncr.NcrError, match=problem):
        ncr.decode(struct.pack("!H", len(body)) + body)


def test_bad_framing():
    with pytest.raises(ncr.NcrError, match="length prefix"):
        ncr.decode(b"\x00\x05{}")
    with pytest.raises(ncr.NcrError, match="JSON"):
        ncr.decode(b"\x00\x02{x")
    with pytest.raises(ncr.NcrError, match="too short"):
        ncr.decode(b"\x00")


def test_ttl_follows_kea():
    assert ncr.ttl_for(900) == 600
    assert ncr.ttl_for(7200) == 2400

"""forge's own DHCID computation (forge/dhcid.py), written apart from the server's, against RFC 4701."""

import pytest

from forge import dhcid


@pytest.mark.parametrize(("kind", "value", "fqdn", "expected"), [
    # RFC 4701 3.6, the three examples: a DHCPv6 DUID, a DHCPv4 client-id, a DHCPv4 client without one.
    ("DUID", "00:01:00:06:41:2d:f1:66:01:02:03:04:05:06", "chi6.example.com",
     "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="),
    ("client-id", "01:07:08:09:0a:0b:0c", "chi.example.com", "AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No="),
    ("hw-address", "01:02:03:04:05:06", "client.example.com", "AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY="),
])
def test_rfc4701_examples(kind, value, fqdn, expected):
    assert dhcid.to_text(dhcid.expected(kind, value, fqdn)) == expected


def test_names_compare_in_canonical_form():
    a = dhcid.expected("hw-address", "01:02:03:04:05:06", "Client.Example.COM.")
    assert a == dhcid.expected("hw-address", "010203040506", "client.example.com")


def test_type_255_client_id_hashes_the_duid_after_the_iaid():
    duid = "00:03:00:01:02:00:5e:40:00:03"
    value = dhcid.expected("client-id", "ff:00:00:00:01:" + duid, "h.example.com.")
    assert value[:3] == b"\x00\x02\x01"
    assert value == dhcid.expected("DUID", duid, "h.example.com.")
    assert value != dhcid.rdata(dhcid.CLIENT_ID, bytes.fromhex("ff00000001" + duid.replace(":", "")), "h.example.com.")


def test_identifier_types_and_length():
    assert dhcid.expected("hw-address", "02:00:00:00:00:01", "a.example.com.")[:3] == b"\x00\x00\x01"
    assert dhcid.expected("client-id", "01:02", "a.example.com.")[:3] == b"\x00\x01\x01"
    assert len(dhcid.expected("DUID", "00:01", "a.example.com.")) == 35


@pytest.mark.parametrize(("kind", "value", "fqdn", "message"), [
    ("serial", "01", "a.example.com.", "unknown DHCID identifier kind"),
    ("DUID", "zz", "a.example.com.", "is not hex"),
    ("client-id", "ff:00:01", "a.example.com.", "type 255 needs an IAID and a DUID"),
    ("DUID", "01", "a..example.com.", "must be 1 to 63 bytes"),
])
def test_bad_input_is_named(kind, value, fqdn, message):
    with pytest.raises(ValueError, match=message):
        dhcid.expected(kind, value, fqdn)

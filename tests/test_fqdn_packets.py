"""The client FQDN options as forge builds and reads them: DHCPv4 option 81 (RFC 4702), DHCPv6 option 39
(RFC 4704), including partial names (no root label) and the deprecated ASCII encoding."""

from __future__ import annotations

import pytest

from forge.packets import fqdn


def test_wire_names_fully_qualified_and_partial():
    # RFC 4702 2.3.1 / RFC 4704 4.2: a fully qualified name ends in the zero-length root label, a partial one does not.
    assert fqdn.encode_name("myhost.example.com.") == b"\x06myhost\x07example\x03com\x00"
    assert fqdn.encode_name("myhost") == b"\x06myhost"
    assert fqdn.encode_name("myhost.example") == b"\x06myhost\x07example"
    assert fqdn.encode_name("") == b""
    assert fqdn.decode_name(b"\x06myhost\x07example\x03com\x00") == "myhost.example.com."
    assert fqdn.decode_name(b"\x06myhost") == "myhost"
    assert fqdn.decode_name(b"") == ""


@pytest.mark.parametrize("name", ["a.", "host", "host.example.com.", "x.y.z", "a" * 63 + ".example.org."])
def test_name_round_trip(name):
    assert fqdn.decode_name(fqdn.encode_name(name)) == name


@pytest.mark.parametrize("bad, problem", [
    (b"\x06myho", "claims 6 octets"),
    (b"\x06myhost\x00\x03com", "after the root label"),
    (b"\xc0\x0c", "compression"),
])
def test_malformed_wire_names_are_refused_with_the_reason(bad, problem):
    with pytest.raises(fqdn.FqdnError, match=problem):
        fqdn.decode_name(bad)


def test_labels_are_checked_when_encoding():
    with pytest.raises(fqdn.FqdnError, match="at most 63"):
        fqdn.encode_name("a" * 64 + ".example.com.")
    with pytest.raises(fqdn.FqdnError, match="empty label"):
        fqdn.encode_name("a..example.com.")


def test_option81_wire_encoding_layout():
    # Flags 0000NEOS: S=1, E=1 -> 0x05; RCODE1 and RCODE2 follow, then the wire-format name.
    data = fqdn.option81({"S", "E"}, "myhost.example.com.")
    assert data == b"\x05\x00\x00\x06myhost\x07example\x03com\x00"
    got = fqdn.parse81(data)
    assert got.flags == {"S", "E"} and got.name == "myhost.example.com." and got.fully_qualified
    assert not got.ascii and (got.rcode1, got.rcode2) == (0, 0)


def test_option81_partial_wire_name_has_no_root_label():
    data = fqdn.option81({"E"}, "myhost")
    assert data == b"\x04\x00\x00\x06myhost"
    got = fqdn.parse81(data)
    assert got.name == "myhost" and not got.fully_qualified and got.flags == {"E"}


def test_option81_ascii_encoding():
    # E clear: the deprecated ASCII encoding, a trailing dot for a fully qualified name.
    data = fqdn.option81({"S"}, "myhost.example.com.")
    assert data == b"\x01\x00\x00myhost.example.com."
    got = fqdn.parse81(data)
    assert got.ascii and got.name == "myhost.example.com." and got.fully_qualified
    assert fqdn.parse81(b"\x00\x00\x00myhost").name == "myhost"
    # A NUL some clients append is not part of the name.
    assert fqdn.parse81(b"\x00\x00\x00myhost\x00").name == "myhost"


def test_option81_server_rcodes_and_all_flag_bits():
    got = fqdn.parse81(b"\x0f\xff\xff")
    assert got.flags == {"S", "O", "E", "N"} and (got.rcode1, got.rcode2) == (255, 255) and got.name == ""
    assert fqdn.option81({"N", "E"}, "", rcode1=255, rcode2=255) == b"\x0c\xff\xff"


def test_option81_too_short():
    with pytest.raises(fqdn.FqdnError, match="need 3"):
        fqdn.parse81(b"\x05\x00")


def test_option39_layout_and_round_trip():
    # Flags 00000NOS: S=1 -> 0x01, then the name (RFC 4704 4).
    assert fqdn.option39({"S"}, "myhost.example.com.") == b"\x01\x06myhost\x07example\x03com\x00"
    assert fqdn.option39({"N"}, "myhost") == b"\x04\x06myhost"
    assert fqdn.option39(set(), "") == b"\x00"
    got = fqdn.parse39(b"\x03\x06myhost")
    assert got.flags == {"S", "O"} and got.name == "myhost" and not got.fully_qualified
    with pytest.raises(fqdn.FqdnError, match="flags octet"):
        fqdn.parse39(b"")


def test_flag_text():
    assert fqdn.parse_flags("S", 4) == {"S"}
    assert fqdn.parse_flags("O S", 6) == {"O", "S"}
    assert fqdn.parse_flags("N,E", 4) == {"N", "E"}
    assert fqdn.parse_flags("none", 6) == set()
    assert fqdn.format_flags(frozenset({"S", "O", "N"})) == "N O S"
    assert fqdn.format_flags(frozenset()) == "none"
    with pytest.raises(fqdn.FqdnError, match="E"):
        fqdn.parse_flags("E S", 6)  # no E in DHCPv6
    with pytest.raises(fqdn.FqdnError, match="X"):
        fqdn.parse_flags("X", 4)


def test_names_compare_case_insensitively_but_keep_the_trailing_dot():
    assert fqdn.same_name("MyHost.Example.COM.", "myhost.example.com.")
    assert not fqdn.same_name("myhost.example.com", "myhost.example.com.")


def test_describe_falls_back_to_hex_for_malformed_data():
    assert "malformed" in fqdn.describe(6, b"\x01\x09ab")
    assert "flags=S" in fqdn.describe(6, b"\x01\x02ab\x00")

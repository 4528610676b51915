"""The DHCPv4 Client FQDN option (RFC 4702) and Host Name option: codec and the server's answer (Kea 2.2's,
as observed in /tmp/briefs/kea-fqdn-findings.md, except RCODE 255 where lessor follows the RFC)."""

from __future__ import annotations

import pytest

from server.config.model import DdnsParams
from server.ddns import fqdn4
from server.ddns.fqdn4 import FLAG_E, FLAG_N, FLAG_S

ON = DdnsParams(enable_updates=True, qualifying_suffix="example.com.")
OFF = DdnsParams(enable_updates=False, qualifying_suffix="example.com.")
WIRE_MYHOST = b"\x06myhost"


def test_decode_wire_partial_and_full():
    partial = fqdn4.decode(bytes([FLAG_S | FLAG_E, 0, 0]) + WIRE_MYHOST)
    assert (partial.name, partial.partial, partial.flags) == ("myhost", True, FLAG_S | FLAG_E)
    full = fqdn4.decode(bytes([FLAG_E, 0, 0]) + b"\x06MyHost\x07example\x03com\x00")
    assert (full.name, full.partial) == ("myhost.example.com", False)


def test_decode_ascii_partial_and_full():
    assert fqdn4.decode(bytes([FLAG_S, 0, 0]) + b"myhost").partial is True
    full = fqdn4.decode(bytes([FLAG_S, 0, 0]) + b"MyHost.example.com.")
    assert (full.name, full.partial) == ("myhost.example.com", False)


@pytest.mark.parametrize("data,why", [
    (b"\x05\x00", "need 3"),
    (bytes([FLAG_N | FLAG_S | FLAG_E, 0, 0]) + WIRE_MYHOST, "both N and S"),
    (bytes([FLAG_E, 0, 0]) + b"\x09myhost", "truncated"),
    (bytes([FLAG_E, 0, 0]) + b"\xc0\x0c", "compression"),
    (bytes([FLAG_E, 0, 0]) + b"\x01a\x00\x01b", "after the root label"),
    (bytes([0, 0, 0]) + b"a..b", "empty label"),
])
def test_decode_refuses_malformed_options(data, why):
    with pytest.raises(fqdn4.FqdnError, match=why):
        fqdn4.decode(data)


def test_encode_follows_e_and_sets_rcodes_255():
    assert fqdn4.encode(FLAG_S | FLAG_E, "myhost.example.com.") == \
        bytes([FLAG_S | FLAG_E, 255, 255]) + b"\x06myhost\x07example\x03com\x00"
    assert fqdn4.encode(FLAG_S, "myhost.example.com.") == bytes([FLAG_S, 255, 255]) + b"myhost.example.com."
    assert fqdn4.encode(FLAG_E, "") == bytes([FLAG_E, 255, 255])


@pytest.mark.parametrize("client,params,want", [
    ("S", ON, {"S"}), ("", ON, set()), ("N", ON, {"N"}),
    ("N", DdnsParams(enable_updates=True, override_no_update=True), {"O", "S"}),
    ("", DdnsParams(enable_updates=True, override_client_update=True), {"O", "S"}),
    ("S", DdnsParams(enable_updates=True, send_updates=False), {"N", "O"}),
    ("S", OFF, {"N", "O"}), ("", OFF, {"N"}), ("N", OFF, {"N"}),
])
def test_server_flags(client, params, want):
    s, n, o = fqdn4.server_flags("S" in client, "N" in client, params)
    assert {f for f, on in (("S", s), ("N", n), ("O", o)) if on} == want


def _answer(client_flags: int, name: bytes, params=ON, reserved="") -> fqdn4.Name4:
    return fqdn4.decide({81: bytes([client_flags, 0, 0]) + name}, reserved, params)


def test_answer_to_s_takes_both_updates_and_qualifies():
    got = _answer(FLAG_S | FLAG_E, WIRE_MYHOST)
    assert (got.code, got.name, got.forward, got.reverse, got.flags) == (81, "myhost.example.com.", True, True,
                                                                          FLAG_S | FLAG_E)
    assert got.option() == (81, bytes([FLAG_S | FLAG_E, 255, 255]) + b"\x06myhost\x07example\x03com\x00")


def test_answer_to_s0_is_reverse_only_and_n_is_none():
    got = _answer(FLAG_E, WIRE_MYHOST)
    assert (got.forward, got.reverse) == (False, True)
    got = _answer(FLAG_N | FLAG_E, WIRE_MYHOST)
    assert (got.forward, got.reverse, got.flags) == (False, False, FLAG_N | FLAG_E)


def test_answer_in_ascii_stays_ascii():
    got = _answer(FLAG_S, b"myhost")
    assert got.option()[1] == bytes([FLAG_S, 255, 255]) + b"myhost.example.com."


def test_empty_name_and_replace_generate_from_the_address():
    params = DdnsParams(enable_updates=True, qualifying_suffix="example.com.", generated_prefix="host",
                        replace_client_name="always")
    got = _answer(FLAG_S | FLAG_E, WIRE_MYHOST, params)
    assert got.needs_generating
    assert got.lease_hostname(0xC000020A, params) == "host-192-0-2-10.example.com."
    assert got.option()[1].endswith(b"\x0fhost-192-0-2-10\x07example\x03com\x00")
    empty = _answer(FLAG_S | FLAG_E, b"")
    assert empty.needs_generating and empty.flags == FLAG_S | FLAG_E


def test_reserved_hostname_wins_over_the_clients_fqdn():
    got = _answer(FLAG_S | FLAG_E, WIRE_MYHOST, reserved="Reserved")
    assert got.name == "reserved.example.com."


def test_fqdn_wins_over_hostname():
    got = fqdn4.decide({81: bytes([FLAG_S | FLAG_E, 0, 0]) + WIRE_MYHOST, 12: b"other"}, "", ON)
    assert got.code == 81 and got.name == "myhost.example.com."


@pytest.mark.parametrize("sent,prl,params,want", [
    (b"myhost", b"", ON, ("myhost.example.com", True)),
    (b"laptop.example.org", b"", ON, ("laptop.example.org", True)),
    (b"My_Host\x00", b"", DdnsParams(enable_updates=True, hostname_char_replacement="x", qualifying_suffix="e.com"),
     ("myxhost.e.com", True)),
    (b"myhost", b"", OFF, ("myhost.example.com", False)),
    (b"myhost", b"", DdnsParams(replace_client_name="always"), (".", False)),
    (None, b"\x0c", DdnsParams(replace_client_name="when-not-present"), (".", False)),
    (None, b"\x0c", ON, None),
    (b"   ", b"", ON, None),
    (b"a..b", b"", ON, None),
])
def test_hostname_option(sent, prl, params, want):
    options = {55: prl} if prl else {}
    if sent is not None:
        options[12] = sent
    got = fqdn4.decide(options, "", params)
    assert (None if got is None else (got.name, got.forward)) == want
    if got is not None:
        assert got.code == 12 and got.forward == got.reverse


def test_reserved_hostname_in_option_12_only_when_sent_or_requested():
    assert fqdn4.decide({55: b"\x01\x0c"}, "reserved", ON).name == "reserved.example.com"
    assert fqdn4.decide({12: b"mine"}, "reserved", ON).name == "reserved.example.com"
    assert fqdn4.decide({55: b"\x01\x03"}, "reserved", ON) is None


def test_generated_hostname_has_no_trailing_dot():
    got = fqdn4.decide({12: b"."}, "", ON)
    assert got.lease_hostname(0xC000020A, ON) == "myhost-192-0-2-10.example.com"
    assert got.option() == (12, b"myhost-192-0-2-10.example.com")

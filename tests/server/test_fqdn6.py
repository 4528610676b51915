"""The DHCPv6 Client FQDN option (RFC 4704): codec and the server's answer (Kea 2.2's)."""

from __future__ import annotations

import pytest

from server.config.model import DdnsParams
from server.ddns import fqdn6
from server.ddns.fqdn6 import FLAG_N, FLAG_O, FLAG_S

ON = DdnsParams(enable_updates=True, qualifying_suffix="example.com.")


def test_decode_partial_and_full():
    assert fqdn6.decode(bytes([FLAG_S]) + b"\x06myhost") == fqdn6.Fqdn6(FLAG_S, "myhost", True)
    assert fqdn6.decode(bytes([0]) + b"\x06MYHOST\x07example\x03org\x00") == \
        fqdn6.Fqdn6(0, "myhost.example.org", False)
    assert fqdn6.decode(bytes([FLAG_S])) == fqdn6.Fqdn6(FLAG_S, "", True)


@pytest.mark.parametrize("data,why", [(b"", "flags octet"), (bytes([FLAG_S | FLAG_N]) + b"\x01a", "both N and S"),
                                      (bytes([0]) + b"\x05ab", "truncated")])
def test_decode_refuses_malformed_options(data, why):
    with pytest.raises(fqdn6.FqdnError, match=why):
        fqdn6.decode(data)


def test_encode():
    assert fqdn6.encode(FLAG_S, "myhost.example.com.") == bytes([FLAG_S]) + b"\x06myhost\x07example\x03com\x00"
    assert fqdn6.encode(FLAG_N | FLAG_O, "") == bytes([FLAG_N | FLAG_O])


@pytest.mark.parametrize("flags,params,want", [
    (FLAG_S, ON, (FLAG_S, True, True)),
    (0, ON, (0, False, True)),
    (FLAG_N, ON, (FLAG_N, False, False)),
    (FLAG_N, DdnsParams(enable_updates=True, override_no_update=True), (FLAG_S | FLAG_O, True, True)),
    (0, DdnsParams(enable_updates=True, override_client_update=True), (FLAG_S | FLAG_O, True, True)),
    (FLAG_S, DdnsParams(enable_updates=True, send_updates=False), (FLAG_N | FLAG_O, False, False)),
])
def test_answer_flags_and_update_directions(flags, params, want):
    got = fqdn6.decide(bytes([flags]) + b"\x06myhost", "", params)
    assert (got.flags, got.forward, got.reverse) == want


def test_names():
    got = fqdn6.decide(bytes([FLAG_S]) + b"\x06myhost", "", ON)
    assert got.name == "myhost.example.com."
    assert got.option() == (39, bytes([FLAG_S]) + b"\x06myhost\x07example\x03com\x00")
    assert fqdn6.decide(bytes([FLAG_S]) + b"\x06myhost", "resv", ON).name == "resv.example.com."


def test_generated_name_from_the_address():
    params = DdnsParams(enable_updates=True, qualifying_suffix="example.com.", generated_prefix="host",
                        replace_client_name="always")
    got = fqdn6.decide(bytes([FLAG_S]) + b"\x06myhost", "", params)
    assert got.needs_generating
    assert got.lease_hostname(0x20010DB8000100000000000000000010, params) == "host-2001-db8-1--10.example.com."


def test_no_option_39():
    assert fqdn6.decide(None, "", ON) is None
    reserved = fqdn6.decide(None, "resv", ON)
    assert (reserved.name, reserved.forward, reserved.reverse, reserved.option()) == ("resv", False, False, None)
    fabricated = fqdn6.decide(None, "", DdnsParams(enable_updates=True, replace_client_name="when-not-present"))
    assert fabricated.flags == FLAG_S and fabricated.needs_generating
    assert fqdn6.decide(None, "", DdnsParams(replace_client_name="always")) is None  # updates off: nothing

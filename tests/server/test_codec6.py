"""lessor's DHCPv6 codec: messages, relays nested to any depth, IA helpers, and fuzzing of the decoder."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.wire import packet6 as p6

ADDR = ipaddress.IPv6Address("2001:db8:1::10").packed
LINK = ipaddress.IPv6Address("2001:db8:2::1").packed
PEER = ipaddress.IPv6Address("fe80::2").packed


def solicit() -> p6.Message6:
    return p6.Message6(1, 0x123456, [(1, b"\x00\x03\x00\x01\x02\x00\x00\x00\x00\x01"), (8, b"\x00\x00"),
                                     (3, p6.encode_ia(3, 7, 0, 0)[4:])])


def wrap(msg, levels: int):
    for hop in range(levels):
        msg = p6.Relay6(12, hop, LINK, PEER, [(18, f"port-{hop}".encode())], msg)
    return msg


def test_message_round_trip():
    msg = solicit()
    assert p6.decode6(p6.encode6(msg)) == msg


@pytest.mark.parametrize("levels", [1, 2, 8, 32])
def test_nested_relays_round_trip(levels):
    data = p6.encode6(wrap(solicit(), levels))
    decoded = p6.decode6(data)
    depth = 0
    while isinstance(decoded, p6.Relay6):
        depth += 1
        assert decoded.link_address == LINK and decoded.options[0][0] == 18
        decoded = decoded.inner
    assert depth == levels and decoded == solicit()


def test_relays_deeper_than_the_hop_count_limit_are_refused():
    with pytest.raises(p6.ParseError, match="nested deeper"):
        p6.decode6(p6.encode6(wrap(solicit(), 33)))


@pytest.mark.parametrize("data,reason", [
    (b"\x01\x00", "shorter than a DHCPv6 header"),
    (b"\x01\x00\x00\x01\x00\x01\x00\x10ab", "claims 16 bytes"),
    (b"\x0c\x00" + LINK, "relay header"),
    (b"\x0c\x00" + LINK + PEER, "without a Relay Message"),
])
def test_malformed(data, reason):
    with pytest.raises(p6.ParseError, match=reason):
        p6.decode6(data)


def test_ia_helpers():
    sub = [p6.encode_iaaddr(ADDR, 3000, 4000), p6.encode_status(0, "ok")]
    tlv = p6.encode_ia(3, 9, 1000, 2000, sub)
    [(code, body)] = p6.parse_options(tlv)
    iaid, t1, t2, options = p6.decode_ia(body)
    assert (code, iaid, t1, t2) == (3, 9, 1000, 2000)
    assert p6.decode_iaaddr(options[0][1])[:3] == (ADDR, 3000, 4000)
    assert p6.decode_status(options[1][1]) == (0, "ok")
    prefix = p6.encode_iaprefix(3000, 4000, 56, ADDR)
    assert p6.decode_iaprefix(p6.parse_options(prefix)[0][1])[:4] == (3000, 4000, 56, ADDR)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(p6.encode6(wrap(solicit(), draw(st.integers(0, 40)))))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[i:]
        elif action == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=6))
        else:
            del data[i:i + draw(st.integers(1, 6))]
    return bytes(data)


@settings(max_examples=800, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), mutated()))
def test_decoder_returns_or_raises_parse_error_only(data):
    try:
        msg = p6.decode6(data)
    except p6.ParseError:
        return
    assert p6.decode6(p6.encode6(msg)) == msg

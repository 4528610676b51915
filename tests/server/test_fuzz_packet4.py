"""Property tests: decode4 never fails with anything but ParseError, and encode4/decode4 round-trips."""

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.wire.packet4 import MAGIC_COOKIE, Packet4, ParseError, decode4, encode4

SETTINGS = settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_packet(draw) -> bytes:
    hlen = draw(st.integers(0, 16))
    head = struct.pack("!BBBBIHHIIII", draw(st.integers(1, 2)), 1, hlen, draw(st.integers(0, 255)),
                       draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 65535)), draw(st.integers(0, 65535)),
                       *(draw(st.integers(0, 2**32 - 1)) for _ in range(4)))
    chaddr = draw(st.binary(min_size=16, max_size=16))
    codes = st.integers(1, 254).filter(lambda c: c != 52)
    opts = draw(st.lists(st.tuples(codes, st.binary(max_size=40)), max_size=12))
    body = b"".join(bytes((c, len(v))) + v for c, v in opts)
    overload = draw(st.integers(0, 3))
    sname = draw(st.binary(max_size=64)).ljust(64, b"\x00")
    file = draw(st.binary(max_size=128)).ljust(128, b"\x00")
    if overload:
        body += bytes((52, 1, overload))
        if overload & 1:
            file = b"".join(bytes((c, len(v))) + v for c, v in opts[:2] if len(v) < 60)[:127] + b"\xff"
            file = _fit(file, 128)
        if overload & 2:
            sname = _fit(b"".join(bytes((c, len(v))) + v for c, v in opts[:1] if len(v) < 30) + b"\xff", 64)
    body += b"\xff" + draw(st.binary(max_size=60))
    return head + chaddr + sname + file + MAGIC_COOKIE + body


def _fit(field: bytes, size: int) -> bytes:
    return field.ljust(size, b"\x00") if len(field) <= size else b"\xff".ljust(size, b"\x00")


valid_packets = st.composite(_valid_packet)()


def _decode_or_parse_error(data: bytes) -> Packet4 | None:
    try:
        pkt = decode4(data)
    except ParseError:
        return None
    assert isinstance(pkt, Packet4)
    return pkt


@st.composite
def mutated_packets(draw) -> bytes:
    data = bytearray(draw(valid_packets))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if kind == "flip" and data:
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[draw(st.integers(0, len(data))):]
        elif kind == "insert":
            i = draw(st.integers(0, len(data)))
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and data:
            i = draw(st.integers(0, len(data) - 1))
            del data[i:i + draw(st.integers(1, 8))]
    return bytes(data)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes(data):
    _decode_or_parse_error(data)


@SETTINGS
@given(st.binary(min_size=0, max_size=400).map(lambda b: b"\x00" * 236 + MAGIC_COOKIE + b))
def test_random_options_area(data):
    pkt = _decode_or_parse_error(data)
    if pkt is not None:
        assert decode4(encode4(pkt)) == pkt


@SETTINGS
@given(mutated_packets())
def test_mutated_packets(data):
    pkt = _decode_or_parse_error(data)
    if pkt is not None:
        assert decode4(encode4(pkt)) == pkt


@SETTINGS
@given(valid_packets)
def test_valid_packets_round_trip(data):
    pkt = decode4(data)
    again = encode4(pkt)
    assert decode4(again) == pkt
    assert encode4(decode4(again)) == again

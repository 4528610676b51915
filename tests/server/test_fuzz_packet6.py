"""Fuzzing the DHCPv6 codec: any input decodes or raises ParseError (nothing else), and what decodes
re-encodes to an equivalent datagram; generated messages and relay chains (0..40 levels) round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.wire import packet6 as p6
from server.wire.packet6 import Message6, ParseError, Relay6, decode6, encode6

codes = st.integers(0, 0xFFFF)
payloads = st.binary(max_size=40)
options = st.lists(st.tuples(codes, payloads), max_size=8)
relay_options = st.lists(st.tuples(codes.filter(lambda c: c != p6.OPTION_RELAY_MSG), payloads), max_size=4)
addresses = st.binary(min_size=16, max_size=16)

messages = st.builds(Message6, st.integers(0, 255).filter(lambda t: t not in (p6.RELAY_FORW, p6.RELAY_REPL)),
                     st.integers(0, 0xFFFFFF), options)


@st.composite
def chains(draw, max_levels: int = p6.HOP_COUNT_LIMIT):
    msg = draw(messages)
    for _ in range(draw(st.integers(0, max_levels))):
        msg = Relay6(draw(st.sampled_from((p6.RELAY_FORW, p6.RELAY_REPL))), draw(st.integers(0, 255)),
                     draw(addresses), draw(addresses), draw(relay_options), msg)
    return msg


def depth(msg) -> int:
    return len(p6.innermost(msg)[0])


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(encode6(draw(chains(40))))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete", "byte"]))
        if action == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[i:]
        elif action == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=6))
        elif action == "delete":
            del data[i:i + draw(st.integers(1, 6))]
        else:
            data[i] = draw(st.sampled_from((0, 9, 12, 13, 255)))
    return bytes(data)


@settings(max_examples=700, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), mutated()))
def test_decode_returns_or_raises_parse_error_only(data):
    try:
        msg = decode6(data)
    except ParseError:
        return
    assert depth(msg) <= p6.HOP_COUNT_LIMIT
    wire = encode6(msg)
    assert decode6(wire) == msg
    assert len(wire) == len(data)        # same content; only a Relay Message option may have moved last


@settings(max_examples=250, deadline=None)
@given(msg=chains())
def test_messages_and_relay_chains_round_trip(msg):
    assert decode6(encode6(msg)) == msg


@settings(max_examples=200, deadline=None)
@given(msg=chains(40))
def test_depth_over_the_hop_count_limit_is_refused(msg):
    wire = encode6(msg)
    if depth(msg) <= p6.HOP_COUNT_LIMIT:
        assert decode6(wire) == msg
    else:
        try:
            decode6(wire)
        except ParseError as exc:
            assert "nested deeper than 32 levels" in str(exc)
        else:
            raise AssertionError("a chain deeper than HOP_COUNT_LIMIT was accepted")


@settings(max_examples=300, deadline=None)
@given(opts=options)
def test_options_round_trip(opts):
    assert p6.parse_options(p6.encode_options(opts)) == opts


@given(data=st.binary(max_size=120))
def test_option_parsers_raise_parse_error_only(data):
    for fn in (p6.parse_options, p6.decode_ia, p6.decode_ia_ta, p6.decode_iaaddr, p6.decode_iaprefix,
               p6.decode_status):
        try:
            fn(data)
        except ParseError:
            pass


u32 = st.integers(0, 0xFFFFFFFF)
sub_options = st.lists(st.tuples(codes, payloads), max_size=3)


@given(code=st.sampled_from((p6.OPTION_IA_NA, p6.OPTION_IA_PD)), iaid=u32, t1=u32, t2=u32, sub=sub_options)
def test_ia_round_trip(code, iaid, t1, t2, sub):
    [(c, body)] = p6.parse_options(p6.encode_ia(code, iaid, t1, t2, sub))
    assert c == code and p6.decode_ia(body) == (iaid, t1, t2, sub)


@given(iaid=u32, sub=sub_options)
def test_ia_ta_round_trip(iaid, sub):
    [(c, body)] = p6.parse_options(p6.encode_ia_ta(iaid, sub))
    assert c == p6.OPTION_IA_TA and p6.decode_ia_ta(body) == (iaid, sub)


@given(address=addresses, preferred=u32, valid=u32, sub=sub_options)
def test_iaaddr_round_trip(address, preferred, valid, sub):
    [(c, body)] = p6.parse_options(p6.encode_iaaddr(address, preferred, valid, sub))
    assert c == p6.OPTION_IAADDR and p6.decode_iaaddr(body) == (address, preferred, valid, sub)


@given(preferred=u32, valid=u32, length=st.integers(0, 128), prefix=addresses, sub=sub_options)
def test_iaprefix_round_trip(preferred, valid, length, prefix, sub):
    [(c, body)] = p6.parse_options(p6.encode_iaprefix(preferred, valid, length, prefix, sub))
    assert c == p6.OPTION_IAPREFIX and p6.decode_iaprefix(body) == (preferred, valid, length, prefix, sub)


@given(code=st.integers(0, 0xFFFF), message=st.text(max_size=60))
def test_status_round_trip(code, message):
    [(c, body)] = p6.parse_options(p6.encode_status(code, message))
    assert c == p6.OPTION_STATUS_CODE and p6.decode_status(body) == (code, message)

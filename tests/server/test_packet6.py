"""The DHCPv6 codec: message and relay layout, every ParseError reason, the IA helpers."""

from __future__ import annotations

import ipaddress
import timeit

import pytest

from server.wire import packet6 as p6
from server.wire.packet6 import Message6, ParseError, Relay6, decode6, encode6

DUID = bytes.fromhex("000100012b2c3d4e001122334455")
LINK = ipaddress.IPv6Address("2001:db8:1::1").packed
PEER = ipaddress.IPv6Address("fe80::1").packed
ADDR = ipaddress.IPv6Address("2001:db8:1::100").packed
PREFIX = ipaddress.IPv6Address("2001:db8:100::").packed


def solicit() -> Message6:
    return Message6(p6.SOLICIT, 0xABCDEF, [
        (p6.OPTION_CLIENTID, DUID), (p6.OPTION_ELAPSED_TIME, b"\x00\x00"), (p6.OPTION_ORO, b"\x00\x17\x00\x18"),
        (p6.OPTION_IA_NA, p6.encode_ia(p6.OPTION_IA_NA, 1, 0, 0)[4:]),
        (p6.OPTION_IA_PD, p6.encode_ia(p6.OPTION_IA_PD, 2, 0, 0, [p6.encode_iaprefix(0, 0, 56, bytes(16))])[4:]),
    ])


def relayed(msg, levels: int = 1, kind: int = p6.RELAY_FORW):
    for hop in range(levels):
        msg = Relay6(kind, hop, LINK, PEER, [(p6.OPTION_INTERFACE_ID, f"eth{hop}".encode())], msg)
    return msg


# -- constants ---------------------------------------------------------------------------------------------

def test_message_and_status_constants():
    assert (p6.SOLICIT, p6.ADVERTISE, p6.REQUEST, p6.CONFIRM, p6.RENEW, p6.REBIND, p6.REPLY, p6.RELEASE,
            p6.DECLINE, p6.RECONFIGURE, p6.INFORMATION_REQUEST, p6.RELAY_FORW, p6.RELAY_REPL) == tuple(range(1, 14))
    assert (p6.SUCCESS, p6.UNSPEC_FAIL, p6.NO_ADDRS_AVAIL, p6.NO_BINDING, p6.NOT_ON_LINK, p6.USE_MULTICAST,
            p6.NO_PREFIX_AVAIL) == tuple(range(7))
    assert p6.HOP_COUNT_LIMIT == 32
    assert p6.MESSAGE_TYPE_NAMES[p6.RELAY_REPL] == "RELAY_REPL" and p6.STATUS_NAMES[6] == "NoPrefixAvail"


# -- client/server messages --------------------------------------------------------------------------------

def test_decode_a_hand_written_solicit():
    wire = bytes.fromhex("01 abcdef" "0001 000e" + DUID.hex() + "0008 0002 0000" "0006 0004 0017 0018")
    msg = decode6(wire)
    assert msg == Message6(1, 0xABCDEF, [(1, DUID), (8, b"\x00\x00"), (6, b"\x00\x17\x00\x18")])
    assert type(msg.options[0][1]) is bytes
    assert encode6(msg) == wire


def test_message_round_trip_keeps_order_and_repeats():
    msg = Message6(p6.REPLY, 1, [(23, ADDR), (3, b"x" * 12), (23, PEER), (14, b""), (65535, b"\xff")])
    assert decode6(encode6(msg)) == msg
    assert msg.get(23) == ADDR and msg.get_all(23) == [ADDR, PEER] and msg.get(99) is None


def test_empty_message_and_unknown_type():
    assert decode6(b"\x0b\x00\x00\x01") == Message6(p6.INFORMATION_REQUEST, 1, [])
    assert decode6(b"\xff\xff\xff\xff") == Message6(255, 0xFFFFFF, [])


def test_bytes_like_input():
    wire = encode6(relayed(solicit(), 2))
    assert decode6(bytearray(wire)) == decode6(memoryview(wire)) == decode6(wire)
    assert p6.parse_options(bytearray(b"\x00\x01\x00\x01a")) == [(1, b"a")]


# -- relays ------------------------------------------------------------------------------------------------

def test_relay_layout_is_exact():
    inner = Message6(p6.REPLY, 0x010203, [(2, b"ab")])
    wire = encode6(Relay6(p6.RELAY_REPL, 3, LINK, PEER, [(18, b"if")], inner))
    inner_wire = b"\x07\x01\x02\x03\x00\x02\x00\x02ab"
    assert wire == (b"\x0d\x03" + LINK + PEER + b"\x00\x12\x00\x02if" + b"\x00\x09\x00\x0a" + inner_wire)
    decoded = decode6(wire)
    assert decoded == Relay6(p6.RELAY_REPL, 3, LINK, PEER, [(18, b"if")], inner)


def test_relay_message_option_may_come_first():
    inner = encode6(solicit())
    wire = b"\x0c\x00" + LINK + PEER + p6.encode_options([(9, inner), (18, b"port1"), (37, b"rid")])
    relay = decode6(wire)
    assert relay.options == [(18, b"port1"), (37, b"rid")] and relay.inner == solicit()
    assert relay.get(37) == b"rid"


@pytest.mark.parametrize("levels", [1, 2, 3, 16, 31, 32])
def test_nested_relays_round_trip(levels):
    msg = relayed(solicit(), levels)
    decoded = decode6(encode6(msg))
    assert decoded == msg
    relays, inner = p6.innermost(decoded)
    assert len(relays) == levels and inner == solicit()
    assert [r.hop_count for r in relays] == list(range(levels - 1, -1, -1))


def test_hop_count_limit():
    decode6(encode6(relayed(solicit(), p6.HOP_COUNT_LIMIT)))
    with pytest.raises(ParseError, match="nested deeper than 32 levels"):
        decode6(encode6(relayed(solicit(), p6.HOP_COUNT_LIMIT + 1)))


def test_innermost_of_a_plain_message():
    assert p6.innermost(solicit()) == ([], solicit())


# -- malformed input ---------------------------------------------------------------------------------------

RELAY_HDR = b"\x0c\x00" + LINK + PEER


@pytest.mark.parametrize("data,reason", [
    (b"", "0 bytes is shorter than a DHCPv6 header"),
    (b"\x01\x00\x00", "3 bytes is shorter than a DHCPv6 header"),
    (b"\x01\x00\x00\x01\x00\x01\x00", "truncated option header at offset 4"),
    (b"\x01\x00\x00\x01\x00\x01\x00\x10ab", "option 1 at offset 4 claims 16 bytes, 2 remain"),
    (b"\x0c\x00" + LINK, "relay header of 18 bytes \\(34 needed\\)"),
    (RELAY_HDR, "relay level 1: relay message without a Relay Message option"),
    (RELAY_HDR + b"\x00\x12\x00\x01x", "without a Relay Message option"),
    (RELAY_HDR + b"\x00\x09\x00\x04\x01\x00\x00\x01\x00\x09\x00\x04\x01\x00\x00\x01", "more than one Relay Message"),
    (RELAY_HDR + b"\x00\x09\x00\x02\x01\x00", "inside relay level 1: 2 bytes is shorter than a DHCPv6 header"),
    (RELAY_HDR + b"\x00\x09\x00\x06\x01\x00\x00\x01\x00\x01", "inside relay level 1: message: truncated option"),
    (RELAY_HDR + b"\x00\x09\x00\x10\x01", "relay level 1: option 9 at offset 34 claims 16 bytes"),
    (RELAY_HDR + b"\x00\x09\x00\x22" + RELAY_HDR, "relay level 2: relay message without a Relay Message"),
])
def test_malformed(data, reason):
    with pytest.raises(ParseError, match=reason):
        decode6(data)


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)
    from server.wire.packet4 import ParseError as ParseError4
    assert ParseError is not ParseError4


# -- encoding errors ---------------------------------------------------------------------------------------

def test_encode_options():
    assert p6.encode_options([]) == b""
    assert p6.encode_options([(1, b"ab"), (2, b"")]) == b"\x00\x01\x00\x02ab\x00\x02\x00\x00"
    assert p6.encode_options(iter([(1, b"a")])) == b"\x00\x01\x00\x01a"
    with pytest.raises(ValueError, match="option code 70000 out of range"):
        p6.encode_options([(1, b""), (70000, b"")])
    with pytest.raises(ValueError, match="payload of 70000 bytes exceeds 65535"):
        p6.encode_options([(1, b"\x00" * 70000)])
    with pytest.raises(ValueError, match="cannot encode options"):
        p6.encode_options(iter([(-1, b"")]))


def test_encode6_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="16 bytes"):
        encode6(Relay6(12, 0, b"\x00" * 4, PEER, [], solicit()))
    with pytest.raises(ValueError, match="must carry a Message6"):
        encode6(Relay6(12, 0, LINK, PEER, [], None))
    with pytest.raises(ValueError, match="out of range"):
        encode6(Message6(1, 1 << 24, []))
    with pytest.raises(ValueError, match="does not fit a Relay Message option"):
        encode6(Relay6(12, 0, LINK, PEER, [], Message6(1, 0, [(1, b"\x00" * 65535)])))


# -- IA helpers --------------------------------------------------------------------------------------------

def test_ia_na_with_address_and_status():
    sub = [p6.encode_iaaddr(ADDR, 3000, 4000), p6.encode_status(p6.SUCCESS, "ok")]
    tlv = p6.encode_ia(p6.OPTION_IA_NA, 9, 1000, 2000, sub)
    [(code, body)] = p6.parse_options(tlv)
    iaid, t1, t2, options = p6.decode_ia(body)
    assert (code, iaid, t1, t2) == (3, 9, 1000, 2000)
    assert [c for c, _ in options] == [p6.OPTION_IAADDR, p6.OPTION_STATUS_CODE]
    assert p6.decode_iaaddr(options[0][1]) == (ADDR, 3000, 4000, [])
    assert p6.decode_status(options[1][1]) == (0, "ok")


def test_ia_sub_options_as_pairs_or_tlvs():
    as_tlv = p6.encode_ia(p6.OPTION_IA_PD, 1, 2, 3, [p6.encode_status(2, "none")])
    as_pair = p6.encode_ia(p6.OPTION_IA_PD, 1, 2, 3, [(13, b"\x00\x02none")])
    expected = b"\x00\x19\x00\x16" + bytes.fromhex("000000010000000200000003") + b"\x00\x0d\x00\x06\x00\x02none"
    assert as_tlv == as_pair == expected


def test_ia_pd_with_prefix():
    tlv = p6.encode_ia(p6.OPTION_IA_PD, 0xFFFFFFFF, 0, 0, [p6.encode_iaprefix(3000, 4000, 56, PREFIX,
                                                                              [p6.encode_status(0, "")])])
    iaid, _t1, _t2, [(code, body)] = p6.decode_ia(p6.parse_options(tlv)[0][1])
    assert iaid == 0xFFFFFFFF and code == p6.OPTION_IAPREFIX
    assert p6.decode_iaprefix(body) == (3000, 4000, 56, PREFIX, [(13, b"\x00\x00")])
    assert body[:9] == b"\x00\x00\x0b\xb8\x00\x00\x0f\xa0\x38"


def test_ia_ta():
    tlv = p6.encode_ia_ta(7, [p6.encode_iaaddr(ADDR, 1, 2)])
    assert tlv[:8] == b"\x00\x04\x00\x20\x00\x00\x00\x07"
    iaid, [(code, body)] = p6.decode_ia_ta(p6.parse_options(tlv)[0][1])
    assert (iaid, code) == (7, 5) and p6.decode_iaaddr(body)[0] == ADDR


def test_status_code():
    tlv = p6.encode_status(p6.NO_ADDRS_AVAIL, "Sorry, no address could be allocated. – é")
    [(code, body)] = p6.parse_options(tlv)
    assert code == 13 and p6.decode_status(body) == (2, "Sorry, no address could be allocated. – é")
    assert p6.encode_status(0) == b"\x00\x0d\x00\x02\x00\x00"
    assert p6.decode_status(b"\x00\x01\xff") == (1, "\ufffd")


@pytest.mark.parametrize("fn,data,reason", [
    (p6.decode_ia, b"\x00" * 11, "IA option of 11 bytes \\(12 needed\\)"),
    (p6.decode_ia, b"\x00" * 12 + b"\x00\x05\x00\x18", "IA option: option 5 at offset 12 claims 24 bytes"),
    (p6.decode_ia_ta, b"\x00" * 3, "IA_TA option of 3 bytes"),
    (p6.decode_iaaddr, b"\x00" * 23, "IA Address option of 23 bytes \\(24 needed\\)"),
    (p6.decode_iaaddr, b"\x00" * 25, "IA Address option: truncated option header"),
    (p6.decode_iaprefix, b"\x00" * 24, "IA Prefix option of 24 bytes \\(25 needed\\)"),
    (p6.decode_status, b"\x00", "Status Code option of 1 bytes"),
])
def test_helper_errors(fn, data, reason):
    with pytest.raises(ParseError, match=reason):
        fn(data)


def test_helpers_refuse_bad_addresses():
    with pytest.raises(ValueError, match="16 bytes"):
        p6.encode_iaaddr(b"\x00" * 4, 1, 2)
    with pytest.raises(ValueError, match="16 bytes"):
        p6.encode_iaprefix(1, 2, 64, b"\x00" * 8)


# -- speed (generous bound: the budget is 20 us; typical is a few us) -------------------------------------

def test_codec_is_fast():
    wire = encode6(relayed(solicit(), 1))
    reply = relayed(Message6(p6.REPLY, 1, [
        (2, DUID), (1, DUID), (3, p6.encode_ia(3, 1, 1000, 2000, [p6.encode_iaaddr(ADDR, 3000, 4000)])[4:]),
        (25, p6.encode_ia(25, 2, 1000, 2000, [p6.encode_iaprefix(3000, 4000, 56, PREFIX)])[4:]),
        (23, ADDR)]), 1, p6.RELAY_REPL)
    n = 2000
    decode_us = min(timeit.repeat(lambda: decode6(wire), number=n, repeat=3)) / n * 1e6
    encode_us = min(timeit.repeat(lambda: encode6(reply), number=n, repeat=3)) / n * 1e6
    assert decode_us < 60 and encode_us < 60, (decode_us, encode_us)

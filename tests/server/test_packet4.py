"""DHCPv4 packet codec: round trips, RFC 3396 long options, option overload, error reasons."""

import struct

import pytest

from server.wire.packet4 import (
    BOOTP_MIN_LEN,
    DHCPDISCOVER,
    DHCPOFFER,
    MAGIC_COOKIE,
    Packet4,
    ParseError,
    decode4,
    encode4,
    ip4,
    ip4_str,
)

MAC = bytes.fromhex("001122334455")


def raw_packet(options: bytes, *, sname: bytes = b"", file: bytes = b"", hlen: int = 6, op: int = 1,
               cookie: bytes = MAGIC_COOKIE) -> bytes:
    head = struct.pack("!BBBBIHHIIII16s64s128s4s", op, 1, hlen, 0, 0xDEADBEEF, 3, 0x8000, 0, 0, 0,
                       ip4("10.0.0.1"), MAC, sname, file, cookie)
    return head + options


def discover() -> Packet4:
    return Packet4(op=1, htype=1, hlen=6, xid=0x12345678, secs=2, flags=0x8000, chaddr=MAC,
                   options={53: b"\x01", 61: b"\x01" + MAC, 55: bytes([1, 3, 6, 15, 51, 54]), 12: b"host"})


def test_decode_fields():
    data = raw_packet(b"\x35\x01\x01\x0c\x04host\xff", sname=b"srv", file=b"boot.img")
    p = decode4(data)
    assert (p.op, p.htype, p.hlen, p.hops, p.xid, p.secs, p.flags) == (1, 1, 6, 0, 0xDEADBEEF, 3, 0x8000)
    assert (p.ciaddr, p.yiaddr, p.siaddr, p.giaddr) == (0, 0, 0, ip4("10.0.0.1"))
    assert p.chaddr == MAC and p.sname == b"srv" and p.file == b"boot.img"
    assert p.options == {53: b"\x01", 12: b"host"}
    assert p.msg_type == DHCPDISCOVER and p.broadcast


def test_round_trip():
    p = discover()
    data = encode4(p)
    assert len(data) == BOOTP_MIN_LEN
    assert decode4(data) == p


def test_encode_puts_message_type_first_and_end_last():
    p = Packet4(op=2, chaddr=MAC, options={54: b"\x0a\x00\x00\x01", 53: bytes([DHCPOFFER]), 51: b"\x00\x00\x0e\x10"})
    data = encode4(p)
    assert data[240:243] == b"\x35\x01\x02"
    assert data[243:249] == b"\x36\x04\x0a\x00\x00\x01"
    assert data[249:255] == b"\x33\x04\x00\x00\x0e\x10"
    assert data[255] == 255 and set(data[256:]) == {0}


def test_encode_no_padding_when_large():
    p = Packet4(chaddr=MAC, options={53: b"\x05", 43: b"x" * 200})
    data = encode4(p)
    assert len(data) == 240 + 3 + 202 + 1


def test_long_option_split_and_joined():
    value = bytes(range(256)) * 3  # 768 bytes -> 255 + 255 + 255 + 3
    p = Packet4(chaddr=MAC, options={53: b"\x02", 121: value})
    data = encode4(p)
    assert data.count(b"\x79\xff") >= 3 and b"\x79\x03" in data
    assert decode4(data).options[121] == value


def test_repeated_instances_concatenate():
    data = raw_packet(b"\x35\x01\x01\x0c\x02ab\x06\x04\x01\x02\x03\x04\x0c\x02cd\xff")
    assert decode4(data).options == {53: b"\x01", 12: b"abcd", 6: b"\x01\x02\x03\x04"}


def test_zero_length_and_pad_and_no_end():
    data = raw_packet(b"\x00\x00\x35\x01\x03\x50\x00\x00")
    p = decode4(data)
    assert p.options == {53: b"\x03", 80: b""}
    assert decode4(encode4(p)) == p


def test_stops_at_end():
    data = raw_packet(b"\x35\x01\x01\xff\x0c\x09garbage")
    assert decode4(data).options == {53: b"\x01"}


def fill(field_opts: bytes, size: int) -> bytes:
    return field_opts + b"\x00" * (size - len(field_opts))


@pytest.mark.parametrize(("overload", "in_file", "in_sname", "expected"), [
    (1, b"\x42\x03tft\xff", b"", {53: b"\x01", 66: b"tft"}),
    (2, b"", b"\x43\x02bf\xff", {53: b"\x01", 67: b"bf"}),
    (3, b"\x0c\x02ab\xff", b"\x0c\x02cd\xff", {53: b"\x01", 12: b"abcd"}),
])
def test_overload(overload, in_file, in_sname, expected):
    data = raw_packet(b"\x35\x01\x01\x34\x01" + bytes((overload,)) + b"\xff",
                      sname=fill(in_sname, 64) if in_sname else b"name", file=fill(in_file, 128) if in_file else b"f")
    p = decode4(data)
    assert p.options == expected
    assert 52 not in p.options
    assert p.file == (b"" if overload & 1 else b"f")
    assert p.sname == (b"" if overload & 2 else b"name")
    assert decode4(encode4(p)) == p


def test_overload_order_is_options_file_sname():
    data = raw_packet(b"\x0c\x01a\x34\x01\x03\xff", sname=fill(b"\x0c\x01c\xff", 64), file=fill(b"\x0c\x01b\xff", 128))
    assert decode4(data).options[12] == b"abc"


def test_invalid_overload_value_ignored():
    data = raw_packet(b"\x35\x01\x01\x34\x01\x07\xff", sname=b"\x0c\x50")
    p = decode4(data)
    assert p.options == {53: b"\x01"} and p.sname == b"\x0c\x50"


def test_chaddr_uses_hlen():
    assert decode4(raw_packet(b"\xff", hlen=16)).chaddr == MAC + b"\x00" * 10
    assert decode4(raw_packet(b"\xff", hlen=0)).chaddr == b""


def test_msg_type_absent():
    assert decode4(raw_packet(b"\xff")).msg_type is None
    assert decode4(raw_packet(b"\x35\x00\xff")).msg_type is None


def test_accepts_bytearray_and_memoryview():
    data = encode4(discover())
    assert decode4(bytearray(data)) == decode4(memoryview(data)) == discover()
    assert all(type(v) is bytes for v in decode4(bytearray(data)).options.values())


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "too short: 0 bytes"),
    (b"\x01" * 239, "too short: 239 bytes"),
    (raw_packet(b"\xff", cookie=b"\x63\x82\x53\x64"), "bad magic cookie 63825364"),
    (raw_packet(b"\xff", hlen=17), "hlen 17"),
    (raw_packet(b"\x35\x01\x01\x0c\x05ab"), "option 12 at offset 243 in the options field overruns"),
    (raw_packet(b"\x35\x01\x01\x0c"), "option 12 at offset 243 in the options field has no length byte"),
    (raw_packet(b"\x34\x01\x01\xff", file=b"\x42\x80"), "file field"),
    (raw_packet(b"\x34\x01\x02\xff", sname=b"\x42\x80"), "sname field"),
])
def test_parse_errors(data, reason):
    with pytest.raises(ParseError, match=reason):
        decode4(data)


@pytest.mark.parametrize(("pkt", "message"), [
    (Packet4(chaddr=b"x" * 17), "too long"),
    (Packet4(sname=b"x" * 65), "too long"),
    (Packet4(file=b"x" * 129), "too long"),
    (Packet4(xid=1 << 32), "out of range"),
    (Packet4(options={0: b"x" * 300}), "option code 0"),
    (Packet4(options={256: b"x"}), "option code 256"),
])
def test_encode_errors(pkt, message):
    with pytest.raises(ValueError, match=message):
        encode4(pkt)


def test_encode_skips_option_52():
    p = Packet4(options={53: b"\x01", 52: b"\x03"})
    assert decode4(encode4(p)).options == {53: b"\x01"}


def test_ip_helpers():
    assert ip4("192.0.2.1") == 0xC0000201 and ip4_str(0xC0000201) == "192.0.2.1"
    with pytest.raises(ValueError, match="not a valid IPv4"):
        ip4("300.1.1.1")

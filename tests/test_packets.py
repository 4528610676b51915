"""The tester-side packet builders and readers (scapy plus forge's own option reader)."""

from scapy.layers.inet import UDP
from scapy.layers.l2 import Ether

from forge.packets import v4, v6, values
from forge.packets.options import lookup


def test_v4_relayed_request_carries_giaddr_and_option_82_last():
    msg = v4.Message4(msg_type=3, chaddr="02:00:00:00:00:01", options=[(50, values.encode("ipv4", "198.51.100.7"))],
                      relay=v4.Relay4("198.51.100.1", v4.relay_agent_information(b"\x01", b"\x02\x03")))
    frame = Ether(bytes(v4.build(msg, client_mac="02:00:00:00:00:01", relay_mac="02:00:00:00:00:02",
                                 server_mac="02:00:00:00:00:03", server_ip="192.0.2.1")))
    payload = bytes(frame[UDP].payload)
    assert frame[UDP].sport == 67 and payload[0] == 1
    assert payload[24:28] == bytes([198, 51, 100, 1])  # giaddr
    options, problem = v4.parse_options(payload[240:])
    assert problem is None
    assert [c for c, _ in options] == [53, 50, 82]
    assert options[2][1] == b"\x01\x01\x01\x02\x02\x02\x03"


def test_v4_reader_reports_overrun():
    options, problem = v4.parse_options(bytes([53, 1, 2, 54, 10, 1, 2]))
    assert options == [(53, b"\x02")]
    assert "overruns" in problem


def test_v6_nested_relay_round_trip():
    inner = v6.Message6(msg_type=1, trid=0x123456, options=[v6.tlv(1, v6.duid_ll("02:00:00:00:00:01"))],
                        relays=[v6.Relay6("2001:db8:2::1", "fe80::2", b"port-1"),
                                v6.Relay6("2001:db8:3::1", "2001:db8:2::1", b"port-2")])
    data = inner.wire_bytes()
    assert data[0] == 12 and data[1] == 1  # outermost relay, hop count 1
    parsed = v6.parse_message(data)
    assert parsed.msg_type == 1 and parsed.trid == 0x123456
    assert [h.option(18).data for h in parsed.relays] == [b"port-2", b"port-1"]
    assert parsed.relays[0].link_address == "2001:db8:3::1"


def test_v6_ia_na_children_are_read():
    data = v6.ia_na(7, 100, 200, [("2001:db8:1::5", 300, 400)])
    [opt] = v6.parse_options(data)
    assert (opt.iaid, opt.t1, opt.t2) == (7, 100, 200)
    [addr] = opt.find(5)
    assert (addr.address, addr.preferred_lifetime, addr.valid_lifetime) == ("2001:db8:1::5", 300, 400)


def test_v6_truncated_option_is_malformed():
    try:
        v6.parse_options(b"\x00\x01\x00\x10abc")
    except v6.MalformedError as exc:
        assert "claims 16 bytes" in str(exc)
    else:
        raise AssertionError("a truncated option must be reported")


def test_option_lookup_by_name_alias_and_code():
    assert lookup(4, "server-id").code == 54
    assert lookup(4, "54").name == "dhcp-server-identifier"
    assert lookup(6, "IA_PD").code == 25
    assert values.decode("ipv4[]", values.encode("ipv4[]", "192.0.2.1, 192.0.2.2")) == "192.0.2.1,192.0.2.2"

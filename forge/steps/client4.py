"""DHCPv4 client steps: identity, options, relays and sending (RFC 2131, 2132, 3046, 6842)."""

from __future__ import annotations

from pytest_bdd import parsers, step, when

from forge.packets import v4, values
from forge.scenario import CheckFailed, resolve


def _server_ip(scenario) -> str:
    return str(scenario.lab.sut.ipv4.ip)


@step(parsers.parse("the client uses chaddr {mac}"))
def use_chaddr(scenario, mac):
    scenario.client4.chaddr = mac.strip().lower()


@step(parsers.parse("the client uses client-id {hex_id}"))
def use_client_id(scenario, hex_id):
    scenario.client4.client_id = values.hex_bytes(hex_id)


@step("the client uses no client-id")
def no_client_id(scenario):
    scenario.client4.client_id = None


_FIELDS = {"ciaddr", "yiaddr", "siaddr", "giaddr", "flags", "hops", "secs", "htype", "xid"}


@step(parsers.parse("the client sets {name} to {value}"))
def set_field(scenario, name, value):
    key = name.strip().lower()
    if key not in _FIELDS:
        raise ValueError(f"unknown DHCPv4 header field {name!r}; one of {', '.join(sorted(_FIELDS))}")
    text = resolve(scenario, value)
    scenario.client4.fields[key] = int(text, 0) if key in ("flags", "hops", "secs", "htype", "xid") else text


@step("the client sets the broadcast bit")
def broadcast_bit(scenario):
    scenario.client4.fields["flags"] = 0x8000


@step("the client requests the offered address")
def request_offered(scenario):
    scenario.client4.extra.append((50, values.encode("ipv4", resolve(scenario, "$yiaddr"))))


# -- relays ------------------------------------------------------------------
@step(parsers.parse("the client is behind relay {giaddr}"))
def behind_relay4(scenario, giaddr):
    scenario.client4.relay = v4.Relay4(address=giaddr.strip(), agent_options=None)


def _relay4(scenario) -> v4.Relay4:
    if scenario.client4.relay is None:
        raise ValueError("set a relay first: the client is behind relay <giaddr>")
    return scenario.client4.relay


@step(parsers.re(r"the relay adds (?P<which>circuit-id|remote-id) (?P<hexdata>\S+)$"))
def relay_sub_option(scenario, which, hexdata):
    relay = _relay4(scenario)
    code = 1 if which == "circuit-id" else 2
    relay.agent_options = (relay.agent_options or b"") + v4.tlv(code, values.hex_bytes(hexdata))


# -- sending -----------------------------------------------------------------
def send4(scenario, name: str, unicast: bool) -> None:
    """Send a DHCPv4 client message (used by the common send step)."""
    msg_type = int(name[5:]) if name.startswith("type-") else v4.message_type(name)
    client = scenario.client4
    client.unicast = client.unicast or unicast
    scenario.send4(client.next_message(msg_type, _server_ip(scenario)))


@when(parsers.parse("the client sends malformed bytes {hexdata}"))
def send_malformed4(scenario, hexdata):
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    frame = (Ether(src=scenario.client4.chaddr, dst=v4.BROADCAST_MAC) / IP(src="0.0.0.0", dst="255.255.255.255")
             / UDP(sport=68, dport=67) / Raw(values.hex_bytes(hexdata)))
    scenario.send_frame(4, frame, f"{len(hexdata) // 2} malformed bytes")


@when(parsers.parse("the client sends a {name} message truncated to {size:d} bytes"))
def send_truncated4(scenario, name, size):
    from scapy.layers.inet import UDP
    from scapy.packet import Raw

    frame = scenario.frame4(scenario.client4.next_message(v4.message_type(name), _server_ip(scenario)))
    payload = bytes(frame[UDP].payload)[:size]
    frame[UDP].remove_payload()
    frame[UDP].add_payload(Raw(payload))
    del frame[UDP].len, frame[UDP].chksum
    scenario.send_frame(4, frame, f"DHCP{name} truncated to {size} bytes")


@when(parsers.parse("the client sends a {name} message ending in raw option bytes {hexdata}"))
def send_raw_tail4(scenario, name, hexdata):
    """The usual message, with the end option replaced by bytes written as-is (e.g. an option that
    claims more data than the packet holds)."""
    from scapy.packet import Raw

    msg = scenario.client4.next_message(v4.message_type(name), _server_ip(scenario))
    frame = scenario.frame4(msg)
    frame[Raw].load = msg.options_bytes().removesuffix(b"\xff") + values.hex_bytes(hexdata)
    scenario.send_frame(4, frame, f"DHCP{name} ending in raw option bytes {hexdata}")


@when("the client completes a DORA exchange")
def dora(scenario):
    """DISCOVER -> OFFER -> REQUEST (SELECTING, with server-id and requested address) -> ACK."""
    client = scenario.client4
    scenario.send4(client.next_message(1, _server_ip(scenario)))
    offer = scenario.response()
    if offer.msg_type != 2:
        raise CheckFailed(f"DORA: expected an OFFER, got:\n{v4.describe(offer)}")
    client.extra += [(50, values.encode("ipv4", offer.yiaddr)), (54, offer.option(54) or b"")]
    scenario.send4(client.next_message(3, _server_ip(scenario)))
    ack = scenario.response()
    if ack.msg_type != 5:
        raise CheckFailed(f"DORA: expected an ACK, got:\n{v4.describe(ack)}")
    scenario.saved["lease4"] = ack.yiaddr

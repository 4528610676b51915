"""DHCPv6 client steps: DUID, IAs, relays and sending (RFC 8415)."""

from __future__ import annotations

from pytest_bdd import parsers, step, when

from forge.packets import v6, values
from forge.scenario import CheckFailed, resolve


@step(parsers.parse("the client uses DUID {duid}"))
def use_duid(scenario, duid):
    scenario.client6.duid = values.hex_bytes(duid)


@step(parsers.parse("the client uses IAID {iaid:d}"))
def use_iaid(scenario, iaid):
    scenario.client6.iaid = iaid
    scenario.client6.pd_iaid = iaid


@step("the client does not include IA_NA")
def no_ia_na(scenario):
    scenario.client6.want_na = False


@step("the client requests a prefix")
def want_prefix(scenario):
    scenario.client6.want_pd = True


@step("the client requests rapid commit")
def rapid_commit(scenario):
    scenario.client6.extra.append(v6.tlv(14, b""))


@step(parsers.re(r"the client adds IA_NA( with IAID (?P<iaid>\d+))?( with address (?P<address>\S+))?"
                 r"( with lifetimes (?P<pref>\d+) (?P<valid>\d+))?$"))
def add_ia_na(scenario, iaid, address, pref, valid):
    client = scenario.client6
    addresses = [(resolve(scenario, address), int(pref or 0), int(valid or 0))] if address else []
    client.extra.append(v6.ia_na(int(iaid) if iaid else client.iaid, addresses=addresses))


@step(parsers.re(r"the client adds IA_PD( with IAID (?P<iaid>\d+))?( with prefix (?P<prefix>\S+))?$"))
def add_ia_pd(scenario, iaid, prefix):
    client = scenario.client6
    prefixes = []
    if prefix:
        p, _, plen = resolve(scenario, prefix).partition("/")
        prefixes.append((p, int(plen or 64), 0, 0))
    client.extra.append(v6.ia_pd(int(iaid) if iaid else client.pd_iaid, prefixes=prefixes))


@step("the client adds IA_TA")
def add_ia_ta(scenario):
    scenario.client6.extra.append(v6.tlv(4, scenario.client6.iaid.to_bytes(4, "big")))


@step(parsers.re(r"the client is behind a relay with link-address (?P<link>\S+)"
                 r"( and interface-id (?P<interface_id>\S+))?$"))
def behind_relay6(scenario, link, interface_id):
    relay = v6.Relay6(link_address=link, peer_address=str(scenario.lab.tester.link_local),
                      interface_id=interface_id.encode() if interface_id else None)
    scenario.client6.relays.append(relay)


def send6(scenario, name: str, unicast: bool) -> None:
    """Send a DHCPv6 client message (used by the common send step)."""
    msg_type = v6.message_type(name)
    if msg_type in (2, 7, 10, 13):
        raise ValueError(f"{name} is not a client message")
    client = scenario.client6
    if unicast:
        client.dst_ip = str(scenario.lab.sut.ipv6.ip)
    scenario.send6(client.next_message(msg_type))


@when("the client completes a SARR exchange")
def sarr(scenario):
    """SOLICIT -> ADVERTISE -> REQUEST (server-id and the advertised IAs) -> REPLY."""
    client = scenario.client6
    scenario.send6(client.next_message(1))
    adv = scenario.response()
    if adv.msg_type != 2:
        raise CheckFailed(f"SARR: expected an ADVERTISE, got:\n{v6.describe(adv)}")
    client.extra += [v6.tlv(o.code, o.data) for o in adv.options if o.code in (2, 3, 25)]
    scenario.send6(client.next_message(3))
    reply = scenario.response()
    if reply.msg_type != 7:
        raise CheckFailed(f"SARR: expected a REPLY, got:\n{v6.describe(reply)}")


@when(parsers.parse("the client sends malformed DHCPv6 bytes {hexdata}"))
def send_malformed6(scenario, hexdata):
    from scapy.layers.inet import UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    t = scenario.lab.tester
    frame = (Ether(src=t.mac, dst=v6.MULTICAST_MAC)
             / IPv6(src=str(t.link_local), dst=v6.ALL_DHCP_RELAY_AGENTS_AND_SERVERS)
             / UDP(sport=546, dport=547) / Raw(values.hex_bytes(hexdata)))
    scenario.send_frame(6, frame, "malformed DHCPv6 bytes")

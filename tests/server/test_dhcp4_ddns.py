"""lessor dhcp4 and DNS updates, without DHCP sockets: packets go through the service's receive path and
the NameChangeRequests are caught on a real UDP socket on 127.0.0.1 standing in for the DHCP-DDNS daemon."""

from __future__ import annotations

import json
import socket
import time

import pytest

from server.config.dhcp4 import parse_dhcp4
from server.ddns import dhcid, ncr
from server.ddns.sender import sender_for
from server.dhcp4.engine import Engine
from server.dhcp4.service import Dhcp4Service
from server.leases.memfile4 import Memfile4
from server.wire.packet4 import Packet4, decode4, encode4

SERVER = 0xC0000201  # 192.0.2.1
MAC = b"\x02\x00\x00\x00\x00\x01"
CLIENT_ID = b"\x01" + MAC
S, E, N = 1, 4, 8


def wire(name: str) -> bytes:
    return b"".join(bytes([len(x)]) + x.encode() for x in name.rstrip(".").split(".")) + \
        (b"\x00" if name.endswith(".") else b"")


def fqdn(flags: int, name: str) -> bytes:
    return bytes([flags | E, 0, 0]) + wire(name)


@pytest.fixture
def d2():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


def make_service(tmp_path, d2, enable=True, **extra) -> Dhcp4Service:
    conf = {
        "interfaces-config": {"interfaces": ["eth0"]},
        "lease-database": {"type": "memfile", "persist": False},
        "valid-lifetime": 3000,
        "ddns-qualifying-suffix": "example.com.",
        "dhcp-ddns": {"enable-updates": enable, "server-port": d2.getsockname()[1]},
        "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.10-192.0.2.20"}],
                     "interface": "eth0"}],
    }
    conf.update(extra)
    doc = {"Dhcp4": conf}
    (tmp_path / "dhcp4.json").write_text(json.dumps(doc))
    svc = Dhcp4Service(str(tmp_path / "dhcp4.json"))
    svc.cfg = parse_dhcp4(doc)
    svc.leases = Memfile4(None, persist=False).open()
    svc.ncr = sender_for(None, svc.cfg.dhcp_ddns, svc.stats, svc.log, "DHCP4")
    svc.engine = Engine(svc.cfg, svc.leases, svc.stats, {"eth0": (SERVER,)}, svc.ncr)
    return svc


def send(svc, kind: int, mac: bytes = MAC, ciaddr: int = 0, **options) -> Packet4 | None:
    opts = {53: bytes([kind]), **{int(k[1:]): v for k, v in options.items()}}
    pkt = Packet4(op=1, htype=1, hlen=6, hops=0, xid=7, secs=0, flags=0, ciaddr=ciaddr, yiaddr=0, siaddr=0,
                  giaddr=0, chaddr=mac, sname=b"", file=b"", options=opts)
    reply = svc.handle_datagram("eth0", SERVER, encode4(pkt), "0.0.0.0")
    return None if reply is None else decode4(encode4(reply.pkt))


def dora(svc, mac: bytes = MAC, **options) -> Packet4:
    offer = send(svc, 1, mac, **options)
    assert offer is not None and offer.options[53] == b"\x02"
    ack = send(svc, 3, mac, o54=SERVER.to_bytes(4, "big"), o50=offer.yiaddr.to_bytes(4, "big"), **options)
    assert ack is not None and ack.options[53] == b"\x05"
    return ack


def ncrs(d2, count: int, quiet: float = 0.2) -> list[dict]:
    """The next `count` NCRs, then check that no more arrive within `quiet` seconds."""
    got = []
    d2.settimeout(2)
    for _ in range(count):
        data = d2.recv(4096)
        assert len(data) == 2 + int.from_bytes(data[:2], "big")
        got.append(json.loads(data[2:]))
    d2.settimeout(quiet)
    with pytest.raises(TimeoutError):
        extra = d2.recv(4096)
        pytest.fail(f"unexpected NCR {extra!r}")
    return got


def ip(address: int) -> str:
    return socket.inet_ntoa(address.to_bytes(4, "big"))


def test_offer_carries_the_answer_and_sends_nothing(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    offer = send(svc, 1, o81=fqdn(S, "myhost"), o61=CLIENT_ID)
    assert offer.options[81] == bytes([S | E, 255, 255]) + wire("myhost.example.com.")
    assert ncrs(d2, 0) == []


def test_ack_adds_both_records_with_keas_ncr(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    before = int(time.time())
    ack = dora(svc, o81=fqdn(S, "myhost"), o61=CLIENT_ID)
    lease = svc.leases.get(ack.yiaddr)
    assert (lease.hostname, lease.fqdn_fwd, lease.fqdn_rev) == ("myhost.example.com.", True, True)
    (add,) = ncrs(d2, 1)
    assert add["change-type"] == 0 and add["forward-change"] and add["reverse-change"]
    assert add["fqdn"] == "myhost.example.com." and add["ip-address"] == ip(ack.yiaddr)
    assert add["dhcid"] == dhcid.from_client_id(CLIENT_ID, "myhost.example.com.").hex().upper()
    assert add["dhcid"].startswith("000101")  # identifier type 1: the client-id
    assert add["lease-length"] == 1000 and add["use-conflict-resolution"] is True
    expires = ncr.decode(len(json.dumps(add)).to_bytes(2, "big") + json.dumps(add).encode()).lease_expires_on
    assert before + 3000 <= expires <= int(time.time()) + 3000


def test_client_without_client_id_is_identified_by_its_hardware_address(tmp_path, d2):
    svc = make_service(tmp_path, d2, **{"ddns-use-conflict-resolution": False, "valid-lifetime": 900})
    dora(svc, o81=fqdn(0, "pc.example.org."))
    (add,) = ncrs(d2, 1)
    assert add["dhcid"] == dhcid.from_hwaddr(1, MAC, "pc.example.org.").hex().upper()
    assert (add["forward-change"], add["reverse-change"]) == (False, True)  # S=0: the client does the A record
    assert add["use-conflict-resolution"] is False and add["lease-length"] == 600


def test_rfc4361_client_id_is_hashed_as_a_duid(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    duid = bytes.fromhex("00030001") + MAC
    dora(svc, o81=fqdn(S, "myhost"), o61=b"\xff\x00\x00\x00\x01" + duid)
    (add,) = ncrs(d2, 1)
    assert add["dhcid"] == dhcid.from_duid(duid, "myhost.example.com.").hex().upper()
    assert add["dhcid"].startswith("000201")


def test_renewal_with_the_same_name_sends_nothing_unless_update_on_renew(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    assert send(svc, 3, ciaddr=ack.yiaddr, o81=fqdn(S, "myhost")).options[53] == b"\x05"
    assert ncrs(d2, 0) == []

    svc = make_service(tmp_path, d2, **{"ddns-update-on-renew": True})
    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    send(svc, 3, ciaddr=ack.yiaddr, o81=fqdn(S, "myhost"))
    remove, add = ncrs(d2, 2)
    assert (remove["change-type"], add["change-type"]) == (1, 0)


def test_renewal_with_a_new_name_removes_the_old_then_adds(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    send(svc, 3, ciaddr=ack.yiaddr, o81=fqdn(S, "other"))
    remove, add = ncrs(d2, 2)
    assert (remove["change-type"], remove["fqdn"]) == (1, "myhost.example.com.")
    assert (add["change-type"], add["fqdn"]) == (0, "other.example.com.")
    assert svc.leases.get(ack.yiaddr).hostname == "other.example.com."


def test_moving_to_another_address_removes_the_old_one(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    first = dora(svc, o81=fqdn(S, "myhost")).yiaddr
    ncrs(d2, 1)
    other = first + 1
    ack = send(svc, 3, o54=SERVER.to_bytes(4, "big"), o50=other.to_bytes(4, "big"), o81=fqdn(S, "myhost"))
    assert ack.yiaddr == other
    remove, add = ncrs(d2, 2)
    assert (remove["change-type"], remove["ip-address"]) == (1, ip(first))
    assert (add["change-type"], add["ip-address"]) == (0, ip(other))
    assert svc.leases.get(first).fqdn_fwd is False


def test_release_and_decline_remove(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    assert send(svc, 7, ciaddr=ack.yiaddr) is None
    (remove,) = ncrs(d2, 1)
    assert (remove["change-type"], remove["fqdn"], remove["ip-address"]) == (1, "myhost.example.com.", ip(ack.yiaddr))

    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    send(svc, 4, o50=ack.yiaddr.to_bytes(4, "big"))
    (remove,) = ncrs(d2, 1)
    assert remove["change-type"] == 1 and svc.leases.get(ack.yiaddr).state == 1


def test_expiry_removes_and_clears_the_name(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    svc.engine.now = lambda: int(time.time()) - 10_000  # the lease is acknowledged long ago
    ack = dora(svc, o81=fqdn(S, "myhost"))
    ncrs(d2, 1)
    assert svc.reclaim() == 1
    (remove,) = ncrs(d2, 1)
    assert remove["change-type"] == 1 and remove["fqdn"] == "myhost.example.com."
    lease = svc.leases.get(ack.yiaddr)
    assert (lease.state, lease.hostname, lease.fqdn_fwd, lease.fqdn_rev) == (2, "", False, False)


def test_hostname_option_updates_both_and_keeps_the_name_without_dot(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    ack = dora(svc, o12=b"myhost")
    assert ack.options[12] == b"myhost.example.com" and 81 not in ack.options
    assert svc.leases.get(ack.yiaddr).hostname == "myhost.example.com"
    (add,) = ncrs(d2, 1)
    assert add["fqdn"] == "myhost.example.com." and add["forward-change"] and add["reverse-change"]


def test_reserved_hostname_and_generated_names(tmp_path, d2):
    svc = make_service(tmp_path, d2, subnet4=[{
        "id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.10-192.0.2.20"}], "interface": "eth0",
        "ddns-replace-client-name": "always", "ddns-generated-prefix": "host",
        "reservations": [{"hw-address": "02:00:00:00:00:09", "hostname": "Reserved"}]}])
    ack = dora(svc, b"\x02\x00\x00\x00\x00\x09", o55=b"\x01\x0c")
    assert ack.options[12] == b"reserved.example.com"
    ack = dora(svc, o81=fqdn(S, "myhost"))
    name = f"host-{ip(ack.yiaddr).replace('.', '-')}.example.com."
    assert ack.options[81] == bytes([S | E, 255, 255]) + wire(name)
    assert [n["fqdn"] for n in ncrs(d2, 2)] == ["reserved.example.com.", name]


def test_updates_off_answers_the_option_but_sends_nothing(tmp_path, d2):
    svc = make_service(tmp_path, d2, enable=False)
    assert svc.ncr is None and svc.engine.ncr is None
    ack = dora(svc, o81=fqdn(S, "myhost"))
    assert ack.options[81][0] == N | E | 2  # N and O: the server declines the update the client asked for
    lease = svc.leases.get(ack.yiaddr)
    assert (lease.hostname, lease.fqdn_fwd, lease.fqdn_rev) == ("myhost.example.com.", False, False)
    send(svc, 7, ciaddr=ack.yiaddr)
    assert ncrs(d2, 0) == []


def test_send_updates_false_in_the_subnet_sends_nothing(tmp_path, d2):
    svc = make_service(tmp_path, d2, **{"ddns-send-updates": False})
    dora(svc, o81=fqdn(S, "myhost"))
    assert ncrs(d2, 0) == []


def test_malformed_fqdn_drops_the_packet(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    assert send(svc, 1, o81=bytes([S | N | E, 0, 0]) + wire("myhost")) is None
    assert svc.stats.get("pkt4-parse-failed") == 1
    assert send(svc, 1, o81=fqdn(S, "myhost")) is not None  # and the server goes on

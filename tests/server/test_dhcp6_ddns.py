"""lessor dhcp6 and DNS updates, without DHCP sockets: messages go through the service's receive path and
the NameChangeRequests are caught on a real UDP socket on 127.0.0.1 standing in for the DHCP-DDNS daemon."""

from __future__ import annotations

import ipaddress
import json
import socket
import time

import pytest

from server.config.dhcp6 import parse_dhcp6
from server.ddns import dhcid
from server.ddns.sender import sender_for
from server.dhcp6.engine import Engine6
from server.dhcp6.service import Dhcp6Service
from server.leases.memfile6 import Memfile6
from server.wire import packet6 as p6

SERVER_DUID = bytes.fromhex("000100012c0000000200000000aa")
CLIENT_DUID = bytes.fromhex("00030001020000000001")
S, OVERRIDE, N = 1, 2, 4
ORO_39 = (6, (39).to_bytes(2, "big"))


def wire(name: str) -> bytes:
    return b"".join(bytes([len(x)]) + x.encode() for x in name.rstrip(".").split(".")) + \
        (b"\x00" if name.endswith(".") else b"")


@pytest.fixture
def d2():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


def make_service(tmp_path, d2, enable=True, **extra) -> Dhcp6Service:
    conf = {
        "interfaces-config": {"interfaces": ["eth0"]},
        "lease-database": {"type": "memfile", "persist": False},
        "preferred-lifetime": 3000, "valid-lifetime": 4000,
        "ddns-qualifying-suffix": "example.com.",
        "dhcp-ddns": {"enable-updates": enable, "server-port": d2.getsockname()[1]},
        "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "eth0", "rapid-commit": True,
                     "pools": [{"pool": "2001:db8:1::10-2001:db8:1::20"}],
                     "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 56}]}],
    }
    conf.update(extra)
    doc = {"Dhcp6": conf}
    (tmp_path / "dhcp6.json").write_text(json.dumps(doc))
    svc = Dhcp6Service(str(tmp_path / "dhcp6.json"))
    svc.cfg = parse_dhcp6(doc)
    svc.leases = Memfile6(None, persist=False).open()
    svc.ncr = sender_for(None, svc.cfg.dhcp_ddns, svc.stats, svc.log, "DHCP6")
    svc.engine = Engine6(svc.cfg, svc.leases, svc.stats, SERVER_DUID, svc.ncr)
    return svc


def send(svc, kind: int, options: list, duid: bytes = CLIENT_DUID) -> p6.Message6 | None:
    opts = [(1, duid)] + ([(2, SERVER_DUID)] if kind in (3, 5, 8, 9) else []) + options
    reply = svc.handle_datagram("eth0", p6.encode6(p6.Message6(kind, 1, opts)), "fe80::2", 546)
    return None if reply is None else p6.decode6(p6.encode6(reply.packet))


def ia_na(iaid: int = 1, address: int | None = None) -> tuple[int, bytes]:
    sub = [p6.encode_iaaddr(address.to_bytes(16, "big"), 0, 0)] if address is not None else []
    return 3, p6.encode_ia(3, iaid, 0, 0, sub)[4:]


def ia_pd(iaid: int = 1) -> tuple[int, bytes]:
    return 25, p6.encode_ia(25, iaid, 0, 0)[4:]


def addresses(msg: p6.Message6) -> list[int]:
    out = []
    for code, data in msg.options:
        if code == 3:
            out += [int.from_bytes(p6.decode_iaaddr(d)[0], "big") for c, d in p6.decode_ia(data)[3] if c == 5]
    return out


def sarr(svc, fqdn: bytes | None, extra: list = (), duid: bytes = CLIENT_DUID) -> p6.Message6:
    options = [ia_na(1), *extra] + ([(39, fqdn), ORO_39] if fqdn is not None else [])
    adv = send(svc, 1, options, duid)
    assert adv.msg_type == 2
    reply = send(svc, 3, options, duid)
    assert reply.msg_type == 7
    return reply


def ncrs(d2, count: int, quiet: float = 0.2) -> list[dict]:
    got = []
    d2.settimeout(2)
    for _ in range(count):
        data = d2.recv(4096)
        got.append(json.loads(data[2:]))
    d2.settimeout(quiet)
    with pytest.raises(TimeoutError):
        extra = d2.recv(4096)
        pytest.fail(f"unexpected NCR {extra!r}")
    return got


def test_advertise_answers_and_reply_adds_with_the_duid(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    adv = send(svc, 1, [ia_na(1), (39, bytes([S]) + wire("myhost")), ORO_39])
    assert dict(adv.options)[39] == bytes([S]) + wire("myhost.example.com.")
    assert ncrs(d2, 0) == []
    before = int(time.time())
    reply = send(svc, 3, [ia_na(1), (39, bytes([S]) + wire("myhost")), ORO_39])
    (address,) = addresses(reply)
    lease = svc.leases.get(0, address)
    assert (lease.hostname, lease.fqdn_fwd, lease.fqdn_rev) == ("myhost.example.com.", True, True)
    (add,) = ncrs(d2, 1)
    assert add["change-type"] == 0 and add["forward-change"] and add["reverse-change"]
    assert add["ip-address"] == str(ipaddress.IPv6Address(address)) and add["fqdn"] == "myhost.example.com."
    assert add["dhcid"] == dhcid.from_duid(CLIENT_DUID, "myhost.example.com.").hex().upper()
    assert add["dhcid"].startswith("000201")
    assert add["lease-length"] == 4000 // 3
    assert time.strftime("%Y%m%d%H%M%S", time.gmtime(before + 4000)) <= add["lease-expires-on"]


def test_option_39_only_when_requested_but_updates_still_done(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    reply = send(svc, 3, [ia_na(1), (39, bytes([S]) + wire("myhost"))])
    assert 39 not in dict(reply.options)
    assert [n["fqdn"] for n in ncrs(d2, 1)] == ["myhost.example.com."]


def test_one_add_per_reply_for_its_first_address_none_for_prefixes(tmp_path, d2):
    """Kea 2.2 (observed): a Reply with two IA_NA addresses gives one NCR, for the first address; leases of
    both record the name, so a release removes each."""
    svc = make_service(tmp_path, d2)
    reply = sarr(svc, bytes([S]) + wire("multi"), [ia_na(2), ia_pd(3)])
    first, second = addresses(reply)
    assert [(n["ip-address"], n["fqdn"]) for n in ncrs(d2, 1)] == [(str(ipaddress.IPv6Address(first)),
                                                                    "multi.example.com.")]
    assert svc.leases.get(0, second).hostname == "multi.example.com."
    send(svc, 8, [ia_na(1, first), ia_na(2, second)])
    assert sorted(n["ip-address"] for n in ncrs(d2, 2) if n["change-type"] == 1) == \
        sorted(str(ipaddress.IPv6Address(a)) for a in (first, second))


def test_rapid_commit_reply_sends_the_add(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    reply = send(svc, 1, [ia_na(1), (14, b""), (39, bytes([S]) + wire("quick")), ORO_39])
    assert reply.msg_type == 7
    assert [n["fqdn"] for n in ncrs(d2, 1)] == ["quick.example.com."]


def test_renew_same_name_nothing_new_name_remove_then_add(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    (address,) = addresses(sarr(svc, bytes([S]) + wire("myhost")))
    ncrs(d2, 1)
    renew = send(svc, 5, [ia_na(1, address), (39, bytes([S]) + wire("myhost")), ORO_39])
    assert renew.msg_type == 7 and addresses(renew) == [address]
    assert ncrs(d2, 0) == []
    send(svc, 6, [ia_na(1, address), (39, bytes([S]) + wire("renamed")), ORO_39])
    remove, add = ncrs(d2, 2)
    assert (remove["change-type"], remove["fqdn"]) == (1, "myhost.example.com.")
    assert (add["change-type"], add["fqdn"]) == (0, "renamed.example.com.")


def test_update_on_renew_adds_again(tmp_path, d2):
    svc = make_service(tmp_path, d2, **{"ddns-update-on-renew": True})
    (address,) = addresses(sarr(svc, bytes([S]) + wire("myhost")))
    ncrs(d2, 1)
    send(svc, 5, [ia_na(1, address), (39, bytes([S]) + wire("myhost"))])
    assert [n["change-type"] for n in ncrs(d2, 1)] == [0]


def test_release_decline_and_expiry_remove(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    (address,) = addresses(sarr(svc, bytes([S]) + wire("myhost")))
    ncrs(d2, 1)
    send(svc, 8, [ia_na(1, address)])
    assert [(n["change-type"], n["fqdn"]) for n in ncrs(d2, 1)] == [(1, "myhost.example.com.")]
    (address,) = addresses(sarr(svc, bytes([S]) + wire("myhost")))
    ncrs(d2, 1)
    send(svc, 9, [ia_na(1, address)])
    assert [n["change-type"] for n in ncrs(d2, 1)] == [1]
    svc.engine.now = lambda: int(time.time()) - 10_000
    (address,) = addresses(sarr(svc, bytes([S]) + wire("old"), duid=CLIENT_DUID + b"\x02"))
    ncrs(d2, 1)
    assert svc.reclaim() == 1
    assert [(n["change-type"], n["fqdn"]) for n in ncrs(d2, 1)] == [(1, "old.example.com.")]
    lease = svc.leases.get(0, address)
    assert (lease.state, lease.hostname, lease.fqdn_fwd) == (2, "", False)


def test_generated_name_for_an_empty_fqdn_and_for_a_client_without_one(tmp_path, d2):
    svc = make_service(tmp_path, d2, **{"ddns-replace-client-name": "when-not-present",
                                        "ddns-generated-prefix": "host"})
    reply = sarr(svc, bytes([S]))
    (address,) = addresses(reply)
    name = "host-" + str(ipaddress.IPv6Address(address)).replace(":", "-") + ".example.com."
    assert dict(reply.options)[39] == bytes([S]) + wire(name)
    reply = sarr(svc, None, duid=CLIENT_DUID + b"\x03")
    assert 39 not in dict(reply.options)  # the client did not send option 39 (RFC 4704 6)
    (other,) = addresses(reply)
    assert [n["fqdn"] for n in ncrs(d2, 2)] == [name, "host-" + str(ipaddress.IPv6Address(other)).replace(":", "-")
                                                + ".example.com."]


def test_reserved_hostname(tmp_path, d2):
    svc = make_service(tmp_path, d2, subnet6=[{
        "id": 1, "subnet": "2001:db8:1::/64", "interface": "eth0", "pools": [{"pool": "2001:db8:1::10-2001:db8:1::20"}],
        "reservations": [{"duid": CLIENT_DUID.hex(":"), "hostname": "resv"}]}])
    reply = sarr(svc, bytes([S]) + wire("mine"))
    assert dict(reply.options)[39] == bytes([S]) + wire("resv.example.com.")
    assert [n["fqdn"] for n in ncrs(d2, 1)] == ["resv.example.com."]


def test_updates_off(tmp_path, d2):
    svc = make_service(tmp_path, d2, enable=False)
    assert svc.engine.ncr is None
    reply = sarr(svc, bytes([S]) + wire("myhost"))
    assert dict(reply.options)[39] == bytes([N | OVERRIDE]) + wire("myhost.example.com.")
    lease = svc.leases.get(0, addresses(reply)[0])
    assert (lease.hostname, lease.fqdn_fwd, lease.fqdn_rev) == ("myhost.example.com.", False, False)
    assert ncrs(d2, 0) == []


def test_malformed_fqdn_drops_the_message(tmp_path, d2):
    svc = make_service(tmp_path, d2)
    assert send(svc, 1, [ia_na(1), (39, bytes([S | N]) + wire("x"))]) is None
    assert svc.stats.get("pkt6-parse-failed") == 1

"""lessor dhcp6 without sockets: configuration, the receive path under random input, and RFC 8415 rules."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.config import ConfigError
from server.config.dhcp6 import parse_dhcp6
from server.dhcp6.duid import make_duid, server_duid
from server.dhcp6.engine import Engine6
from server.dhcp6.service import Dhcp6Service
from server.leases.memfile6 import Memfile6
from server.wire import packet6 as p6

SERVER_DUID = bytes.fromhex("000100012c0000000200000000aa")
CLIENT_DUID = bytes.fromhex("00030001020000000001")


def doc(**extra) -> dict:
    conf = {
        "interfaces-config": {"interfaces": ["eth0"]},
        "preferred-lifetime": 3000, "valid-lifetime": 4000,
        "lease-database": {"type": "memfile", "persist": False},
        "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "eth0",
                     "pools": [{"pool": "2001:db8:1::10-2001:db8:1::20"}],
                     "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 56}]}],
    }
    conf.update(extra)
    return {"Dhcp6": conf}


def service(tmp_path, **extra) -> Dhcp6Service:
    path = tmp_path / "dhcp6.json"
    path.write_text(json.dumps(doc(**extra)))
    svc = Dhcp6Service(str(path))
    svc.cfg = parse_dhcp6(doc(**extra))
    svc.leases = Memfile6(None, persist=False).open()
    svc.engine = Engine6(svc.cfg, svc.leases, svc.stats, SERVER_DUID)
    return svc


def send(svc, msg) -> p6.Message6 | None:
    reply = svc.handle_datagram("eth0", p6.encode6(msg), "fe80::2", 546)
    return None if reply is None else reply.packet


def test_config_errors_name_their_path():
    bad = doc()
    bad["Dhcp6"]["subnet6"][0]["pd-pools"][0]["delegated-len"] = 40
    with pytest.raises(ConfigError, match=r"/Dhcp6/subnet6\[0\]/pd-pools\[0\]"):
        parse_dhcp6(bad)
    with pytest.raises(ConfigError, match="not supported yet: client-classes"):
        parse_dhcp6(doc(**{"client-classes": []}))


def test_solicit_request_reply_and_rapid_commit(tmp_path):
    svc = service(tmp_path)
    ia = p6.encode_ia(3, 1, 0, 0)[4:]
    adv = send(svc, p6.Message6(1, 1, [(1, CLIENT_DUID), (3, ia)]))
    assert adv.msg_type == 2
    opts = dict(adv.options)
    assert opts[2] == SERVER_DUID and opts[1] == CLIENT_DUID
    _iaid, _t1, _t2, sub = p6.decode_ia(opts[3])
    address = p6.decode_iaaddr(sub[0][1])[0]
    reply = send(svc, p6.Message6(3, 2, [(1, CLIENT_DUID), (2, SERVER_DUID), (3, opts[3])]))
    assert reply.msg_type == 7
    assert len(svc.leases) == 1 and svc.leases.all()[0].address == int.from_bytes(address, "big")
    assert svc.stats.get("subnet[1].assigned-nas") == 1


@pytest.mark.parametrize("options,why", [
    ([(3, b"\x00" * 12)], "no Client Identifier"),
    ([(1, CLIENT_DUID), (2, SERVER_DUID)], "must not carry"),
])
def test_invalid_solicit_is_dropped_and_counted(tmp_path, options, why, caplog):
    svc = service(tmp_path)
    caplog.set_level("DEBUG", logger="lessor")
    assert send(svc, p6.Message6(1, 1, options)) is None
    assert svc.stats.get("pkt6-receive-drop") == 1
    assert any(why in r.getMessage() for r in caplog.records)


def test_server_duid_persists(tmp_path):
    cfg = parse_dhcp6(doc(**{"server-id": {"type": "LLT", "persist": True}})).server_id
    first = server_duid(cfg, str(tmp_path))
    assert (tmp_path / "kea-dhcp6-serverid").read_text().strip() == first.hex(":")
    assert server_duid(cfg, str(tmp_path)) == first
    en = parse_dhcp6(doc(**{"server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0a0b"}})).server_id
    assert make_duid(en) == bytes.fromhex("0002000009bf0a0b")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_receive_path_never_raises(tmp_path, data):
    svc = service(tmp_path)
    svc.handle_datagram("eth0", data, "fe80::2", 546)
    assert svc.stats.get("pkt6-received") == 1
    if len(data) < 4:
        assert svc.stats.get("pkt6-parse-failed") == 1
    reply = send(svc, p6.Message6(1, 9, [(1, CLIENT_DUID), (3, p6.encode_ia(3, 1, 0, 0)[4:])]))
    assert reply is not None and reply.msg_type == 2

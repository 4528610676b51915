"""Random and mutated datagrams through lessor's whole receive path: nothing raises out of it,
malformed input is counted in pkt4-parse-failed, and the server still answers afterwards."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.config.dhcp4 import parse_dhcp4
from server.dhcp4.engine import Engine
from server.dhcp4.service import Dhcp4Service
from server.leases.memfile4 import Memfile4
from server.wire.packet4 import Packet4, encode4

SERVER = 0xC0000201  # 192.0.2.1


def make_service(tmp_path) -> Dhcp4Service:
    doc = {"Dhcp4": {
        "interfaces-config": {"interfaces": ["eth0"]},
        "lease-database": {"type": "memfile", "persist": False},
        "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.10-192.0.2.250"}],
                     "interface": "eth0"}],
    }}
    path = tmp_path / "dhcp4.json"
    path.write_text(json.dumps(doc))
    service = Dhcp4Service(str(path))
    service.cfg = parse_dhcp4(doc)
    service.leases = Memfile4(None, persist=False).open()
    service.engine = Engine(service.cfg, service.leases, service.stats, {"eth0": (SERVER,)})
    return service


def discover(mac: bytes, xid: int = 1, **options) -> bytes:
    opts = {53: b"\x01", **{int(k[1:]): v for k, v in options.items()}}
    return encode4(Packet4(op=1, htype=1, hlen=6, hops=0, xid=xid, secs=0, flags=0, ciaddr=0, yiaddr=0, siaddr=0,
                           giaddr=0, chaddr=mac, sname=b"", file=b"", options=opts))


VALID = discover(b"\x02\x00\x00\x00\x00\x01", o55=bytes([1, 3, 6]), o61=b"\x01\x02\x00\x00\x00\x00\x01")


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[i:]
        elif action == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[i:i + draw(st.integers(1, 8))]
    return bytes(data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=600), mutated()))
def test_receive_path_never_raises(tmp_path, data):
    service = make_service(tmp_path)
    before = service.stats.get("pkt4-parse-failed")
    reply = service.handle_datagram("eth0", SERVER, data, "0.0.0.0")
    assert service.stats.get("pkt4-received") == 1
    if reply is None and service.stats.get("pkt4-receive-drop") == 0:
        raise AssertionError("a datagram that got no reply must be counted as dropped")
    if len(data) < 240:
        assert service.stats.get("pkt4-parse-failed") == before + 1
    # The service still answers a good DISCOVER afterwards.
    assert service.handle_datagram("eth0", SERVER, VALID, "0.0.0.0") is not None


def test_malformed_counted_and_logged(tmp_path, caplog):
    service = make_service(tmp_path)
    caplog.set_level("DEBUG", logger="lessor")
    assert service.handle_datagram("eth0", SERVER, b"\x01" * 100, "0.0.0.0") is None
    assert service.stats.get("pkt4-parse-failed") == 1
    assert any("malformed" in r.getMessage() for r in caplog.records)

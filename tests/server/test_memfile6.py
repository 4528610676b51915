"""Memfile6: Kea's memfile semantics for DHCPv6 (rows, keys by lease type and address, replay, load order, bad
rows, PID lock, persist=False, LFC), on the machinery shared with Memfile4."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess

import pytest

from server.leases import TYPE_NA, TYPE_PD, TYPE_TA, Lease6, LeaseFileError, Memfile6, NoSuchLease
from server.leases.csv6 import HEADER, address_text, format_row, parse_duid, parse_row
from server.leases.csvtext import RowError

NET = 0x20010DB8 << 96
CLTT = 1_800_000_000
DUID = b"\x00\x01\x02"


def na(n: int, **kw) -> Lease6:
    fields = {"address": NET + n, "duid": DUID, "valid_lifetime": 4000, "cltt": CLTT, "subnet_id": 1,
              "preferred_lifetime": 3000, "lease_type": TYPE_NA, "iaid": 1, "prefix_len": 128}
    fields.update(kw)
    return Lease6(**fields)


def rows(path) -> list[str]:
    return path.read_text().splitlines()


@pytest.fixture
def lease_file(tmp_path):
    return tmp_path / "leases6.csv"


def test_row_format_and_parse():
    lease = na(1, hostname="a,b&c", hwaddr=b"\x02\x00\x00\x00\x00\x01", hwtype=1, hwaddr_source=4,
               fqdn_fwd=True, user_context='{ "k": "x,y" }')
    row = format_row(lease)
    assert row == (b"2001:db8::1,00:01:02,4000,1800004000,1,3000,0,1,128,1,0,a&#x2cb&#x26c,02:00:00:00:00:01,0,"
                   b'{ "k": "x&#x2cy" },1,4\n')
    assert parse_row(row.decode().rstrip("\n")) == lease
    assert format_row(na(2), valid_lifetime=0) == b"2001:db8::2,00:01:02,0,1800000000,1,3000,0,1,128,0,0,,,0,,,\n"
    # a hwaddr without hwtype/source is written as Kea's defaults (Ethernet, unknown source)
    assert format_row(na(3, hwaddr=b"\x01")).endswith(b",01,0,,1,0\n")
    assert address_text(0xFFFF0A000001) == "::ffff:10.0.0.1"


def test_duid_forms():
    assert parse_duid("0:1:ab") == b"\x00\x01\xab"
    assert parse_duid("0x0102") == b"\x01\x02"
    assert parse_duid("001") == b"\x00\x01"
    assert parse_duid("00 01") == b"\x00\x01"
    for bad in ("", "0X01", "00::01", "zz", ":".join(["01"] * 129)):
        with pytest.raises(RowError, match="duid"):
            parse_duid(bad)


def test_unwritable_leases_refused(lease_file):
    db = Memfile6(str(lease_file)).open()
    with pytest.raises(ValueError, match="no DUID"):
        db.add(na(1, duid=b""))
    with pytest.raises(ValueError, match="empty DUID 00 and is not declined"):
        db.add(na(1, duid=b"\x00"))
    assert db.add(na(1, duid=b"\x00", state=1)) is True
    db.close()
    assert len(rows(lease_file)) == 2


def test_add_update_delete_and_replay(lease_file):
    db = Memfile6(str(lease_file)).open()
    assert rows(lease_file) == [HEADER]
    first = na(1, hostname="h,1")
    prefix = na(1, lease_type=TYPE_PD, prefix_len=64, iaid=9)  # the same first address, another key
    assert db.add(first) is True
    assert db.add(prefix) is True
    assert db.add(na(1)) is False
    assert db.get(TYPE_NA, NET + 1) == first and db.get(TYPE_PD, NET + 1) == prefix
    assert db.get(TYPE_TA, NET + 1) is None
    renewed = dataclasses.replace(first, cltt=CLTT + 10)
    db.update(renewed)
    with pytest.raises(NoSuchLease, match="IA_NA 2001:db8::2"):
        db.update(na(2))
    assert db.delete(na(2)) is False
    assert db.delete(prefix) is True
    assert len(db) == 1
    db.close()
    assert rows(lease_file)[1:] == [
        "2001:db8::1,00:01:02,4000,1800004000,1,3000,0,1,128,0,0,h&#x2c1,,0,,,",
        "2001:db8::1,00:01:02,4000,1800004000,1,3000,2,9,64,0,0,,,0,,,",
        "2001:db8::1,00:01:02,4000,1800004010,1,3000,0,1,128,0,0,h&#x2c1,,0,,,",
        "2001:db8::1,00:01:02,0,1800000000,1,3000,2,9,64,0,0,,,0,,,",
    ]
    again = Memfile6(str(lease_file)).open()
    assert again.all() == [renewed]
    again.close()


def test_write_failure_leaves_memory_alone(lease_file):
    db = Memfile6(str(lease_file)).open()
    db._file.close()
    db._file = open("/dev/full", "ab", buffering=0)  # noqa: SIM115  -- the next write fails with ENOSPC
    with pytest.raises(LeaseFileError, match="cannot write"):
        db.add(na(1))
    assert db.get(TYPE_NA, NET + 1) is None and len(db) == 0
    db.close()


def test_lookups_counts_and_expired():
    db = Memfile6(None, persist=False).open()
    other = b"\x00\x01\x09"
    db.add(na(1, iaid=1))
    db.add(na(2, iaid=1, subnet_id=2))
    db.add(na(3, iaid=2, cltt=CLTT - 5000))
    db.add(na(4, duid=other, state=2))
    db.add(na(0, address=NET + (1 << 80), lease_type=TYPE_PD, prefix_len=48, iaid=1))
    db.add(na(5, duid=b"\x00", state=1, cltt=CLTT - 4500))
    assert {x.address for x in db.get_by_duid_iaid(DUID, 1, TYPE_NA)} == {NET + 1, NET + 2}
    assert [x.address for x in db.get_by_duid_iaid(DUID, 1, TYPE_NA, subnet_id=2)] == [NET + 2]
    assert [x.prefix_len for x in db.get_by_duid_iaid(DUID, 1, TYPE_PD)] == [48]
    assert db.get_by_duid_iaid(DUID, 3, TYPE_NA) == []
    assert len(db.get_by_duid(DUID)) == 4 and [x.address for x in db.get_by_duid(other)] == [NET + 4]
    assert db.count(1, TYPE_NA) == 2 and db.count(2, TYPE_NA) == 1 and db.count(1, TYPE_PD) == 1
    assert db.count(1, TYPE_NA, state=2) == 1 and db.count(1, TYPE_NA, state=1) == 1
    assert [x.address for x in db.expired(CLTT + 1)] == [NET + 3]
    assert [x.address for x in db.expired(CLTT + 1, include_declined=True)] == [NET + 3, NET + 5]
    assert [x.address for x in db.expired(CLTT + 1, limit=1, include_declined=True)] == [NET + 3]
    db.delete(na(1))
    assert db.count(1, TYPE_NA) == 1 and [x.address for x in db.get_by_duid_iaid(DUID, 1, TYPE_NA)] == [NET + 2]
    assert db.wipe(subnet_id=2) == 1 and db.get_by_duid_iaid(DUID, 1, TYPE_NA) == []
    db.close()


def test_persist_false_writes_nothing(tmp_path):
    db = Memfile6(str(tmp_path / "x.csv"), persist=False).open()
    db.add(na(1))
    db.close()
    assert list(tmp_path.iterdir()) == []


def test_load_order_and_bad_rows(lease_file, caplog):
    good = format_row(na(1)).decode()
    (lease_file.parent / "leases6.csv.2").write_text(HEADER + "\n" + good + format_row(na(2)).decode())
    (lease_file.parent / "leases6.csv.1").write_text(HEADER + "\n" + format_row(na(2), valid_lifetime=0).decode())
    lease_file.write_text(HEADER + "\nnot,a,row\n" + format_row(na(3, hostname="x")).decode())
    with caplog.at_level(logging.WARNING, logger="lessor.leases"):
        db = Memfile6(str(lease_file)).open()
    assert sorted(x.address - NET for x in db.all()) == [1, 3]
    assert "line 2" in caplog.text
    db.close()
    with pytest.raises(LeaseFileError, match="more than 1 malformed rows"):
        lease_file.write_text(HEADER + "\nbad\nworse\n")
        Memfile6(str(lease_file), max_row_errors=1).open()


def test_v4_file_refused(lease_file):
    lease_file.write_text("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname\n")
    with pytest.raises(LeaseFileError, match="not a Kea DHCPv6 lease file header"):
        Memfile6(str(lease_file)).open()


def test_older_schema_is_read_and_converted(lease_file):
    old = ",".join(HEADER.split(",")[:13])
    lease_file.write_text(old + "\n2001:db8::1,00:01:02,4000,1800004000,1,3000,0,1,128,0,0,h,01:02\n")
    db = Memfile6(str(lease_file)).open()
    assert db.get(TYPE_NA, NET + 1) == na(1, hostname="h", hwaddr=b"\x01\x02", hwtype=1, hwaddr_source=0)
    db.close()
    assert rows(lease_file) == [HEADER]
    assert rows(lease_file.parent / "leases6.csv.2")[1] == \
        "2001:db8::1,00:01:02,4000,1800004000,1,3000,0,1,128,0,0,h,01:02,0,,1,0"


def test_pid_file_and_second_server_refused(lease_file):
    db = Memfile6(str(lease_file)).open()
    assert (lease_file.parent / "leases6.csv.pid").read_text() == f"{os.getpid()}\n"
    db.close()
    assert not (lease_file.parent / "leases6.csv.pid").exists()
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        lease_file.with_name("leases6.csv.pid").write_text(f"{sleeper.pid}\n")
        with pytest.raises(LeaseFileError, match=f"another server \\(PID {sleeper.pid}\\) uses {lease_file}"):
            Memfile6(str(lease_file)).open()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_lfc_compacts(lease_file):
    db = Memfile6(str(lease_file)).open()
    for n in range(1, 6):
        db.add(na(n))
        db.update(na(n, cltt=CLTT + 1))
    db.delete(na(2))
    db.add(na(1, lease_type=TYPE_PD, prefix_len=64))
    assert db.lfc() is True
    db.add(na(9))
    db.close()
    compacted = rows(lease_file.parent / "leases6.csv.2")
    assert compacted[0] == HEADER and len(compacted) == 1 + 5
    assert compacted[1].startswith("2001:db8::1,") and ",0,1,128," in compacted[1]
    assert ",2,1,64," in compacted[2]  # NA before PD at the same address
    assert rows(lease_file) == [HEADER, format_row(na(9)).decode().rstrip("\n")]
    again = Memfile6(str(lease_file)).open()
    assert len(again) == 6
    again.close()

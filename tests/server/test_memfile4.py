"""Memfile4: Kea's memfile semantics (rows, replay, load order, bad rows, PID lock, persist=False, LFC)."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from server.leases import Lease4, LeaseFileError, Memfile4
from server.leases.csv4 import HEADER, escape, format_row, kea_json, parse_row, unescape
from server.leases.memfile4 import NoSuchLease

BASE = 0xC0000200  # 192.0.2.0
CLTT = 1_800_000_000


def lease(n: int, **kw) -> Lease4:
    fields = {"address": BASE + n, "hwaddr": bytes((2, 0, 0, 0, 0, n & 255)), "client_id": None,
              "valid_lifetime": 4000, "cltt": CLTT, "subnet_id": 1}
    fields.update(kw)
    return Lease4(**fields)


def rows(path) -> list[str]:
    return path.read_text().splitlines()


def write(path, *lines: str) -> None:
    path.write_text("".join(line + "\n" for line in lines))


@pytest.fixture
def lease_file(tmp_path):
    return tmp_path / "leases4.csv"


def opened(path, **kw) -> Memfile4:
    return Memfile4(str(path), **kw).open()


# -- rows ----------------------------------------------------------------------------------------------------------
def test_row_format():
    row = format_row(lease(1, client_id=b"\x01\x02\xab", fqdn_fwd=True, hostname="a,b&c", state=1,
                           user_context='{ "k": "x,y" }'))
    assert row == (b"192.0.2.1,02:00:00:00:00:01,01:02:ab,4000,1800004000,1,1,0,a&#x2cb&#x26c,1,"
                   b'{ "k": "x&#x2cy" }\n')
    assert format_row(lease(2)) == b"192.0.2.2,02:00:00:00:00:02,,4000,1800004000,1,0,0,,0,\n"
    assert format_row(lease(2), valid_lifetime=0) == b"192.0.2.2,02:00:00:00:00:02,,0,1800000000,1,0,0,,0,\n"
    assert parse_row(row.decode().rstrip("\n")) == lease(1, client_id=b"\x01\x02\xab", fqdn_fwd=True,
                                                         hostname="a,b&c", state=1, user_context='{ "k": "x,y" }')


def test_escape_round_trip():
    for text in ("", "plain", "a,b", "&", "&#x2c", "x&#xzz,", "é,ü"):
        assert unescape(escape(text)) == text
    assert unescape("a&#x2Cb&#x") == "a,b&#x"


def test_kea_json():
    assert kea_json({"b": [1, 2.5, "x"], "a": {}, "c": True, "d": None, "e": []}) == \
        '{ "a": {  }, "b": [ 1, 2.5, "x" ], "c": true, "d": null, "e": [  ] }'
    assert kea_json({"f": 1e20, "h": 1.0, "i": 123456789.5}) == '{ "f": 1e+20.0, "h": 1.0, "i": 1.23457e+08 }'
    assert kea_json({"u": "é\n\"\\\t\x01"}) == '{ "u": "\\u00c3\\u00a9\\n\\"\\\\\\t\\u0001" }'


# -- add / update / delete / replay --------------------------------------------------------------------------------
def test_add_update_delete_and_replay(lease_file):
    db = opened(lease_file)
    assert rows(lease_file) == [HEADER]
    first = lease(1, client_id=b"\x01\x02", hostname="h,1")
    assert db.add(first) is True
    assert db.add(lease(1)) is False  # Kea's addLease: the address already has a lease, nothing written
    assert db.get(BASE + 1) == first
    moved = dataclasses.replace(first, hwaddr=b"\x02\x00\x00\x00\x00\x99", cltt=CLTT + 10, state=0)
    db.update(moved)
    assert db.get_by_hwaddr(first.hwaddr, 1) == []
    assert db.get_by_hwaddr(moved.hwaddr, 1) == [moved]
    assert db.get_by_client_id(b"\x01\x02", 1) == [moved]
    db.add(lease(2))
    assert db.delete(lease(2)) is True
    assert db.delete(lease(2)) is False
    assert db.get(BASE + 2) is None
    with pytest.raises(NoSuchLease, match=r"192\.0\.2\.3"):
        db.update(lease(3))
    db.close()
    assert rows(lease_file) == [
        HEADER,
        "192.0.2.1,02:00:00:00:00:01,01:02,4000,1800004000,1,0,0,h&#x2c1,0,",
        "192.0.2.1,02:00:00:00:00:99,01:02,4000,1800004010,1,0,0,h&#x2c1,0,",
        "192.0.2.2,02:00:00:00:00:02,,4000,1800004000,1,0,0,,0,",
        "192.0.2.2,02:00:00:00:00:02,,0,1800000000,1,0,0,,0,",
    ]
    again = opened(lease_file)
    assert again.all() == [moved]
    assert again.get_by_hwaddr(moved.hwaddr, 1) == [moved]
    again.close()


def test_row_is_written_before_memory_changes(lease_file):
    db = opened(lease_file)
    db._file.close()
    db._file = open("/dev/full", "ab", buffering=0)  # noqa: SIM115  -- the next write fails with ENOSPC
    with pytest.raises(LeaseFileError, match="cannot write lease file .*No space left"):
        db.add(lease(1))
    assert db.get(BASE + 1) is None
    db.close()


def test_empty_hwaddr_only_for_declined(lease_file):
    db = opened(lease_file)
    with pytest.raises(ValueError, match="empty hardware address"):
        db.add(lease(1, hwaddr=b""))
    db.add(lease(2, hwaddr=b"", state=1))
    db.close()
    assert rows(lease_file)[-1] == "192.0.2.2,,,4000,1800004000,1,0,0,,1,"


def test_lookups_counts_and_expired():
    db = Memfile4(None, persist=False).open()
    db.add(lease(1, cltt=100, valid_lifetime=10, client_id=b"\x01\xaa"))
    db.add(lease(2, cltt=100, valid_lifetime=5, hwaddr=bytes((2, 0, 0, 0, 0, 1))))
    db.add(lease(3, cltt=100, valid_lifetime=1, state=1))
    db.add(lease(4, cltt=100, valid_lifetime=1, state=2))
    db.add(lease(5, subnet_id=2, client_id=b"\x01\xaa"))
    assert [x.address - BASE for x in db.get_by_hwaddr(bytes((2, 0, 0, 0, 0, 1)), 1)] == [1, 2]
    assert [x.address - BASE for x in db.get_by_client_id(b"\x01\xaa", 1)] == [1]
    assert sorted(x.address - BASE for x in db.get_by_client_id(b"\x01\xaa")) == [1, 5]
    assert (db.count(1), db.count(1, state=1), db.count(1, state=2), db.count(2), db.count(9)) == (2, 1, 1, 1, 0)
    assert [x.address - BASE for x in db.expired(now=200)] == [2, 1]
    assert [x.address - BASE for x in db.expired(now=200, limit=1)] == [2]
    assert [x.address - BASE for x in db.expired(now=200, include_declined=True)] == [3, 2, 1]
    assert db.expired(now=105) == []  # expire < now, strictly
    db.update(dataclasses.replace(db.get(BASE + 1), state=2))
    assert (db.count(1), db.count(1, state=2)) == (1, 2)
    db.delete(db.get(BASE + 2))
    assert db.count(1) == 0 and len(db) == 4
    db.close()


def test_persist_false_writes_nothing(tmp_path):
    db = Memfile4(str(tmp_path / "leases4.csv"), persist=False, lfc_interval=1).open()
    db.add(lease(1))
    db.update(lease(1, cltt=CLTT + 5))
    db.delete(lease(1))
    assert db.lfc() is False
    db.close()
    assert list(tmp_path.iterdir()) == []


def test_persist_needs_a_name():
    with pytest.raises(LeaseFileError, match="no lease file name"):
        Memfile4(None)


# -- load order and bad rows -----------------------------------------------------------------------------------------
def test_load_order_previous_copy_then_file(lease_file):
    write(lease_file.with_name("leases4.csv.2"), HEADER, *[format_row(lease(n)).decode().strip() for n in (1, 2, 3)])
    write(lease_file.with_name("leases4.csv.1"), HEADER,
          format_row(lease(1, cltt=CLTT + 1)).decode().strip(), format_row(lease(2), 0).decode().strip())
    write(lease_file, HEADER, format_row(lease(1, cltt=CLTT + 2)).decode().strip(),
          format_row(lease(4)).decode().strip())
    db = opened(lease_file)
    assert {x.address - BASE: x.cltt for x in db.all()} == {1: CLTT + 2, 3: CLTT, 4: CLTT}
    db.close()


def test_completed_replaces_previous_and_copy(lease_file):
    write(lease_file.with_name("leases4.csv.completed"), HEADER, format_row(lease(5)).decode().strip())
    write(lease_file.with_name("leases4.csv.2"), HEADER, format_row(lease(1)).decode().strip())
    write(lease_file.with_name("leases4.csv.1"), HEADER, format_row(lease(2)).decode().strip())
    write(lease_file, HEADER, format_row(lease(6)).decode().strip())
    db = opened(lease_file)
    assert sorted(x.address - BASE for x in db.all()) == [5, 6]
    db.close()


BAD_ROWS = (
    "192.0.2.9,02:00:00:00:00:09,01,4000,1800000000,1,0,0,,0,",  # one-byte client id
    "192.0.2.9,020000000009,,4000,1800000000,1,0,0,,0,",  # hwaddr without colons
    "192.0.2.9,,,4000,1800000000,1,0,0,,0,",  # no hwaddr, not declined
    "192.0.2.9,02:00:00:00:00:09,,4000,1800000000,1,2,0,,0,",  # boolean 2
    "010.0.2.9,02:00:00:00:00:09,,4000,1800000000,1,0,0,,0,",  # leading zero
    "192.0.2.9,02:00:00:00:00:09,,4000,1800000000,1,0,0,,0,[1]",  # context not a map
    "192.0.2.9,02:00:00:00:00:09,,4000,1800000000,1,0,0,short",  # too few values
    "192.0.2.9,02:00:00:00:00:09,,4k,1800000000,1,0,0,,0,",  # not a number
)


def test_malformed_rows_skipped_with_line_numbers(lease_file, caplog):
    write(lease_file, HEADER, format_row(lease(1)).decode().strip(), *BAD_ROWS, "",
          format_row(lease(2)).decode().strip())
    with caplog.at_level(logging.WARNING, logger="lessor.leases"):
        db = opened(lease_file)
    assert sorted(x.address - BASE for x in db.all()) == [1, 2]
    db.close()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == len(BAD_ROWS)
    for lineno, message in enumerate(warned, 3):
        assert f"line {lineno} skipped" in message
    assert "client_id '01'" in warned[0] and "fqdn_fwd '2'" in warned[3]


def test_max_row_errors(lease_file):
    write(lease_file, HEADER, *BAD_ROWS[:3])
    with pytest.raises(LeaseFileError, match=r"more than 2 malformed rows \(the last at line 4"):
        opened(lease_file, max_row_errors=2)
    assert not lease_file.with_name("leases4.csv.pid").exists()
    opened(lease_file, max_row_errors=3).close()


def test_bad_header_refused(lease_file):
    write(lease_file, "address,duid,valid_lifetime", "x")
    with pytest.raises(LeaseFileError, match="not a Kea DHCPv4 lease file header"):
        opened(lease_file)


def test_cut_short_last_row_is_not_glued_to_the_next(lease_file):
    lease_file.write_text(HEADER + "\n" + format_row(lease(1)).decode() + "192.0.2.2,02:00:00:00:")
    db = opened(lease_file)
    db.add(lease(3))
    db.close()
    assert rows(lease_file)[-1] == format_row(lease(3)).decode().strip()
    again = opened(lease_file)
    assert sorted(x.address - BASE for x in again.all()) == [1, 3]
    again.close()


def test_older_schema_is_read_and_converted(lease_file):
    old_header = ",".join(HEADER.split(",")[:9])
    write(lease_file, old_header, "192.0.2.1,02:00:00:00:00:01,,4000,1800004000,1,0,0,old&#x2chost")
    db = opened(lease_file)
    assert db.get(BASE + 1) == lease(1, hostname="old,host")
    db.add(lease(2))
    db.close()
    assert rows(lease_file)[0] == HEADER
    again = opened(lease_file)
    assert sorted(x.address - BASE for x in again.all()) == [1, 2]
    again.close()


# -- PID lock ----------------------------------------------------------------------------------------------------------
def test_second_server_refused(lease_file):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        lease_file.with_name("leases4.csv.pid").write_text(f"{sleeper.pid}\n")
        with pytest.raises(LeaseFileError, match=f"another server \\(PID {sleeper.pid}\\) uses {lease_file}"):
            opened(lease_file)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_second_process_refused(lease_file):
    db = opened(lease_file)
    pid_file = lease_file.with_name("leases4.csv.pid")
    assert pid_file.read_text() == f"{os.getpid()}\n"
    code = ("import sys\nfrom server.leases import Memfile4, LeaseFileError\n"
            "try:\n    Memfile4(sys.argv[1]).open()\nexcept LeaseFileError as e:\n    print(e); sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code, str(lease_file)], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), check=False)
    assert done.returncode == 3, done.stderr
    assert done.stdout.strip() == f"another server (PID {os.getpid()}) uses {lease_file}"
    db.close()
    assert not pid_file.exists()


def test_stale_pid_file_replaced(lease_file):
    dead = subprocess.Popen(["true"])
    dead.wait()
    pid_file = lease_file.with_name("leases4.csv.pid")
    pid_file.write_text(f"{dead.pid}\n")
    db = opened(lease_file)
    assert pid_file.read_text() == f"{os.getpid()}\n"
    db.close()
    pid_file.write_text("garbage")
    opened(lease_file).close()
    assert not pid_file.exists()


def test_reopen_in_the_same_process_keeps_the_lock(lease_file):
    old = opened(lease_file)
    new = opened(lease_file, lfc_interval=5)  # a reload opens the new database before closing the old one
    old.close()
    pid_file = lease_file.with_name("leases4.csv.pid")
    assert pid_file.read_text() == f"{os.getpid()}\n"
    new.close()
    assert not pid_file.exists()


# -- LFC -------------------------------------------------------------------------------------------------------------
def _churn(db: Memfile4, start: int, stop: int) -> None:
    for n in range(start, stop):
        address = (n % 250) + 1
        current = db.get(BASE + address)
        new = lease(address, cltt=CLTT + n, hostname=f"h{n}")
        if current is None:
            db.add(new)
        elif n % 7 == 0:
            db.delete(current)
        else:
            db.update(new)


def test_lfc_compacts_while_adds_continue(lease_file):
    db = opened(lease_file)
    _churn(db, 0, 2000)
    writer = threading.Thread(target=_churn, args=(db, 2000, 6000))
    writer.start()
    assert db.lfc() is True
    writer.join()
    previous = lease_file.with_name("leases4.csv.2")
    compacted = rows(previous)
    assert compacted[0] == HEADER
    addresses = [row.split(",")[0] for row in compacted[1:]]
    assert len(addresses) == len(set(addresses))  # one row per live lease
    assert all(row.split(",")[3] != "0" for row in compacted[1:])
    assert addresses == sorted(addresses, key=lambda a: tuple(int(x) for x in a.split(".")))
    for name in ("leases4.csv.1", "leases4.csv.completed", "leases4.csv.output"):
        assert not lease_file.with_name(name).exists()
    expected = sorted(db.all(), key=lambda x: x.address)
    db.close()
    again = opened(lease_file)
    assert sorted(again.all(), key=lambda x: x.address) == expected
    again.close()


def test_lfc_thread_on_interval(lease_file):
    db = opened(lease_file, lfc_interval=1)
    stop = time.monotonic() + 2.5
    n = 0
    while time.monotonic() < stop:
        _churn(db, n, n + 200)
        n += 200
        time.sleep(0.01)
    expected = sorted(db.all(), key=lambda x: x.address)
    db.close()
    assert lease_file.with_name("leases4.csv.2").exists()
    assert len(rows(lease_file)) < n  # the current file holds only what came after the last rotation
    again = opened(lease_file)
    assert sorted(again.all(), key=lambda x: x.address) == expected
    again.close()


def test_interrupted_lfc_is_finished(lease_file):
    write(lease_file.with_name("leases4.csv.2"), HEADER, format_row(lease(1)).decode().strip())
    write(lease_file.with_name("leases4.csv.1"), HEADER, format_row(lease(2)).decode().strip())
    write(lease_file, HEADER, format_row(lease(3)).decode().strip())
    db = opened(lease_file)
    assert db.lfc() is True  # .1 exists: compact .2 + .1 without rotating the current file
    assert rows(lease_file) == [HEADER, format_row(lease(3)).decode().strip()]
    assert rows(lease_file.with_name("leases4.csv.2"))[1:] == [format_row(lease(n)).decode().strip() for n in (1, 2)]
    db.close()

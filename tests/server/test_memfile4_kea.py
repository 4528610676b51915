"""Byte compatibility with Kea 2.2: kea-lfc (Kea's own CSVLeaseFile4 reader and writer) reads lessor's lease
file and writes its compacted form; lessor must read that back to the same leases, and write the same bytes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess

import pytest

from server.leases import Lease4, Memfile4
from server.leases.csv4 import HEADER, format_row, kea_json
from server.leases.memfile4 import read_lease_file

KEA_LFC = shutil.which("kea-lfc") or ("/usr/sbin/kea-lfc" if os.access("/usr/sbin/kea-lfc", os.X_OK) else None)
pytestmark = pytest.mark.skipif(KEA_LFC is None, reason="kea-lfc (Kea 2.2) is not installed")

BASE = 0xC0000200
CLTT = 1_800_000_000


def kea_compact(workdir, source) -> str:
    """Run Kea's LFC on `source` (as the copy file, no previous file); return the text of its result."""
    workdir.mkdir()
    shutil.copy(source, workdir / "k.1")
    env = dict(os.environ, KEA_LOCKFILE_DIR="none", KEA_PIDFILE_DIR=str(workdir))
    done = subprocess.run([KEA_LFC, "-4", "-x", str(workdir / "k.2"), "-i", str(workdir / "k.1"),
                           "-o", str(workdir / "k.output"), "-f", str(workdir / "k.completed"),
                           "-p", str(workdir / "k.pid"), "-c", "/dev/null"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return (workdir / "k.2").read_text()


def sample_leases() -> list[Lease4]:
    context = kea_json({"b": [1, 2.5, "x,y"], "a": {}, "c": True, "d": None, "n": -5, "f": -0.25, "u": "é&\n"})
    return [
        Lease4(BASE + 1, bytes.fromhex("020000000001"), None, 4000, CLTT, 1, hostname="a,b"),
        Lease4(BASE + 2, bytes.fromhex("020000000002"), b"\x01\x02\x00\x00\x00\x00\x02", 3600, CLTT + 5, 1,
               fqdn_fwd=True, fqdn_rev=True, hostname="host.example.org."),
        Lease4(BASE + 3, bytes.fromhex("020000000003"), b"\xff\x00", 7200, CLTT, 2, fqdn_fwd=True,
               hostname="x&y,,z&#x2c"),
        Lease4(BASE + 4, b"", None, 86400, CLTT, 2, state=1),  # declined: Kea clears the identifiers
        Lease4(BASE + 5, bytes.fromhex("020000000005"), None, 60, CLTT - 3600, 3, fqdn_rev=True, state=2),
        Lease4(BASE + 6, bytes(range(20)), bytes(range(128)), 0xFFFFFFFF, CLTT, 0xFFFFFFFF, user_context=context),
        Lease4(BASE + 7, bytes.fromhex("020000000007"), b"\x01\xaa", 4000, CLTT, 1, hostname="ünïcode,é"),
        Lease4(0xFFFFFFFE, bytes.fromhex("0a"), None, 1, 0, 1, user_context="{  }"),
        Lease4(0x0A000001, bytes.fromhex("020000000009"), None, 4000, CLTT, 1),
    ]


@pytest.fixture
def lessor_file(tmp_path):
    """A lease file written by Memfile4 with history: adds, updates and deletes."""
    path = tmp_path / "lessor" / "leases4.csv"
    path.parent.mkdir()
    db = Memfile4(str(path)).open()
    for lease in sample_leases():
        db.add(dataclasses.replace(lease, hostname="first,version", cltt=lease.cltt - 100) if lease.state == 0
               else lease)
    for lease in sample_leases():
        if lease.state == 0:
            db.update(lease)
    doomed = Lease4(BASE + 100, bytes.fromhex("020000000064"), b"\x01\x02", 4000, CLTT, 1, hostname="gone,soon")
    db.add(doomed)
    db.delete(doomed)
    expected = sorted(db.all(), key=lambda x: x.address)
    db.close()
    return path, expected


def test_kea_reads_lessor_file_and_lessor_reads_kea_output(tmp_path, lessor_file):
    path, expected = lessor_file
    assert expected == sorted(sample_leases(), key=lambda x: x.address)
    kea_text = kea_compact(tmp_path / "kea", path)
    loaded: dict[int, Lease4] = {}
    read_lease_file(str(tmp_path / "kea" / "k.2"), loaded)
    assert sorted(loaded.values(), key=lambda x: x.address) == expected
    # and a server started on Kea's file (as FILE.2) sees the same leases
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    shutil.copy(tmp_path / "kea" / "k.2", server_dir / "leases4.csv.2")
    db = Memfile4(str(server_dir / "leases4.csv")).open()
    assert sorted(db.all(), key=lambda x: x.address) == expected
    db.close()
    assert kea_text.splitlines()[0] == HEADER


def test_kea_rows_are_byte_identical_to_lessor_rows(tmp_path, lessor_file):
    path, expected = lessor_file
    kea_bytes = kea_compact(tmp_path / "kea", path).encode()
    assert kea_bytes == (HEADER + "\n").encode() + b"".join(format_row(x) for x in expected)
    rows = kea_bytes.decode().splitlines()
    assert "192.0.2.1,02:00:00:00:00:01,,4000,1800004000,1,0,0,a&#x2cb,0," in rows  # hostname with a comma
    assert "192.0.2.2,02:00:00:00:00:02,01:02:00:00:00:00:02,3600,1800003605,1,1,1,host.example.org.,0," in rows
    assert "192.0.2.4,,,86400,1800086400,2,0,0,,1," in rows  # declined
    assert "192.0.2.5,02:00:00:00:00:05,,60,1799996460,3,0,1,,2," in rows  # expired-reclaimed


def test_lessor_lfc_output_is_byte_identical_to_kea_lfc(tmp_path, lessor_file):
    path, _ = lessor_file
    kea_bytes = kea_compact(tmp_path / "kea", path).encode()
    db = Memfile4(str(path)).open()
    assert db.lfc() is True
    db.close()
    assert (path.parent / "leases4.csv.2").read_bytes() == kea_bytes


ODD_ROWS = (
    "192.0.2.10,02:00:00:00:00:0a,01,4000,1800000000,1,0,0,one-byte-client-id,0,",
    "192.0.2.11,2:0:0:0:0:b,01:AB:cd,4000,1800000000,1,1,0,short-hex&#x2c&#x26x&y&#xzz,0,",
    "192.0.2.12,020000000003,,4000,1800000000,1,0,0,hwaddr-without-colons,0,",
    "192.0.2.13,02:00:00:00:00:0d,0102,4000,1800000000,1,0,0,client-id-without-colons,0,",
    "192.0.2.14,,,4000,1800000000,1,0,0,no-hwaddr-not-declined,0,",
    "192.0.2.15,02:00:00:00:00:0f,,4000,3000,1,0,0,expire-before-valid,0,",
    "192.0.2.16,02:00:00:00:00:10,,4000,1800000000,1,0,0,state-9,9,",
    "192.0.2.17,02:00:00:00:00:11,,4000,1800000000,1,0,0,list-context,0,[1]",
    "192.0.2.18,02:00:00:00:00:12,,4000,1800000000,1,0,0,too-few",
    "192.0.2.19,02:00:00:00:00:13,,4000,1800000000,1,2,0,bool-2,0,",
    "010.0.2.20,02:00:00:00:00:14,,4000,1800000000,1,0,0,leading-zero,0,",
    "192.0.2.21," + ":".join(["00"] * 21) + ",,4000,1800000000,1,0,0,hwaddr-21-bytes,0,",
    "192.0.2.22," + ":".join(["00"] * 20) + ",,4000,1800000000,1,0,0,hwaddr-20-bytes,0,",
    '192.0.2.23,02:00:00:00:00:17,,4000,1800000000,1,0,0,ctx,0,{ "a": 1 }',
    "192.0.2.24,02:00:00:00:00:18,,4000,1800000000,1,0,0,ctx-bad,0,{",
    "192.0.2.25,02:00:00:00:00:19,,-1,1800000000,1,0,0,negative,0,",
    "192.0.2.26,02:00:00:00:00:1a,,4000,1800000000,1,0,0,extra,0,,",
    "192.0.2.29,02:00:00:00:00:1d," + ":".join(["01"] * 128) + ",4000,1800000000,1,0,0,client-id-128,0,",
    "192.0.2.30,02:00:00:00:00:1e," + ":".join(["01"] * 129) + ",4000,1800000000,1,0,0,client-id-129,0,",
    "192.0.2.31,02:00:00:00:00:1f,,4000,1800000000,1,0,0,float,0,{ \"f\": 1e+20.0 }",  # Kea writes, cannot read
    "192.0.2.32,02:00:00:00:00:20,,-4294967295,1800000000,+7,0,0,wrapped,0,",
    "192.0.2.28,02 00 00 00 00 1c,,4000,1800000000,1,0,0,hwaddr-spaces,0,",
)


def test_same_rows_accepted_and_rewritten_as_kea(tmp_path):
    """For odd rows, lessor keeps exactly the rows Kea keeps, and writes them back exactly as Kea does.

    Known deviation, not tested here: kea-lfc 2.2 also keeps a row whose address is IPv6; lessor skips it."""
    source = tmp_path / "odd.csv"
    source.write_text(HEADER + "\n" + "\n".join(ODD_ROWS) + "\n")
    kea_text = kea_compact(tmp_path / "kea", source)
    loaded: dict[int, Lease4] = {}
    read_lease_file(str(source), loaded)
    ours = HEADER + "\n" + "".join(format_row(x).decode() for x in sorted(loaded.values(), key=lambda x: x.address))
    assert ours == kea_text
    assert len(kea_text.splitlines()) > 5  # some rows survive, with their text normalised by both

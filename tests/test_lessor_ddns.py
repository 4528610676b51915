"""lessor ddns as a process against a real BIND9 named on loopback: adds and removes (v4, v6), DHCID
conflicts, conflict resolution off, every TSIG algorithm, wrong keys, a DNS server that is down, malformed
NCRs, a full queue, reloads; and the same NCRs given to real kea-dhcp-ddns leave the same DNS data."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forge.adapters.base import poll
from server.ddns import dhcid
from server.ddns.ncr import CHG_ADD, CHG_REMOVE, NameChangeRequest
from tests.named import ALGORITHMS, FORWARD, REVERSE4, REVERSE6, ZONES, Named, free_port, key_name, key_secret

pytestmark = pytest.mark.skipif(shutil.which("named") is None, reason="needs BIND9's named")
OUTCOME = re.compile(r"DHCP_DDNS_(ADD|REMOVE)_(SUCCEEDED|FAILED)")
MAC1, MAC2 = bytes.fromhex("000c01020304"), bytes.fromhex("000c09090909")


def ncr(fqdn: str, address: str, mac: bytes = MAC1, change: int = CHG_ADD, conflict: bool = True,
        forward: bool = True, reverse: bool = True, ttl: int = 1200) -> NameChangeRequest:
    return NameChangeRequest(change, forward, reverse, fqdn, address, dhcid.from_hwaddr(1, mac, fqdn),
                             int(time.time()) + 3600, ttl, conflict)


def d2_config(named_port: int, port: int, sock: str, log: str, key: str | None = "key-hmac-sha256.",
              timeout: int = 500, extra_forward: list | None = None, keys: list | None = None) -> dict:
    def domain(name, key_name_=key):
        out = {"name": name, "dns-servers": [{"ip-address": "127.0.0.1", "port": named_port}]}
        if key_name_:
            out["key-name"] = key_name_
        return out

    return {"DhcpDdns": {
        "ip-address": "127.0.0.1", "port": port, "dns-server-timeout": timeout,
        "control-socket": {"socket-type": "unix", "socket-name": sock},
        "tsig-keys": keys if keys is not None else [
            {"name": key_name(a), "algorithm": a, "secret": key_secret(key_name(a))} for a in ALGORITHMS],
        "forward-ddns": {"ddns-domains": [domain(FORWARD)] + (extra_forward or [])},
        "reverse-ddns": {"ddns-domains": [domain(REVERSE4), domain(REVERSE6, "key-hmac-md5.")]},
        "loggers": [{"name": "kea-dhcp-ddns", "severity": "DEBUG", "debuglevel": 99,
                     "output_options": [{"output": log}]}],
    }}


class D2:
    """A DHCP-DDNS daemon process (lessor's or Kea's), its control socket and its log."""

    def __init__(self, workdir: Path, named: Named, kea: bool = False, **config):
        workdir.mkdir(parents=True, exist_ok=True)
        self.dir = workdir
        self.port = free_port()
        self.sock = str(workdir / "d2.sock")
        self.log = workdir / "d2.log"
        self.config_path = workdir / "d2.json"
        self.config = d2_config(named.port, self.port, self.sock, str(self.log), **config)
        self.config_path.write_text(json.dumps(self.config, indent=1))
        if kea:
            argv = ["kea-dhcp-ddns", "-c", str(self.config_path)]
            env = {**os.environ, "KEA_PIDFILE_DIR": str(workdir), "KEA_LOCKFILE_DIR": str(workdir)}
        else:
            argv = [sys.executable, "-m", "server.cli", "ddns", "-c", str(self.config_path)]
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        self.process = subprocess.Popen(argv, env=env, stdout=open(workdir / "stdout.txt", "w"),
                                        stderr=subprocess.STDOUT)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        ready = poll(lambda: self.process.poll() is not None or self._status_ok(), 15)
        assert ready and self.process.poll() is None, f"D2 did not start: {self.output()}"

    def _status_ok(self) -> bool:
        try:
            return self.command("status-get")["result"] == 0
        except OSError:
            return False

    def command(self, name: str, arguments: dict | None = None) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(self.sock)
            request = {"command": name, **({"arguments": arguments} if arguments is not None else {})}
            s.sendall(json.dumps(request).encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
                try:
                    return json.loads(data)
                except ValueError:
                    continue
        return json.loads(data)

    def stat(self, name: str) -> int:
        return self.command("statistic-get", {"name": name})["arguments"][name][0][0]

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def output(self) -> str:
        return self.text()[-3000:] + (self.dir / "stdout.txt").read_text()[-2000:]

    def outcomes(self) -> int:
        return len(OUTCOME.findall(self.text()))

    def send(self, request: NameChangeRequest | bytes) -> None:
        data = request if isinstance(request, bytes) else request.encode()
        self.udp.sendto(data, ("127.0.0.1", self.port))

    def apply(self, request: NameChangeRequest) -> str:
        """Send one NCR and wait for its outcome line; returns the log text that came with it."""
        before_len, before = len(self.text()), self.outcomes()
        self.send(request)
        assert poll(lambda: self.outcomes() > before, 15), f"no outcome for {request.describe()}: {self.output()}"
        return self.text()[before_len:]

    def stop(self) -> None:
        self.udp.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    server = Named(tmp_path_factory.mktemp("named"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def d2(named, tmp_path):
    daemons = []

    def start(**config) -> D2:
        daemons.append(D2(tmp_path / f"d2-{len(daemons)}", named, **config))
        return daemons[-1]

    yield start
    for daemon in daemons:
        daemon.stop()


def rev4(last: int) -> str:
    return f"{last}.{REVERSE4}"


def test_add_v4_then_remove(named, d2):
    daemon = d2()
    fqdn = "v4host.example.com."
    log = daemon.apply(ncr(fqdn, "192.0.2.21"))
    assert "DHCP_DDNS_ADD_SUCCEEDED" in log
    assert named.query(fqdn, "A") == {"192.0.2.21"}
    assert named.query(fqdn, "DHCID") == {dns_dhcid(fqdn, MAC1)}
    assert named.ttl(fqdn, "A") == 1200
    assert named.query(rev4(21), "PTR") == {fqdn}
    assert named.query(rev4(21), "DHCID") == {dns_dhcid(fqdn, MAC1)}
    log = daemon.apply(ncr(fqdn, "192.0.2.21", change=CHG_REMOVE))
    assert "DHCP_DDNS_REMOVE_SUCCEEDED" in log
    assert named.query(fqdn, "A") == set() and named.query(fqdn, "DHCID") == set()
    assert named.query(rev4(21), "PTR") == set() and named.query(rev4(21), "DHCID") == set()
    assert daemon.stat("update-success") == 5 and daemon.stat("update-signed") == 5
    assert daemon.stat("key[key-hmac-sha256.].update-sent") == 5
    assert daemon.stat("key[key-hmac-md5.].update-sent") == 0  # the v6 reverse zone's key


def dns_dhcid(fqdn: str, mac: bytes) -> str:
    import base64

    raw = base64.b64encode(dhcid.from_hwaddr(1, mac, fqdn)).decode()
    return f"{raw[:32]} {raw[32:]}"  # named's presentation form splits at 32 characters


def test_add_v6_with_reverse_signed_by_another_key(named, d2):
    daemon = d2()
    fqdn = "v6host.example.com."
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr(fqdn, "2001:db8:1::21"))
    assert named.query(fqdn, "AAAA") == {"2001:db8:1::21"}
    assert named.query(fqdn, "DHCID") == {dns_dhcid(fqdn, MAC1)}
    rev = "1.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
    assert named.query(rev, "PTR") == {fqdn}
    assert daemon.stat("key[key-hmac-md5.].update-success") == 1


def test_conflict_keeps_the_first_clients_records(named, d2):
    daemon = d2()
    fqdn = "taken.example.com."
    daemon.apply(ncr(fqdn, "192.0.2.31", MAC1))
    log = daemon.apply(ncr(fqdn, "192.0.2.32", MAC2))
    assert "DHCP_DDNS_FORWARD_REPLACE_REJECTED" in log and "with an RCODE: 8 (NXRRSET)" in log
    assert "DHCP_DDNS_ADD_FAILED" in log
    assert named.query(fqdn, "A") == {"192.0.2.31"}
    assert named.query(fqdn, "DHCID") == {dns_dhcid(fqdn, MAC1)}
    assert named.query(rev4(32), "PTR") == set()  # the reverse is not touched after a forward failure
    # The second client's removal does not take the first one's address away (YXRRSET: addresses remain).
    log = daemon.apply(ncr(fqdn, "192.0.2.31", MAC2, change=CHG_REMOVE))
    assert "DHCP_DDNS_FORWARD_REMOVE_RRS_REJECTED" in log and "with an RCODE: 7 (YXRRSET)" in log
    assert named.query(fqdn, "A") == {"192.0.2.31"}
    assert named.query(rev4(31), "PTR") == {fqdn}


def test_same_client_re_add_moves_the_address(named, d2):
    daemon = d2()
    fqdn = "mover.example.com."
    daemon.apply(ncr(fqdn, "192.0.2.41"))
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr(fqdn, "192.0.2.42", ttl=900))
    assert named.query(fqdn, "A") == {"192.0.2.42"}
    assert named.ttl(fqdn, "A") == 900
    assert named.query(rev4(42), "PTR") == {fqdn}
    assert named.query(rev4(41), "PTR") == {fqdn}  # D2 only touches the new address's reverse name


def test_conflict_resolution_off_overwrites(named, d2):
    daemon = d2()
    fqdn = "shared.example.com."
    daemon.apply(ncr(fqdn, "192.0.2.51", MAC1))
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr(fqdn, "192.0.2.52", MAC2, conflict=False))
    assert named.query(fqdn, "A") == {"192.0.2.52"}
    assert named.query(fqdn, "DHCID") == {dns_dhcid(fqdn, MAC2)}
    daemon.apply(ncr(fqdn, "192.0.2.52", MAC1, change=CHG_REMOVE, conflict=False))
    assert named.query(fqdn, "A") == set() and named.query(fqdn, "DHCID") == set()
    assert named.query(rev4(52), "PTR") == set()


def test_every_tsig_algorithm(named, d2):
    daemon = d2()
    for algorithm in ALGORITHMS:
        cfg = json.loads(json.dumps(daemon.config))
        cfg["DhcpDdns"]["forward-ddns"]["ddns-domains"][0]["key-name"] = key_name(algorithm)
        assert daemon.command("config-set", cfg)["result"] == 0
        fqdn = f"{algorithm.lower()}.example.com."
        assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr(fqdn, "192.0.2.60", reverse=False)), algorithm
        assert named.query(fqdn, "A") == {"192.0.2.60"}
        assert daemon.stat(f"key[{key_name(algorithm)}].update-success") == 1


def test_wrong_secret_unknown_key_and_unsigned_are_logged_with_rcodes(named, d2):
    keys = [{"name": "key-hmac-sha256.", "algorithm": "HMAC-SHA256", "secret": key_secret("wrong")},
            {"name": "nokey.", "algorithm": "HMAC-SHA256", "secret": key_secret("nokey.")},
            {"name": "key-hmac-md5.", "algorithm": "HMAC-MD5", "secret": key_secret("key-hmac-md5.")}]
    daemon = d2(keys=keys)
    log = daemon.apply(ncr("badsig.example.com.", "192.0.2.70", reverse=False))
    assert "DHCP_DDNS_FORWARD_ADD_RESP_CORRUPT" in log and "rcode NOTAUTH, TSIG error BADSIG" in log
    assert "DHCP_DDNS_ADD_FAILED" in log
    assert daemon.stat("update-error") == 3 and daemon.stat("key[key-hmac-sha256.].update-error") == 3
    cfg = json.loads(json.dumps(daemon.config))
    cfg["DhcpDdns"]["forward-ddns"]["ddns-domains"][0]["key-name"] = "nokey."
    assert daemon.command("config-set", cfg)["result"] == 0
    log = daemon.apply(ncr("badkey.example.com.", "192.0.2.71", reverse=False))
    assert "rcode NOTAUTH, TSIG error BADKEY" in log
    del cfg["DhcpDdns"]["forward-ddns"]["ddns-domains"][0]["key-name"]
    assert daemon.command("config-set", cfg)["result"] == 0
    log = daemon.apply(ncr("unsigned.example.com.", "192.0.2.72", reverse=False))
    assert "DHCP_DDNS_FORWARD_ADD_REJECTED" in log and "with an RCODE: 5 (REFUSED)" in log
    assert daemon.stat("update-unsigned") == 1
    for name in ("badsig", "badkey", "unsigned"):
        assert named.query(f"{name}.example.com.", "A") == set()


def test_dns_server_down_counts_timeouts_and_keeps_working(named, d2):
    dead = {"name": "example.org.", "dns-servers": [{"ip-address": "127.0.0.1", "port": free_port()}]}
    daemon = d2(timeout=100, extra_forward=[dead])
    log = daemon.apply(ncr("h.example.org.", "192.0.2.80", reverse=False))
    assert log.count("DHCP_DDNS_FORWARD_ADD_IO_ERROR") == 3 and "NO_MORE_SERVERS_EVT" in log
    assert daemon.stat("update-timeout") == 3 and daemon.stat("update-unsigned") == 3
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr("after-outage.example.com.", "192.0.2.81"))
    assert named.query("after-outage.example.com.", "A") == {"192.0.2.81"}


def test_malformed_and_unmatched_ncrs(named, d2):
    daemon = d2()
    daemon.send(b"\x00\x05hello")
    body = json.dumps({"change-type": 0}).encode()
    daemon.send(len(body).to_bytes(2, "big") + body)
    assert poll(lambda: daemon.stat("ncr-invalid") == 2, 5)
    assert "DHCP_DDNS_INVALID_NCR" in daemon.text() and "NCR has no 'forward-change'" in daemon.text()
    daemon.send(ncr("h.example.net.", "192.0.2.90"))
    assert poll(lambda: "DHCP_DDNS_NO_FWD_MATCH_ERROR" in daemon.text(), 5)
    assert daemon.stat("ncr-received") == 1 and daemon.stat("update-sent") == 0
    # Still working.
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr("fine.example.com.", "192.0.2.91"))


def test_full_queue_refuses_with_a_log_line(named, d2):
    dead = {"name": "example.org.", "dns-servers": [{"ip-address": "127.0.0.1", "port": free_port()}]}
    daemon = d2(timeout=500, extra_forward=[dead])
    sent = 0
    while "DHCP_DDNS_QUEUE_MGR_QUEUE_FULL" not in daemon.text() and sent < 1400:
        for _ in range(100):
            daemon.send(ncr(f"q{sent}.example.org.", "192.0.2.99", reverse=False))
            sent += 1
        assert poll(lambda n=sent: daemon.stat("ncr-received") == n, 10), daemon.output()
    assert "DHCP_DDNS_QUEUE_MGR_QUEUE_FULL" in daemon.text()
    assert "maximum number of entries 1024" in daemon.text()
    refused = daemon.stat("ncr-error")
    assert refused >= 1 and sent - refused >= 1024
    assert daemon.command("status-get")["result"] == 0


def test_sighup_with_a_bad_file_keeps_the_running_configuration(named, d2):
    daemon = d2()
    good = daemon.config_path.read_text()
    daemon.config_path.write_text('{"DhcpDdns": {"max-queue-size": 10}}')
    daemon.process.send_signal(signal.SIGHUP)
    assert poll(lambda: "DHCP_DDNS_CONFIG_FAIL" in daemon.text(), 5)
    assert "/DhcpDdns/max-queue-size: unknown parameter" in daemon.text()
    assert "DHCP_DDNS_ADD_SUCCEEDED" in daemon.apply(ncr("reloaded.example.com.", "192.0.2.100"))
    daemon.config_path.write_text(good)
    assert daemon.command("config-reload")["result"] == 0
    assert daemon.command("status-get")["arguments"]["reload"] == 1
    assert daemon.command("config-test", {"DhcpDdns": {"port": 0}})["result"] == 1
    assert daemon.command("config-get")["arguments"]["DhcpDdns"]["port"] == daemon.port


def test_check_mode_and_version():
    run = [sys.executable, "-m", "server.cli", "ddns"]
    assert subprocess.run(run + ["-V"], capture_output=True, text=True, check=False).stdout.strip()
    bad = subprocess.run(run + ["-t", "/nonexistent.json"], capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "cannot read" in bad.stderr


SEQUENCE = [
    ncr("a.example.com.", "192.0.2.110"),
    ncr("b.example.com.", "2001:db8:1::110"),
    ncr("a.example.com.", "192.0.2.111"),  # same client moves
    ncr("a.example.com.", "192.0.2.112", MAC2),  # conflict
    ncr("c.example.com.", "192.0.2.113", conflict=False),
    ncr("c.example.com.", "192.0.2.114", MAC2, conflict=False),  # overwritten without checks
    ncr("b.example.com.", "2001:db8:1::110", change=CHG_REMOVE),
    ncr("d.example.com.", "192.0.2.115"),
    ncr("d.example.com.", "192.0.2.115", MAC2, change=CHG_REMOVE),  # not the owner
    ncr("a.example.com.", "192.0.2.111", change=CHG_REMOVE),
]


@pytest.mark.skipif(shutil.which("kea-dhcp-ddns") is None, reason="needs kea-dhcp-ddns")
def test_same_dns_data_as_kea_dhcp_ddns(tmp_path):
    servers, daemons = [], []
    try:
        for kea in (False, True):
            server = Named(tmp_path / f"named-{'kea' if kea else 'lessor'}")
            server.start()
            servers.append(server)
            daemons.append(D2(tmp_path / f"d2-{'kea' if kea else 'lessor'}", server, kea=kea))
        for request in SEQUENCE:
            for daemon in daemons:
                daemon.apply(request)
        lessor_data, kea_data = ({line for z in ZONES for line in s.zone_dump(z)} for s in servers)
        assert lessor_data == kea_data
        assert "a.example.com. 1200 A 192.0.2.111" not in lessor_data
        assert "d.example.com. 1200 A 192.0.2.115" in lessor_data
        assert "115.2.0.192.in-addr.arpa. 1200 PTR d.example.com." in lessor_data
        assert "c.example.com. 1200 A 192.0.2.114" in lessor_data
        assert [daemon.stat("update-sent") for daemon in daemons][0] == daemons[1].stat("update-sent")
    finally:
        for daemon in daemons:
            daemon.stop()
        for server in servers:
            server.stop()

"""A real BIND9 named for tests: loopback only, a free high port, the example zones, one TSIG key per
algorithm, every zone open to updates signed with any of them. Its update log shows what was applied."""

from __future__ import annotations

import base64
import hashlib
import socket
import subprocess
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rdatatype

FORWARD = "example.com."
REVERSE4 = "2.0.192.in-addr.arpa."
REVERSE6 = "1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
ZONES = (FORWARD, REVERSE4, REVERSE6)
ALGORITHMS = ("HMAC-MD5", "HMAC-SHA1", "HMAC-SHA224", "HMAC-SHA256", "HMAC-SHA384", "HMAC-SHA512")


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (named listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            try:
                t.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def key_secret(name: str) -> str:
    """A fixed base64 secret per key name, so Kea and lessor configs agree."""
    return base64.b64encode(hashlib.sha256(name.encode()).digest()).decode()


def key_name(algorithm: str) -> str:
    return f"key-{algorithm.lower()}."


class Named:
    def __init__(self, directory: Path, port: int | None = None):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.keys = {key_name(a): (a, key_secret(key_name(a))) for a in ALGORITHMS}
        self.process: subprocess.Popen | None = None
        self.log = self.dir / "named.log"

    def conf(self) -> str:
        keys = "".join(f'key "{n}" {{ algorithm {a.lower()}; secret "{s}"; }};\n' for n, (a, s) in self.keys.items())
        allowed = " ".join(f'key "{n}";' for n in self.keys)
        zones = "".join(f'zone "{z}" {{ type primary; file "{self.dir}/{z}zone"; allow-update {{ {allowed} }}; }};\n'
                        for z in ZONES)
        return (f'options {{ directory "{self.dir}"; pid-file "{self.dir}/named.pid"; listen-on port {self.port} '
                f'{{ 127.0.0.1; }}; listen-on-v6 {{ none; }}; recursion no; dnssec-validation no; '
                f'notify no; session-keyfile none; managed-keys-directory "{self.dir}"; }};\n'
                f'controls {{ }};\n'
                f'logging {{ channel upd {{ file "{self.dir}/update.log"; print-time yes; severity info; }}; '
                f'category update {{ upd; }}; category update-security {{ upd; }}; }};\n'
                + keys + zones)

    def start(self) -> None:
        for zone in ZONES:
            (self.dir / f"{zone}zone").write_text(
                f"$TTL 3600\n@ IN SOA ns.{FORWARD} admin.{FORWARD} 1 3600 600 86400 60\n@ IN NS ns.{FORWARD}\n"
                + ("ns IN A 127.0.0.1\n" if zone == FORWARD else ""))
            for journal in self.dir.glob(f"{zone}zone.jnl"):
                journal.unlink()
        (self.dir / "named.conf").write_text(self.conf())
        check = subprocess.run(["named-checkconf", str(self.dir / "named.conf")], capture_output=True, text=True,
                               check=False)
        if check.returncode:
            raise RuntimeError(f"named.conf rejected: {check.stdout}{check.stderr}")
        self.process = subprocess.Popen(["named", "-g", "-n", "1", "-c", str(self.dir / "named.conf"),
                                         "-p", str(self.port)],
                                        stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"named exited: {self.log.read_text()[-2000:]}")
            try:
                if self.query(FORWARD, "SOA"):
                    return
            except (OSError, dns.exception.DNSException):
                time.sleep(0.05)
        raise RuntimeError(f"named did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def query(self, name: str, rdtype: str) -> set[str]:
        """The records of one type at a name, as text ('' set when none)."""
        reply = dns.query.udp(dns.message.make_query(name, rdtype), "127.0.0.1", port=self.port, timeout=1)
        kind = dns.rdatatype.from_text(rdtype)
        return {rd.to_text() for rrset in reply.answer if rrset.rdtype == kind for rd in rrset}

    def ttl(self, name: str, rdtype: str) -> int | None:
        reply = dns.query.udp(dns.message.make_query(name, rdtype), "127.0.0.1", port=self.port, timeout=1)
        return next((r.ttl for r in reply.answer if r.rdtype == dns.rdatatype.from_text(rdtype)), None)

    def zone_dump(self, zone: str) -> set[str]:
        """Every record of a zone by AXFR, SOA left out (its serial moves with each update)."""
        import dns.zone

        xfr = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", zone, port=self.port, timeout=2, relativize=False),
                                relativize=False)
        return {f"{name} {rdataset.ttl} {dns.rdatatype.to_text(rdataset.rdtype)} {rd.to_text()}"
                for name, rdataset in xfr.iterate_rdatasets() if rdataset.rdtype != dns.rdatatype.SOA
                for rd in rdataset}

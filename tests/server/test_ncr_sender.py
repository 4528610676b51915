"""The NameChangeRequest sender: real UDP sockets on 127.0.0.1; an unreachable daemon or a full queue never
blocks or raises, and is logged once per outage."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from server.config.model import DhcpDdns
from server.ddns import ncr
from server.ddns.sender import NcrSender, sender_for
from server.stats import Stats

LOG = logging.getLogger("lessor.test-ncr")


def request(n: int = 0) -> ncr.NameChangeRequest:
    return ncr.NameChangeRequest(ncr.CHG_ADD, True, True, f"host{n}.example.com.", "192.0.2.10",
                                 bytes.fromhex("000101") + bytes(32), 1_700_000_000, 600)


@pytest.fixture
def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    yield sock
    sock.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sends_keas_wire_form_from_the_sender_address(listener):
    port = listener.getsockname()[1]
    sender_port = free_port()
    stats = Stats()
    sender = NcrSender(DhcpDdns(True, "127.0.0.1", port, "127.0.0.1", sender_port), stats, LOG)
    try:
        sender.send(request(1))
        data, src = listener.recvfrom(4096)
    finally:
        sender.close()
    assert src == ("127.0.0.1", sender_port)
    assert ncr.decode(data) == request(1)
    assert stats.get("ncr-sent") == 1


def test_unreachable_daemon_is_logged_once_and_recovery_too(caplog):
    port = free_port()  # nothing listens there
    stats = Stats()
    sender = NcrSender(DhcpDdns(True, "127.0.0.1", port), stats, LOG)
    try:
        with caplog.at_level(logging.INFO, logger=LOG.name):
            started = time.monotonic()
            for i in range(50):
                sender.send(request(i))
                time.sleep(0.001)  # let the ICMP port unreachable come back
            assert time.monotonic() - started < 2  # never blocks
            failures = [r for r in caplog.records if "DDNS_REQUEST_SEND_FAILED" in r.getMessage()]
            assert len(failures) == 1 and "ICMP port unreachable" in failures[0].getMessage()
            assert stats.get("ncr-dropped") >= 10
            # the daemon comes up: the next requests reach it and recovery is logged once
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as d2:
                d2.bind(("127.0.0.1", port))
                d2.settimeout(2)
                received = []
                for i in range(3):
                    sender.send(request(100 + i))
                    received.append(ncr.decode(d2.recv(4096)).fqdn)
            assert "host102.example.com." in received
            assert sum("DDNS_SENDER_RECOVERED" in r.getMessage() for r in caplog.records) == 1
    finally:
        sender.close()


def test_full_queue_drops_and_logs_once_then_flushes(caplog):
    """A socket that would block (a Unix datagram pair whose reader is slow: loopback UDP never blocks) fills
    the queue; beyond max-queue-size requests are dropped, and flush() sends the rest later in order."""
    stats = Stats()
    sender = NcrSender(DhcpDdns(True, "127.0.0.1", free_port(), max_queue_size=3), stats, LOG)
    sender.sock.close()
    sender.sock, reader = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    sender.sock.setblocking(False)
    try:
        with caplog.at_level(logging.ERROR, logger=LOG.name):
            sent = 0
            while stats.get("ncr-dropped") < 5:
                sender.send(request(sent))
                sent += 1
                assert sent < 100_000, "the socket never blocked"
        assert sender.pending == 3
        assert stats.get("ncr-sent") + stats.get("ncr-dropped") + sender.pending == sent
        assert sum("queue is full" in r.getMessage() for r in caplog.records) == 1
        reader.settimeout(2)
        got = [ncr.decode(reader.recv(4096)) for _ in range(stats.get("ncr-sent"))]
        sender.flush()
        assert sender.pending == 0
        queued = [ncr.decode(reader.recv(4096)).fqdn for _ in range(3)]
        assert queued == [f"host{len(got) + i}.example.com." for i in range(3)]
    finally:
        sender.close()
        reader.close()


def test_sender_for_reuses_reopens_and_stops():
    stats = Stats()
    on = DhcpDdns(True, "127.0.0.1", free_port())
    first = sender_for(None, on, stats, LOG, "DHCP4")
    assert first is not None
    assert sender_for(first, on, stats, LOG, "DHCP4") is first
    second = sender_for(first, DhcpDdns(True, "127.0.0.1", free_port()), stats, LOG, "DHCP4")
    assert second is not first and first.sock.fileno() == -1
    assert sender_for(second, DhcpDdns(), stats, LOG, "DHCP4") is None and second.sock.fileno() == -1


def test_sender_that_cannot_bind_is_reported_not_raised(caplog):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with caplog.at_level(logging.ERROR, logger=LOG.name):
            got = sender_for(None, DhcpDdns(True, "127.0.0.1", 53001, "127.0.0.1", port), Stats(), LOG, "DHCP4")
    assert got is None
    assert any("DDNS_SENDER_START_FAILED" in r.getMessage() for r in caplog.records)

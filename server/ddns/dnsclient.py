"""Send one DNS UPDATE over UDP, TSIG-signed when the server has a key, and wait for its answer.

The outcome is what Kea's DNSClient reports: SUCCESS (a well-formed reply, whatever its rcode), TIMEOUT,
INVALID_RESPONSE (a reply that does not parse or whose TSIG does not verify, e.g. BADSIG/BADKEY) or
IO_ERROR (the send itself failed). Statistics use Kea D2's names, per key too (key[NAME].update-sent...).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.tsig

from server.ddns.config import DnsServer, TsigKey

SUCCESS, TIMEOUT, INVALID_RESPONSE, IO_ERROR = "SUCCESS", "TIMEOUT", "INVALID_RESPONSE", "IO_ERROR"
# Algorithm names as Kea puts them on the wire (lower case; dnspython's own HMAC-MD5 name is upper case).
TSIG_ALGORITHMS = {a: dns.name.from_text(str(n).lower()) for a, n in (
    ("HMAC-MD5", dns.tsig.HMAC_MD5), ("HMAC-SHA1", dns.tsig.HMAC_SHA1), ("HMAC-SHA224", dns.tsig.HMAC_SHA224),
    ("HMAC-SHA256", dns.tsig.HMAC_SHA256), ("HMAC-SHA384", dns.tsig.HMAC_SHA384),
    ("HMAC-SHA512", dns.tsig.HMAC_SHA512))}
KEY_STATS = ("update-sent", "update-success", "update-timeout", "update-error")


@dataclass(frozen=True)
class Result:
    status: str
    rcode: int | None = None
    detail: str = ""

    @property
    def rcode_text(self) -> str:
        return dns.rcode.to_text(self.rcode) if self.rcode is not None else "none"


def tsig_key(key: TsigKey) -> dns.tsig.Key:
    return dns.tsig.Key(key.name, key.secret, TSIG_ALGORITHMS[key.algorithm])


class DnsClient:
    def __init__(self, timeout_ms: int, count: Callable[[str], None]):
        self.timeout = timeout_ms / 1000.0
        self.count = count

    def _count(self, stat: str, key: TsigKey | None) -> None:
        self.count(stat)
        if key is not None:
            self.count(f"key[{key.name}].{stat}")

    def send(self, message: dns.message.Message, server: DnsServer) -> Result:
        key = server.key
        if key is not None:
            message.use_tsig(tsig_key(key))
        try:
            wire = message.to_wire()
        except dns.exception.DNSException as exc:
            return Result(IO_ERROR, detail=f"cannot build the update: {exc}")
        self._count("update-sent", key)
        self.count("update-signed" if key is not None else "update-unsigned")
        result = self._exchange(message, wire, server)
        stat = {SUCCESS: "update-success", TIMEOUT: "update-timeout"}.get(result.status, "update-error")
        self._count(stat, key)
        return result

    def _exchange(self, message: dns.message.Message, wire: bytes, server: DnsServer) -> Result:
        family = socket.AF_INET6 if ipaddress.ip_address(server.ip_address).version == 6 else socket.AF_INET
        destination = (server.ip_address, server.port)
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            try:
                sock.sendto(wire, destination)
            except OSError as exc:
                return Result(IO_ERROR, detail=f"send failed: {exc.strerror or exc}")
            deadline = time.monotonic() + self.timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return Result(TIMEOUT, detail=f"no answer within {int(self.timeout * 1000)} ms")
                sock.settimeout(remaining)
                try:
                    data, source = sock.recvfrom(65535)
                except TimeoutError:
                    continue
                except OSError as exc:  # e.g. ICMP port unreachable on some stacks: wait out the timeout
                    time.sleep(max(0.0, min(remaining, 0.01)))
                    if isinstance(exc, ConnectionRefusedError):
                        continue
                    return Result(IO_ERROR, detail=f"receive failed: {exc.strerror or exc}")
                if (ipaddress.ip_address(source[0]), source[1]) != (ipaddress.ip_address(server.ip_address),
                                                                    server.port):
                    continue
                if len(data) < 2 or int.from_bytes(data[:2], "big") != message.id:
                    continue
                return self._parse(message, data)

    @staticmethod
    def _parse(message: dns.message.Message, data: bytes) -> Result:
        try:
            reply = dns.message.from_wire(data, keyring=message.keyring, request_mac=message.mac)
        except (dns.exception.DNSException, ValueError) as exc:
            return Result(INVALID_RESPONSE, detail=_unverified(data, exc))
        if not reply.flags & dns.flags.QR or reply.opcode() != dns.opcode.UPDATE:
            return Result(INVALID_RESPONSE, reply.rcode(), "the reply is not an UPDATE response")
        if message.had_tsig and not reply.had_tsig:
            return Result(INVALID_RESPONSE, reply.rcode(), "the reply to a signed update is unsigned")
        return Result(SUCCESS, reply.rcode())


def _unverified(data: bytes, exc: Exception) -> str:
    """Why a reply was refused, with its rcode and TSIG error read without verifying it."""
    why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    try:
        raw = dns.message.from_wire(data, keyring=False)
    except (dns.exception.DNSException, ValueError):
        return why
    text = f"rcode {dns.rcode.to_text(raw.rcode())}"
    if raw.had_tsig and raw.tsig_error:
        text += f", TSIG error {dns.rcode.to_text(raw.tsig_error, tsig=True)}"
    return f"{text} ({why})"

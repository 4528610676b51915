"""The state of one running scenario, handed to steps through the `scenario` fixture."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from forge.adapters import SutAdapter
from forge.adapters.daemon import Daemon
from forge.clients import Client4, Client6
from forge.dnsmodel import DnsModel
from forge.lab import Lab
from forge.model import ServerModel
from forge.packets import v4, v6
from forge.packets.wire import Wire

RESPONSE_TIMEOUT = float(os.environ.get("FORGE_RESPONSE_TIMEOUT", "3.0"))
# How long silence must last before "the server does not respond" holds.
SILENCE = float(os.environ.get("FORGE_SILENCE", "1.0"))


class CheckFailed(AssertionError):
    """A Then step found something other than what the feature expects."""


@dataclass
class Exchange:
    """One message sent, and what came back for it."""

    version: int
    sent: v4.Message4 | v6.Message6
    position: int
    sent_at: float
    responses: list | None = None


@dataclass
class Scenario:
    lab: Lab
    adapter: SutAdapter
    wire: Wire
    artifacts: Path
    sut: str
    model: ServerModel | None = None
    client4: Client4 = field(default_factory=Client4)
    client6: Client6 = field(default_factory=Client6)
    exchanges: list[Exchange] = field(default_factory=list)
    saved: dict[str, object] = field(default_factory=dict)
    trace: list[str] = field(default_factory=list)
    #: The DNS side (zones, TSIG keys, which DHCP-DDNS daemon); None until a DNS step sets it up.
    dns: DnsModel | None = None
    #: Helper processes beside the SUT, by role ("dns", "d2"): stopped and collected at teardown.
    daemons: dict[str, Daemon] = field(default_factory=dict)

    # -- configuration -------------------------------------------------
    def model_for(self, version: int) -> ServerModel:
        if self.model is None or self.model.version != version:
            if self.model is not None and self.model.subnets:
                raise ValueError(f"the scenario already configures a DHCPv{self.model.version} server")
            self.model = ServerModel(version=version)
        return self.model

    def dns_model(self) -> DnsModel:
        if self.dns is None:
            self.dns = DnsModel()
        return self.dns

    def require_model(self) -> ServerModel:
        if self.model is None:
            raise ValueError("no server configuration yet: add a subnet first")
        return self.model

    # -- sending -------------------------------------------------------
    def frame4(self, msg: v4.Message4):
        """The frame for a DHCPv4 message in this lab (steps may alter it before sending)."""
        t, s = self.lab.tester, self.lab.sut
        return v4.build(msg, client_mac=msg.chaddr, relay_mac=t.mac, server_mac=s.mac, server_ip=str(s.ipv4.ip))

    def send4(self, msg: v4.Message4) -> Exchange:
        return self._send(4, msg, self.frame4(msg))

    def send6(self, msg: v6.Message6) -> Exchange:
        t, s = self.lab.tester, self.lab.sut
        relay_ip = str(t.relay.ipv6.ip) if t.relay else str(t.ipv6.ip)
        frame = v6.build(msg, client_mac=t.mac, client_ll=str(t.link_local), relay_ip=relay_ip, server_mac=s.mac,
                         server_ip=str(s.ipv6.ip))
        return self._send(6, msg, frame)

    def send_frame(self, version: int, frame, note: str) -> Exchange:
        """Send a hand-made (possibly malformed) frame."""
        return self._send(version, note, frame)

    def _send(self, version: int, msg, frame) -> Exchange:
        position = self.wire.send(frame)
        exchange = Exchange(version, msg, position, time.monotonic())
        self.exchanges.append(exchange)
        return exchange

    # -- receiving -----------------------------------------------------
    def _matcher(self, exchange: Exchange):
        msg = exchange.sent
        if exchange.version == 4:
            xid = getattr(msg, "xid", None)

            def match4(frame):
                resp = v4.read(frame)
                if resp is None or (xid is not None and resp.xid != xid):
                    return None
                return resp

            return match4
        trid = getattr(msg, "trid", None)

        def match6(frame):
            resp = v6.read(frame)
            if resp is None or (trid is not None and resp.trid != trid):
                return None
            return resp

        return match6

    def responses(self, exchange: Exchange | None = None, *, expect_none: bool = False) -> list:
        exchange = exchange or self.last_exchange
        if exchange.responses is None or expect_none:
            if expect_none:
                timeout = max(0.0, exchange.sent_at + SILENCE - time.monotonic())
            else:
                timeout = RESPONSE_TIMEOUT
            exchange.responses = self.wire.wait_for(exchange.position, self._matcher(exchange), timeout)
        return exchange.responses

    @property
    def last_exchange(self) -> Exchange:
        if not self.exchanges:
            raise ValueError("the client has not sent anything yet")
        return self.exchanges[-1]

    def response(self):
        """The answer to the last message; CheckFailed when there is none."""
        found = self.responses()
        if not found:
            raise CheckFailed(f"no response within {RESPONSE_TIMEOUT}s to {describe_sent(self.last_exchange)}")
        return found[0]

    def last_response_of(self, version: int):
        """The newest answer received in the scenario (for copying options from it)."""
        for exchange in reversed(self.exchanges):
            if exchange.version == version:
                found = self.responses(exchange)
                if found:
                    return found[0]
        raise CheckFailed("no response has been received yet to copy from")

    def log(self, line: str) -> None:
        self.trace.append(f"{time.strftime('%H:%M:%S')} {line}")


def describe_sent(exchange: Exchange) -> str:
    msg = exchange.sent
    if isinstance(msg, v4.Message4):
        return f"DHCP{v4.MESSAGE_NAMES.get(msg.msg_type, msg.msg_type)} xid=0x{msg.xid:08x}"
    if isinstance(msg, v6.Message6):
        return f"{v6.MESSAGE_NAMES.get(msg.msg_type, msg.msg_type)} trid=0x{msg.trid:06x}"
    return str(msg)


def describe_response(resp) -> str:
    return v4.describe(resp) if isinstance(resp, v4.Response4) else v6.describe(resp)


def _responses_newest_first(ctx: Scenario, version: int):
    for exchange in reversed(ctx.exchanges):
        if exchange.version == version:
            yield from ctx.responses(exchange)


def dashed_address(ctx: Scenario) -> str:
    """The last address leased to the client (DHCPv4 yiaddr or DHCPv6 IA_NA address, by the family of the
    last exchange) with its dots or colons turned into hyphens, as in a server-generated host name:
    192.0.2.10 -> 192-0-2-10, 2001:db8:1::10 -> 2001-db8-1--10."""
    version = ctx.last_exchange.version
    address = resolve(ctx, "$yiaddr" if version == 4 else "$address")
    return address.replace(".", "-").replace(":", "-")


def resolve(ctx: Scenario, text: str) -> str:
    """Replace value tokens: $yiaddr (the last address offered or acked), $address and $prefix
    (the last IA_NA address and IA_PD prefix received), $saved.NAME (a value a step saved).
    $dashed may also stand inside a longer value ("myhost-$dashed.example.com."): see dashed_address."""
    text = text.strip()
    if "$dashed" in text:
        text = text.replace("$dashed", dashed_address(ctx))
    if text == "$yiaddr":
        for resp in _responses_newest_first(ctx, 4):
            if resp.yiaddr != "0.0.0.0":
                return resp.yiaddr
        raise CheckFailed("$yiaddr: no response with an address has been received")
    if text in ("$address", "$prefix"):
        code = 5 if text == "$address" else 26
        for resp in _responses_newest_first(ctx, 6):
            for ia in resp.options:
                for child in ia.find(code):
                    return child.address if code == 5 else f"{child.address}/{child.prefix_len}"
        raise CheckFailed(f"{text}: no response with an {'address' if code == 5 else 'prefix'} has been received")
    if text.startswith("$saved."):
        key = text.removeprefix("$saved.")
        if key not in ctx.saved:
            raise CheckFailed(f"{text}: nothing was saved under {key!r}")
        return str(ctx.saved[key])
    return text

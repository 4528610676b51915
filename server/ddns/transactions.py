"""One NameChangeRequest carried out as Kea 2.2's D2 does it (RFC 4703 with conflict resolution, its
"simple" variant without), over the DNS servers of the matching domains.

Per step, each server of the domain gets up to MAX_TRIES_PER_SERVER tries; a timeout, a send failure or a
reply that fails to verify (TSIG) counts as a try; when a server runs out of tries the next one starts the
forward (or reverse) procedure over; when none is left the request fails (NO_MORE_SERVERS_EVT). An rcode
the step does not expect fails the request at once (UPDATE_FAILED_EVT). Add: forward, then reverse; the
reverse is not touched when the forward fails. Remove: the same order. Every failure is logged with the
Kea message id, the server, the name and the rcode (number and mnemonic).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import dns.rcode

from server.ddns import updates
from server.ddns.config import D2Config, DdnsDomain, DnsServer
from server.ddns.dnsclient import IO_ERROR, SUCCESS, TIMEOUT, DnsClient
from server.ddns.domains import match, reverse_name
from server.ddns.ncr import CHG_ADD, NameChangeRequest

MAX_TRIES_PER_SERVER = 3
MAX_ADD_REPLACE_ROUNDS = 5  # add -> YXDOMAIN -> replace -> NXDOMAIN -> add ... cannot go on forever
# A removal step is done when it worked or there was nothing (left) to remove; YXRRSET (the name still has
# addresses, e.g. another client's) fails it, as it does in Kea.
REMOVED_OK = {dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.NXRRSET}


@dataclass(frozen=True)
class Step:
    """A kind of update: its message id stem (DHCP_DDNS_<stem>_...) and what it does, for the logs."""

    stem: str
    doing: str


ADD_FWD = Step("FORWARD_ADD", "add the address mapping")
REPLACE_FWD = Step("FORWARD_REPLACE", "replace the address mapping")
REPLACE_REV = Step("REVERSE_REPLACE", "replace the reverse mapping")
REMOVE_FWD_ADDRS = Step("FORWARD_REMOVE_ADDRS", "remove the forward address mapping")
REMOVE_FWD_RRS = Step("FORWARD_REMOVE_RRS", "remove forward RR entries")
REMOVE_REV = Step("REVERSE_REMOVE", "remove the reverse mapping")


class NoMoreServers(Exception):
    pass


class Rejected(Exception):
    pass


class _ServerGaveUp(Exception):
    pass


def request_id(ncr: NameChangeRequest) -> str:
    """Kea logs the DHCID (hex) as the request id."""
    return ncr.dhcid.hex().upper()


class Transaction:
    def __init__(self, ncr: NameChangeRequest, cfg: D2Config, client: DnsClient, log: logging.Logger):
        self.ncr = ncr
        self.cfg = cfg
        self.client = client
        self.log = log
        self.rid = request_id(ncr)
        self.forward_done = False
        self.reverse_done = False

    # -- domains -------------------------------------------------------------------------
    def domains(self) -> tuple[DdnsDomain | None, DdnsDomain | None] | None:
        """The forward and reverse domains the request needs, None (logged) when one is missing."""
        fwd = rev = None
        if self.ncr.forward:
            fwd = match(self.cfg.forward, self.ncr.fqdn)
            if fwd is None:
                self._no_match("FWD", "forward", self.ncr.fqdn)
                return None
        if self.ncr.reverse:
            rev = match(self.cfg.reverse, reverse_name(self.ncr.ip_address))
            if rev is None:
                self._no_match("REV", "reverse", reverse_name(self.ncr.ip_address))
                return None
        return fwd, rev

    def _no_match(self, tag: str, side: str, name: str) -> None:
        self.log.warning("DHCP_DDNS_NO_MATCH No DNS servers match FQDN %s", name)
        self.log.error("DHCP_DDNS_NO_%s_MATCH_ERROR Request ID %s: the configured list of %s DDNS domains does "
                       "not contain a match for: %s The request has been discarded.", tag, self.rid, side,
                       self.ncr.describe())

    # -- running -------------------------------------------------------------------------
    def run(self) -> bool:
        found = self.domains()
        if found is None:
            return False
        fwd, rev = found
        adding = self.ncr.change_type == CHG_ADD
        try:
            if fwd is not None:
                self._over_servers(fwd, self._forward_add if adding else self._forward_remove)
                self.forward_done = True
            if rev is not None:
                self._over_servers(rev, self._reverse_add if adding else self._reverse_remove)
                self.reverse_done = True
        except NoMoreServers:
            return self._outcome(False, "NO_MORE_SERVERS_EVT")
        except Rejected:
            return self._outcome(False, "UPDATE_FAILED_EVT")
        return self._outcome(True, "UPDATE_OK_EVT")

    def _outcome(self, ok: bool, event: str) -> bool:
        kind = "ADD" if self.ncr.change_type == CHG_ADD else "REMOVE"
        if ok:
            verb = "added" if kind == "ADD" else "removed"
            self.log.info("DHCP_DDNS_%s_SUCCEEDED DHCP_DDNS Request ID %s: successfully %s the DNS mapping for "
                          "this request: %s", kind, self.rid, verb, self.ncr.describe())
            return True
        sides = []
        if self.ncr.forward:
            sides.append(f"Forward change: {'completed' if self.forward_done else 'failed'}")
        if self.ncr.reverse:
            sides.append(f"Reverse change: {'completed' if self.reverse_done else 'failed'}")
        self.log.error("DHCP_DDNS_%s_FAILED DHCP_DDNS Request ID %s: Transaction outcome Status: Failed, Event: %s, "
                       "%s, request: %s", kind, self.rid, event, ", ".join(sides), self.ncr.describe())
        return False

    def _over_servers(self, domain: DdnsDomain, procedure: Callable[[DdnsDomain, DnsServer], None]) -> None:
        for server in domain.servers:
            try:
                procedure(domain, server)
                return
            except _ServerGaveUp:
                continue
        raise NoMoreServers

    def _send(self, step: Step, server: DnsServer, build, domain: DdnsDomain) -> int:
        """The rcode of the server's reply to this step's update; _ServerGaveUp after the last try."""
        for _ in range(MAX_TRIES_PER_SERVER):
            message = build(self.ncr, domain.name)
            result = self.client.send(message, server)
            self.log.debug("DHCP_DDNS_UPDATE_RESPONSE_RECEIVED Request ID %s: to server: %s status: %s, rcode: %s",
                           self.rid, server, result.status, result.rcode_text)
            if result.status == SUCCESS:
                return result.rcode
            if result.status in (TIMEOUT, IO_ERROR):
                self.log.error("DHCP_DDNS_%s_IO_ERROR DHCP_DDNS Request ID %s: encountered an IO error trying to %s "
                               "for FQDN %s with DNS server %s: %s", step.stem, self.rid, step.doing, self.ncr.fqdn,
                               server, result.detail)
            else:
                self.log.error("DHCP_DDNS_%s_RESP_CORRUPT DHCP_DDNS Request ID %s: received a corrupt response from "
                               "the DNS server, %s, trying to %s for FQDN, %s: %s", step.stem, self.rid, server,
                               step.doing, self.ncr.fqdn, result.detail)
        raise _ServerGaveUp

    def _reject(self, step: Step, server: DnsServer, rcode: int):
        self.log.error("DHCP_DDNS_%s_REJECTED DNS Request ID %s: Server, %s, rejected a DNS update request to %s "
                       "for FQDN, %s, with an RCODE: %d (%s)", step.stem, self.rid, server, step.doing,
                       self.ncr.fqdn if "REVERSE" not in step.stem else reverse_name(self.ncr.ip_address),
                       rcode, dns.rcode.to_text(rcode))
        raise Rejected

    # -- the procedures ------------------------------------------------------------------
    def _forward_add(self, domain: DdnsDomain, server: DnsServer) -> None:
        if not self.ncr.use_conflict_resolution:
            rcode = self._send(REPLACE_FWD, server, updates.add_forward, domain)
            if rcode != dns.rcode.NOERROR:
                self._reject(REPLACE_FWD, server, rcode)
            return
        for _ in range(MAX_ADD_REPLACE_ROUNDS):
            rcode = self._send(ADD_FWD, server, updates.add_forward, domain)
            if rcode == dns.rcode.NOERROR:
                return
            if rcode != dns.rcode.YXDOMAIN:
                self._reject(ADD_FWD, server, rcode)
            rcode = self._send(REPLACE_FWD, server, updates.replace_forward, domain)
            if rcode == dns.rcode.NOERROR:
                return
            if rcode != dns.rcode.NXDOMAIN:  # gone meanwhile: add again (RFC 4703 5.3)
                self._reject(REPLACE_FWD, server, rcode)
        self._reject(REPLACE_FWD, server, dns.rcode.NXDOMAIN)

    def _reverse_add(self, domain: DdnsDomain, server: DnsServer) -> None:
        rcode = self._send(REPLACE_REV, server, updates.replace_reverse, domain)
        if rcode != dns.rcode.NOERROR:
            self._reject(REPLACE_REV, server, rcode)

    def _forward_remove(self, domain: DdnsDomain, server: DnsServer) -> None:
        if not self.ncr.use_conflict_resolution:
            rcode = self._send(REMOVE_FWD_RRS, server, updates.remove_forward_address, domain)
            if rcode not in REMOVED_OK:
                self._reject(REMOVE_FWD_RRS, server, rcode)
            return
        rcode = self._send(REMOVE_FWD_ADDRS, server, updates.remove_forward_address, domain)
        if rcode not in REMOVED_OK:
            self._reject(REMOVE_FWD_ADDRS, server, rcode)
        rcode = self._send(REMOVE_FWD_RRS, server, updates.remove_forward_rrs, domain)
        if rcode not in REMOVED_OK:
            self._reject(REMOVE_FWD_RRS, server, rcode)

    def _reverse_remove(self, domain: DdnsDomain, server: DnsServer) -> None:
        rcode = self._send(REMOVE_REV, server, updates.remove_reverse, domain)
        if rcode not in REMOVED_OK:
            self._reject(REMOVE_REV, server, rcode)

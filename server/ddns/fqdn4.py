"""The DHCPv4 Client FQDN option (81, RFC 4702) and Host Name option (12, RFC 2132 3.14): decoding,
encoding, and the server's answer as Kea 2.2 gives it.

Option 81 = flags (1 octet: N E O S, from the high bit down 8 4 2 1) | RCODE1 | RCODE2 | domain name,
the name either in canonical wire form (E=1; no terminating root label = a partial name) or in the
deprecated ASCII form (E=0; no trailing "." = partial).

The server's flags (RFC 4702 2.1, Kea's D2ClientMgr::analyzeFqdn), with updates enabled meaning the
dhcp-ddns link is on and ddns-send-updates is true:
  client N=0 S=0 (the client updates A): S = override-client-update, N = 0; updates off: S=0 N=1
  client N=0 S=1 (asks the server):      S = enabled, N = not S
  client N=1 S=0 (no updates at all):    S = enabled and override-no-update, N = not S
  O is set whenever the server's S differs from the client's; E is echoed. The server updates the A (AAAA)
  record when S=1 and the PTR when N=0. RCODE1 and RCODE2 are 255 as RFC 4702 2.2 asks (Kea copies the
  client's values instead: the deviation kea-fqdn-rcode-not-255).
"""

from __future__ import annotations

from dataclasses import dataclass

from server.config.model import DdnsParams
from server.ddns import names

FLAG_S, FLAG_O, FLAG_E, FLAG_N = 1, 2, 4, 8
FQDN, HOSTNAME, PRL = 81, 12, 55
SERVER_RCODE = 255


class FqdnError(ValueError):
    """A malformed Client FQDN option; Kea drops the whole packet when it cannot parse it."""


@dataclass(frozen=True, slots=True)
class Fqdn4:
    flags: int
    rcode1: int
    rcode2: int
    name: str  # lower case, without a trailing "."; "" = no name
    partial: bool


def decode_name_wire(data: bytes, what: str = "Client FQDN") -> tuple[str, bool]:
    """A domain name in DNS wire form without compression; no terminating zero means partial.
    Returns (lower-case name without the final dot, partial)."""
    labels = []
    i = 0
    while i < len(data):
        length = data[i]
        if length == 0:
            if i != len(data) - 1:
                raise FqdnError(f"{what}: data after the root label")
            return ".".join(labels), False
        if length > 63:
            raise FqdnError(f"{what}: label length {length} (compression or over 63 octets)")
        label = data[i + 1:i + 1 + length]
        if len(label) != length:
            raise FqdnError(f"{what}: label truncated ({len(label)} of {length} octets)")
        labels.append(label.decode("latin-1").lower())
        i += 1 + length
    if sum(len(label) + 1 for label in labels) + 1 > 255:
        raise FqdnError(f"{what}: name longer than 255 octets")
    return ".".join(labels), True


def encode_name_wire(name: str, partial: bool) -> bytes:
    out = bytearray()
    for label in (name.rstrip(".").split(".") if name.rstrip(".") else []):
        raw = label.encode("latin-1", "replace")
        out.append(len(raw))
        out += raw
    if not partial:
        out.append(0)
    return bytes(out)


def decode(data: bytes) -> Fqdn4:
    if len(data) < 3:
        raise FqdnError(f"Client FQDN option of {len(data)} octet(s): flags, RCODE1 and RCODE2 need 3")
    flags = data[0]
    if flags & FLAG_N and flags & FLAG_S:
        raise FqdnError("Client FQDN with both N and S set (RFC 4702 2.1: S must be 0 when N is 1)")
    body = data[3:]
    if flags & FLAG_E:
        name, partial = decode_name_wire(body)
    else:
        text = body.rstrip(b"\x00").decode("latin-1").strip().lower()
        partial = not text.endswith(".")
        name = text.rstrip(".") if text != "." else ""
        if name:
            try:
                names.label_count(name)
            except names.BadName as exc:
                raise FqdnError(f"Client FQDN: {exc}") from None
    return Fqdn4(flags, data[1], data[2], name, partial)


def encode(flags: int, name: str, rcode: int = SERVER_RCODE) -> bytes:
    """The option data; `name` is fully qualified (ends with ".") or "" (an empty partial name).
    The encoding follows the E flag."""
    head = bytes([flags, rcode, rcode])
    if flags & FLAG_E:
        return head + (encode_name_wire(name, False) if name else b"")
    return head + name.encode("latin-1", "replace")


def server_flags(client_s: bool, client_n: bool, params: DdnsParams) -> tuple[bool, bool, bool]:
    """(S, N, O) of the server's answer (RFC 4702 2.1 / RFC 4704 4.1, with Kea's overrides)."""
    enabled = params.enabled
    if client_n:
        s = enabled and params.override_no_update
        n = not s
    elif client_s:
        s = enabled
        n = not s
    elif enabled:
        s, n = params.override_client_update, False
    else:
        s, n = False, True
    return s, n, client_s != s


@dataclass(slots=True)
class Name4:
    """What the server answers about the client's name, and the DNS updates it takes on.
    `name` is "" (option 81) or "." (option 12) until the server generates it from the address."""

    code: int  # FQDN or HOSTNAME
    name: str
    forward: bool
    reverse: bool
    flags: int = 0  # option 81: the answer's N E O S

    @property
    def needs_generating(self) -> bool:
        return self.name in ("", ".")

    def lease_hostname(self, address: int, params: DdnsParams) -> str:
        """The name for the lease (generated now if needed); also fills in the answer's name."""
        if self.needs_generating:
            self.name = names.generated(address, 4, params, self.code == FQDN)
        return self.name

    def option(self) -> tuple[int, bytes]:
        if self.code == FQDN:
            return FQDN, encode(self.flags, self.name)
        return HOSTNAME, self.name.encode("latin-1", "replace")


def decide(options: dict[int, bytes], reserved_hostname: str, params: DdnsParams) -> Name4 | None:
    """The server's answer to the client's option 81, else option 12 (Kea's processClientName); None when
    neither applies. Raises FqdnError for a malformed option 81."""
    data = options.get(FQDN)
    if data is not None:
        return _from_fqdn(decode(data), reserved_hostname, params)
    return _from_hostname(options.get(HOSTNAME), options.get(PRL) or b"", reserved_hostname, params)


def _from_fqdn(client: Fqdn4, reserved_hostname: str, params: DdnsParams) -> Name4:
    s, n, o = server_flags(bool(client.flags & FLAG_S), bool(client.flags & FLAG_N), params)
    flags = (FLAG_S if s else 0) | (FLAG_N if n else 0) | (FLAG_O if o else 0) | (client.flags & FLAG_E)
    if reserved_hostname:
        name = names.reserved_fqdn(reserved_hostname, params, True)
    else:
        name = names.fqdn_name(client.name, client.partial, params)
    return Name4(FQDN, name, forward=s, reverse=not n, flags=flags)


def _from_hostname(data: bytes | None, prl: bytes, reserved_hostname: str, params: DdnsParams) -> Name4 | None:
    enabled = params.enabled
    if reserved_hostname and (data is not None or HOSTNAME in prl):
        return Name4(HOSTNAME, names.reserved_fqdn(reserved_hostname, params, False), enabled, enabled)
    text = data.rstrip(b"\x00").decode("latin-1").strip() if data is not None else ""
    if data is None:
        if names.supplies_missing_name(params):
            return Name4(HOSTNAME, ".", enabled, enabled)
        return None
    try:
        count = names.label_count(text)
    except names.BadName:
        return None  # Kea: DHCP4_CLIENT_HOSTNAME_MALFORMED, the option is ignored
    if count == 0:
        return None  # Kea: DHCP4_EMPTY_HOSTNAME
    if names.replaces_sent_name(params) or count < 2:
        return Name4(HOSTNAME, ".", enabled, enabled)
    hostname = names.scrub(text, params).lower()
    if count == 2:
        hostname = names.qualify(hostname, params, False)
    return Name4(HOSTNAME, hostname, enabled, enabled)

"""The client FQDN options, built and read as raw bytes: DHCPv4 option 81 (RFC 4702) and DHCPv6
option 39 (RFC 4704).

scapy keeps option 81 as opaque bytes and always ends option 39's name with the root label, so neither
can express what these RFCs allow (flags, RCODEs, partial names). A name is written as text: a fully
qualified name ends in ".", a partial name does not (on the wire, it lacks the terminating root label).

Option 81 (RFC 4702 2):  flags (0000NEOS) | RCODE1 | RCODE2 | domain name
Option 39 (RFC 4704 4):  flags (00000NOS) | domain name
"""

from __future__ import annotations

from dataclasses import dataclass

#: Flag letters and their bits, per family. E (DHCPv4 only) says the name uses the canonical wire
#: encoding rather than the deprecated ASCII one.
FLAGS4 = {"S": 0x01, "O": 0x02, "E": 0x04, "N": 0x08}
FLAGS6 = {"S": 0x01, "O": 0x02, "N": 0x04}


class FqdnError(ValueError):
    """Option data or feature text that is not a valid client FQDN."""


def parse_flags(text: str, version: int) -> frozenset[str]:
    """Feature text to a set of flag letters: "S", "N O", "S,E", "SO" or "none"."""
    table = FLAGS4 if version == 4 else FLAGS6
    cleaned = text.strip().strip('"')
    if cleaned.lower() in ("none", "", "0"):
        return frozenset()
    letters = [c.upper() for c in cleaned if c not in " ,+|"]
    unknown = sorted({c for c in letters if c not in table})
    if unknown:
        raise FqdnError(f"unknown DHCPv{version} FQDN flag(s) {', '.join(unknown)} in {text!r}; "
                        f"use letters among {' '.join(table)} or 'none'")
    return frozenset(letters)


def flag_bits(flags: frozenset[str] | set[str], version: int) -> int:
    table = FLAGS4 if version == 4 else FLAGS6
    bits = 0
    for letter in flags:
        if letter not in table:
            raise FqdnError(f"{letter!r} is not a DHCPv{version} FQDN flag; one of {' '.join(table)}")
        bits |= table[letter]
    return bits


def flag_letters(bits: int, version: int) -> frozenset[str]:
    table = FLAGS4 if version == 4 else FLAGS6
    return frozenset(letter for letter, bit in table.items() if bits & bit)


def format_flags(flags: frozenset[str] | set[str]) -> str:
    """Flags as features write them: letters in N E O S order, or "none"."""
    order = "NEOS"
    return " ".join(sorted(flags, key=order.index)) if flags else "none"


# -- names ------------------------------------------------------------------
def encode_name(name: str) -> bytes:
    """A name in DNS wire format (RFC 1035 3.1). A fully qualified name ("host.example.com.") ends with
    the root label; a partial name ("host") does not (RFC 4702 2.3, RFC 4704 4.2). "" is empty."""
    text = name.strip()
    if text in ("", "."):
        return b"\x00" if text == "." else b""
    qualified = text.endswith(".")
    out = b""
    for label in text.removesuffix(".").split("."):
        raw = label.encode()
        if not raw:
            raise FqdnError(f"empty label in domain name {name!r}")
        if len(raw) > 63:
            raise FqdnError(f"label {label!r} of {name!r} is {len(raw)} octets; at most 63")
        out += bytes([len(raw)]) + raw
    return out + (b"\x00" if qualified else b"")


def decode_name(data: bytes) -> str:
    """DNS wire format to text: "host.example.com." when it ends with the root label, "host" when it
    does not (a partial name), "" when empty. Compression pointers are not allowed here."""
    labels, i = [], 0
    while i < len(data):
        n = data[i]
        if n == 0:
            if i != len(data) - 1:
                raise FqdnError(f"{len(data) - i - 1} octet(s) after the root label in {data.hex(':')}")
            return ".".join(labels) + "."
        if n > 63:
            raise FqdnError(f"label length {n} at offset {i} (compression or extended labels are not allowed)")
        if i + 1 + n > len(data):
            raise FqdnError(f"label at offset {i} claims {n} octets, {len(data) - i - 1} present")
        labels.append(data[i + 1:i + 1 + n].decode(errors="replace"))
        i += 1 + n
    return ".".join(labels)


def same_name(a: str, b: str) -> bool:
    """DNS names compare case-insensitively (RFC 4343); the trailing dot (fully qualified) must match."""
    return a.strip().lower() == b.strip().lower()


@dataclass(frozen=True)
class ClientFqdn:
    """A client FQDN option, either family."""

    version: int
    flags: frozenset[str]
    name: str  # ends with "." when fully qualified
    rcode1: int | None = None  # DHCPv4 only
    rcode2: int | None = None

    @property
    def fully_qualified(self) -> bool:
        return self.name.endswith(".")

    @property
    def ascii(self) -> bool:
        """DHCPv4: the name uses the deprecated ASCII encoding (E clear)."""
        return self.version == 4 and "E" not in self.flags

    def describe(self) -> str:
        kind = "fully qualified" if self.fully_qualified else ("empty" if not self.name else "partial")
        text = f"flags={format_flags(self.flags)}"
        if self.version == 4:
            text += f" rcode1={self.rcode1} rcode2={self.rcode2}"
            text += " ascii" if self.ascii else " wire"
        return f"{text} name={self.name!r} ({kind})"


# -- option 81 (RFC 4702) ----------------------------------------------------------
def option81(flags: frozenset[str] | set[str], name: str, *, rcode1: int = 0, rcode2: int = 0) -> bytes:
    """Option 81 data. The name is wire-encoded when E is among the flags, else in the deprecated ASCII
    encoding (RFC 4702 2.3.1)."""
    bits = flag_bits(flags, 4)
    body = encode_name(name) if "E" in flags else name.strip().encode()
    return bytes([bits, rcode1, rcode2]) + body


def parse81(data: bytes) -> ClientFqdn:
    if len(data) < 3:
        raise FqdnError(f"option 81 is {len(data)} octets; flags, RCODE1 and RCODE2 need 3")
    flags = flag_letters(data[0], 4)
    body = data[3:]
    if "E" in flags:
        name = decode_name(body)
    else:
        name = body.rstrip(b"\x00").decode(errors="replace")
    return ClientFqdn(4, flags, name, data[1], data[2])


# -- option 39 (RFC 4704) ----------------------------------------------------------
def option39(flags: frozenset[str] | set[str], name: str) -> bytes:
    """Option 39 data: flags, then the name in DNS wire format (partial names without the root label)."""
    return bytes([flag_bits(flags, 6)]) + encode_name(name)


def parse39(data: bytes) -> ClientFqdn:
    if not data:
        raise FqdnError("option 39 is empty; it needs at least the flags octet")
    return ClientFqdn(6, flag_letters(data[0], 6), decode_name(data[1:]))


def parse(version: int, data: bytes) -> ClientFqdn:
    return parse81(data) if version == 4 else parse39(data)


def describe(version: int, data: bytes) -> str:
    """Readable option text for packet dumps; the hex when it does not parse."""
    try:
        return parse(version, data).describe()
    except FqdnError as exc:
        return f"{data.hex(':') or '(empty)'} (malformed: {exc})"

"""The neutral DNS side of a scenario: the zones the lab's DNS server serves, their TSIG keys, and how the
DHCP-DDNS daemon (D2) reaches them. The BIND9 and D2 adapters render it; steps build it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

#: TSIG algorithms as Kea's D2 names them, and the names BIND's `key` clause uses.
TSIG_ALGORITHMS: dict[str, str] = {
    "HMAC-MD5": "hmac-md5",
    "HMAC-SHA1": "hmac-sha1",
    "HMAC-SHA224": "hmac-sha224",
    "HMAC-SHA256": "hmac-sha256",
    "HMAC-SHA384": "hmac-sha384",
    "HMAC-SHA512": "hmac-sha512",
}
DEFAULT_KEY = "forge-key"
DEFAULT_ALGORITHM = "HMAC-SHA256"
FORWARD_ZONE = "example.com."
#: The lab's reverse zones: 192.0.2.0/24 and 2001:db8:1::/48 (which holds the lab's 2001:db8:1::/64).
REVERSE_ZONES = ("2.0.192.in-addr.arpa.", "1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
#: The D2 implementations forge can run, by the name features use.
D2_IMPLEMENTATIONS = ("kea-dhcp-ddns", "lessor ddns")
#: The "D2" of a SUT that updates DNS itself (ISC dhcpd): no separate process; the DHCP server gets the zones
#: and keys, and its own log tells what it updated.
BUILTIN_D2 = "built into the DHCP server"


def absolute(zone: str) -> str:
    name = zone.strip().lower()
    if not name or name == ".":
        raise ValueError("a zone needs a name")
    return name if name.endswith(".") else name + "."


def algorithm_name(text: str) -> str:
    """Kea's spelling of a TSIG algorithm (HMAC-SHA256), from any case or hmac-sha256."""
    key = text.strip().upper()
    if key not in TSIG_ALGORITHMS:
        raise ValueError(f"unknown TSIG algorithm {text!r}; one of {', '.join(TSIG_ALGORITHMS)}")
    return key


def secret_for(name: str, algorithm: str, salt: str = "") -> str:
    """A base64 secret, the same for the same key in every run (so artifacts compare), never a real one."""
    return base64.b64encode(hashlib.sha256(f"forge:{name}:{algorithm}:{salt}".encode()).digest()).decode()


@dataclass
class TsigKey:
    name: str
    algorithm: str  # Kea's spelling, e.g. HMAC-SHA256
    secret: str  # base64


@dataclass
class Zone:
    name: str  # absolute, e.g. example.com.
    #: The key the DNS server requires for updates of this zone.
    key: str = DEFAULT_KEY
    #: The key D2 signs this zone's updates with (None: unsigned); normally the zone's own key.
    d2_key: str | None = DEFAULT_KEY

    @property
    def reverse(self) -> bool:
        return self.name.endswith((".in-addr.arpa.", ".ip6.arpa."))


@dataclass
class DnsModel:
    zones: list[Zone] = field(default_factory=list)
    #: Keys the DNS server knows.
    keys: dict[str, TsigKey] = field(default_factory=dict)
    #: Keys as D2 knows them; a key absent here is given to D2 as the DNS server knows it.
    #: A different secret under the same name makes D2's updates fail verification.
    d2_keys: dict[str, TsigKey] = field(default_factory=dict)
    #: Which D2 runs: one of D2_IMPLEMENTATIONS, or None for the SUT's own (BUILTIN_D2 for a SUT without one).
    d2: str | None = None
    #: Where D2 sends updates (an address of the DNS server in the SUT's namespace).
    dns_address: str = "127.0.0.1"
    dns_port: int = 53
    #: Where the DHCP server sends NameChangeRequests, and D2 listens.
    d2_address: str = "127.0.0.1"
    d2_port: int = 53001
    #: D2's dns-server-timeout, in milliseconds: short, so that a DNS outage shows quickly.
    dns_timeout_ms: int = 500

    def add_key(self, name: str, algorithm: str = DEFAULT_ALGORITHM) -> TsigKey:
        name = name.strip()
        algorithm = algorithm_name(algorithm)
        known = self.keys.get(name)
        if known is not None and known.algorithm != algorithm:
            raise ValueError(f"TSIG key {name} is already defined with {known.algorithm}")
        self.keys[name] = known or TsigKey(name, algorithm, secret_for(name, algorithm))
        return self.keys[name]

    def add_zone(self, name: str, key: str = DEFAULT_KEY, algorithm: str = DEFAULT_ALGORITHM) -> Zone:
        self.add_key(key, algorithm)
        zone = self.zone(name, missing_ok=True)
        if zone is None:
            zone = Zone(absolute(name), key, key)
            self.zones.append(zone)
        else:
            zone.key = zone.d2_key = key
        return zone

    def zone(self, name: str, missing_ok: bool = False) -> Zone | None:
        wanted = absolute(name)
        for zone in self.zones:
            if zone.name == wanted:
                return zone
        if missing_ok:
            return None
        raise ValueError(f"the DNS server does not serve zone {wanted}; it serves "
                         f"{', '.join(z.name for z in self.zones) or 'nothing yet'}")

    def d2_key(self, name: str) -> TsigKey:
        if name in self.d2_keys:
            return self.d2_keys[name]
        if name not in self.keys:
            raise ValueError(f"no TSIG key {name!r} is defined")
        return self.keys[name]

    def wrong_secret(self, name: str) -> TsigKey:
        """Give D2 key `name` with the right algorithm and a secret the DNS server does not know."""
        right = self.d2_key(name)
        self.d2_keys[name] = TsigKey(right.name, right.algorithm, secret_for(name, right.algorithm, "wrong"))
        return self.d2_keys[name]

    @property
    def forward_zones(self) -> list[Zone]:
        return [z for z in self.zones if not z.reverse]

    @property
    def reverse_zones(self) -> list[Zone]:
        return [z for z in self.zones if z.reverse]

    def zone_of(self, name: str) -> Zone | None:
        """The zone holding a name: the longest suffix match, as D2 chooses."""
        fqdn = absolute(name)
        best = None
        for zone in self.zones:
            if (fqdn == zone.name or fqdn.endswith("." + zone.name)) and (
                    best is None or len(zone.name) > len(best.name)):
                best = zone
        return best

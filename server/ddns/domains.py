"""Which configured DDNS domain serves a name (the longest matching suffix, as Kea's D2 picks it), and the
reverse-zone name of an address."""

from __future__ import annotations

import ipaddress


def reverse_name(address: str) -> str:
    """192.0.2.10 -> 10.2.0.192.in-addr.arpa.; 2001:db8::1 -> nibbles under ip6.arpa."""
    return ipaddress.ip_address(address).reverse_pointer + "."


def _labels(name: str) -> list[str]:
    return [label for label in name.lower().rstrip(".").split(".") if label]


def match(domains, fqdn: str):
    """The domain whose name is the longest label-wise suffix of fqdn (None when none is). A domain named
    "." (the root), if configured, matches everything; a plain string suffix is not enough: example.com.
    does not serve myexample.com."""
    labels = _labels(fqdn)
    best, best_len = None, -1
    for domain in domains:
        dl = _labels(domain.name)
        if len(dl) <= len(labels) and labels[len(labels) - len(dl):] == dl and len(dl) > best_len:
            best, best_len = domain, len(dl)
    return best

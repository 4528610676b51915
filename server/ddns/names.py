"""Client names as Kea 2.2 treats them: sanitizing (hostname-char-set / hostname-char-replacement),
qualifying a partial name with ddns-qualifying-suffix, the generated name (ddns-generated-prefix plus
the address) and ddns-replace-client-name.

Names are text without escapes. A fully qualified name ends with "."; a partial one does not.
"""

from __future__ import annotations

import ipaddress
import re

from server.config.model import DdnsParams


class BadName(ValueError):
    """A name that is not a valid DNS name (empty label, label over 63 octets, name over 255)."""


def label_count(name: str) -> int:
    """Kea's label count: the labels of the name as if fully qualified, the root included ("" -> 0,
    "." -> 1, "host" -> 2, "host.example.com" -> 4). Raises BadName for a malformed name."""
    if not name:
        return 0
    if name == ".":
        return 1
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    total = 1
    for label in labels:
        if not label:
            raise BadName(f"empty label in {name!r}")
        if len(label.encode("utf-8", "surrogateescape")) > 63:
            raise BadName(f"label longer than 63 octets in {name!r}")
        total += len(label.encode("utf-8", "surrogateescape")) + 1
    if total > 255:
        raise BadName(f"name longer than 255 octets: {name!r}")
    return len(labels) + 1


def scrub(text: str, params: DdnsParams) -> str:
    """Replace every match of hostname-char-set with hostname-char-replacement (no-op when the set is empty)."""
    if not params.hostname_char_set:
        return text
    replacement = params.hostname_char_replacement
    return re.sub(params.hostname_char_set, lambda _m: replacement, text)


def scrub_labels(name: str, params: DdnsParams) -> str:
    """Sanitize a domain name label by label, so the dots survive whatever the character set says
    (Kea does this for Client FQDN names)."""
    if not params.hostname_char_set:
        return name
    return ".".join(scrub(label, params) for label in name.split("."))


def qualify(name: str, params: DdnsParams, trailing_dot: bool) -> str:
    """Kea's qualifyName: append ddns-qualifying-suffix (when set), then add or strip the trailing dot."""
    out = name
    suffix = params.qualifying_suffix
    if suffix:
        if out and not out.endswith("."):
            out += "."
        out += suffix
    if trailing_dot:
        if out and not out.endswith("."):
            out += "."
    elif out.endswith("."):
        out = out[:-1]
    return out


def generated(address: int, version: int, params: DdnsParams, trailing_dot: bool) -> str:
    """The name the server makes up for a client: prefix-<address, its . or : turned into ->, qualified
    (myhost-192-0-2-10.example.com., myhost-2001-db8-1--10.example.com.)."""
    text = str(ipaddress.IPv4Address(address) if version == 4 else ipaddress.IPv6Address(address))
    dashed = text.replace("." if version == 4 else ":", "-")
    return qualify(f"{params.generated_prefix}-{dashed}", params, trailing_dot)


def replaces_sent_name(params: DdnsParams) -> bool:
    """ddns-replace-client-name always / when-present: the name a client sent is thrown away."""
    return params.replace_client_name in ("always", "when-present")


def supplies_missing_name(params: DdnsParams) -> bool:
    """ddns-replace-client-name always / when-not-present: a client that sent no name gets one."""
    return params.replace_client_name in ("always", "when-not-present")


def fqdn_name(name: str, partial: bool, params: DdnsParams) -> str:
    """The fully qualified name (ending with ".") the server uses for a name a client sent in a Client FQDN
    option, or "" when the server must generate one once the address is known (Kea's adjustDomainName):
    replaced when configured so or when empty; otherwise sanitized label by label and, if partial,
    qualified with the suffix."""
    if replaces_sent_name(params) or not name or name == ".":
        return ""
    bare = name[:-1] if name.endswith(".") else name
    cleaned = scrub_labels(bare, params).lower()
    if partial:
        return qualify(cleaned, params, True)
    return cleaned + "."


def reserved_fqdn(hostname: str, params: DdnsParams, trailing_dot: bool) -> str:
    """A reservation's hostname, qualified and lower-cased (it takes precedence over the client's name)."""
    return qualify(hostname, params, trailing_dot).lower()

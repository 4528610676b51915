"""Option value types: text as written in features <-> the bytes on the wire."""

from __future__ import annotations

import ipaddress
import struct


class ValueError_(ValueError):
    pass


def _hex(text: str) -> bytes:
    cleaned = text.strip().lower().removeprefix("0x").replace(":", "").replace(" ", "").replace("-", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not hex") from None


def _fqdn(name: str) -> bytes:
    out = b""
    for label in name.strip().rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def _decode_fqdns(data: bytes) -> list[str]:
    names, labels, i = [], [], 0
    while i < len(data):
        n = data[i]
        i += 1
        if n == 0:
            names.append(".".join(labels) + ".")
            labels = []
            continue
        labels.append(data[i:i + n].decode(errors="replace"))
        i += n
    if labels:
        names.append(".".join(labels))
    return names


_INT = {"u8": "!B", "u16": "!H", "u32": "!I", "i8": "!b", "i16": "!h", "i32": "!i"}


def encode(kind: str, text: str) -> bytes:
    """Encode a feature's text as option data. `kind` may end in [] for an array (comma-separated)."""
    if kind.endswith("[]"):
        base = kind[:-2]
        items = [t.strip() for t in text.split(",") if t.strip()]
        return b"".join(encode(base, item) for item in items)
    if kind in _INT:
        return struct.pack(_INT[kind], int(text, 0))
    if kind == "ipv4":
        return ipaddress.IPv4Address(text.strip()).packed
    if kind == "ipv6":
        return ipaddress.IPv6Address(text.strip()).packed
    if kind == "string":
        return text.encode()
    if kind == "bool":
        return b"\x01" if text.strip().lower() in ("1", "true", "yes") else b"\x00"
    if kind == "fqdn":
        return _fqdn(text)
    if kind == "empty":
        return b""
    return _hex(text)


def decode(kind: str, data: bytes) -> str:
    """Bytes to the feature notation, for readable messages. Falls back to hex when the bytes don't fit."""
    try:
        if kind.endswith("[]"):
            base = kind[:-2]
            if base == "fqdn":
                return ",".join(_decode_fqdns(data))
            size = {"ipv4": 4, "ipv6": 16, "u8": 1, "u16": 2, "u32": 4, "i32": 4}.get(base)
            if size and len(data) % size == 0:
                return ",".join(decode(base, data[i:i + size]) for i in range(0, len(data), size))
            return data.hex(":")
        if kind in _INT:
            return str(struct.unpack(_INT[kind], data)[0])
        if kind == "ipv4":
            return str(ipaddress.IPv4Address(data))
        if kind == "ipv6":
            return str(ipaddress.IPv6Address(data))
        if kind == "string":
            return data.decode()
        if kind == "bool":
            return "true" if data == b"\x01" else "false"
        if kind == "fqdn":
            return ",".join(_decode_fqdns(data))
        if kind == "empty":
            return "(empty)" if not data else data.hex(":")
    except (struct.error, ValueError, UnicodeDecodeError):
        pass
    return data.hex(":") if data else "(empty)"


def hex_bytes(text: str) -> bytes:
    return _hex(text)

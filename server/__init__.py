"""lessor: a Kea-compatible DHCPv4/DHCPv6 server (under construction; see the issues)."""

__version__ = "0.1.0"

"""The `lessor` command. The DHCP services arrive with the dhcp4 and dhcp6 issues."""

from __future__ import annotations

import argparse

from server import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lessor",
        description="lessor: a Kea-compatible DHCPv4/DHCPv6 server. "
                    "Its services (dhcp4, dhcp6, ddns) are not built yet.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"lessor {__version__}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

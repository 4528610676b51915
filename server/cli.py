"""The `lessor` command."""

from __future__ import annotations

import argparse
import sys

from server import __version__

DHCP4_EPILOG = """\
signals:
  SIGHUP           reload the configuration file; a bad one is rejected (and logged)
                   and the running configuration keeps serving
  SIGTERM, SIGINT  stop cleanly, leases flushed to disk

The configuration is Kea's Dhcp4 JSON (comments and <?include "file"?> allowed).
Unknown keys are errors naming their JSON path; keys Kea knows but lessor does not
implement yet are refused with "not supported yet: KEY". Leases go to the memfile CSV
named by lease-database/name (Kea's format, default /var/lib/kea/kea-leases4.csv), with a
PID file next to it so that two servers never share one lease file.
"""


def _dhcp4_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("dhcp4", help="run the DHCPv4 server",
                       description="lessor dhcp4: a Kea-compatible DHCPv4 server.",
                       epilog=DHCP4_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("-c", metavar="FILE", dest="config", help="run with this configuration file")
    mode.add_argument("-t", metavar="FILE", dest="test", help="check a configuration file and exit (0: valid)")
    mode.add_argument("-V", "-v", dest="version", action="store_true", help="print the version and exit")
    p.add_argument("-p", metavar="PORT", type=int, default=67, help="server port (default 67)")
    p.add_argument("-P", metavar="PORT", type=int, default=68, help="client port (default 68)")
    p.add_argument("-d", action="store_true", help="debug logging to stdout (every dropped packet and why)")
    return p


def run_dhcp4(args) -> int:
    from server.config import ConfigError

    if args.version:
        print(__version__)
        return 0
    if args.test:
        from server.dhcp4.service import load_config

        try:
            cfg = load_config(args.test)
        except (ConfigError, ValueError) as exc:
            print(f"lessor dhcp4: {args.test}: {exc}", file=sys.stderr)
            return 1
        print(f"lessor dhcp4: {args.test}: configuration OK ({len(cfg.subnets)} subnet(s))")
        return 0
    from server.dhcp4.service import Dhcp4Service
    from server.leases.memfile4 import LeaseFileError

    service = Dhcp4Service(args.config, port=args.p, client_port=args.P, debug=args.d)
    try:
        service.start()
    except (ConfigError, ValueError, OSError, LeaseFileError) as exc:
        print(f"lessor dhcp4: cannot start: {exc}", file=sys.stderr)
        return 1
    service.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lessor",
        description="lessor: a Kea-compatible DHCP server. It reads Kea's JSON configuration and "
                    "writes Kea's memfile lease files.")
    parser.add_argument("--version", action="version", version=f"lessor {__version__}")
    sub = parser.add_subparsers(dest="service", required=True, metavar="SERVICE")
    _dhcp4_parser(sub)
    args = parser.parse_args(argv)
    if args.service == "dhcp4":
        return run_dhcp4(args)
    parser.error(f"unknown service {args.service}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

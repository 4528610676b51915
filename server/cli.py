"""The `lessor` command."""

from __future__ import annotations

import argparse
import sys

from server import __version__

EPILOG = """\
signals:
  SIGHUP           reload the configuration file; a bad one is rejected (and logged)
                   and the running configuration keeps serving
  SIGTERM, SIGINT  stop cleanly, leases flushed to disk

The configuration is Kea's Dhcp{v} JSON (comments and <?include "file"?> allowed).
Unknown keys are errors naming their JSON path; keys Kea knows but lessor does not
implement yet are refused with "not supported yet: KEY". Leases go to the memfile CSV
named by lease-database/name (Kea's format, default /var/lib/kea/kea-leases{v}.csv), with a
PID file next to it so that two servers never share one lease file.
"""


def _service_parser(sub, version: int) -> argparse.ArgumentParser:
    p = sub.add_parser(f"dhcp{version}", help=f"run the DHCPv{version} server",
                       description=f"lessor dhcp{version}: a Kea-compatible DHCPv{version} server.",
                       epilog=EPILOG.format(v=version), formatter_class=argparse.RawDescriptionHelpFormatter)
    server_port, client_port = (67, 68) if version == 4 else (547, 546)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("-c", metavar="FILE", dest="config", help="run with this configuration file")
    mode.add_argument("-t", metavar="FILE", dest="test", help="check a configuration file and exit (0: valid)")
    mode.add_argument("-V", "-v", dest="version", action="store_true", help="print the version and exit")
    p.add_argument("-p", metavar="PORT", type=int, default=server_port, help=f"server port (default {server_port})")
    p.add_argument("-P", metavar="PORT", type=int, default=client_port, help=f"client port (default {client_port})")
    p.add_argument("-d", action="store_true", help="debug logging to stdout (every dropped packet and why)")
    return p


def run_service(args, version: int) -> int:
    from server.config import ConfigError

    if args.version:
        print(__version__)
        return 0
    if version == 4:
        from server.dhcp4.service import Dhcp4Service as Service
        from server.dhcp4.service import load_config
    else:
        from server.dhcp6.service import Dhcp6Service as Service
        from server.dhcp6.service import load_config
    if args.test:
        try:
            cfg = load_config(args.test)
        except (ConfigError, ValueError) as exc:
            print(f"lessor dhcp{version}: {args.test}: {exc}", file=sys.stderr)
            return 1
        print(f"lessor dhcp{version}: {args.test}: configuration OK ({len(cfg.subnets)} subnet(s))")
        return 0
    from server.leases.memfile4 import LeaseFileError

    service = Service(args.config, port=args.p, client_port=args.P, debug=args.d)
    try:
        service.start()
    except (ConfigError, ValueError, OSError, LeaseFileError) as exc:
        print(f"lessor dhcp{version}: cannot start: {exc}", file=sys.stderr)
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
    _service_parser(sub, 4)
    _service_parser(sub, 6)
    args = parser.parse_args(argv)
    if args.service in ("dhcp4", "dhcp6"):
        return run_service(args, int(args.service[-1]))
    parser.error(f"unknown service {args.service}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

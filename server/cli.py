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


DDNS_EPILOG = """\
signals:
  SIGHUP           reload the configuration file; a bad one is rejected (and logged)
                   and the running configuration keeps working
  SIGTERM, SIGINT  stop (requests still queued are dropped, as with kea-dhcp-ddns)

The configuration is Kea 2.2's DhcpDdns JSON (comments and <?include "file"?> allowed):
ip-address/port to receive NameChangeRequests on (default 127.0.0.1:53001),
dns-server-timeout (ms, default 100), forward-ddns and reverse-ddns domains with their
DNS servers, tsig-keys, control-socket, loggers. Unknown keys are errors naming their
JSON path. Kea's DHCP servers and lessor's can both send to it.
"""


def _ddns_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("ddns", help="run the DHCP-DDNS daemon (Kea's kea-dhcp-ddns counterpart)",
                       description="lessor ddns: receives Kea NameChangeRequests over UDP and applies them to DNS "
                                   "with RFC 2136 updates (TSIG-signed), following RFC 4703 as kea-dhcp-ddns does.",
                       epilog=DDNS_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("-c", metavar="FILE", dest="config", help="run with this configuration file")
    mode.add_argument("-t", metavar="FILE", dest="test", help="check a configuration file and exit (0: valid)")
    mode.add_argument("-V", "-v", dest="version", action="store_true", help="print the version and exit")
    p.add_argument("-d", action="store_true", help="debug logging to stdout (every update sent and its answer)")
    return p


def run_ddns(args) -> int:
    from server.config import ConfigError

    if args.version:
        print(__version__)
        return 0
    from server.ddns.config import load_config

    if args.test:
        try:
            cfg = load_config(args.test)
        except (ConfigError, ValueError) as exc:
            print(f"lessor ddns: {args.test}: {exc}", file=sys.stderr)
            return 1
        print(f"lessor ddns: {args.test}: configuration OK ({len(cfg.forward)} forward, {len(cfg.reverse)} "
              f"reverse domain(s), {len(cfg.keys)} TSIG key(s))")
        return 0
    from server.ddns.daemon import D2Daemon

    daemon = D2Daemon(args.config, debug=args.d)
    try:
        daemon.start()
    except (ConfigError, ValueError, OSError) as exc:
        print(f"lessor ddns: cannot start: {exc}", file=sys.stderr)
        return 1
    daemon.run()
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
    _ddns_parser(sub)
    args = parser.parse_args(argv)
    if args.service in ("dhcp4", "dhcp6"):
        return run_service(args, int(args.service[-1]))
    if args.service == "ddns":
        return run_ddns(args)
    parser.error(f"unknown service {args.service}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

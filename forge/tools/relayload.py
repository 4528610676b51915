"""A relay-style DORA load generator that records every ACK it receives.

It plays a relay agent as perfdhcp does (giaddr = its own address, UDP port 67),
runs one DISCOVER-OFFER-REQUEST-ACK exchange per simulated client, and appends
"address chaddr" to the output file as soon as each ACK arrives, so that a crash
test can check afterwards that every acknowledged lease survived.

    ip netns exec forge-tester python -m forge.tools.relayload --server 192.0.2.1 \\
        --giaddr 192.0.2.2 --clients 5000 --out acks.txt
"""

from __future__ import annotations

import argparse
import socket
import sys
import time

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

from forge.packets import v4, values


def _exchange(sock: socket.socket, server: str, giaddr: str, mac: str, xid: int, timeout: float) -> str | None:
    def send(msg_type: int, options) -> None:
        msg = v4.Message4(msg_type=msg_type, chaddr=mac, xid=xid, options=options, giaddr=giaddr, hops=1)
        frame = v4.build(msg, client_mac=mac, relay_mac=mac, server_mac=mac, server_ip=server)
        sock.sendto(bytes(frame[UDP].payload), (server, 67))

    def wait(kind: int) -> v4.Response4 | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                data = sock.recv(4096)
            except TimeoutError:
                return None
            resp = v4.read(Ether() / IP() / UDP(sport=67, dport=67) / Raw(data))
            if resp is not None and resp.xid == xid and resp.msg_type == kind:
                return resp
        return None

    send(1, [])
    offer = wait(2)
    if offer is None:
        return None
    send(3, [(50, values.encode("ipv4", offer.yiaddr)), (54, offer.option(54) or b"")])
    ack = wait(5)
    return ack.yiaddr if ack is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="the server's address")
    parser.add_argument("--giaddr", required=True, help="this relay's own address (bound, port 67)")
    parser.add_argument("--clients", type=int, default=1000, help="number of simulated clients")
    parser.add_argument("--out", required=True, help="file to append 'address chaddr' lines to")
    parser.add_argument("--timeout", type=float, default=0.5, help="seconds to wait for each answer")
    parser.add_argument("--max-failures", type=int, default=20, help="stop after this many exchanges in a row fail")
    args = parser.parse_args(argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.giaddr, 67))
    failures = acked = 0
    with open(args.out, "a", buffering=1) as out:
        for n in range(args.clients):
            mac = "02:01:" + ":".join(f"{b:02x}" for b in n.to_bytes(4, "big"))
            address = _exchange(sock, args.server, args.giaddr, mac, 0x10000000 + n, args.timeout)
            if address is None:
                failures += 1
                if failures >= args.max_failures:
                    break
                continue
            failures = 0
            acked += 1
            out.write(f"{address} {mac}\n")
    print(f"relayload: {acked} ACKs recorded", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""DHCP packets on the tester side: scapy builders, a raw option reader, the wire, readable dumps."""

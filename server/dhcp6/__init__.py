"""The DHCPv6 service (RFC 8415): subnet selection, allocation, message handlers, sockets and the loop."""

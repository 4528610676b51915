"""The DHCPv4 service: subnet selection, allocation, message handlers, sockets and the service loop."""

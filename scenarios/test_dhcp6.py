"""The DHCPv6 features."""

from pytest_bdd import scenarios

scenarios("../features/dhcp6")

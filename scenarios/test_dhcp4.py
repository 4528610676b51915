"""The DHCPv4 features."""

from pytest_bdd import scenarios

scenarios("../features/dhcp4")

"""The DNS-update features: client FQDN and hostname handling, DHCID, conflicts, TSIG."""

from pytest_bdd import scenarios

scenarios("../features/ddns")

"""forge: a DHCP conformance-test framework (Gherkin features, scapy packets, SUT adapters)."""

__version__ = "0.1.0"

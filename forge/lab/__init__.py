"""Lab topologies: what the tester and the server under test are, and how to build them."""

from forge.lab.topology import Endpoint, Lab, Relay, load_lab

__all__ = ["Endpoint", "Lab", "Relay", "load_lab"]

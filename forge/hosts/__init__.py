"""Where a server under test runs: a local network namespace or a host reached over SSH."""

from forge.hosts.base import CommandResult, Host, HostError, Process
from forge.hosts.netns import NetnsHost

__all__ = ["CommandResult", "Host", "HostError", "NetnsHost", "Process"]

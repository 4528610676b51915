"""The SUT's host as a lab file describes it (`sut.host`), and the folder there that holds the scenarios' files."""

from __future__ import annotations

import itertools
import posixpath
import tempfile
from dataclasses import dataclass, field

from forge.hosts.base import Host
from forge.hosts.netns import NetnsHost
from forge.lab import Lab, sshd


def open_sut_host(lab: Lab) -> Host:
    """NetnsHost for the local lab; SshHost for `sut.host.type: ssh` (the lab's own sshd, or a remote machine)."""
    host = lab.sut_host
    if host.type != "ssh":
        return NetnsHost(lab.sut.netns)
    from forge.hosts.ssh import SshHost  # paramiko only when a lab asks for SSH

    key = host.key or (str(sshd.client_key(lab)) if lab.lab_sshd else None)
    known = host.known_hosts or (str(sshd.known_hosts(lab)) if lab.lab_sshd else None)
    # The lab's sshd already runs in the SUT namespace; on a remote machine sut.netns, when set, is a
    # namespace there that holds the DHCP interface.
    netns = lab.sut.netns if lab.remote_sut and lab.sut.netns else None
    return SshHost(host.address, username=host.user, port=host.port, key_filename=key, sudo=host.sudo,
                   netns=netns, known_hosts=known)


@dataclass
class SutSite:
    """The SUT's host and a session folder on it; each scenario gets a fresh numbered folder inside."""

    host: Host
    root: str
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_workdir(self) -> str:
        return posixpath.join(self.root, f"s{next(self._numbers)}")

    def close(self) -> None:
        self.host.remove_tree(self.root)
        close = getattr(self.host, "close", None)
        if close is not None:
            close()


def open_sut_site(lab: Lab) -> SutSite:
    """Connect to the SUT's host and make the session folder there (a short path: unix socket names are
    limited to 107 bytes)."""
    host = open_sut_host(lab)
    if isinstance(host, NetnsHost):
        return SutSite(host, tempfile.mkdtemp(prefix="forge-"))
    try:
        return SutSite(host, host.make_workroot(parent=lab.sut_host.workroot))
    except BaseException:
        host.close()
        raise

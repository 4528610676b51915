"""`forge run` tears its lab down when interrupted with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from forge.lab import load_lab, netns
from tests.conftest import NEEDS_ROOT, private_lab_file

pytestmark = NEEDS_ROOT


def test_ctrl_c_cleans_up_namespaces_and_processes(tmp_path):
    lab_file = private_lab_file(tmp_path, "i")
    lab = load_lab(lab_file)
    proc = subprocess.Popen(["forge", "run", "--lab", str(lab_file), "--artifacts", str(tmp_path / "art")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        # Wait until a server runs in the lab, then interrupt the whole run as a terminal would.
        deadline = time.monotonic() + 120
        # Interrupt once the run has built its lab (and, usually, started a server in it).
        while time.monotonic() < deadline and not netns.namespace_pids(lab.sut.netns) \
                and lab.sut.netns not in netns.list_namespaces():
            time.sleep(0.05)
        if lab.sut.netns not in netns.list_namespaces():
            proc.kill()
            raise AssertionError("no server started in the lab; forge run said:\n" + proc.communicate()[0][-3000:])
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        present = netns.list_namespaces()  # before this test's own clean-up below
    finally:
        if proc.poll() is None:
            proc.kill()
        netns.down(lab)
    assert proc.returncode != 0
    assert "cleaning up" in out or "Interrupted" in out or "KeyboardInterrupt" in out, out[-2000:]
    assert lab.tester.netns not in present and lab.sut.netns not in present


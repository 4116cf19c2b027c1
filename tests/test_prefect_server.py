"""The two ways the Prefect API server of a run dies with it (flows/parent_death.py), each alone: a process
(the "server") whose parent is SIGKILLed must be gone within a bounded time, through the kernel's
parent-death signal only, or through the watchdog thread only. The whole server, started by a real `privnews
run` and SIGKILLed with it, is covered by tests/test_crash_safety.py (the first run of the kill chain)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent

# The parent starts the "server" (its arguments, "{parent}" replaced by its own PID) and prints its PID, then
# waits to be killed. The server arms one mechanism (or none), says so, and would otherwise sleep ten minutes.
PARENT = textwrap.dedent("""
    import os, subprocess, sys, time
    cmd = [a.replace("{parent}", str(os.getpid())) for a in sys.argv[1:]]
    server = subprocess.Popen(cmd, stdout=sys.stdout)
    print(server.pid, flush=True)
    time.sleep(600)
""")
SERVER = textwrap.dedent("""
    import os, signal, sys, threading, time
    from flows import parent_death as pd
    parent, how = os.getppid(), sys.argv[1]
    if how == "pdeathsig":
        assert pd.set_parent_death_signal(signal.SIGTERM)
    elif how == "watchdog":
        threading.Thread(target=pd.watch_parent, args=(parent, 0.1), daemon=True).start()
    elif how == "exec":   # started through `python -m flows.prefect_server --parent-pid P -- <command>`
        parent = None
    print("armed", flush=True)
    time.sleep(600)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux only")
@pytest.mark.parametrize("how", ["pdeathsig", "watchdog", "exec"])
def test_server_goes_when_its_parent_is_killed(how):
    """pdeathsig, watchdog: the two mechanisms of the ephemeral API server, each alone; exec: a command
    started through flows.prefect_server.bound_to_parent (the local server of `privnews serve`)."""
    server_cmd = [sys.executable, "-c", SERVER, how]
    if how == "exec":
        server_cmd = [sys.executable, "-m", "flows.prefect_server", "--parent-pid", "{parent}", "--", *server_cmd]
    parent = subprocess.Popen([sys.executable, "-c", PARENT, *server_cmd], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    server = None
    try:
        server = psutil.Process(int(parent.stdout.readline()))
        assert parent.stdout.readline().strip() == "armed"
        assert server.is_running()
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while server.is_running() and server.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE, \
            f"the server outlived its parent ({how})"
    finally:
        if parent.poll() is None:
            parent.kill()
        if server is not None and server.is_running():
            server.kill()


def test_without_either_mechanism_the_server_outlives_its_parent():
    """The control: what the two tests above would see without the defence."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, sys.executable, "-c", SERVER, "none"], cwd=ROOT,
                              stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    server = psutil.Process(int(parent.stdout.readline()))
    try:
        assert parent.stdout.readline().strip() == "armed"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        time.sleep(1.5)
        assert server.is_running() and server.status() != psutil.STATUS_ZOMBIE
    finally:
        server.kill()

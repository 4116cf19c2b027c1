"""Child processes that die with the process that started them: the one-run Prefect API server
(flows/prefect_server.py) and the extraction workers (flows/extract_worker.py).

Two independent ways, because neither covers every case alone:

1. the kernel: `prctl(PR_SET_PDEATHSIG, SIGTERM)` (Linux) signals the child the moment its parent dies,
   however it dies (SIGKILL included). It follows the parent *thread* that forked the child, so the parent
   asks for it only when it starts the child from its main thread;
2. a watchdog thread in the child that checks twice a second whether its parent is still the process that
   started it (`os.getppid()`; a dead parent's PID can be reused, but never as our parent again), and
   otherwise ends the child (SIGTERM to itself, then a hard exit if that has not finished in time).

Only the standard library: a child calls `die_with_parent` before its heavy imports.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5
SHUTDOWN_GRACE = 10.0


def set_parent_death_signal(sig: int) -> bool:
    """Linux only: have the kernel send `sig` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent_pid: int, interval: float = WATCH_INTERVAL) -> None:
    """Shut this process down once its parent is no longer `parent_pid`: SIGTERM first (servers stop
    gracefully), then a hard exit if that has not finished within SHUTDOWN_GRACE seconds."""
    while os.getppid() == parent_pid:
        time.sleep(interval)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(SHUTDOWN_GRACE)
    os._exit(1)


def pdeathsig_allowed() -> bool:
    """Parent side: may a child started from this thread ask for the kernel's signal? Only from the main
    thread (which lives as long as the process); the watchdog covers every other case."""
    return threading.current_thread() is threading.main_thread()


def die_with_parent(parent_pid: int, pdeathsig: bool) -> bool:
    """Child side: arm both mechanisms. False when the parent is already gone (it died before the death
    signal was armed): the caller should exit at once."""
    if pdeathsig:
        set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:
        return False
    threading.Thread(target=watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    return True

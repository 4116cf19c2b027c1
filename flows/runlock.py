"""One `privnews run` per database at a time: an advisory file lock held for the whole run.

DuckDB's own lock is taken only while loading (so `privnews query` keeps working during a run); this lock
keeps two runs (two cron jobs, a run and a reprocess) from interleaving, and from racing to initialise the
same Prefect home. A second run waits up to `timeout` seconds, then stops with a message naming the PID.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from warehouse.db import WarehouseError


class RunInProgress(WarehouseError):
    def __init__(self, lock_path: Path, pid: str):
        super().__init__(
            f"another privnews run is using this database (process {pid or '?'}, lock {lock_path}). "
            "Wait for it to finish, raise PRIVNEWS_LOCK_TIMEOUT to wait longer, or use another --db."
        )


def lock_path_for(db: Path) -> Path:
    return Path(f"{db}.run.lock")


@contextmanager
def run_lock(db: Path, timeout: float):
    path = lock_path_for(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    raise RunInProgress(path, fh.read().strip()) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the lock; a killed process releases it too

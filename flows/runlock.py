"""Advisory file locks next to the database, released by the kernel when their process dies.

- `run_lock(db)` (`<db>.run.lock`): one `privnews run` (or reprocess) per database at a time. DuckDB's own
  lock is taken only for short writes (so `privnews query` keeps working during a run); this lock keeps two
  runs (two cron jobs, a run and a reprocess) from interleaving, and from racing to initialise the same
  Prefect home.
- `digest_lock(db)` (`<db>.digest.lock`): one digest delivery per database at a time. A digest writes the
  database only in short transactions and sends mail with no database connection open, so without this lock
  two digest processes (a scheduled one and `privnews digest`) could both pick up the same pending outbox
  message and send it twice.

A second holder waits up to `timeout` seconds, then stops with a message naming the PID.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from warehouse.db import WarehouseError


class RunInProgress(WarehouseError):
    def __init__(self, lock_path: Path, pid: str, what: str = "privnews run"):
        super().__init__(
            f"another {what} is using this database (process {pid or '?'}, lock {lock_path}). "
            "Wait for it to finish, raise PRIVNEWS_LOCK_TIMEOUT to wait longer, or use another --db."
        )


def lock_path_for(db: Path, kind: str = "run") -> Path:
    return Path(f"{db}.{kind}.lock")


@contextmanager
def file_lock(path: Path, timeout: float, what: str):
    """Hold an exclusive flock on `path` (its content: our PID) for the duration of the block."""
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
                    raise RunInProgress(path, fh.read().strip(), what) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the lock; a killed process releases it too


def run_lock(db: Path, timeout: float):
    return file_lock(lock_path_for(db), timeout, "privnews run")


def digest_lock(db: Path, timeout: float):
    return file_lock(lock_path_for(db, "digest"), timeout, "digest delivery")

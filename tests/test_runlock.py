"""A second run on the same database waits a bounded time, then names the running process."""
import subprocess
import sys
import textwrap

import pytest

from flows.runlock import RunInProgress, run_lock


def test_second_run_is_refused_with_the_pid(tmp_path):
    db = tmp_path / "p.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from flows.runlock import run_lock
        with run_lock(Path({str(db)!r}), 1):
            print("ready", flush=True)
            sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(RunInProgress, match=f"process {holder.pid}"):
            with run_lock(db, 0.3):
                pass
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    with run_lock(db, 0.3):  # released when the holder exits
        pass


def test_lock_is_reentrant_per_sequence(tmp_path):
    db = tmp_path / "p.duckdb"
    for _ in range(2):
        with run_lock(db, 0):
            assert (tmp_path / "p.duckdb.run.lock").read_text().strip().isdigit()

"""Concurrency: a busy database gives a message naming the process that holds it (never a traceback);
`privnews query` works while a long `privnews run` is going (the run holds the write lock only in short
stretches); two runs at once leave a consistent database."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse.db import DatabaseBusy, connect, open_warehouse
from warehouse.query import run_query

from tests.test_crash_safety import _env, _reap, _start, _wait_for_running_run, snapshot

ROOT = Path(__file__).resolve().parent.parent


def _cli(tmp: Path, *args: str, env_extra: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = _env(tmp)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture()
def held_db(tmp_path):
    """A migrated database whose write lock another process (the holder) keeps until the test ends.
    Yields (path, holder pid)."""
    db = tmp_path / "held.duckdb"
    with open_warehouse(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\n"
         "print('ready', flush=True)\ntime.sleep(600)\n", str(db)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield db, holder.pid
    holder.kill()
    holder.wait()


def test_connect_waits_a_bounded_time_then_names_the_holder(held_db):
    db, pid = held_db
    t0 = time.monotonic()
    with pytest.raises(DatabaseBusy) as exc:
        connect(db, lock_timeout=1.0)
    waited = time.monotonic() - t0
    assert 0.9 <= waited < 10
    assert exc.value.pid == pid and f"process {pid}" in str(exc.value)
    with pytest.raises(DatabaseBusy):
        run_query(db, "select 1", lock_timeout=0.5)             # readers too: the holder is a writer


@pytest.mark.slow
@pytest.mark.parametrize("args", [["query", "select count(*) from articles"], ["run", "--no-digest"]])
def test_cli_on_a_busy_database_says_who_holds_it_without_a_traceback(tmp_path, held_db, args):
    db, pid = held_db
    t0 = time.monotonic()
    result = _cli(tmp_path, *args[:1], "--db", str(db), *args[1:], env_extra={"PRIVNEWS_LOCK_TIMEOUT": "2"})
    elapsed = time.monotonic() - t0
    output = " ".join((result.stdout + result.stderr).split())      # the console wraps long lines
    assert result.returncode == 2, output[-3000:]
    assert f"process {pid}" in output and "PRIVNEWS_LOCK_TIMEOUT" in output
    assert "Traceback" not in output, output[-3000:]
    assert elapsed < 240


def _lock_free(db: Path) -> bool:
    try:
        duckdb.connect(str(db), read_only=True).close()
        return True
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            return False
        raise


def test_query_twice_while_another_connection_to_the_file_is_open(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_warehouse(db):
        pass
    other = duckdb.connect(str(db), read_only=True)        # a notebook, a UI, a long-lived reader
    try:
        assert run_query(db, "select 1")[1] == [(1,)]
        assert run_query(db, "select 2")[1] == [(2,)]
    finally:
        other.close()


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_query_works_while_a_long_run_is_going(tmp_path):
    db = tmp_path / "long.duckdb"
    # slow fetching (1 s between requests per host) makes the run long; the lock must be free meanwhile
    proc = _start(tmp_path, db, extra_env={"PRIVNEWS_HTTP__PER_HOST_DELAY": "1.0"})
    _wait_for_running_run(db, proc)
    # One thread, strictly one connection at a time (DuckDB shares one instance per file within a process):
    # probe the lock every 50 ms to measure how long the run holds it, and query every 0.5 s.
    busy: list[tuple[float, float]] = []
    answered, latencies, held_since, next_query = 0, [], None, 0.0
    while proc.poll() is None:
        now = time.monotonic()
        if _lock_free(db):
            if held_since is not None:
                busy.append((held_since, now))
                held_since = None
        elif held_since is None:
            held_since = now
        if now >= next_query:
            t0 = time.monotonic()
            run_query(db, "select count(*) from articles", lock_timeout=60)
            latencies.append(time.monotonic() - t0)
            answered += 1
            next_query = time.monotonic() + 0.5
        time.sleep(0.05)
    rc, out, err = _reap(proc)
    assert rc == 0, err[-3000:]
    # a query that had to wait also measures a stretch during which the run held the lock
    longest = max([b - a for a, b in busy] + latencies + [0.0])
    print(f"queries answered during the run: {answered}; slowest {max(latencies):.2f}s; "
          f"write lock held in {len(busy)} stretches, longest {longest:.2f}s")
    assert answered >= 10
    assert sorted(latencies)[len(latencies) // 2] < 2.0     # typically immediate
    assert longest < 30.0                                     # the run never holds the lock for long


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_two_runs_at_once_end_consistent_and_without_traceback(tmp_path):
    db = tmp_path / "two.duckdb"
    # same installation: same data dir and PREFECT_HOME, as two cron jobs would be
    a = _start(tmp_path, db)
    b = _start(tmp_path, db)
    (rc_a, out_a, err_a), (rc_b, out_b, err_b) = _reap(a), _reap(b)
    for rc, out, err, other in ((rc_a, out_a, err_a, b.pid), (rc_b, out_b, err_b, a.pid)):
        assert "Traceback" not in err + out, err[-3000:]
        assert rc == 0 or (rc == 2 and f"process {other}" in " ".join(err.split())), (rc, err[-3000:])
    assert 0 in (rc_a, rc_b)
    snap = snapshot(db)
    for table in ("mentions", "statistics", "claims"):
        assert max(snap[table].values()) == 1, table             # no fact stored twice
    assert all(v for _h, v, _s in snap["articles"].values())    # everything extracted
    # each digest item went out once: the ledger admits one message per item, and all were sent
    assert sum(snap["outbox_items"].values()) == len(snap["ledger"])
    assert {st for _m, st in snap["outbox"]} == {"sent"}

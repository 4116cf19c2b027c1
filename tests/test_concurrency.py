"""Concurrency: a busy database gives a message naming the process that holds it (never a traceback);
`privnews query` works while a long `privnews run` is going (the run holds the write lock only in short
stretches). Two runs at once on one database: the last step of
tests/test_crash_safety.py::test_kill_at_every_stage_then_rerun_equals_one_clean_run (both started together
after the crash chain; the database must then equal a clean run's)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.runs import run_env
from warehouse.db import DatabaseBusy, connect, open_warehouse
from warehouse.query import run_query


def _cli(tmp: Path, *args: str, env_extra: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = run_env(tmp)
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
def test_query_works_while_a_long_run_is_going(reference_run):
    """The session's reference run (tests/conftest.py): from the moment it recorded its start until it ended,
    `privnews query`'s runner was called every 0.5 s and the write lock probed every 0.1 s."""
    assert reference_run.returncode == 0, reference_run.stderr[-3000:]
    probe = reference_run.probe
    # a query that had to wait also measures a stretch during which the run held the lock
    longest = max([b - a for a, b in probe.busy] + probe.latencies + [0.0])
    print(f"queries answered during the run: {probe.answered}; slowest {max(probe.latencies):.2f}s; "
          f"write lock held in {len(probe.busy)} stretches, longest {longest:.2f}s")
    assert probe.answered >= 10
    assert sorted(probe.latencies)[len(probe.latencies) // 2] < 2.0     # typically immediate
    assert longest < 30.0                                                 # the run never holds the lock for long

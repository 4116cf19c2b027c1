"""Helpers for the tests that start real `privnews run` processes (crash safety, concurrency): the
environment, starting a run, reaping it (and checking that nothing it started outlives it), waiting for it
to record its start, and snapshots of the database to compare with a clean run."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parent.parent
# How long a process started by a run may take to go after the run itself is gone (SIGTERM from the kernel,
# then a graceful uvicorn shutdown, on a loaded 2-core machine).
ORPHAN_GRACE = 30.0
# Entries taken from each of the four sample feeds by the runs under test (ingest.max_entries_per_feed): about
# 160 articles, three extraction chunks and more, whatever the size of the bundled sample.
SAMPLE_ENTRIES_PER_FEED = 40


def seed_prefect_home(home: Path, migrated_db: Path) -> Path:
    """A fresh PREFECT_HOME holding an already migrated Prefect database (conftest.migrated_prefect_db)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_db, home / "prefect.db")
    return home


def run_env(tmp: Path, kill_at: str | None = None, extra: dict | None = None, api_url: str | None = None) -> dict:
    """The environment of a `privnews run` under test. `api_url`: a running Prefect API server to use (none:
    the run starts its own ephemeral one, as in production without PREFECT_API_URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVNEWS_", "PREFECT_"))}
    env.update({
        "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        "PRIVNEWS_DATA_DIR": str(tmp / "data"), "PRIVNEWS_PROFILE": "sample",
        # a little politeness delay per host, so fetching lasts long enough to be interrupted
        "PRIVNEWS_HTTP__PER_HOST_DELAY": "0.25",
        # an extraction worker process in every run that extracts (the sample has fewer articles than the
        # default threshold): the crash guarantees must hold with it, and it must die with the run
        "PRIVNEWS_EXTRACT_WORKER_MIN_PENDING": "1",
        # the newest SAMPLE_ENTRIES_PER_FEED of each sample feed: what these tests check does not depend on how
        # many articles the bundled sample holds, and their time would otherwise grow with the corpus
        "PRIVNEWS_INGEST__MAX_ENTRIES_PER_FEED": str(SAMPLE_ENTRIES_PER_FEED),
        "PYTHONPATH": str(ROOT),
    })
    if api_url:
        env["PREFECT_API_URL"] = api_url
    if kill_at:
        env["PRIVNEWS_TEST_KILL_AT"] = kill_at
    env.update(extra or {})
    return env


def start_run(tmp: Path, db: Path, kill_at: str | None = None, extra_env: dict | None = None,
              api_url: str | None = None) -> subprocess.Popen:
    """Start `privnews run` in its own process group. Output goes to files, not pipes (a process that
    outlived the run would hold a pipe open)."""
    tmp.mkdir(parents=True, exist_ok=True)
    n = len(list(tmp.glob("run-*.out")))
    out, err = tmp / f"run-{n}.out", tmp / f"run-{n}.err"
    with open(out, "w") as fo, open(err, "w") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--db", str(db)], cwd=tmp,
                                env=run_env(tmp, kill_at, extra_env, api_url), stdout=fo, stderr=fe,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    proc.out_path, proc.err_path = out, err  # type: ignore[attr-defined]
    proc.descendants = {}                    # type: ignore[attr-defined]  pid -> psutil.Process
    proc.cmdlines = {}                       # type: ignore[attr-defined]  pid -> command line
    proc.survivors = []                      # type: ignore[attr-defined]  cmdlines of those that outlived it
    return proc


def watch(proc: subprocess.Popen) -> None:
    """Note every process the run has started so far (call it often while the run is going)."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        if child.pid not in proc.descendants:  # type: ignore[attr-defined]
            proc.descendants[child.pid] = child  # type: ignore[attr-defined]
            try:
                proc.cmdlines[child.pid] = " ".join(child.cmdline())  # type: ignore[attr-defined]
            except psutil.Error:
                proc.cmdlines[child.pid] = "?"  # type: ignore[attr-defined]


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE   # is_running checks the create time
    except psutil.Error:
        return False


def reap(proc: subprocess.Popen, timeout: float = 900, poll: float = 0.25) -> tuple[int, str, str]:
    """Wait for the run (noting the processes it starts), then give whatever it started ORPHAN_GRACE seconds
    to go: those still there are recorded in `proc.survivors` (and then killed, so that a failing test
    leaves nothing behind). Returns (returncode, stdout, stderr)."""
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            watch(proc)
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            time.sleep(poll)
        started = list(proc.descendants.values())  # type: ignore[attr-defined]
        grace = time.monotonic() + ORPHAN_GRACE
        while any(_alive(p) for p in started) and time.monotonic() < grace:
            time.sleep(0.2)
        survivors = [p for p in started if _alive(p)]
        proc.survivors = [" ".join(p.cmdline()) for p in survivors]  # type: ignore[attr-defined]
        for p in survivors:
            p.kill()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        try:
            os.killpg(proc.pid, signal.SIGKILL)      # anything else left in the run's process group
        except (ProcessLookupError, PermissionError):
            pass
    read = lambda p: p.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return proc.returncode, read(proc.out_path), read(proc.err_path)  # type: ignore[attr-defined]


def wait_for_running_run(db: Path, proc: subprocess.Popen, timeout: float = 600, poll: float = 0.1) -> None:
    """Until the run has recorded its start (ingest begins right after), polling with short read-only
    connections (the run waits for them: lock_timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        watch(proc)
        if db.exists():
            try:
                con = duckdb.connect(str(db), read_only=True)
                try:
                    n = con.execute("select count(*) from runs where status = 'running'").fetchall()[0][0]
                finally:
                    con.close()
                if n:
                    return
            except duckdb.Error:
                pass
        time.sleep(poll)
    raise AssertionError("the run never recorded its start")


def snapshot(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        snap = {
            "articles": dict((a, (h, v is not None, s)) for a, h, v, s in
                             q("select article_id, content_hash, extractor_version, skip_reason from articles")),
            "mentions": Counter(q("select article_id, mention_id from mentions")),
            "statistics": Counter(q("select article_id, stat_id from statistics")),
            "claims": Counter(q("select article_id, claim_id from claims")),
            "actors": {a for (a,) in q("select actor_id from actors")},
            "per_article": Counter(),
            # (the destination key holds the absolute digest directory, which differs between test databases)
            "ledger": Counter(q("select subscription, item_key from digest_ledger")),
            "outbox": {(m, st) for m, st in q("select message_id, state from digest_outbox")},
            "outbox_items": dict(q("select message_id, item_count from digest_outbox")),
            "stories": {frozenset(ids) for (ids,) in
                        q("select list(article_id) from articles where story_id is not null group by story_id")},
            "runs": q("select status from runs order by started_at"),
        }
        for table in ("mentions", "statistics", "claims"):
            for (article, _fid), n in snap[table].items():
                snap["per_article"][(table, article)] += n
        return snap
    finally:
        con.close()


def assert_same_as_clean(got: dict, clean: dict) -> None:
    assert got["articles"] == clean["articles"]                       # same articles, same text, all extracted
    for table in ("mentions", "statistics", "claims"):
        dupes = [k for k, n in got[table].items() if n > 1]
        assert dupes == [], f"{table}: facts stored more than once: {dupes[:5]}"
        assert got[table] == clean[table], f"{table}: fact set differs from a clean run"
    assert got["per_article"] == clean["per_article"]                 # no partial fact sets
    assert got["actors"] == clean["actors"]
    assert got["ledger"] == clean["ledger"] and got["ledger"]         # every digest item claimed once...
    assert {st for _m, st in got["outbox"]} == {"sent"}               # ...and delivered
    assert sum(got["outbox_items"].values()) == sum(clean["outbox_items"].values())
    assert got["stories"] == clean["stories"]
    assert got["runs"][-1] == ("completed",)


def digest_files(data_dir: Path) -> Counter:
    """How many digest files of each kind were written (<date>-<subscription>-<message hash>.<ext>; the hash
    covers the destination directory, so names differ between test databases, counts must not)."""
    return Counter((p.name.split("-")[3], p.suffix) for p in (data_dir / "digests").glob("*-*-*-*.*"))


@dataclass
class Probe:
    answered: int                       # queries answered while the run was going
    latencies: list[float]              # seconds each query took
    busy: list[tuple[float, float]]     # stretches during which the write lock was held


@dataclass
class ReferenceRun:
    returncode: int
    stderr: str
    snapshot: dict
    files: Counter
    probe: Probe


def _lock_free(db: Path) -> bool:
    try:
        duckdb.connect(str(db), read_only=True).close()
        return True
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            return False
        raise


def probe_while_running(db: Path, proc: subprocess.Popen, query_every: float = 0.5,
                        probe_every: float = 0.1) -> Probe:
    """Until the run ends: run `privnews query`'s runner every `query_every` seconds and probe the write
    lock in between. One thread, strictly one connection at a time (DuckDB shares one instance per file
    within a process)."""
    from warehouse.query import run_query

    probe = Probe(0, [], [])
    held_since, next_query = None, 0.0
    while proc.poll() is None:
        watch(proc)
        now = time.monotonic()
        if _lock_free(db):
            if held_since is not None:
                probe.busy.append((held_since, now))
                held_since = None
        elif held_since is None:
            held_since = now
        if now >= next_query:
            t0 = time.monotonic()
            run_query(db, "select count(*) from articles", lock_timeout=60)
            probe.latencies.append(time.monotonic() - t0)
            probe.answered += 1
            next_query = time.monotonic() + query_every
        time.sleep(probe_every)
    return probe

"""Crash safety: `privnews run` is SIGKILLed at many points (while fetching, before/after loading facts,
before/after sending a digest), run again, and the database must equal that of one clean run: every article
has its facts exactly once, no partial fact sets, no lost digest items.

The kills are real: `python -m flows.cli run` in a subprocess, killed (SIGKILL, no cleanup) by the opt-in
fault hook flows/faults.py at the checkpoint named in PRIVNEWS_TEST_KILL_AT."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------------ the hook itself (fast) ---

def _hook(kill_at: str | None, calls: list[str]) -> subprocess.CompletedProcess:
    code = ("from flows.settings import load_settings\nfrom flows.faults import checkpoint\n"
            "s = load_settings()\n"
            + "".join(f"checkpoint(s, {name!r}); print({name!r}, flush=True)\n" for name in calls))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVNEWS_")}
    if kill_at is not None:
        env["PRIVNEWS_TEST_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_checkpoint_kills_only_where_asked():
    calls = ["a", "b", "a", "c"]
    assert _hook(None, calls).stdout.split() == calls                  # off by default
    assert _hook("zzz", calls).stdout.split() == calls                 # another name: nothing happens
    died = _hook("b", calls)
    assert died.returncode == -signal.SIGKILL and died.stdout.split() == ["a"]
    second = _hook("a:2", calls)                                       # the N-th time a point is reached
    assert second.returncode == -signal.SIGKILL and second.stdout.split() == ["a", "b"]


# ------------------------------------------------------------------------------ kill-and-rerun (slow) ---

def _env(tmp: Path, kill_at: str | None = None, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVNEWS_", "PREFECT_"))}
    env.update({
        "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        "PRIVNEWS_DATA_DIR": str(tmp / "data"), "PRIVNEWS_PROFILE": "sample",
        # a little politeness delay per host, so fetching lasts long enough to be interrupted
        "PRIVNEWS_HTTP__PER_HOST_DELAY": "0.25",
        "PYTHONPATH": str(ROOT),
    })
    if kill_at:
        env["PRIVNEWS_TEST_KILL_AT"] = kill_at
    env.update(extra or {})
    return env


def _start(tmp: Path, db: Path, kill_at: str | None = None, extra_env: dict | None = None) -> subprocess.Popen:
    """Start `privnews run` in its own process group. Output goes to files, not pipes: a SIGKILLed run's
    ephemeral Prefect server outlives it and would hold pipes open."""
    tmp.mkdir(parents=True, exist_ok=True)
    n = len(list(tmp.glob("run-*.out")))
    out, err = tmp / f"run-{n}.out", tmp / f"run-{n}.err"
    with open(out, "w") as fo, open(err, "w") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--db", str(db)], cwd=tmp,
                                env=_env(tmp, kill_at, extra_env), stdout=fo, stderr=fe,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    proc.out_path, proc.err_path = out, err  # type: ignore[attr-defined]
    return proc


def _reap(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str, str]:
    try:
        proc.wait(timeout=timeout)
    finally:
        # A SIGKILLed run cannot stop its ephemeral Prefect API server; end it (and anything else the run
        # started) here, by the run's own process group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    read = lambda p: p.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return proc.returncode, read(proc.out_path), read(proc.err_path)  # type: ignore[attr-defined]


def _run(tmp: Path, db: Path, kill_at: str | None = None) -> tuple[int, str, str]:
    return _reap(_start(tmp, db, kill_at))


def _wait_for_running_run(db: Path, proc: subprocess.Popen, timeout: float = 600) -> None:
    """Until the run has recorded its start (ingest begins right after), polling with short read-only
    connections (the run waits for them: lock_timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
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
        time.sleep(0.2)
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


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> tuple[dict, set[str]]:
    tmp = tmp_path_factory.mktemp("clean")
    rc, out, err = _run(tmp, tmp / "clean.duckdb")
    assert rc == 0, err[-3000:]
    return snapshot(tmp / "clean.duckdb"), digest_files(tmp / "data")


# Each killed run leaves the database as it is at that point; the next run in the chain starts from it, so
# one database goes through every crash, in pipeline order, before the final run completes.
# (extract.before_load / ingest.before_load are subsumed by the *.loading points, which die later, with the
# write connection open, and leave the same state; they are left out to keep CI time down.)
# "ingest.page_fetched:10": the 10th article page has arrived, the others are in flight (politeness delay).
CHAIN = ["ingest.page_fetched:10", "ingest.loading", "extract.loading", "digest.before_send", "digest.after_send"]


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_kill_at_every_stage_then_rerun_equals_one_clean_run(tmp_path, clean_run):
    clean, clean_files = clean_run
    assert clean["ledger"] and clean["claims"], "the clean run must produce facts and digest items"
    db = tmp_path / "crash.duckdb"
    killed = []
    for point in CHAIN:
        rc, out, err = _run(tmp_path, db, kill_at=point)
        assert rc == -signal.SIGKILL, f"the run was meant to die at {point} but exited {rc}: {err[-2000:]}"
        killed.append(point)
        # whatever the crash left, the database opens and holds no duplicate facts
        mid = snapshot(db)
        for table in ("mentions", "statistics", "claims"):
            assert max(mid[table].values(), default=1) == 1, (point, table)
    rc, out, err = _run(tmp_path, db)
    assert rc == 0, err[-3000:]
    assert "Traceback" not in err
    assert killed == CHAIN
    assert_same_as_clean(snapshot(db), clean)
    assert digest_files(tmp_path / "data") == clean_files

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

import pytest

from tests.runs import ROOT, assert_same_as_clean, digest_files, reap, seed_prefect_home, snapshot, start_run


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

# Each killed run leaves the database as it is at that point; the next run in the chain starts from it, so
# one database goes through every crash, in pipeline order, before the final run completes.
# (extract.before_load / ingest.before_load are subsumed by the *.loading points, which die later, with the
# write connection open, and leave the same state; they are left out to keep CI time down.)
# "ingest.page_fetched:10": the 10th article page has arrived, the others are in flight (politeness delay).
CHAIN = ["ingest.page_fetched:10", "ingest.loading", "extract.loading", "digest.before_send", "digest.after_send"]


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_kill_at_every_stage_then_rerun_equals_one_clean_run(tmp_path, reference_run, prefect_api,
                                                             migrated_prefect_db):
    """The clean run is the session's reference run (tests/conftest.py). The runs here use the session's
    Prefect API server, except the first, which starts its own, as `privnews run` does without
    PREFECT_API_URL: that server must be gone within seconds of the SIGKILL (flows/prefect_server.py).
    The chain ends with two runs started at once (two cron jobs): one completes, the other completes after
    it or stops naming it, never a traceback; the database then equals the clean run's."""
    assert reference_run.returncode == 0, reference_run.stderr[-3000:]
    clean, clean_files = reference_run.snapshot, reference_run.files
    assert clean["ledger"] and clean["claims"], "the clean run must produce facts and digest items"
    db = tmp_path / "crash.duckdb"
    seed_prefect_home(tmp_path / "prefect", migrated_prefect_db)   # the first run's own server skips migrations
    killed = []
    for i, point in enumerate(CHAIN):
        proc = start_run(tmp_path, db, kill_at=point, api_url=None if i == 0 else prefect_api)
        rc, out, err = reap(proc)
        assert rc == -signal.SIGKILL, f"the run was meant to die at {point} but exited {rc}: {err[-2000:]}"
        assert proc.survivors == [], f"killed at {point}, the run left processes behind: {proc.survivors}"
        if i == 0:   # it did start a Prefect API server of its own, and that is what has gone
            assert any("prefect" in c and "server" in c for c in proc.cmdlines.values()), proc.cmdlines
        killed.append(point)
        # whatever the crash left, the database opens and holds no duplicate facts
        mid = snapshot(db)
        for table in ("mentions", "statistics", "claims"):
            assert max(mid[table].values(), default=1) == 1, (point, table)
    assert killed == CHAIN
    a, b = start_run(tmp_path, db, api_url=prefect_api), start_run(tmp_path, db, api_url=prefect_api)
    (rc_a, out_a, err_a), (rc_b, out_b, err_b) = reap(a), reap(b)
    for rc, out, err, other in ((rc_a, out_a, err_a, b.pid), (rc_b, out_b, err_b, a.pid)):
        assert "Traceback" not in err + out, err[-3000:]
        assert rc == 0 or (rc == 2 and f"process {other}" in " ".join(err.split())), (rc, err[-3000:])
    assert 0 in (rc_a, rc_b)
    assert a.survivors == [] and b.survivors == []
    assert_same_as_clean(snapshot(db), clean)
    assert digest_files(tmp_path / "data") == clean_files

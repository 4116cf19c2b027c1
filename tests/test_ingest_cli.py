"""`privnews ingest` from the command line: a real process, a real feed over HTTP on 127.0.0.1, its own
Prefect server (flows.prefect_server, which dies with the process) and the counts as JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.httpserver import LocalHTTPServer, Static
from tests.runs import seed_prefect_home

DATA = Path(__file__).parent / "data" / "feeds"
REPO = Path(__file__).resolve().parents[1]


def test_ingest_command_stores_a_feed_and_prints_its_counts(tmp_path, migrated_prefect_db):
    srv = LocalHTTPServer().start()
    try:
        srv.route("/feed.xml", Static((DATA / "privacykrant.xml").read_bytes(), "application/rss+xml"))
        db = tmp_path / "w.duckdb"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}   # the command starts its own
        home = seed_prefect_home(tmp_path / "prefect", migrated_prefect_db)
        env.update(PREFECT_HOME=str(home), PRIVNEWS_HTTP__RETRIES="0")
        proc = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--feed", srv.url("/feed.xml"),
                               "--db", str(db)], cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    finally:
        srv.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = json.loads(proc.stdout)
    assert counts["feeds"] == 1 and counts["feeds_failed"] == 0 and counts["entries"] > 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("SELECT count(*) FROM feeds WHERE url = ?", [srv.url("/feed.xml")]).fetchall()[0][0]
        items = con.execute("SELECT count(*) FROM article_urls").fetchall()[0][0] \
            + con.execute("SELECT count(*) FROM ingest_rejections").fetchall()[0][0]
    finally:
        con.close()
    assert stored == 1
    assert items > 0          # every entry of the feed is either stored or has a recorded rejection

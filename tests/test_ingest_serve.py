"""`privnews serve` for real: a local Prefect server on 127.0.0.1 is started, an ingest interval schedule of a
few seconds is served, at least two scheduled runs complete (the first ingests a local feed, later ones find
it unchanged), and Ctrl-C stops everything that was started: no process is left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import httpx
import psutil
import pytest

from flows.ingest.serve import _free_port
from tests.httpserver import LocalHTTPServer, Static
from tests.runs import seed_prefect_home

DATA = Path(__file__).parent / "data" / "feeds"
ROOT = Path(__file__).resolve().parents[1]

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title><link>/</link>
<description>x</description><item><title>AP beboet energieleverancier Stroomwijs</title>
<link>/pages/ap-boete-energieleverancier</link><guid>a1</guid><pubDate>Wed, 02 Oct 2024 09:30:00 +0200</pubDate>
<description>Callcentermedewerkers konden jarenlang klantdossiers inzien.</description></item></channel></rss>"""


def runs_in(api: str, state: str) -> list[dict]:
    r = httpx.post(f"{api}/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": [state]}}}},
                   timeout=10)
    r.raise_for_status()
    return [run for run in r.json() if run.get("deployment_id")]


@pytest.mark.slow
@pytest.mark.timeout(1200)
# Known defect, open: in the full suite (not alone) serve has hung after Ctrl-C when the interrupt met a flow
# run that was just starting (three CI runs on 2026-11-30; its log stops at "Downloading flow code"). Only that
# hang is expected to fail; any other failure of this test still fails the suite.
@pytest.mark.xfail(raises=subprocess.TimeoutExpired, strict=False,
                   reason="serve can hang after Ctrl-C while a scheduled flow run is starting")
def test_serve_runs_an_interval_schedule_and_cleans_up(tmp_path, migrated_prefect_db):
    with LocalHTTPServer() as srv:
        srv.route("/feed.xml", Static(FEED, "application/rss+xml"))
        srv.route("/pages/ap-boete-energieleverancier",
                  Static((DATA / "pages" / "ap-boete-energieleverancier.html").read_bytes()))
        feeds_file = tmp_path / "feeds.toml"
        feeds_file.write_text(textwrap.dedent(f"""
            [publishers.local]
            name = "Local test outlet"
            homepage = "{srv.base_url}"
            feeds = ["{srv.url('/feed.xml')}"]
            lang = "nl"
            country = "NL"
            kind = "news"
            profiles = ["test"]
        """))
        db = tmp_path / "serve.duckdb"
        port = _free_port()
        api = f"http://127.0.0.1:{port}/api"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "PRIVNEWS_"))}
        env.update({
            "PREFECT_HOME": str(seed_prefect_home(tmp_path / "prefect-home", migrated_prefect_db)),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PREFECT_RUNNER_POLL_FREQUENCY": "2", "PREFECT_LOGGING_LEVEL": "INFO",
            "PRIVNEWS_DB": str(db), "PRIVNEWS_FEEDS_FILE": str(feeds_file), "PRIVNEWS_PROFILE": "test",
            "PRIVNEWS_SCHEDULE__INGEST_INTERVAL_MINUTES": "0.05",          # every 3 seconds
            "PRIVNEWS_HTTP__ALLOW_PRIVATE_PAGES": "true",
        })
        script = ("import logging; logging.basicConfig(level=logging.INFO)\n"
                  "from flows.settings import load_settings\nfrom flows.ingest.serve import serve\n"
                  f"serve(load_settings(), port={port}, startup_timeout=400)\n")
        log = open(tmp_path / "serve.log", "wb")
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        started: set[int] = set()
        try:
            deadline = time.monotonic() + 800
            runs: list[dict] = []
            max_running = 0
            while time.monotonic() < deadline and len(runs) < 2:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                try:
                    started |= {p.pid for p in psutil.Process(proc.pid).children(recursive=True)}
                except psutil.NoSuchProcess:
                    pass
                try:
                    runs = runs_in(api, "COMPLETED")
                    max_running = max(max_running, len(runs_in(api, "RUNNING")))
                except httpx.HTTPError:
                    pass
                time.sleep(1)
            assert len(runs) >= 2, (tmp_path / "serve.log").read_text()[-3000:]
            assert any(started), "serve started no server process"
            assert max_running <= 1                                   # ingest runs never overlap
            deployments = {d["name"]: d for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()}
            dep = deployments["ingest"]
            assert dep["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"   # late runs skipped
            assert dep["global_concurrency_limit"]["limit"] == 1
        finally:
            started |= {p.pid for p in psutil.Process(proc.pid).children(recursive=True)} \
                if psutil.pid_exists(proc.pid) else set()
            if proc.poll() is None:
                # Ctrl-C: the terminal signals the whole foreground process group, so a flow run that serve has
                # just started gets it too (signalling serve alone left such a run, and serve waiting on it,
                # for over 240 s: three times on 2026-11-30, whenever the interrupt met a starting run)
                os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                raise
            finally:
                log.close()
        leftovers = [pid for pid in started if psutil.pid_exists(pid)
                     and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
        assert leftovers == [], [psutil.Process(p).cmdline() for p in leftovers]
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{api}/health", timeout=2)
        assert srv.hits("/pages/ap-boete-energieleverancier") == 1          # later runs: 304, no page fetch
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
            assert con.execute("SELECT last_status FROM feeds").fetchone()[0] in (200, 304)
        finally:
            con.close()

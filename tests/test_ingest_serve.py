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
# serve's own bounds (runner 10 s + 5 s after killing its runs, server 10 s + SIGKILL), with room for a loaded machine
SERVE_STOP_BOUND = 60
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
        # Ctrl-C reaches a terminal's foreground job even when this test runs in the background of a shell
        # (which starts its jobs with SIGINT ignored, and serve keeps an ignored SIGINT ignored)
        script = ("import logging, signal; logging.basicConfig(level=logging.INFO)\n"
                  "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
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
                proc.wait(timeout=SERVE_STOP_BOUND)       # bounded, even when a flow run was just starting
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


# A stand-in for Prefect's Runner (not our code) that stops the way it does when a flow run was just starting:
# on cancellation it waits for its flow-run process, shielded and without a time limit. Its process ignores
# SIGINT and SIGTERM, so only the SIGKILL of StoppableRunner's second step ends that wait.
SHIELDED_RUNNER = """
import logging, signal, subprocess, sys, anyio
# a job started in the background of a shell (CI included) inherits an ignored SIGINT; Ctrl-C must reach it here
signal.signal(signal.SIGINT, signal.default_int_handler)
logging.basicConfig(level=logging.INFO)
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
from flows.ingest.stoppable_runner import StoppableRunner

class ShieldedWaitRunner:
    async def start(self):
        print("runner sees", get_current_settings().api.url, flush=True)     # serve's temporary settings
        child = subprocess.Popen([sys.executable, "-c", "import signal, time; "
                                  "signal.signal(signal.SIGINT, signal.SIG_IGN); "
                                  "signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                  "print('child', flush=True); time.sleep(300)"])
        try:
            await anyio.sleep_forever()
        finally:
            child.terminate()
            with anyio.CancelScope(shield=True):
                while child.poll() is None:
                    await anyio.sleep(0.1)

with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
    stopped = StoppableRunner(ShieldedWaitRunner(), graceful=1, after_kill=5).serve_until_signalled()
print("stopped:", stopped, flush=True)
"""


def test_stop_is_bounded_when_the_runner_waits_on_a_flow_run_that_ignores_signals(tmp_path):
    out = tmp_path / "out.txt"
    with open(out, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-c", SHIELDED_RUNNER], cwd=ROOT, stdout=sink,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while b"child" not in out.read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.1)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children
        os.killpg(proc.pid, signal.SIGINT)                 # Ctrl-C: the child ignores it
        started = time.monotonic()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running 30 s after Ctrl-C: {out.read_text()[-3000:]}") from None
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = out.read_text()
    assert proc.returncode == 0, text
    assert "runner sees http://127.0.0.1:9/api" in text, text
    assert "stopped: True" in text, text
    assert "killed its flow-run processes" in text, text
    assert took < 15, (took, text)
    assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)

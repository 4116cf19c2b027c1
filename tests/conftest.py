"""Test environment: offline, project-local Prefect home, no telemetry (set before any import of prefect)."""
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", os.path.join(tempfile.gettempdir(), "privnews-test-prefect"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PRIVNEWS_CONFIG", None)
# The ephemeral Prefect API server can take longer than its default 20 s to start on a loaded 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@pytest.fixture()
def db(tmp_path):
    """A migrated warehouse holding one article with its facts (tests/test_warehouse.py FACTS)."""
    from tests.test_warehouse import FACTS, article
    from warehouse.db import open_warehouse
    from warehouse.load import replace_facts, upsert_articles

    path = tmp_path / "w.duckdb"
    with open_warehouse(path) as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
    return path


_SESSION_SERVER = pytest.StashKey()


def pytest_collection_modifyitems(session, config, items):
    """When a collected test needs the session's Prefect API server, launch it now, so that it starts while
    the tests before that one run (the fixture below only waits for it)."""
    if any("prefect_api" in getattr(item, "fixturenames", ()) for item in items):
        try:
            config.stash[_SESSION_SERVER] = _launch_session_server()
        except Exception:                # the fixture tries again, and reports the error where it is needed
            pass


def _launch_session_server():
    from flows.prefect_server import EphemeralServer

    return EphemeralServer(env={"PREFECT_HOME": tempfile.mkdtemp(prefix="privnews-test-prefect-")}).launch()


def pytest_unconfigure(config):
    server = config.stash.get(_SESSION_SERVER, None)
    if server is not None:
        server.stop()
        shutil.rmtree(server.extra_env["PREFECT_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_api(pytestconfig):
    """One Prefect API server for the whole session (ephemeral mode, its own PREFECT_HOME; it dies with this
    process, see flows/prefect_server.py), for tests that start `privnews run` many times: each run saves its
    own server start-up (tens of seconds on a loaded 2-core machine). Launched at collection time (above).
    Yields the API URL."""
    server = pytestconfig.stash.get(_SESSION_SERVER, None)
    if server is None:                   # e.g. requested through getfixturevalue
        server = pytestconfig.stash[_SESSION_SERVER] = _launch_session_server()
    server.wait_ready(timeout=600)
    yield server.api_url


@pytest.fixture(scope="module")
def flows_on_session_server(prefect_api):
    """For the rest of the module: flows run in this process report to the session's Prefect API server (as
    `privnews run` does with PREFECT_API_URL set). Otherwise the first of them starts Prefect's own ephemeral
    server in this process, a second server for the session, which migrates a fresh PREFECT_HOME's database
    first on a fresh clone (CI): tens of seconds. What the tests check of the flows is unchanged."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        yield prefect_api


@pytest.fixture(scope="session")
def migrated_prefect_db(prefect_api, pytestconfig, tmp_path_factory) -> Path:
    """A consistent copy (SQLite backup) of the session server's Prefect database, whose schema is migrated.
    Tests that start a Prefect server of their own on a fresh PREFECT_HOME seed the home with it
    (tests/runs.seed_prefect_home), so that server skips the schema migrations: measured 15 s instead of 63 s
    to start on a loaded 2-core machine. What those tests check (processes, kills, secrets) is unchanged."""
    src = Path(pytestconfig.stash[_SESSION_SERVER].extra_env["PREFECT_HOME"]) / "prefect.db"
    dst = tmp_path_factory.mktemp("prefect-db") / "prefect.db"
    with closing(sqlite3.connect(src)) as live, closing(sqlite3.connect(dst)) as copy:
        live.backup(copy)
    return dst


@pytest.fixture(scope="session")
def reference_run(tmp_path_factory, prefect_api):
    """One clean `privnews run` from an empty database (sample feeds), shared by the crash-safety test (its
    database is what every crash-and-rerun must end equal to) and the concurrency test (while it went,
    `privnews query` ran every 0.5 s and the write lock was probed). Asserts nothing itself."""
    from tests.runs import ReferenceRun, digest_files, probe_while_running, reap, snapshot, start_run, \
        wait_for_running_run

    tmp = tmp_path_factory.mktemp("reference")
    db = tmp / "clean.duckdb"
    proc = start_run(tmp, db, api_url=prefect_api)
    wait_for_running_run(db, proc)
    probe = probe_while_running(db, proc)
    rc, out, err = reap(proc)
    return ReferenceRun(rc, err, snapshot(db) if rc == 0 else {}, digest_files(tmp / "data"), probe)


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for the digest tests: (inbox of accepted messages, port)."""
    from aiosmtpd.controller import Controller

    from tests.digest_fixtures import Inbox, free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()

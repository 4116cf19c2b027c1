"""A digest never holds the DuckDB lock while a mail server takes its time: the message is committed to the
outbox (pending) in a short transaction, the connection is closed, and only then is it handed to SMTP. A real
SMTP server (aiosmtpd on 127.0.0.1) stalls in DATA until the test lets it answer; meanwhile a `privnews
query` (warehouse.query.run_query, what the command calls) and another writer get the database at once.
A second digest process meanwhile is refused by the digest lock, so the pending message is not sent twice."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from flows.digest.run import run_digest
from flows.runlock import RunInProgress
from tests.digest_fixtures import Inbox, free_port, load_articles, settings_for
from warehouse.db import connect, one_instance, open_warehouse
from warehouse.query import run_query

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys
from flows.digest.run import run_digest
from flows.settings import load_settings
db, data_dir, rules, port = sys.argv[1:]
settings = load_settings(db=db, data_dir=data_dir, rules_file=rules, lock_timeout=60,
                         smtp={"host": "127.0.0.1", "port": int(port), "security": "none", "timeout": 120.0})
print([m.state for m in run_digest(settings, "benelux").messages], flush=True)
"""


class StallingInbox(Inbox):
    """Accepts the connection and the envelope, then keeps the client waiting for the answer to DATA until
    `release` is set (a slow or overloaded mail server)."""

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.stalled.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 300)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stalling_smtp():
    inbox, port = StallingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


@pytest.mark.timeout(300)
def test_database_is_free_while_smtp_stalls_and_a_second_digest_is_refused(tmp_path, stalling_smtp):
    inbox, port = stalling_smtp
    db = tmp_path / "w.duckdb"
    load_articles(db)
    settings = settings_for(tmp_path, smtp_port=port)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(settings.data_dir),
                              str(settings.rules_file), str(port)], cwd=ROOT, env=os.environ.copy(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert inbox.stalled.wait(180), "the digest never reached the SMTP server"
        assert child.poll() is None and inbox.messages == []                  # the delivery is hanging

        # a reader is answered at once, and sees the message committed as pending before it was sent
        t0 = time.monotonic()
        columns, rows = run_query(db, "select state, item_count from digest_outbox", lock_timeout=10)
        assert rows == [("pending", 3)]
        # another writer (a run's load step) gets in too
        connect(db, lock_timeout=10).close()
        assert time.monotonic() - t0 < 10

        # a second digest of the same database must not pick up the pending message while it is being sent
        second = settings_for(tmp_path, smtp_port=port, lock_timeout=1.0)
        with pytest.raises(RunInProgress, match=f"process {child.pid}"):
            run_digest(second, "benelux")
        assert child.poll() is None and inbox.messages == []                  # still the same stall
    finally:
        inbox.release.set()
        out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-3000:]
    assert out.strip() == "['sent']"
    assert len(inbox.messages) == 1
    with open_warehouse(db) as con:
        assert con.execute("select state, attempts from digest_outbox").fetchall() == [("sent", 1)]
    assert run_digest(settings, "benelux").messages == [] and len(inbox.messages) == 1   # nothing repeated


HOLDER = """
import sys, time
from pathlib import Path
from flows.runlock import digest_lock
from warehouse.db import connect
db = sys.argv[1]
with digest_lock(Path(db), 5):
    print("locked", flush=True)
    sys.stdin.readline()
    t0 = time.monotonic()
    connect(db, lock_timeout=20).close()     # like a digest recording a delivery before it lets go
    print(f"{time.monotonic() - t0:.1f}", flush=True)
"""


@pytest.mark.timeout(120)
def test_a_digest_waiting_for_the_digest_lock_lets_go_of_a_kept_database(tmp_path):
    """run_all keeps one DuckDB instance from the pending count to its end record (one_instance); a digest
    that must wait for another digest's flock lets go of it, or the two would wait on each other."""
    db = tmp_path / "w.duckdb"
    load_articles(db)
    settings = settings_for(tmp_path, lock_timeout=60)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, env=os.environ.copy(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kept, results = threading.Event(), []

    def digest_under_one_instance():
        with one_instance(db):
            connect(db).close()          # the pending count: the instance is kept from here
            kept.set()
            results.append(run_digest(settings, "everything"))

    try:
        assert holder.stdout.readline().strip() == "locked"
        worker = threading.Thread(target=digest_under_one_instance)
        worker.start()
        assert kept.wait(30)
        time.sleep(1.0)                  # the digest is now waiting for the flock
        holder.stdin.write("\n")
        holder.stdin.flush()
        waited = holder.stdout.readline().strip()
        worker.join(60)
    finally:
        holder.kill()
        _, err = holder.communicate(timeout=30)
    assert waited and float(waited) < 10, err[-3000:]
    assert results and results[0].new_items > 0 and not results[0].failed

"""Exactly-once digest delivery (design: flows/digest/outbox.py). A real subprocess is SIGKILLed at the
checkpoints around sending (flows.faults); the next run must neither lose nor repeat items, except the one
repeat the design states: killed after the server accepted the message and before it was recorded, the
same message (same Message-ID, same bytes) is sent once more."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from flows.digest.run import run_digest
from tests.digest_fixtures import Inbox, free_port, load_articles, settings_for
from warehouse.db import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys
from flows.digest.run import run_digest
from flows.settings import load_settings
db, data_dir, rules, port, kill_at, sub = sys.argv[1:]
settings = load_settings(db=db, data_dir=data_dir, rules_file=rules, test_kill_at=kill_at,
                         smtp={"host": "127.0.0.1", "port": int(port), "security": "none", "timeout": 5.0})
run_digest(settings, sub)
print("finished without being killed")
"""


def _child(settings, port: int, kill_at: str, sub: str = "benelux") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(settings.db), str(settings.data_dir),
                           str(settings.rules_file), str(port), kill_at, sub],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=os.environ.copy())


def _state(settings) -> tuple[list, int]:
    with open_warehouse(settings.db) as con:
        outbox = con.execute("SELECT message_id, state, item_count FROM digest_outbox ORDER BY created_at").fetchall()
        ledger = con.execute("SELECT count(*) FROM digest_ledger").fetchone()[0]
    return outbox, ledger


def _items(msg) -> list[str]:
    return [line for line in msg.get_body(("plain",)).get_content().splitlines() if "evidence:" in line]


def test_killed_between_send_and_record_resends_the_same_message_once(tmp_path, smtp):
    inbox, port = smtp
    load_articles(tmp_path / "w.duckdb")
    settings = settings_for(tmp_path, smtp_port=port)
    child = _child(settings, port, "digest.after_send")
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert "finished" not in child.stdout
    assert len(inbox.messages) == 1                                  # the server got it ...
    outbox, ledger = _state(settings)
    assert [(s, n) for _, s, n in outbox] == [("pending", 3)] and ledger == 3   # ... but it was not recorded

    rerun = run_digest(settings, "benelux")
    assert [(m.state, m.resent) for m in rerun.messages] == [("sent", True)]
    assert rerun.new_items == 0
    assert len(inbox.messages) == 2
    first, second = inbox.parsed()
    # the one repeat the design allows: the identical message, same Message-ID, same items, no item lost
    assert first["Message-ID"] == second["Message-ID"] == outbox[0][0]
    assert inbox.messages[0][2] == inbox.messages[1][2]
    assert len(_items(first)) == 3 and _items(first) == _items(second)
    assert [s for _, s, _ in _state(settings)[0]] == ["sent"]

    assert run_digest(settings, "benelux").messages == []            # and never again
    assert len(inbox.messages) == 2


def test_killed_before_send_sends_exactly_once(tmp_path, smtp):
    inbox, port = smtp
    load_articles(tmp_path / "w.duckdb")
    settings = settings_for(tmp_path, smtp_port=port)
    child = _child(settings, port, "digest.before_send")
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert inbox.messages == []
    assert [s for _, s, _ in _state(settings)[0]] == ["pending"]
    rerun = run_digest(settings, "benelux")
    assert [(m.state, m.resent) for m in rerun.messages] == [("sent", True)]
    assert len(inbox.messages) == 1 and len(_items(inbox.parsed()[0])) == 3
    assert run_digest(settings, "benelux").messages == [] and len(inbox.messages) == 1


def test_killed_after_writing_a_directory_digest_leaves_one_file(tmp_path, smtp):
    _, port = smtp
    load_articles(tmp_path / "w.duckdb")
    settings = settings_for(tmp_path, smtp_port=port)
    child = _child(settings, port, "digest.after_send", sub="everything")
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    out = tmp_path / "data" / "out"
    files = list(out.iterdir())
    assert len(files) == 1
    before = files[0].read_bytes()
    rerun = run_digest(settings, "everything")
    assert rerun.messages[0].resent and rerun.paths == files
    assert list(out.iterdir()) == files and files[0].read_bytes() == before   # rewritten, identical: no repeat


def test_server_down_keeps_items_pending_until_delivered(tmp_path):
    load_articles(tmp_path / "w.duckdb")
    port = free_port()
    settings = settings_for(tmp_path, smtp_port=port)
    down = run_digest(settings, "benelux")
    assert down.messages[0].state == "pending" and "cannot reach SMTP server" in down.messages[0].error
    again = run_digest(settings, "benelux")                          # still down: same message, no new one
    assert [m.message_id for m in again.messages] == [down.messages[0].message_id]
    assert len(_state(settings)[0]) == 1
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = run_digest(settings, "benelux")
    finally:
        controller.stop()
    assert [(m.state, m.resent) for m in up.messages] == [("sent", True)]
    assert len(inbox.messages) == 1 and len(_items(inbox.parsed()[0])) == 3
    with open_warehouse(settings.db) as con:
        assert con.execute("SELECT attempts, last_error FROM digest_outbox").fetchone() == (3, None)

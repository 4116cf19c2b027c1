"""Exactly-once digest delivery: a transactional outbox and an item ledger in DuckDB.

Design (the guarantee and its one exception)
--------------------------------------------
Item: a claim as the digest understands it (compile.item_key: story, kind, claimant, target, basis,
polarity, amount), per subscription and destination (all e-mail recipients of a subscription are one
destination; each directory and stdout is another).

1. Enqueue. Before anything is sent, ONE DuckDB transaction writes the rendered message (subject, text,
   HTML and the exact MIME bytes) into `digest_outbox` with state 'pending', a row per item into
   `digest_ledger` (primary key subscription+destination+item_key) and the window cursor. The Message-ID is
   derived from the subscription, destination and item keys, so it is the same however often it is sent.
   Either all of this is committed or none of it: a crash before the commit leaves the items unclaimed, and
   the next run picks them up again (the window cursor only moves with that commit, and a run looks back
   to the previous cursor minus an overlap, so items are not skipped).
2. Send. The stored bytes are delivered, with no database connection open (run.py): the DuckDB write
   lock is never held while a mail server takes its time. One digest delivery per database at a time
   (flows/runlock.py digest_lock, a flock) keeps two processes from sending the same pending message.
3. Record. `state` becomes 'sent' in its own short transaction.

On every run, pending messages of the subscription are delivered first, byte-identical, with the same
Message-ID, and only then new items are collected (the ledger excludes every item already claimed by a
message, pending or sent). Hence:

- never skipped: an item is either unclaimed (found again by the next run's query) or claimed by a message
  that stays pending, and is re-sent, until a delivery is recorded;
- never sent in two different messages: the ledger's primary key admits one message per item;
- the only possible repeat: the process dies after the server accepted a message and before step 3
  committed. The next run re-sends that same message with the same Message-ID (mail clients and archives
  that deduplicate by Message-ID show it once). For directory delivery even that is not a repeat: the file
  is named after the Message-ID and rewritten atomically with identical content. Stdout gets it twice.
- a message the server rejects permanently stays pending with `last_error` set and blocks nothing else;
  `privnews digest` reports it, and it is re-tried by every run until it goes through.

The crash tests kill the process (SIGKILL, flows.faults) at the checkpoints "digest.before_send" and
"digest.after_send" (between send and record) to show what the design above promises.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
import duckdb
import pyarrow as pa

from warehouse.db import transaction

logger = logging.getLogger(__name__)

CURSOR_OVERLAP = timedelta(hours=1)


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    subscription: str
    destination: str
    state: str
    created_at: datetime
    subject: str
    item_count: int
    story_count: int
    body_text: str
    body_html: str
    mime: bytes
    attempts: int
    last_error: str | None


def message_id(subscription: str, destination: str, item_keys: list[str]) -> str:
    digest = hashlib.sha256("|".join([subscription, destination, *sorted(item_keys)]).encode()).hexdigest()
    return f"<{digest[:32]}.{subscription}@privnews>"


def claimed_keys(con: duckdb.DuckDBPyConnection, subscription: str, destination: str) -> set[str]:
    rows = con.execute("SELECT item_key FROM digest_ledger WHERE subscription = ? AND destination = ?",
                       [subscription, destination]).fetchall()
    return {r[0] for r in rows}


def window_start(con: duckdb.DuckDBPyConnection, subscription: str, destination: str,
                 default: datetime | None) -> datetime | None:
    """Where a run starts looking: the earlier of `default` (now - since) and the last cursor minus an
    overlap, so that a gap between runs never skips an item."""
    # fetchall, not fetchone: DuckDB 2.0 keeps a result that was not read to its end open on the connection,
    # and a later `register` on it raises ResourceInUse
    rows = con.execute("SELECT window_end FROM digest_cursor WHERE subscription = ? AND destination = ?",
                       [subscription, destination]).fetchall()
    if not rows or default is None:
        return default
    return min(default, rows[0][0] - CURSOR_OVERLAP)


def enqueue(con: duckdb.DuckDBPyConnection, *, subscription: str, destination: str, msg_id: str,
            subject: str, body_text: str, body_html: str, mime: bytes, items: list[tuple[str, str, str]],
            story_count: int, now: datetime) -> None:
    """Write the message as pending, claim its items [(item_key, rule, claim_id)] and move the cursor, in
    one transaction."""
    ledger = pa.table({
        "subscription": pa.array([subscription] * len(items), pa.string()),
        "destination": pa.array([destination] * len(items), pa.string()),
        "item_key": pa.array([k for k, _, _ in items], pa.string()),
        "message_id": pa.array([msg_id] * len(items), pa.string()),
        "rule": pa.array([r for _, r, _ in items], pa.string()),
        "claim_id": pa.array([c for _, _, c in items], pa.string()),
        "recorded_at": pa.array([now] * len(items), pa.timestamp("us", tz="UTC")),
    })
    with transaction(con, incoming_ledger=ledger):
        con.execute(
            "INSERT INTO digest_outbox (message_id, subscription, destination, state, created_at, subject, "
            "item_count, story_count, body_text, body_html, mime) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
            [msg_id, subscription, destination, now, subject, len(items), story_count, body_text, body_html,
             mime])
        con.execute("INSERT INTO digest_ledger BY NAME (SELECT * FROM incoming_ledger)")
        _set_cursor(con, subscription, destination, now)


def advance_cursor(con: duckdb.DuckDBPyConnection, subscription: str, destination: str, now: datetime) -> None:
    """A run that found nothing new still moves the cursor (nothing was left behind before `now`)."""
    _set_cursor(con, subscription, destination, now)


def _set_cursor(con, subscription: str, destination: str, now: datetime) -> None:
    con.execute("INSERT INTO digest_cursor VALUES (?, ?, ?) ON CONFLICT (subscription, destination) "
                "DO UPDATE SET window_end = excluded.window_end", [subscription, destination, now])


def pending(con: duckdb.DuckDBPyConnection, subscription: str | None = None) -> list[OutboxMessage]:
    rows = con.execute(
        "SELECT message_id, subscription, destination, state, created_at, subject, item_count, story_count, "
        "body_text, body_html, mime, attempts, last_error FROM digest_outbox "
        "WHERE state = 'pending' AND (?::VARCHAR IS NULL OR subscription = ?::VARCHAR) ORDER BY created_at, message_id",
        [subscription, subscription]).fetchall()
    return [OutboxMessage(*r) for r in rows]


def mark_sent(con: duckdb.DuckDBPyConnection, msg_id: str, now: datetime | None = None) -> None:
    con.execute("UPDATE digest_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL "
                "WHERE message_id = ?", [now or datetime.now(timezone.utc), msg_id])


def mark_failed(con: duckdb.DuckDBPyConnection, msg_id: str, error: str) -> None:
    con.execute("UPDATE digest_outbox SET attempts = attempts + 1, last_error = ? WHERE message_id = ?",
                [error, msg_id])

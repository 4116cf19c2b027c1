"""Tell, for a few milliseconds, that a digest's rule queries cannot find anything new, so a run on unchanged
input skips them (each costs ~60 ms of DuckDB query planning, even over an empty window).

After a check of one subscription and destination, every match of its rules since the window start is
claimed in the ledger (enqueued in that run or an earlier one; content.build_digest keeps every match). The
rule query reads nothing but the warehouse, the rules, the knowledge base (`actor_countries`) and the window
start, and it can only match fewer claims when the start moves later. So when the fingerprint of all of
these equals the one recorded after that check, and the window starts no earlier, a new check would find
exactly the same claimed matches: nothing new. The fingerprint (warehouse/migrations/007_digest_checks.sql)
covers the rules of the subscription, the SQL and the code that turn rules into matches and item keys, the
knowledge base file, and warehouse/queries/digest_inputs.sql (counts and newest load and fetch times of
the tables the query reads, and the size of this destination's ledger). Dry runs neither skip nor record.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb

from flows.digest import actors as kb_module
from flows.digest import compile as compile_module
from flows.digest.rules import RuleSet, Subscription
from warehouse.db import named_query

_MATCHING_CODE = (Path(compile_module.__file__), Path(kb_module.__file__))


def file_fingerprint(path: Path) -> str:
    """sha256 of a file's bytes; 'missing' when there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, ruleset: RuleSet, sub: Subscription, destination: str,
                       kb_fingerprint: str) -> str:
    summary = sorted(con.execute(named_query("digest_inputs"),
                                 {"subscription": sub.name, "destination": destination}).fetchall())
    parts = [repr(ruleset.rules_of(sub)), named_query(compile_module.QUERY_NAME),
             *(file_fingerprint(p) for p in _MATCHING_CODE), kb_fingerprint, repr(summary)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def nothing_new(con: duckdb.DuckDBPyConnection, subscription: str, destination: str, inputs: str,
                start: datetime | None) -> bool:
    """True when the last recorded check had these inputs and looked back at least as far as `start`."""
    rows = con.execute("SELECT inputs, window_start FROM digest_checks WHERE subscription = ? AND destination = ?",
                       [subscription, destination]).fetchall()      # fetchall: no result left open on `con`
    if not rows or rows[0][0] != inputs:
        return False
    checked_from = rows[0][1]
    return checked_from is None or (start is not None and start >= checked_from)


def record_check(con: duckdb.DuckDBPyConnection, subscription: str, destination: str, inputs: str,
                 start: datetime | None, now: datetime) -> None:
    """After a check that left every match since `start` claimed (call it after any enqueue)."""
    con.execute("INSERT INTO digest_checks VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscription, destination) "
                "DO UPDATE SET inputs = excluded.inputs, window_start = excluded.window_start, "
                "checked_at = excluded.checked_at", [subscription, destination, inputs, start, now])


def kb_synced(con: duckdb.DuckDBPyConnection, kb_fingerprint: str) -> bool:
    """actor_countries was last filled from this knowledge base file."""
    rows = con.execute("SELECT fingerprint FROM kb_sync WHERE target = 'actor_countries'").fetchall()
    return bool(rows) and rows[0][0] == kb_fingerprint


def record_kb_sync(con: duckdb.DuckDBPyConnection, kb_fingerprint: str, now: datetime) -> None:
    con.execute("INSERT INTO kb_sync VALUES ('actor_countries', ?, ?) ON CONFLICT (target) "
                "DO UPDATE SET fingerprint = excluded.fingerprint, synced_at = excluded.synced_at",
                [kb_fingerprint, now])

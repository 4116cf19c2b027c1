"""Bulk, transactional, idempotent loads (Arrow tables read by DuckDB, never executemany).

Facts: `replace_facts` = `fact_batch` (contract dicts -> Arrow columns, no per-row Python dicts;
warehouse/columns.py, which the extraction workers run for their own chunks) + `write_facts` (one transaction:
DELETE the batch's old facts, INSERT ... SELECT, actors, article stamps). Per call there is a fixed cost of about
ten DuckDB statements, so load in large batches (docs/scaling.md)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from warehouse.columns import FACT_TABLES, FactBatch, _norm, actor_id, fact_batch, merge_batches, short_hash
from warehouse.db import transaction

__all__ = ["FactBatch", "actor_id", "fact_batch", "merge_batches", "short_hash", "replace_facts", "write_facts",
           "upsert_articles", "write_articles", "fact_rows"]

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")), ("lang", pa.string()), ("text", pa.string()),
    ("content_hash", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")), ("feed_id", pa.string()),
    ("outlet", pa.string()), ("text_source", pa.string()), ("raw_html", pa.string()), ("story_id", pa.string()),
    ("skip_reason", pa.string()),
])
MENTION_SCHEMA = pa.schema([
    ("mention_id", pa.string()), ("article_id", pa.string()), ("actor_id", pa.string()),
    ("actor_name", pa.string()), ("actor_type", pa.string()), ("text", pa.string()),
    ("span_start", pa.int32()), ("span_end", pa.int32()), ("extractor_version", pa.string()),
])
STAT_SCHEMA = pa.schema([
    ("stat_id", pa.string()), ("article_id", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("comparator", pa.string()), ("text", pa.string()), ("span_start", pa.int32()), ("span_end", pa.int32()),
    ("measures", pa.string()), ("population", pa.string()), ("source", pa.string()),
    ("extractor_version", pa.string()),
])
CLAIM_SCHEMA = pa.schema([
    ("claim_id", pa.string()), ("article_id", pa.string()), ("kind", pa.string()), ("basis", pa.string()),
    ("articles", pa.list_(pa.string())), ("claimant", pa.string()), ("target", pa.string()),
    ("claimant_actor_id", pa.string()), ("target_actor_id", pa.string()), ("polarity", pa.string()),
    ("status", pa.string()), ("amount_value", pa.float64()), ("amount_unit", pa.string()), ("text", pa.string()),
    ("span_start", pa.int32()), ("span_end", pa.int32()), ("extractor_version", pa.string()),
])


def _last_per_key(rows: list[dict], key: str) -> list[dict]:
    # DuckDB keeps the FIRST row when an upsert batch holds a key twice; we want the last, explicitly.
    return list({r[key]: r for r in rows}.values())


def _arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


def upsert_articles(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Insert or update articles by article_id, in a transaction of its own."""
    if not rows:
        return 0
    with transaction(con):
        return write_articles(con, rows)


def write_articles(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """The upsert itself, for callers that hold a transaction. Extraction state is reset when the text
    changed, so the article is extracted again."""
    if not rows:
        return 0
    table = _arrow(_last_per_key(rows, "article_id"), ARTICLE_SCHEMA)
    con.register("incoming_articles", table)
    try:
        con.execute("""
            INSERT INTO articles BY NAME (SELECT * FROM incoming_articles)
            ON CONFLICT (article_id) DO UPDATE SET
                title = excluded.title, published = coalesce(excluded.published, articles.published),
                lang = excluded.lang, text = excluded.text, content_hash = excluded.content_hash,
                fetched_at = excluded.fetched_at, text_source = excluded.text_source,
                raw_html = excluded.raw_html, skip_reason = excluded.skip_reason,
                story_id = coalesce(articles.story_id, excluded.story_id),
                extractor_version = CASE WHEN articles.content_hash = excluded.content_hash
                                         THEN articles.extractor_version END
        """)
    finally:
        con.unregister("incoming_articles")
    return table.num_rows


def fact_rows(article_id: str, facts: dict, version: str) -> dict[str, list[dict]]:
    """Flatten one contract dict into warehouse rows with derived, stable ids."""
    out: dict[str, list[dict]] = {"actors": [], "mentions": [], "statistics": [], "claims": []}
    ids_by_name: dict[str, str] = {}
    for actor in facts.get("actors", []):
        aid = actor_id(actor)
        ids_by_name[_norm(actor["name"])] = aid
        out["actors"].append({"actor_id": aid, "name": actor["name"], "type": actor["type"],
                              "kb_id": actor.get("kb_id")})
        for m in actor["mentions"]:
            out["mentions"].append({
                "mention_id": short_hash(article_id, "mention", m["start"], m["end"], aid, version),
                "article_id": article_id, "actor_id": aid, "actor_name": actor["name"],
                "actor_type": actor["type"], "text": m["text"], "span_start": m["start"],
                "span_end": m["end"], "extractor_version": version,
            })
    for s in facts.get("statistics", []):
        out["statistics"].append({
            **{k: s.get(k) for k in ("value", "unit", "comparator", "text", "measures", "population", "source")},
            "stat_id": short_hash(article_id, "statistic", s["start"], s["end"], s["unit"], s["value"], version),
            "article_id": article_id, "span_start": s["start"], "span_end": s["end"], "extractor_version": version,
        })
    for c in facts.get("claims", []):
        amount = c.get("amount") or {}
        out["claims"].append({
            **{k: c.get(k) for k in ("kind", "basis", "articles", "claimant", "target", "polarity", "status",
                                     "text")},
            "claim_id": short_hash(article_id, "claim", c["kind"], c["start"], c["end"], version),
            "article_id": article_id, "claimant_actor_id": ids_by_name.get(_norm(c.get("claimant") or "")),
            "target_actor_id": ids_by_name.get(_norm(c.get("target") or "")),
            "amount_value": amount.get("value"), "amount_unit": amount.get("unit"),
            "span_start": c["start"], "span_end": c["end"], "extractor_version": version,
        })
    for key, id_col in (("mentions", "mention_id"), ("statistics", "stat_id"), ("claims", "claim_id")):
        out[key] = _last_per_key(out[key], id_col)
    return out


# --- fact loads: Arrow columns (warehouse/columns.py, run by the extraction workers too) -> one transaction ----

# The ids come with the batch, each once (warehouse/columns.py hashes them and keeps the last row of an id).
_COLUMNS = {
    "mentions": "article_id, actor_id, actor_name, actor_type, text, span_start, span_end",
    "statistics": "article_id, value, unit, comparator, text, span_start, span_end, measures, population, source",
    "claims": "article_id, kind, basis, articles, claimant, target, claimant_actor_id, target_actor_id, polarity, "
              "status, amount_value, amount_unit, text, span_start, span_end",
}
_ID_COLUMN = {"mentions": "mention_id", "statistics": "stat_id", "claims": "claim_id"}
_SELECT = {"claims": _COLUMNS["claims"].replace("amount_value, amount_unit", "amount.value, amount.unit")}


def _insert_sql(table: str) -> str:
    return (f"INSERT INTO {table} ({_ID_COLUMN[table]}, {_COLUMNS[table]}, extractor_version) "
            f"SELECT id, {_SELECT.get(table, _COLUMNS[table])}, $version FROM incoming_{table}")


_INSERT_SQL = {t: _insert_sql(t) for t in FACT_TABLES}


# Articles whose facts may be stored: extracted before (extracted_at is stamped in the same transaction that
# inserts facts, and nothing else writes fact rows), or not in `articles` at all (facts loaded without an
# article row). A batch of never-extracted articles skips the three DELETEs, each a scan of its table.
_STORED_SQL = ("SELECT count(*) FROM incoming_ids i LEFT JOIN articles a USING (article_id) "
               "WHERE a.article_id IS NULL OR a.extracted_at IS NOT NULL")


# Actors not stored yet. The batch holds each actor id once (fact_batch keeps its last occurrence) and the
# anti-join leaves out the stored ones, so no row can conflict with actors' PRIMARY KEY (which stays, and would
# fail the load rather than store an id twice); ~3 ms CPU per call less than ON CONFLICT DO NOTHING.
_NEW_ACTORS_SQL = ("INSERT INTO actors BY NAME (SELECT * FROM incoming_actors "
                   "WHERE actor_id NOT IN (SELECT actor_id FROM actors))")


# DuckDB threads for the load's statements. On this 2-core machine a second thread made write_facts cost
# 10-17 % more CPU (200,000 facts, bulk and 1,024-article calls) and gained no wall time (each incoming table is
# one record batch; where the extra CPU goes was not investigated). The connection's setting is restored after.
LOAD_THREADS = 1


@contextmanager
def _threads(con: duckdb.DuckDBPyConnection, n: int):
    before = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    if int(before) == n:
        yield
        return
    con.execute(f"SET threads = {int(n)}")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(before)}")


def write_facts(con: duckdb.DuckDBPyConnection, batch: FactBatch) -> dict[str, int]:
    """Replace the facts of every article in the batch in ONE transaction: delete what they have (one DELETE
    per fact table, by the batch's article ids), insert the new rows, add unseen actors, stamp the articles.
    Any error rolls the whole batch back. Returns the actor occurrences and the fact rows inserted."""
    if not batch.tables["incoming_ids"].num_rows:
        return {k: 0 for k in batch.counts}
    counts = {"actors": batch.counts["actors"]}
    params = {"version": batch.version}
    # The statements read the Arrow tables through these local names (DuckDB's replacement scan looks up a
    # table name it does not know among the calling frame's variables): ~2 ms CPU per table and call less than
    # register() + unregister(), which the load paid five times per call.
    incoming_ids = batch.tables["incoming_ids"]
    incoming_actors = batch.tables["incoming_actors"]
    incoming_mentions = batch.tables["incoming_mentions"]
    incoming_statistics = batch.tables["incoming_statistics"]
    incoming_claims = batch.tables["incoming_claims"]
    with _threads(con, LOAD_THREADS), transaction(con):
        if con.execute(_STORED_SQL).fetchall()[0][0]:
            for t in FACT_TABLES:
                con.execute(f"DELETE FROM {t} WHERE article_id IN (SELECT article_id FROM incoming_ids)").fetchall()
        for t in FACT_TABLES:
            counts[t] = (con.execute(_INSERT_SQL[t], params).fetchall()[0][0]
                         if batch.counts[t] else 0)
        if batch.counts["actors"]:
            con.execute(_NEW_ACTORS_SQL).fetchall()
        con.execute(
            "UPDATE articles SET extractor_version = ?, extracted_at = ?, skip_reason = i.skip_reason "
            "FROM incoming_ids i WHERE articles.article_id = i.article_id",
            [batch.version, datetime.now(timezone.utc)]).fetchall()
    return counts


def replace_facts(con: duckdb.DuckDBPyConnection, extracted: list[tuple[str, dict]], version: str,
                  skipped: dict[str, str] | None = None) -> dict[str, int]:
    """Atomically replace the facts of every article in `extracted` ([(article_id, contract dict)]).
    Articles in `skipped` ({article_id: reason}) are marked as handled with no facts."""
    return write_facts(con, fact_batch(extracted, version, skipped))

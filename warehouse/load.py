"""Bulk, transactional, idempotent loads (Arrow tables registered into DuckDB, never executemany)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from warehouse.db import transaction

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")), ("lang", pa.string()), ("text", pa.string()),
    ("content_hash", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")), ("feed_id", pa.string()),
    ("outlet", pa.string()), ("text_source", pa.string()), ("raw_html", pa.string()), ("story_id", pa.string()),
    ("skip_reason", pa.string()),
])
ACTOR_SCHEMA = pa.schema([("actor_id", pa.string()), ("name", pa.string()), ("type", pa.string()),
                          ("kb_id", pa.string())])
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
FACT_TABLES = ("mentions", "statistics", "claims")


def short_hash(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def actor_id(actor: dict) -> str:
    return actor.get("kb_id") or "x-" + short_hash(actor.get("type"), _norm(actor["name"]))


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


def replace_facts(con: duckdb.DuckDBPyConnection, extracted: list[tuple[str, dict]], version: str,
                  skipped: dict[str, str] | None = None) -> dict[str, int]:
    """Atomically replace the facts of every article in `extracted` ([(article_id, contract dict)]).
    Articles in `skipped` ({article_id: reason}) are marked as handled with no facts."""
    skipped = skipped or {}
    rows: dict[str, list[dict]] = {"actors": [], "mentions": [], "statistics": [], "claims": []}
    for article_id, facts in extracted:
        for key, vals in fact_rows(article_id, facts, version).items():
            rows[key].extend(vals)
    ids = [a for a, _ in extracted] + list(skipped)
    if not ids:
        return {k: 0 for k in rows}
    tables = {
        "incoming_ids": pa.table({"article_id": pa.array(ids, pa.string()),
                                  "skip_reason": pa.array([None] * len(extracted) + list(skipped.values()),
                                                          pa.string())}),
        "incoming_actors": _arrow(_last_per_key(rows["actors"], "actor_id"), ACTOR_SCHEMA),
        "incoming_mentions": _arrow(rows["mentions"], MENTION_SCHEMA),
        "incoming_statistics": _arrow(rows["statistics"], STAT_SCHEMA),
        "incoming_claims": _arrow(rows["claims"], CLAIM_SCHEMA),
    }
    now = datetime.now(timezone.utc)
    with transaction(con, **tables):
        for t in FACT_TABLES:
            con.execute(f"DELETE FROM {t} WHERE article_id IN (SELECT article_id FROM incoming_ids)")
            con.execute(f"INSERT INTO {t} BY NAME (SELECT * FROM incoming_{t})")
        con.execute("INSERT INTO actors BY NAME (SELECT * FROM incoming_actors) ON CONFLICT (actor_id) DO NOTHING")
        con.execute(
            "UPDATE articles SET extractor_version = ?, extracted_at = ?, skip_reason = i.skip_reason "
            "FROM incoming_ids i WHERE articles.article_id = i.article_id", [version, now])
    return {k: len(v) for k, v in rows.items()}

"""Bulk, transactional, idempotent loads (Arrow tables read by DuckDB, never executemany).

Facts: `replace_facts` = `fact_batch` (contract dicts -> Arrow columns, no per-row Python dicts) +
`write_facts` (one transaction: DELETE the batch's old facts, INSERT ... SELECT with the ids hashed by DuckDB).
Per call there is a fixed cost of about ten DuckDB statements, so load in large batches (docs/scaling.md)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.db import transaction

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
FACT_TABLES = ("mentions", "statistics", "claims")


def short_hash(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 16)
def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def actor_id(actor: dict) -> str:
    return actor.get("kb_id") or _unlinked_actor_id(actor.get("type"), actor["name"])


@lru_cache(maxsize=1 << 16)
def _unlinked_actor_id(type_: str | None, name: str) -> str:
    return "x-" + short_hash(type_, _norm(name))


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


# --- fact loads: contract dicts -> Arrow columns -> one transaction ------------------------------------------
#
# `fact_rows` above is the reference: one dict per row, ids hashed in Python. The load below produces the
# same rows and ids without per-row Python work: every contract dict of the batch goes to Arrow in ONE pyarrow
# call (C++, nested types: actors with their mentions, statistics, claims), rows are expanded from their lists
# with Arrow kernels, and the ids are hashed by DuckDB (sha256 over the same '|'-joined parts, so they are
# identical). Python runs once per statistic (str(value): the id hashes Python's spelling, 5000000 vs
# 5000000.0), once per actor occurrence without a knowledge-base id (a cached lookup) and once per distinct
# name (normalisation, to resolve claim parties to actor ids).

_MENTION_IN = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32())])
_ACTOR_IN = pa.struct([("name", pa.string()), ("type", pa.string()), ("kb_id", pa.string()),
                       ("mentions", pa.list_(_MENTION_IN))])
_STAT_IN = pa.struct([
    ("value", pa.float64()), ("unit", pa.string()), ("comparator", pa.string()), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()), ("measures", pa.string()), ("population", pa.string()),
    ("source", pa.string()),
])
_CLAIM_IN = pa.struct([
    ("kind", pa.string()), ("basis", pa.string()), ("articles", pa.list_(pa.string())),
    ("claimant", pa.string()), ("target", pa.string()), ("polarity", pa.string()), ("status", pa.string()),
    ("amount", pa.struct([("value", pa.float64()), ("unit", pa.string())])), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])
_FACTS_IN = pa.struct([("actors", pa.list_(_ACTOR_IN)), ("statistics", pa.list_(_STAT_IN)),
                       ("claims", pa.list_(_CLAIM_IN))])

# Each INSERT derives the ids as short_hash does (sha256 of the '|'-joined parts, first 16 hex digits; concat()
# joins them in about half the time of a chain of ||, DuckDB 2.0.1; a NULL part still fails the row, as each
# part is a NOT NULL column). Fact tables carry no key constraint, so a batch must not hold an id twice: when
# the cheap check in fact_batch finds (or cannot rule out) a repeated id, the INSERT keeps the LAST row of each
# id, as _last_per_key does. That keeps count == count(DISTINCT id) after any number of reloads.
_ID_SQL = {
    "mentions": "concat(article_id, '|mention|', span_start, '|', span_end, '|', actor_id, '|', $version)",
    "statistics": "concat(article_id, '|statistic|', span_start, '|', span_end, '|', unit, '|', value_key, '|', "
                  "$version)",
    "claims": "concat(article_id, '|claim|', kind, '|', span_start, '|', span_end, '|', $version)",
}
_COLUMNS = {
    "mentions": "article_id, actor_id, actor_name, actor_type, text, span_start, span_end",
    "statistics": "article_id, value, unit, comparator, text, span_start, span_end, measures, population, source",
    "claims": "article_id, kind, basis, articles, claimant, target, claimant_actor_id, target_actor_id, polarity, "
              "status, amount_value, amount_unit, text, span_start, span_end",
}
_ID_COLUMN = {"mentions": "mention_id", "statistics": "stat_id", "claims": "claim_id"}
_SELECT = {"claims": _COLUMNS["claims"].replace("amount_value, amount_unit", "amount.value, amount.unit")}


def _insert_sql(table: str, dedupe: bool) -> str:
    ident = f"left(sha256({_ID_SQL[table]}), 16)"
    select = _SELECT.get(table, _COLUMNS[table])
    head = f"INSERT INTO {table} ({_ID_COLUMN[table]}, {_COLUMNS[table]}, extractor_version) "
    if not dedupe:
        return head + f"SELECT {ident}, {select}, $version FROM incoming_{table}"
    return head + (f"SELECT id, {select}, $version FROM (SELECT {ident} AS id, * FROM incoming_{table}) "
                   "QUALIFY row_number() OVER (PARTITION BY id ORDER BY ord DESC) = 1")


_INSERT_SQL = {(t, d): _insert_sql(t, d) for t in FACT_TABLES for d in (False, True)}


@dataclass
class FactBatch:
    """One load's facts as Arrow tables (ids not yet derived: DuckDB hashes them in the INSERT)."""
    version: str
    tables: dict[str, pa.Table]     # incoming_<name> -> table, read by that name in write_facts
    counts: dict[str, int]          # actor occurrences and fact rows before de-duplication
    repeats: dict[str, bool]        # fact table -> the batch may hold one of its ids twice


def _items(lists: pa.ListArray) -> tuple[pa.StructArray, pa.Array]:
    """The struct items of every list, and for each item the row of the list that holds it."""
    return lists.flatten(), pc.list_parent_indices(lists)


def _column_table(structs: pa.StructArray, **extra: pa.Array) -> pa.Table:
    columns = dict(zip([f.name for f in structs.type], structs.flatten()))
    columns.update(extra)
    columns["span_start"] = columns.pop("start")
    columns["span_end"] = columns.pop("end")
    columns["ord"] = pa.array(np.arange(1, len(structs) + 1))  # row order, for the de-duplicating INSERT
    return pa.table(columns)


def _last_of_each(codes: np.ndarray) -> np.ndarray:
    """For codes numbered in order of first appearance (0, 1, ... as dictionary_encode numbers them): the
    index of each code's LAST row, in code order."""
    if not len(codes):
        return np.zeros(0, np.int64)
    return len(codes) - 1 - np.unique(codes[::-1], return_index=True)[1]


def _actor_ids(kb_id: pa.Array, type_: pa.Array, name: pa.Array) -> pa.Array:
    """actor_id() of every actor occurrence: its kb_id, else (None or '') the hashed type and normalised name."""
    unlinked = pc.fill_null(pc.equal(kb_id, ""), True)
    if not pc.any(unlinked).as_py():
        return kb_id
    rows = pc.indices_nonzero(unlinked)
    ids = [_unlinked_actor_id(t, n) for t, n in zip(type_.take(rows).to_pylist(), name.take(rows).to_pylist())]
    return pc.replace_with_mask(kb_id, unlinked, pa.array(ids, pa.string()))


def _party_ids(actor_article: pa.Array, actor_name: pa.Array, actor_ids: pa.Array,
               claim_article: pa.Array, parties: list[pa.Array]) -> list[pa.Array]:
    """For each claim party (claimant, target), the id of the LAST actor of the claim's article whose
    normalised name equals the party's (a missing party normalises as ''), else null: what fact_rows does with
    its name -> id dict. Names are normalised once per distinct name; the lookup is an Arrow index_in over
    (article, name) keys made unique first."""
    codes: dict[str, int] = {}

    def norm_codes(names: pa.Array) -> np.ndarray:
        encoded = pc.dictionary_encode(names)
        per_name = np.array([codes.setdefault(_norm(n), len(codes)) for n in encoded.dictionary.to_pylist()]
                            + [-1], np.int64)   # -1: a null name, which matches nothing
        return per_name[encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()]

    actor_code = norm_codes(actor_name)
    party_codes = [norm_codes(pc.fill_null(p, "")) for p in parties]
    width = len(codes) + 1
    actor_keys = actor_article.to_numpy().astype(np.int64) * width + actor_code
    key_codes = pc.dictionary_encode(pa.array(actor_keys)).indices.to_numpy()
    last = _last_of_each(key_codes)
    unique_keys, unique_ids = pa.array(actor_keys[last]), actor_ids.take(pa.array(last))
    claim_keys = claim_article.to_numpy().astype(np.int64) * width
    return [unique_ids.take(pc.index_in(pa.array(claim_keys + code), value_set=unique_keys))
            for code in party_codes]


def _may_repeat(*keys: pa.Array | pa.ChunkedArray) -> bool:
    """True unless the rows' key tuples are certainly all different. The key columns are combined into one
    wrapping int64 (a hash): equal tuples give equal values, so all-distinct values prove distinct tuples;
    a collision only sends the batch down the de-duplicating INSERT."""
    combined = None
    for key in keys:
        if isinstance(key, pa.ChunkedArray):
            key = key.combine_chunks()
        if pa.types.is_string(key.type):
            key = pc.dictionary_encode(key).indices
        key = key.cast(pa.int64())
        combined = key if combined is None else pc.add(pc.multiply(combined, 1_000_003), key)
    return combined is not None and pc.count_distinct(combined, mode="all").as_py() != len(combined)


def fact_batch(extracted: list[tuple[str, dict]], version: str,
               skipped: dict[str, str] | None = None) -> FactBatch:
    """Contract dicts ([(article_id, contract dict)]) -> Arrow tables, column-wise. An article given twice
    counts once, with its last facts; an article both extracted and skipped counts as extracted."""
    by_article = dict(extracted)
    skipped = {a: r for a, r in (skipped or {}).items() if a not in by_article}
    article_ids = pa.array(list(by_article), pa.string())
    actor_lists, stat_lists, claim_lists = pa.array(list(by_article.values()), _FACTS_IN).flatten()

    actor, actor_art = _items(actor_lists)
    actor_name, actor_type, actor_kb = actor.field("name"), actor.field("type"), actor.field("kb_id")
    actor_ids = _actor_ids(actor_kb, actor_type, actor_name)
    mention, parent = _items(actor.field("mentions"))
    mention_art = actor_art.take(parent)
    mentions = _column_table(mention, article_id=article_ids.take(mention_art), actor_id=actor_ids.take(parent),
                             actor_name=actor_name.take(parent), actor_type=actor_type.take(parent))

    stat, stat_art = _items(stat_lists)
    value_key = pa.array([str(s.get("value")) for f in by_article.values() for s in f.get("statistics") or ()],
                         pa.string())
    statistics = _column_table(stat, article_id=article_ids.take(stat_art), value_key=value_key)

    claim, claim_art = _items(claim_lists)
    claimant_ids, target_ids = _party_ids(actor_art, actor_name, actor_ids, claim_art,
                                          [claim.field("claimant"), claim.field("target")])
    claim_table = _column_table(claim, article_id=article_ids.take(claim_art),
                                claimant_actor_id=claimant_ids, target_actor_id=target_ids)

    # Each id's parts include the article and the span: when (article, start, end) never repeats, neither does
    # an id, and the string parts (dictionary-encoded by _may_repeat, the costly part) need no look.
    repeats = {
        "mentions": _may_repeat(mention_art, mentions["span_start"], mentions["span_end"])
        and _may_repeat(mention_art, mentions["actor_id"], mentions["span_start"], mentions["span_end"]),
        "statistics": _may_repeat(stat_art, statistics["span_start"], statistics["span_end"])
        and _may_repeat(stat_art, statistics["span_start"], statistics["span_end"], statistics["unit"],
                        statistics["value_key"]),
        "claims": _may_repeat(claim_art, claim_table["span_start"], claim_table["span_end"])
        and _may_repeat(claim_art, claim_table["kind"], claim_table["span_start"], claim_table["span_end"]),
    }
    # actors: one row per actor id, in order of first occurrence, from its last occurrence (as _last_per_key)
    last = pa.array(_last_of_each(pc.dictionary_encode(actor_ids).indices.to_numpy()))
    actor_table = pa.table({"actor_id": actor_ids.take(last), "name": actor_name.take(last),
                            "type": actor_type.take(last), "kb_id": actor_kb.take(last)})
    ids = pa.table({"article_id": pa.concat_arrays([article_ids, pa.array(list(skipped), pa.string())]),
                    "skip_reason": pa.array([None] * len(by_article) + list(skipped.values()), pa.string())})
    return FactBatch(version=version,
                     tables={"incoming_ids": ids, "incoming_actors": actor_table, "incoming_mentions": mentions,
                             "incoming_statistics": statistics, "incoming_claims": claim_table},
                     counts={"actors": len(actor_ids), "mentions": mentions.num_rows,
                             "statistics": statistics.num_rows, "claims": claim_table.num_rows},
                     repeats=repeats)


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
            counts[t] = (con.execute(_INSERT_SQL[t, batch.repeats[t]], params).fetchall()[0][0]
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

"""Ingest state in and out of DuckDB: read what is known before fetching (one short connection), and load
one run's results (feeds, articles, URLs, stories, embeddings, fetch log) in as few statements as possible.
All writes are bulk Arrow upserts keyed by natural ids, so a repeated load changes nothing."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import duckdb
import numpy as np
import pyarrow as pa

from flows.ingest.canonical import canonicalize
from flows.ingest.dedupe import Draft, KnownUrl
from flows.ingest.parse import Entry
from flows.ingest.registry import FeedSpec
from flows.ingest.stories import MODEL, Member
from warehouse.db import named_query, transaction
from warehouse.load import short_hash, write_articles

logger = logging.getLogger(__name__)

TS = pa.timestamp("us", tz="UTC")
FEED_SCHEMA = pa.schema([
    ("feed_id", pa.string()), ("url", pa.string()), ("name", pa.string()), ("outlet", pa.string()),
    ("lang", pa.string()), ("country", pa.string()), ("kind", pa.string()), ("homepage", pa.string()),
    ("etag", pa.string()), ("last_modified", pa.string()), ("last_fetched_at", TS), ("last_success_at", TS),
    ("last_status", pa.int32()), ("last_error", pa.string()), ("consecutive_failures", pa.int32()),
    ("parse_warning", pa.string()), ("entries_seen", pa.int32()), ("last_elapsed_ms", pa.int32()),
])
URL_SCHEMA = pa.schema([("url", pa.string()), ("article_id", pa.string()), ("feed_id", pa.string()),
                        ("guid", pa.string()), ("first_seen_at", TS), ("last_seen_at", TS)])
STORY_SCHEMA = pa.schema([("story_id", pa.string()), ("title", pa.string()), ("first_seen_at", TS)])
EMBED_SCHEMA = pa.schema([("article_id", pa.string()), ("model", pa.string()),
                          ("embedding", pa.list_(pa.float32())), ("created_at", TS)])
ARTICLE_INGEST_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("published_source", pa.string()), ("page_status", pa.int32()),
    ("page_error", pa.string()), ("encoding", pa.string()), ("guid", pa.string())])
FETCH_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("url", pa.string()), ("kind", pa.string()), ("feed_id", pa.string()),
    ("attempt", pa.int32()), ("started_at", TS), ("elapsed_ms", pa.int32()), ("status", pa.int32()),
    ("bytes", pa.int64()), ("final_url", pa.string()), ("error", pa.string()), ("transient", pa.bool_())])

REJECTION_SCHEMA = pa.schema([
    ("rejection_id", pa.string()), ("feed_id", pa.string()), ("feed_url", pa.string()), ("item_key", pa.string()),
    ("item_link", pa.string()), ("item_guid", pa.string()), ("item_title", pa.string()), ("stage", pa.string()),
    ("reason", pa.string()), ("run_id", pa.string()), ("first_seen_at", TS), ("last_seen_at", TS),
    ("times_seen", pa.int32())])
_MAX_FIELD = 2000      # a hostile feed's title or link is cut, not stored whole


def _cut(value: str | None) -> str | None:
    return value[:_MAX_FIELD] if value else None


def item_key(entry: Entry | None) -> str | None:
    """What identifies a feed item across runs: its canonical link, else its raw link, GUID, title, or a
    hash of its summary; None for a whole feed."""
    if entry is None:
        return None
    canon = canonicalize(entry.link) if entry.link else None
    if canon or entry.link or entry.guid:
        return _cut(canon or entry.link or entry.guid)
    if entry.title:
        return _cut(f"title:{entry.title}")
    return f"summary:{short_hash(entry.summary_html, entry.content_html)}"


def rejection_row(run_id: str, spec: FeedSpec, stage: str, reason: str, entry: Entry | None = None,
                  now: datetime | None = None) -> dict:
    """One ingest_rejections row: a feed item (or, without `entry`, a whole feed) that was not stored."""
    now = now or datetime.now(timezone.utc)
    key = item_key(entry)
    return {"rejection_id": short_hash(spec.url, key or "", stage), "feed_id": spec.feed_id, "feed_url": spec.url,
            "item_key": key, "item_link": _cut(entry.link) if entry else None,
            "item_guid": _cut(entry.guid) if entry else None, "item_title": _cut(entry.title) if entry else None,
            "stage": stage, "reason": _cut(reason) or "unknown", "run_id": run_id, "first_seen_at": now,
            "last_seen_at": now, "times_seen": 1}


@dataclass
class KnownState:
    feeds: dict[str, dict] = field(default_factory=dict)
    urls: dict[str, KnownUrl] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)        # content_hash -> article_id
    article_hash: dict[str, str] = field(default_factory=dict)  # article_id -> content_hash


def read_state(con: duckdb.DuckDBPyConnection) -> KnownState:
    state = KnownState()
    cur = con.execute(named_query("ingest_state_feeds"))
    cols = [d[0] for d in cur.description]
    for row in cur.fetchall():
        rec = dict(zip(cols, row))
        state.feeds[rec["feed_id"]] = rec
    for url, article_id, fetched_at in con.execute(named_query("ingest_state_urls")).fetchall():
        state.urls.setdefault(url, KnownUrl(article_id, fetched_at))
    for article_id, h in con.execute(named_query("ingest_state_hashes")).fetchall():
        state.hashes.setdefault(h, article_id)
        state.article_hash[article_id] = h
    return state


def story_members(con: duckdb.DuckDBPyConnection, dates: list[datetime | None],
                  window_days: float) -> list[Member]:
    known = [d for d in dates if d is not None]
    if known:
        start, end = min(known) - timedelta(days=window_days), max(known) + timedelta(days=window_days)
    else:
        start, end = datetime(1970, 1, 1).astimezone(), datetime(9999, 1, 1).astimezone()
    rows = con.execute(named_query("ingest_story_members"),
                       {"model": MODEL, "start": start, "end": end}).fetchall()
    return [Member(a, s, p, np.asarray(v, dtype=np.float32)) for a, s, p, v in rows]


def _table(rows: list[dict], schema: pa.Schema, key: str | None = None) -> pa.Table:
    if key:
        rows = list({r[key]: r for r in rows}.values())
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


def _run(con: duckdb.DuckDBPyConnection, query: str, name: str, table: pa.Table) -> None:
    if table.num_rows == 0:
        return
    con.register(name, table)
    try:
        con.execute(named_query(query))
    finally:
        con.unregister(name)


@dataclass
class LoadBatch:
    feeds: list[dict] = field(default_factory=list)
    articles: list[Draft] = field(default_factory=list)
    urls: list[dict] = field(default_factory=list)
    stories: list[dict] = field(default_factory=list)
    embeddings: list[dict] = field(default_factory=list)
    fetch_log: list[dict] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)


def article_row(d: Draft) -> dict:
    return {"article_id": d.article_id, "url": d.url, "title": d.title, "published": d.published,
            "lang": d.lang, "text": d.text, "content_hash": d.content_hash, "fetched_at": d.fetched_at,
            "feed_id": d.feed_id, "outlet": d.outlet, "text_source": d.text_source, "raw_html": d.raw_html,
            "story_id": d.story_id, "skip_reason": d.skip_reason}


def load(con: duckdb.DuckDBPyConnection, batch: LoadBatch) -> dict[str, int]:
    """Write one run in one transaction: articles, feeds, stories, URLs, embeddings, fetch log. Re-running the
    same batch leaves every table as it was."""
    ingest_rows = [{"article_id": d.article_id, "published_source": d.published_source,
                    "page_status": d.page_status, "page_error": d.page_error, "encoding": d.encoding,
                    "guid": d.guids[0] if d.guids else None} for d in batch.articles]
    with transaction(con):
        write_articles(con, [article_row(d) for d in batch.articles])
        _run(con, "ingest_upsert_feeds", "incoming_feeds", _table(batch.feeds, FEED_SCHEMA, "feed_id"))
        _run(con, "ingest_insert_stories", "incoming_stories", _table(batch.stories, STORY_SCHEMA, "story_id"))
        _run(con, "ingest_insert_urls", "incoming_urls", _table(batch.urls, URL_SCHEMA, "url"))
        _run(con, "ingest_upsert_embeddings", "incoming_embeddings",
             _table(batch.embeddings, EMBED_SCHEMA, "article_id"))
        _run(con, "ingest_upsert_article_ingest", "incoming_article_ingest",
             _table(ingest_rows, ARTICLE_INGEST_SCHEMA, "article_id"))
        _run(con, "ingest_insert_fetch_log", "incoming_fetch_log", _table(batch.fetch_log, FETCH_LOG_SCHEMA))
        _run(con, "ingest_upsert_rejections", "incoming_rejections",
             _table(batch.rejections, REJECTION_SCHEMA, "rejection_id"))
    return {"feeds": len(batch.feeds), "articles": len(batch.articles), "urls": len(batch.urls),
            "stories": len(batch.stories), "rejections": len(batch.rejections)}


def feeds_health(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    cur = con.execute(named_query("ingest_feeds_health"))
    return [d[0] for d in cur.description], cur.fetchall()

"""Prefect tasks and flow: extract facts for stored articles that need it, and load them atomically."""
from __future__ import annotations

import logging
from functools import lru_cache

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import extract_pool, extract_prefetch
from flows.extract_worker import extract_columns
from flows.faults import checkpoint
from flows.settings import Settings
from nlp.pipeline import Extractor
from warehouse.db import connect, let_go, named_query, open_warehouse
from warehouse.columns import FactBatch
from warehouse.load import merge_batches, write_facts

logger = logging.getLogger(__name__)

EMPTY_TOTALS = {"articles_extracted": 0, "articles_skipped": 0, "actors": 0, "mentions": 0, "statistics": 0,
                "claims": 0}


@lru_cache(maxsize=4)
def extractor_for(ner_backend: str, batch_size: int, max_chars: int, hf_model: str | None,
                  hf_cache: str) -> Extractor:
    """One Extractor (and so one set of loaded models) per process and configuration."""
    return Extractor(ner_backend=ner_backend, batch_size=batch_size, max_chars=max_chars,
                     hf_model=hf_model, hf_cache=hf_cache)


def get_extractor(settings: Settings) -> Extractor:
    return extractor_for(settings.ner_backend, settings.extract_batch_size, settings.extract_max_chars,
                         settings.hf_model, str(settings.data_dir / "models"))


def pending_count(settings: Settings, version: str) -> int:
    """Articles waiting for extraction, on a connection held for milliseconds (no Prefect run, no models)."""
    con = connect(settings.db, lock_timeout=settings.lock_timeout)
    try:
        return con.execute(named_query("pending_count"), {"version": version}).fetchall()[0][0]
    finally:
        con.close()


def extract_pending_if_any(settings: Settings) -> dict:
    """`extract_pending`, or nothing at all (not even a Prefect flow run) when no article needs it: a run
    on unchanged feeds must cost almost nothing. Under warehouse.db.one_instance (run_all) the count uses the
    kept instance and the extraction, which is long, keeps none (let_go), so no lock is held between loads."""
    if pending_count(settings, get_extractor(settings).version) == 0:
        return dict(EMPTY_TOTALS)
    with let_go(settings.db):
        return extract_pending(settings)


@task(cache_policy=NO_CACHE)
def select_pending(settings: Settings, version: str, force: bool = False) -> list[dict]:
    con = connect(settings.db, lock_timeout=settings.lock_timeout)
    try:
        sql = "SELECT article_id, text, lang FROM articles ORDER BY article_id" if force \
            else named_query("pending_extraction")
        cur = con.execute(sql, None if force else {"version": version})
        return [dict(zip(("article_id", "text", "lang"), row)) for row in cur.fetchall()]
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def extract_batch(settings: Settings, articles: list[dict]) -> FactBatch:
    """One chunk's facts, as the Arrow tables the writer loads (what a worker process returns too)."""
    return extract_columns(get_extractor(settings), articles)


@task(cache_policy=NO_CACHE)
def load_facts(settings: Settings, batches: list[FactBatch]) -> dict:
    """Replace the facts of every article of the chunks' batches, in one transaction."""
    # The write lock is taken only for this step, so readers are blocked as briefly as possible.
    with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
        checkpoint(settings, "extract.loading")
        return write_facts(con, merge_batches(batches))


@flow(name="privnews-extract", log_prints=False)
def extract_pending(settings: Settings, force: bool = False, chunk: int = extract_prefetch.CHUNK) -> dict:
    """Extract every stored article whose facts are missing or stale; returns counts.

    Articles are extracted `chunk` at a time (small chunks share the work evenly between processes; a
    chunk is one nlp.pipe batch per language), here and in the worker processes (flows/extract_pool.py; in
    run_all they may have begun during ingest: flows/extract_prefetch.py), and their facts loaded here, in
    chunk order, every `settings.extract_load_every` articles (and at the end): a crash loses at most that
    much extraction work, never a partial fact set."""
    version = get_extractor(settings).version
    pending = select_pending(settings, version, force)
    chunks = extract_prefetch.cut(pending, chunk)
    # chunks a worker took while ingest went on (run_all); the others are extracted below as they always were
    prefetched = extract_prefetch.take(settings, chunks, version)
    workers = extract_pool.workers_for(settings, len(pending))
    totals = dict(EMPTY_TOTALS)
    batches: list[FactBatch] = []
    articles = 0   # in `batches`, extracted or skipped
    results = extract_pool.in_order(chunks, lambda c: extract_batch(settings, quote(c)), workers, version,
                                    prefetched)
    for done, batch in enumerate(results, 1):
        batches.append(batch)
        articles += batch.tables["incoming_ids"].num_rows
        if articles < settings.extract_load_every and done < len(chunks):
            continue
        checkpoint(settings, "extract.before_load")
        counts = load_facts(settings, quote(batches))
        checkpoint(settings, "extract.after_load")
        add_counts(totals, batches, counts)
        batches, articles = [], 0
    return totals


def add_counts(totals: dict, batches: list[FactBatch], counts: dict) -> None:
    """Add one load's articles (extracted, skipped) and inserted rows to a run's totals."""
    totals["articles_extracted"] += sum(b.articles_extracted for b in batches)
    totals["articles_skipped"] += sum(b.articles_skipped for b in batches)
    for key, n in counts.items():
        if key in totals:
            totals[key] += n

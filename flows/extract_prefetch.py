"""Extraction that begins during ingest ("prefetch after dedupe", docs/scaling.md).

In a cold `privnews run` the extraction workers have loaded their models long before ingest has embedded and
stored its articles, and then sit idle until `extract_pending` hands them their first chunk. Once ingest
knows the final id, text and language of every article it will store (after dedupe), and no other article
awaits extraction, it knows the very chunks `extract_pending` will cut (sorted by id, `CHUNK` articles): it
offers them here, and a feeder thread per running worker hands them out, in order, while the writer carries
on with ingest (story embedding, the load).

Results stay in memory, keyed by each chunk's exact input (ids, a digest of each exact text, languages) and
the extractor version. `extract_pending` takes over (`take`): a chunk whose key matches one already handed out
uses that result (waiting for it while a worker is still on it); every other chunk is extracted as without
prefetch. Nothing here touches the database: the loads and their order stay `extract_pending`'s, so a crash
loses only in-memory results. No worker, a worker that died, or any difference in the input: today's path.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flows import extract_pool
from flows.extract_worker import ExtractionWorker
from flows.settings import Settings
from warehouse.db import named_query

logger = logging.getLogger(__name__)

CHUNK = 16          # articles per extraction chunk: extract_pending cuts its chunks with the same size

_run: ContextVar[tuple[Settings, str] | None] = ContextVar("privnews_prefetch_run", default=None)
_offered: dict[tuple, "Prefetch"] = {}
_offered_lock = threading.Lock()


def chunk_key(chunk: list[dict], version: str) -> tuple:
    """What a chunk's result depends on. The text's own digest, not the stored content_hash: that one
    normalises case and whitespace, and fact offsets depend on the exact text."""
    def digest(text: str | None) -> bytes | None:
        # surrogatepass: a text may hold a lone surrogate (the extractor copes with it), which utf-8 refuses
        return None if text is None else hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                                         digest_size=16).digest()
    return version, tuple((a["article_id"], a["lang"], digest(a["text"])) for a in chunk)


def cut(articles: list[dict], size: int = CHUNK) -> list[list[dict]]:
    return [articles[i:i + size] for i in range(0, len(articles), size)]


def _slot(settings: Settings) -> tuple:
    return str(settings.db), extract_pool.config_key(settings)


class Prefetch:
    """Chunks handed to workers, in order, by one feeder thread per worker (extract_pool.feed), until `take`
    closes it. A chunk a worker fails on is marked failed, not handed out again: extraction takes it."""

    def __init__(self, chunks: list[list[dict]], workers: list[ExtractionWorker], version: str):
        self.version, self.n, self.sizes = version, len(chunks), [len(c) for c in chunks]
        self.keys = [chunk_key(c, version) for c in chunks]
        self.schedule = extract_pool.Schedule(range(len(chunks)), requeue=False)
        for w in workers:
            threading.Thread(target=extract_pool.feed, args=(w, self.schedule, chunks, version, self._handed),
                             daemon=True, name="extract-prefetch").start()

    def _handed(self, worker: ExtractionWorker, i: int) -> None:
        logger.info("prefetch: chunk %d of %d (%d articles) handed to extraction worker %d",
                    i + 1, self.n, self.sizes[i], worker.proc.pid if worker.proc else -1)

    def close(self) -> None:
        self.schedule.close()

    def take(self, chunks: list[list[dict]], version: str) -> dict[int, "Claim"]:
        """Stop handing out chunks; {index in `chunks`: its claim} for each chunk that was handed out with the
        same key (a failed one is left to extraction as usual)."""
        self.close()
        with self.schedule.cond:
            handed = {self.keys[i]: i for i in self.schedule.running | set(self.schedule.results)}
        claims = {}
        for j, chunk in enumerate(chunks):
            i = handed.get(chunk_key(chunk, version)) if handed else None
            if i is not None:
                claims[j] = Claim(self.schedule, i)
        logger.info("prefetch: %d of %d chunks were handed out during ingest, %d taken over",
                    len(handed), self.n, len(claims))
        return claims


class Claim:
    """One prefetched chunk's result, as seen by extraction."""

    def __init__(self, schedule: extract_pool.Schedule, index: int):
        self.schedule, self.index = schedule, index

    def settled(self) -> bool:
        with self.schedule.cond:
            return self.index not in self.schedule.running

    def result(self) -> Any | None:
        """The result, once the worker has returned it; None if the worker failed on it."""
        s = self.schedule
        with s.cond:
            while self.index in s.running:
                s.cond.wait()
            return s.results.pop(self.index, None)


@contextmanager
def during(settings: Settings, version: str):
    """Within the block ingest may offer its articles (run_all: ingest, then extraction); what extraction has
    not taken by the end of the block is dropped."""
    token = _run.set((settings, version))
    try:
        yield
    finally:
        _run.reset(token)
        with _offered_lock:
            left = _offered.pop(_slot(settings), None)
        if left is not None:
            left.close()


def planned(settings: Settings, con) -> str | None:
    """Ingest, on its state connection: the extractor version to prefetch for, or None when there will be
    no prefetch (not inside `during`, turned off, no workers configured, or articles already await extraction:
    then the chunks extraction cuts depend on articles ingest does not hold)."""
    run = _run.get()
    if run is None or not (settings.extract_prefetch and settings.extract_workers):
        return None
    version = run[1]
    if con.execute(named_query("pending_count"), {"version": version}).fetchall()[0][0]:
        return None
    return version


def offer(settings: Settings, version: str, articles: Iterable[dict]) -> None:
    """Ingest will store exactly `articles` (dicts of article_id, text, lang; the last one of an id wins, as
    in the load): hand their chunks to the workers already running."""
    workers = extract_pool.running_workers(settings)[:settings.extract_workers]
    if not workers:
        return
    latest = {a["article_id"]: a for a in articles}
    chunks = cut([latest[k] for k in sorted(latest)])
    if not chunks:
        return
    with _offered_lock:
        old = _offered.pop(_slot(settings), None)
        _offered[_slot(settings)] = Prefetch(chunks, workers, version)
    if old is not None:
        old.close()


def take(settings: Settings, chunks: list[list[dict]], version: str) -> dict[int, Claim]:
    """Extraction: claims of the prefetched chunks among `chunks` (none without a prefetch)."""
    with _offered_lock:
        prefetch = _offered.pop(_slot(settings), None)
    return prefetch.take(chunks, version) if prefetch is not None else {}

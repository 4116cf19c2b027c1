"""The writer's extraction workers (flows/extract_worker.py): started once per process and configuration,
kept for later runs, and fed chunks while the writer extracts chunks of its own.

`in_order(chunks, extract_here, workers, version)` yields every chunk's result in chunk order, whoever
extracted it: the writer takes the next chunk in line itself (`extract_here`), and a feeder thread per worker
hands that worker the next chunk as soon as it has returned the last one. A worker that dies or fails on a
chunk gives the chunk back, and the writer extracts it (so an error in the NLP code surfaces as it would
without workers). Loads, and so the crash guarantees, stay with the caller, in chunk order.

A worker costs a few CPU-seconds to start (imports, both languages' models), so a run starts workers only
for `settings.extract_worker_min_pending` articles or more; workers already running are always used.
`run_all` starts them early: as soon as ingest knows how many new pages it will fetch (`expect_articles`),
so that they load their models while the pages are fetched and stored, and hands them ingest's articles as
soon as it knows them (flows/extract_prefetch.py): `in_order` then takes over the chunks already handed out.
"""
from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flows.extract_worker import ChunkFailed, ExtractionWorker, WorkerGone
from flows.settings import Settings

logger = logging.getLogger(__name__)

LANGS = ("nl", "en")

_pool: dict[tuple, list[ExtractionWorker]] = {}
_pool_lock = threading.Lock()
_early_start: ContextVar[Settings | None] = ContextVar("privnews_early_worker_start", default=None)


def extractor_kwargs(settings: Settings) -> dict:
    """What the writer's own Extractor is built from (flows.extract.get_extractor), for a worker's."""
    return {"ner_backend": settings.ner_backend, "batch_size": settings.extract_batch_size,
            "max_chars": settings.extract_max_chars, "hf_model": settings.hf_model,
            "hf_cache": str(settings.data_dir / "models")}


def config_key(settings: Settings) -> tuple:
    """Which workers serve these settings (those started for another configuration extract differently)."""
    return tuple(sorted(extractor_kwargs(settings).items()))


def running_workers(settings: Settings) -> list[ExtractionWorker]:
    with _pool_lock:
        return [w for w in _pool.get(config_key(settings), []) if w.alive]


def start_workers(settings: Settings) -> list[ExtractionWorker]:
    """`settings.extract_workers` workers for this configuration: those running, and new ones (which load
    their models in the background)."""
    key = config_key(settings)
    with _pool_lock:
        workers = [w for w in _pool.get(key, []) if w.alive]
        while len(workers) < settings.extract_workers:
            workers.append(ExtractionWorker(extractor_kwargs(settings), LANGS,
                                            timeout=settings.extract_worker_timeout).start())
        _pool[key] = workers
        return list(workers)


def workers_for(settings: Settings, pending: int) -> list[ExtractionWorker]:
    """The workers a run of `pending` articles uses: new ones only when there are enough articles, none
    when `extract_workers` is 0 (even if another configuration's run left some running)."""
    if not settings.extract_workers:
        return []
    if pending >= settings.extract_worker_min_pending:
        return start_workers(settings)
    return running_workers(settings)[:settings.extract_workers]


@atexit.register
def stop_workers() -> None:
    with _pool_lock:
        workers = [w for ws in _pool.values() for w in ws]
        _pool.clear()
    for w in workers:
        w.stop()


@contextmanager
def early_start(settings: Settings):
    """Within the block, `expect_articles` may start workers (run_all: ingest followed by extraction)."""
    token = _early_start.set(settings)
    try:
        yield
    finally:
        _early_start.reset(token)


def expect_articles(n: int) -> None:
    """Ingest is about to fetch `n` new pages: inside `early_start`, start the workers extraction will use."""
    settings = _early_start.get()
    if settings is not None and settings.extract_workers and n >= settings.extract_worker_min_pending:
        start_workers(settings)


class Schedule:
    """Chunk indexes waiting for a process, those a worker is on, and the results of those done. A chunk a
    worker fails on goes back to the front of the queue (`requeue`, in_order: the writer or another worker
    takes it) or is marked failed (the prefetch: extraction takes it as usual)."""

    def __init__(self, todo: Iterable[int], requeue: bool = True):
        self.todo: deque[int] = deque(todo)
        self.running: set[int] = set()
        self.failed: set[int] = set()
        self.results: dict[int, Any] = {}
        self.cond = threading.Condition()
        self.closed = False
        self.requeue = requeue

    def next(self) -> int | None:
        """The next chunk for a worker, now marked running; None when closed or none is left."""
        with self.cond:
            if self.closed or not self.todo:
                return None
            i = self.todo.popleft()
            self.running.add(i)
            return i

    def done(self, i: int, result: Any) -> None:
        with self.cond:
            self.running.discard(i)
            self.results[i] = result
            self.cond.notify_all()

    def close(self) -> None:
        """No chunk is handed out after this (those on a worker still finish)."""
        with self.cond:
            self.closed = True

    def give_back(self, i: int) -> None:
        with self.cond:
            self.running.discard(i)
            if self.requeue:
                self.todo.appendleft(i)
            else:
                self.failed.add(i)
            self.cond.notify_all()


def feed(worker: ExtractionWorker, schedule: Schedule, chunks: list, version: str,
         handed: Callable[[ExtractionWorker, int], None] | None = None) -> None:
    """Give `worker` the schedule's chunks one at a time until none is left (`handed` is told of each)."""
    with worker.lock:          # a worker serves one run at a time
        try:
            ready_version = worker.wait_ready()
        except WorkerGone as exc:
            logger.warning("%s; the writer extracts its share", exc)
            return
        if ready_version != version:
            logger.error("extraction worker has extractor version %s, not %s: not used", ready_version, version)
            return
        while (i := schedule.next()) is not None:
            if handed is not None:
                handed(worker, i)
            try:
                result = worker.extract(chunks[i])
            except (WorkerGone, ChunkFailed) as exc:
                logger.warning("extraction worker could not extract chunk %d (%s); the writer does",
                               i, str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__)
                schedule.give_back(i)
                return
            schedule.done(i, result)


def in_order(chunks: list, extract_here: Callable[[Any], Any], workers: list[ExtractionWorker],
             version: str, prefetched: dict[int, Any] | None = None) -> Iterator[Any]:
    """Each chunk's result, in chunk order, extracted here or by a worker. `prefetched`: {chunk index: claim}
    of chunks a worker took during ingest (flows/extract_prefetch.py): their result is waited for, not
    extracted again, unless the worker failed on it."""
    prefetched = prefetched or {}
    schedule = Schedule(i for i in range(len(chunks)) if i not in prefetched)
    here = 0
    for w in workers:
        threading.Thread(target=feed, args=(w, schedule, chunks, version), daemon=True,
                         name="extract-feeder").start()
    try:
        for out in range(len(chunks)):
            claim = prefetched.get(out)
            while True:
                with schedule.cond:
                    if out in schedule.results:
                        result = schedule.results.pop(out)
                        break
                    # a prefetched chunk still on its worker: extract the next chunk in line meanwhile
                    wait_for_claim = claim is not None and (not schedule.todo or claim.settled())
                    if not wait_for_claim:
                        if not schedule.todo:      # chunk `out` is on a worker: wait for it (or for it back)
                            schedule.cond.wait()
                            continue
                        i = schedule.todo.popleft()
                if wait_for_claim:
                    result = claim.result()
                    if result is None:             # its worker failed on it: extract it here, as in feed
                        result = extract_here(chunks[out])
                        here += 1
                    break
                mine = extract_here(chunks[i])
                here += 1
                with schedule.cond:
                    schedule.results[i] = mine
            yield result
    finally:
        schedule.close()
        logger.info("extracted %d chunks: %d here, %d prefetched during ingest, the others by %d worker(s)",
                    len(chunks), here, len(prefetched), len(workers))

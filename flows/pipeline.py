"""The main job: ingest -> extract -> load -> digest, as one Prefect flow, with a run record."""
from __future__ import annotations

import json
import logging
import uuid
from contextlib import ExitStack
from importlib import metadata

from prefect import flow

from flows import extract_prefetch
from flows.extract import extract_pending_if_any, get_extractor
from flows.extract_pool import early_start
from flows.faults import checkpoint
from flows.settings import Settings
from warehouse.db import named_query, one_instance, open_warehouse

logger = logging.getLogger(__name__)


def privnews_version() -> str:
    try:
        return metadata.version("privnews")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _record_run_start(settings: Settings, run_id: str, flow_name: str, version: str) -> None:
    with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
        con.execute(named_query("runs_mark_interrupted"))
        con.execute(named_query("run_start"), {"run_id": run_id, "flow": flow_name,
                                               "privnews_version": privnews_version(),
                                               "extractor_version": version})


def _record_run_end(settings: Settings, run_id: str, status: str, counts: dict, error: str | None) -> None:
    with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
        con.execute(named_query("run_finish"), {"run_id": run_id, "status": status,
                                                "counts": json.dumps(counts, default=str), "error": error})


def _ingest(settings: Settings) -> dict:
    from flows.ingest.flow import ingest

    # the flow's body, not a subflow: its tasks are this run's; a subflow run costs ~0.5 s wall and ~0.5 CPU-s
    # of Prefect API calls (both sides) on every run, the whole of a re-run's ingest on unchanged feeds
    return ingest.fn(settings)


def _digest(settings: Settings) -> list[str]:
    try:
        from flows.digest.flow import run_default_digest
    except ModuleNotFoundError as exc:  # digests not installed in this build; any other import error is a bug
        if exc.name not in ("flows.digest", "flows.digest.flow"):
            raise
        return []
    return [str(p) for p in run_default_digest(settings)]


@flow(name="privnews-run")
def run_all(settings: Settings, digest: bool = True) -> dict:
    """Ingest the configured feeds, extract facts for new or stale articles, load them, write digests."""
    version = get_extractor(settings).version
    run_id = uuid.uuid4().hex[:16]
    _record_run_start(settings, run_id, "privnews-run", version)
    counts: dict = {}
    tail = ExitStack()      # from the digest to the end record: one DuckDB instance (see below)
    try:
        checkpoint(settings, "run.started")
        # extraction may begin during ingest: the workers start as soon as ingest knows new pages, and are
        # handed the new articles as soon as ingest knows them (flows/extract_prefetch.py)
        with extract_prefetch.during(settings, version):
            with early_start(settings):
                counts["ingest"] = _ingest(settings)
            checkpoint(settings, "run.ingested")
            # the pending count, the digest's steps and the end record share one DuckDB instance (~40 ms CPU
            # to open each time); extraction and the digest's sending run with none kept (let_go)
            tail.enter_context(one_instance(settings.db))
            counts["extract"] = extract_pending_if_any(settings)
        checkpoint(settings, "run.extracted")
        counts["digests"] = _digest(settings) if digest else []
        checkpoint(settings, "run.digested")
    except BaseException as exc:
        try:
            with tail:
                _record_run_end(settings, run_id, "failed", counts, f"{type(exc).__name__}: {exc}")
        except Exception:  # the original error matters more than the bookkeeping
            logger.exception("could not record the failed run %s", run_id)
        raise
    with tail:
        _record_run_end(settings, run_id, "completed", counts, None)
    counts["run_id"] = run_id
    return counts

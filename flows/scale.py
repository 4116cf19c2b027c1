"""Extraction on a Dask cluster through Prefect's DaskTaskRunner; loads stay in this process.

`settings.scale.runner = "dask"` sends each chunk of pending articles to a Dask worker as an
`extract_batch` task (flows/extract.py): a worker process loads the models once (`extractor_for` is cached
per process) and returns the chunk's facts as Arrow tables with their ids (warehouse/columns.py). The
results stream back here as chunks finish, and this process, the only DuckDB writer, loads each one
(`load_facts`: one transaction per chunk, write lock held only for it). At most `max_in_flight` chunks are
out at once, so a large backlog never sits in the scheduler's memory.

`scale.scheduler_address` names a running scheduler (`dask scheduler` + `dask worker` on other machines,
which need privnews installed and PREFECT_API_URL pointing at the same Prefect server); without it a
`LocalCluster` of `n_workers` processes starts here and stops when the flow ends.

Every task run reports to the Prefect API. Without a real server (`prefect server start`, PREFECT_API_URL
set), each worker process would start its own ephemeral server and leave it behind, so this refuses to
run without one.
"""
from __future__ import annotations

import logging

from prefect import flow
from prefect.futures import as_completed

from flows.extract import add_counts, extract_batch, get_extractor, load_facts, select_pending
from flows.settings import ConfigError, ScaleSettings, Settings

logger = logging.getLogger(__name__)

COUNT_KEYS = ("articles_extracted", "articles_skipped", "actors", "mentions", "statistics", "claims")


class ScaleError(ConfigError):
    """Scale-out cannot start as configured; the message says what to do."""


def prefect_api_url() -> str | None:
    """The Prefect API this process reports to (Prefect's own setting, PREFECT_API_URL), or None."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def require_api_server() -> str:
    url = prefect_api_url()
    if not url:
        raise ScaleError(
            "Dask extraction needs a real Prefect server: without one every Dask worker starts its own "
            "ephemeral server and leaks it. Start one with `prefect server start --host 127.0.0.1` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api (or use scale.runner = \"local\")."
        )
    return url


def task_runner(scale: ScaleSettings):
    """A DaskTaskRunner for the settings: the named scheduler, or a LocalCluster started for the flow."""
    from prefect_dask import DaskTaskRunner

    if scale.scheduler_address:
        return DaskTaskRunner(address=scale.scheduler_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": scale.n_workers, "threads_per_worker": scale.threads_per_worker,
                        "processes": True, "dashboard_address": None},
    )


def _in_flight_limit(scale: ScaleSettings) -> int:
    return scale.max_in_flight or 2 * scale.n_workers


def _extract_and_load(settings: Settings, force: bool = False) -> dict:
    """Flow body: submit chunks to the task runner, load each result here as it arrives."""
    version = get_extractor(settings).version   # the version string only; models load on the workers
    pending = select_pending(settings, version, force)
    chunk = settings.scale.chunk
    chunks = [pending[i:i + chunk] for i in range(0, len(pending), chunk)]
    limit = _in_flight_limit(settings.scale)
    totals = dict.fromkeys(COUNT_KEYS, 0)
    in_flight: list = []
    next_chunk = 0
    while next_chunk < len(chunks) or in_flight:
        while next_chunk < len(chunks) and len(in_flight) < limit:
            in_flight.append(extract_batch.submit(settings, chunks[next_chunk]))
            next_chunk += 1
        done = next(as_completed(in_flight))
        in_flight.remove(done)
        batch = done.result()                   # raises if the chunk failed; loaded chunks stay loaded
        counts = load_facts(settings, [batch])  # runs here: the single writer
        add_counts(totals, [batch], counts)
    logger.info("dask extraction: %d chunks, %s", len(chunks), totals)
    return totals


def extract_pending_dask(settings: Settings, force: bool = False) -> dict:
    """Extract every stored article whose facts are missing or stale on a Dask cluster; returns counts
    in the same shape as flows.extract.extract_pending."""
    require_api_server()
    runner = task_runner(settings.scale)
    dask_flow = flow(_extract_and_load, name="privnews-extract-dask", task_runner=runner, log_prints=False)
    return dask_flow(settings, force)


def extract_pending_scaled(settings: Settings, force: bool = False) -> dict:
    """The extraction step as the settings choose it: in this process, or on Dask."""
    if settings.scale.runner == "dask":
        return extract_pending_dask(settings, force)
    from flows.extract import extract_pending

    return extract_pending(settings, force=force, chunk=settings.scale.chunk)

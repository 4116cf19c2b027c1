"""Extraction begun during ingest (flows/extract_prefetch.py), seen in real runs of the main job on the bundled
sample feeds: the worker is handed chunks before ingest has loaded its articles, and the facts are those of a
run without prefetch."""
from __future__ import annotations

import logging
import os
import signal
import time

import pytest

from flows.extract_pool import start_workers, stop_workers
from flows.pipeline import run_all
from flows.settings import load_settings
from tests.runs import SAMPLE_ENTRIES_PER_FEED, snapshot

pytestmark = pytest.mark.slow

HANDED = "handed to extraction worker"


def _run(tmp, caplog, prefetch: bool) -> tuple[dict, list[logging.LogRecord]]:
    settings = load_settings(db=tmp / "w.duckdb", data_dir=tmp / "data", extract_worker_min_pending=1,
                             extract_prefetch=prefetch, ingest={"max_entries_per_feed": SAMPLE_ENTRIES_PER_FEED})
    # a worker that has loaded its models before the run (one kept from an earlier run, as in `privnews serve`):
    # then it is ready by the time ingest knows its articles, however fast the sample's pages arrive
    for worker in start_workers(settings):
        worker.wait_ready()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="flows"):
        counts = run_all(settings, digest=False)
    assert counts["extract"]["articles_extracted"] >= 40
    return snapshot(settings.db), list(caplog.records)


@pytest.fixture(scope="module")
def worker_pool():
    yield
    stop_workers()


def test_workers_begin_during_ingest_and_the_facts_do_not_change(tmp_path, caplog, flows_on_session_server,
                                                                 worker_pool):
    with_prefetch, records = _run(tmp_path / "on", caplog, prefetch=True)
    handed = [r for r in records if r.name == "flows.extract_prefetch" and HANDED in r.getMessage()]
    ingested = [r for r in records if r.name == "flows.ingest.flow" and r.getMessage().startswith("ingest ")]
    assert len(ingested) == 1, "ingest logs its counts once, after its load"
    assert handed, "no chunk was handed to the worker during ingest"
    assert handed[0].created < ingested[0].created, "the first chunk went out only after ingest's load"
    taken = [r.getMessage() for r in records if "taken over" in r.getMessage()]
    assert taken and not taken[0].endswith(" 0 taken over"), taken

    without, records = _run(tmp_path / "off", caplog, prefetch=False)
    assert not [r for r in records if HANDED in r.getMessage()]
    for table in ("articles", "mentions", "statistics", "claims", "actors", "per_article", "stories"):
        assert with_prefetch[table] == without[table], table
    assert with_prefetch["mentions"] and with_prefetch["claims"]


@pytest.mark.timeout(180)
def test_a_prefetched_chunk_whose_worker_hangs_is_extracted_by_the_writer():
    """A worker that stops answering while it holds a prefetched chunk: after its timeout it is killed and the
    writer extracts that chunk; chunks cut differently from the prefetched ones are never taken over."""
    from flows.extract import get_extractor
    from flows.extract_pool import LANGS, extractor_kwargs, in_order
    from flows.extract_prefetch import Prefetch
    from flows.extract_worker import ExtractionWorker, extract_columns
    from tests.test_extract_workers import _articles, _chunks

    settings = load_settings()
    extractor = get_extractor(settings)
    chunks = _chunks(3)
    worker = ExtractionWorker(extractor_kwargs(settings), LANGS).start()     # its own: this test kills it
    try:
        worker.wait_ready()
        worker.timeout = 3.0
        os.kill(worker.proc.pid, signal.SIGSTOP)
        prefetch = Prefetch(chunks, [worker], extractor.version)
        while 0 in prefetch.schedule.todo:              # the feeder hands out the first chunk, which hangs
            time.sleep(0.05)
        assert prefetch.take([_articles()[:4]], extractor.version) == {}      # cut differently
        assert prefetch.take(chunks, "another extractor version") == {}
        claims = prefetch.take(chunks, extractor.version)
        assert list(claims) == [0]
        assert list(in_order(chunks, lambda c: extract_columns(extractor, c), [], extractor.version, claims)) == \
            [extract_columns(extractor, c) for c in chunks]
        assert not worker.alive                         # killed after its timeout
    finally:
        worker.stop()

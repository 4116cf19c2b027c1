"""Extraction worker processes (flows/extract_worker.py, flows/extract_pool.py): what a worker extracts is
what the writer would have extracted, a worker that is gone leaves its chunks to the writer, and no worker
outlives its writer."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from flows.extract import get_extractor
from flows.extract_pool import LANGS, extractor_kwargs, in_order, start_workers, stop_workers, workers_for
from flows.extract_worker import ExtractionWorker, extract_columns
from flows.settings import load_settings
from tests.runs import ROOT

pytestmark = pytest.mark.slow

GOLD = ROOT / "models" / "corpus" / "gold-dev.jsonl"


def _articles() -> list[dict]:
    with open(GOLD, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    # every third dev article of each language, at most 75 each: a fixed size, as the whole corpus (and then every
    # third of it) only made these tests slower as it grew
    picked = [d for lang in ("nl", "en") for d in [d for d in docs if d.get("lang") == lang][::3][:75]]
    arts = [{"article_id": d["id"], "text": d["text"], "lang": d.get("lang", "en")} for d in picked]
    # and the two kinds of article that are skipped, not extracted
    return arts + [{"article_id": "empty", "text": "", "lang": "nl"},
                   {"article_id": "german", "text": "Die Datenschutzbehörde verhängt ein Bußgeld.", "lang": "other"}]


def _chunks(size: int = 3) -> list[list[dict]]:
    arts = _articles()
    return [arts[i:i + size] for i in range(0, len(arts), size)]


@pytest.fixture(scope="module")
def worker():
    settings = load_settings()
    w = ExtractionWorker(extractor_kwargs(settings), LANGS).start()
    yield w
    w.stop()


def _counting(extractor):
    calls = []

    def extract_here(chunk):
        calls.append(chunk[0]["article_id"])
        return extract_columns(extractor, chunk)
    return extract_here, calls


def test_worker_results_equal_the_writers_in_chunk_order(worker):
    extractor = get_extractor(load_settings())
    chunks = _chunks()
    alone = [extract_columns(extractor, c) for c in chunks]
    worker.wait_ready()            # so that the worker takes its share from the first chunk on
    extract_here, calls = _counting(extractor)
    shared = list(in_order(chunks, extract_here, [worker], extractor.version))
    assert shared == alone
    assert 0 < len(calls) < len(chunks), "both processes must have extracted chunks"
    assert any(b.articles_skipped for b in alone) and all(b.tables["incoming_ids"].num_rows for b in alone)


def test_chunks_of_a_worker_that_is_gone_are_extracted_by_the_writer(worker):
    extractor = get_extractor(load_settings())
    chunks = _chunks()
    worker.wait_ready()
    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(timeout=10)
    extract_here, calls = _counting(extractor)
    assert list(in_order(chunks, extract_here, [worker], extractor.version)) == \
        [extract_columns(extractor, c) for c in chunks]
    assert len(calls) == len(chunks)


@pytest.mark.timeout(180)
def test_a_hung_worker_is_killed_and_its_chunk_extracted_by_the_writer():
    """A worker that stops answering (SIGSTOP: the process is there but does nothing, as when it hangs) must
    not stall the run: after its timeout it is killed and the writer extracts the chunk it held."""
    settings = load_settings()
    extractor = get_extractor(settings)
    chunks = _chunks()
    worker = ExtractionWorker(extractor_kwargs(settings), LANGS).start()     # its own: this test kills it
    try:
        worker.wait_ready()
        worker.timeout = 3.0
        os.kill(worker.proc.pid, signal.SIGSTOP)
        extract_here, calls = _counting(extractor)
        started = time.monotonic()
        assert list(in_order(chunks, extract_here, [worker], extractor.version)) == \
            [extract_columns(extractor, c) for c in chunks]
        assert len(calls) == len(chunks)             # the writer extracted every chunk, the held one too
        assert not worker.alive                      # killed, so a later run starts a fresh one
        assert time.monotonic() - started < 120
    finally:
        worker.stop()


def test_a_run_starts_no_worker_for_few_articles_or_when_told_not_to():
    few = load_settings(extract_workers=1, extract_worker_min_pending=100)
    assert workers_for(few, 99) == []
    assert workers_for(load_settings(extract_workers=0), 10_000) == []


def test_workers_are_kept_for_later_runs_but_not_used_when_turned_off():
    settings = load_settings(extract_workers=1, extract_worker_min_pending=100)
    try:
        started = start_workers(settings)
        assert len(started) == 1 and started[0].alive
        assert workers_for(settings, 1) == started           # a small later run still uses it
        assert start_workers(settings) == started            # not started twice
        assert workers_for(load_settings(extract_workers=0, extract_worker_min_pending=100), 10_000) == []
    finally:
        stop_workers()
    assert not started[0].alive


WRITER = """
import sys, time
from flows.extract_pool import LANGS, extractor_kwargs
from flows.extract_worker import ExtractionWorker
from flows.settings import load_settings
w = ExtractionWorker(extractor_kwargs(load_settings()), LANGS).start()
if sys.argv[1] == "ready":
    w.wait_ready()
print(w.proc.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("when", ["loading", "ready"])
def test_worker_goes_when_its_writer_is_killed(when):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, when], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        worker = psutil.Process(int(writer.stdout.readline()))
        assert worker.is_running()
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        deadline = time.monotonic() + 30
        while worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.2)
        gone = not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE
        if not gone:
            worker.kill()
        assert gone, f"the worker outlived its writer ({when})"
    finally:
        if writer.poll() is None:
            writer.kill()

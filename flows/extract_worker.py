"""Extraction on the other cores: worker processes that load the models once and extract whole chunks of
articles sent to them, while the writer process extracts chunks too and loads every result in chunk order.

NLP extraction is most of an article's CPU and one Python process uses one core, so a run on a 2-core
machine extracts in two processes. A worker is a fresh interpreter (`python -m flows.extract_worker`,
started with subprocess: no fork of a process that runs Prefect's threads and event loop) that imports
only the NLP code and pyarrow (no Prefect, no DuckDB), builds an `nlp.pipeline.Extractor` from the writer's
settings and loads both languages' pipelines before it says it is ready; so it can be started while ingest
runs.

Messages are length-prefixed pickles: chunks go to the worker's stdin, results come back on a pipe of their
own (whatever a library prints cannot corrupt them). A chunk is extracted by `extract_columns`, the function
the writer runs for its own chunks, so the facts do not depend on which process extracted them; it returns
them as the Arrow tables the writer loads (warehouse/columns.py), so converting them costs the writer nothing.

A worker never outlives its writer: a dead writer closes the worker's stdin (EOF: the worker exits), the
kernel sends it SIGTERM when the writer dies (Linux, when started from the main thread), and a watchdog
thread ends it when its parent is no longer the writer (flows/parent_death.py).
"""
from __future__ import annotations

import argparse
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import traceback
from typing import BinaryIO

from flows.parent_death import die_with_parent, pdeathsig_allowed

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")
STOP_GRACE = 10.0
# how long the writer waits for a worker's answer (models loaded, a chunk extracted) before it kills the worker
# and extracts the chunk itself: a hung worker must not stall the run (settings.extract_worker_timeout)
ANSWER_TIMEOUT = 300.0


def extract_chunk(extractor, articles: list[dict]) -> tuple[list[tuple[str, dict]], dict[str, str]]:
    """Facts of the articles that can be extracted, and why each other one was skipped."""
    from nlp.language import SUPPORTED

    todo = [a for a in articles if a["lang"] in SUPPORTED and a["text"]]
    skipped = {a["article_id"]: ("language not supported: " + str(a["lang"]) if a["text"] else "empty text")
               for a in articles if a not in todo}
    docs = [{"id": a["article_id"], "text": a["text"], "lang": a["lang"]} for a in todo]
    facts = [(f["id"], f) for f in extractor.extract_many(docs)]
    return facts, skipped


def extract_columns(extractor, articles: list[dict]):
    """`extract_chunk`'s facts as the Arrow tables the writer loads (warehouse.columns.FactBatch): built where
    the chunk was extracted, so the single writer only merges and inserts them (the conversion, ~2.6 µs CPU a
    fact, is the worker's)."""
    from warehouse.columns import fact_batch

    facts, skipped = extract_chunk(extractor, articles)
    return fact_batch(facts, extractor.version, skipped)


def write_frame(stream: BinaryIO, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO):
    """The next message; EOFError when the other side has closed the pipe."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


# ------------------------------------------------------------------------------------- writer side


class WorkerGone(RuntimeError):
    """The worker process ended (or could not start); its chunk must be extracted elsewhere."""


class ChunkFailed(RuntimeError):
    """Extraction raised in the worker (the message is its traceback); the worker itself is still usable."""


class ExtractionWorker:
    """One worker process, seen from the writer. Used by one thread at a time: `wait_ready()` once, then
    `extract(articles)` per chunk (a frame out, a frame back; the worker is idle, reading, when a chunk is
    sent, so the write does not wait on its work)."""

    def __init__(self, extractor_kwargs: dict, langs: tuple[str, ...], timeout: float = ANSWER_TIMEOUT):
        self.extractor_kwargs = dict(extractor_kwargs)
        self.langs = tuple(langs)
        self.timeout = timeout               # seconds to wait for an answer before the worker counts as hung
        self.proc: subprocess.Popen | None = None
        self.version: str | None = None      # set by wait_ready()
        self.lock = threading.Lock()         # held by the thread that feeds it
        self._results: BinaryIO | None = None

    def start(self) -> "ExtractionWorker":
        read_fd, write_fd = os.pipe()
        pdeathsig = pdeathsig_allowed()
        cmd = [sys.executable, "-m", "flows.extract_worker", "--parent-pid", str(os.getpid()),
               "--result-fd", str(write_fd)] + (["--pdeathsig"] if pdeathsig else [])
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         pass_fds=[write_fd])
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)          # the worker holds its own copy: EOF here when it exits
        self._results = os.fdopen(read_fd, "rb")
        self._send({"extractor": self.extractor_kwargs, "langs": self.langs})
        logger.info("extraction worker %d starting", self.proc.pid)
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _send(self, obj) -> None:
        try:
            write_frame(self.proc.stdin, obj)
        except (OSError, ValueError, AttributeError) as exc:
            raise WorkerGone(f"extraction worker: cannot send ({exc})") from None

    def _receive(self):
        # One request is outstanding at a time and the worker writes one frame per request, so nothing of the
        # next frame can sit in the reader's buffer: the pipe itself says whether the answer has begun.
        if self._results is not None and not select.select([self._results], [], [], self.timeout)[0]:
            self._kill()
            raise WorkerGone(f"extraction worker gave no answer within {self.timeout:.0f} s and was killed "
                             "(raise extract_worker_timeout on a very slow machine)")
        try:
            return read_frame(self._results)
        except (EOFError, OSError, ValueError, AttributeError, pickle.UnpicklingError):
            code = self.proc.poll() if self.proc is not None else None
            raise WorkerGone(f"extraction worker ended (exit code {code})") from None

    def wait_ready(self) -> str:
        """Block until the worker has loaded its models; its extractor version."""
        if self.version is None:
            kind, _, version = self._receive()
            if kind != "ready":
                raise WorkerGone(f"extraction worker: unexpected first message {kind!r}")
            self.version = version
        return self.version

    def extract(self, articles: list[dict]):
        """The chunk's facts as a warehouse.columns.FactBatch (`extract_columns` in the worker)."""
        self._send((0, articles))
        kind, _, payload = self._receive()
        if kind == "failed":
            raise ChunkFailed(payload)
        return payload

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                logger.error("extraction worker %d did not exit after SIGKILL", self.proc.pid)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()          # EOF: the worker exits after the chunk it is on
        except OSError:
            pass
        try:
            proc.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if self._results is not None:
            self._results.close()
            self._results = None


# ------------------------------------------------------------------------------------- worker side


def serve(parent_pid: int, result_fd: int, pdeathsig: bool) -> int:
    if not die_with_parent(parent_pid, pdeathsig):      # the writer died before the signal was armed
        return 1
    inbox, outbox = sys.stdin.buffer, os.fdopen(result_fd, "wb")
    try:
        config = read_frame(inbox)
    except EOFError:
        return 0
    from flows.torchless import torch_needed

    if not torch_needed(config["extractor"].get("ner_backend", "spacy")):
        # spaCy's pipelines run on thinc's numpy ops; thinc imports torch only because it is installed, which
        # is most of this process's start-up (seconds of CPU). This process serves one backend: hide torch
        # for good (flows/torchless.py; the facts are the same, tests/test_extract_workers.py).
        sys.modules["torch"] = None     # `import torch` raises ImportError, which thinc handles
    from nlp.pipeline import Extractor

    extractor = Extractor(**config["extractor"])
    for lang in config["langs"]:
        extractor.nlp(lang)
    write_frame(outbox, ("ready", None, extractor.version))
    while True:
        try:
            seq, articles = read_frame(inbox)
        except EOFError:
            return 0
        try:
            write_frame(outbox, ("done", seq, extract_columns(extractor, articles)))
        except Exception:           # reported to the writer, which extracts the chunk itself
            write_frame(outbox, ("failed", seq, traceback.format_exc()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="privnews extraction worker (started by the writer process).")
    parser.add_argument("--parent-pid", type=int, required=True)
    parser.add_argument("--result-fd", type=int, required=True)
    parser.add_argument("--pdeathsig", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return serve(args.parent_pid, args.result_fd, args.pdeathsig)


if __name__ == "__main__":
    sys.exit(main())

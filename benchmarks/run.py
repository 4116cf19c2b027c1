"""privnews speed benchmarks: one command, one markdown table.

    python -m benchmarks.run                  # 400 generated articles, every stage
    python -m benchmarks.run --articles 1000
    python -m benchmarks.run --quick          # 24 articles, small load: checks the harness, not the speed
    python -m benchmarks.run --stages extract,baseline --no-write

It generates a corpus (benchmarks.corpus: N articles varied from the development corpus, rendered as
pages and RSS/Atom feeds) and serves it on 127.0.0.1, then runs each stage in a fresh Python process (so
peak RSS and model loading belong to that stage alone):

- parse:    feed parsing and the page pipeline of ingestion (decode, metadata, trafilatura) per page
- baseline: bare en_core_web_sm nlp.pipe over the same texts
- extract:  privnews's full extraction (Extractor.extract_many), per language and mixed, and the CPU
            share of each pipeline component
- extract_2proc: the same pipelines through nlp.pipe(n_process=2), what two processes would give
- load:     warehouse.load.replace_facts (Arrow bulk) in pipeline-sized chunks and in one call
- dask:     re-extraction of the e2e database in one process vs on a 2-worker Dask LocalCluster
            (flows.scale, a real Prefect server started for it)
- e2e:      flows.pipeline.run_all on the local feeds into a fresh DuckDB file (cold: new process,
            ephemeral Prefect server, models loaded), again unchanged (re-run cost), and once more after
            N/4 new articles appear in the feeds (warm, as under `privnews serve`); then, as a separate
            figure, one cold run over a larger corpus (--steady-articles, default 1000), where the fixed
            costs of a run (server, imports, models) are spread over many articles: the steady state

It prints the table and writes it to benchmarks/RESULTS.md (unless --no-write). Nothing here is a test:
the figures depend on the machine, which the table names.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

logger = logging.getLogger(__name__)

RESULTS_FILE = Path(__file__).resolve().parent / "RESULTS.md"
ALL_STAGES = ("parse", "baseline", "extract", "extract_2proc", "load", "e2e", "dask")
TARGETS = {  # issue 7, on 2 cores
    "ratio": 1.0,               # privnews words/s / en_core_web_sm nlp.pipe words/s
    "articles_per_s": 20.0,
    "peak_rss_mb": 2048.0,
    "rerun_ratio": 0.05,
    "facts_per_s": 500_000.0,
}
STAGE_TIMEOUT_S = 3600


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram_gb = psutil.virtual_memory().total / 2**30
        physical = psutil.cpu_count(logical=False)
    except ImportError:  # pragma: no cover - psutil comes with distributed
        ram_gb, physical = float("nan"), None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores_usable": usable, "cores_logical": os.cpu_count(), "cores_physical": physical,
            "ram_gb": ram_gb, "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}


def child_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(workdir / "prefect-home"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # the ephemeral Prefect server's default 20 s start-up limit is too short on a loaded 2-core machine
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    env.pop("PRIVNEWS_CONFIG", None)
    for key in [k for k in env if k.startswith("PRIVNEWS_")]:
        env.pop(key)      # the benchmark's settings are its own, whatever the caller's shell says
    return env


def prepare_prefect_home(workdir: Path) -> dict:
    """Prefect's own database in the stages' Prefect home, created as `make setup` creates it on an
    installation, so that no run's timing includes it; how long it took is reported on its own row."""
    cmd = [sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=child_env(workdir), capture_output=True, text=True, timeout=STAGE_TIMEOUT_S)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout or "").strip()[-3000:]
        return {"error": f"exit {proc.returncode}: {tail.splitlines()[-1] if tail else '?'}", "log": tail,
                "wall_s": wall}
    return {"wall_s": wall}


def run_stage(stage: str, workdir: Path, options: dict, env_dir: Path | None = None) -> dict:
    """Run one stage in a fresh interpreter; its result comes back as JSON in a file. `env_dir`: the
    work directory whose environment (Prefect home) the stage shares, if not its own."""
    out = workdir / f"result-{stage}.json"
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", stage, "--workdir", str(workdir),
           "--options", json.dumps(options)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=child_env(env_dir or workdir), capture_output=True, text=True,
                          timeout=STAGE_TIMEOUT_S)
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout or "")[-3000:]
        return {"error": f"exit {proc.returncode}: {tail.strip().splitlines()[-1] if tail.strip() else '?'}",
                "log": tail, "wall_s": wall}
    result = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"] = wall
    return result


def _fmt(v, digits: int = 0) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _cpu(e: dict, run: str) -> str:
    """'; N CPU-s, M articles/CPU-s' for an e2e run, when the stage measured it (CPU of the process and its
    children, e.g. the ephemeral Prefect server: less distorted by other load than wall clock)."""
    cpu = e.get(f"{run}_cpu_s")
    per = e.get("articles_per_cpu_s" if run == "first" else "warm_articles_per_cpu_s")
    return f"; {_fmt(cpu, 1)} CPU-s, {_fmt(per, 1)} articles/CPU-s" if cpu else ""


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def render_table(results: dict, info: dict, n_articles: int, command: str) -> str:
    p, b, x, ld, e = (results.get(k, {}) for k in ("parse", "baseline", "extract", "load", "e2e"))
    rows: list[tuple[str, str, str, str, str, str]] = []

    def err(stage: dict) -> str | None:
        return f"failed: {stage['error']}" if "error" in stage else None

    if p:
        msg = err(p)
        rows.append(("Feed parse", "ms per feed (entries)",
                     msg or f"{_fmt(p['feed_parse_ms_per_feed'], 2)} ({p['feed_entries']} entries)", "", "", ""))
        rows.append(("Text extraction (trafilatura)", "ms per page, mean / p95",
                     msg or f"{_fmt(p['page_ms_mean'], 2)} / {_fmt(p['page_ms_p95'], 2)}", "", "1-3 ms (anchor)", ""))
        if not msg:
            rows.append(("Text extraction (trafilatura)", "pages/s; text kept",
                         f"{_fmt(p['pages_per_s'])}; {p['pages_text_kept']}/{p['pages']}", "", "", ""))
    ratio = None
    if x or b:
        for lang, label in (("nl", "Extraction, Dutch"), ("en", "Extraction, English"), ("all", "Extraction, mixed nl+en")):
            def both(stage: dict) -> str:
                return err(stage) or (f"{_fmt(stage.get(f'words_per_s_{lang}'))} "
                                      f"({_fmt(stage.get(f'words_per_cpu_s_{lang}'))})")
            rows.append((label, "words/s, warm, 1 process (per CPU-s)", both(x) if x else "", both(b) if b else "",
                         "", ""))
        ok = not err(x) and not err(b)
        pv, bv = x.get("words_per_s_all"), b.get("words_per_s_all")
        ratio = pv / bv if ok and pv and bv else None
        rows.append(("Extraction speed ratio", "privnews / en_core_web_sm, mixed, wall clock",
                     _fmt(ratio, 2) + ("x" if ratio else ""), "1.00x", f">= {TARGETS['ratio']:.2f}x",
                     _met(None if ratio is None else ratio >= TARGETS["ratio"])))
        pc, bc = x.get("words_per_cpu_s_all"), b.get("words_per_cpu_s_all")
        if ok and pc and bc:
            rows.append(("Extraction speed ratio", "same, per CPU second (less sensitive to machine load)",
                         f"{pc / bc:.2f}x ({_fmt(pc)} vs {_fmt(bc)} words/CPU-s)", "1.00x",
                         f">= {TARGETS['ratio']:.2f}x", _met(pc / bc >= TARGETS["ratio"])))
        x2 = results.get("extract_2proc")
        if x2 and ok:
            v = None if err(x2) else x2["words_per_s_all"]
            rows.append(("Extraction, 2 processes", "words/s, nlp.pipe(n_process=2); ratio",
                         err(x2) or f"{_fmt(v)}; {v / bv:.2f}x", _fmt(bv), f">= {TARGETS['ratio']:.2f}x",
                         _met(None if v is None else v / bv >= TARGETS["ratio"])))
        if ok:
            rows.append(("Model load", "s (cold, incl. first call)", _fmt(x.get("model_load_s"), 1),
                         _fmt(b.get("model_load_s"), 1), "", ""))
    if ld:
        msg = err(ld)
        big = ld.get("big_chunk", 1024)
        wc = ld.get("worker_chunk", 16)
        for mode, label in (("chunked", f"facts/s, {ld.get('chunk', 64)} articles per call (per CPU-s)"),
                            (f"chunked_{big}", f"facts/s, {big:,} articles per call (per CPU-s)"),
                            ("bulk", "facts/s, one call (per CPU-s)"),
                            ("bulk_replace", "facts/s, one call replacing all (per CPU-s)"),
                            ("pipeline", f"facts/s, as the pipeline: the writer merges the workers' {wc}-article "
                                         f"batches, {big:,} articles per call (per CPU-s)")):
            v = None if msg else ld.get(f"facts_per_s_{mode}")
            per_cpu = None if msg else ld.get(f"facts_per_cpu_s_{mode}")
            runs = ld.get("repeats", 1)
            stage = "Load (write_facts, workers' Arrow)" if mode == "pipeline" else "Load (replace_facts, Arrow)"
            rows.append((stage, label,
                         msg or f"{_fmt(v)} ({_fmt(per_cpu)}; {_fmt(ld['facts'])} facts; median of {runs})", "",
                         f">= {TARGETS['facts_per_s']:,.0f}",
                         _met(None if v is None else v >= TARGETS["facts_per_s"])))
        if not msg and ld.get("facts_per_cpu_s_worker_batches"):
            rows.append(("Load, worker side", f"facts/CPU-s: fact_batch per {wc}-article chunk, in the extraction "
                         "workers (their CPU, not the writer's)",
                         _fmt(ld["facts_per_cpu_s_worker_batches"]), "", "", ""))
        if not msg and ld.get("facts_per_s_duckdb_only"):
            cpu = ld.get("facts_per_cpu_s_python_only")
            rows.append(("Load, split", "facts/s: Python dicts->Arrow only (per CPU-s); DuckDB write_facts (whole transaction)",
                         f"{_fmt(ld['facts_per_s_python_only'])} ({_fmt(cpu)}); {_fmt(ld['facts_per_s_duckdb_only'])}", "",
                         f">= {TARGETS['facts_per_s']:,.0f}", ""))
    ps = results.get("prefect_setup")
    if ps:
        rows.append(("Set-up: Prefect's database", "s, created once per installation by `make setup`, before any "
                     "run below (a first run that creates it itself takes ~4 s longer)",
                     err(ps) or _fmt(ps["wall_s"], 1), "", "", ""))
    if e:
        msg = err(e)
        aps = None if msg else e["articles_per_s"]
        rows.append(("End to end (run_all, local feeds)", "articles/s, first run",
                     msg or f"{_fmt(aps, 1)} ({e['articles_stored']} articles, {_fmt(e['first_s'], 1)} s{_cpu(e, 'first')})",
                     "",
                     f">= {TARGETS['articles_per_s']:.0f}", _met(None if aps is None else aps >= TARGETS["articles_per_s"])))
        if not msg and e.get("warm_new_articles"):
            w = e["warm_articles_per_s"]
            rows.append(("End to end, warm", "articles/s, new articles in a running process",
                         f"{_fmt(w, 1)} ({e['warm_new_articles']} articles, {_fmt(e['warm_s'], 1)} s{_cpu(e, 'warm')})",
                         "",
                         f">= {TARGETS['articles_per_s']:.0f}", _met(w >= TARGETS["articles_per_s"])))
        st = results.get("e2e_steady")
        if st:
            v = None if err(st) else st["articles_per_s"]
            rows.append(("End to end, steady state", "articles/s, one cold run of a larger corpus (fixed costs "
                         "of a run spread over it)",
                         err(st) or f"{_fmt(v, 1)} ({st['articles_stored']} articles, {_fmt(st['first_s'], 1)} s"
                                    f"{_cpu(st, 'first')})", "",
                         f">= {TARGETS['articles_per_s']:.0f}", _met(None if v is None else v >= TARGETS["articles_per_s"])))
        rr = None if msg else e["rerun_ratio"]
        rows.append(("Re-run, unchanged input", "second run / first run",
                     msg or (f"{100 * rr:.1f} % ({_fmt(e['second_s'], 2)} s, {e['rerun_added_rows']} rows added"
                             + (f"; CPU {100 * e['rerun_cpu_ratio']:.1f} %: {_fmt(e['second_cpu_s'], 2)} of "
                                f"{_fmt(e['first_cpu_s'], 1)} CPU-s" if e.get("rerun_cpu_ratio") else "") + ")"),
                     "",
                     f"< {100 * TARGETS['rerun_ratio']:.0f} %", _met(None if rr is None else rr < TARGETS["rerun_ratio"])))
    dk = results.get("dask")
    if dk:
        msg = err(dk)
        rows.append(("Scale-out (Dask LocalCluster)", "articles/s re-extracting: 1 process; 2 Dask workers",
                     msg or f"{_fmt(dk['local_articles_per_s'], 1)}; {_fmt(dk['dask_articles_per_s'], 1)} "
                            f"({dk['articles']} articles, same facts: {'yes' if dk['same_counts'] else 'NO'}; "
                            f"server start {_fmt(dk['server_start_s'], 1)} s)", "", "", ""))
    # privnews's own processes; the baseline stage holds en_core_web_sm's docs and is shown in its column
    peaks = {k: v["peak_rss_mb"] for k, v in results.items()
             if isinstance(v, dict) and "peak_rss_mb" in v and k != "baseline"}
    if peaks:
        worst = max(peaks, key=peaks.get)
        detail = ", ".join(f"{k} {v:,.0f}" for k, v in peaks.items())
        rows.append(("Peak RSS", "MiB, per stage process", f"{peaks[worst]:,.0f} ({worst}; {detail})",
                     _fmt(b.get("peak_rss_mb")) if b and not err(b) else "", f"< {TARGETS['peak_rss_mb']:,.0f}",
                     _met(peaks[worst] < TARGETS["peak_rss_mb"])))
    head = ("| Stage | Measure | privnews | en_core_web_sm baseline | Target | Met |\n"
            "|---|---|---|---|---|---|\n")
    body = "".join("| " + " | ".join(r) + " |\n" for r in rows)
    phys = f", {info['cores_physical']} physical" if info.get("cores_physical") else ""
    machine_line = (f"Machine: {info['cpu']}, {info['cores_usable']} usable cores ({info['cores_logical']} logical"
                    f"{phys}), {info['ram_gb']:.0f} GiB RAM, Python {info['python']}, {info['os']}.")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = info.get("loadavg")
    load_line = (f" Load average before/after: {load[0]:.1f} / {info['loadavg_after'][0]:.1f} "
                 f"(other work on the machine slows every wall-clock figure)." if load else "")
    notes = []
    for key, stage in (("component_share_en", x), ("component_share_nl", x)):
        if stage and stage.get(key):
            notes.append(f"- privnews {key[-2:]} CPU by component: {stage[key]}")
    if b and b.get("component_share_en"):
        notes.append(f"- en_core_web_sm CPU by component: {b['component_share_en']}")
    return (f"{machine_line}{load_line}\nCorpus: {n_articles} generated articles (about half Dutch, half English, "
            f"~3 % German/French), served on 127.0.0.1. Command: `{command}`. Run {when}.\n\n{head}{body}"
            + ("\n" + "\n".join(notes) + "\n" if notes else ""))


def run_steady(n: int, workdir: Path, options: dict) -> dict:
    """The e2e stage once more, over a corpus of its own of `n` articles (no later articles: no warm run),
    sharing the main work directory's Prefect home (no second database migration in the timing)."""
    from benchmarks.corpus import LocalSites, generate, write_workdir

    steady_dir = workdir / "steady"
    print(f"  running e2e, steady state ({n} articles) ...", file=sys.stderr, flush=True)
    with LocalSites(steady_dir / "sites") as sites:
        write_workdir(generate(n, steady_dir / "sites", sites.base_url), steady_dir)
        result = run_stage("e2e", steady_dir, options, env_dir=workdir)
    if "error" in result:
        print(f"  e2e steady state failed: {result['log']}", file=sys.stderr)
    return result


def worker(stage: str, workdir: Path, options: dict) -> int:
    from benchmarks.stages import STAGES

    logging.basicConfig(level=logging.WARNING)
    result = STAGES[stage](workdir, **options)
    (workdir / f"result-{stage}.json").write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=None, help="articles to generate (default 400; 24 with --quick)")
    ap.add_argument("--quick", action="store_true", help="tiny corpus and load: checks the harness runs")
    ap.add_argument("--stages", default=",".join(ALL_STAGES), help=f"comma-separated subset of {','.join(ALL_STAGES)}")
    ap.add_argument("--load-facts", type=int, default=None,
                    help="fact rows for the load stage (default 200,000; 5,000 with --quick)")
    ap.add_argument("--no-digest", action="store_true", help="end to end without the digest step")
    ap.add_argument("--steady-articles", type=int, default=None,
                    help="e2e: also one cold run over this many articles, the steady-state figure (default 1000; "
                         "0 with --quick, or to skip)")
    ap.add_argument("--output", type=Path, default=RESULTS_FILE, help="where the table is written")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    ap.add_argument("--json", type=Path, default=None, help="also write every raw measurement here")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (printed) for inspection")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.workdir, json.loads(args.options))

    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = set(stages) - set(ALL_STAGES)
    if unknown:
        ap.error(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(ALL_STAGES)}")
    n = args.articles or (24 if args.quick else 400)
    if n < 4:
        ap.error("--articles must be at least 4")
    options = {"load": {"target_facts": args.load_facts or (5_000 if args.quick else 200_000),
                        "repeats": 1 if args.quick else 3},
               "e2e": {"digest": not args.no_digest}}
    from benchmarks.corpus import LocalSites, generate, write_workdir

    info = machine()
    info["loadavg"] = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="privnews-bench-")
    workdir = Path(tmp)
    results: dict = {}
    try:
        with LocalSites(workdir / "sites") as sites:
            corpus = generate(n, workdir / "sites", sites.base_url, extra=max(2, n // 4))
            write_workdir(corpus, workdir)
            print(f"benchmark corpus: {n} articles (+{len(corpus.articles) - n} later), "
                  f"{len(corpus.outlets)} feeds, {corpus.words():,} words, "
                  f"served at {sites.base_url}", file=sys.stderr)
            if {"e2e", "dask"} & set(stages):
                print("  creating Prefect's database, as make setup does ...", file=sys.stderr, flush=True)
                results["prefect_setup"] = prepare_prefect_home(workdir)
            for stage in stages:
                print(f"  running {stage} ...", file=sys.stderr, flush=True)
                results[stage] = run_stage(stage, workdir, options.get(stage, {}))
                if "error" in results[stage]:
                    print(f"  {stage} failed: {results[stage]['log']}", file=sys.stderr)
        steady = args.steady_articles if args.steady_articles is not None else (0 if args.quick else 1000)
        if "e2e" in stages and steady > 0:
            results["e2e_steady"] = run_steady(steady, workdir, options["e2e"])
    finally:
        if args.keep:
            print(f"work directory kept: {workdir}", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)
    info["loadavg_after"] = os.getloadavg()
    command = "python -m benchmarks.run" + (f" --articles {args.articles}" if args.articles else "") + \
        (" --quick" if args.quick else "") + \
        (f" --steady-articles {args.steady_articles}" if args.steady_articles is not None else "") + (f" --stages {args.stages}" if args.stages != ",".join(ALL_STAGES) else "")
    table = render_table(results, info, n, command)
    print(table)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "articles": n, "results": results}, indent=1, default=str),
                             encoding="utf-8")
    if not args.no_write:
        busy = max(info["loadavg"][0], info["loadavg_after"][0]) > (info["cores_usable"] or 1)
        caveat = ("**Read the wall-clock figures with care**: this run shared its cores with other work (load "
                  "average above the core count), so wall-clock speeds are below what the machine does idle; the "
                  "\"per CPU-s\" figures and the ratios are the comparable ones.\n\n") if busy else ""
        args.output.write_text("# privnews benchmark results\n\nWritten by `python -m benchmarks.run` (`make bench`); "
                               "the README copies this table. How to read it and what would fix each miss: "
                               "`docs/scaling.md`.\n\n" + caveat + table, encoding="utf-8")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

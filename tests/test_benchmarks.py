"""The benchmark harness (benchmarks/): its corpus generator and its table. Nothing here times anything:
the figures depend on the machine; these tests check that the harness runs and reports every column."""
from __future__ import annotations

import json
import re

import httpx

from benchmarks.corpus import LocalSites, generate, publish, write_workdir
from benchmarks.run import ALL_STAGES, main, render_table
from flows.ingest.fulltext import extract_main_text
from flows.ingest.parse import parse_feed

COLUMNS = ["Stage", "Measure", "privnews", "en_core_web_sm baseline", "Target", "Met"]


def _header(table: str) -> list[str]:
    line = next(l for l in table.splitlines() if l.startswith("| Stage"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_generated_corpus_is_varied_served_and_parseable(tmp_path):
    with LocalSites(tmp_path / "sites") as sites:
        corpus = generate(40, tmp_path / "sites", sites.base_url, extra=8)
        again = generate(40, tmp_path / "again", sites.base_url, extra=8)
        assert [a["text"] for a in corpus.articles] == [a["text"] for a in again.articles]   # deterministic
        assert len(corpus.articles) == 48 and corpus.published == 40
        texts = [a["text"] for a in corpus.articles]
        assert len(set(texts)) == len(texts)                      # every article a different text
        langs = [a["lang"] for a in corpus.articles]
        assert langs.count("nl") >= 15 and langs.count("en") >= 15

        # en-001 (Clearview AI, fined by the AP in 2024) is the first English source: the company is renamed
        # in every surface form, the regulator and the years stay, the amounts change
        first_en = next(a for a in corpus.articles if a["lang"] == "en")
        assert "Clearview" not in first_en["text"] and "Aleid Wolfsen" not in first_en["text"]
        assert "Autoriteit Persoonsgegevens" in first_en["text"]
        assert "€30.5 million" not in first_en["text"] and re.search(r"€\d+\.5 million", first_en["text"])

        # what is served: every feed parses and lists only published articles; pages carry the text
        served = 0
        for url in corpus.feed_urls:
            resp = httpx.get(url)
            assert resp.status_code == 200
            served += len(parse_feed(resp.content, url, resp.headers["content-type"]).entries)
        assert served == 40
        page = httpx.get(first_en["url"])
        assert page.status_code == 200
        assert first_en["text"].split("\n\n")[0][:80] in extract_main_text(page.text, first_en["url"])
        unpublished = corpus.articles[45]
        assert httpx.get(unpublished["url"]).status_code == 404

        publish(corpus, 48)                                      # later items appear in the feeds
        assert sum(len(parse_feed(httpx.get(u).content, u).entries) for u in corpus.feed_urls) == 48
        assert httpx.get(unpublished["url"]).status_code == 200

    write_workdir(corpus, tmp_path / "work")
    meta = json.loads((tmp_path / "work" / "corpus.json").read_text())
    assert meta["articles"] == 48 and len(meta["feeds"]) == len(corpus.outlets)
    assert "[publishers." in (tmp_path / "work" / "feeds.toml").read_text()


def test_table_has_every_column_and_stage():
    stage = {"peak_rss_mb": 100.0}
    results = {
        "parse": {**stage, "feed_parse_ms_per_feed": 2.0, "feed_entries": 30, "page_ms_mean": 3.0, "page_ms_p95": 5.0,
                  "pages_per_s": 300.0, "pages_text_kept": 30, "pages": 30},
        "baseline": {**stage, "words_per_s_nl": 9000.0, "words_per_s_en": 9000.0, "words_per_s_all": 9000.0,
                     "words_per_cpu_s_all": 9500.0, "model_load_s": 1.0, "component_share_en": "ner 40%"},
        "extract": {**stage, "words_per_s_nl": 12000.0, "words_per_s_en": 7000.0, "words_per_s_all": 9900.0,
                    "words_per_cpu_s_all": 10000.0, "model_load_s": 2.0, "component_share_en": "ner 30%"},
        "extract_2proc": {**stage, "words_per_s_all": 17000.0},
        "load": {**stage, "facts": 1000, "facts_per_s_chunked": 1e5, "facts_per_s_bulk": 6e5,
                 "facts_per_s_bulk_replace": 5e5, "facts_per_s_python_only": 1e5, "facts_per_s_duckdb_only": 2e6},
        "e2e": {**stage, "articles_per_s": 25.0, "articles_stored": 100, "first_s": 4.0, "rerun_ratio": 0.02,
                "second_s": 0.08, "rerun_added_rows": 0, "warm_new_articles": 25, "warm_s": 1.0,
                "warm_articles_per_s": 25.0},
        "e2e_steady": {**stage, "articles_per_s": 30.0, "articles_stored": 1000, "first_s": 33.3,
                       "first_cpu_s": 50.0, "articles_per_cpu_s": 20.0},
    }
    info = {"cpu": "Test CPU", "cores_usable": 2, "cores_logical": 2, "cores_physical": 2, "ram_gb": 8.0,
            "python": "3.11", "os": "Linux", "loadavg": (0.5, 0.5, 0.5), "loadavg_after": (1.0, 1.0, 1.0)}
    table = render_table(results, info, 100, "python -m benchmarks.run")
    assert _header(table) == COLUMNS
    assert "Test CPU, 2 usable cores" in table and "8 GiB RAM" in table
    for label in ("Feed parse", "Text extraction (trafilatura)", "Extraction, Dutch", "Extraction, English",
                  "Extraction speed ratio", "Extraction, 2 processes", "Load (replace_facts, Arrow)",
                  "End to end (run_all, local feeds)", "End to end, warm", "End to end, steady state",
                  "Re-run, unchanged input", "Peak RSS"):
        assert f"| {label} |" in table, label
    assert "30.0 (1000 articles, 33.3 s; 50.0 CPU-s, 20.0 articles/CPU-s)" in table   # steady state, labelled
    assert "| 1.10x |" in table                      # 9,900 / 9,000 words/s
    assert "**no**" in table                         # the chunked load misses 500,000 facts/s and says so
    rows = [l for l in table.splitlines() if l.startswith("| ") and not l.startswith("| Stage")]
    assert all(len(r.strip("|").split("|")) == len(COLUMNS) for r in rows)


def test_a_failed_stage_is_reported_not_hidden():
    info = {"cpu": "X", "cores_usable": 1, "cores_logical": 1, "cores_physical": 1, "ram_gb": 1.0,
            "python": "3.11", "os": "Linux"}
    table = render_table({"e2e": {"error": "exit 1: RuntimeError: boom", "wall_s": 1.0}}, info, 4, "cmd")
    assert "failed: exit 1: RuntimeError: boom" in table


def test_harness_runs_on_a_tiny_corpus(tmp_path, capsys):
    """The real command, on 6 articles and the two quick stages; prints the table, writes the file."""
    out = tmp_path / "RESULTS.md"
    code = main(["--articles", "6", "--stages", "parse,load", "--load-facts", "500", "--output", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert _header(printed) == COLUMNS
    assert "| Feed parse |" in printed and "| Load (replace_facts, Arrow) |" in printed
    assert "failed" not in printed
    assert "| Stage | Measure |" in out.read_text()
    assert set(ALL_STAGES) >= {"parse", "baseline", "extract", "load", "e2e"}

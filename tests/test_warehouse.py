"""Warehouse: migrations, idempotent bulk loads, atomic fact replacement, lock errors."""
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

from warehouse.db import DatabaseBusy, connect, let_go, migrate, migrations, one_instance, open_warehouse
from warehouse.load import (CLAIM_SCHEMA, MENTION_SCHEMA, STAT_SCHEMA, fact_batch, fact_rows, merge_batches,
                            replace_facts, upsert_articles, write_facts)


def article(aid="a1", text="De AP legt Meta een boete op van 5 miljoen euro.", content_hash="h1", **kw):
    row = {"article_id": aid, "url": f"http://news.example/{aid}", "title": "t", "text": text, "lang": "nl",
           "content_hash": content_hash, "fetched_at": datetime(2025, 1, 1, tzinfo=timezone.utc)}
    row.update(kw)
    return row


FACTS = {
    "actors": [{"name": "Meta", "type": "company", "kb_id": "meta",
                "mentions": [{"text": "Meta", "start": 11, "end": 15}]},
               {"name": "Autoriteit Persoonsgegevens", "type": "regulator", "kb_id": "nl-ap",
                "mentions": [{"text": "AP", "start": 3, "end": 5}]}],
    "statistics": [{"value": 5000000, "unit": "EUR", "comparator": "=", "text": "5 miljoen euro", "start": 33,
                    "end": 47, "measures": "boete", "population": None, "source": None}],
    "claims": [{"kind": "fine", "basis": None, "articles": ["GDPR Art. 83"], "claimant": "Autoriteit Persoonsgegevens",
                "target": "Meta", "polarity": None, "status": "imposed", "amount": {"value": 5000000, "unit": "EUR"},
                "text": "legt Meta een boete op", "start": 6, "end": 28}],
}


def counts(con):
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in ("articles", "actors", "mentions", "statistics", "claims")}


def test_migrations_are_recorded_once(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_warehouse(db) as con:
        first = [r[0] for r in con.execute("select version from schema_migrations order by 1").fetchall()]
        assert first == [v for v, _, _ in migrations()]
        assert migrate(con) == []  # nothing pending the second time
    with open_warehouse(db) as con:
        assert con.execute("select count(*) from schema_migrations").fetchall()[0][0] == len(first)


def test_fact_load_is_idempotent_and_replaces_atomically(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
        once = counts(con)
        replace_facts(con, [("a1", FACTS)], "v1")
        upsert_articles(con, [article()])
        assert counts(con) == once == {"articles": 1, "actors": 2, "mentions": 2, "statistics": 1, "claims": 1}
        # A new extractor version replaces the article's facts instead of adding to them.
        fewer = {**FACTS, "statistics": []}
        replace_facts(con, [("a1", fewer)], "v2")
        assert con.execute("select count(*) from statistics").fetchall()[0][0] == 0
        assert con.execute("select distinct extractor_version from claims").fetchall() == [("v2",)]
        row = con.execute("select authority, fined_party, amount, currency from v_fines").fetchall()[0]
        assert row == ("Autoriteit Persoonsgegevens", "Meta", 5000000.0, "EUR")


def test_failed_fact_load_leaves_previous_facts(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
        broken = {**FACTS, "claims": [{**FACTS["claims"][0], "kind": None}]}  # violates NOT NULL
        with pytest.raises(Exception):
            replace_facts(con, [("a1", broken)], "v2")
        assert counts(con)["claims"] == 1
        assert con.execute("select extractor_version from articles").fetchall()[0][0] == "v1"


FACT_SCHEMAS = {"mentions": MENTION_SCHEMA, "statistics": STAT_SCHEMA, "claims": CLAIM_SCHEMA}


def stored_rows(con, table):
    cols = [f.name for f in FACT_SCHEMAS[table]]
    return sorted(con.execute(f"select {', '.join(cols)} from {table}").fetchall(), key=repr)


def reference_rows(extracted, version, table):
    """What the per-row reference (fact_rows: one dict per row, ids hashed in Python) says is stored."""
    cols = [f.name for f in FACT_SCHEMAS[table]]
    floats = {"value", "amount_value"}
    rows = [r for article_id, facts in extracted for r in fact_rows(article_id, facts, version)[table]]
    return sorted((tuple(float(r[c]) if c in floats and r[c] is not None else r.get(c) for c in cols)
                   for r in rows), key=repr)


def corpus_facts():
    import json

    from models.corpus.compile import CORPUS_DIR

    with open(CORPUS_DIR / "gold-test.jsonl", encoding="utf-8") as fh:
        return [(f"doc-{i}", json.loads(line)) for i, line in enumerate(fh)]


def counts_distinct(con):
    return {t: con.execute(f"select count(*), count(distinct {i}) from {t}").fetchall()[0]
            for t, i in (("mentions", "mention_id"), ("statistics", "stat_id"), ("claims", "claim_id"))}


def test_column_load_stores_exactly_the_reference_rows_and_ids(tmp_path):
    """The column-wise load (ids hashed by DuckDB) stores the same rows, ids included, as the per-row
    reference: ids of data loaded before stay valid. Covers the annotated corpus, an integer and a float
    value (their ids differ: Python spells them 5000000 and 5000000.0), unresolved parties and an actor
    without a knowledge-base id."""
    extracted = corpus_facts()
    extra = {"actors": [{"name": "Stichting Één", "type": "ngo", "kb_id": None,
                         "mentions": [{"text": "Stichting Één", "start": 0, "end": 13}]}],
             "statistics": [{**FACTS["statistics"][0], "value": 5000000.0, "start": 60, "end": 74},
                            {**FACTS["statistics"][0], "value": 0.1 + 0.2, "unit": "percent", "start": 80, "end": 84}],
             "claims": [{**FACTS["claims"][0], "claimant": "stichting een", "target": "Nobody", "amount": None}]}
    extracted += [("a1", FACTS), ("a2", extra)]
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article(a) for a, _ in extracted])
        replace_facts(con, extracted, "0.3.0")
        for table in FACT_SCHEMAS:
            assert stored_rows(con, table) == reference_rows(extracted, "0.3.0", table)
        assert con.execute("select claimant_actor_id, target_actor_id from claims where article_id = 'a2'"
                           ).fetchall() == [(reference_rows([("a2", extra)], "0.3.0", "claims")[0][7], None)]
        assert con.execute("select count(*) from actors where actor_id like 'x-%'").fetchall()[0][0] >= 1


def test_repeated_ids_in_a_batch_keep_the_last_row_and_reruns_stay_distinct(tmp_path):
    twice = {**FACTS,
             "actors": [{**FACTS["actors"][0], "mentions": FACTS["actors"][0]["mentions"] * 2}, FACTS["actors"][1]],
             "statistics": FACTS["statistics"] + [{**FACTS["statistics"][0], "comparator": "~"}],
             "claims": FACTS["claims"] + [{**FACTS["claims"][0], "status": "proposed"}]}
    batch = fact_batch([("a1", twice)], "v1")
    assert {t: batch.tables[f"incoming_{t}"].num_rows for t in FACT_SCHEMAS} == \
        {"mentions": 2, "statistics": 1, "claims": 1}          # each id once, the last row of it
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        for _ in range(3):
            assert replace_facts(con, [("a1", twice)], "v1") == {"actors": 2, "mentions": 2, "statistics": 1,
                                                                  "claims": 1}
        assert counts_distinct(con) == {"mentions": (2, 2), "statistics": (1, 1), "claims": (1, 1)}
        assert con.execute("select comparator from statistics").fetchall() == [("~",)]
        assert con.execute("select status from claims").fetchall() == [("proposed",)]
        for table in FACT_SCHEMAS:
            assert stored_rows(con, table) == reference_rows([("a1", twice)], "v1", table)


def test_merged_chunk_batches_store_what_one_batch_of_all_articles_stores(tmp_path):
    """Extraction workers build each chunk's batch; the writer merges them. Same rows, ids, actors and article
    stamps as fact_batch over all the facts at once, repeated ids (last row wins) in a later chunk included."""
    twice = {**FACTS, "statistics": FACTS["statistics"] + [{**FACTS["statistics"][0], "comparator": "~"}]}
    extracted = corpus_facts() + [("a1", FACTS), ("a2", twice)]
    skipped = {"s1": "empty text"}
    chunks = [extracted[i:i + 5] for i in range(0, len(extracted), 5)]
    batches = [fact_batch(c, "v1", skipped if i == 1 else None) for i, c in enumerate(chunks)]
    merged = merge_batches(batches)
    assert merged.articles_extracted == len(extracted)
    assert merged.articles_skipped == 1 and merged.counts == fact_batch(extracted, "v1", skipped).counts

    def load(db, batch):
        with open_warehouse(db) as con:
            upsert_articles(con, [article(a) for a, _ in extracted] + [article("s1")])
            inserted = write_facts(con, batch)
            rows = {t: stored_rows(con, t) for t in FACT_SCHEMAS}
            rows["actors"] = sorted(con.execute("select * from actors").fetchall(), key=repr)
            rows["articles"] = con.execute("select article_id, extractor_version, skip_reason from articles "
                                           "order by article_id").fetchall()
            return inserted, rows

    assert load(tmp_path / "merged.duckdb", merged) == load(tmp_path / "one.duckdb",
                                                             fact_batch(extracted, "v1", skipped))
    assert load(tmp_path / "merged.duckdb", merged)[1]["statistics"] == \
        reference_rows(extracted, "v1", "statistics")


def test_merging_refuses_an_article_twice_or_two_extractor_versions():
    with pytest.raises(ValueError, match="two batches"):
        merge_batches([fact_batch([("a1", FACTS)], "v1"), fact_batch([("a1", FACTS)], "v1")])
    with pytest.raises(ValueError, match="extractor versions"):
        merge_batches([fact_batch([("a1", FACTS)], "v1"), fact_batch([("a2", FACTS)], "v2")])


def test_replacing_a_batch_leaves_no_leftovers(tmp_path):
    """Articles re-extracted with fewer (or no) facts keep none of their old rows; other articles keep theirs;
    the counts equal the distinct counts after every rerun."""
    extracted = corpus_facts()[:12]
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article(a) for a, _ in extracted])
        replace_facts(con, extracted, "v1")
        replace_facts(con, extracted, "v1")
        assert counts_distinct(con) == {t: (len(rows), len(rows)) for t, rows in
                                        ((t, reference_rows(extracted, "v1", t)) for t in FACT_SCHEMAS)}
        fewer = [(a, {**f, "actors": f["actors"][:1], "statistics": [], "claims": f["claims"][:1]})
                 for a, f in extracted[:6]]
        replace_facts(con, fewer, "v2")
        expected = fewer + extracted[6:]
        for table in FACT_SCHEMAS:
            assert stored_rows(con, table) == sorted(reference_rows(fewer, "v2", table)
                                                     + reference_rows(extracted[6:], "v1", table), key=repr)
        # the same articles again, now in two chunks (as the pipeline loads): nothing doubles
        replace_facts(con, expected[:4], "v2")
        replace_facts(con, expected[4:], "v2")
        assert all(n == d for n, d in counts_distinct(con).values())
        assert con.execute("select count(*) from articles where extracted_at is null").fetchall()[0][0] == 0


def test_a_batch_with_one_failing_row_rolls_back_whole(tmp_path):
    extracted = corpus_facts()[:8]
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article(a) for a, _ in extracted] + [article("new")])
        replace_facts(con, extracted, "v1")
        before = {t: stored_rows(con, t) for t in FACT_SCHEMAS}
        stamps = con.execute("select article_id, extractor_version, extracted_at from articles order by 1").fetchall()
        last_id, last = extracted[-1]
        broken = {**last, "statistics": last["statistics"] + [{**FACTS["statistics"][0], "unit": None}]}
        with pytest.raises(Exception):
            replace_facts(con, [(a, {**f, "claims": []}) for a, f in extracted[:-1]]
                          + [("new", FACTS), (last_id, broken)], "v2")
        assert {t: stored_rows(con, t) for t in FACT_SCHEMAS} == before
        assert con.execute("select article_id, extractor_version, extracted_at from articles order by 1"
                           ).fetchall() == stamps
        assert con.execute("select count(*) from actors").fetchall()[0][0] == len(
            {r[2] for r in before["mentions"]})


def test_facts_for_articles_without_a_row_are_still_replaced(tmp_path):
    """A batch of never-extracted articles skips the DELETEs; an article id with no articles row does not
    count as never extracted, so loading its facts twice does not double them."""
    with open_warehouse(tmp_path / "w.duckdb") as con:
        for _ in range(2):
            replace_facts(con, [("ghost", FACTS)], "v1")
        assert counts_distinct(con) == {"mentions": (2, 2), "statistics": (1, 1), "claims": (1, 1)}


def test_an_article_given_twice_in_a_batch_loads_its_last_facts(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        counts = replace_facts(con, [("a1", FACTS), ("a1", {**FACTS, "statistics": []})], "v1",
                               skipped={"a1": "should not win", "a9": "language not supported: de"})
        assert counts == {"actors": 2, "mentions": 2, "statistics": 0, "claims": 1}
        assert con.execute("select count(*) from statistics").fetchall()[0][0] == 0
        assert con.execute("select skip_reason from articles").fetchall() == [(None,)]


def test_empty_and_skip_only_batches(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article(), article("a2")])
        assert replace_facts(con, [], "v1") == {"actors": 0, "mentions": 0, "statistics": 0, "claims": 0}
        assert replace_facts(con, [("a1", {"actors": [], "statistics": [], "claims": []})], "v1",
                             skipped={"a2": "empty text"}) == {"actors": 0, "mentions": 0, "statistics": 0,
                                                               "claims": 0}
        assert con.execute("select article_id, extractor_version, skip_reason from articles order by 1"
                           ).fetchall() == [("a1", "v1", None), ("a2", "v1", "empty text")]
        assert write_facts(con, fact_batch([], "v1")) == {"actors": 0, "mentions": 0, "statistics": 0, "claims": 0}


def test_fact_load_restores_the_connections_thread_setting(tmp_path):
    """write_facts runs single-threaded (cheaper here) but leaves the connection as it found it, also when
    the load fails."""
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        con.execute("SET threads = 3")
        replace_facts(con, [("a1", FACTS)], "v1")
        assert con.execute("select current_setting('threads')").fetchall()[0][0] == 3
        with pytest.raises(Exception):
            replace_facts(con, [("a1", {**FACTS, "claims": [{**FACTS["claims"][0], "kind": None}]})], "v2")
        assert con.execute("select current_setting('threads')").fetchall()[0][0] == 3
        assert counts(con)["claims"] == 1


def test_batch_with_duplicate_keys_keeps_the_last_row(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article(title="old"), article(title="new")])
        assert con.execute("select title from articles").fetchall() == [("new",)]


def test_changed_text_resets_extraction_state(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
        upsert_articles(con, [article(content_hash="h1")])
        assert con.execute("select extractor_version from articles").fetchall()[0][0] == "v1"
        upsert_articles(con, [article(text="Nieuwe tekst.", content_hash="h2")])
        assert con.execute("select extractor_version from articles").fetchall()[0][0] is None


def test_second_writer_gets_a_clear_error_naming_the_pid(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_warehouse(db):
        pass
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(db)!r})
        print("ready", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusy) as info:
            connect(db, lock_timeout=0.3)
        assert info.value.pid == holder.pid
        assert "--db" in str(info.value) and str(holder.pid) in str(info.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    connect(db).close()  # free again once the other writer is gone


def test_not_a_database_is_reported(tmp_path):
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(Exception) as info:
        connect(bogus)
    assert "notes.duckdb" in str(info.value)
    assert bogus.read_text().startswith("these are my notes")  # nothing overwritten


def _free_for_another_process(db) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}).close()"],
                           capture_output=True, text=True)
    assert probe.returncode == 0 or "lock" in probe.stderr.lower(), probe.stderr
    return probe.returncode == 0


def test_one_instance_holds_the_lock_from_the_first_connection_to_its_end_except_under_let_go(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_warehouse(db):
        pass
    with one_instance(db):
        assert _free_for_another_process(db)                 # nothing opened yet: nothing held
        with open_warehouse(db) as con:
            con.execute("CREATE TABLE t (x INTEGER)")
        assert not _free_for_another_process(db)             # closed, but the instance is kept
        with open_warehouse(db) as con:                      # the next step gets it, and its data
            con.execute("INSERT INTO t VALUES (1)")
        with let_go(db):
            assert _free_for_another_process(db)             # e.g. while a digest is sent
        c = connect(db)
        try:
            assert c.execute("SELECT count(*) FROM t").fetchall() == [(1,)]
        finally:
            c.close()
        assert not _free_for_another_process(db)
    assert _free_for_another_process(db)


def test_connections_under_let_go_keep_no_instance(tmp_path):
    db = tmp_path / "w.duckdb"
    with one_instance(db):
        connect(db).close()
        with let_go(db):
            connect(db).close()                              # e.g. an extraction's load
            assert _free_for_another_process(db)
        assert _free_for_another_process(db)                 # kept again only from the next connection
        connect(db).close()
        assert not _free_for_another_process(db)

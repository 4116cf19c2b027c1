"""Warehouse: migrations, idempotent bulk loads, atomic fact replacement, lock errors."""
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

from warehouse.db import DatabaseBusy, connect, migrate, migrations, open_warehouse
from warehouse.load import replace_facts, upsert_articles


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

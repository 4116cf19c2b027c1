"""The main job end to end: bundled sample feeds -> real HTTP -> extraction -> DuckDB, run twice."""
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.pipeline import run_all
from flows.settings import load_settings
from tests.runs import SAMPLE_ENTRIES_PER_FEED
from warehouse.db import connect, named_query

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twice(tmp_path_factory, flows_on_session_server):
    tmp = tmp_path_factory.mktemp("e2e")
    # the newest entries of each sample feed (tests/runs.py): the time of this test must not grow with the corpus
    settings = load_settings(db=tmp / "privnews.duckdb", data_dir=tmp / "data",
                             ingest={"max_entries_per_feed": SAMPLE_ENTRIES_PER_FEED})
    first = run_all(settings)
    con = connect(settings.db, read_only=True)
    snapshot = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                for t in ("articles", "actors", "mentions", "statistics", "claims", "stories")}
    con.close()
    second = run_all(settings)
    return settings, first, second, snapshot


def test_first_run_fills_every_fact_table(twice):
    settings, first, _second, snapshot = twice
    assert first["ingest"]["articles_new"] >= 40
    assert snapshot["articles"] >= 40
    for table in ("actors", "mentions", "statistics", "claims"):
        assert snapshot[table] > 0, table
    con = connect(settings.db, read_only=True)
    langs = dict(con.execute("select lang, count(*) from articles group by 1").fetchall())
    assert langs.get("nl", 0) >= 20 and langs.get("en", 0) >= 20
    # Every evidence span is exactly the text at its offsets.
    bad = con.execute("""
        select count(*) from claims c join articles a using (article_id)
        where substring(a.text, c.span_start + 1, c.span_end - c.span_start) <> c.text""").fetchall()[0][0]
    assert bad == 0
    con.close()


def test_second_run_adds_nothing_and_ids_are_unique(twice):
    settings, _first, second, snapshot = twice
    assert second["ingest"]["articles_new"] == 0
    assert second["extract"]["articles_extracted"] == 0
    con = connect(settings.db, read_only=True)
    for table, n, distinct in con.execute(named_query("fact_counts")).fetchall():
        assert n == distinct, table
        if table in snapshot:
            assert n == snapshot[table], table
    runs = con.execute("select status, count(*) from runs group by 1").fetchall()
    assert runs == [("completed", 2)]
    con.close()


def test_cli_summary_says_nothing_new(twice, flows_on_session_server):
    settings = twice[0]
    result = CliRunner().invoke(app, ["run", "--db", str(settings.db), "--no-digest"],
                                env={"PRIVNEWS_DATA_DIR": str(settings.data_dir),
                                     "PRIVNEWS_INGEST__MAX_ENTRIES_PER_FEED": str(SAMPLE_ENTRIES_PER_FEED)})
    assert result.exit_code == 0, result.output
    assert "Nothing new" in result.output
    assert "Newest claims" in result.output

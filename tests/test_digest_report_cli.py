"""`privnews report` (offline plotly page) and the digest CLI commands, on a warehouse loaded through the
real loaders; plus the Prefect flow that `privnews run` uses (slow: starts Prefect)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import typer
from plotly.offline import get_plotlyjs
from typer.testing import CliRunner

from flows.digest.commands import register
from flows.digest.report import _rows, build_report
from tests.digest_fixtures import DATA, load_articles
from warehouse.db import open_warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "w.duckdb"
    load_articles(path)
    return path


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    register(app)
    return app


def test_report_is_offline_and_has_the_charts(db):
    with open_warehouse(db) as con:
        page = build_report(con, since=None, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    bundle = get_plotlyjs()
    assert bundle in page                                               # plotly.js is inline ...
    ours = page.replace(bundle, "")
    assert "cdn." not in ours and not re.search(r"<script[^>]+src=", ours)   # ... and nothing is fetched
    assert "Plotly.newPlot" in ours
    for title in ("Fines per regulator over time", "Number of fines per regulator", "Claims per legal basis",
                  "Claims per actor", "Statistics reported with more than one value"):
        assert title in page
    assert "Autoriteit Persoonsgegevens (EUR)" in page and "Information Commissioner's Office (GBP)" in page
    assert "vertrouwt techbedrijven niet" in page                      # 61 -> 66 percent: a changed statistic
    assert "290000000" in page.replace(".0", "")
    assert "<script>alert" not in page                                  # hostile names are JSON-escaped
    assert "6 fines, 13 claims, 1 statistic(s) that changed; all time" in page


def test_a_fine_reported_by_two_outlets_is_one_marker(db):
    with open_warehouse(db) as con:
        fines = _rows(con, "digest_report_fines", None)
    uber = [f for f in fines if f["fined_party"] == "Uber"]
    assert len(uber) == 1 and uber[0]["reports"] == 2 and uber[0]["amount"] == 290_000_000
    assert sorted(f["authority"] for f in fines) == sorted([
        "Autoriteit Persoonsgegevens", "Autoriteit Persoonsgegevens", "CCIN", "CNPD",
        "Gegevensbeschermingsautoriteit", "Information Commissioner's Office"])


def test_report_of_an_empty_period_says_so(db):
    with open_warehouse(db) as con:
        page = build_report(con, since=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert "No fines in this period." in page and "No statistic was reported with different values." in page


def test_cli_report_and_rules(db, cli, tmp_path):
    out = tmp_path / "r.html"
    res = runner.invoke(cli, ["report", "--db", str(db), "--since", "5000d", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"report written to {out}" in res.output and out.stat().st_size > 3_000_000

    res = runner.invoke(cli, ["rules", "check", "--rules", str(DATA / "rules.toml")])
    assert res.exit_code == 0, res.output
    assert "5 rule(s), 3 subscription(s), valid" in res.output
    assert "subscription console: rules big-tech-legitimate-interest -> stdout (0 7 * * 1-5" in res.output

    bad = DATA / "bad_rules" / "unknown_field.toml"
    res = runner.invoke(cli, ["rules", "check", "--rules", str(bad)])
    assert res.exit_code == 2 and "rule 'typo', field 'contries': unknown field" in res.output

    res = runner.invoke(cli, ["rules", "test", "big-benelux-fines", "--db", str(db), "--rules",
                              str(DATA / "rules.toml")])
    assert res.exit_code == 0, res.output
    assert "4 claim(s), 3 distinct item(s)" in res.output
    assert "Uber" in res.output and "TikTok" not in res.output

    res = runner.invoke(cli, ["rules", "test", "nope", "--db", str(db), "--rules", str(DATA / "rules.toml")])
    assert res.exit_code == 2 and "no such rule" in res.output

    res = runner.invoke(cli, ["digest", "--subscription", "benelux", "--since", "soon", "--db", str(db)])
    assert res.exit_code != 0 and "not a duration" in res.output


def test_cli_digest_dry_run_records_nothing(db, cli):
    res = runner.invoke(cli, ["digest", "-s", "benelux", "--dry-run", "--db", str(db), "--rules",
                              str(DATA / "rules.toml")])
    assert res.exit_code == 0, res.output
    assert "would send to smtp:researcher@example.org,second@example.org" in res.output
    assert "dry run: 3 new item(s) for benelux; nothing recorded." in res.output
    with open_warehouse(db) as con:
        assert con.execute("SELECT count(*) FROM digest_outbox").fetchone() == (0,)


@pytest.mark.slow
def test_prefect_flows_write_the_default_digest(tmp_path, cli, monkeypatch, prefect_api):
    """On the session's Prefect API server (the flows and the `digest` command would each start one)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        _default_digest_flows(tmp_path, cli, monkeypatch)


def _default_digest_flows(tmp_path, cli, monkeypatch):
    from flows.digest.flow import digest_all, run_default_digest
    from flows.settings import load_settings

    load_articles(tmp_path / "w.duckdb")
    settings = load_settings(db=tmp_path / "w.duckdb", data_dir=tmp_path / "data")      # bundled rules
    paths = run_default_digest(settings)
    assert len(paths) == 1 and paths[0].parent == (tmp_path / "data" / "digests").resolve()
    assert "Sources (2)" in paths[0].read_text(encoding="utf-8")
    assert run_default_digest(settings) == []                              # nothing new the second time
    results = digest_all(settings)
    assert [r.subscription for r in results] == ["default", "weekly-overview"]
    assert results[0].messages == []
    weekly = results[1].paths
    assert len(weekly) == 1 and "report-" in weekly[0].read_text(encoding="utf-8")
    monkeypatch.setenv("PRIVNEWS_DATA_DIR", str(tmp_path / "data"))
    res = runner.invoke(cli, ["digest", "--db", str(tmp_path / "w.duckdb")])
    assert res.exit_code == 0 and "nothing new for default." in res.output, res.output

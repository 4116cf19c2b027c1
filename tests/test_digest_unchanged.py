"""A digest run whose inputs did not change since its last check skips the rule queries and still says
nothing new; new facts, changed rules and a changed knowledge base still send a digest, through a real SMTP
server (aiosmtpd on 127.0.0.1)."""
from __future__ import annotations

import json
import logging
import shutil
from datetime import datetime, timedelta, timezone

from flows.digest import actors, unchanged
from flows.digest.run import run_digest
from tests.digest_fixtures import DATA, fixture_articles, load_articles, settings_for
from warehouse.db import open_warehouse

SKIPPED = "inputs unchanged since the last check"


def _all_but(*left_out: str) -> list[str]:
    return [a["article"]["article_id"] for a in fixture_articles() if a["article"]["article_id"] not in left_out]


def _skipped(caplog) -> bool:
    return any(SKIPPED in r.getMessage() for r in caplog.records)


def test_unchanged_inputs_skip_the_rule_queries_then_a_new_fact_is_sent(tmp_path, smtp, caplog):
    caplog.set_level(logging.INFO, logger="flows.digest.run")
    inbox, port = smtp
    load_articles(tmp_path / "w.duckdb", _all_but("nl-proximus-0005"))
    settings = settings_for(tmp_path, smtp_port=port)

    first = run_digest(settings, "benelux")
    assert [m.state for m in first.messages] == ["sent"] and first.new_items == 2
    assert not _skipped(caplog)
    cursor = _cursor(settings)

    caplog.clear()
    second = run_digest(settings, "benelux")
    assert second.messages == [] and second.new_items == 0 and len(inbox.messages) == 1
    assert _skipped(caplog)
    assert _cursor(settings) > cursor                # a skipped check still moves the window cursor

    caplog.clear()
    load_articles(settings.db, ["nl-proximus-0005"])
    third = run_digest(settings, "benelux")
    assert not _skipped(caplog)
    assert third.new_items == 1 and len(inbox.messages) == 2
    assert "Proximus" in inbox.parsed()[1].get_body(("plain",)).get_content()

    caplog.clear()
    assert run_digest(settings, "benelux").messages == [] and _skipped(caplog)


def _cursor(settings) -> datetime:
    with open_warehouse(settings.db) as con:
        return con.execute("SELECT window_end FROM digest_cursor WHERE subscription = 'benelux'").fetchone()[0]


def test_changed_rules_send_what_they_newly_match(tmp_path, smtp, caplog):
    caplog.set_level(logging.INFO, logger="flows.digest.run")
    inbox, port = smtp
    load_articles(tmp_path / "w.duckdb", _all_but("nl-proximus-0005"))
    rules = tmp_path / "rules.toml"
    shutil.copy(DATA / "rules.toml", rules)
    settings = settings_for(tmp_path, rules=rules, smtp_port=port)
    assert run_digest(settings, "benelux").new_items == 2
    assert run_digest(settings, "benelux").new_items == 0 and _skipped(caplog)

    # the threshold drops below the De Linde fine (EUR 475,000); no fact changed
    rules.write_text(rules.read_text(encoding="utf-8").replace("value = 1_000_000", "value = 100_000", 1),
                     encoding="utf-8")
    caplog.clear()
    third = run_digest(settings, "benelux")
    assert not _skipped(caplog)
    assert third.new_items == 1 and len(inbox.messages) == 2
    assert "De Linde" in inbox.parsed()[1].get_body(("plain",)).get_content()


def test_changed_knowledge_base_sends_what_it_newly_matches(tmp_path, smtp, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="flows.digest.run")
    inbox, port = smtp
    load_articles(tmp_path / "w.duckdb", _all_but("nl-proximus-0005"))
    settings = settings_for(tmp_path, smtp_port=port)
    kb = tmp_path / "actors.jsonl"
    shutil.copy(actors.KB_FILE, kb)
    monkeypatch.setattr("flows.digest.run.KB_FILE", kb)
    assert run_digest(settings, "benelux").new_items == 2
    assert run_digest(settings, "benelux").new_items == 0 and _skipped(caplog)

    # "CCIN" (not in the bundled KB: its EUR 3.2 million fine has no country) becomes an alias of a
    # Luxembourg entry; the KB keeps as many entries, so no count in the warehouse summary changes
    records = [json.loads(line) for line in kb.read_text(encoding="utf-8").splitlines() if line.strip()]
    for rec in records:
        if rec["id"] == "lu-cnpd":
            rec["aliases"].append("CCIN")
    kb.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    caplog.clear()
    third = run_digest(settings, "benelux")
    assert not _skipped(caplog)
    assert third.new_items == 1 and len(inbox.messages) == 2
    assert "CCIN" in inbox.parsed()[1].get_body(("plain",)).get_content()
    with open_warehouse(settings.db) as con:
        assert con.execute("SELECT list_contains(names, 'ccin') FROM actor_countries "
                           "WHERE actor_id = 'lu-cnpd'").fetchall() == [(True,)]


def test_a_check_counts_only_for_windows_it_covered(tmp_path):
    t = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
    with open_warehouse(tmp_path / "w.duckdb") as con:
        assert not unchanged.nothing_new(con, "s", "d", "abc", t)          # never checked
        unchanged.record_check(con, "s", "d", "abc", t, t)
        assert unchanged.nothing_new(con, "s", "d", "abc", t)
        assert unchanged.nothing_new(con, "s", "d", "abc", t + timedelta(hours=1))
        assert not unchanged.nothing_new(con, "s", "d", "abc", t - timedelta(seconds=1))   # looks further back
        assert not unchanged.nothing_new(con, "s", "d", "abc", None)                       # all time
        assert not unchanged.nothing_new(con, "s", "d", "abd", t)                          # other inputs
        assert not unchanged.nothing_new(con, "s", "other", "abc", t)
        unchanged.record_check(con, "s", "d", "abc", None, t)
        assert unchanged.nothing_new(con, "s", "d", "abc", None)


def test_dry_run_neither_skips_nor_records(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="flows.digest.run")
    load_articles(tmp_path / "w.duckdb")
    settings = settings_for(tmp_path)
    preview = run_digest(settings, "console", dry_run=True)
    assert preview.new_items > 0 and preview.messages == []
    assert run_digest(settings, "console", dry_run=True).new_items == preview.new_items
    assert not _skipped(caplog)
    with open_warehouse(settings.db) as con:
        assert con.execute("SELECT count(*) FROM digest_checks").fetchone() == (0,)

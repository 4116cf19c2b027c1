"""Digest rules: validation errors name file, rule and field; each filter keeps and drops the right facts
when compiled to parameterised SQL over a warehouse loaded through the real loaders."""
from __future__ import annotations

from pathlib import Path

import pytest

from flows.digest.actors import load_kb, sync_actor_countries
from flows.digest.compile import compile_rule, evidence_sentence, run_rule
from flows.digest.rules import DEFAULT_RULES_FILE, RulesError, load_rules, parse_rules
from tests.digest_fixtures import DATA, load_articles
from warehouse.db import open_warehouse

BAD = sorted((DATA / "bad_rules").glob("*.toml"))


def test_bundled_and_test_rules_are_valid():
    bundled = load_rules(DEFAULT_RULES_FILE)
    assert bundled.default_subscription.name == "default"
    assert bundled.default_subscription.to == ("digests",)
    test = load_rules(DATA / "rules.toml")
    assert set(test.subscriptions) == {"benelux", "everything", "console"}
    assert test.rule("big-benelux-fines").min_amount.currency == "EUR"
    assert test.subscription("everything").wants_report          # weekly -> links the report
    assert not test.subscription("benelux").wants_report


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_rules_name_file_rule_and_field(path: Path):
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(RulesError) as info:
        load_rules(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    where, _, problem = expected.partition(": ")
    assert where in message and problem in message, (expected, message)


def test_missing_file_and_unknown_names_say_what_to_do(tmp_path):
    with pytest.raises(RulesError, match="does not exist"):
        load_rules(tmp_path / "nope.toml")
    rules = load_rules(DATA / "rules.toml")
    with pytest.raises(RulesError, match="known subscriptions: benelux, console, everything"):
        rules.subscription("benelx")
    with pytest.raises(RulesError, match="no such rule"):
        rules.rule("nope")


def test_sql_is_constant_and_values_are_bound():
    """A hostile value in a rule ends up as a bound parameter, never in the SQL text."""
    hostile = "x'); DROP TABLE claims; --"
    data = {"rule": [{"name": "evil", "kinds": ["fine"], "actors": [hostile], "articles": [hostile]}]}
    rule = parse_rules(data).rule("evil")
    compiled = compile_rule(rule, [], None)
    plain = compile_rule(parse_rules({"rule": [{"name": "plain", "kinds": ["fine"]}]}).rule("plain"), [], None)
    assert compiled.sql == plain.sql
    assert hostile not in compiled.sql and "DROP" not in compiled.sql
    assert hostile in compiled.params["articles"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("rules") / "w.duckdb"
    load_articles(db)
    with open_warehouse(db) as con:
        kb = load_kb()
        sync_actor_countries(con, kb)
        sync_actor_countries(con, kb)          # idempotent
        assert con.execute("SELECT count(*), count(DISTINCT actor_id) FROM actor_countries").fetchone() == (
            len({a.id for a in kb}),) * 2
        yield con, kb


def _match(warehouse, **rule) -> set[tuple[str, str]]:
    con, kb = warehouse
    r = parse_rules({"rule": [{"name": "t", **rule}]}).rule("t")
    return {(m.article_id, m.kind) for m in run_rule(con, compile_rule(r, kb, None))}


def test_benelux_fines_over_a_million(warehouse):
    got = _match(warehouse, kinds=["fine"], countries=["NL", "BE", "LU"],
                 min_amount={"value": 1_000_000, "currency": "EUR"})
    assert got == {("nl-uber-0001", "fine"), ("en-uber-0002", "fine"), ("nl-proximus-0005", "fine"),
                   ("en-evil-0008", "fine")}
    # dropped: the GBP fine (other currency, other country), the EUR 475k fine (below), the CCIN fine (no country)
    assert not got & {("en-tiktok-0003", "fine"), ("nl-linde-0004", "fine"), ("nl-ccin-0009", "fine")}


def test_amounts_compare_in_the_same_currency_only(warehouse):
    assert _match(warehouse, kinds=["fine"], min_amount={"value": 10_000_000, "currency": "GBP"}) == {
        ("en-tiktok-0003", "fine")}          # the EUR 290M fine is not converted, so it does not match


def test_article_prefix_and_country_of_target(warehouse):
    assert _match(warehouse, kinds=["fine"], articles=["GDPR Art. 6"]) == {("nl-proximus-0005", "fine")}
    assert _match(warehouse, kinds=["fine"], articles=["GDPR Art. 6(1)(f)"]) == {("nl-proximus-0005", "fine")}
    assert _match(warehouse, kinds=["fine"], articles=["GDPR Art. 60"]) == set()
    assert _match(warehouse, kinds=["fine"], countries=["CN"], country_of="target") == {("en-tiktok-0003", "fine")}
    assert _match(warehouse, kinds=["fine"], countries=["CN"]) == set()       # claimant by default


def test_actor_alias_basis_language_and_status(warehouse):
    li = _match(warehouse, kinds=["legal_basis"], actors=["Meta Platforms", "Google"], basis=["legitimate_interest"])
    assert li == {("en-meta-0006", "legal_basis")}                 # Google claims consent: dropped
    assert _match(warehouse, kinds=["legal_basis"], actors=["Google"]) == {("en-google-0007", "legal_basis")}
    assert _match(warehouse, kinds=["complaint", "appeal"], languages=["nl"]) == {("nl-uber-0001", "appeal")}
    assert _match(warehouse, kinds=["appeal", "complaint"], statuses=["filed"]) == {("en-meta-0006", "complaint")}


def test_since_window_and_item_dedup_across_outlets(warehouse):
    con, kb = warehouse
    from datetime import datetime, timedelta, timezone
    r = parse_rules({"rule": [{"name": "t", "kinds": ["fine"]}]}).rule("t")
    future = datetime.now(timezone.utc) + timedelta(hours=1)
    assert run_rule(con, compile_rule(r, kb, future)) == []
    matches = run_rule(con, compile_rule(r, kb, None))
    uber = [m for m in matches if m.story_key == "story-uber"]
    assert len(uber) == 2 and len({m.item_key for m in uber}) == 1      # two outlets, one item
    assert len({m.item_key for m in matches}) == len(matches) - 1


def test_evidence_sentence_highlights_the_span():
    text = "Eerste zin. De AP legde op grond van art. 6 AVG een boete op van 2 miljoen euro. Derde zin."
    start = text.index("een boete")
    end = text.index(" Derde") - 1
    sentence, (a, b) = evidence_sentence(text, start, end, text[start:end])
    assert sentence == "De AP legde op grond van art. 6 AVG een boete op van 2 miljoen euro."
    assert sentence[a:b] == "een boete op van 2 miljoen euro"
    # offsets that do not fit the text fall back to the evidence alone
    assert evidence_sentence(text, 0, 5, "other") == ("other", (0, 5))

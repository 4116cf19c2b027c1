"""The real ingest flow (Prefect, httpx, DuckDB) against a local HTTP server on 127.0.0.1 that serves healthy,
broken and hostile feeds and pages (tests/data/feeds/README.md). One ingest covers every case at once, as a
real crawl would (a hanging feed must not hold up the others); a second ingest of the unchanged feeds must
fetch no page and add no row. Each case asserts what was stored and what was recorded."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from flows.ingest.canonical import article_id, canonicalize
from flows.ingest.flow import SKIP_OTHER_LANGUAGE, ingest
from flows.settings import load_settings
from tests.httpserver import Hang, LocalHTTPServer, Redirect, Static, Status

DATA = Path(__file__).parent / "data" / "feeds"
RSS = "application/rss+xml"
MAX_BYTES = 60_000
FEEDS = ["/feeds/privacykrant.xml", "/feeds/crosslist.xml", "/feeds/malformed.xml", "/feeds/wrong_charset.xml",
         "/feeds/flaky.xml", "/feeds/ratelimited.xml", "/feeds/hang.xml", "/feeds/loop.xml", "/feeds/big.xml",
         "/feeds/missing.xml", "/feeds/not-a-feed.xml"]
PAGES = ["ap-boete-energieleverancier", "ico-reprimand-school-app", "dsgvo-bussgeld", "edpb-consent-or-pay",
         "kopie-a", "kopie-b"]


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    """A small RSS 2.0 document: items are (title, relative link, description)."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
                   f"<pubDate>Mon, 07 Oct 2024 10:00:00 +0200</pubDate><description>{d}</description></item>"
                   for t, link, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>/</link><description>{title}</description>{body}</channel></rss>")


FLAKY = rss("Flaky Server News", [(
    "Toezichthouder opent onderzoek naar slimme deurbellen", "/pages/deurbel-onderzoek",
    "De toezichthouder onderzoekt of camerabeelden van voorbijgangers te lang worden bewaard door fabrikanten van "
    "slimme deurbellen, en vraagt drie fabrikanten om uitleg over hun bewaartermijnen.")])
RATELIMITED = rss("Busy Server News", [(
    "Watchdog warns councils about number-plate cameras", "/pages/anpr-warning",
    "The regulator says several councils keep number-plate camera data for years without a clear purpose, and "
    "asks them to review their retention periods before the end of the year.")])
BIG = rss("Oversized Feed", [(f"Item {i}", f"/pages/item-{i}", "Padding paragraph. " * 40) for i in range(100)])
HUGE_PAGE = "<html><body><article>" + "<p>Een heel lang jaarverslag.</p>" * 3000 + "</article></body></html>"


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "article_urls", "stories", "article_embeddings", "article_ingest", "feeds")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory, flows_on_session_server):
    srv = LocalHTTPServer().start()
    srv.route("/feeds/privacykrant.xml", Static((DATA / "privacykrant.xml").read_bytes(), RSS))
    crosslist = (DATA / "crosslist.xml").read_text(encoding="utf-8")
    srv.route("/feeds/crosslist.xml", Static(crosslist, RSS, etag=False, last_modified=False))   # no validators
    srv.route("/feeds/malformed.xml", Static((DATA / "malformed.xml").read_bytes(), RSS))
    srv.route("/feeds/wrong_charset.xml", Static((DATA / "wrong_charset.xml").read_bytes(), RSS))
    srv.route("/feeds/flaky.xml", Status(500), Static(FLAKY, RSS))
    srv.route("/feeds/ratelimited.xml", Status(429, {"Retry-After": "1"}), Static(RATELIMITED, RSS))
    srv.route("/feeds/hang.xml", Hang(30))
    srv.route("/feeds/loop.xml", Redirect("/feeds/loop2.xml"))
    srv.route("/feeds/loop2.xml", Redirect("/feeds/loop.xml"))
    srv.route("/feeds/big.xml", Static(BIG, RSS))
    srv.route("/feeds/not-a-feed.xml", Static((DATA / "not_a_feed.html").read_bytes(), "text/html"))
    for name in PAGES:
        srv.route(f"/pages/{name}", Static((DATA / "pages" / f"{name}.html").read_bytes()))
    srv.route("/pages/wifi-tracking", Static((DATA / "pages" / "wifi-tracking.html").read_bytes(),
                                             "text/html; charset=iso-8859-1"))     # wrong: the page is UTF-8
    srv.route("/pages/huge-report", Static(HUGE_PAGE))
    srv.route("/pages/verdwenen-artikel", Status(404))

    db = tmp_path_factory.mktemp("ingest") / "w.duckdb"
    settings = load_settings(db=db, http=dict(
        connect_timeout=2, read_timeout=1, total_timeout=4, max_bytes=MAX_BYTES, max_redirects=3, retries=2,
        backoff=0.1, per_host_concurrency=16, concurrency=16, allow_private_pages=True))
    feeds = [srv.url(p) for p in FEEDS]
    first = ingest(settings, feeds)
    page_hits = {r.path for r in srv.requests if r.path.startswith("/pages/")}
    page_requests = sum(1 for r in srv.requests if r.path.startswith("/pages/"))
    after_first = table_counts(db)
    # the cross-listing feed now carries a new GUID for the same article (CMS migration)
    srv.route("/feeds/crosslist.xml", Static(crosslist.replace("dd-9001", "dd-9001-migrated"), RSS,
                                             etag=False, last_modified=False))
    requests_before_second = len(srv.requests)
    second = ingest(settings, feeds)
    second_requests = srv.requests[requests_before_second:]
    con = duckdb.connect(str(db), read_only=True)
    yield SimpleNamespace(srv=srv, db=db, con=con, first=first, second=second, page_hits=page_hits,
                          page_requests=page_requests, after_first=after_first, second_requests=second_requests,
                          url=srv.url)
    con.close()
    srv.stop()


def feed(world, path: str) -> dict:
    cur = world.con.execute("SELECT * FROM feeds WHERE url = ?", [world.url(path)])
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def attempts(world, path: str, kind: str = "feed") -> list[dict]:
    cur = world.con.execute("SELECT * FROM fetch_log WHERE url = ? AND kind = ? ORDER BY started_at",
                            [world.url(path), kind])
    return [dict(zip([d[0] for d in cur.description], row)) for row in cur.fetchall()]


def article(world, path: str) -> dict | None:
    aid = article_id(canonicalize(world.url(path)))
    cur = world.con.execute("SELECT * FROM articles JOIN article_ingest USING (article_id) WHERE article_id = ?",
                            [aid])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


# ----------------------------------------------------------------------------------------- counts -------

def test_first_ingest_counts(world):
    c = world.first
    assert c["feeds"] == 11 and c["feeds_failed"] == 5          # hang, loop, big, missing, not-a-feed
    assert c["articles_new"] == 12
    assert c["articles_failed"] == 1                            # the cut-off item of the malformed feed
    assert c["duplicates"] == 3                                 # utm link, AMP link, identical copy
    assert world.after_first["articles"] == 12


def test_second_ingest_fetches_no_page_and_adds_no_rows(world):
    c = world.second
    assert c["not_modified"] == 5                               # every feed with validators answered 304
    assert c["pages_fetched"] == 0 and c["articles_new"] == 0 and c["articles_updated"] == 0
    assert c["articles_unchanged"] == 4                         # the cross-listing feed (no validators) re-read
    assert not [r for r in world.second_requests if r.path.startswith("/pages/")]
    assert table_counts(world.db) == world.after_first
    conditional = [r for r in world.second_requests if r.path == "/feeds/privacykrant.xml"]
    assert conditional[0].headers.get("If-None-Match")


# --------------------------------------------------------------------------------- feed-level cases -----

def test_conditional_get_state_is_kept_per_feed(world):
    f = feed(world, "/feeds/privacykrant.xml")
    assert f["etag"] and f["last_modified"] == "Tue, 01 Oct 2024 08:00:00 GMT"
    assert f["last_status"] == 304 and f["last_error"] is None and f["consecutive_failures"] == 0
    assert f["entries_seen"] == 6 and f["kind"] == "adhoc"
    assert [a["status"] for a in attempts(world, "/feeds/privacykrant.xml")] == [200, 304]


def test_500_then_success_is_retried(world):
    log = attempts(world, "/feeds/flaky.xml")
    assert [(a["attempt"], a["status"], a["transient"]) for a in log][:2] == [(1, 500, True), (2, 200, False)]
    f = feed(world, "/feeds/flaky.xml")
    assert f["last_error"] is None and f["consecutive_failures"] == 0
    assert article(world, "/pages/deurbel-onderzoek")["text_source"] == "feed_summary"


def test_429_waits_for_retry_after(world):
    log = attempts(world, "/feeds/ratelimited.xml")
    assert [a["status"] for a in log][:2] == [429, 200]
    assert "Retry-After 1s" in log[0]["error"]
    assert log[1]["started_at"] - log[0]["started_at"] >= timedelta(seconds=0.95)
    assert article(world, "/pages/anpr-warning") is not None


def test_hanging_feed_is_cut_at_the_timeout_while_the_others_load(world):
    log = [a for a in attempts(world, "/feeds/hang.xml") if a["run_id"] == attempts(world, "/feeds/hang.xml")[0]["run_id"]]
    assert [a["attempt"] for a in log] == [1, 2, 3]                            # retried: a timeout is transient
    assert all(a["error"] == "timed out (read timeout 1s)" and a["status"] is None for a in log)
    assert all(900 <= a["elapsed_ms"] < 3000 for a in log)
    # a feed listed after the hanging one was done before the hanging one was given up
    later = attempts(world, "/feeds/not-a-feed.xml")[0]
    gave_up = log[-1]["started_at"] + timedelta(milliseconds=log[-1]["elapsed_ms"])
    assert later["started_at"] + timedelta(milliseconds=later["elapsed_ms"]) < gave_up
    f = feed(world, "/feeds/hang.xml")
    assert f["last_success_at"] is None and f["consecutive_failures"] == 2 and "timed out" in f["last_error"]


def test_redirect_loop_fails_without_retry(world):
    first_run = attempts(world, "/feeds/loop.xml")[:1]
    assert "too many redirects" in first_run[0]["error"] and not first_run[0]["transient"]
    assert len(attempts(world, "/feeds/loop.xml")) == 2             # one per run, never retried
    assert feed(world, "/feeds/loop.xml")["consecutive_failures"] == 2


def test_oversized_feed_and_page_are_refused(world):
    f = feed(world, "/feeds/big.xml")
    assert "size cap of 60000 bytes" in f["last_error"] and f["entries_seen"] == 0
    assert world.con.execute("SELECT count(*) FROM articles WHERE url LIKE '%/pages/item-%'").fetchone()[0] == 0
    huge = article(world, "/pages/huge-report")
    assert huge["text_source"] == "feed_summary" and "size cap" in huge["page_error"]
    assert huge["text"].startswith("In het jaarverslag meldt de toezichthouder") and huge["lang"] == "nl"


def test_404_feed_records_the_error(world):
    f = feed(world, "/feeds/missing.xml")
    assert (f["last_status"], f["last_error"], f["consecutive_failures"]) == (404, "HTTP 404 Not Found", 2)
    assert [a["attempt"] for a in attempts(world, "/feeds/missing.xml")] == [1, 1]   # 4xx is not retried


def test_html_at_a_feed_url_is_not_a_feed(world):
    f = feed(world, "/feeds/not-a-feed.xml")
    assert f["last_status"] == 200 and f["last_error"].startswith("not a feed")


def test_malformed_feed_keeps_recovered_entries_and_records_why(world):
    f = feed(world, "/feeds/malformed.xml")
    assert "not well-formed" in f["parse_warning"] and f["last_error"] is None and f["entries_seen"] == 3
    scans = article(world, "/pages/retailer-facial-scans")
    assert scans["text_source"] == "feed_content" and scans["page_error"] == "HTTP 404 Not Found"
    assert scans["text"].split("\n\n")[0].startswith("A district court has ordered the supermarket chain FreshFare")
    assert scans["title"] == "Court orders retailer to delete shoppers' facial scans"   # &nbsp; recovered
    insurer = article(world, "/pages/insurer-fitness-data")
    assert insurer["text_source"] == "feed_summary" and insurer["lang"] == "en"
    assert world.con.execute("SELECT count(*) FROM articles WHERE url LIKE '%never-finished%'").fetchone()[0] == 0


def test_wrong_declared_charsets_are_decoded_right(world):
    f = feed(world, "/feeds/wrong_charset.xml")
    assert "windows-1252" in f["parse_warning"]
    page = article(world, "/pages/wifi-tracking")
    assert page["title"] == "Gemeente Veldhoven stopt met wifi-tracking – café-eigenaren opgelucht"
    assert page["text_source"] == "page" and page["encoding"] == "utf-8"
    assert "De sensoren kostten € 48.000; ook in België is de techniek omstreden." in page["text"]
    assert "Ã" not in page["text"] and "Ã" not in page["raw_html"]


# ------------------------------------------------------------------------------ article-level cases -----

def test_page_text_is_the_article_without_clutter(world):
    a = article(world, "/pages/ap-boete-energieleverancier")
    assert a["lang"] == "nl" and a["text_source"] == "page" and a["skip_reason"] is None
    assert "Stroomwijs een boete van 1,4 miljoen euro opgelegd" in a["text"]
    for clutter in ("cookies", "Lees ook", "privacybrief", "Privacyverklaring", "Akkoord"):
        assert clutter not in a["text"]
    assert "<article>" in a["raw_html"]                         # kept for re-extraction without refetching
    assert a["published"] == datetime(2024, 10, 2, 7, 30, tzinfo=timezone.utc) and a["published_source"] == "page"


def test_same_article_via_two_feeds_utm_amp_and_new_guid_is_stored_once(world):
    aid = article_id(canonicalize(world.url("/pages/ap-boete-energieleverancier")))
    assert world.con.execute("SELECT count(*) FROM articles WHERE url LIKE '%ap-boete-energieleverancier%'"
                             ).fetchone()[0] == 1
    urls = dict(world.con.execute("SELECT url, article_id FROM article_urls WHERE url LIKE "
                                  "'%ap-boete-energieleverancier%'").fetchall())
    assert set(urls.values()) == {aid}
    assert world.url("/pages/ap-boete-energieleverancier") in urls
    assert world.url("/pages/ap-boete-energieleverancier?utm_source=rss&utm_medium=feed&utm_campaign=digest") in urls
    assert world.url("/pages/ap-boete-energieleverancier/amp") in urls
    assert world.page_requests == len(world.page_hits)          # no page fetched twice
    a = article(world, "/pages/ap-boete-energieleverancier")
    assert a["outlet"] == "127.0.0.1"


def test_identical_content_under_two_urls_is_one_article_with_two_urls(world):
    ids = {u: a for u, a in world.con.execute(
        "SELECT url, article_id FROM article_urls WHERE url LIKE '%/pages/kopie-%'").fetchall()}
    assert {world.url("/pages/kopie-a"), world.url("/pages/kopie-b")} <= set(ids)
    assert len(set(ids.values())) == 1
    assert world.con.execute("SELECT count(*) FROM articles WHERE url LIKE '%/pages/kopie-%'").fetchone()[0] == 1


def test_dates_are_utc_from_feed_or_page_and_never_invented(world):
    undated = article(world, "/pages/ico-reprimand-school-app")
    assert undated["published"] is None and undated["published_source"] is None and undated["lang"] == "en"
    from_page = article(world, "/pages/edpb-consent-or-pay")
    assert from_page["published"] == datetime(2024, 4, 17, 14, 45, tzinfo=timezone.utc)
    assert from_page["published_source"] == "page"
    from_feed = article(world, "/pages/huge-report")                # page refused: the feed's date, in UTC
    assert from_feed["published"] == datetime(2024, 10, 1, 5, 0, tzinfo=timezone.utc)
    assert from_feed["published_source"] == "feed"


def test_other_language_is_stored_with_a_skip_reason(world):
    de = article(world, "/pages/dsgvo-bussgeld")
    assert de["lang"] == "other" and de["skip_reason"] == SKIP_OTHER_LANGUAGE
    assert "Bußgeld in Höhe von 250.000 Euro" in de["text"]


def test_every_stored_article_has_a_story_and_an_embedding(world):
    assert world.con.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    assert world.con.execute("SELECT count(*) FROM articles LEFT JOIN article_embeddings e USING (article_id) "
                             "WHERE e.article_id IS NULL").fetchone()[0] == 0
    assert world.con.execute("SELECT count(*) FROM stories s LEFT JOIN articles a USING (story_id) "
                             "WHERE a.article_id IS NULL").fetchone()[0] == 0

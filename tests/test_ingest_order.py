"""Which of two identical articles is kept must not depend on which feed's server answers first: the feed
listed first wins, even when it is the slower one (ingest orders feed outcomes by the list, not by arrival)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from flows.ingest.flow import ingest
from flows.settings import load_settings
from tests.httpserver import Drip, LocalHTTPServer, Static
from tests.test_ingest_flow import rss

DATA = Path(__file__).parent / "data" / "feeds"


def test_first_listed_feed_keeps_the_article_even_when_it_answers_last(tmp_path, flows_on_session_server):
    srv = LocalHTTPServer().start()
    try:
        slow = rss("Slow Outlet", [("Kopie", "/pages/kopie-a", "Een bericht dat twee sites overnemen.")])
        fast = rss("Fast Outlet", [("Kopie", "/pages/kopie-b", "Een bericht dat twee sites overnemen.")])
        srv.route("/feeds/slow.xml", Drip(slow.encode(), every=0.3, chunk=max(1, len(slow) // 4)))
        srv.route("/feeds/fast.xml", Static(fast, "application/rss+xml"))
        for name in ("kopie-a", "kopie-b"):
            srv.route(f"/pages/{name}", Static((DATA / "pages" / f"{name}.html").read_bytes()))
        db = tmp_path / "w.duckdb"
        settings = load_settings(db=db, http=dict(allow_private_pages=True, retries=0))
        counts = ingest(settings, [srv.url("/feeds/slow.xml"), srv.url("/feeds/fast.xml")])
        assert counts["articles_new"] == 1 and counts["duplicates"] == 1, counts
        con = duckdb.connect(str(db), read_only=True)
        try:
            urls = [u for (u,) in con.execute("SELECT url FROM articles").fetchall()]
        finally:
            con.close()
        assert urls == [srv.url("/pages/kopie-a")]
    finally:
        srv.stop()


def test_pages_are_fetched_one_host_after_another_in_turn(tmp_path, flows_on_session_server):
    """Two feeds on two hosts (one server, reached as 127.0.0.1 and as localhost), three pages each: with one
    download at a time, the pages come host by host in turn, not all of the first feed's host first (which,
    with a per-host politeness delay, left the other hosts idle)."""
    names = ["ap-boete-energieleverancier", "dsgvo-bussgeld", "edpb-consent-or-pay", "ico-reprimand-school-app",
             "kopie-a", "wifi-tracking"]
    srv = LocalHTTPServer().start()
    try:
        first, second = names[:3], names[3:]
        for feed, pages in (("first", first), ("second", second)):
            srv.route(f"/feeds/{feed}.xml", Static(rss(feed, [(p, f"/pages/{p}", p) for p in pages]),
                                                    "application/rss+xml"))
        for name in names:
            srv.route(f"/pages/{name}", Static((DATA / "pages" / f"{name}.html").read_bytes()))
        other_host = srv.url("/feeds/second.xml").replace("127.0.0.1", "localhost")
        settings = load_settings(db=tmp_path / "w.duckdb", http=dict(
            allow_private_pages=True, retries=0, concurrency=1, per_host_concurrency=1))
        ingest(settings, [srv.url("/feeds/first.xml"), other_host])
        pages = [(r.headers["Host"].split(":")[0], r.path.removeprefix("/pages/")) for r in srv.requests
                 if r.path.startswith("/pages/")]
        assert sorted(p for _h, p in pages) == sorted(names)
        assert [h for h, _p in pages] == ["127.0.0.1", "localhost"] * 3, pages
    finally:
        srv.stop()

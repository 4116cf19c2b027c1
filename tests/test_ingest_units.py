"""Ingest building blocks without Prefect: canonical URLs, feed formats, charsets, text choice, the registry,
and the fetcher against a real local HTTP server (conditional GET, size cap, redirect loop, Retry-After)."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from flows.ingest.canonical import article_id, canonicalize, choose_canonical, content_hash
from flows.ingest.fetch import Fetcher, TransientFetchError, is_private_address, parse_retry_after
from flows.ingest.fulltext import choose_text, decode_html, extract_main_text, page_metadata, rederive_text
from flows.ingest.parse import NotAFeed, parse_feed
from flows.ingest.registry import RegistryError, adhoc_feed, load_registry
from flows.settings import HttpSettings
from tests.httpserver import Hang, LocalHTTPServer, Redirect, Static, Status

DATA = Path(__file__).parent / "data" / "feeds"
UTC = timezone.utc


# ------------------------------------------------------------------------------------ canonical URLs ------

@pytest.mark.parametrize("raw, expected", [
    ("http://privacywire.example/2024/09/x?utm_source=rss&utm_medium=feed", "http://privacywire.example/2024/09/x"),
    ("HTTPS://WWW.Example.org:443/a/b/#comments", "https://www.example.org/a/b"),
    ("https://example.org/a?b=2&fbclid=XYZ&a=1", "https://example.org/a?a=1&b=2"),
    ("https://m.tweakers.net/nieuws/123/amp/", "https://tweakers.net/nieuws/123"),
    ("https://amp.example.org/story.amp.html", "https://example.org/story.html"),
    ("https://example.org/news?id=7&amp=1", "https://example.org/news?id=7"),
    ("http://example.org", "http://example.org/"),
])
def test_canonicalize_strips_tracking_fragments_variants(raw, expected):
    assert canonicalize(raw) == expected


def test_canonicalize_keeps_meaningful_query_and_rejects_non_http():
    assert canonicalize("https://example.org/search?page=2&q=avg") == "https://example.org/search?page=2&q=avg"
    assert canonicalize("mailto:redactie@example.org") is None
    assert canonicalize("javascript:void(0)") is None
    assert canonicalize("") is None
    assert canonicalize("/pages/x", base="http://127.0.0.1:8123/feed.xml") == "http://127.0.0.1:8123/pages/x"


def test_rel_canonical_is_used_only_when_sane():
    link = "https://news.example/2024/a"
    assert choose_canonical(link, "/2024/a-final", link) == "https://news.example/2024/a-final"
    assert choose_canonical(link, "https://www.news.example/2024/a", link) == "https://www.news.example/2024/a"
    assert choose_canonical(link, "https://other.example/2024/a", link) == link       # another site
    assert choose_canonical(link, "https://news.example/", link) == link              # the home page
    assert choose_canonical(link, "javascript:x", link) == link
    assert article_id(link) == article_id(canonicalize(link + "?utm_source=x#top"))


def test_content_hash_ignores_case_and_whitespace_only():
    assert content_hash("Een  boete\nvan €5") == content_hash("een boete van €5")
    assert content_hash("een boete van €5") != content_hash("een boete van €6")


# ------------------------------------------------------------------------------------------ parsing ------

@pytest.mark.parametrize("name, version, link, published", [
    ("formats/rss091.xml", "rss091n", "http://feeds.test/news/employee-monitoring-guidance", None),
    ("formats/rss10.rdf", "rss10", "http://ngo.test/nieuws/sleepwet", datetime(2024, 6, 11, 16, 20, tzinfo=UTC)),
    ("formats/atom03.xml", "atom03", "http://blog.test/archive/2024/cookie-walls",
     datetime(2024, 3, 1, 9, 0, tzinfo=UTC)),
    ("formats/atom10.xml", "atom10", "http://dpa.test/en/news/doorbell-inquiry", datetime(2024, 7, 8, 9, 0, tzinfo=UTC)),
])
def test_feed_formats_relative_links_and_utc_dates(name, version, link, published):
    feed = parse_feed((DATA / name).read_bytes(), "http://feeds.test/x/feed.xml", "application/xml")
    assert feed.version == version and feed.warning is None
    [entry] = feed.entries
    assert entry.link == link
    assert entry.published == published          # no date in the feed -> None, not "now"


def test_malformed_feed_keeps_complete_entries_and_says_why():
    feed = parse_feed((DATA / "malformed.xml").read_bytes(), "http://feeds.test/feed.xml", "application/rss+xml")
    assert "not well-formed" in feed.warning
    links = [e.link for e in feed.entries]
    assert links[:2] == ["http://feeds.test/pages/retailer-facial-scans", "http://feeds.test/pages/insurer-fitness-data"]
    assert "FreshFare" in feed.entries[0].content_html
    assert all(e.link is None for e in feed.entries[2:])        # the cut-off item has no usable link


def test_wrong_declared_feed_charset_is_overridden_and_recorded():
    feed = parse_feed((DATA / "wrong_charset.xml").read_bytes(), "http://feeds.test/feed.xml", "application/rss+xml")
    assert feed.title == "Café Privé – privacynieuws uit Brabant"
    assert feed.entries[0].title == "Gemeente Veldhoven stopt met wifi-tracking – café-eigenaren opgelucht"
    assert "€ 48.000" in feed.entries[0].summary_html and "België" in feed.entries[0].summary_html
    assert "windows-1252" in feed.warning


def test_html_page_is_not_a_feed():
    with pytest.raises(NotAFeed, match="not a feed"):
        parse_feed((DATA / "not_a_feed.html").read_bytes(), "http://feeds.test/feed.xml", "text/html")


# ---------------------------------------------------------------------------------- pages and text ------

def test_page_declared_latin1_but_utf8_is_decoded_as_utf8():
    raw = (DATA / "pages" / "wifi-tracking.html").read_bytes()
    dec = decode_html(raw, "text/html; charset=iso-8859-1")
    assert dec.encoding == "utf-8" and "iso-8859-1" in dec.note
    assert "€ 48.000" in dec.text and "België" in dec.text and "Ã" not in dec.text


def test_page_in_cp1252_declared_utf8_falls_back():
    raw = "<html><body><p>Boete van € 5 voor café in België</p></body></html>".encode("cp1252")
    dec = decode_html(raw, "text/html; charset=utf-8")
    assert dec.encoding == "cp1252" and "€ 5 voor café in België" in dec.text and dec.note


def test_main_text_drops_clutter_and_metadata_is_explicit_only():
    html = (DATA / "pages" / "ap-boete-energieleverancier.html").read_text(encoding="utf-8")
    text = extract_main_text(html, "http://x.test/pages/ap-boete-energieleverancier")
    paragraphs = text.split("\n\n")
    assert paragraphs[-3].startswith("De Autoriteit Persoonsgegevens (AP) heeft energieleverancier Stroomwijs")
    assert paragraphs[-1].startswith("Stroomwijs laat weten dat het de toegang inmiddels heeft beperkt")
    for clutter in ("cookies", "Lees ook", "privacybrief", "Privacyverklaring", "trackPageView", "Akkoord"):
        assert clutter not in text
    meta = page_metadata(html)
    assert meta.canonical == "/pages/ap-boete-energieleverancier"
    assert meta.published == datetime(2024, 10, 2, 7, 30, tzinfo=UTC)
    undated = page_metadata((DATA / "pages" / "ico-reprimand-school-app.html").read_text(encoding="utf-8"))
    assert undated.published is None
    assert rederive_text(html, "page", "http://x.test/p") == text


def test_choose_text_falls_back_to_feed_content_then_summary():
    long_page = "Lang artikel. " * 30
    assert choose_text(long_page, "<p>x</p>", "y", 200) == (long_page, "page")
    content = "<p>Eerste alinea van de volledige tekst.</p><p>Tweede alinea.</p>"
    assert choose_text("", content, "<b>Kort</b>", 200) == (
        "Eerste alinea van de volledige tekst.\n\nTweede alinea.", "feed_content")
    assert choose_text("kort", "", "Een samenvatting die langer is dan de pagina.", 200) == (
        "Een samenvatting die langer is dan de pagina.", "feed_summary")
    assert choose_text("", "", "", 200) == ("", None)


# ---------------------------------------------------------------------------------------- registry ------

def test_bundled_registry_has_live_sources_and_sample_matches_manifest():
    import json
    from flows.settings import SAMPLE_DIR

    reg = load_registry()
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text())
    assert {f.url for f in reg.profile("sample")} == {f["url"] for f in manifest["feeds"]}
    live = reg.profile("live")
    assert {"noyb", "ap", "edpb", "edps", "ico", "dpc", "tweakers", "securitynl", "bitsoffreedom",
            "euractiv"} <= {f.outlet for f in live}
    assert all(f.url.startswith("https://") for f in live)
    assert {f.kind for f in live} == {"regulator", "ngo", "news"}


def test_registry_errors_name_the_file_and_fix(tmp_path):
    bad = tmp_path / "feeds.toml"
    bad.write_text('[publishers.x]\nname = "X"\nhomepage = "https://x.test"\nfeeds = ["ftp://x.test/f"]\n'
                   'lang = "nl"\ncountry = "NL"\nkind = "news"\nprofiles = ["p"]\n')
    with pytest.raises(RegistryError, match=r"feeds.toml.*not an http\(s\) URL"):
        load_registry(bad)
    bad.write_text('[publishers.x]\nname = "X"\nfeeds = ["https://x.test/f"]\nlang = "nl"\n')
    with pytest.raises(RegistryError, match="missing homepage, country, kind, profiles"):
        load_registry(bad)
    with pytest.raises(RegistryError, match="no profile 'nope'.*live"):
        load_registry().profile("nope")
    with pytest.raises(RegistryError, match="--feed"):
        adhoc_feed("feeds.example.org/rss")
    spec = adhoc_feed("https://www.example.org/rss")
    assert spec.kind == "adhoc" and spec.outlet == "example.org"


# ----------------------------------------------------------------------------------------- fetcher ------

@pytest.fixture
def server():
    with LocalHTTPServer() as srv:
        yield srv


def http(**kw) -> HttpSettings:
    base = dict(connect_timeout=2, read_timeout=1, total_timeout=4, max_bytes=50_000, max_redirects=3,
                retries=0, backoff=0, per_host_concurrency=4, allow_private_pages=True)
    return HttpSettings(**{**base, **kw})


def test_conditional_get_and_user_agent(server):
    server.route("/feed.xml", Static((DATA / "privacykrant.xml").read_bytes(), "application/rss+xml"))
    with Fetcher(http()) as f:
        first = f.get(server.url("/feed.xml"), kind="feed")
        assert first.ok and first.status == 200 and first.headers["etag"]
        again = f.get(server.url("/feed.xml"), kind="feed", etag=first.headers["etag"],
                      last_modified=first.headers["last-modified"])
        assert again.ok and again.not_modified and again.status == 304 and again.body == b""
    req = server.requests_for("/feed.xml")
    assert req[0].headers["User-Agent"].startswith("privnews/")
    assert req[1].headers["If-None-Match"] == first.headers["etag"]


def test_permanent_failures_are_results_not_retries(server):
    server.route("/gone.xml", Status(404))
    server.route("/loop-a", Redirect("/loop-b"))
    server.route("/loop-b", Redirect("/loop-a"))
    server.route("/big", Static(b"<p>" + b"x" * 80_000 + b"</p>", "text/html", etag=False))
    with Fetcher(http()) as f:
        gone = f.get(server.url("/gone.xml"), kind="feed")
        loop = f.get(server.url("/loop-a"))
        big = f.get(server.url("/big"))
    assert (gone.status, gone.error) == (404, "HTTP 404 Not Found")
    assert "too many redirects" in loop.error
    assert "size cap of 50000 bytes" in big.error and big.body == b""
    assert server.hits("/gone.xml") == 1 and server.hits("/loop-a") + server.hits("/loop-b") == 4
    assert [r["transient"] for r in f.log] == [False, False, False]


def test_transient_failures_raise_and_429_holds_back_the_host(server):
    server.route("/busy", Status(429, {"Retry-After": "1"}), Static("<p>ok</p>"))
    server.route("/err", Status(503))
    server.route("/hang", Hang(20))
    with Fetcher(http()) as f:
        with pytest.raises(TransientFetchError, match="HTTP 429"):
            f.get(server.url("/busy"))
        t0 = time.monotonic()
        assert f.get(server.url("/busy")).ok
        assert time.monotonic() - t0 >= 0.9                   # waited for Retry-After
        with pytest.raises(TransientFetchError, match="HTTP 503"):
            f.get(server.url("/err"))
        t0 = time.monotonic()
        with pytest.raises(TransientFetchError, match="read timeout"):
            f.get(server.url("/hang"))
        assert time.monotonic() - t0 < 3
    assert [r["attempt"] for r in f.log if r["url"].endswith("/busy")] == [1, 2]


def test_retry_after_forms():
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=0) > 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_pages_on_private_addresses_are_refused_unless_allowed(server):
    server.route("/p", Static("<p>intern</p>"))
    assert is_private_address("127.0.0.1") and is_private_address("10.1.2.3")
    assert not is_private_address("93.184.216.34")
    with Fetcher(http(allow_private_pages=False)) as f:
        page = f.get(server.url("/p"), kind="page")
        feed = f.get(server.url("/p"), kind="feed")            # feeds are configured by the user: allowed
    assert "loopback/private" in page.error and feed.ok
    assert server.hits("/p") == 1

"""Hostile and broken input (tests/data/hostile/README.md): no crash, no expansion, nothing lost silently.

Part 1 (fast): each corpus file through the parsing/decoding functions, and hypothesis properties for feed
parsing, page decoding, text extraction and fact extraction. Part 2 (slow): the whole corpus through the
real ingest flow from a local HTTP server; every item is stored or rejected with a recorded reason."""
from __future__ import annotations

import codecs
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from flows.ingest.canonical import canonicalize
from flows.ingest.fulltext import decode_html, extract_main_text, fragment_text, page_metadata
from flows.ingest.parse import NotAFeed, parse_feed

HOSTILE = Path(__file__).parent / "data" / "hostile"
FEEDS = HOSTILE / "feeds"
PAGES = HOSTILE / "pages"
BASE = "http://127.0.0.1:8"


def served(path: Path, host: str = "127.0.0.1:8") -> bytes:
    """The bytes as the test server sends them: HOST replaced, UTF-16 decoded/re-encoded around it."""
    body = path.read_bytes()
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16").replace("HOST", host).encode("utf-16")
    return body.replace(b"HOST", host.encode())


def parse(name: str):
    return parse_feed(served(FEEDS / name), f"{BASE}/feeds/{name}", "application/rss+xml")


def all_text(feed) -> str:
    parts = [feed.title or ""]
    for e in feed.entries:
        parts += [e.title, e.summary_html, e.content_html, e.link or "", e.guid or ""]
    return "\n".join(parts)


# ---------------------------------------------------------------- corpus through the parsers ------------

def test_malformed_feed_is_flagged_and_complete_items_recovered():
    feed = parse("malformed_truncated.xml")
    assert feed.warning  # recorded reason: why it is malformed
    links = [e.link for e in feed.entries]
    assert f"{BASE}/pages/ok-malformed" in links
    assert all(link is None or link.startswith("http") for link in links)


@pytest.mark.parametrize("name, needle", [
    ("bom_utf8.xml", "café-keten"),
    ("utf16.xml", "‘gerechtvaardigd belang’"),
    ("declared_latin1_is_utf8.xml", "café-app"),
])
def test_encoding_traps_decode_to_the_right_characters(name, needle):
    feed = parse(name)
    assert len(feed.entries) == 1
    assert needle in feed.entries[0].title
    assert "Ã" not in feed.entries[0].title  # no double-decoded UTF-8


@pytest.mark.parametrize("name", ["declared_utf8_is_cp1252.xml", "mixed_encoding.xml"])
def test_undecodable_bytes_do_not_crash_and_good_items_survive(name):
    try:
        feed = parse(name)
    except NotAFeed as exc:        # rejected: acceptable only with a reason
        assert str(exc)
        return
    assert feed.entries
    if name == "mixed_encoding.xml":
        assert any("één bank" in e.title for e in feed.entries)


@pytest.mark.parametrize("name", ["empty.xml", "whitespace.xml", "html_not_feed.xml", "random.bin"])
def test_not_a_feed_is_rejected_with_a_reason(name):
    with pytest.raises(NotAFeed, match="not a feed"):
        parse(name)


def test_empty_channel_has_no_entries_and_no_error():
    feed = parse("empty_channel.xml")
    assert feed.entries == [] and feed.title == "Niets"


@pytest.mark.parametrize("name", ["billion_laughs.xml", "quadratic_blowup.xml"])
def test_entity_bombs_are_not_expanded(name):
    size = (FEEDS / name).stat().st_size
    try:
        feed = parse(name)
    except NotAFeed:
        return
    text = all_text(feed)
    assert len(text) < size          # nothing grew: expansion would give 3 GB / 100 MB
    assert "lollollol" not in text and "A" * 60_000 not in text


def test_external_entities_are_not_resolved():
    secret = Path("/etc/passwd").read_text()
    first_line = secret.splitlines()[0]
    try:
        feed = parse("external_entity.xml")
    except NotAFeed:
        return
    assert first_line not in all_text(feed)
    assert "root:" not in all_text(feed)


def test_zero_width_and_rtl_characters_are_kept_as_text():
    feed = parse("zero_width_rtl.xml")
    assert len(feed.entries) == 2
    assert "\u202e" in feed.entries[1].title or "gpj.exe" in feed.entries[1].title


def test_bad_link_schemes_never_become_fetchable_urls():
    feed = parse("bad_links.xml")
    assert len(feed.entries) == 6          # the parser keeps them; canonicalize must refuse them
    fetchable = [canonicalize(e.link) for e in feed.entries if e.link]
    fetchable = [u for u in fetchable if u]
    assert fetchable == [f"{BASE}/pages/ok-after-bad"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)", "data:text/html,<b>x</b>",
    "mailto:a@b.example", "gopher://x.example/", "//evil.example/no-scheme", "", "   ", "http://", "https:///x",
])
def test_canonicalize_accepts_http_s_only(url):
    assert canonicalize(url) is None


def test_deeply_nested_html_does_not_crash():
    nested = "<html><body>" + "<div>" * 100_000 + "<p>diep</p>" + "</div>" * 100_000 + "</body></html>"
    assert isinstance(extract_main_text(nested, "http://x.example/a"), str)
    page_metadata(nested)


@pytest.mark.parametrize("name", ["page-cp1252.html", "page-zero-width.html", "page-script.html",
                                  "page-random.bin", "xxe.html"])
def test_hostile_pages_decode_and_extract_without_crash(name):
    body = (PAGES / name).read_bytes()
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert isinstance(decoded.text, str)
    text = extract_main_text(decoded.text, "http://x.example/a")
    assert isinstance(text, str)
    if name == "page-cp1252.html":
        assert "crèche" in text and "\ufffd" not in text
    if name == "page-script.html":
        assert "document.cookie" not in text and "onerror" not in text


# ---------------------------------------------------------------- properties (hypothesis) ---------------

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
any_text = st.text(st.characters(codec=None), max_size=400)
xml_safe = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@FAST
@given(body=st.binary(max_size=2000), ctype=st.sampled_from([None, "application/rss+xml", "text/html",
                                                              "text/xml; charset=utf-16", "application/xml; charset=bogus"]))
def test_parse_feed_on_any_bytes_returns_a_feed_or_refuses(body, ctype):
    try:
        feed = parse_feed(body, "http://x.example/feed.xml", ctype)
    except NotAFeed:
        return
    for e in feed.entries:
        assert isinstance(e.title, str)
        assert e.link is None or isinstance(e.link, str)


@FAST
@given(title=xml_safe, desc=xml_safe, link=st.text(max_size=80))
def test_parse_feed_with_any_unicode_in_items(title, desc, link):
    from xml.sax.saxutils import escape
    doc = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
           f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
           f"<description>{escape(desc)}</description></item></channel></rss>").encode("utf-8", "surrogatepass")
    try:
        feed = parse_feed(doc, "http://x.example/feed.xml", "application/rss+xml")
    except NotAFeed:
        return
    for e in feed.entries:
        assert isinstance(e.title, str) and isinstance(e.summary_html, str)


@FAST
@given(body=st.binary(max_size=3000), ctype=st.one_of(st.none(), st.text(max_size=40)))
def test_decode_html_never_fails(body, ctype):
    decoded = decode_html(body, ctype)
    assert isinstance(decoded.text, str)


@FAST
@given(html=any_text)
def test_page_text_and_metadata_never_fail(html):
    assert isinstance(extract_main_text(html, "http://x.example/a"), str)
    page_metadata(html)
    assert isinstance(fragment_text(html), str)


@FAST
@given(url=st.text(max_size=120))
def test_canonicalize_returns_http_s_or_none(url):
    out = canonicalize(url)
    assert out is None or out.startswith(("http://", "https://"))


# ---------------------------------------------------------------- extraction properties -----------------

@pytest.fixture(scope="module")
def extractor():
    from nlp.pipeline import Extractor

    return Extractor()


def _assert_offsets(text: str, facts: dict) -> None:
    for actor in facts["actors"]:
        for m in actor["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text) and text[m["start"]:m["end"]] == m["text"]
    for fact in facts["statistics"] + facts["claims"]:
        assert 0 <= fact["start"] < fact["end"] <= len(text) and text[fact["start"]:fact["end"]] == fact["text"]


# Privacy-news vocabulary mixed with arbitrary characters, so the extractors actually fire.
WORDS = ["De", "Autoriteit", "Persoonsgegevens", "legt", "boete", "van", "2,5", "miljoen", "euro", "op", "aan",
         "Meta", "noyb", "AVG", "artikel", "6", "lid", "1", "sub", "f", "€", "390m", "fined", "the", "DPC",
         "Irish", "percent", "procent", "66%", "ruim", "about", "consent", "toestemming", "claimt", "\u200b",
         "\u202e", "\ufeff", "é", "\n", ".", ",", "\"", "'", "(", ")"]
newsy = st.lists(st.one_of(st.sampled_from(WORDS), st.text(st.characters(codec=None), max_size=6)),
                 max_size=60).map(" ".join)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=st.one_of(newsy, any_text), lang=st.sampled_from(["nl", "en", "auto"]))
def test_extraction_on_any_unicode_keeps_valid_offsets(extractor, text, lang):
    facts = extractor.extract(text, lang=lang, doc_id="h")
    assert facts["id"] == "h" and facts["lang"] in ("nl", "en", "other")
    _assert_offsets(text, facts)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=newsy, lang=st.sampled_from(["nl", "en"]))
def test_extractor_components_emit_exact_spans_before_any_cleanup(extractor, text, lang):
    """The components themselves must give exact offsets: `assemble` drops bad spans, which would lose
    facts silently (it only logs)."""
    doc = extractor.nlp(lang)(text)
    for actor in doc._.actors:
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], (actor, text)
    for fact in list(doc._.statistics) + list(doc._.claims):
        assert text[fact["start"]:fact["end"]] == fact["text"], (fact, text)

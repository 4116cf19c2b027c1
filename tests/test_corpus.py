"""The annotated corpus compiles deterministically and the generated sample sites match it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import pytest

from models.corpus import build_sample
from models.corpus.compile import compile_corpus, find_mentions, render_jsonl

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compiled():
    records, sources, rep = compile_corpus()
    return records, sources, rep


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    build_sample.build(out)
    return out


def test_compile_has_no_errors(compiled):
    _, _, rep = compiled
    assert rep.errors == []


def test_compile_is_deterministic(compiled):
    records, _, _ = compiled
    again, _, _ = compile_corpus()
    for split in ("dev", "test"):
        assert render_jsonl(records, split) == render_jsonl(again, split)


def test_committed_gold_files_are_current(compiled):
    records, _, _ = compiled
    for split in ("dev", "test"):
        path = REPO / "models" / "corpus" / f"gold-{split}.jsonl"
        assert path.read_text(encoding="utf-8") == render_jsonl(records, split), (
            f"{path.name} is stale: run python -m models.corpus.compile")


def test_every_offset_is_valid(compiled):
    records, _, _ = compiled
    assert records
    for r in records:
        text = r["text"]
        assert list(r) == ["id", "lang", "split", "title", "text", "actors", "statistics", "claims"]
        for a in r["actors"]:
            assert a["mentions"]
            for m in a["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
        for f in r["statistics"] + r["claims"]:
            assert 0 <= f["start"] < f["end"] <= len(text)
            assert text[f["start"]:f["end"]] == f["text"]


def test_split_none_is_excluded_from_gold(compiled):
    records, sources, _ = compiled
    none_ids = {d["id"] for d in sources if d["split"] == "none"}
    written = {json.loads(line)["id"] for s in ("dev", "test") for line in render_jsonl(records, s).splitlines()}
    assert none_ids and not (none_ids & written)


def test_named_claim_parties_are_gold_actors(compiled):
    """A claimant/target that is the name or a mention of a gold actor must be the canonical name."""
    records, _, _ = compiled
    for r in records:
        names = {a["name"] for a in r["actors"]}
        mentions = {m["text"] for a in r["actors"] for m in a["mentions"]}
        for c in r["claims"]:
            for party in (c["claimant"], c["target"]):
                if party is not None and party in mentions:
                    assert party in names, (r["id"], party)


def test_whole_word_mentions():
    assert find_mentions("AP en APK; (AP) AP.", "AP") == [(0, 2), (12, 14), (16, 18)]
    assert find_mentions("De Autoriteit's AP", "(AP)") == []
    assert find_mentions("Über Übermacht", "Über") == [(0, 4)]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical = None
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        if "id" in a:
            self.ids.add(a["id"])


def _strip_utm(url: str) -> str:
    u = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(u.query) if not k.startswith("utm_")]
    return urlunsplit((u.scheme, u.netloc, u.path, urlencode(q), ""))


def test_build_sample_is_deterministic(sample, tmp_path):
    build_sample.build(tmp_path)
    a = {p.relative_to(sample): p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert a == b


def test_committed_sample_is_current(sample):
    committed = REPO / "flows" / "sample"
    a = {p.relative_to(sample): p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    b = {p.relative_to(committed): p.read_bytes() for p in committed.rglob("*") if p.is_file()}
    assert a == b, "flows/sample is stale: run python -m models.corpus.build_sample"


def test_feeds_parse_and_links_resolve_to_pages(sample, compiled):
    _, sources, _ = compiled
    by_url = {d["url"]: d for d in sources}
    manifest = json.loads((sample / "manifest.json").read_text(encoding="utf-8"))
    assert {f["format"] for f in manifest["feeds"]} == {"rss2", "atom"}
    seen_urls: list[str] = []
    tracked = 0
    for feed in manifest["feeds"]:
        u = urlsplit(feed["url"])
        parsed = feedparser.parse((sample / "sites" / (u.netloc + u.path)).read_bytes())
        assert not parsed.bozo, (feed["url"], parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if feed["format"] == "rss2" else "atom10")
        assert parsed.entries
        dates = [e.published_parsed for e in parsed.entries if e.get("published_parsed")]
        assert dates == sorted(dates, reverse=True), "items newest first"
        for entry in parsed.entries:
            tracked += "utm_source=" in entry.link
            url = _strip_utm(entry.link)
            doc = by_url[url]
            seen_urls.append(url)
            # summary only, never the full text
            assert entry.summary == doc["summary"]
            assert doc["text"].split("\n\n")[-1] not in entry.summary
            assert bool(entry.get("published")) == (doc["published"] is not None)
            page = sample / "sites" / build_sample.page_path(url)
            html = page.read_text(encoding="utf-8")
            p = _Page()
            p.feed(html)
            assert p.canonical == doc["url"]
            assert "?" not in p.canonical
    assert tracked > 0
    assert sorted(set(seen_urls)) == sorted(by_url), "every article is in a feed"
    assert len(seen_urls) > len(set(seen_urls)), "one article is listed in two feeds"


def test_page_keeps_article_and_has_clutter(sample, compiled):
    _, sources, _ = compiled
    from html import escape
    for doc in sources:
        html = (sample / "sites" / build_sample.page_path(doc["url"])).read_text(encoding="utf-8")
        article = re.search(r"<article>(.*)</article>", html, re.S).group(1)
        for para in doc["text"].split("\n\n"):
            assert f"<p>{escape(para, quote=False)}</p>" in article
        assert f"<h1>{escape(doc['title'])}</h1>" in article
        assert f'<html lang="{doc["lang"]}">' in html
        assert ("<time datetime=" in article) == (doc["published"] is not None)
        assert ('property="article:published_time"' in html) == (doc["published"] is not None)
        # clutter that extraction must drop lives outside <article>
        p = _Page()
        p.feed(html)
        assert "cookie-banner" in p.ids
        for marker in ('class="main-nav"', 'class="share-buttons"', 'class="related"', 'class="newsletter-signup"',
                       'class="site-footer"', 'class="comments-teaser"', "<script>"):
            assert marker in html, marker
        assert 'id="cookie-banner"' not in article

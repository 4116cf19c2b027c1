"""The bundled sample sites (flows/sample, generated from models/corpus) through the real ingest flow and
the sample proxy server: full text equals the authored article (clutter dropped), tracking parameters and
the cross-listed entry collapse into one article, Dutch and English write-ups of one event share a story,
the syndicated copy joins its original's story, and a second run fetches nothing and adds nothing."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from flows.ingest.canonical import article_id
from flows.ingest.flow import ingest
from flows.ingest.sample_server import SampleServer
from flows.settings import SAMPLE_DIR, load_settings

SRC = Path(__file__).resolve().parents[1] / "models" / "corpus" / "src"


def corpus() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SRC.glob("*/*.json"))}


@pytest.fixture(scope="module")
def sample(tmp_path_factory, flows_on_session_server):
    if not (SAMPLE_DIR / "manifest.json").exists():
        pytest.skip("flows/sample not generated")
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    settings = load_settings(db=db, profile="sample")
    first = ingest(settings)
    con = duckdb.connect(str(db), read_only=True)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "article_urls", "stories", "article_embeddings")}
    con.close()
    second = ingest(settings)
    con = duckdb.connect(str(db), read_only=True)
    yield SimpleNamespace(con=con, first=first, second=second, before=before, docs=corpus())
    con.close()


def row(s, doc_id: str) -> dict:
    cur = s.con.execute("SELECT * FROM articles JOIN article_ingest USING (article_id) WHERE article_id = ?",
                        [article_id(s.docs[doc_id]["url"])])
    values = cur.fetchone()
    assert values is not None, f"{doc_id} not stored"
    return dict(zip([d[0] for d in cur.description], values))


def test_every_sample_article_is_stored_once_with_its_authored_text(sample):
    docs = sample.docs
    assert sample.first["feeds_failed"] == 0 and sample.first["articles_failed"] == 0
    assert sample.first["articles_new"] == len(docs) == sample.before["articles"]
    assert sample.first["duplicates"] == 1                     # dpdaily's cross-listing of en-004
    for doc_id, doc in docs.items():
        a = row(sample, doc_id)
        assert a["text"] == doc["text"], doc_id               # clutter dropped, paragraphs kept
        assert a["lang"] == doc["lang"] and a["text_source"] == "page" and a["skip_reason"] is None
        assert a["url"] == doc["url"] and "utm_" not in a["url"]
        if doc["published"] is None:
            assert a["published"] is None and a["published_source"] is None, doc_id


def test_tracking_links_and_cross_listing_lead_to_the_one_article(sample):
    en004 = article_id(sample.docs["en-004"]["url"])
    urls = dict(sample.con.execute("SELECT url, article_id FROM article_urls WHERE url LIKE "
                                   "'%ico-fines-tiktok-children%'").fetchall())
    assert set(urls.values()) == {en004}
    assert sample.docs["en-004"]["url"] + "?utm_source=rss&utm_medium=feed" in urls
    assert row(sample, "en-004")["outlet"] == "privacywire"     # the publisher, not the cross-lister


@pytest.mark.parametrize("group", [("nl-001", "en-001"), ("nl-002", "en-002", "en-025"), ("nl-003", "en-003")])
def test_dutch_and_english_write_ups_share_a_story(sample, group):
    story_ids = {row(sample, d)["story_id"] for d in group}
    assert len(story_ids) == 1 and None not in story_ids
    [sid] = story_ids
    view = sample.con.execute("SELECT articles, langs FROM v_stories WHERE story_id = ?", [sid]).fetchone()
    assert view == (len(group), ["en", "nl"])


def test_different_events_are_different_stories(sample):
    ids = [row(sample, d)["story_id"] for d in ("nl-001", "nl-002", "nl-003", "en-004", "nl-010", "en-013")]
    assert len(set(ids)) == len(ids)


def test_second_run_fetches_nothing_and_adds_no_rows(sample):
    c = sample.second
    assert c["not_modified"] == c["feeds"] and c["pages_fetched"] == 0 and c["articles_new"] == 0
    after = {t: sample.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in sample.before}
    assert after == sample.before


def test_sample_server_is_a_forward_proxy_for_the_sample_hosts_only():
    import httpx

    with SampleServer() as srv:
        with httpx.Client(proxy=srv.proxy_url, trust_env=False) as client:
            feed = client.get("http://privacywire.example/rss.xml")
            assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/rss+xml")
            again = client.get("http://privacywire.example/rss.xml",
                               headers={"If-None-Match": feed.headers["etag"]})
            assert again.status_code == 304
            since = client.get("http://privacywire.example/rss.xml",
                               headers={"If-Modified-Since": feed.headers["last-modified"]})
            assert since.status_code == 304
            page = client.get("http://privacywire.example/2024/09/dutch-regulator-fines-clearview?utm_source=x")
            assert page.status_code == 200 and b'rel="canonical"' in page.content
            assert client.get("http://elsewhere.example/rss.xml").status_code == 404
            assert client.get("http://privacywire.example/../../flows/settings.py").status_code == 404

"""The ingest flow: fetch feeds -> parse -> fetch pages -> extract text -> detect language -> dedupe ->
group stories -> load. A run's feeds are fetched and parsed by one task, and its pages by another, each on a
thread pool (a Prefect task per feed or page cost more than the download): transient failures only
(timeouts, 5xx, 429) are retried, per URL, `http.retries` times with doubling delays (`fetch_with_retries`),
and the fetcher's per-host gate keeps the politeness limits. Large task arguments (articles, pages,
drafts) are passed `quote`d: Prefect would otherwise walk every element looking for futures. The DuckDB
write connection is opened only to read the starting state (briefly) and for the load step, so readers
are blocked as little as possible.

Every feed item ends up stored (an article, or a URL of one) or rejected with a recorded reason: the
`ingest_rejections` table (feed URL, item link/guid/title, stage, reason, time), written in bulk by the load.

`ingest(settings, feeds=None)` returns counts: feeds, feeds_failed, not_modified, entries, pages_fetched,
articles_new, articles_updated, articles_unchanged, articles_failed, duplicates, stories_new, rejected.
"""
from __future__ import annotations

import logging
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import as_completed as threads_completed
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import zip_longest
from urllib.parse import urlsplit

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.ingest.canonical import article_id as make_article_id
from flows.ingest.canonical import canonicalize, choose_canonical, content_hash
from flows.ingest.dedupe import Candidate, Draft, merge_drafts, plan_entries
from flows.ingest.fetch import Fetcher, FetchResult, TransientFetchError
from flows.ingest.fulltext import (PageMeta, choose_text, decode_html, extract_main_text, page_metadata,
                                   parse_page)
from flows.ingest.parse import NotAFeed, ParsedFeed, parse_feed
from flows.ingest.registry import FeedSpec, resolve_feeds
from flows.ingest.sample_server import SampleServer, sample_hosts
from flows import extract_prefetch
from flows.extract_pool import expect_articles
from flows.faults import checkpoint
from flows.ingest import stories, store
from flows.settings import Settings
from nlp.language import detect_language
from warehouse.db import connect, migrate

logger = logging.getLogger(__name__)

SKIP_OTHER_LANGUAGE = "language other than nl/en: stored, not extracted"
SKIP_NO_TEXT = "no text: neither the page nor the feed had any"


def _delays(settings: Settings) -> list[float]:
    """Pauses before each retry of a transient failure: `http.retries` of them, doubling from `backoff`."""
    return [settings.http.backoff * 2 ** i for i in range(settings.http.retries)]


def fetch_with_retries(fetcher: Fetcher, url: str, kind: str, feed_id: str | None, delays: list[float],
                       etag: str | None = None, last_modified: str | None = None) -> FetchResult:
    """One URL, retried after each transient failure (timeouts, 5xx, 429) with the given delays, never after
    a permanent one (4xx, size cap, redirect loop); a 429's Retry-After holds the host back in the
    fetcher's gate. Never raises for a fetch problem: retries exhausted is a failed FetchResult."""
    for delay in [*delays, None]:
        try:
            return fetcher.get(url, kind=kind, feed_id=feed_id, etag=etag, last_modified=last_modified)
        except TransientFetchError as exc:
            if delay is None:
                return FetchResult(url=url, kind=kind, status=exc.status,
                                   error=f"{exc.reason} (retries exhausted)")
            time.sleep(delay)
    raise AssertionError("unreachable")


@dataclass
class FeedOutcome:
    spec: FeedSpec
    result: FetchResult
    parsed: ParsedFeed | None        # None: not modified (304) or failed
    error: str | None                # why the feed could not be used (fetch error, not a feed)


def _fetch_and_parse(fetcher: Fetcher, spec: FeedSpec, old: dict, delays: list[float]) -> FeedOutcome:
    res = fetch_with_retries(fetcher, spec.url, "feed", spec.feed_id, delays, old.get("etag"),
                             old.get("last_modified"))
    parsed, error = None, res.error
    if res.ok and not res.not_modified:
        try:
            parsed = parse_feed(res.body, res.final_url or spec.url, res.headers.get("content-type"),
                                res.headers.get("content-language"))
        except NotAFeed as exc:
            error = str(exc)
    return FeedOutcome(spec, res, parsed, error)


@task(name="fetch-feeds", cache_policy=NO_CACHE)
def fetch_feeds(settings: Settings, fetcher: Fetcher, specs: list[FeedSpec], known: dict[str, dict],
                progress: "_Progress") -> list[FeedOutcome]:
    """Every feed, fetched (conditional GET against the `known` validators) and parsed on a thread pool; a
    failing or hanging feed never holds up the others. Outcomes in the order of `specs`, whatever order they
    completed in: the first of two identical articles is the one kept (dedupe), and that must not depend
    on which server answered first."""
    if not specs:
        return []
    delays = _delays(settings)
    with ThreadPoolExecutor(max_workers=max(1, min(max(settings.http.concurrency, 16), len(specs))),
                            thread_name_prefix="fetch-feed") as pool:
        futures = [pool.submit(_fetch_and_parse, fetcher, spec, known.get(spec.feed_id) or {}, delays)
                   for spec in specs]
        for fut in threads_completed(futures):
            o = fut.result()
            progress.feed_done(f"{o.spec.outlet}: " + (o.error or ("not modified" if o.result.not_modified
                                                                  else f"{len(o.parsed.entries)} entries")))
    return [fut.result() for fut in futures]


@dataclass
class PageText:
    """What one fetched page gives its draft: main text, decoded HTML, metadata and encoding, or why it
    gives no text (`error`). All defaults: no page was fetched."""
    text: str = ""
    raw_html: str | None = None
    meta: PageMeta | None = None
    encoding: str | None = None
    error: str | None = None


def read_page(page: FetchResult | None) -> PageText:
    """Decode, parse once (for the metadata and the main text), extract: a page's CPU work in ingest."""
    if page is None:
        return PageText()
    if not (page.ok and page.body):
        return PageText(error=page.error or "empty page")
    ctype = page.headers.get("content-type", "")
    if ctype and "html" not in ctype.lower() and not ctype.lower().startswith("text/"):
        return PageText(error=f"not an HTML page ({ctype.split(';')[0]})")
    decoded = decode_html(page.body, ctype)
    if decoded.note:
        logger.info("%s: %s", page.url, decoded.note)
    tree = parse_page(decoded.text)     # parsed once, for the metadata and the main text
    meta = page_metadata(tree if tree is not None else decoded.text)
    text = extract_main_text(tree, page.final_url or page.url)
    return PageText(text=text, raw_html=decoded.text, meta=meta, encoding=decoded.encoding,
                    error=None if text else "no main text found on the page")


def interleaved_by_host(cands: list[Candidate]) -> list[Candidate]:
    """The candidates one host after another in turn (each host's own order kept). Feeds list their pages
    together, so in feed order the pool's threads all queued on one host's limit and delay (fetch.py's
    gate) while the other hosts waited: with a politeness delay, the hosts were fetched one after another."""
    by_host: dict[str, list[Candidate]] = {}
    for c in cands:
        by_host.setdefault(urlsplit(c.canonical_link).hostname or "", []).append(c)
    return [c for turn in zip_longest(*by_host.values()) for c in turn if c is not None]


@task(name="fetch-pages", cache_policy=NO_CACHE)
def fetch_pages(settings: Settings, fetcher: Fetcher, cands: list[Candidate],
                progress: "_Progress") -> tuple[dict[str, FetchResult], dict[str, PageText]]:
    """Every candidate's page, on a thread pool of `http.concurrency` (the fetcher's gate keeps the
    per-host limit and delay); ({canonical link: result}, {canonical link: its text}). Each page's text is
    extracted here, as it arrives, while the other pages download: this thread would otherwise only wait."""
    delays = _delays(settings)
    pages: dict[str, FetchResult] = {}
    texts: dict[str, PageText] = {}
    if not cands:
        return pages, texts
    with ThreadPoolExecutor(max_workers=max(1, min(settings.http.concurrency, len(cands))),
                            thread_name_prefix="fetch-page") as pool:
        futures = {pool.submit(fetch_with_retries, fetcher, c.canonical_link, "page", c.primary[0].feed_id,
                               delays): c for c in interleaved_by_host(cands)}
        for fut in threads_completed(futures):
            cand = futures[fut]
            pages[cand.canonical_link] = page = fut.result()
            progress.page_done(cand.canonical_link)
            checkpoint(settings, "ingest.page_fetched")
            texts[cand.canonical_link] = read_page(page)
    return pages, texts


@task(name="extract-text", cache_policy=NO_CACHE)
def extract_text(candidates: list[Candidate], pages: dict[str, FetchResult], texts: dict[str, PageText],
                 min_page_chars: int) -> tuple[list[Draft], list[tuple[Candidate, str]]]:
    """Drafts from fetched pages (trafilatura main text, rel=canonical, explicit dates; `texts`, from
    `read_page`), falling back to the feed's content or summary. Returns (drafts, [(candidate, why it
    failed)])."""
    drafts, failed = [], []
    now = datetime.now(timezone.utc)
    for cand in candidates:
        spec, entry = cand.primary
        page = pages.get(cand.canonical_link)
        got = texts.get(cand.canonical_link) or read_page(page)
        page_text, raw_page, meta, encoding, page_error = got.text, got.raw_html, got.meta, got.encoding, got.error
        text, source = choose_text(page_text, entry.content_html, entry.summary_html, min_page_chars)
        if source is None:
            failed.append((cand, page_error or "no text in the feed entry"))
            continue
        raw_html = raw_page if source == "page" else (entry.content_html if source == "feed_content"
                                                      else entry.summary_html)
        final = canonicalize(page.final_url) if page is not None and page.final_url else None
        canonical = choose_canonical(cand.canonical_link, meta.canonical if meta else None,
                                     page.final_url if page is not None else None)
        if meta and meta.published:     # the page's own explicit date is the most authoritative
            published, published_source = meta.published, "page"
        elif entry.published:
            published, published_source = entry.published, "feed"
        else:
            published, published_source = None, None
        urls = {cand.canonical_link, canonical, *cand.links} | ({final} if final else set())
        drafts.append(Draft(
            article_id=make_article_id(canonical), url=canonical,
            title=entry.title or (meta.title if meta and meta.title else canonical),
            published=published, published_source=published_source, lang="", text=text,
            content_hash=content_hash(text), text_source=source, raw_html=raw_html, feed_id=spec.feed_id,
            outlet=spec.outlet, skip_reason=None, fetched_at=now, urls={u for u in urls if u},
            guids=cand.guids, page_status=page.status if page is not None else None,
            page_error=page_error if source != "page" else None, encoding=encoding))
    return drafts, failed


@task(name="detect-language", cache_policy=NO_CACHE)
def detect_languages(drafts: list[Draft]) -> list[Draft]:
    for d in drafts:
        d.lang = detect_language(f"{d.title}\n\n{d.text}")
        if not d.text.strip():
            d.skip_reason = SKIP_NO_TEXT
        elif d.lang == "other":
            d.skip_reason = SKIP_OTHER_LANGUAGE
    return drafts


@task(name="dedupe", cache_policy=NO_CACHE)
def dedupe(drafts: list[Draft], state: store.KnownState) -> tuple[list[Draft], list, int]:
    return merge_drafts(drafts, state.hashes)


@task(name="embed-stories", cache_policy=NO_CACHE)
def embed_stories(new: list[Draft], lead_chars: int) -> dict:
    return stories.vectors_for([stories.NewArticle(d.article_id, d.title, d.text, d.published) for d in new],
                               lead_chars)


@task(name="load", cache_policy=NO_CACHE)
def load_batch(settings: Settings, batch: store.LoadBatch, new: list[Draft], vectors: dict) -> dict:
    """Open the write connection, assign stories against stored ones, write everything, close."""
    now = datetime.now(timezone.utc)
    con = connect(settings.db, lock_timeout=settings.lock_timeout)
    try:
        migrate(con)
        # stored story members are read only when there is something to assign (with no dates to bound the
        # window the query would read every stored embedding)
        members = store.story_members(con, [d.published for d in new],
                                      settings.ingest.story_window_days) if new else []
        assigned, best = stories.assign(
            [stories.NewArticle(d.article_id, d.title, d.text, d.published) for d in new], vectors, members,
            settings.ingest.story_threshold, settings.ingest.story_window_days)
        known_story_ids = {m.story_id for m in members}
        created = set()
        for d in new:
            d.story_id = assigned.get(d.article_id)
            if d.story_id == stories.story_id_for(d.article_id) and d.story_id not in known_story_ids:
                created.add(d.story_id)     # a story is named after the article that started it
                batch.stories.append({"story_id": d.story_id, "title": d.title, "first_seen_at": now})
            batch.embeddings.append({"article_id": d.article_id, "model": stories.MODEL,
                                     "embedding": vectors[d.article_id].tolist(), "created_at": now})
        checkpoint(settings, "ingest.loading")
        store.load(con, batch)
    finally:
        con.close()
    return {"stories_new": len(created)}


class _Progress:
    """Feeds done and articles new/unchanged/failed on a terminal; nothing when stderr is not a TTY."""

    def __init__(self, total_feeds: int):
        self.enabled = sys.stderr.isatty()
        self._p = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                               TextColumn("{task.fields[detail]}"), console=Console(stderr=True),
                               transient=True)
            self._p.start()
            self._feeds = self._p.add_task("feeds", total=total_feeds, detail="")
            self._pages = None

    def feed_done(self, detail: str = "") -> None:
        if self._p:
            self._p.update(self._feeds, advance=1, detail=detail)

    def pages(self, total: int) -> None:
        if self._p:
            self._pages = self._p.add_task("pages", total=total, detail="")

    def page_done(self, detail: str = "") -> None:
        if self._p and self._pages is not None:
            self._p.update(self._pages, advance=1, detail=detail)

    def articles(self, counts: dict) -> None:
        if self._p:
            self._p.add_task("articles", total=None, detail=(
                f"{counts['articles_new']} new, {counts['articles_updated']} updated, "
                f"{counts['articles_unchanged']} unchanged, {counts['articles_failed']} failed, "
                f"{counts['duplicates']} duplicates"))

    def close(self) -> None:
        if self._p:
            self._p.stop()


def _feed_row(spec: FeedSpec, old: dict | None, res: FetchResult, parsed: ParsedFeed | None,
              error: str | None, now: datetime) -> dict:
    old = old or {}
    row = {"feed_id": spec.feed_id, "url": spec.url, "name": spec.name, "outlet": spec.outlet, "lang": spec.lang,
           "country": spec.country, "kind": spec.kind, "homepage": spec.homepage,
           "etag": old.get("etag"), "last_modified": old.get("last_modified"), "last_fetched_at": now,
           "last_success_at": old.get("last_success_at"), "last_status": res.status,
           "last_error": None, "consecutive_failures": 0, "parse_warning": old.get("parse_warning"),
           "entries_seen": old.get("entries_seen") or 0, "last_elapsed_ms": res.elapsed_ms}
    if error:
        row["last_error"] = error
        row["consecutive_failures"] = (old.get("consecutive_failures") or 0) + 1
        return row
    row["last_success_at"] = now
    if not res.not_modified:
        row["etag"] = res.headers.get("etag")
        row["last_modified"] = res.headers.get("last-modified")
        row["parse_warning"] = parsed.warning if parsed else None
        row["entries_seen"] = len(parsed.entries) if parsed else 0
    return row


def _specs(settings: Settings, feeds) -> list[FeedSpec]:
    if feeds and all(isinstance(f, FeedSpec) for f in feeds):
        return list(feeds)
    return resolve_feeds(settings, [str(f) for f in feeds] if feeds else None)


@flow(name="ingest", validate_parameters=False)
def ingest(settings: Settings, feeds: list | None = None) -> dict:
    """Ingest the given feeds (URLs or FeedSpecs), or the registry profile `settings.profile`."""
    specs = _specs(settings, feeds)
    run_id = uuid.uuid4().hex[:16]
    counts = {"feeds": len(specs), "feeds_failed": 0, "not_modified": 0, "entries": 0, "pages_fetched": 0,
              "articles_new": 0, "articles_updated": 0, "articles_unchanged": 0, "articles_failed": 0,
              "duplicates": 0, "stories_new": 0, "rejected": 0}

    # 1. starting state, on a connection held for milliseconds
    con = connect(settings.db, lock_timeout=settings.lock_timeout)
    try:
        migrate(con)
        state = store.read_state(con)
        prefetch_for = extract_prefetch.planned(settings, con)     # an extractor version, inside run_all
    finally:
        con.close()

    progress = _Progress(len(specs))
    try:
        return _run(settings, specs, state, run_id, counts, progress, prefetch_for)
    finally:
        progress.close()


def _run(settings: Settings, specs: list[FeedSpec], state: store.KnownState, run_id: str, counts: dict,
         progress: _Progress, prefetch_for: str | None = None) -> dict:
    with ExitStack() as stack:
        proxy_hosts: dict[str, str] = {}
        hosts = sample_hosts()
        if settings.http.proxy is None and any(s.host in hosts for s in specs):
            server = stack.enter_context(SampleServer())
            proxy_hosts = {h: server.proxy_url for h in hosts}
        fetcher = stack.enter_context(Fetcher(settings.http, proxy_hosts=proxy_hosts, run_id=run_id))
        rejections: list[dict] = []

        def reject(spec: FeedSpec, stage: str, reason: str, entry=None) -> None:
            rejections.append(store.rejection_row(run_id, spec, stage, reason, entry))

        # 2. feeds, concurrently; a failing feed is recorded and never stops the others
        now = datetime.now(timezone.utc)
        feed_rows, feed_entries = [], []
        for outcome in fetch_feeds(settings, fetcher, quote(specs), quote(state.feeds), progress):
            spec, res, parsed, error = outcome.spec, outcome.result, outcome.parsed, outcome.error
            if res.ok and res.not_modified:
                counts["not_modified"] += 1
            if error:
                counts["feeds_failed"] += 1
                reject(spec, "feed", error)          # its items are unknown: the feed itself is recorded
            elif parsed is not None:
                feed_entries.append((spec, parsed.entries))
                counts["entries"] += len(parsed.entries)
                if parsed.warning:
                    reject(spec, "feed", f"malformed feed ({parsed.warning}); {len(parsed.entries)} entries "
                                         "recovered, items the parser could not read are not known")
            feed_rows.append(_feed_row(spec, state.feeds.get(spec.feed_id), res, parsed, error, now))

        # 3. which entries need their page; known articles are not fetched again
        plan = plan_entries(feed_entries, state.urls, settings.ingest.max_entries_per_feed)
        counts["articles_unchanged"] += plan.unchanged
        counts["duplicates"] += plan.duplicates
        counts["articles_failed"] += len(plan.no_link)
        for spec, entry in plan.no_link:
            logger.warning("%s: entry %r has no usable link; skipped", spec.url, entry.title)
            reject(spec, "entry", "no usable link (missing, or not an http(s) URL: "
                                  f"{(entry.link or '')[:200]!r})", entry)
        for spec, entry in plan.over_limit:
            reject(spec, "entry", f"beyond the newest {settings.ingest.max_entries_per_feed} entries taken from "
                                  "one feed per run (ingest.max_entries_per_feed)", entry)
        if plan.over_limit:
            logger.warning("%d entries beyond ingest.max_entries_per_feed were not taken", len(plan.over_limit))

        # 4. pages, concurrently (one task, a thread pool inside); nothing to do on an unchanged run
        cands = list(plan.candidates.values())
        progress.pages(len(cands))
        expect_articles(len(cands))     # inside run_all: extraction workers load their models meanwhile
        pages, texts = fetch_pages(settings, fetcher, quote(cands), progress) if cands else ({}, {})
        counts["pages_fetched"] = len(cands)

    # 5. text, language, dedupe (CPU only; no connection open)
    drafts, failed, aliases = [], [], []
    if cands:
        drafts, failed = extract_text(quote(cands), quote(pages), quote(texts), settings.ingest.min_page_chars)
    for cand, why in failed:
        logger.warning("%s: no text stored (%s); it will be tried again next run", cand.canonical_link, why)
        for spec, entry in cand.entries:
            reject(spec, "text", f"no text stored: {why} (tried again next run)", entry)
    counts["articles_failed"] += len(failed)
    if drafts:
        drafts = detect_languages(quote(drafts))
        drafts, aliases, dup = dedupe(quote(drafts), quote(state))
        counts["duplicates"] += dup

    to_store, new = [], []
    for d in drafts:
        old_hash = state.article_hash.get(d.article_id)
        if old_hash is None:
            counts["articles_new"] += 1
            to_store.append(d)
            new.append(d)
        elif old_hash != d.content_hash:
            counts["articles_updated"] += 1
            to_store.append(d)
        else:
            counts["articles_unchanged"] += 1
    progress.articles(counts)
    if prefetch_for and to_store:   # the articles extraction will take, known now: the workers begin on them
        extract_prefetch.offer(settings, prefetch_for, ({"article_id": d.article_id, "text": d.text,
                                                         "lang": d.lang} for d in to_store))
    vectors = embed_stories(quote(new), settings.ingest.story_lead_chars) if new else {}

    # 6. URL rows: every URL or feed link that leads to an article, new variants of known ones included
    now = datetime.now(timezone.utc)
    url_rows = []
    for d in drafts:
        for url in sorted(d.urls):
            url_rows.append({"url": url, "article_id": d.article_id, "feed_id": d.feed_id,
                             "guid": d.guids[0] if d.guids else None, "first_seen_at": now, "last_seen_at": now})
    for url, aid, d in aliases:
        url_rows.append({"url": url, "article_id": aid, "feed_id": d.feed_id,
                         "guid": d.guids[0] if d.guids else None, "first_seen_at": now, "last_seen_at": now})
    for url, aid, spec, entry in plan.known_links:
        if url and url not in state.urls:
            url_rows.append({"url": url, "article_id": aid, "feed_id": spec.feed_id, "guid": entry.guid,
                             "first_seen_at": now, "last_seen_at": now})
    # first mapping wins within a run, as it does against stored rows
    seen, unique_urls = set(), []
    for row in url_rows:
        if row["url"] not in seen:
            seen.add(row["url"])
            unique_urls.append(row)

    # 7. load: the only step that holds the write connection
    counts["rejected"] = len(rejections)
    batch = store.LoadBatch(feeds=feed_rows, articles=to_store, urls=unique_urls, fetch_log=list(fetcher.log),
                            rejections=rejections)
    checkpoint(settings, "ingest.before_load")
    counts.update(load_batch(settings, quote(batch), quote(new), quote(vectors)))
    logger.info("ingest %s: %s", run_id, counts)
    return counts

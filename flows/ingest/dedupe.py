"""Which feed entries need a page fetch, and how fetched pages collapse into articles.

Pure functions over plain data: no network, no database. An entry is skipped when its canonical link (or
the raw link) already leads to a stored article and the feed does not say it was updated since; entries of
several feeds (or several GUIDs) with one canonical link become one candidate, fetched once; after the
pages are read, a rel=canonical shared by two candidates or identical text under two URLs makes one
article with several URLs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flows.ingest.canonical import canonicalize
from flows.ingest.parse import Entry
from flows.ingest.registry import FeedSpec

logger = logging.getLogger(__name__)

MIN_CHARS_FOR_CONTENT_MATCH = 200      # shorter texts (titles, teasers) are not proof of identical content


@dataclass
class KnownUrl:
    article_id: str
    fetched_at: datetime | None


@dataclass
class Candidate:
    """One page to fetch (or one entry with no page) and every feed entry that points at it."""
    canonical_link: str
    entries: list[tuple[FeedSpec, Entry]] = field(default_factory=list)
    links: set[str] = field(default_factory=set)          # raw links as they appeared in feeds
    refetch_of: str | None = None                          # article id when a known article is refreshed

    @property
    def primary(self) -> tuple[FeedSpec, Entry]:
        """The entry that owns the page: from the publisher whose site hosts it (not a cross-listing), with
        the clean link (no tracking parameters, no AMP variant); else the first."""
        host = (urlsplit(self.canonical_link).hostname or "").removeprefix("www.")

        def score(item: tuple[FeedSpec, Entry]) -> tuple[bool, bool]:
            spec, entry = item
            own_site = bool(spec.homepage) and \
                (urlsplit(spec.homepage).hostname or "").removeprefix("www.") == host
            return own_site, entry.link == self.canonical_link

        return max(self.entries, key=score)    # max keeps the first of equals

    @property
    def guids(self) -> list[str]:
        return [e.guid for _, e in self.entries if e.guid]


@dataclass
class Plan:
    candidates: dict[str, Candidate] = field(default_factory=dict)
    known_links: list[tuple[str, str, FeedSpec, Entry]] = field(default_factory=list)  # (url, article_id, …)
    entries: int = 0
    unchanged: int = 0
    duplicates: int = 0
    no_link: list[tuple[FeedSpec, Entry]] = field(default_factory=list)
    over_limit: list[tuple[FeedSpec, Entry]] = field(default_factory=list)   # beyond max_per_feed: not taken


def plan_entries(feed_entries: list[tuple[FeedSpec, list[Entry]]], known: dict[str, KnownUrl],
                 max_per_feed: int) -> Plan:
    plan = Plan()
    for spec, entries in feed_entries:
        plan.over_limit += [(spec, e) for e in entries[max_per_feed:]]
        for entry in entries[:max_per_feed]:
            plan.entries += 1
            canon = canonicalize(entry.link) if entry.link else None
            if not canon:
                plan.no_link.append((spec, entry))
                continue
            hit = known.get(canon) or known.get(entry.link)
            if hit is not None:
                refreshed = entry.updated is not None and hit.fetched_at is not None \
                    and entry.updated > hit.fetched_at
                if not refreshed:
                    plan.unchanged += 1
                    plan.known_links.append((entry.link, hit.article_id, spec, entry))
                    plan.known_links.append((canon, hit.article_id, spec, entry))
                    continue
            cand = plan.candidates.get(canon)
            if cand is None:
                cand = plan.candidates[canon] = Candidate(canonical_link=canon,
                                                          refetch_of=hit.article_id if hit else None)
            else:
                plan.duplicates += 1          # the same page again: another feed, GUID or tracking variant
            cand.entries.append((spec, entry))
            cand.links.add(entry.link)
    return plan


@dataclass
class Draft:
    """An article as built from a page (or the feed) before it is stored."""
    article_id: str
    url: str                                # canonical URL
    title: str
    published: datetime | None
    published_source: str | None
    lang: str
    text: str
    content_hash: str
    text_source: str
    raw_html: str | None
    feed_id: str
    outlet: str
    skip_reason: str | None
    fetched_at: datetime
    urls: set[str] = field(default_factory=set)     # every URL that leads here (links, canonical, final URL)
    guids: list[str] = field(default_factory=list)
    page_status: int | None = None
    page_error: str | None = None
    encoding: str | None = None
    story_id: str | None = None


def merge_drafts(drafts: list[Draft], known_hashes: dict[str, str]) -> tuple[list[Draft], list[tuple[str, str, Draft]], int]:
    """Collapse drafts that are one article: same article id (shared rel=canonical), or the same text
    (>= MIN_CHARS_FOR_CONTENT_MATCH chars) as another draft or a stored article under another URL.
    Returns (distinct drafts, [(url, article_id, draft)] URL aliases for stored articles, duplicates)."""
    by_id: dict[str, Draft] = {}
    by_hash: dict[str, str] = {}
    aliases: list[tuple[str, str, Draft]] = []
    duplicates = 0
    for d in drafts:
        content_match = len(d.text) >= MIN_CHARS_FOR_CONTENT_MATCH
        if d.article_id in by_id:
            by_id[d.article_id].urls |= d.urls
            by_id[d.article_id].guids += d.guids
            duplicates += 1
            continue
        if content_match and d.content_hash in by_hash:
            target = by_id[by_hash[d.content_hash]]
            target.urls |= d.urls | {d.url}
            target.guids += d.guids
            duplicates += 1
            logger.info("%s has the same text as %s; stored as one article with both URLs", d.url, target.url)
            continue
        stored = known_hashes.get(d.content_hash) if content_match else None
        if stored and stored != d.article_id:
            for url in d.urls | {d.url}:
                aliases.append((url, stored, d))
            duplicates += 1
            logger.info("%s has the same text as stored article %s; recorded as another URL of it", d.url, stored)
            continue
        by_id[d.article_id] = d
        if content_match:
            by_hash[d.content_hash] = d.article_id
    return list(by_id.values()), aliases, duplicates

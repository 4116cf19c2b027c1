"""Matches -> a digest: one entry per item (deduplicated across outlets), items grouped by story, every
source of the story listed, counts for the header. Pure: no database, no IO."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flows.digest.compile import Match

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    article_id: str
    title: str | None
    url: str | None
    outlet: str | None
    lang: str | None
    published: datetime | None


@dataclass
class Item:
    key: str
    match: Match                   # the evidence shown (the first source that reported it)
    rules: list[str]
    reported_by: list[Match]       # every (article, claim) that carried this item


@dataclass
class Story:
    key: str
    title: str
    items: list[Item]
    sources: list[Source]


@dataclass
class Digest:
    subscription: str
    generated_at: datetime
    since: datetime | None
    rules: list[str]
    stories: list[Story]
    report_link: str | None = None
    counts: dict = field(default_factory=dict)

    @property
    def item_keys(self) -> list[str]:
        return [i.key for s in self.stories for i in s.items]

    @property
    def empty(self) -> bool:
        return not self.stories


def build_digest(subscription: str, rules: list[str], matches: list[Match], sources: dict[str, list[Source]],
                 generated_at: datetime, since: datetime | None, report_link: str | None = None) -> Digest:
    """Group matches (already filtered to new items) into items and stories; `sources` lists every
    article of each story (story key -> sources), as the warehouse knows them."""
    items: dict[str, Item] = {}
    for m in sorted(matches, key=lambda m: (m.seen_at or generated_at, m.article_id, m.span)):
        item = items.get(m.item_key)
        if item is None:
            items[m.item_key] = Item(key=m.item_key, match=m, rules=[m.rule], reported_by=[m])
            continue
        if m.rule not in item.rules:
            item.rules.append(m.rule)
        if all(o.claim_id != m.claim_id for o in item.reported_by):
            item.reported_by.append(m)
    by_story: dict[str, list[Item]] = {}
    for item in items.values():
        by_story.setdefault(item.match.story_key, []).append(item)
    stories = []
    for key, its in by_story.items():
        srcs = sources.get(key) or _sources_from_matches(its)
        first = its[0].match
        stories.append(Story(key=key, title=first.story_title or first.title or "(untitled)", items=its,
                             sources=srcs))
    newest = {s.key: max((r.seen_at or generated_at) for i in s.items for r in i.reported_by) for s in stories}
    stories.sort(key=lambda s: (newest[s.key], s.key), reverse=True)
    outlets = {src.outlet or src.url for s in stories for src in s.sources}
    counts = {"items": len(items), "stories": len(stories), "sources": sum(len(s.sources) for s in stories),
              "outlets": len(outlets),
              "by_kind": _count(i.match.kind for i in items.values())}
    return Digest(subscription=subscription, generated_at=generated_at, since=since, rules=rules,
                  stories=stories, report_link=report_link, counts=counts)


def _sources_from_matches(items: list[Item]) -> list[Source]:
    seen: dict[str, Source] = {}
    for item in items:
        for m in item.reported_by:
            seen.setdefault(m.article_id, Source(m.article_id, m.title, m.url, m.outlet, m.lang, m.published))
    return list(seen.values())


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

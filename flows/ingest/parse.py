"""Feed bytes -> entries. feedparser does the parsing (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, encodings, relative
links); this module turns its output into plain `Entry` records with UTC dates, and says why a feed was
malformed. A malformed (bozo) feed keeps whatever entries were recovered."""
from __future__ import annotations

import calendar
import html
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")


class NotAFeed(ValueError):
    """The document parsed to nothing a feed reader could use."""


@dataclass
class Entry:
    link: str | None                 # absolute URL of the article page (as in the feed, not canonicalised)
    guid: str | None
    title: str
    published: datetime | None       # UTC; None when the feed gives no date for this entry
    updated: datetime | None
    summary_html: str = ""
    content_html: str = ""           # full content (content:encoded, atom:content) when the feed carries it
    lang: str | None = None


@dataclass
class ParsedFeed:
    title: str | None
    version: str                     # feedparser's name of the format, e.g. rss20, atom10
    entries: list[Entry] = field(default_factory=list)
    warning: str | None = None       # why the feed was malformed (bozo), when it was
    lang: str | None = None


def _utc(struct) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def plain(text: str | None) -> str:
    """Tags stripped, entities decoded, whitespace collapsed."""
    if not text:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _bozo_reason(exc: BaseException | None) -> str:
    if exc is None:
        return "malformed feed"
    name = type(exc).__name__
    msg = str(exc) or getattr(exc, "getMessage", lambda: "")()
    return f"{name}: {msg}".strip(": ")


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               content_language: str | None = None) -> ParsedFeed:
    """Parse feed bytes fetched from `url`. Raises NotAFeed when nothing feed-like could be recovered."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    if content_language:
        headers["content-language"] = content_language
    d = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    exc = d.get("bozo_exception")
    # A non-XML Content-Type (text/plain, none at all) is a server setting, not a malformed document.
    malformed = d.get("bozo") and not isinstance(exc, feedparser.NonXMLContentType)
    warning = _bozo_reason(exc) if malformed else None
    version = d.get("version") or ""
    if not version and not d.entries:
        raise NotAFeed(f"not a feed ({warning or 'no RSS or Atom elements found'})")
    feed_lang = (d.feed.get("language") or "").split("-")[0].lower() or None
    entries = []
    for e in d.entries:
        guid = e.get("id") or None
        link = e.get("link") or None
        if not link and guid and re.match(r"https?://", guid):
            link = guid                 # an RSS guid isPermaLink / an Atom id that is a URL
        if link:
            link = urljoin(url, link)   # belt and braces: feedparser resolves xml:base, not bare paths always
        content = ""
        if e.get("content"):
            content = max((c.get("value", "") for c in e.content), key=len, default="")
        entries.append(Entry(
            link=link, guid=guid, title=plain(e.get("title")),
            # an entry's only date (RSS 1.0 dc:date, Atom <updated> alone) is its publication date
            published=(_utc(e.get("published_parsed")) or _utc(e.get("created_parsed"))
                       or _utc(e.get("updated_parsed"))),
            updated=_utc(e.get("updated_parsed")),
            summary_html=e.get("summary", "") or "", content_html=content,
            lang=((e.get("language") or "").split("-")[0].lower() or feed_lang),
        ))
    if warning:
        logger.warning("%s is malformed (%s); kept %d recovered entries", url, warning, len(entries))
    return ParsedFeed(title=plain(d.feed.get("title")) or None, version=version, entries=entries,
                      warning=warning, lang=feed_lang)

"""Page bytes -> text: charset detection that survives wrong declarations, metadata the page states
explicitly (rel=canonical, publication time), and the main text via trafilatura, with a fallback to the
feed's own content or summary. Also re-derives text from stored raw HTML (`privnews reprocess`)."""
from __future__ import annotations

import codecs
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import lxml.html
import trafilatura
from trafilatura.utils import load_html

from flows.ingest.parse import plain

logger = logging.getLogger(__name__)

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# WHATWG: these labels mean windows-1252 in practice.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819",
              "iso_8859-1", "windows-1252", "cp1252", "x-cp1252"}

TEXT_SOURCES = ("page", "feed_content", "feed_summary")


@dataclass
class Decoded:
    text: str
    encoding: str
    declared: str | None       # what the server or page claimed, if anything
    note: str | None = None    # set when the declaration was wrong and overridden


def _norm_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.IGNORECASE)
    return m.group(1).strip("\"'") if m else None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes. Valid UTF-8 with non-ASCII characters is UTF-8 whatever the page or server claims
    (a Latin-1 default on a UTF-8 site is the commonest mislabel); otherwise the declaration (header, then
    <meta>) is used when it decodes cleanly, then windows-1252, which never fails."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(enc, errors="replace"), enc, enc)
    declared_raw = header_charset(content_type)
    if not declared_raw:
        m = _CHARSET_RE.search(body[:4096])
        declared_raw = m.group(1).decode("ascii", "ignore") if m else None
    declared = _norm_charset(declared_raw)
    try:
        text = body.decode("utf-8")
        if declared not in (None, "utf-8") and not body.isascii():
            return Decoded(text, "utf-8", declared_raw,
                           note=f"declared {declared_raw} but the bytes are UTF-8; decoded as UTF-8")
        return Decoded(text, "utf-8", declared_raw)
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return Decoded(body.decode(declared), declared, declared_raw)
        except (UnicodeDecodeError, LookupError):
            pass
    note = (f"declared {declared_raw} but the bytes do not decode as that; decoded as windows-1252"
            if declared_raw else None)
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252", declared_raw, note=note)


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)   # a page that states no zone: read as UTC, not guessed
    return dt.astimezone(timezone.utc)


@dataclass
class PageMeta:
    canonical: str | None
    published: datetime | None
    title: str | None
    lang: str | None


def parse_page(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, parsed once for both `page_metadata` and `extract_main_text` (trafilatura's own
    parser settings, so its extraction is the same as from the string); None when it is not HTML."""
    try:
        return load_html(html)
    except Exception as exc:  # lxml raises assorted errors on pathological input
        logger.warning("page could not be parsed: %s", exc)
        return None


def page_metadata(html: str | lxml.html.HtmlElement | None) -> PageMeta:
    """What the page says about itself explicitly. A date is taken only from markup meant to carry it
    (article:published_time, JSON-LD datePublished, <time datetime> in the <article>), never guessed.
    `html` is the page's text or its tree from `parse_page`."""
    if html is None:
        return PageMeta(None, None, None, None)
    if isinstance(html, lxml.html.HtmlElement):
        root = html
    else:
        try:
            root = lxml.html.fromstring(html)
        except (ValueError, lxml.etree.ParserError):
            return PageMeta(None, None, None, None)
    canonical = next(iter(root.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')), None)
    published = None
    for xp in ('//meta[@property="article:published_time"]/@content',
               '//meta[@property="og:published_time"]/@content',
               '//meta[@itemprop="datePublished"]/@content',
               '//*[@itemprop="datePublished"]/@datetime'):
        for v in root.xpath(xp):
            published = published or _parse_dt(v)
    if published is None:
        for block in root.xpath('//script[@type="application/ld+json"]/text()'):
            try:
                data = json.loads(block)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict) and item.get("datePublished"):
                    published = published or _parse_dt(str(item["datePublished"]))
    if published is None:
        published = next((d for d in map(_parse_dt, root.xpath("//article//time/@datetime")) if d), None)
    title = next(iter(root.xpath('//meta[@property="og:title"]/@content')), None) or \
        (root.findtext(".//title") or "").strip() or None
    lang = (root.get("lang") or "").split("-")[0].lower() or None
    return PageMeta(canonical, published, title, lang)


def extract_main_text(html: str | lxml.html.HtmlElement | None, url: str | None = None) -> str:
    """The article's main text, paragraphs separated by a blank line; "" when nothing was found. `html` is
    the page's text or its tree from `parse_page` (trafilatura works on a copy: the tree is unchanged)."""
    if html is None:
        return ""
    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False)
    except Exception as exc:  # trafilatura raises assorted lxml errors on pathological input
        logger.warning("text extraction failed for %s: %s", url, exc)
        return ""
    if not text:
        return ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return "\n\n".join(paragraphs)


def fragment_text(fragment_html: str) -> str:
    """Text of an HTML fragment from a feed (content:encoded, summary), paragraphs kept apart."""
    if not fragment_html:
        return ""
    spaced = re.sub(r"(?i)</p\s*>|<br\s*/?>|</div\s*>|</li\s*>|</h[1-6]\s*>", "\n", fragment_html)
    paragraphs = [plain(p) for p in spaced.split("\n")]
    return "\n\n".join(p for p in paragraphs if p)


def choose_text(page_text: str, content_html: str, summary_html: str, min_page_chars: int) -> tuple[str, str | None]:
    """(text, text_source): the page's text unless it is missing or shorter than `min_page_chars` and the
    feed has something longer; then the feed's full content; then its summary. text_source None = nothing."""
    feed_content = fragment_text(content_html)
    feed_summary = fragment_text(summary_html)
    if page_text and (len(page_text) >= min_page_chars or len(page_text) >= max(len(feed_content),
                                                                                len(feed_summary))):
        return page_text, "page"
    if feed_content and len(feed_content) >= len(feed_summary):
        return feed_content, "feed_content"
    if feed_summary:
        return feed_summary, "feed_summary"
    if page_text:
        return page_text, "page"
    return "", None


def rederive_text(raw_html: str | None, text_source: str | None, url: str | None = None) -> str:
    """Re-extract an article's text from what was stored (no network): the page for text_source 'page',
    the feed fragment otherwise. For `privnews reprocess`, e.g. after an extractor update."""
    if not raw_html:
        return ""
    if text_source == "page":
        return extract_main_text(raw_html, url)
    return fragment_text(raw_html)

"""Render the corpus into the bundled sample sites: HTML article pages and one feed per outlet.

Run from the repository root::

    python -m models.corpus.build_sample

Writes ``flows/sample/sites/<host><path>.html`` for every source article (with realistic page clutter
around the ``<article>``), ``flows/sample/sites/<host><feed_path>`` for every outlet (RSS 2.0 or Atom 1.0,
summaries only: the pipeline has to fetch the page for the full text), ``flows/sample/manifest.json`` and
``flows/sample/README.md``. Output is byte-identical on every run. Stdlib only.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape, quoteattr

from models.corpus.compile import LANGS, SRC_DIR, load_outlets

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE_DIR = REPO / "flows" / "sample"
SITES_DIR = SAMPLE_DIR / "sites"
# privacywire's RSS adds tracking parameters to item links (the page's canonical URL stays clean)
UTM = "utm_source=rss&utm_medium=feed"
TRACKED_OUTLETS = {"privacywire"}
# cross-listing: (article id, extra outlet) -> the article also appears in that outlet's feed
CROSS_LISTED = {("en-004", "dpdaily")}
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)

UI = {
    "nl": {"home": "Home", "news": "Nieuws", "fines": "Boetes", "courts": "Rechtspraak", "about": "Over ons",
           "cookie": "Wij gebruiken cookies om onze site te verbeteren en advertenties te tonen.",
           "accept": "Alles accepteren", "refuse": "Weigeren", "share": "Delen", "related": "Gerelateerde artikelen",
           "newsletter": "Ontvang elke week het privacynieuws in je mailbox.", "subscribe": "Aanmelden",
           "comments": "reacties", "read_comments": "Lees de reacties", "by": "Door", "redactie": "de redactie",
           "rights": "Alle rechten voorbehouden.", "privacy": "Privacyverklaring", "contact": "Contact"},
    "en": {"home": "Home", "news": "News", "fines": "Fines", "courts": "Courts", "about": "About",
           "cookie": "We use cookies to improve our site and to show you relevant ads.",
           "accept": "Accept all", "refuse": "Reject", "share": "Share", "related": "Related articles",
           "newsletter": "Get the week's privacy news in your inbox.", "subscribe": "Subscribe",
           "comments": "comments", "read_comments": "Read the comments", "by": "By", "redactie": "staff reporter",
           "rights": "All rights reserved.", "privacy": "Privacy policy", "contact": "Contact"},
}


def load_articles() -> list[dict]:
    docs = []
    for lang in LANGS:
        for p in sorted((SRC_DIR / lang).glob("*.json")):
            docs.append(json.loads(p.read_text(encoding="utf-8")))
    docs.sort(key=lambda d: d["id"])
    return docs


def page_path(url: str) -> Path:
    u = urlsplit(url)
    return Path(u.netloc + u.path + ".html")


def _published(doc: dict) -> datetime | None:
    return datetime.fromisoformat(doc["published"]) if doc.get("published") else None


def render_page(doc: dict, outlet: dict, related: list[dict]) -> str:
    t = UI[doc["lang"]]
    e = escape
    pub = _published(doc)
    n_comments = sum(ord(ch) for ch in doc["id"]) % 40 + 3  # deterministic clutter
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{e(doc["lang"])}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc['title'])} | {e(outlet['display_name'])}</title>",
        f'<link rel="canonical" href="{e(doc["url"])}">',
        f'<meta property="og:title" content="{e(doc["title"])}">',
        f'<meta property="og:url" content="{e(doc["url"])}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{e(outlet["display_name"])}">',
        f'<meta name="description" content="{e(doc["summary"])}">',
    ]
    if pub:
        head.append(f'<meta property="article:published_time" content="{e(pub.isoformat())}">')
    head += [
        f'<link rel="alternate" type="application/{"rss" if outlet["feed_format"] == "rss2" else "atom"}+xml" '
        f'href="{e(outlet["homepage"] + outlet["feed_path"])}">',
        '<link rel="stylesheet" href="/static/site.css">',
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-EXAMPLE123');</script>",
        "</head>",
    ]
    home = outlet["homepage"]
    body = [
        "<body>",
        '<div id="cookie-banner" class="cookie-consent" role="dialog">',
        f"<p>{e(t['cookie'])}</p>",
        f'<button class="accept">{e(t["accept"])}</button> <button class="reject">{e(t["refuse"])}</button>',
        "</div>",
        '<header class="site-header">',
        f'<a class="logo" href="{e(home)}/">{e(outlet["display_name"])}</a>',
        '<nav class="main-nav"><ul>',
        f'<li><a href="{e(home)}/">{e(t["home"])}</a></li>',
        f'<li><a href="{e(home)}/news">{e(t["news"])}</a></li>',
        f'<li><a href="{e(home)}/fines">{e(t["fines"])}</a></li>',
        f'<li><a href="{e(home)}/courts">{e(t["courts"])}</a></li>',
        f'<li><a href="{e(home)}/about">{e(t["about"])}</a></li>',
        "</ul></nav>",
        "</header>",
        '<main class="content">',
        "<article>",
        f"<h1>{e(doc['title'])}</h1>",
        f'<p class="byline">{e(t["by"])} {e(t["redactie"])}'
        + (f' · <time datetime="{e(pub.isoformat())}">{e(pub.strftime("%d-%m-%Y %H:%M"))}</time>' if pub else "")
        + "</p>",
        '<div class="share-buttons">'
        f'<span>{e(t["share"])}:</span> <a href="https://x.example/share">X</a> '
        '<a href="https://linkedin.example/share">LinkedIn</a> <a href="mailto:?subject=">E-mail</a></div>',
        '<div class="article-body">',
    ]
    for para in doc["text"].split("\n\n"):
        body.append(f"<p>{e(para, quote=False)}</p>")
    body += [
        "</div>",
        "</article>",
        '<section class="comments-teaser">',
        f'<a href="{e(doc["url"])}#comments">{n_comments} {e(t["comments"])} · {e(t["read_comments"])}</a>',
        "</section>",
        '<aside class="related">',
        f"<h2>{e(t['related'])}</h2>",
        "<ul>",
    ]
    for r in related:
        body.append(f'<li><a href="{e(r["url"])}">{e(r["title"])}</a></li>')
    body += [
        "</ul>",
        "</aside>",
        '<form class="newsletter-signup" action="/newsletter" method="post">',
        f"<p>{e(t['newsletter'])}</p>",
        '<input type="email" name="email" placeholder="you@example.org">',
        f'<button type="submit">{e(t["subscribe"])}</button>',
        "</form>",
        "</main>",
        '<footer class="site-footer">',
        f'<p>© {e(outlet["display_name"])}. {e(t["rights"])} '
        f'<a href="{e(home)}/privacy">{e(t["privacy"])}</a> · <a href="{e(home)}/contact">{e(t["contact"])}</a></p>',
        "</footer>",
        "<script>document.querySelector('#cookie-banner .accept').addEventListener('click',function(){"
        "document.getElementById('cookie-banner').remove();});</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


def _sort_newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda d: (_published(d) or EPOCH, d["id"]), reverse=True)


def render_rss(outlet: dict, items: list[tuple[dict, str]]) -> str:
    x = xml_escape
    feed_url = outlet["homepage"] + outlet["feed_path"]
    dates = [_published(d) for d, _ in items if d.get("published")]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{x(outlet['display_name'])}</title>",
        f"<link>{x(outlet['homepage'])}/</link>",
        f"<description>{x(outlet['display_name'])} – privacy news</description>",
        f"<language>{x(outlet['lang'])}</language>",
        f"<atom:link href={quoteattr(feed_url)} rel=\"self\" type=\"application/rss+xml\"/>",
    ]
    if dates:
        lines.append(f"<lastBuildDate>{format_datetime(max(dates))}</lastBuildDate>")
    for doc, guid in items:
        link = doc["url"]
        if outlet["name"] in TRACKED_OUTLETS:
            link = f"{link}?{UTM}"
        lines += ["<item>", f"<title>{x(doc['title'])}</title>", f"<link>{x(link)}</link>",
                  f'<guid isPermaLink="false">{x(guid)}</guid>']
        if doc.get("published"):
            lines.append(f"<pubDate>{format_datetime(_published(doc))}</pubDate>")
        lines += [f"<description>{x(doc['summary'])}</description>", "</item>"]
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def render_atom(outlet: dict, items: list[tuple[dict, str]]) -> str:
    x = xml_escape
    feed_url = outlet["homepage"] + outlet["feed_path"]
    dates = [_published(d) for d, _ in items if d.get("published")]
    updated = max(dates).isoformat() if dates else EPOCH.isoformat()
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(outlet["lang"])}>',
        f"<title>{x(outlet['display_name'])}</title>",
        f"<id>{x(outlet['homepage'])}/</id>",
        f'<link rel="alternate" href={quoteattr(outlet["homepage"] + "/")}/>',
        f'<link rel="self" href={quoteattr(feed_url)}/>',
        f"<updated>{updated}</updated>",
        f"<author><name>{x(outlet['display_name'])}</name></author>",
    ]
    for doc, guid in items:
        lines += ["<entry>", f"<title>{x(doc['title'])}</title>",
                  f'<link rel="alternate" href={quoteattr(doc["url"])}/>', f"<id>{x(guid)}</id>"]
        if doc.get("published"):
            lines.append(f"<updated>{_published(doc).isoformat()}</updated>")
            lines.append(f"<published>{_published(doc).isoformat()}</published>")
        lines += [f"<summary>{x(doc['summary'])}</summary>", "</entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


README = """# Sample sites (generated — do not edit by hand)

These files are generated from the annotated corpus (`models/corpus/src/`) and the outlet list
(`models/corpus/outlets.toml`) by `python -m models.corpus.build_sample`. Edit the sources and rerun.

They stand in for four fictitious news sites (`*.example` hosts) so that the ingest flow can run offline:

- `sites/<host>/<feed_path>`: each outlet's feed (RSS 2.0 or Atom 1.0). Items carry title, link, guid/id,
  date (absent when the article has no publication date) and a short summary only, so the full text must be
  fetched from the article page. privacywire's RSS adds `utm_*` tracking parameters to item links; one
  article is listed in two feeds with different guids (cross-listing/dedupe test).
- `sites/<host>/<path>.html`: one page per article, as served at its canonical URL. The `<article>` holds the
  title, byline, date and paragraphs; around it is the usual clutter (cookie banner, navigation, share buttons,
  related articles, newsletter signup, comments teaser, footer, inline scripts) that full-text extraction must
  drop. `<link rel="canonical">` always carries the clean URL.
- `manifest.json`: the feeds (outlet, url, lang, format) and hosts, for the sample server and feed registry.

Some articles are syndicated copies of others (same story, another outlet, lightly edited) for dedupe.
"""


def build(out_dir: Path = SAMPLE_DIR) -> dict:
    outlets = load_outlets()
    docs = load_articles()
    sites = out_dir / "sites"
    if sites.exists():
        shutil.rmtree(sites)
    by_outlet: dict[str, list[dict]] = {k: [] for k in outlets}
    for d in docs:
        by_outlet[d["outlet"]].append(d)
    # pages
    for d in docs:
        outlet = outlets[d["outlet"]]
        siblings = [r for r in _sort_newest_first(by_outlet[d["outlet"]]) if r["id"] != d["id"]][:3]
        p = sites / page_path(d["url"])
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(render_page(d, outlet, siblings), encoding="utf-8", newline="\n")
    # feeds
    manifest = {"feeds": [], "hosts": []}
    by_id = {d["id"]: d for d in docs}
    for key in sorted(outlets):
        outlet = outlets[key]
        items = [(d, d["url"]) for d in by_outlet[key]]
        for art_id, extra in sorted(CROSS_LISTED):
            if extra == key and art_id in by_id:
                d = by_id[art_id]
                items.append((d, f"{outlet['homepage']}/syndication/{art_id}"))
        items.sort(key=lambda it: (_published(it[0]) or EPOCH, it[0]["id"]), reverse=True)
        render = render_rss if outlet["feed_format"] == "rss2" else render_atom
        fp = sites / (urlsplit(outlet["homepage"]).netloc + outlet["feed_path"])
        fp.parent.mkdir(parents=True, exist_ok=True)
        fp.write_text(render(outlet, items), encoding="utf-8", newline="\n")
        manifest["feeds"].append({"outlet": key, "url": outlet["homepage"] + outlet["feed_path"],
                                  "lang": outlet["lang"], "format": outlet["feed_format"]})
        manifest["hosts"].append(urlsplit(outlet["homepage"]).netloc)
    manifest["hosts"].sort()
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8", newline="\n")
    (out_dir / "README.md").write_text(README, encoding="utf-8", newline="\n")
    return {"pages": len(docs), "feeds": len(manifest["feeds"])}


def main() -> int:
    stats = build()
    print(f"wrote {stats['pages']} pages and {stats['feeds']} feeds under {SAMPLE_DIR.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

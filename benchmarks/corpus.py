"""A realistic benchmark corpus of N articles, varied from the development corpus, served on 127.0.0.1.

Each generated article starts from one of the annotated source articles (``models/corpus/src/{nl,en}``)
and is varied so that N articles are N different texts: companies and people get other names (every
surface form of an actor is renamed consistently: "Clearview AI" and "Clearview" both become, say,
"Norvale AI" and "Norvale"), numbers get other digits (years and article numbers are kept), and the
publication dates, URLs and outlets differ. Regulators, courts and NGOs keep their names: the same
authorities recur in real news. About 3 % of the articles are German or French notices (stored and
skipped by extraction, as in real feeds), and the outlets mix languages a little.

The articles are rendered with the sample-site renderer (``models.corpus.build_sample``: pages with
cookie banners, navigation, related links, footers; RSS 2.0 and Atom feeds carrying summaries only) into
a directory that :class:`LocalSites` serves over HTTP on 127.0.0.1. Generation is deterministic for a
given (n, seed, base URL).
"""
from __future__ import annotations

import json
import logging
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from models.corpus.build_sample import load_articles, render_atom, render_page, render_rss

logger = logging.getLogger(__name__)

ARTICLES_PER_FEED = 30          # a typical news feed lists its latest 20-50 items
OTHER_LANGUAGE_SHARE = 0.03     # German/French items in the feeds (stored, not extracted)
CROSS_LANGUAGE_SHARE = 0.10     # an English outlet carrying a Dutch story now and then, and vice versa

# Name parts for renamed companies and people (invented; any resemblance is chance).
COMPANY_STEMS = [
    "Norvale", "Quintra", "Veltrix", "Brightlane", "Optera", "Kallisto", "Meridex", "Tavora", "Zenlo",
    "Corvana", "Lumeris", "Pexwell", "Strato", "Dynara", "Fennick", "Holmwood", "Ivantis", "Jorvik",
    "Kestrel", "Larkspur", "Marlowe", "Nimbra", "Orbis", "Pallas", "Ravelin", "Solvik", "Trelane",
    "Umbrio", "Vantor", "Wexley", "Yarrow", "Zephyra", "Aldera", "Bravik", "Cindra", "Delvo", "Eskari",
]
FIRST_NAMES = [
    "Anouk", "Bram", "Carla", "Daan", "Eva", "Floor", "Gijs", "Hanna", "Ivo", "Jasmijn", "Koen", "Lotte",
    "Maarten", "Noor", "Olivia", "Pieter", "Roos", "Sander", "Tessa", "Wouter", "Amelia", "Callum",
    "Declan", "Fiona", "Graham", "Helen", "Imogen", "Kieran", "Laura", "Niamh", "Owen", "Rachel",
]
LAST_NAMES = [
    "Bakker", "de Wit", "Hendriks", "Jansen", "Kuipers", "Mulder", "Peeters", "Smit", "van Dijk", "Visser",
    "Willems", "Brennan", "Carver", "Doherty", "Ellison", "Fletcher", "Gallagher", "Hartley", "Kennedy",
    "Lawson", "Morrison", "Nolan", "O'Brien", "Prescott", "Quinn", "Redmond", "Sheridan", "Thornton",
]
# Tokens that are not part of the distinctive name and stay as they are.
KEEP_TOKENS = {"AI", "BV", "B.V.", "NV", "N.V.", "Inc", "Inc.", "Ltd", "Ltd.", "Group", "Holding", "Platforms",
               "Technologies", "Bank", "Health", "Labs", "Media", "the", "The", "de", "De", "van", "der", "&",
               "and", "en", "of"}

# Short notices in other languages, written for this benchmark.
OTHER_LANGUAGE_TEXTS = [
    ("de", "Datenschutzbehörde prüft Beschwerde gegen {company}",
     "Die Landesdatenschutzbehörde hat ein Verfahren gegen {company} eingeleitet. Nach Angaben der Behörde "
     "geht es um die Weitergabe von Kundendaten an Werbepartner ohne wirksame Einwilligung.\n\n"
     "Das Unternehmen erklärte, es arbeite mit der Aufsicht zusammen und halte sich an die geltenden Regeln. "
     "Eine Entscheidung wird in den kommenden Monaten erwartet; bis dahin äußert sich die Behörde nicht "
     "weiter zu dem Fall."),
    ("fr", "La CNIL met en demeure {company}",
     "La Commission nationale de l'informatique et des libertés a mis en demeure la société {company} de "
     "mettre fin à la collecte de données de localisation sans le consentement des utilisateurs.\n\n"
     "L'entreprise dispose de trois mois pour se mettre en conformité. Faute de quoi, la commission pourra "
     "engager une procédure de sanction, a précisé un porte-parole."),
]

_YEAR = re.compile(r"^(19|20)\d\d$")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)((?:[.,]\d+)?)(?![\w])")
_ARTICLE_BEFORE = re.compile(r"(?:Article|Articles|Art\.|artikel|artikelen|Section|§)\s*$", re.IGNORECASE)


@dataclass
class Outlet:
    name: str
    display_name: str
    homepage: str
    lang: str
    feed_format: str      # "rss2" | "atom"
    feed_path: str

    def as_dict(self) -> dict:
        return {"name": self.name, "display_name": self.display_name, "homepage": self.homepage,
                "lang": self.lang, "feed_format": self.feed_format, "feed_path": self.feed_path}

    @property
    def feed_url(self) -> str:
        return self.homepage + self.feed_path


@dataclass
class Corpus:
    root: Path
    base_url: str
    outlets: list[Outlet]
    articles: list[dict] = field(default_factory=list)   # {"id","lang","url","title","text","outlet",...}
    published: int = 0           # the first `published` articles are in the feeds; the rest come later

    @property
    def feed_urls(self) -> list[str]:
        return [o.feed_url for o in self.outlets]

    def words(self, lang: str | None = None) -> int:
        return sum(len(a["text"].split()) for a in self.articles[:self.published] if lang is None or a["lang"] == lang)


def _rename_map(actors: list[dict], rng: random.Random) -> dict[str, str]:
    """Surface form -> new surface form for the companies and people of one article."""
    mapping: dict[str, str] = {}
    for actor in actors:
        if actor["type"] not in ("company", "person"):
            continue
        token_map: dict[str, str] = {}
        tokens = actor["name"].split()
        if actor["type"] == "person":
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if len(tokens) >= 2:
                token_map[tokens[0]] = first
                token_map[" ".join(tokens[1:])] = last
            else:
                token_map[tokens[0]] = last
        else:
            for tok in tokens:
                if tok not in KEEP_TOKENS and tok not in token_map:
                    token_map[tok] = rng.choice(COMPANY_STEMS)
        for mention in sorted(set(actor["mentions"]) | {actor["name"]}, key=len, reverse=True):
            new = mention
            for old_tok in sorted(token_map, key=len, reverse=True):
                new = re.sub(rf"(?<!\w){re.escape(old_tok)}(?!\w)", token_map[old_tok], new)
            if new != mention:
                mapping[mention] = new
    return mapping


def _apply_names(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(k)}(?!\w)" for k in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def _vary_numbers(text: str, rng: random.Random, memo: dict[str, str]) -> str:
    """Give every number other digits of the same shape, the same number the same new digits (`memo`,
    shared by an article's title, summary and text); years and article numbers stay."""
    def repl(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        if (_YEAR.match(whole) and not frac) or _ARTICLE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            return m.group(0)
        if whole in memo:
            return memo[whole] + frac
        out = []
        for i, ch in enumerate(whole):
            if ch.isdigit():
                out.append(str(rng.randint(1 if i == 0 else 0, 9)))
            else:
                out.append(ch)
        memo[whole] = "".join(out)
        return memo[whole] + frac
    return _NUMBER.sub(repl, text)


def _slug(title: str, n: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:7]
    return "-".join(words) + f"-{n}"


def make_outlets(n_articles: int, base_url: str) -> list[Outlet]:
    n = max(4, -(-n_articles // ARTICLES_PER_FEED))
    outlets = []
    for i in range(n):
        lang = "nl" if i % 2 == 0 else "en"
        name = f"{'nieuws' if lang == 'nl' else 'news'}{i:03d}"
        fmt = "rss2" if (i // 2) % 2 == 0 else "atom"
        outlets.append(Outlet(name=name, display_name=f"{'Privacynieuws' if lang == 'nl' else 'Privacy News'} {i}",
                              homepage=f"{base_url}/{name}", lang=lang, feed_format=fmt,
                              feed_path="/feed.xml" if fmt == "rss2" else "/atom.xml"))
    return outlets


def generate(n: int, root: Path, base_url: str, seed: int = 7, extra: int = 0) -> Corpus:
    """Write N varied articles as pages and feeds under `root`, for serving at `base_url`. `extra` more
    articles are generated but not yet published (`publish` adds them to the feeds later, as new items).
    The same arguments give the same corpus."""
    rng = random.Random(seed)
    total = n + extra
    sources = {lang: [d for d in load_articles() if d["lang"] == lang and not d.get("syndicated_from")]
               for lang in ("nl", "en")}
    outlets = make_outlets(total, base_url)
    by_lang = {lang: [o for o in outlets if o.lang == lang] for lang in ("nl", "en")}
    corpus = Corpus(root=root, base_url=base_url, outlets=outlets)
    start = datetime(2025, 1, 1, 8, 0, tzinfo=timezone.utc)
    for i in range(total):
        published = start + timedelta(minutes=97 * i + rng.randint(0, 60))
        if rng.random() < OTHER_LANGUAGE_SHARE:
            lang, title, text = rng.choice(OTHER_LANGUAGE_TEXTS)
            company = f"{rng.choice(COMPANY_STEMS)} {rng.choice(['GmbH', 'SAS', 'AG'])}"
            title, text = title.format(company=company), text.format(company=company)
            summary = text.split("\n\n")[0][:200]
            outlet = rng.choice(outlets)
        else:
            lang = "nl" if i % 2 == 0 else "en"
            src = sources[lang][(i // 2) % len(sources[lang])]
            names = _rename_map(src["gold"]["actors"], rng)
            memo: dict[str, str] = {}
            title = _vary_numbers(_apply_names(src["title"], names), rng, memo)
            text = _vary_numbers(_apply_names(src["text"], names), rng, memo)
            summary = _vary_numbers(_apply_names(src["summary"], names), rng, memo)
            other = "en" if lang == "nl" else "nl"
            outlet = rng.choice(by_lang[other] if rng.random() < CROSS_LANGUAGE_SHARE else by_lang[lang])
        url = f"{outlet.homepage}/{published:%Y/%m}/{_slug(title, i)}"
        corpus.articles.append({"id": f"bench-{i:06d}", "lang": lang, "outlet": outlet.name, "url": url,
                                "title": title, "summary": summary, "text": text,
                                "published": published.isoformat()})
    publish(corpus, n)
    return corpus


def publish(corpus: Corpus, k: int) -> None:
    """(Re)write pages and feeds so that the first `k` generated articles are online."""
    corpus.published = k
    root = corpus.root
    by_outlet: dict[str, list[dict]] = {o.name: [] for o in corpus.outlets}
    for a in corpus.articles[:k]:
        by_outlet[a["outlet"]].append(a)
    for outlet in corpus.outlets:
        items = sorted(by_outlet[outlet.name], key=lambda a: a["published"], reverse=True)
        for k, a in enumerate(items):
            path = root / (urlsplit(a["url"]).path.lstrip("/") + ".html")
            path.parent.mkdir(parents=True, exist_ok=True)
            related = items[max(0, k - 2):k] + items[k + 1:k + 2]
            # the page chrome (menus, cookie banner) is in the outlet's language, whatever the story's
            page_doc = a if a["lang"] in ("nl", "en") else {**a, "lang": outlet.lang}
            path.write_text(render_page(page_doc, outlet.as_dict(), related), encoding="utf-8")
        render = render_rss if outlet.feed_format == "rss2" else render_atom
        feed = root / (urlsplit(outlet.feed_url).path.lstrip("/"))
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_text(render(outlet.as_dict(), [(a, a["url"]) for a in items]), encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps(
        {"feeds": [{"outlet": o.name, "url": o.feed_url, "lang": o.lang, "format": o.feed_format}
                   for o in corpus.outlets], "articles": k}, indent=1), encoding="utf-8")


class _Handler(SimpleHTTPRequestHandler):
    """Serves <root>/<path> or <root>/<path>.html, with the right content types; logs nothing."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/xml",
                      ".html": "text/html; charset=utf-8"}

    def translate_path(self, path: str) -> str:
        local = super().translate_path(path)
        if not Path(local).is_file() and Path(local + ".html").is_file():
            return local + ".html"
        return local

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class LocalSites:
    """A threaded HTTP server on 127.0.0.1 (free port) serving a directory; a context manager."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.server = ThreadingHTTPServer((host, port), partial(_Handler, directory=str(root)))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="bench-sites", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "LocalSites":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def write_workdir(corpus: Corpus, workdir: Path, profile: str = "bench", seed: int = 7) -> None:
    """What the benchmark stages read: articles.jsonl (one generated article a line, with its page file),
    corpus.json (site root and feeds) and feeds.toml (a feed registry with one publisher per outlet)."""
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / "articles.jsonl", "w", encoding="utf-8") as fh:
        for a in corpus.articles[:corpus.published]:
            page = urlsplit(a["url"]).path.lstrip("/") + ".html"
            fh.write(json.dumps({**a, "page_path": page}, ensure_ascii=False) + "\n")
    (workdir / "corpus.json").write_text(json.dumps({
        "root": str(corpus.root), "base_url": corpus.base_url, "articles": corpus.published,
        "extra": len(corpus.articles) - corpus.published, "seed": seed,
        "feeds": [{"url": o.feed_url, "path": urlsplit(o.feed_url).path.lstrip("/"), "lang": o.lang,
                   "format": o.feed_format} for o in corpus.outlets]}, indent=1), encoding="utf-8")
    lines = [f"# Benchmark feeds served on {corpus.base_url} (generated by benchmarks.corpus)\n"]
    for o in corpus.outlets:
        lines.append(f"[publishers.{o.name}]\nname = {json.dumps(o.display_name)}\n"
                     f"homepage = {json.dumps(o.homepage)}\nfeeds = [{json.dumps(o.feed_url)}]\n"
                     f'lang = "{o.lang}"\ncountry = "{"NL" if o.lang == "nl" else "GB"}"\nkind = "news"\n'
                     f'profiles = ["{profile}"]\n')
    (workdir / "feeds.toml").write_text("\n".join(lines), encoding="utf-8")

"""Find and normalise legal citations ("artikel 6 lid 1 sub f AVG", "Art. 6(1)(f) GDPR", "de AVG").

Every citation normalises to "<law> Art. <n>(<paragraph>)(<point>)" ("GDPR Art. 6(1)(f)"), or to the law's
name alone ("GDPR") when no article is cited. Law names and citation words live in
models/patterns/articles.toml. Pure functions over plain strings; offsets are character offsets.
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

ARTICLES_FILE = Path(__file__).resolve().parent.parent / "models" / "patterns" / "articles.toml"
MAX_RANGE = 30  # "Articles 44 to 49" expands to each article; longer ranges keep their two ends only


@dataclass(frozen=True)
class Citation:
    """One citation in a text: a span, the law it names (or implies) and its normalised articles."""

    start: int
    end: int
    text: str
    law: str | None
    articles: tuple[str, ...]  # normalised, e.g. ("GDPR Art. 6(1)(f)",) or ("GDPR",) for the law alone
    law_only: bool = False


@dataclass(frozen=True)
class _Unit:
    number: str
    paragraph: str | None = None
    point: str | None = None


def _alt(forms: list[str]) -> str:
    return "|".join(sorted(forms, key=len, reverse=True))


class CitationFinder:
    """Compiled citation grammar for one pattern file."""

    def __init__(self, data: dict):
        self.data = data
        self.default_law: str = data.get("default_law", "GDPR")
        law_parts = []
        self._law_of: list[tuple[re.Pattern, str]] = []
        for law, forms in data.get("laws", {}).items():
            for form in forms:
                self._law_of.append((re.compile(rf"(?:{form})\Z", re.I), law))
                law_parts.append((form, re.I))
        for law, forms in data.get("case_sensitive", {}).items():
            for form in forms:
                self._law_of.append((re.compile(rf"(?:{form})\Z"), law))
                law_parts.append((form, 0))
        ci = _alt([f for f, flag in law_parts if flag])
        cs = _alt([f for f, flag in law_parts if not flag])
        law_alt = "|".join(x for x in (f"(?i:{ci})" if ci else "", cs) if x)
        self.law_re = re.compile(rf"(?<![\w])(?:{law_alt})(?![\w])")
        w = data.get("words", {})
        self.article_re = re.compile(rf"(?<![\w])(?:{_alt(w.get('article', ['article']))})(?![\w])", re.I)
        ordinals = data.get("ordinals", {})
        self.ordinals = {k.lower(): int(v) for k, v in ordinals.items()}
        ord_alt = _alt(list(self.ordinals)) or "first"
        par_alt = _alt(w.get("paragraph", ["paragraph"]))
        pt_alt = _alt(w.get("point", ["point"]))
        self.num_re = re.compile(r"\s*(\d{1,3}(?:\.\d{1,2})?[a-z]?)(?![\w])", re.I)
        self.bare_num_re = re.compile(r"(\d{1,3}(?:\.\d{1,2})?[a-z]?)(?![\w])", re.I)
        # suffixes after an article number, tried in turn
        self.par_paren = re.compile(r"\s?\((\d{1,2})\)")
        self.pt_paren = re.compile(r"\s?\(([a-z])\)(?![\w])", re.I)
        self.par_word = re.compile(rf",?\s*(?:{par_alt})\s*(\d{{1,2}})(?![\w])", re.I)
        self.par_ord = re.compile(rf",?\s*(?:het\s+|the\s+)?({ord_alt})\s+(?:lid|paragraph)(?![\w])", re.I)
        self.pt_word = re.compile(rf",?\s*(?:{pt_alt})\s*\(?([a-z])\)?(?![\w])", re.I)
        # numbered points ("artikel 4, onder 11": the definitions of Art. 4) read as Art. 4(11)
        self.pt_num = re.compile(rf",?\s*(?:{pt_alt}|punt)\s*\(?(\d{{1,2}})\)?(?![\w])", re.I)
        self.range_re = re.compile(rf"\s*(?:{_alt(w.get('range_join', ['to']))})\s*", re.I)
        self.list_re = re.compile(rf"\s*(?:{_alt(w.get('list_join', [',']))})\s*", re.I)
        self.link_re = re.compile(rf"\s*,?\s*(?:(?:{_alt(w.get('law_link', ['of']))})\s+)?(?:(?:de|het|the)\s+)?", re.I)
        self.points = data.get("legal_basis_points", {})

    # -- laws -------------------------------------------------------------------------------------
    def law_name(self, surface: str) -> str | None:
        s = surface.strip()
        for pat, law in self._law_of:
            if pat.match(s):
                return law
        return None

    def _law_at(self, text: str, pos: int) -> tuple[str, int] | None:
        m = self.law_re.match(text, pos)
        if m:
            law = self.law_name(m.group(0))
            if law:
                return law, m.end()
        return None

    # -- one article unit -----------------------------------------------------------------------------
    def _unit(self, text: str, pos: int) -> tuple[_Unit, int] | None:
        m = self.num_re.match(text, pos)
        if not m:
            return None
        number, pos = m.group(1).lower(), m.end()
        paragraph = point = None
        for _ in range(4):
            if paragraph is None and (m := self.par_paren.match(text, pos)):
                paragraph, pos = m.group(1), m.end()
                continue
            if paragraph is None and (m := self.par_word.match(text, pos)):
                paragraph, pos = m.group(1), m.end()
                continue
            if paragraph is None and (m := self.par_ord.match(text, pos)):
                paragraph, pos = str(self.ordinals[m.group(1).lower()]), m.end()
                continue
            if paragraph is None and point is None and (m := self.pt_num.match(text, pos)):
                paragraph, pos = m.group(1), m.end()
                continue
            if point is None and (m := self.pt_paren.match(text, pos)):
                point, pos = m.group(1).lower(), m.end()
                continue
            if point is None and (m := self.pt_word.match(text, pos)):
                point, pos = m.group(1).lower(), m.end()
                continue
            break
        return _Unit(number, paragraph, point), pos

    def _units(self, text: str, pos: int) -> tuple[list[_Unit], int] | None:
        first = self._unit(text, pos)
        if not first:
            return None
        units, pos = [first[0]], first[1]
        while True:
            m = self.range_re.match(text, pos)
            if m:
                nxt = self.num_re.match(text, m.end())
                if nxt and units[-1].number.isdigit() and nxt.group(1).isdigit():
                    lo, hi = int(units[-1].number), int(nxt.group(1))
                    if lo < hi:
                        if hi - lo <= MAX_RANGE:
                            units.extend(_Unit(str(n)) for n in range(lo + 1, hi + 1))
                        else:
                            units.append(_Unit(str(hi)))
                        pos = nxt.end()
                        continue
            m = self.list_re.match(text, pos)
            if m:
                p2 = m.end()
                art = self.article_re.match(text, p2)
                if art:
                    p2 = art.end()
                nxt = self._unit(text, p2)
                if nxt and (art or self._ends_article(text, nxt[1])):
                    units.append(nxt[0])
                    pos = nxt[1]
                    continue
                # "onder a en b": another point of the same article and paragraph
                pm = re.match(r"\(?([a-z])\)?(?![\w])", text[p2:p2 + 4], re.I)
                if pm and units[-1].point and not art:
                    units.append(_Unit(units[-1].number, units[-1].paragraph, pm.group(1).lower()))
                    pos = p2 + pm.end()
                    continue
            break
        return units, pos

    def _ends_article(self, text: str, pos: int) -> bool:
        """A bare number after "en"/"and"/"," is an article when what follows is not an ordinary word
        ("artikel 5 en 6 AVG" yes; "article 5 and 3 companies" no)."""
        nxt = re.match(r"\s+([^\W\d_]{3,})", text[pos:pos + 40])
        if not nxt:
            return True
        if self.list_re.match(text, pos) or self.range_re.match(text, pos):
            return True
        link = self.link_re.match(text, pos)
        return bool(link and self._law_at(text, link.end()))

    # -- whole text ---------------------------------------------------------------------------------
    def find(self, text: str, default_law: str | None = None) -> list[Citation]:
        """All citations and bare law mentions in `text`, in text order. Citations without a law take
        the law named right before them, else the nearest law mentioned in the text, else the
        default."""
        if not text:
            return []
        raw: list[tuple[int, int, str | None, list[_Unit] | None]] = []
        covered: list[tuple[int, int]] = []
        for m in self.article_re.finditer(text):
            got = self._units(text, m.end())
            if not got:
                continue
            units, end = got
            law = None
            link = self.link_re.match(text, end)
            at = self._law_at(text, link.end()) if link else None
            if at:
                law, end = at
            else:
                # law right before: "AVG-artikel 6", "GDPR Article 6", "the GDPR's Article 6"
                before = text[max(0, m.start() - 40): m.start()]
                bm = re.search(r"([\w.\- ]{2,38}?)(?:'s|’s|-|\s)\s*\Z", before)
                if bm:
                    law = self.law_name(bm.group(1).strip(" -"))
            raw.append((m.start(), end, law, units))
            covered.append((m.start(), end))
        for m in self.law_re.finditer(text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            law = self.law_name(m.group(0))
            if law:
                raw.append((m.start(), m.end(), law, None))
        raw.sort(key=lambda r: (r[0], r[1]))
        law_positions = [(s, law) for s, _e, law, u in raw if law]
        fallback = default_law or (_most_common([law for _s, law in law_positions]) or self.default_law)
        out = []
        for start, end, law, units in raw:
            if units is None:
                out.append(Citation(start, end, text[start:end], law, (law,), law_only=True))
                continue
            if law is None:
                law = _nearest_law(law_positions, start) or fallback
            arts = tuple(dict.fromkeys(_fmt(law, u) for u in units))
            out.append(Citation(start, end, text[start:end], law, arts))
        return out

    def normalise(self, citation: str, default_law: str | None = None) -> list[str]:
        """Normalised articles of one citation string; [] when it holds none."""
        found = self.find(citation, default_law)
        arts: list[str] = []
        for c in found:
            if c.law_only and any(not x.law_only for x in found):
                continue
            arts.extend(a for a in c.articles if a not in arts)
        return arts

    def basis_of(self, article: str) -> str | None:
        """The GDPR Art. 6(1) legal basis an article names: "GDPR Art. 6(1)(f)" -> legitimate_interest."""
        m = re.fullmatch(r"GDPR Art\. 6(?:\(1\))?\(([a-f])\)", article)
        return self.points.get(m.group(1)) if m else None


def _fmt(law: str, u: _Unit) -> str:
    s = f"{law} Art. {u.number}"
    if u.paragraph:
        s += f"({u.paragraph})"
    if u.point:
        s += f"({u.point})"
    return s


def _most_common(items: list[str]) -> str | None:
    if not items:
        return None
    counts: dict[str, int] = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    return max(counts, key=lambda k: counts[k])


def _nearest_law(law_positions: list[tuple[int, str]], pos: int) -> str | None:
    """The law named closest before `pos` (within 400 characters), else closest after (within 200)."""
    before = [(pos - s, law) for s, law in law_positions if s < pos and pos - s <= 400]
    if before:
        return min(before)[1]
    after = [(s - pos, law) for s, law in law_positions if s > pos and s - pos <= 200]
    return min(after)[1] if after else None


def load_data(path: Path | str = ARTICLES_FILE) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=4)
def default_finder(path: str = str(ARTICLES_FILE)) -> CitationFinder:
    return CitationFinder(load_data(path))


def find_citations(text: str, default_law: str | None = None) -> list[Citation]:
    return default_finder().find(text, default_law)


def normalise(citation: str, default_law: str | None = None) -> list[str]:
    """ "art. 6, eerste lid, onder f, AVG" -> ["GDPR Art. 6(1)(f)"]; "in strijd met de AVG" -> ["GDPR"]."""
    return default_finder().normalise(citation, default_law)


def basis_of(article: str) -> str | None:
    return default_finder().basis_of(article)

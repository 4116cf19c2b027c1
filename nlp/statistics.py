"""privnews_statistics: find the numbers a privacy-news article reports (fines, shares, counts).

Sets `doc._.statistics` to a list of contract dicts {"value","unit","comparator","text","start","end",
"measures","population","source"}. Hand-written, lexicon-driven parser over light tokens (nlp/numbers.py);
lexicons in models/patterns/statistics_*.toml. Never a statistic: dates and years, durations, ages,
article and case numbers, ordinals, phone numbers, times, version numbers, numbers in product names and
vague quantities ("tientallen", "dozens").
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from nlp.docinfo import doc_text, sentence_spans
from nlp.numbers import (Lexicon, NumberRead, PhraseTable, Tok, load_lexicon, parse_number_word, phrase_tokens,
                         read_number, tokenize)

logger = logging.getLogger(__name__)

if not Doc.has_extension("statistics"):
    Doc.set_extension("statistics", default=None)
if not Doc.has_extension("actors"):
    Doc.set_extension("actors", default=None)

MAX_VALUE = 1e15  # larger "numbers" are identifiers, not statistics
# denominators of "n op de N" / "n in N" shares; other numbers after "op"/"in" are more often scores ("7 op 9");
# with a numerator of one ("een op de twaalf", "one in fifteen") any denominator up to twenty is a share
_RATIO_BASES = frozenset({2, 3, 4, 5, 6, 7, 8, 10, 20, 25, 50, 100, 1000})
_ONE_IN_BASES = frozenset(range(2, 21)) | {30, 40}
CLAUSE_END = {".", ";", ":", "!", "?", "(", ")", "\"", "“", "”", "—"}


# words of a law's name: "15 of the regulation", "21 van de wet" number an article, not a count
_LAW_WORDS = frozenset({"regulation", "directive", "act", "law", "treaty", "charter", "convention", "code", "gdpr",
                        "verordening", "richtlijn", "wet", "avg", "uavg", "wetboek", "grondwet", "constitution"})


@dataclass
class Rules:
    """Compiled lexicon for one language."""

    lex: Lexicon
    comparators: PhraseTable
    fillers: set[str]
    fractions: PhraseTable
    fractions_require_of: set[tuple[str, ...]]
    ratio_connectors: PhraseTable
    percent_words: PhraseTable
    currency_words: PhraseTable
    currency_symbols: PhraseTable
    currency_codes: set[str]
    range_openers: PhraseTable
    range_joiners: PhraseTable
    neg_before: PhraseTable
    neg_after: PhraseTable
    months: set[str]
    vague: PhraseTable
    not_nouns: set[str]
    adjectives: set[str]
    survey_cues: set[str]
    source_cues: PhraseTable
    measure_units: set[str]
    ordinal_suffixes: set[str]
    percent_symbols: set[str]
    share_licensors: set[str]
    ordinal_nouns: set[str]
    alternative_words: set[str]
    partitive: PhraseTable
    partitive_pronoun: PhraseTable
    multiplier_after: set[str]
    elliptic_before: PhraseTable | None = None
    elliptic_article: set[str] = field(default_factory=set)
    range_joiner_words: set[str] = field(default_factory=set)
    compound_not_counted: set[str] = field(default_factory=set)
    clause_openers: set[str] = field(default_factory=set)
    age_comparators: set[str] = field(default_factory=set)
    elliptic_relative: set[str] = field(default_factory=set)
    of_words: set[str] = field(default_factory=set)
    # "@krone" -> {currency code -> country words}: currency words that several countries use
    currency_countries: dict[str, dict[str, re.Pattern]] = field(default_factory=dict)
    currency_defaults: dict[str, str] = field(default_factory=dict)  # "@dollar" -> USD where no country is named


def _words_regex(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.I)


@lru_cache(maxsize=None)
def load_rules(lang: str) -> Rules:
    lex = load_lexicon(lang)
    raw, common = lex.raw, lex.common
    comps: dict[str, str] = {}
    for key, sym in (("lt", "<"), ("gt", ">"), ("approx", "~")):
        for phrase in raw["comparators"][key]:
            comps[phrase] = sym
    return Rules(
        lex=lex,
        comparators=PhraseTable(comps),
        fillers=set(raw["comparators"].get("filler", [])),
        fractions=PhraseTable({k: float(v) for k, v in raw["fractions"].items()}),
        fractions_require_of={phrase_tokens(p) for p in raw.get("fractions_require_of", {}).get("words", [])},
        ratio_connectors=PhraseTable(raw["ratio"]["connectors"]),
        percent_words=PhraseTable(raw["percent"]["words"]),
        currency_words=PhraseTable(dict(raw["currency"])),
        currency_symbols=PhraseTable(dict(common["currency_symbols"])),
        currency_codes=set(common["currency_codes"]["codes"]),
        range_openers=PhraseTable(raw["ranges"]["openers"]),
        range_joiners=PhraseTable(raw["ranges"]["joiners"]),
        neg_before=PhraseTable(raw["negative"]["before"]),
        neg_after=PhraseTable(raw["negative"]["after"]),
        months=set(raw["negative"]["months"]),
        vague=PhraseTable(raw["negative"]["vague"]),
        not_nouns=set(raw["count"]["not_nouns"]),
        adjectives=set(raw["count"]["adjectives"]),
        survey_cues=set(raw["count"]["survey_cues"]),
        source_cues=PhraseTable(raw["source"]["before_actor"]),
        measure_units=set(common["measure_units"]["units"]),
        ordinal_suffixes=set(common["ordinal_suffixes"]["suffixes"]),
        percent_symbols=set(common["percent"]["symbols"]),
        share_licensors=set(raw["fractions_require_of"].get("licensors", [])),
        ordinal_nouns=set(raw["fractions_require_of"].get("ordinal_nouns", [])),
        alternative_words=set(raw["comparators"].get("alternative", [])),
        partitive=PhraseTable(raw["count"].get("partitive", [])),
        partitive_pronoun=PhraseTable(raw["count"].get("partitive_pronoun", [])),
        multiplier_after=set(raw["count"].get("multiplier_after", [])),
        elliptic_before=PhraseTable(raw["count"].get("elliptic_before", [])),
        elliptic_article=set(raw["count"].get("elliptic_article", [])),
        range_joiner_words={p for p in raw["ranges"]["joiners"] if " " not in p},
        compound_not_counted=set(raw["count"].get("compound_not_counted", [])),
        clause_openers=set(raw["count"].get("clause_openers", [])),
        age_comparators=set(raw["count"].get("age_comparators", [])),
        elliptic_relative=set(raw["count"].get("elliptic_relative", [])),
        of_words={"van", "of"},
        currency_countries={"@" + family: {code: _words_regex(words) for code, words in codes.items()}
                            for family, codes in common.get("currency_countries", {}).items()},
        currency_defaults={"@" + family: code for family, code in common.get("currency_defaults", {}).items()},
    )


@dataclass
class Quantity:
    value: float
    unit: str | None  # "percent" | "count" | ISO code | None (bare)
    start_i: int  # first token of the expression (comparator included)
    num_start_i: int  # first token of the number (currency prefix included)
    num_end_i: int  # end of the number core (scale included)
    end_i: int  # end of the expression (unit / counted noun included)
    comparator: str = "="
    from_words: bool = False
    has_scale: bool = False
    noun_end_i: int | None = None


class StatisticsParser:
    """Finds statistics in one text. Stateless apart from the compiled rules."""

    def __init__(self, lang: str):
        self.lang = lang if lang in ("nl", "en") else "en"
        self.r = load_rules(self.lang)
        # Dutch attributive adjectives end in -e ("zeven externe partijen")
        self.parser_lang_inflects = self.lang == "nl"
        r = self.r
        # the phrases `read_at` can start with, from the lexicon tables (see can_start): one-word phrases, and
        # the first two words of longer ones ("de helft", "more than": "de" and "the" alone start nothing)
        tables = (r.range_openers, r.comparators, r.fractions, r.currency_symbols, r.lex.special)
        self.first_words = {k[0] for t in tables for k in t.table if len(k) == 1} | r.lex.hundred | set(r.lex.scale)
        self.first_pairs = {k[:2] for t in tables for k in t.table if len(k) >= 2}

    def can_start(self, toks: list[Tok], i: int) -> bool:
        """Whether `read_at` can find anything at token i: digits, a currency code, a number word, a hundred or
        scale word, or the start of a range opener, comparator, fraction, currency symbol or special number
        phrase. False means `read_at(toks, i, ...)` returns []; most words are none of these, and this test
        is much cheaper than trying them all in turn."""
        tok = toks[i]
        return (tok.kind == "num" or tok.low in self.first_words or tok.text in self.r.currency_codes
                or (i + 1 < len(toks) and (tok.low, toks[i + 1].low) in self.first_pairs)
                or parse_number_word(tok.text, self.r.lex.lang) is not None)

    # ------------------------------------------------------------ helpers
    def _currency_prefix(self, toks: list[Tok], i: int) -> tuple[int, str] | None:
        m = self.r.currency_symbols.match(toks, i, adjacent_only=True)
        if m:
            return m[0], str(m[1])
        if i < len(toks) and toks[i].text in self.r.currency_codes:
            return 1, toks[i].text
        return None

    def _currency_suffix(self, toks: list[Tok], i: int) -> tuple[int, str] | None:
        if i >= len(toks):
            return None
        if toks[i].text in self.r.currency_codes:
            return 1, toks[i].text
        m = self.r.currency_words.match(toks, i)
        if m:
            return m[0], str(m[1])
        m = self.r.currency_symbols.match(toks, i, adjacent_only=True)
        if m and toks[i].text in ("€", "£"):
            return m[0], str(m[1])
        return None

    def _percent_suffix(self, toks: list[Tok], i: int) -> int:
        if i >= len(toks):
            return 0
        if toks[i].text in self.r.percent_symbols:
            return 1
        m = self.r.percent_words.match(toks, i)
        return m[0] if m else 0

    def _core(self, toks: list[Tok], i: int, currency_known: bool) -> NumberRead | None:
        return read_number(toks, i, self.r.lex, allow_spaced_m=currency_known)

    def _fraction(self, toks: list[Tok], i: int, licensed: bool = False) -> tuple[int, float] | None:
        """A share written as a fraction. Ambiguous ones ("een derde", "a third", "half") need "van"/"of"
        after them, or a licensing context before them (a comparator, "slechts"/"only", a sentence start)."""
        m = self.r.fractions.match(toks, i)
        if not m:
            return None
        n, val = m
        key = tuple(t.low for t in toks[i:i + n])
        if key in self.r.fractions_require_of and not licensed:
            nxt = toks[i + n] if i + n < len(toks) else None
            prev = toks[i - 1] if i > 0 else None
            ok = nxt is not None and nxt.low in self.r.of_words
            ok = ok or (nxt is not None and nxt.low in ("the", "all") and key[-1] == "half")
            ok = ok or prev is None or prev.text in (".", "!", "?", "\"", "“", ":", "\n") or (
                prev.low in self.r.share_licensors)
            ok = ok and not (nxt is not None and nxt.kind == "word" and nxt.low in self.r.ordinal_nouns)
            if not ok:
                return None
        return n, float(val)

    # ------------------------------------------------------------ negatives
    def _bad_number_token(self, toks: list[Tok], nr: NumberRead, after_symbol: bool = False) -> bool:
        """Digits that belong to an identifier, a date, a time, a phone number or a name (`after_symbol`: a
        currency symbol stands right before them, "R10 million")."""
        t = toks[nr.start_i]
        n = len(toks)
        if not nr.has_digits:
            return False
        s = nr.digits_text
        if len(s) > 1 and s[0] == "0" and s[1] != "," and s[1] != ".":
            return True  # "020 ...", "06-...": phone numbers, codes
        prev = toks[nr.start_i - 1] if nr.start_i > 0 else None
        nxt = toks[nr.start_i + 1] if nr.start_i + 1 < n else None
        if prev is not None and not t.space_before:
            if prev.kind == "word" and not after_symbol:
                return True  # "S24", "GPT4"
            if prev.text in ("+", "#", "/", ":", "-", "‐", "–", ".", "§", "@", "_", "(", "[", "&"):
                if prev.text in ("-", "‐", "–") and nr.start_i >= 2 and toks[nr.start_i - 2].kind == "num":
                    pass  # "28-36": range, checked by the caller
                elif prev.text in ("(", "["):
                    pass
                else:
                    return True  # "C-252/21", "+31", "#3", "v.2"
        if nxt is not None and not nxt.space_before and nr.end_i == nr.start_i + 1:
            if nxt.text in ("/", ":", "+", "°", "'") and nr.start_i + 2 < n and (
                    toks[nr.start_i + 2].kind == "num" or nxt.text in ("+", "°")):
                return True  # "252/21", "10:15", "16+"
            if nxt.text in ("+", "°", "′", "″"):
                return True
            if nxt.text == "(" and nr.start_i + 2 < n and toks[nr.start_i + 2].kind in ("num", "word") \
                    and len(toks[nr.start_i + 2].text) <= 3:
                return True  # "83(5)", "6(1)(f)"
            if nxt.text == "." and nr.start_i + 2 < n and toks[nr.start_i + 2].kind == "num" \
                    and not toks[nr.start_i + 2].space_before:
                return True  # "10.15" read as two tokens: times, dotted codes
        # year-like bare integers
        return False

    def _is_year(self, nr: NumberRead) -> bool:
        return nr.has_digits and not nr.has_scale and re.fullmatch(r"(1[89]|20|21)[0-9]{2}", nr.digits_text) is not None

    def _negative_context_before(self, toks: list[Tok], i: int) -> bool:
        """Citation / identifier / age words right before token i (the expression start)."""
        if i == 0:
            return False
        m = self.r.neg_before.match_ending(toks, i)
        if m:
            return True
        prev = toks[i - 1]
        if prev.low in self.r.months and _day_or_year(toks[i].text):
            return True  # "May 22", "mei 2023"; not "in september 2.140 volwassenen"
        # "artikel 6 lid 1": a number right after a citation fragment "6(1)" or "lid 1 sub"
        return False

    def _negative_after(self, toks: list[Tok], j: int) -> bool:
        n = len(toks)
        if j >= n:
            return False
        k = j
        if toks[k].text in ("-", "‐") and not toks[k].space_before and k + 1 < n:
            k += 1  # "45-jarige", "16-year-old", "six-month"
        m = self.r.neg_after.match(toks, k)
        if m:
            return True
        if toks[k].low in self.r.measure_units:
            return True
        if toks[j].low in self.r.months:
            return True
        return False

    def _name_number(self, toks: list[Tok], i: int, sent_starts: set[int],
                     actor_ends: frozenset[int] = frozenset()) -> bool:
        """'Windows 11', 'iPhone 15', 'Galaxy S 24': a bare number right after a capitalised name word that is not
        the end of an actor's mention (`actor_ends`: character offsets where mentions end)."""
        if i == 0:
            return False
        prev = toks[i - 1]
        if prev.kind != "word" or not prev.text[:1].isupper():
            return False
        if (i - 1) in sent_starts:
            return False
        if self.r.comparators.match_ending(toks, i) or self.r.currency_symbols.match_ending(toks, i):
            return False
        if prev.text in self.r.currency_codes or prev.low in self.r.months:
            return prev.low in self.r.months and _day_or_year(toks[i].text)
        if self.lang == "nl" and prev.end in actor_ends:
            # "legde Elbhafen 37 stadionverboden op": after an inverted verb the actor is the subject (English has
            # no such order, and "NHS 111" is a service's name)
            return False
        return True

    # ------------------------------------------------------------ count nouns
    def _count_noun(self, toks: list[Tok], j: int, pos_at: dict[int, str]) -> int | None:
        """Index one past the counted noun phrase starting at token j, or None if no noun is counted."""
        n = len(toks)
        k = j
        if k < n and toks[k].text in ("-", "‐") and not toks[k].space_before and k + 1 < n \
                and toks[k + 1].low in ("strong", "koppige", "koppig", "man", "member"):
            k += 2  # "40,000-strong safety team"
        elif k + 1 < n and j > 0 and toks[j - 1].kind == "num" and toks[k].text in ("-", "‐") \
                and not toks[k].space_before and not toks[k + 1].space_before \
                and toks[k + 1].kind == "word" and toks[k + 1].text.islower() \
                and toks[k + 1].low not in self.r.not_nouns and toks[k + 1].low not in self.r.compound_not_counted \
                and pos_at.get(toks[k + 1].start) == "NOUN":
            return k + 2  # "a 60-person firm", "a 96-bed home" (digits only: "a two-page letter" counts nothing)
        steps = 0
        while k < n and steps < 4:
            t = toks[k]
            if t.kind != "word":
                return None
            low = t.low
            if low in self.r.not_nouns or low in self.r.lex.article_words:
                return None
            pos = pos_at.get(t.start)
            if pos is not None:
                if pos in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "PART", "NUM", "INTJ"):
                    return None
                nxt = toks[k + 1] if k + 1 < n else None
                nxt_pos = pos_at.get(nxt.start) if nxt is not None and nxt.kind == "word" else None
                if pos == "ADJ" and nxt_pos == "CCONJ" and k + 2 < n and pos_at.get(toks[k + 2].start) == "ADJ":
                    k += 2  # "9.7 million current and former customers"
                    steps += 1
                    continue
                if pos == "ADJ" and nxt_pos == "ADJ" and k + 2 < n and toks[k + 2].kind == "word" \
                        and pos_at.get(toks[k + 2].start) == "NOUN":
                    k += 1  # "three other Belgian clubs": two describing words before the noun
                    steps += 1
                    continue
                if pos in ("ADJ", "PROPN", "NOUN") and nxt_pos in ("NOUN", "PROPN") and not (
                        pos == "NOUN" and nxt_pos == "PROPN") and nxt is not None and nxt.low not in self.r.not_nouns:
                    k += 1
                    steps += 1
                    continue
                if pos in ("NOUN", "PROPN"):
                    return self._extend_compound(toks, k + 1)
                return None
            # no POS (Dutch): adjectives end in -e/-se/-sche or are listed
            nxt = toks[k + 1] if k + 1 < n else None
            is_adj = low in self.r.adjectives or (
                len(low) > 3 and low.endswith(("se", "sche", "ische", "ige", "ele", "ale", "ieve", "ente", "ende")) or (
                    len(low) > 6 and low.endswith(("chte", "kte", "pte", "erde", "eerde", "ste")) and t.text.islower()) or (
                    self.parser_lang_inflects and len(low) > 3 and low.endswith("e") and t.text.islower()
                    and nxt is not None and nxt.text.islower() and not nxt.low.endswith("e"))
            )
            if is_adj and nxt is not None and nxt.kind == "word" and nxt.low not in self.r.not_nouns:
                k += 1
                steps += 1
                continue
            return self._extend_compound(toks, k + 1)
        return None

    def _elliptic_count(self, toks: list[Tok], start: int, j: int, pos_at: dict[int, str], value: float) -> bool:
        """A number (tokens start..j, comparator included) that counts a noun named before it: after a cue
        ("er", "up from"), between an article and a relative pronoun ("the 212 that replied"), or as the subject
        of a verb in English ("164 replied"; only with POS)."""
        n = len(toks)
        if start >= 2 and toks[start - 1].low in self.r.range_joiner_words and (
                toks[start - 2].kind == "num" or parse_number_word(toks[start - 2].text, self.lang) is not None):
            return False  # "aged 18 to 45 used ...": the end of a range whose start counted nothing
        if value <= 21 and (toks[start].low in self.r.age_comparators
                            or (start > 0 and toks[start - 1].low in self.r.age_comparators)):
            return False  # "children under 13 have to ..." (not "over 1,000 responded")
        if self.r.elliptic_before.match_ending(toks, start):
            return True
        if start > 0 and toks[start - 1].low in self.r.elliptic_article and j < n \
                and toks[j].low in self.r.elliptic_relative:
            return True
        if j < n and toks[j].kind == "word" and pos_at.get(toks[j].start) in ("VERB", "AUX") \
                and self.lang == "en" and (start == 0 or toks[start - 1].low in self.r.clause_openers):
            return True  # the subject opening its clause ("..., and 96 had asked"), not "iOS 17 introduced"
        return False

    @staticmethod
    def _names_a_law(toks: list[Tok], k: int, end: int) -> bool:
        """"15 of the GDPR", "32 van de AVG", "11 of the Privacy Act": an article number, not a count. A counted
        noun after "of its"/"van de" is a plain lower-case word ("62 of its stores")."""
        return any(t.kind == "word" and (t.text[:1].isupper() or t.low in _LAW_WORDS) for t in toks[k:end])

    def _partitive_noun(self, toks: list[Tok], k: int, pos_at: dict[int, str]) -> int | None:
        """After "van de"/"of the": "[20] onderzochte websites" -> end of the noun phrase. A whole number
        ("12 van de 20 websites") may stand before the noun ("twee van de partijen", "62 of its stores"; the caller
        rules out an article of a law, "15 of the GDPR"), also after a comparator ("1,380 of the roughly 4,200
        people")."""
        m = self.r.comparators.match(toks, k)
        if m and k + m[0] < len(toks) and toks[k + m[0]].kind == "num":
            k += m[0]
        if k < len(toks) and toks[k].kind == "num":
            whole = self._core(toks, k, False)
            if whole is None or whole.has_scale:
                return None
            noun_end = self._count_noun(toks, whole.end_i, pos_at)
            e = whole.end_i
            if noun_end is None and e < len(toks) and (
                    toks[e].text in (",", ";", ".") or pos_at.get(toks[e].start) in ("VERB", "AUX")):
                return e  # "Nine of the 12 said ...": the whole counts what was named before
            return noun_end
        return self._count_noun(toks, k, pos_at)

    def _extend_compound(self, toks: list[Tok], k: int) -> int:
        # "Meta-gebruikers": hyphenated continuation belongs to the noun
        while k + 1 < len(toks) and toks[k].text in ("-", "‐") and not toks[k].space_before \
                and not toks[k + 1].space_before and toks[k + 1].kind == "word":
            k += 2
        return k

    # ------------------------------------------------------------ main reader
    def read_at(self, toks: list[Tok], i: int, pos_at: dict[int, str], sent_starts: set[int],
                actor_ends: frozenset[int] = frozenset()) -> list[Quantity]:
        n = len(toks)
        start_i = i
        comparator = "="
        ranged = False
        m = self.r.range_openers.match(toks, i)
        if m and i + m[0] < n:
            opener_len = m[0]
            # only an opener when a number follows (optionally after a currency)
            k = i + opener_len
            cp = self._currency_prefix(toks, k)
            if cp:
                k += cp[0]
            if k < n and (toks[k].kind == "num" or self._core(toks, k, bool(cp))):
                ranged = True
                i += opener_len
        if not ranged:
            m = self.r.comparators.match(toks, i)
            if m:
                j = i + m[0]
                # comparator must be followed by a number (allow a filler word "de"/"the")
                if j < n and (self._starts_number(toks, j) or (toks[j].low in self.r.fillers and j + 1 < n
                                                               and self._starts_number(toks, j + 1))):
                    comparator = str(m[1])
                    i = j
                    if toks[i].low in self.r.fillers and not self._fraction(toks, i) and not self._core(toks, i, False):
                        i += 1
                else:
                    return []
        first = self._read_simple(toks, i, pos_at, sent_starts, start_i, comparator, actor_ends)
        if first is None:
            return []
        # ranges: "X en/and/tot/to/- Y"
        j = first.num_end_i if first.unit in (None,) or first.end_i == first.num_end_i else first.end_i
        jm = self.r.range_joiners.match(toks, j) if j < n else None
        if jm and (ranged or toks[j].text in ("-", "–", "tot", "to")):
            k = j + jm[0]
            second = self._read_simple(toks, k, pos_at, sent_starts, k, "=", actor_ends)
            if second is not None and second.value > 0 and (
                    toks[j].text not in ("-", "–") or toks[j].space_before == toks[k].space_before or True):
                if first.unit is None and second.unit is not None:
                    first.unit = second.unit
                    if second.noun_end_i is not None:
                        first.noun_end_i = second.noun_end_i
                if not first.has_scale and second.has_scale and first.value < 1000:
                    scale = self._scale_of(toks, second)
                    if scale:
                        first.value *= scale
                if first.unit is not None and first.value < second.value * 1.0001 or ranged:
                    first.comparator = "=" if comparator == "=" else comparator
                    out = [first, second]
                    return [q for q in out if q.unit is not None]
        if first.unit is None:
            return []
        if ranged and first.start_i == start_i:
            first.start_i = first.num_start_i if comparator == "=" else first.start_i  # no range: drop the opener
        return [first]

    def _scale_of(self, toks: list[Tok], q: Quantity) -> float | None:
        for t in toks[q.num_start_i:q.num_end_i]:
            low = t.low
            if low in self.r.lex.scale:
                return self.r.lex.scale[low]
            sv = self.r.lex.common.get("scale_abbreviations", {}).get(low)
            if sv is not None and t.kind == "word":
                return float(sv)
        return None

    def _starts_number(self, toks: list[Tok], j: int) -> bool:
        cp = self._currency_prefix(toks, j)
        k = j + (cp[0] if cp else 0)
        if k >= len(toks):
            return False
        if toks[k].kind == "num":
            return True
        if self._fraction(toks, k):
            return True
        nr = self._core(toks, k, bool(cp))
        return nr is not None

    def _read_simple(self, toks: list[Tok], i: int, pos_at: dict[int, str], sent_starts: set[int],
                     start_i: int, comparator: str, actor_ends: frozenset[int] = frozenset()) -> Quantity | None:
        n = len(toks)
        if i >= n:
            return None
        # vague quantities never count ("tientallen", "dozens of")
        if self.r.vague.match(toks, i):
            return None
        # fractions: "driekwart", "de helft van", "two-thirds of"
        fr = self._fraction(toks, i, licensed=comparator != "=")
        if fr:
            ln, val = fr
            return Quantity(val, "percent", start_i, i, i + ln, i + ln, comparator, True)
        unit = None
        cp = self._currency_prefix(toks, i)
        num_i = i + (cp[0] if cp else 0)
        if cp:
            unit = cp[1]
        nr = self._core(toks, num_i, bool(cp))
        if nr is None:
            return None
        if self._bad_number_token(toks, nr, after_symbol=cp is not None):
            return None
        if cp and cp[0] == 1 and toks[i].kind == "word" and len(toks[i].text) == 1 and (
                toks[i].text != toks[i].text.upper() or toks[num_i].space_before
                or (nr.value < 100 and not nr.has_scale)
                or (i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text[:1].isupper())
                or (nr.end_i < len(toks) and toks[nr.end_i].low in ("road", "highway", "route", "motorway"))):
            return None  # a letter symbol ("R10 million", "R499 a month") only as a capital joined to the sum; "the
            # R2", "r 200", "Galaxy R500", "the R101 road" are no rands
        if nr.value > MAX_VALUE or nr.value < 0:
            return None
        j = nr.end_i
        # ratio "een op de drie", "one in ten", "1 op 5"
        if unit is None:
            rc = self.r.ratio_connectors.match(toks, j)
            if rc:
                den = self._core(toks, j + rc[0], False)
                if den is not None and den.value > 0 and nr.value < den.value and (
                        den.value in _RATIO_BASES or (nr.value == 1 and den.value in _ONE_IN_BASES)) and not (
                        den.has_digits and self._is_year(den)):
                    pct = round(100.0 * nr.value / den.value, 1)
                    return Quantity(pct, "percent", start_i, i, den.end_i, den.end_i, comparator, True)
        if nr.words_only_article:
            return None
        if self._negative_after(toks, j):
            return None
        if unit is None:
            if self._percent_suffix(toks, j):
                k = self._percent_suffix(toks, j)
                return Quantity(nr.value, "percent", start_i, num_i, j, j + k, comparator, not nr.has_digits,
                                nr.has_scale)
            cs = self._currency_suffix(toks, j)
            if cs:
                unit = cs[1]
                j2 = j + cs[0]
                if unit == "EUR_CENT":
                    return None
                return Quantity(nr.value, unit, start_i, i, j, j2, comparator, not nr.has_digits, nr.has_scale)
            # bare: only a count if a noun follows and no negative context
            if self._is_year(nr) and comparator == "=":
                return None
            if self._negative_context_before(toks, start_i):
                return None
            if nr.has_digits and not nr.has_scale and self._name_number(toks, num_i, sent_starts, actor_ends):
                return None
            if not nr.has_digits and nr.value < self.r.lex.min_word_count and not nr.has_scale:
                return None
            if nr.value != int(nr.value) and not nr.has_scale:
                return None  # "2,5 kinderen": decimals are measurements, not counts
            noun_end = self._count_noun(toks, j, pos_at)
            q = Quantity(nr.value, None, start_i, num_i, j, j, comparator, not nr.has_digits, nr.has_scale)
            if noun_end is not None:
                # "times" is a count of its own ("20 times the revenue")
                q.unit = "count"
                q.end_i = noun_end
                q.noun_end_i = noun_end
            elif (pm := self.r.partitive.match(toks, j)) and (
                    noun_end := self._partitive_noun(toks, j + pm[0], pos_at)) is not None and not (
                    nr.has_digits and self._names_a_law(toks, j + pm[0], noun_end)):
                q.unit = "count"  # "twee van de partijen", "three of the companies"
                q.end_i = noun_end
                q.noun_end_i = noun_end
            elif pp := self.r.partitive_pronoun.match(toks, j):
                q.unit = "count"  # "86 cases ..., 23 of them without a request"
                q.end_i = q.noun_end_i = j + pp[0]
            elif self._elliptic_count(toks, start_i, j, pos_at, nr.value):
                q.unit = "count"  # "and 96 had asked", "maken er 88 ...": the noun was named before
            elif j < n and toks[j].low in ("times", "keer") and not (
                    j + 1 < n and toks[j + 1].low in self.r.multiplier_after):  # "20 times the revenue": a ratio
                q.unit = "count"
                q.end_i = j + 1
                q.noun_end_i = j + 1
            return q
        if unit == "EUR_CENT":
            return None
        # prefix currency: optional trailing code repeat ("€ 5 miljoen euro") is unusual; stop here
        if unit and j < n and toks[j].kind == "word" and toks[j].low in ("mln", "mld"):
            j += 1
        return Quantity(nr.value, unit, start_i, i, j, j, comparator, not nr.has_digits, nr.has_scale)


# ---------------------------------------------------------------- description: measures, population, source


def _clause_words(text: str, toks: list[Tok], j: int, limit: int, stop: int) -> str:
    """Words from token j up to the end of the clause (at most `limit` tokens, before char `stop`)."""
    out_start = out_end = None
    count = 0
    k = j
    while k < len(toks) and count < limit and toks[k].start < stop:
        t = toks[k]
        if t.text in CLAUSE_END or (t.text == "," and count > 0):
            break
        if out_start is None:
            out_start = t.start
        out_end = t.end
        count += 1
        k += 1
    if out_start is None:
        return ""
    return text[out_start:out_end]


_CLAUSE_BREAK = re.compile(r"[,;:()\"“”–—]|\s-\s")


def _clause_before(text: str, s_start: int, start: int, limit: int = 12) -> str:
    """For a number that ends its clause ("... has fined Clearview AI €30.5 million."): the words of its clause
    before it, at most `limit` of them, whole words only."""
    before = text[s_start:start]
    pieces = [p for p in _CLAUSE_BREAK.split(before) if p.strip()]
    words = pieces[-1].split() if pieces else []
    return " ".join(words[-limit:])


def _actor_mentions(actors) -> list[tuple[int, int, str, str]]:
    out = []
    for a in actors or []:
        try:
            name = a.get("name")
            typ = a.get("type")
            for m in a.get("mentions", []) or []:
                out.append((int(m["start"]), int(m["end"]), str(name), str(typ)))
        except Exception:  # malformed actor data from another component: ignore it
            continue
    out.sort()
    return out


class StatisticsExtractor:
    def __init__(self, lang: str):
        self.parser = StatisticsParser(lang)
        self.r = self.parser.r

    def extract(self, text: str, sents: list[tuple[int, int]], pos_at: dict[int, str], actors) -> list[dict]:
        toks = tokenize(text)
        if not toks:
            return []
        # sentence index per token and sentence-initial token indexes
        sent_starts: set[int] = set()
        sent_of: list[int] = []
        si = 0
        prev_sent = -1
        for idx, t in enumerate(toks):
            while si + 1 < len(sents) and t.start >= sents[si][1]:
                si += 1
            sent_of.append(si)
            if si != prev_sent:
                sent_starts.add(idx)
                prev_sent = si
            elif idx > 0 and toks[idx - 1].text in ("\"", "“", "'", "(", "‘", ":", "«", "„"):
                sent_starts.add(idx)
        mentions = _actor_mentions(actors)
        symbol_starts = self.parser.r.currency_symbols.firsts  # "€", "₱", "US$" ...: a symbol opens an amount
        actor_ends = frozenset(end for _, end, _, _ in mentions)
        out: list[dict] = []
        i = 0
        n = len(toks)
        last: Quantity | None = None
        whole_at = -1   # token index of the whole of a partitive ("37" in "12 of its 37 stores")
        while i < n:
            qs = []
            t = toks[i]
            if (t.kind in ("num", "word") or t.low in symbol_starts) and self.parser.can_start(toks, i):
                try:
                    qs = self.parser.read_at(toks, i, pos_at, sent_starts, actor_ends)
                except (ValueError, OverflowError, IndexError):
                    qs = []
            if not qs:
                i += 1
                continue
            if last is not None and qs[0].comparator == "=" and last.comparator != "=" \
                    and qs[0].start_i == last.end_i + 1 and toks[last.end_i].low in self.r.alternative_words:
                qs[0].comparator = last.comparator  # "tot 35 miljoen euro of 7 procent", "up to €20m or 4%"
            last = qs[-1]
            for q in qs:
                d = self._describe(text, toks, q, sents, sent_of, mentions)
                if d and not (q is qs[0] and q.num_start_i == whole_at
                              and self._said_before(d, out, q.noun_end_i in (None, q.num_end_i))):
                    out.append(d)
            i = max(q.end_i for q in qs)
            inner = [k for k in range(qs[-1].num_end_i, i) if toks[k].kind == "num"]
            if inner:
                # "12 of its 37 stores": the whole is a statistic of its own, with its comparator ("roughly")
                m = self.r.comparators.match_ending(toks, inner[0])
                i = inner[0] - (m[0] if m else 0)
                whole_at = inner[0]
        return out

    @staticmethod
    def _said_before(stat: dict, out: list[dict], bare: bool) -> bool:
        """"46 of the 2,300 students" after "about 2,300 students": the whole of a partitive the story counted before
        (the same number of the same thing, or of things it named before: "29 of them"), not "12 of its 37 members"
        after "37 fines"; `bare`: no noun follows it ("Nine of the 12 said")."""
        noun = [] if bare else (stat["measures"] or "").split()[-1:]
        for d in out:
            if d["unit"] != "count" or d["value"] != stat["value"]:
                continue
            before = (d["measures"] or "").split()
            if not before or not noun or before[-1:] == noun \
                    or before[-1].lower() in ("them", "hen", "which", "whom", "wie"):
                return True
        return False

    def _describe(self, text: str, toks: list[Tok], q: Quantity, sents, sent_of, mentions) -> dict | None:
        start = toks[q.start_i].start
        end = toks[max(q.end_i, q.num_end_i) - 1].end
        if q.unit in self.r.currency_countries:
            q.unit = self._country_currency(q.unit, text, start)
            if q.unit is None:
                return None  # "50.000 kronen" with no country in the text: no unit we could stand behind
        value = q.value
        if value == int(value) and abs(value) < 1e15:
            value = int(value)
        else:
            value = round(value, 4)
        s_idx = sent_of[q.start_i]
        s_start, s_end = sents[s_idx] if sents else (0, len(text))
        measures = ""
        population = None
        if q.unit == "count" and q.noun_end_i is not None:
            measures = text[toks[q.num_end_i].start:toks[q.noun_end_i - 1].end] if q.noun_end_i > q.num_end_i else ""
            measures = measures.lstrip("-‐")  # "60-person": person
        else:
            j = q.end_i
            # "procent van de X" / "% of X": X is the population
            if j < len(toks) and toks[j].low in self.r.of_words:
                k = j + 1
                while k < len(toks) and toks[k].low in ("de", "het", "deze", "the", "these", "those", "all", "alle"):
                    k += 1
                pop = _clause_words(text, toks, k, 5, s_end)
                pop = re.split(r"\s+(?:is|zijn|was|waren|wil|willen|kan|kunnen|heeft|hebben|had|has|have|say|said|"
                               r"zegt|zeggen|are|were|who|die|dat|that|which)\b", pop, maxsplit=1)[0]
                population = pop or None
                jj = k
                while jj < len(toks) and toks[jj].start < s_end and toks[jj].end <= toks[k].start + len(pop or ""):
                    jj += 1
                measures = _clause_words(text, toks, jj, 10, s_end)
            else:
                measures = _clause_words(text, toks, j, 10, s_end)
            if not measures:
                measures = _clause_before(text, s_start, start)
        source = self._source(text, toks, q, s_start, s_end, mentions, sents, s_idx)
        stat = {
            "value": value, "unit": q.unit, "comparator": q.comparator, "text": text[start:end],
            "start": start, "end": end, "measures": measures.strip() or None, "population": population,
            "source": source,
        }
        return stat

    def _country_currency(self, family: str, text: str, at: int) -> str | None:
        """The code of the `family` currency ("@krone") whose country the text names nearest before `at`, else
        nearest after it; with none named, the family's default (`currency_defaults`: "@dollar" -> USD) or None."""
        best: tuple[int, str] | None = None
        for code, rx in self.r.currency_countries[family].items():
            for m in rx.finditer(text):
                distance = at - m.end() if m.end() <= at else len(text) + m.start() - at   # before beats after
                if best is None or distance < best[0]:
                    best = (distance, code)
        return best[1] if best else self.r.currency_defaults.get(family)

    def _source(self, text, toks, q, s_start, s_end, mentions, sents, s_idx) -> str | None:
        if not mentions:
            return None
        in_sent = [m for m in mentions if m[0] >= s_start and m[1] <= s_end]
        low_sent = text[s_start:s_end].lower()
        cue_re = r"\b(?:volgens|aldus|according to|said|says|zegt|stelt|meldt|a survey by|onderzoek van|by)\s+(?:de |het |the )?$"
        for m in in_sent:
            before = low_sent[: m[0] - s_start]
            if re.search(cue_re, before[-40:]):
                return m[2]
        # the first named regulator/ngo/company in the sentence (the acting party in "X fined Y €Z")
        preferred = [m for m in in_sent if m[3] in ("regulator", "ngo", "court", "government")]
        if preferred:
            return preferred[0][2]
        if in_sent:
            return in_sent[0][2]
        # previous sentence
        if s_idx > 0 and sents:
            p_start, p_end = sents[s_idx - 1]
            prev = [m for m in mentions if m[0] >= p_start and m[1] <= p_end]
            pref = [m for m in prev if m[3] in ("regulator", "ngo", "court", "government")]
            if pref:
                return pref[0][2]
        return None


def _pos_map(doc: Doc) -> dict[int, str]:
    try:
        if doc.has_annotation("POS"):
            # a participle before a noun is an adjective there ("1,140 visiting supporters", "two written requests",
            # "14 named drivers": the parser's amod, or a VBG/VBN tag between a number and a noun); a past tense
            # ("120 reported breaches") stays a verb
            n = len(doc)

            def participle(t) -> bool:
                return t.pos_ == "VERB" and (t.dep_ == "amod" or (
                    t.tag_ in ("VBG", "VBN") and 0 < t.i < n - 1 and doc[t.i - 1].pos_ == "NUM"
                    and doc[t.i + 1].pos_ == "NOUN"))
            return {t.idx: "ADJ" if participle(t) else t.pos_ for t in doc}
        if doc.has_annotation("TAG"):
            return {t.idx: t.pos_ for t in doc if t.pos_}
    except Exception:
        pass
    return {}


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    try:
        spans = sentence_spans(doc)
        if spans is not None:
            return spans
    except Exception:
        pass
    return [(0, len(doc_text(doc)))]


class StatisticsComponent:
    """spaCy component: doc._.statistics = list of contract statistic dicts."""

    def __init__(self, nlp: Language, name: str, use_pos: bool = True):
        self.name = name
        self.lang = nlp.lang if nlp.lang in ("nl", "en") else "en"
        self.use_pos = use_pos
        self.extractor = StatisticsExtractor(self.lang)

    def __call__(self, doc: Doc) -> Doc:
        try:
            pos = _pos_map(doc) if self.use_pos else {}
            text = doc_text(doc)
            stats = self.extractor.extract(text, _sentences(doc), pos, getattr(doc._, "actors", None))
            doc._.statistics = [s for s in stats if text[s["start"]:s["end"]] == s["text"]]
        except Exception:  # never let one odd document break the pipeline
            logger.exception("privnews_statistics failed on a document; emitting no statistics")
            doc._.statistics = []
        return doc

    # serialization: the component's state is its config; lexicons are versioned files under models/
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"lang": self.lang, "use_pos": self.use_pos})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        cfg = srsly.msgpack_loads(data)
        self.lang = cfg.get("lang", self.lang)
        self.use_pos = cfg.get("use_pos", self.use_pos)
        self.extractor = StatisticsExtractor(self.lang)
        return self

    def to_disk(self, path, *, exclude=tuple()):
        from pathlib import Path

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", {"lang": self.lang, "use_pos": self.use_pos})

    def from_disk(self, path, *, exclude=tuple()):
        from pathlib import Path

        cfg = srsly.read_json(Path(path) / "cfg.json")
        self.lang = cfg.get("lang", self.lang)
        self.use_pos = cfg.get("use_pos", self.use_pos)
        self.extractor = StatisticsExtractor(self.lang)
        return self


@Language.factory("privnews_statistics", assigns=["doc._.statistics"], default_config={"use_pos": True})
def make_statistics(nlp: Language, name: str, use_pos: bool) -> StatisticsComponent:
    return StatisticsComponent(nlp, name, use_pos=use_pos)


def extract_statistics(text: str, lang: str = "nl", actors=None) -> list[dict]:
    """Convenience for tests and scripts: statistics of a plain text without a spaCy pipeline
    (one sentence per line break / full stop boundary is approximated by the whole text)."""
    sents = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|$)|\n", text)] or [(0, len(text))]
    return StatisticsExtractor(lang).extract(text, sents, {}, actors)


def _day_or_year(number: str) -> bool:
    """Whether a number after a month name can be its day or year: "May 22", "mei 2023" (not "2.140", not
    "October 37 students")."""
    return re.fullmatch(r"0?[1-9]|[12]\d|3[01]|\d{4}", number) is not None

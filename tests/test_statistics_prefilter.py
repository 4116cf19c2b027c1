"""StatisticsParser.can_start: the tokens it rules out are tokens where read_at finds nothing."""
import dataclasses
import json
import re
from pathlib import Path

import pytest

from nlp.numbers import PhraseTable, tokenize
from nlp.statistics import StatisticsExtractor, extract_statistics

CORPUS = [Path("models/corpus/gold-dev.jsonl"), Path("models/corpus/gold-test.jsonl")]


def corpus_texts(lang: str) -> list[str]:
    return [d["text"] for path in CORPUS for line in path.open(encoding="utf-8") if (d := json.loads(line))["lang"] == lang]


def lexicon_texts(lang: str) -> list[str]:
    """Every phrase of every lexicon table and word list, before, between and after numbers."""
    ex = StatisticsExtractor(lang)
    r, lex = ex.r, ex.r.lex
    tables = [v for f in dataclasses.fields(r) if isinstance(v := getattr(r, f.name), PhraseTable)] + [lex.special]
    phrases = [" ".join(key) for table in tables for key in table.table]
    phrases += sorted(r.currency_codes) + sorted(lex.units) + sorted(lex.teens) + sorted(lex.tens) + sorted(lex.scale)
    phrases += sorted(lex.hundred) + sorted(lex.compound_multipliers) + sorted(r.percent_symbols) + sorted(r.months)
    out = []
    for p in phrases:
        out += [f"Er zijn {p} 12 mensen.", f"{p} twaalf procent van de gebruikers", f"Tot {p} € 5 miljoen, {p}",
                f"In {p} 2023 kregen 3 op de 10 bedrijven {p} een boete van {p} 1,5 miljard euro.", f"{p} vijf {p}"]
    return out


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_read_at_finds_nothing_where_can_start_says_no(lang):
    ex = StatisticsExtractor(lang)
    skipped = 0
    for text in corpus_texts(lang) + lexicon_texts(lang):
        toks = tokenize(text)
        for i, tok in enumerate(toks):
            if not ex.parser.can_start(toks, i):
                skipped += 1
                assert ex.parser.read_at(toks, i, {}, {0}) == [], (text, tok.text)
    assert skipped > 20_000  # the prefilter does skip most tokens


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_statistics_are_the_same_without_the_prefilter(lang):
    filtered, unfiltered = StatisticsExtractor(lang), StatisticsExtractor(lang)
    unfiltered.parser.can_start = lambda toks, i: True  # every token tried, as before the prefilter
    for text in corpus_texts(lang) + lexicon_texts(lang)[::7]:
        sents = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|$)|\n", text)] or [(0, len(text))]
        assert filtered.extract(text, sents, {}, None) == unfiltered.extract(text, sents, {}, None)


def test_a_number_word_and_a_comparator_still_start_statistics():
    assert [s["value"] for s in extract_statistics("Ruim twaalfduizend mensen klaagden.", "nl")] == [12000]
    assert [s["comparator"] for s in extract_statistics("More than 4% of users left.", "en")] == [">"]

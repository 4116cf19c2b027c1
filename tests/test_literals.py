"""nlp.literals: a gate closes only on text its regex cannot match, so the claim lexicon's gates skip no hit."""
import json
import re
import sys
from pathlib import Path

import pytest

from nlp.claims import ClaimExtractor
from nlp.literals import FOLDS_TO_ASCII, Gate, fold, necessary_words

CORPUS = [Path("models/corpus/gold-dev.jsonl"), Path("models/corpus/gold-test.jsonl")]


def corpus_sentences(lang: str) -> list[str]:
    texts = [d["text"] for path in CORPUS for line in path.open(encoding="utf-8") if (d := json.loads(line))["lang"] == lang]
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]


def words(pattern: str, flags: int = re.I) -> set[str] | None:
    from re import _parser
    return necessary_words(_parser.parse(pattern, flags).data, bool(flags & re.I))


def test_words_every_match_must_contain():
    assert words("boetes?") == {"boete"}
    assert words("(?:heeft|hebben) (?:\\S+ ){0,8}verboden") == {"verboden"}
    assert words("(?<![\\w-])(?:fine|penalt(?:y|ies))(?![\\w-])") == {"fine", "penalt"}
    assert words("WAMCA") == {"wamca"} and words("WAMCA", 0) == {"WAMCA"}
    assert words("(?:on)?gegrond") == {"gegrond"}
    assert words("(?:\\w+ )+beroep") == {"beroep"}
    assert words("beëindigen") == {"indigen"}  # only ASCII is compared
    assert words("\\w+ing|boete") == {"ing", "boete"}
    assert words("\\w+|boete") is None  # a branch with no literal: no gate
    assert words("(?-i:Acme) boete") == {" boete"}  # a part with other case rules is not read


def test_characters_that_fold_to_ascii_are_all_listed():
    """Every non-ASCII character that re.IGNORECASE matches with an ASCII one, or that lower-cases to ASCII."""
    chars = "".join(chr(i) for i in range(0x80, sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    found = set(re.findall(r"[\x00-\x7f]", chars, re.I))
    found |= {c for c in chars if any(ord(x) < 0x80 for x in c.lower())}
    assert found == set(FOLDS_TO_ASCII)


def test_a_character_that_folds_to_ascii_opens_the_gate():
    gate = Gate(re.compile("(?<![\\w-])(?:boete)(?![\\w-])", re.I))
    assert not gate.admits("de krant", fold("de krant"))
    assert gate.admits("de BOETE", fold("de BOETE"))
    assert fold("de boete") == "de boete" and fold("de boſte") is None
    assert gate.admits("de boſte", fold("de boſte"))
    assert Gate().admits("anything", fold("anything"))


def claim_regexes(lang: str) -> list[re.Pattern]:
    c = ClaimExtractor(lang)
    rxs = [k.triggers for k in c.kinds.values() if k.triggers is not None] + list(c.basis_res.values())
    rxs += list(c.cues.anaphora.values())  # gated per document in attribution.collect_parties
    return rxs + [c.basis_anaphoric] if c.basis_anaphoric is not None else rxs


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_gate_closes_on_a_sentence_its_regex_matches(lang):
    """Every claim trigger, legal-basis and anaphora regex against every corpus sentence, as written and
    upper-cased."""
    sentences = corpus_sentences(lang)
    sentences += [s.upper() for s in sentences]
    closed = 0
    for rx in claim_regexes(lang):
        gate = Gate(rx)
        assert gate.words, rx.pattern[:80]  # every lexicon regex has words to look for
        for s in sentences:
            if not gate.admits(s, fold(s)):
                closed += 1
                assert rx.search(s) is None, (rx.pattern[:80], s)
    assert closed > len(sentences)  # the gates do skip work


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_hits_are_the_same_with_the_gates_open(lang):
    gated, open_ = ClaimExtractor(lang), ClaimExtractor(lang)
    for kind in open_.kinds.values():
        kind.gate = Gate()
    open_.basis_gates = {b: Gate() for b in open_.basis_gates}
    open_.basis_anaphoric_gate = Gate()
    texts = [d["text"] for path in CORPUS for line in path.open(encoding="utf-8") if (d := json.loads(line))["lang"] == lang]
    n = 0
    for text in texts:
        for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
            assert gated._hits(text, m.start(), m.end(), []) == open_._hits(text, m.start(), m.end(), [])
            n += 1
    assert n > 500

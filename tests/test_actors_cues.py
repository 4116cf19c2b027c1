"""_CueSet.match_tail's lookup by word ending finds the cue the plain longest-first scan of the endings finds."""
import json
import re
from pathlib import Path

import pytest
import spacy

from nlp.actors import ActorRecognizer, _CueSet

CORPUS = [Path("models/corpus/gold-dev.jsonl"), Path("models/corpus/gold-test.jsonl")]


def by_scan(cues: _CueSet, word: str):
    """The ending cue as a scan of `cues.suffix` (longest first) finds it."""
    return next(((typ, 1) for suf, typ in cues.suffix if word.endswith(suf)), None)


def test_an_any_word_cue_and_a_shared_ending_keep_the_first_type():
    cues = _CueSet({"company": ["*bedrijf", "*"], "ngo": ["*bedrijf", "*organisatie"]}, ["company", "ngo"])
    assert cues.match_tail(["techbedrijf"]) == ("company", 1)
    assert cues.match_tail(["privacyorganisatie"]) == ("ngo", 1)
    assert cues.match_tail(["iets"]) == ("company", 1)
    assert _CueSet({"ngo": ["*organisatie"]}, ["ngo"]).match_tail(["iets"]) is None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_word_endings_over_the_corpus_and_the_cues(lang):
    rec = ActorRecognizer(spacy.blank(lang), "privnews_actors")
    texts = [json.loads(line)["text"] for path in CORPUS for line in path.open(encoding="utf-8")]
    words = {w.lower() for t in texts for w in re.findall(r"\w[\w'-]*", t)}
    for cues in (rec.type_cues, rec.title_cues, rec.inside):
        assert cues.suffix
        endings = {suf for suf, _ in cues.suffix}
        for word in sorted(words | endings | {"x" + e for e in endings} | {e[1:] for e in endings}):
            if word in cues.exact:
                continue  # an exact cue wins before the endings are looked at
            assert cues.match_tail([word]) == by_scan(cues, word), word

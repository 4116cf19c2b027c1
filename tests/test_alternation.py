"""nlp.alternation: the prefix-tree regex finds exactly what the plain longest-first alternation finds."""
import json
import re
from pathlib import Path

import pytest
import spacy

from nlp import alternation
from nlp.actors import _LEFT, _RIGHT, ActorRecognizer

CORPUS = [Path("models/corpus/gold-dev.jsonl"), Path("models/corpus/gold-test.jsonl")]


def hits(body: str, text: str, flags: int = 0) -> list[tuple[int, int, str]]:
    rx = re.compile(_LEFT + "(?:" + body + ")" + _RIGHT, flags)
    return [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]


def same_hits(phrases, texts, flags: int = 0) -> None:
    tree, plain = alternation.trie(phrases, flags), alternation.flat(phrases)
    for text in texts:
        assert hits(tree, text, flags) == hits(plain, text, flags), text[:80]


def test_prefixes_and_word_boundaries():
    phrases = ["Meta", "Meta Platforms", "Meta Platforms Ireland", "Meta Platforms Ireland Ltd", "Met",
               "AP", "APG", "De", "De Nederlandsche Bank", "a.s.r.", "Dutch DPA"]
    texts = ["Meta Platforms Ireland Ltd and Meta Platforms Irelands and Meta Platforms, Metadata, Met.",
             "AP, APG, APGx, De Nederlandsche Bankier, De Nederlandsche Bank; a.s.r. a.s.r.x Dutch DPA's"]
    same_hits(phrases, texts)
    assert [h[2] for h in hits(alternation.trie(phrases), texts[0])] == \
        ["Meta Platforms Ireland Ltd", "Meta Platforms", "Meta Platforms", "Met"]


def test_case_insensitive_siblings_that_fold_together_fall_back_to_the_plain_form():
    # "s" and the long s "ſ" match each other under re.I: a tree would stop at the first branch ("sa")
    phrases = ["sa", "ſa b"]
    assert alternation.trie(phrases, re.I) == alternation.flat(phrases)
    same_hits(phrases, ["x sa b", "SA B", "sa"], re.I)
    assert alternation.trie(["sa", "ta b"], re.I) != alternation.flat(["sa", "ta b"])


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_knowledge_base_aliases_over_the_corpus(lang):
    """Every alias regex of the actor recogniser, over every corpus text and over a text made of the aliases
    themselves (each followed by a word character once, so the tree has to back off to a shorter alias)."""
    rec = ActorRecognizer(spacy.blank(lang), "privnews_actors")
    texts = [json.loads(line)["text"] for path in CORPUS for line in path.open(encoding="utf-8")]
    # a fixed third (~280 news texts), so the time stays flat as the corpus grows
    texts = texts[::3] if len(texts) > 300 else texts
    for aliases, flags in ((rec.strong, 0), (rec.strong_ci, re.I), (rec.weak, 0), (rec.context, 0)):
        assert aliases
        made_up = " ".join(sorted(aliases)) + " | " + "x ".join(sorted(aliases)) + "x"
        same_hits(aliases, texts + [made_up, made_up.upper(), made_up.lower()], flags)

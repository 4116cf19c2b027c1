"""actors.occurrences finds what the whole-word regex it replaces finds."""
import json
import re
from pathlib import Path

import pytest

from nlp.actors import _LEFT, _RIGHT, _WORD_OR_HYPHEN, occurrences

CORPUS = [Path("models/corpus/gold-dev.jsonl"), Path("models/corpus/gold-test.jsonl")]
TEXTS = [json.loads(line)["text"] for path in CORPUS for line in path.open(encoding="utf-8")]
TRICKY = ("Meta, @Meta, x.Meta, Meta-Platforms, Meta_x, MetaMeta Meta. /Meta Meta's (Meta) Meta’ Meta\nMeta "
          "AP AP-boete AAP APAP AP Meta Meta Meta AP AP AP")

FORMS = ["Meta", "AP", "Meta Meta", "AP AP", "a", "ta", "-", "Meta's", "’"]


def regex_spans(text, form, left, right):
    return [m.span() for m in re.finditer(left + re.escape(form) + right, text)]


@pytest.mark.parametrize("form", FORMS)
def test_tricky_boundaries(form):
    assert list(occurrences(TRICKY, form)) == regex_spans(TRICKY, form, _LEFT, _RIGHT)
    assert list(occurrences(TRICKY, form, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN)) == \
        regex_spans(TRICKY, form, r"(?<![\w-])", r"(?![\w-])")


def test_every_capitalised_word_and_pair_of_the_corpus():
    checked = 0
    for text in TEXTS[::3]:
        forms = set(re.findall(r"[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)?", text))
        forms |= {w.lower() for w in re.findall(r"[A-Z]\w+", text)}
        for form in sorted(forms):
            assert list(occurrences(text, form)) == regex_spans(text, form, _LEFT, _RIGHT), form
            assert list(occurrences(text, form, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN)) == \
                regex_spans(text, form, r"(?<![\w-])", r"(?![\w-])"), form
            checked += 1
    assert checked > 1000


def test_an_empty_form_has_no_occurrences():
    assert list(occurrences("any text", "")) == []

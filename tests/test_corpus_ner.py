"""The corpus-trained tagger as a second opinion on English names (nlp/corpus_ner.py), with the real models/ner-nl."""
import logging

import pytest
import spacy

import nlp.corpus_ner  # noqa: F401  (registers privnews_corpus_ner)
from nlp.corpus_ner import MODELS_DIR

pytestmark = pytest.mark.skipif(not (MODELS_DIR / "ner-nl" / "meta.json").is_file(),
                                reason="models/ner-nl not built (privnews train)")

TEXT = "Marilou Abellana asked Barangay Sambag Tres to remove the post, and Cebu City said nothing."


def base_pipeline():
    """A blank English pipeline whose 'base tagger' is an entity ruler: it knows Cebu City only, as a place."""
    pipe = spacy.blank("en")
    ruler = pipe.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Cebu City"}, {"label": "ORG", "pattern": "Marilou"}])
    pipe.add_pipe("privnews_corpus_ner")
    return pipe


def test_adds_the_names_the_base_tagger_missed_and_keeps_its_own():
    doc = base_pipeline()(TEXT)
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Barangay Sambag Tres", "ORG") in ents, ents
    assert ("Cebu City", "GPE") in ents, ents  # the base tagger's place keeps its label
    # a name overlapping one the base tagger found is left alone, not merged or relabelled
    assert ("Marilou", "ORG") in ents and not any(t == "Marilou Abellana" for t, _ in ents), ents


def test_pipe_and_call_agree():
    pipe = base_pipeline()
    texts = [TEXT, "Nothing named here.", ""]
    assert [[(e.text, e.label_) for e in d.ents] for d in pipe.pipe(texts, batch_size=2)] == \
        [[(e.text, e.label_) for e in pipe(t).ents] for t in texts]


def test_save_and_load_round_trip(tmp_path):
    pipe = base_pipeline()
    pipe.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert [(e.text, e.label_) for e in loaded(TEXT).ents] == [(e.text, e.label_) for e in pipe(TEXT).ents]


def test_a_missing_tagger_warns_and_changes_nothing(tmp_path, caplog):
    pipe = spacy.blank("en")
    with caplog.at_level(logging.WARNING, logger="nlp.corpus_ner"):
        pipe.add_pipe("privnews_corpus_ner", config={"model": str(tmp_path / "absent")})
    assert "privnews train" in caplog.text
    assert list(pipe(TEXT).ents) == []

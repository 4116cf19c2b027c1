"""The Dutch NER trainer: a few quick iterations into a temporary folder, loaded back the real way."""
import spacy

from models.training.train_ner import build_examples, parse_markup, train


def test_markup_parsing():
    text, ents = parse_markup("[Jan de Vries](PER) werkt bij [Acme B.V.](ORG).")
    assert text == "Jan de Vries werkt bij Acme B.V.."
    assert [(text[s:e], label) for s, e, label in ents] == [("Jan de Vries", "PER"), ("Acme B.V.", "ORG")]


def test_held_out_split_is_disjoint():
    train_texts = {t for t, _ in build_examples(False, per_template=1)}
    dev_texts = {t for t, _ in build_examples(True, per_template=1)}
    assert train_texts and dev_texts and not train_texts & dev_texts
    for text, ents in build_examples(True, per_template=1):
        for s, e, label in ents:
            assert label in ("PER", "ORG") and text[s:e] == text[s:e].strip() and e > s


def test_train_a_few_iterations_and_load(tmp_path):
    metrics = train(tmp_path / "ner", seed=0, max_epochs=2, per_template=1, limit=40)
    assert metrics["epochs"] == 2 and 0.0 <= metrics["ents_f"] <= 1.0
    nlp = spacy.load(tmp_path / "ner")
    assert nlp.pipe_names == ["sentencizer", "ner"]
    text = "Volgens Jan de Vries van Stichting Datarecht heeft Acme Nederland de AVG geschonden."
    doc = nlp(text)
    for ent in doc.ents:
        assert ent.label_ in ("PER", "ORG")
        assert text[ent.start_char:ent.end_char] == ent.text

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


def test_corpus_sentences_carry_the_gold_names_and_hold_out_every_fifth_article():
    """The dev corpus's articles become training sentences whose entities are exactly the writers' actor mentions;
    held-out sentences come from other articles than training ones."""
    import json
    from models.training.train_ner import CORPUS, corpus_examples

    names = set()
    for line in open(CORPUS, encoding="utf-8"):
        d = json.loads(line)
        if d["lang"] == "nl" and d["split"] == "dev":
            names |= {m["text"] for a in d["actors"] for m in a["mentions"]}
    train_set, held = corpus_examples(False), corpus_examples(True)
    assert len(train_set) > 3 * len(held) > 0
    held_texts = {t for t, _ in held}
    shared = held_texts & {t for t, _ in train_set}
    assert len(shared) < 0.02 * len(held_texts)  # only stock phrases two stories happen to share
    for text, ents in train_set + held:
        assert text == text.strip() and "\n" not in text
        for s, e, label in ents:
            assert label in ("PER", "ORG") and text[s:e] in names
        assert all(a[1] <= b[0] for a, b in zip(ents, ents[1:]))  # no nested or overlapping names

"""The claim-kind classifier that revises the rule claims (nlp/claim_kinds.py, models/training/train_claim_kinds.py)."""
from __future__ import annotations

import json
import shutil

import pytest
import spacy
from hypothesis import given, settings, strategies as st
from spacy.tokens import Doc

from nlp.claim_kinds import (KIND_ADD_THRESHOLDS, ClaimKindModelMissing, char_span, classify_and_revise, features,
                              model_dir, revise, sentence_spans, sentence_words)
from nlp.pipeline import EXTRACTOR_VERSION, build_nlp


def _claim(kind, start, end, text, claimant=None, target=None):
    return {"kind": kind, "start": start, "end": end, "text": text[start:end], "claimant": claimant,
            "target": target, "basis": None, "articles": [], "polarity": None, "status": None, "amount": None}


# ---------------------------------------------------------------- sentences and features
def _chars(text: str, lang: str) -> list[tuple[int, int]]:
    doc = spacy.blank(lang)(text)
    return [char_span(doc, i, j) for i, j in sentence_spans(doc)]


def test_sentences_cut_at_line_breaks_and_leave_out_whitespace():
    text = "AP beboet Clearview\n\n  De toezichthouder legt een boete op. Clearview gaat in beroep.  "
    assert [text[a:b] for a, b in _chars(text, "nl")] == [
        "AP beboet Clearview", "De toezichthouder legt een boete op.", "Clearview gaat in beroep."]


def test_reading_sentences_leaves_the_documents_own_sentences_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": ["!"]})
    doc = nlp("One. Two! Three.")
    before = [s.text for s in doc.sents]
    assert [doc[i:j].text for i, j in sentence_spans(doc)] == ["One.", "Two!", "Three."]
    assert [s.text for s in doc.sents] == before == ["One. Two!", "Three."]


_BLANK_EN = spacy.blank("en")  # one tokenizer for every example (building one per example took 30 s of CI)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_sentence_spans_are_valid_for_any_text(text):
    doc = _BLANK_EN(text)
    last = 0
    for i, j in sentence_spans(doc):
        a, b = char_span(doc, i, j)
        assert last <= a < b <= len(text)
        assert text[a:b].strip() == text[a:b]
        assert all(w.strip() for w in sentence_words(doc, i, j))
        last = b


def test_features_are_the_sentences_words_then_the_rule_kinds_in_a_fixed_order():
    vocab = spacy.blank("en").vocab
    doc = features(vocab, ["X", "fined", "Y", "."], {"violation", "fine"})
    assert [t.text for t in doc] == ["X", "fined", "Y", ".", "zzrulefine", "zzruleviolation"]
    assert [t.text for t in features(vocab, ["Nothing", "."], set())] == ["Nothing", "."]


# ---------------------------------------------------------------- the revision
TEXT = "The CNIL fined Acme EUR 5 million. It found that Acme kept data too long. Acme will appeal."
S1, S2, S3 = _chars(TEXT, "en")


def _make(text):
    return lambda a, b, kind: _claim(kind, a, b, text)


def test_revise_drops_a_rule_claim_the_classifier_rejects_and_keeps_the_rest():
    fine = _claim("fine", 9, 33, TEXT, "CNIL", "Acme")
    appeal = _claim("appeal", 74, 89, TEXT, "Acme", "CNIL")
    scores = [{"fine": 0.9}, {}, {"appeal": 0.01}]
    out = revise([fine, appeal], [S1, S2, S3], scores, {"fine", "appeal"}, 0.5, 0.03, _make(TEXT))
    assert out == [fine]


def test_revise_adds_a_kind_the_rules_missed_with_the_parties_of_the_claim_before_it():
    fine = _claim("fine", 9, 33, TEXT, "CNIL", "Acme")
    scores = [{"fine": 0.95, "violation": 0.2}, {"violation": 0.8, "fine": 0.1}, {}]
    out = revise([fine], [S1, S2, S3], scores, {"fine", "violation"}, 0.5, 0.03, _make(TEXT))
    added = out[1]
    assert (added["kind"], added["start"], added["end"]) == ("violation", *S2)
    assert (added["claimant"], added["target"]) == ("CNIL", "Acme")
    assert added["text"] == TEXT[S2[0]:S2[1]]


def test_revise_takes_the_parties_of_a_claim_in_the_same_sentence_first():
    fine = _claim("fine", 9, 33, TEXT, "CNIL", "Acme")
    later = _claim("appeal", 74, 89, TEXT, "Acme", "CNIL")
    scores = [{"fine": 0.9}, {}, {"appeal": 0.9, "court_ruling": 0.7}]
    out = revise([fine, later], [S1, S2, S3], scores, {"fine", "appeal", "court_ruling"}, 0.5, 0.03, _make(TEXT))
    assert [(c["kind"], c["claimant"], c["target"]) for c in out] == [
        ("fine", "CNIL", "Acme"), ("appeal", "Acme", "CNIL"), ("court_ruling", "Acme", "CNIL")]


def test_a_kind_of_its_own_threshold_is_added_from_that_score():
    fine = _claim("fine", 9, 33, TEXT, "CNIL", "Acme")
    scores = [{"fine": 0.9}, {"violation": 0.4, "appeal": 0.4}, {}]
    out = revise([fine], [S1, S2, S3], scores, {"fine", "violation", "appeal"}, 0.5, 0.03, _make(TEXT),
                 {"violation": 0.35})
    assert [c["kind"] for c in out] == ["fine", "violation"]
    assert revise([fine], [S1, S2, S3], scores, {"fine", "violation", "appeal"}, 0.5, 0.03, _make(TEXT)) == [fine]


def test_revise_leaves_kinds_it_may_not_revise_alone():
    fine = _claim("fine", 9, 33, TEXT, "CNIL", "Acme")
    scores = [{"fine": 0.0, "reprimand": 0.99}, {}, {}]
    assert revise([fine], [S1, S2, S3], scores, {"violation"}, 0.5, 0.03, _make(TEXT)) == [fine]


# ---------------------------------------------------------------- training and loading
@pytest.fixture(scope="module")
def small_models(tmp_path_factory):
    """Models trained on the first 12 dev articles per language (the real trainer, a few seconds)."""
    from models.training.train_claim_kinds import train

    root = tmp_path_factory.mktemp("kinds")
    metrics = train(root, limit=12)
    return root, metrics


def _scores(location, sentences):
    nlp = spacy.load(location)
    return [d.cats for d in nlp.get_pipe("textcat_multilabel").pipe(
        [features(nlp.vocab, words, kinds) for words, kinds in sentences])]


@pytest.mark.slow
def test_training_writes_a_loadable_model_that_records_its_rules_and_is_reproducible(small_models, tmp_path):
    from models.training.train_claim_kinds import train

    root, metrics = small_models
    assert set(metrics) == {"en", "nl"} and metrics["en"]["articles"] == 12 and metrics["en"]["sentences"] > 100
    meta = json.loads((root / "claim-kinds-en" / "meta.json").read_text())
    assert meta["privnews"]["extractor_version"] == EXTRACTOR_VERSION
    assert sum(meta["privnews"]["kind_counts"].values()) > 20
    again = tmp_path / "again"
    train(again, limit=12, langs=("en",))
    probe = [("The regulator fined the company EUR 2 million .".split(), {"fine"}), ("It rained .".split(), set())]
    assert _scores(root / "claim-kinds-en", probe) == _scores(again / "claim-kinds-en", probe)


@pytest.mark.slow
def test_out_of_fold_measurement_can_train_on_part_of_each_fold_for_a_learning_curve(tmp_path):
    from models.training.train_claim_kinds import train

    metrics = train(tmp_path, limit=10, langs=("en",), folds=2, train_fraction=0.5)
    folds = metrics["en"]["dev_folds"]
    assert folds["folds"] == 2 and folds["articles"] == 10 and folds["train_fraction"] == 0.5
    assert 0 <= folds["revised"]["F1"] <= 1 and 0 <= folds["rules"]["F1"] <= 1


@pytest.mark.slow
def test_the_component_loads_the_model_named_in_its_config_and_refuses_a_stale_or_missing_one(small_models, tmp_path):
    root, _ = small_models
    nlp = build_nlp("en", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    pipe = nlp.add_pipe("privnews_claim_kinds", config={"model": str(root / "claim-kinds-en"), "min_examples": 3})
    counts = json.loads((root / "claim-kinds-en" / "meta.json").read_text())["privnews"]["kind_counts"]
    assert pipe.revisable == {kind for kind, n in counts.items() if n >= 3} and pipe.revisable

    stale = tmp_path / "stale"
    shutil.copytree(root / "claim-kinds-en", stale)
    meta = json.loads((stale / "meta.json").read_text())
    meta["privnews"]["extractor_version"] = "0.0.1"
    (stale / "meta.json").write_text(json.dumps(meta))
    for location, words in ((stale, "must be retrained"), (tmp_path / "nowhere", "No claim-kind classifier")):
        bare = build_nlp("en", skip=("privnews_claim_kinds", "privnews_claim_roles"))
        with pytest.raises(ClaimKindModelMissing, match=words) as err:
            bare.add_pipe("privnews_claim_kinds", config={"model": str(location)})
        assert "make setup" in str(err.value)


@pytest.mark.slow
def test_the_component_applies_its_classifier_to_the_rule_claims(small_models):
    """What the pipeline stores is the rules' claims revised with the classifier's own scores; with thresholds no
    score can pass, it is the rules' claims unchanged."""
    root, _ = small_models
    text = ("De Autoriteit Persoonsgegevens heeft Clearview AI een boete van 30,5 miljoen euro opgelegd. "
            "Het bedrijf bouwde een database met foto's zonder dat de mensen dat wisten. "
            "Clearview gaat niet in beroep.")
    rules_only = build_nlp("nl", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    rule_claims = rules_only(text)._.claims
    strict = build_nlp("nl", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    strict.add_pipe("privnews_claim_kinds", config={"model": str(root / "claim-kinds-nl"), "add_threshold": 2.0,
                                                    "drop_threshold": -1.0, "kind_add_thresholds": {}})
    assert strict(text)._.claims == rule_claims

    live = build_nlp("nl", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    pipe = live.add_pipe("privnews_claim_kinds", config={"model": str(root / "claim-kinds-nl"), "min_examples": 1})
    assert pipe.revisable
    doc = live.tokenizer(text)
    expected = classify_and_revise(spacy.load(root / "claim-kinds-nl"), doc, rule_claims, pipe.revisable, 0.5, 0.03,
                                   pipe.claims_pipe.sentence_claim, KIND_ADD_THRESHOLDS)
    assert live(text)._.claims == expected


def test_the_default_pipeline_revises_claims_with_the_built_model():
    nlp = build_nlp("en")
    assert nlp.pipe_names[-3:-1] == ["privnews_claims", "privnews_claim_kinds"]
    assert nlp.get_pipe("privnews_claim_kinds").location == model_dir("en")


def test_an_added_claim_reads_basis_articles_and_status_from_the_lexicon():
    nlp = build_nlp("en", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    text = "The shop says it relies on legitimate interest under Article 6(1)(f) GDPR."
    claim = nlp.get_pipe("privnews_claims").sentence_claim(nlp.make_doc(text), 0, len(text), "legal_basis")
    assert claim["basis"] == "legitimate_interest"
    assert claim["articles"] == ["GDPR Art. 6(1)(f)"]
    assert claim["polarity"] == "affirm"
    assert claim["text"] == text and (claim["start"], claim["end"]) == (0, len(text))


def test_a_legal_basis_the_lexicon_cannot_name_is_not_added():
    """A `legal_basis` claim without its basis tells a researcher nothing (and cost basis accuracy on dev folds)."""
    nlp = build_nlp("nl", skip=("privnews_claim_kinds", "privnews_claim_roles"))
    claims = nlp.get_pipe("privnews_claims")
    text = "Het bedrijf zegt dat het mag doen wat het doet."
    doc = nlp.make_doc(text)
    assert claims.sentence_claim(doc, 0, len(text), "legal_basis") is None
    violation = claims.sentence_claim(doc, 0, len(text), "violation")
    assert violation is not None and violation["kind"] == "violation" and violation["basis"] is None
    spans = [(0, len(text))]
    assert revise([], spans, [{"legal_basis": 0.99}], {"legal_basis"}, 0.5, 0.03,
                  lambda a, b, kind: claims.sentence_claim(doc, a, b, kind)) == []


def test_cli_train_refuses_claim_kinds_on_the_transformers_backend():
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["train", "--backend", "transformers", "--task", "claim-kinds"])
    assert result.exit_code == 2 and "claim-kinds" in result.output


def test_the_extractor_version_names_the_trained_claim_models(tmp_path, monkeypatch):
    """Retrained models (a grown corpus, new rules) extract different facts: the stored version must say so, so that
    the next run extracts again."""
    import nlp.pipeline as pipeline

    def write(kinds_fp: str, roles_fp: str) -> str:
        for lang in ("en", "nl"):
            (tmp_path / f"claim-kinds-{lang}").mkdir(exist_ok=True)
            (tmp_path / f"claim-kinds-{lang}" / "meta.json").write_text(json.dumps({"privnews": {"fingerprint": kinds_fp}}))
        (tmp_path / "claim-roles").mkdir(exist_ok=True)
        (tmp_path / "claim-roles" / "weights.json").write_text(json.dumps({"fingerprint": roles_fp}))
        return pipeline.Extractor().version

    import nlp.claim_kinds
    import nlp.claim_roles

    monkeypatch.setattr(nlp.claim_kinds, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(nlp.claim_roles, "MODELS_DIR", tmp_path)
    first = write("aaaa", "bbbb")
    assert first.startswith(f"{EXTRACTOR_VERSION}+spacy+") and first == write("aaaa", "bbbb")
    assert write("aaab", "bbbb") != first and write("aaaa", "bbbc") != first
    assert pipeline.Extractor(skip=("privnews_claim_kinds",)).version != pipeline.Extractor().version


def test_documents_out_of_the_pipeline_still_serialise():
    """Components keep plain data on the Doc (the claims' citations included): nlp.pipe(n_process=2) and DocBin
    serialise every document."""
    nlp = build_nlp("en")
    doc = nlp("The CNIL fined Acme under Article 6(1)(a) GDPR. Acme relies on legitimate interest.")
    assert doc._.claims
    assert Doc(nlp.vocab).from_bytes(doc.to_bytes()).text == doc.text


@pytest.mark.parametrize("fraction", ["0", "1.5", "-0.2"])
def test_the_trainer_refuses_a_training_fraction_outside_0_to_1(fraction, capsys):
    from models.training.train_claim_kinds import main

    with pytest.raises(SystemExit):
        main(["--folds", "5", "--train-fraction", fraction])
    assert "--train-fraction must be in (0, 1]" in capsys.readouterr().err

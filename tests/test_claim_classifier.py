"""The claim-sentence classifier: a tiny BERT sequence classifier built here (random weights, the WordPiece
vocabulary of tests/test_hf_ner.py), saved to a temporary directory and loaded through the real loading path;
a few fine-tuning steps on a handful of sentences; the sentence labelling and the folds of the trainer."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification, BertTokenizer  # noqa: E402

from models.training import train_claims  # noqa: E402
from nlp.claim_classifier import ClaimSentenceClassifier, load_classifier  # noqa: E402
from nlp.hf_ner import ModelNotAvailable  # noqa: E402
from tests.test_hf_ner import _vocab, one_thread  # noqa: E402,F401  (one_thread: an autouse fixture)

CLAIMS = ["De Autoriteit Persoonsgegevens legt Meta een boete op.",
          "noyb filed a complaint against Clearview AI.",
          "TikTok is in beroep gegaan tegen de boete.",
          "Max Schrems filed a complaint with the regulator."]
OTHER = ["Het regent in Den Haag.", "The database is large.", "Aleid Wolfsen zegt het van de data.",
         "Helene is over the data."]


def _tiny(path: Path, id2label: dict | None = None, cls=BertForSequenceClassification) -> Path:
    id2label = id2label or {0: "other", 1: "claim"}
    vocab = _vocab()
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=128, id2label=id2label,
                        label2id={v: k for k, v in id2label.items()}, architectures=[cls.__name__])
    torch.manual_seed(0)
    cls(config).save_pretrained(path)
    BertTokenizer(vocab=vocab, do_lower_case=True).save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return _tiny(tmp_path_factory.mktemp("tiny-claims"))


def test_batches_give_one_probability_per_sentence_in_input_order(tiny_model):
    texts = CLAIMS + OTHER + [" ".join(CLAIMS * 6), ""]          # one long (truncated), one empty
    batched = ClaimSentenceClassifier(tiny_model, batch_size=3, max_length=24, device="cpu").predict(texts)
    assert batched.shape == (len(texts),)
    assert ((batched > 0) & (batched < 1)).all()
    one = ClaimSentenceClassifier(tiny_model, batch_size=1, max_length=24, device="cpu")
    singles = [float(one.predict([t])[0]) for t in texts]
    assert batched.tolist() == pytest.approx(singles, abs=1e-5)   # padding and length sorting change nothing
    assert len(set(round(p, 6) for p in singles)) > 3             # a random model still tells texts apart
    assert one.predict([]).shape == (0,)


def test_positive_class_is_found_by_its_label(tmp_path, tiny_model):
    texts = CLAIMS + OTHER
    p = ClaimSentenceClassifier(tiny_model, device="cpu").predict(texts)
    flipped = _tiny(tmp_path / "flipped", id2label={0: "claim", 1: "other"})      # same weights, labels swapped
    q = ClaimSentenceClassifier(flipped, device="cpu").predict(texts)
    assert (p + q).tolist() == pytest.approx([1.0] * len(texts), abs=1e-5)


def test_missing_or_wrong_models_are_explained(tmp_path, monkeypatch):
    from huggingface_hub import constants

    with pytest.raises(ModelNotAvailable, match="--task claims"):
        load_classifier(tmp_path / "nothing-here")
    with pytest.raises(ModelNotAvailable, match="not a sequence-classification"):
        load_classifier(_tiny(tmp_path / "ner", {0: "O", 1: "B-PER"}, cls=BertForTokenClassification))
    with pytest.raises(ModelNotAvailable, match="--task claims"):
        ClaimSentenceClassifier(None, cache_root=tmp_path / "empty-cache")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    started = time.perf_counter()
    with pytest.raises(ModelNotAvailable, match="HF_HUB_OFFLINE=1") as info:
        load_classifier("privnews-test/no-such-claims-model")
    assert time.perf_counter() - started < 10 and "privnews-test/no-such-claims-model" in str(info.value)


def test_a_few_fine_tuning_steps_lower_the_loss_and_the_model_is_cached(tmp_path, tiny_model):
    sents = [train_claims.Sentence(f"d{i % 4}", "nl" if i % 2 else "en", 0, len(t), t, int(t in CLAIMS))
             for i, t in enumerate(CLAIMS + OTHER)]
    params = train_claims.HyperParams(epochs=20, batch_size=4, learning_rate=1e-2, warmup=0.0, max_length=32,
                                      freeze_word_embeddings=False)
    out = train_claims.train(tmp_path / "cache", base=str(tiny_model), params=params, sentences=sents)
    assert out.name.startswith(train_claims.PREFIX)
    meta = json.loads((out / "training.json").read_text())
    assert meta["sentences"] == 8 and meta["positive"] == 4 and meta["fold"] is True
    losses = meta["losses"]
    assert len(losses) == meta["steps"] == 20 * 2
    assert sum(losses[-4:]) / 4 < 0.5 * sum(losses[:4]) / 4
    started = time.perf_counter()
    assert train_claims.train(tmp_path / "cache", base=str(tiny_model), params=params, sentences=sents) == out
    assert time.perf_counter() - started < 5                              # cache hit: nothing retrained
    assert train_claims.locate_model(tmp_path / "cache") is None           # fold models are not the product
    p = ClaimSentenceClassifier(out, device="cpu").predict(CLAIMS + OTHER)   # the trained model loads back
    assert p[:4].min() > p[4:].max()                                      # and separates what it learnt


def test_sentences_are_labelled_by_gold_claim_overlap_and_test_docs_refused(tmp_path):
    text = "De AP legt Meta een boete op. Het regent. Meta gaat in beroep."
    gold = {"id": "x", "lang": "nl", "split": "dev", "text": text,
            "claims": [{"kind": "fine", "start": 3, "end": 28}, {"kind": "appeal", "start": 42, "end": 62}]}
    spans = [(0, 29), (30, 41), (42, 63), (63, 63)]
    labelled = train_claims.label_sentences(gold, spans)
    assert [(s.text, s.label) for s in labelled] == [
        ("De AP legt Meta een boete op.", 1), ("Het regent.", 0), ("Meta gaat in beroep.", 1)]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({**gold, "split": "test"}) + "\n")
    with pytest.raises(train_claims.TrainingError, match="test-split"):
        train_claims.dev_sentences(path)


def test_folds_split_documents_and_keep_both_languages():
    sents = [train_claims.Sentence(f"{lang}-{i}", lang, 0, 1, "x", 0) for lang in ("nl", "en") for i in range(9)]
    groups = train_claims.folds(sents, 4)
    assert sorted(d for g in groups for d in g) == sorted({s.doc_id for s in sents})   # each doc once
    assert all({d[:2] for d in g} == {"nl", "en"} for g in groups)


def test_cli_train_claims_needs_the_transformers_backend():
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["train", "--task", "claims"])
    assert result.exit_code == 2 and "claims with --backend transformers" in result.output


def test_gating_drops_rule_claims_whose_sentences_the_classifier_rejects():
    from benchmarks.claim_classifier import claim_counts, gate, review_queue

    text = "De AP legt Meta een boete op. Het regent. Meta gaat in beroep."
    gold = [{"id": "x", "lang": "nl", "text": text, "claims": [{"kind": "fine", "start": 3, "end": 28}]}]
    preds = [{"id": "x", "lang": "nl", "claims": [{"kind": "fine", "start": 3, "end": 28},
                                                   {"kind": "appeal", "start": 42, "end": 62}]}]
    sents = train_claims.label_sentences(gold[0], [(0, 29), (30, 41), (42, 63)])
    probs = [0.9, 0.8, 0.2]
    kept = gate(preds, sents, probs, 0.5)[0]["claims"]
    assert [c["kind"] for c in kept] == ["fine"]                           # the appeal's sentence scored 0.2
    assert gate(preds, sents, probs, 0.1) == preds
    rules, gated = claim_counts(gold, preds)["nl"], claim_counts(gold, gate(preds, sents, probs, 0.5))["nl"]
    assert (rules.tp, rules.fp, gated.tp, gated.fp) == (1, 1, 1, 0)
    # "Het regent." is flagged (0.8, no rule claim in it) but holds no missed gold claim
    assert review_queue(gold, preds, sents, probs, 0.5)["nl"] == {
        "flagged": 1, "flagged_with_missed": 0, "covered": 0, "missed": 0}

"""The transformers NER backend: a tiny BERT built here (random weights, a WordPiece vocabulary written below),
saved to a temporary directory and loaded through the real loading path.

The inference tests make the tiny model *token-local* (attention and feed-forward outputs, position and type
embeddings zeroed) and give chosen word pieces an embedding pointing at one class, so its output is known in
advance: any entity that comes out wrong is the component's batching, windowing, alignment or decoding at fault.
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy

torch = pytest.importorskip("torch")
from transformers import BertConfig, BertForTokenClassification, BertModel, BertTokenizer  # noqa: E402

from models.training import train_hf  # noqa: E402
from nlp.hf_labels import decode, entity_label, label_table, parse_label  # noqa: E402
from nlp.hf_ner import ModelNotAvailable, add_transformer_ner, load_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "hf_ner"
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
# Word pieces the tiny model is wired to tag; everything else in the vocabulary is "O".
WIRED = {"B-ORG": ["meta", "noyb", "clear", "autoriteit", "tiktok"],
         "I-ORG": ["##view", "persoons", "##gegevens"],
         "B-PER": ["aleid", "max", "helene"],
         "I-PER": ["wolfsen", "schrems"]}
NL = "De Autoriteit Persoonsgegevens legt Meta een boete op, zegt Aleid Wolfsen in Den Haag."
NL_ENTS = [("Autoriteit Persoonsgegevens", "ORG"), ("Meta", "ORG"), ("Aleid Wolfsen", "PERSON")]
EN = "Max Schrems of noyb filed a complaint against Clearview AI's database with TikTok."
EN_ENTS = [("Max Schrems", "PERSON"), ("noyb", "ORG"), ("Clearview", "ORG"), ("TikTok", "ORG")]
PLAIN = ("de legt een boete op zegt in den haag of filed a complaint against ai database with the "
         "regulator toezichthouder and is het van de over data").split()


def _vocab() -> dict[str, int]:
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces += [p for group in WIRED.values() for p in group] + PLAIN
    chars = list("abcdefghijklmnopqrstuvwxyz0123456789.,;:'’\"!?()-€%")
    pieces += chars + ["##" + c for c in chars]
    return {p: i for i, p in enumerate(dict.fromkeys(pieces))}


def _tiny(path: Path, wired: bool) -> Path:
    vocab = _vocab()
    tokenizer = BertTokenizer(vocab=vocab, do_lower_case=True)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=512, type_vocab_size=2,
                        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
                        architectures=["BertForTokenClassification"])
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    if wired:
        with torch.no_grad():
            emb = model.bert.embeddings
            emb.position_embeddings.weight.zero_()
            emb.token_type_embeddings.weight.zero_()
            emb.word_embeddings.weight.zero_()
            emb.word_embeddings.weight[:, 0] = 10.0          # default class: O
            for label, group in WIRED.items():
                for piece in group:
                    row = emb.word_embeddings.weight[vocab[piece]]
                    row.zero_()
                    row[LABELS.index(label)] = 10.0
            for layer in model.bert.encoder.layer:
                for dense in (layer.attention.output.dense, layer.output.dense):
                    dense.weight.zero_()
                    dense.bias.zero_()
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            for i in range(len(LABELS)):
                model.classifier.weight[i, i] = 1.0
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return _tiny(tmp_path_factory.mktemp("tiny-ner"), wired=True)


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny matrices: thread hand-offs cost more than the arithmetic, badly so on a busy 2-core machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _pipeline(lang: str, model: Path, **config):
    nlp = spacy.blank(lang)
    add_transformer_ner(nlp, lang, model=model, **config)
    return nlp


def _ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_tags_dutch_and_english_through_the_real_loading_path(tiny_model):
    for lang, text, expected in (("nl", NL, NL_ENTS), ("en", EN, EN_ENTS)):
        doc = _pipeline(lang, tiny_model)(text)
        assert _ents(doc) == expected
        # "Den Haag", "AI" and "'s" are not tagged: the wired pieces are the only entities.
        assert not any(e.text in ("Den Haag", "AI", "Clearview AI's") for e in doc.ents)


def test_offsets_survive_case_accents_odd_spacing_and_token_mismatch(tiny_model):
    # The tokenizer lower-cases and strips accents ("Hélène" -> "helene"), spaCy keeps "Meta's" whole in Dutch
    # while WordPiece splits it, and runs of whitespace are their own spaCy tokens.
    text = "Volgens  HÉLÈNE Wolfsen\n\nzegt META's toezichthouder:\t\"Clearview\" en noyb."
    doc = _pipeline("nl", tiny_model)(text)
    got = [(text[e.start_char:e.end_char], e.label_) for e in doc.ents]
    assert got == [("HÉLÈNE Wolfsen", "PERSON"), ("META's", "ORG"), ("Clearview", "ORG"), ("noyb", "ORG")]
    assert all(e.text == text[e.start_char:e.end_char] for e in doc.ents)


def test_long_text_is_windowed_with_a_stride_and_stitched(tiny_model):
    nlp = _pipeline("nl", tiny_model, window=16, stride=4)
    text = " ".join([NL, EN] * 15)
    tokenizer = nlp.get_pipe("privnews_hf_ner").tokenizer
    assert len(tokenizer(text)["input_ids"]) > 20 * 16           # many windows, entities straddle their edges
    doc = nlp(text)
    assert _ents(doc) == (NL_ENTS + EN_ENTS) * 15
    # The same text in one big window gives the same entities.
    assert _ents(_pipeline("nl", tiny_model, window=512, stride=64)(text)) == (NL_ENTS + EN_ENTS) * 15


def test_batches_give_the_same_result_as_one_by_one(tiny_model):
    nlp = _pipeline("en", tiny_model, batch_size=3, window=24, stride=6)
    texts = [EN, "", NL * 5, "nothing to see here", EN + " " + NL, "   ", NL]
    one_by_one = [_ents(nlp(t)) for t in texts]
    batched = [_ents(d) for d in nlp.pipe(texts, batch_size=3)]
    assert batched == one_by_one
    assert one_by_one[1] == [] and one_by_one[5] == [] and one_by_one[3] == []
    assert one_by_one[0] == EN_ENTS and one_by_one[6] == NL_ENTS


@pytest.mark.parametrize("priority, expected", [
    ("model", [("Aleid Wolfsen", "PERSON"), ("Den Haag", "GPE")]),
    ("existing", [("Wolfsen", "ORG"), ("Den Haag", "GPE")]),
    ("model_only", [("Aleid Wolfsen", "PERSON")]),
])
def test_existing_entities_merge_by_priority(tiny_model, priority, expected):
    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Den Haag"}, {"label": "ORG", "pattern": "Wolfsen"}])
    add_transformer_ner(nlp, "nl", model=tiny_model, priority=priority)
    assert _ents(nlp("Dat zegt Aleid Wolfsen in Den Haag.")) == expected


def test_component_round_trips_through_disk(tiny_model, tmp_path):
    nlp = _pipeline("en", tiny_model, window=32, stride=8)
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "privnews_hf_ner" / "config.json").exists()
    again = spacy.load(tmp_path / "pipe")
    assert again.get_pipe("privnews_hf_ner").window == 32
    assert _ents(again(EN)) == _ents(nlp(EN)) == EN_ENTS


def test_random_model_output_is_well_formed(tmp_path):
    model = _tiny(tmp_path / "random", wired=False)
    nlp = _pipeline("nl", model, window=16, stride=4)
    text = " ".join([NL, EN] * 4)
    doc = nlp(text)
    assert {e.label_ for e in doc.ents} <= {"PERSON", "ORG"}
    assert all(text[e.start_char:e.end_char] == e.text and e.text.strip() for e in doc.ents)


def test_labels_of_other_schemes_are_mapped():
    assert parse_label("B-PER") == ("B", "PER")
    assert parse_label("i-org") == ("I", "ORG")
    assert parse_label("PER-B") == ("B", "PER")
    assert parse_label("S-PERSON") == ("S", "PERSON")
    assert parse_label("U-ORG") == ("S", "ORG")
    assert parse_label("L-ORG") == ("E", "ORG")
    assert parse_label("ORG") == ("I", "ORG")
    assert parse_label("O") == ("O", None)
    assert entity_label("PER") == entity_label("PERSON") == "PERSON"
    assert entity_label("ORGANIZATION") == "ORG"
    assert entity_label("LOC") is None and entity_label("MISC") is None and entity_label("GPE") is None
    assert entity_label("PERSOON", {"persoon": "PERSON"}) == "PERSON"
    assert entity_label("LOC", {"LOC": "GPE"}) == "GPE"
    onto = label_table({0: "O", 1: "B-PERSON", 2: "I-PERSON", 3: "B-GPE", 4: "B-ORG", 5: "I-ORG"})
    assert onto == [("O", None), ("B", "PERSON"), ("I", "PERSON"), ("O", None), ("B", "ORG"), ("I", "ORG")]
    t = label_table({0: "O", 1: "B-PER", 2: "I-PER", 3: "E-PER", 4: "S-ORG", 5: "I-ORG"})
    # BIO, IOB1 (I starts an entity), BIOES, and a type change inside a run
    assert decode([t[1], t[2], t[0], t[4], t[4]]) == [(0, 2, "PERSON"), (3, 4, "ORG"), (4, 5, "ORG")]
    assert decode([t[2], t[2], t[5], t[0]]) == [(0, 2, "PERSON"), (2, 3, "ORG")]
    assert decode([t[1], t[3], t[2]]) == [(0, 2, "PERSON"), (2, 3, "PERSON")]
    assert decode([t[1], t[1]]) == [(0, 1, "PERSON"), (1, 2, "PERSON")]


def test_missing_hub_model_fails_fast_offline_with_what_to_do():
    code = (
        "import time\n"
        "import transformers.models.auto.modeling_auto, transformers.models.auto.tokenization_auto\n"
        "from nlp.hf_ner import load_model, ModelNotAvailable\n"
        "t = time.perf_counter()\n"
        "try:\n"
        "    load_model('privnews-test/no-such-ner-model')\n"
        "except ModelNotAvailable as exc:\n"
        "    print(round(time.perf_counter() - t, 2)); print(exc)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    lines = out.stdout.splitlines()
    assert lines, out.stderr
    assert float(lines[0]) < 10.0              # without HF_HUB_OFFLINE it retries for ~50 s
    message = "\n".join(lines[1:])
    assert "HF_HUB_OFFLINE=1" in message and "privnews train --backend transformers" in message
    assert "privnews-test/no-such-ner-model" in message


def test_missing_directory_and_wrong_model_kind_are_explained(tmp_path):
    with pytest.raises(ModelNotAvailable, match="privnews train --backend transformers"):
        load_model(tmp_path / "nothing-here")
    base = tmp_path / "encoder-only"
    tokenizer = BertTokenizer(vocab=_vocab(), do_lower_case=True)
    BertModel(BertConfig(vocab_size=len(_vocab()), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=32, architectures=["BertModel"])).save_pretrained(base)
    tokenizer.save_pretrained(base)
    with pytest.raises(ModelNotAvailable, match="not a token-classification"):
        load_model(base)
    with pytest.raises(ModelNotAvailable, match="privnews train --backend transformers"):
        add_transformer_ner(spacy.blank("nl"), "nl", model=None, cache_root=tmp_path / "empty-cache")


def test_training_examples_come_from_ner_files_and_dev_gold_only(tmp_path):
    gold = tmp_path / "gold.jsonl"
    text = "Clearview AI kreeg een boete van de AP; Clearview gaat in beroep."
    doc = {"id": "x", "lang": "nl", "split": "dev", "text": text, "actors": [
        {"name": "Clearview AI", "type": "company", "mentions": [
            {"text": "Clearview AI", "start": 0, "end": 12}, {"text": "Clearview", "start": 0, "end": 9},
            {"text": "Clearview", "start": 40, "end": 49}]},
        {"name": "Autoriteit Persoonsgegevens", "type": "regulator", "mentions": [{"text": "AP", "start": 36, "end": 38}]}]}
    gold.write_text(json.dumps(doc) + "\n")
    examples = train_hf.training_examples(train_hf.HyperParams(), ner_dir=DATA, gold_dev=gold)
    assert len(examples) == 9
    assert examples[-1] == (text, [(0, 12, "ORG"), (36, 38, "ORG"), (40, 49, "ORG")])   # overlap: longest kept
    assert examples[1][1] == [(8, 21, "PER")]
    gold.write_text(json.dumps({**doc, "split": "test"}) + "\n")
    with pytest.raises(train_hf.TrainingError, match="test-split"):
        train_hf.training_examples(train_hf.HyperParams(), ner_dir=DATA, gold_dev=gold)


@pytest.mark.slow
def test_fine_tuning_a_tiny_model_lowers_its_loss_and_caches_by_content(tmp_path):
    base = _tiny(tmp_path / "base", wired=False)
    params = train_hf.HyperParams(epochs=12, batch_size=4, learning_rate=3e-3, max_length=32, stride=8,
                                  warmup=0.0, use_gold_dev=False)
    examples = train_hf.training_examples(params, ner_dir=DATA)
    _tok, _model, losses = train_hf.fit(str(base), examples, params)
    windows = len(train_hf.encode(_tok, examples, params))
    assert len(losses) == 12 * -(-windows // 4)
    assert sum(losses[-5:]) / 5 < 0.5 * sum(losses[:5]) / 5

    short = train_hf.HyperParams(epochs=2, batch_size=4, max_length=32, stride=8, use_gold_dev=False)
    out = train_hf.train(tmp_path / "cache", base=str(base), params=short, ner_dir=DATA)
    assert out.parent == tmp_path / "cache" and out.name.startswith("hf-ner-")
    meta = json.loads((out / "training.json").read_text())
    assert meta["steps"] == 2 * -(-windows // 4) and meta["params"]["case_feature"] is True
    started = time.perf_counter()
    assert train_hf.train(tmp_path / "cache", base=str(base), params=short, ner_dir=DATA) == out
    assert time.perf_counter() - started < 5                       # cache hit: nothing retrained
    assert train_hf.locate_model(tmp_path / "cache", base=str(base), params=short) == out
    other = train_hf.train(tmp_path / "cache", base=str(base), params=dataclasses.replace(short, seed=1),
                           ner_dir=DATA)
    assert other != out                                             # different hyper-parameters, new key
    # The fine-tuned model loads through the component (case feature read from its config).
    nlp = _pipeline("en", out)
    assert nlp.get_pipe("privnews_hf_ner").case_feature is True
    assert {e.label_ for e in nlp(EN).ents} <= {"PERSON", "ORG"}


def test_extractor_uses_the_cached_fine_tuned_model(tiny_model, tmp_path, monkeypatch, caplog):
    """`Extractor(ner_backend="transformers")` finds the model `privnews train --backend transformers` built
    under data/models (here: the wired tiny model, standing in for a stale cache entry)."""
    import shutil

    from nlp.pipeline import Extractor

    cached = tmp_path / "data" / "models" / "hf-ner-0123456789abcdef"
    shutil.copytree(tiny_model, cached)
    (cached / "training.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    fact = Extractor(ner_backend="transformers").extract(NL, lang="nl", doc_id="d1")
    names = {a["name"]: a["type"] for a in fact["actors"]}
    assert names.get("Aleid Wolfsen") == "person"
    assert "Den Haag" not in names
    assert "privnews train --backend transformers" in caplog.text        # stale-cache warning says what to do

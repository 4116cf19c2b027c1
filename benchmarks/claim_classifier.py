"""Does a transformer claim-sentence classifier improve the rule-based claims? Measured on the test split.

    HF_HUB_OFFLINE=1 python -m benchmarks.claim_classifier [--folds 2] [--threads 2]

1. Trains (or finds in the cache under data/models) the classifier on all dev sentences, and one model per
   fold of dev documents for out-of-fold dev probabilities (models/training/train_claims.py).
2. Chooses the gating threshold on dev: the one whose gated rule claims score the best claims F1 on dev, with
   out-of-fold probabilities (the dev sentences each fold model never saw). The test split is not looked at.
3. On the test split (never trained on) prints:
   (a) sentence-level P/R/F1 of the classifier (and of the rules read as a sentence classifier: a sentence is
       positive when a rule claim overlaps it);
   (b) claims P/R/F1 per language (nlp.evaluate) for the rules alone and for the rules gated by the
       classifier: a rule claim is dropped when no sentence it overlaps reaches the threshold;
   (c) the recall side: sentences the classifier flags that hold no rule claim (a review queue), and how many
       of the claims the rules miss lie in them.
Nothing here is a test: the figures describe this corpus and this training run.
"""
from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "models" / "corpus"
GRID = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and a_end > b_start


def rule_run(docs: list[dict], nlps: dict) -> tuple[list[dict], list]:
    """(contract predictions, labelled sentences with the extractor's cuts) for `docs`, rules only."""
    from models.training.train_claims import label_sentences, sentences_of
    from nlp.contract import assemble

    preds, sentences = [], []
    for gold, doc, spans in sentences_of(docs, nlps, full=True):
        preds.append(assemble(gold["id"], gold["lang"], gold["text"], doc._.actors, doc._.statistics, doc._.claims))
        sentences += label_sentences(gold, spans)
    return preds, sentences


def gate(preds: list[dict], sentences: list, probs, threshold: float) -> list[dict]:
    """Rule predictions without the claims whose every overlapping sentence scores below `threshold`."""
    by_doc: dict[str, list[tuple[int, int, float]]] = {}
    for s, p in zip(sentences, probs):
        by_doc.setdefault(s.doc_id, []).append((s.start, s.end, float(p)))
    out = []
    for pred in preds:
        sents = by_doc.get(pred["id"], [])
        keep = [c for c in pred["claims"]
                if max((p for s, e, p in sents if _overlaps(c["start"], c["end"], s, e)), default=1.0) >= threshold]
        out.append({**pred, "claims": keep})
    return out


def claim_counts(gold: list[dict], preds: list[dict]) -> dict:
    from nlp.evaluate import score

    return {lang: kinds["claims"] for lang, kinds in score(gold, preds).items()}


def sentence_counts(sentences: list, predicted) -> dict:
    """{lang: Counts} of sentence-level decisions (`predicted`: one bool per sentence), plus "all"."""
    from nlp.evaluate import Counts

    out: dict = {}
    for s, yes in zip(sentences, predicted):
        for lang in (s.lang, "all"):
            c = out.setdefault(lang, Counts())
            c.tp += int(yes and s.label)
            c.fp += int(yes and not s.label)
            c.fn += int(not yes and s.label)
    return out


def choose_threshold(gold: list[dict], preds: list[dict], sentences: list, probs) -> tuple[float, list[tuple]]:
    """Best dev claims F1 over GRID (ties: the lowest threshold, i.e. the least gating); all (t, P, R, F1)."""
    curve = []
    for t in GRID:
        c = claim_counts(gold, gate(preds, sentences, probs, t))["all"]
        curve.append((t, c.precision, c.recall, c.f1))
    best = max(curve, key=lambda row: (round(row[3], 6), -row[0]))
    return best[0], curve


def rule_sentences(preds: list[dict], sentences: list) -> list[bool]:
    claims = {p["id"]: p["claims"] for p in preds}
    return [any(_overlaps(c["start"], c["end"], s.start, s.end) for c in claims.get(s.doc_id, [])) for s in sentences]


def review_queue(gold: list[dict], preds: list[dict], sentences: list, probs, threshold: float) -> dict:
    """Sentences flagged by the classifier that hold no rule claim, per language: how many, how many hold a
    gold claim the rules miss, and how many of the missed gold claims they cover."""
    from nlp.evaluate import match_claims

    preds_by_id = {p["id"]: p for p in preds}
    missed: dict[str, list[dict]] = {}
    for g in gold:
        pc = preds_by_id[g["id"]]["claims"]
        found = {gi for gi, _pi in match_claims(g["claims"], pc)}
        missed[g["id"]] = [c for i, c in enumerate(g["claims"]) if i not in found]
    has_rule = rule_sentences(preds, sentences)
    out: dict = {}
    for s, p, ruled in zip(sentences, probs, has_rule):
        for lang in (s.lang, "all"):
            row = out.setdefault(lang, {"flagged": 0, "flagged_with_missed": 0, "covered": set(), "missed": 0})
            if p >= threshold and not ruled:
                row["flagged"] += 1
                hits = [i for i, c in enumerate(missed[s.doc_id]) if _overlaps(c["start"], c["end"], s.start, s.end)]
                row["flagged_with_missed"] += int(bool(hits))
                row["covered"].update((s.doc_id, i) for i in hits)
    for g in gold:
        for lang in (g["lang"], "all"):
            out.setdefault(lang, {"flagged": 0, "flagged_with_missed": 0, "covered": set(), "missed": 0})
            out[lang]["missed"] += len(missed[g["id"]])
    return {lang: {**row, "covered": len(row["covered"])} for lang, row in out.items()}


def _prf(c) -> str:
    return f"{c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f}"


def _langs(table: dict) -> list[str]:
    return sorted(table, key=lambda lang: (lang == "all", lang))


def render(result: dict) -> str:
    thr = result["threshold"]
    chosen = (f"chosen on dev (out-of-fold, {result['folds']} folds: dev claims F1 {result['dev_f1_rules']:.3f} "
              f"rules alone -> {result['dev_f1_gated']:.3f} gated)" if result["folds"] else "given (--threshold)")
    lines = [f"Classifier: `{result['model']}` ({result['training']}); threshold {thr:.2f} {chosen}.", "",
             "(a) Sentence level, test split", "",
             "| lang | sentences | with a gold claim | decided by | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for lang in _langs(result["sent_clf"]):
        n, pos = result["sent_sizes"][lang]
        lines.append(f"| {lang} | {n} | {pos} | rules (a rule claim in it) | {_prf(result['sent_rules'][lang])} |")
        lines.append(f"| {lang} | {n} | {pos} | classifier, p >= {thr:.2f} | {_prf(result['sent_clf'][lang])} |")
        lines.append(f"| {lang} | {n} | {pos} | classifier, p >= 0.50 | {_prf(result['sent_clf50'][lang])} |")
    lines += ["", "(b) Claims, test split (nlp.evaluate: kind + overlapping span)", "",
              "| lang | gold | claims from | predicted | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for lang in _langs(result["rules"]):
        for name, table in (("rules", result["rules"]), (f"rules gated at {thr:.2f}", result["gated"])):
            c = table[lang]
            lines.append(f"| {lang} | {c.tp + c.fn} | {name} | {c.tp + c.fp} | {_prf(c)} |")
    lines += ["", "(c) Recall side, test split: classifier-positive sentences without a rule claim", "",
              "| lang | flagged sentences | holding a missed gold claim | missed gold claims covered |",
              "|---|---|---|---|"]
    for lang in _langs(result["queue"]):
        q = result["queue"][lang]
        lines.append(f"| {lang} | {q['flagged']} | {q['flagged_with_missed']} | {q['covered']} of {q['missed']} |")
    lines += ["", "(d) For reference only, never used to choose: claims F1 on test at every threshold (an upper "
              "bound for any threshold choice)", "",
              "| threshold | " + " | ".join(f"F1 {lang}" for lang in _langs(result["rules"])) + " |",
              "|---|" + "---|" * len(result["rules"])]
    lines.append("| rules alone | " + " | ".join(f"{result['rules'][lang].f1:.3f}" for lang in _langs(result["rules"]))
                 + " |")
    lines += [f"| {t:.2f} | " + " | ".join(f"{table[lang].f1:.3f}" for lang in _langs(table)) + " |"
              for t, table in result["test_curve"]]
    if result["folds"]:
        lines += ["", "Threshold curve on dev (out-of-fold): " + ", ".join(
            f"{t:.2f}: F1 {f:.3f}" for t, _p, _r, f in result["curve"])]
    return "\n".join(lines)


def run(output_root: Path, folds: int = 2, base: str | None = None, epochs: int | None = None,
        model: Path | None = None, threshold: float | None = None) -> dict:
    """`model` + `threshold` given: measure that classifier at that (earlier chosen) threshold, no training."""
    from models.training import train_claims
    from nlp.claim_classifier import ClaimSentenceClassifier

    params = train_claims.HyperParams() if epochs is None else train_claims.HyperParams(epochs=epochs)
    dev = train_claims.read_gold(CORPUS / "gold-dev.jsonl")
    test = train_claims.read_gold(CORPUS / "gold-test.jsonl")
    if {d["id"] for d in dev} & {d["id"] for d in test}:
        raise SystemExit("a document is in both the dev and the test split")
    started = time.perf_counter()
    nlps: dict = {}
    dev_preds, _ = rule_run(dev, nlps)
    if model is None or threshold is None:
        model_dir = train_claims.train(output_root, base=base, params=params)
        oof_sentences, oof_probs = train_claims.out_of_fold(output_root, base=base, params=params, k=folds)
        threshold, curve = choose_threshold(dev, dev_preds, oof_sentences, oof_probs)
    else:
        model_dir, curve, folds = Path(model), [(threshold, 0.0, 0.0, float("nan"))], 0
    train_seconds = time.perf_counter() - started
    test_preds, test_sentences = rule_run(test, nlps)
    clf = ClaimSentenceClassifier(model_dir)
    probs = clf.predict([s.text for s in test_sentences])
    meta = json.loads((model_dir / "training.json").read_text(encoding="utf-8"))
    sizes = {}
    for s in test_sentences:
        for lang in (s.lang, "all"):
            n, pos = sizes.get(lang, (0, 0))
            sizes[lang] = (n + 1, pos + s.label)
    return {
        "model": model_dir.name, "folds": folds, "threshold": threshold, "curve": curve,
        "training": f"{meta['sentences']} dev sentences, {meta['steps']} steps, {meta['seconds']:.0f} s wall, "
                    f"{meta.get('cpu_seconds', 0):.0f} s CPU",
        "train_and_oof_seconds": round(train_seconds, 1),
        "dev_f1_rules": claim_counts(dev, dev_preds)["all"].f1,
        "dev_f1_gated": next(f for t, _p, _r, f in curve if t == threshold),
        "sent_sizes": sizes,
        "sent_rules": sentence_counts(test_sentences, rule_sentences(test_preds, test_sentences)),
        "sent_clf": sentence_counts(test_sentences, probs >= threshold),
        "sent_clf50": sentence_counts(test_sentences, probs >= 0.5),
        "rules": claim_counts(test, test_preds),
        "gated": claim_counts(test, gate(test_preds, test_sentences, probs, threshold)),
        "queue": review_queue(test, test_preds, test_sentences, probs, threshold),
        "test_curve": [(t, claim_counts(test, gate(test_preds, test_sentences, probs, t))) for t in GRID],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.claim_classifier", description=__doc__.split("\n")[0])
    ap.add_argument("--output-root", type=Path, default=Path("data") / "models", help="model cache (data/models)")
    ap.add_argument("--folds", type=int, default=2, help="dev folds for the out-of-fold threshold choice")
    ap.add_argument("--base", default=None, help="base encoder (default: the MiniLM package)")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--model", type=Path, default=None, help="with --threshold: measure this trained classifier")
    ap.add_argument("--threshold", type=float, default=None, help="with --model: the threshold chosen on dev")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("models.training.train_claims").setLevel(logging.INFO)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    result = run(args.output_root, folds=args.folds, base=args.base, epochs=args.epochs, model=args.model,
                 threshold=args.threshold)
    print(f"Machine: {platform.processor() or platform.machine()}; dev rules + training + out-of-fold "
          f"{result['train_and_oof_seconds']:.0f} s (cached models count 0)\n")
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

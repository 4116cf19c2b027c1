"""Could a learned sentence detector find the claims the rules miss? A measurement, not part of the pipeline.

    HF_HUB_OFFLINE=1 python -m benchmarks.claim_sentences [--fresh REGEX] [--kind violation] [--add]

A bag-of-words spaCy text classifier (`TextCatBOW`, uni- and bigrams, one per language, trained from scratch in
seconds) learns "this sentence holds a gold claim" (or a claim of `--kind`) from the dev articles that are NOT
matched by `--fresh` (default: the blind batches 24-26, written after every rule they are scored against), and is
scored on the fresh ones against the rules read as a sentence detector (a sentence is positive when a rule claim
overlaps it). The recall side: of the sentences the classifier flags and no rule claim touches, how many hold a
gold claim the rules missed. `--add` also scores claims (nlp.evaluate) for the rules plus one claim per flagged
sentence (kind from a second bag-of-words classifier, the document's most frequent rule claimant and target).
The test split is not looked at. The figures describe this corpus and run only.
"""
from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.training import Example

from flows.documents import read_jsonl
from nlp.claim_kinds import overlapping

CORPUS = Path(__file__).resolve().parent.parent / "models" / "corpus"
FRESH = r"nl-2(?:3[5-9]|4\d|5[0-2])|en-2(?:3[6-9]|4\d|5[0-3])"
THRESHOLDS = (0.3, 0.5, 0.7, 0.85)


@lru_cache(maxsize=None)
def _splitter(lang: str):
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def _sentences(doc: dict):
    """(start, end, text) of every non-empty sentence of a document."""
    for sent in _splitter(doc["lang"])(doc["text"]).sents:
        if sent.text.strip():
            yield sent.start_char, sent.end_char, sent.text


def sentence_rows(docs: list[dict], preds: dict[str, dict], kind: str | None) -> dict[str, list[tuple]]:
    """Per language: (sentence text, holds a gold claim, holds a rule claim) for every sentence of `docs`."""
    def holds(claims, a, b):
        return any(kind is None or c["kind"] == kind for c in overlapping(claims, a, b))
    rows: dict[str, list[tuple]] = {}
    for doc in docs:
        for a, b, text in _sentences(doc):
            rows.setdefault(doc["lang"], []).append((text, holds(doc["claims"], a, b),
                                                     holds(preds[doc["id"]]["claims"], a, b)))
    return rows


def train(lang: str, rows: list[tuple], epochs: int = 8, seed: int = 13):
    """A bag-of-words classifier for `lang` trained on (text, label, _) rows: CLAIM or OTHER when the label is a
    bool, else one class per distinct label (a claim kind)."""
    random.seed(seed)
    nlp = spacy.blank(lang)
    textcat = nlp.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3",
                                                        "exclusive_classes": True, "ngram_size": 2,
                                                        "no_output_layer": False}})
    binary = all(isinstance(y, bool) for _, y, _ in rows)
    labels = ["CLAIM", "OTHER"] if binary else sorted({y for _, y, _ in rows})
    for label in labels:
        textcat.add_label(label)

    def cats(y) -> dict[str, float]:
        return {"CLAIM": float(y), "OTHER": float(not y)} if binary else {k: float(k == y) for k in labels}
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": cats(y)}) for t, y, _ in rows]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        random.shuffle(examples)
        for i in range(0, len(examples), 32):
            nlp.update(examples[i:i + 32], sgd=optimizer, drop=0.2)
    return nlp


def counts(predicted: list[bool], gold: list[bool]) -> tuple[int, int, int]:
    tp = sum(p and g for p, g in zip(predicted, gold))
    return tp, sum(p and not g for p, g in zip(predicted, gold)), sum(g and not p for p, g in zip(predicted, gold))


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return f"{p:.2f} | {r:.2f} | {2 * p * r / (p + r) if p + r else 0.0:.2f}"


def measure(detector, eval_rows: list[tuple], lang: str) -> list[str]:
    """Markdown table rows for one language: the rules and the trained `detector` on the eval sentences."""
    gold = [g for _, g, _ in eval_rows]
    rules = [r for _, _, r in eval_rows]
    scores = [detector(t).cats["CLAIM"] for t, _, _ in eval_rows]
    missed = sum(g and not r for g, r in zip(gold, rules))
    out = [f"| {lang} | rules | {prf(*counts(rules, gold))} | | |"]
    for th in THRESHOLDS:
        flagged = [s >= th for s in scores]
        extra = [f and not r for f, r in zip(flagged, rules)]
        found = sum(e and g for e, g in zip(extra, gold))
        out.append(f"| {lang} | classifier >= {th} | {prf(*counts(flagged, gold))} | {sum(extra)} | "
                   f"{found} of {missed} |")
    return out


def kind_rows(docs: list[dict]) -> dict[str, list[tuple]]:
    """Per language: (sentence text, kind of the first gold claim in it, None) for sentences holding a claim."""
    out: dict[str, list[tuple]] = {}
    for doc in docs:
        for a, b, text in _sentences(doc):
            if claims := overlapping(doc["claims"], a, b):
                out.setdefault(doc["lang"], []).append((text, claims[0]["kind"], None))
    return out


def with_added_claims(docs: list[dict], preds: dict[str, dict], detectors: dict, kinds: dict,
                      threshold: float) -> list[dict]:
    """The rules' facts plus one claim for every sentence a detector scores >= `threshold` and no rule claim touches:
    its kind from the kind classifier, its span the sentence, its claimant and target the document's most frequent
    rule claimant and target (what a pipeline would have to hand without more work)."""
    out = []
    for doc in docs:
        pred = dict(preds[doc["id"]])
        claims = list(pred["claims"])
        claimants = Counter(c["claimant"] for c in claims if c.get("claimant"))
        targets = Counter(c["target"] for c in claims if c.get("target"))
        for a, b, text in _sentences(doc):
            if overlapping(pred["claims"], a, b) or detectors[doc["lang"]](text).cats["CLAIM"] < threshold:
                continue
            scores = kinds[doc["lang"]](text).cats
            claims.append({"kind": max(scores, key=scores.get), "basis": None, "articles": [], "polarity": None,
                           "status": None, "amount": None, "text": text, "start": a, "end": b,
                           "claimant": claimants.most_common(1)[0][0] if claimants else None,
                           "target": targets.most_common(1)[0][0] if targets else None})
        pred["claims"] = claims
        out.append(pred)
    return out


def added_claims_table(train_docs: list[dict], eval_docs: list[dict], preds: dict[str, dict],
                       detectors: dict | None = None) -> list[str]:
    """Claims P/R/F1 (nlp.evaluate) on the eval documents: the rules, and the rules plus detector claims.
    `detectors`: any-claim detectors per language already trained on `train_docs` (else trained here)."""
    from nlp.evaluate import rows, score

    if detectors is None:
        train_rows = sentence_rows(train_docs, preds, None)
        detectors = {lang: train(lang, lang_rows) for lang, lang_rows in train_rows.items()}
    langs = sorted({d["lang"] for d in eval_docs} & set(detectors))
    kind_data = kind_rows(train_docs)
    kinds = {lang: train(lang, kind_data[lang]) for lang in langs}
    docs = [d for d in eval_docs if d["lang"] in langs]
    runs = [("rules", [preds[d["id"]] for d in docs])] + [
        (f"rules + detector >= {th}", with_added_claims(docs, preds, detectors, kinds, th)) for th in THRESHOLDS[1:]]
    lines = ["| claims | lang | P | R | F1 | attributes |", "|---|---|---|---|---|---|"]
    for name, run in runs:
        lines += [f"| {name} | {r['lang']} | {r['P']} | {r['R']} | {r['F1']} | {r['attribute accuracy']} |"
                  for r in rows(score(docs, run)) if r["facts"] == "claims" and r["lang"] != "all"]
    return lines


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=CORPUS / "gold-dev.jsonl")
    ap.add_argument("--fresh", default=FRESH, help="ids scored (regex); the other dev articles train")
    ap.add_argument("--kind", default=None, help="one claim kind (e.g. violation); default: any claim")
    ap.add_argument("--add", action="store_true", help="also score the rules plus a claim for each flagged sentence")
    args = ap.parse_args(argv)
    from models.training.rule_output import rule_predictions
    from nlp.pipeline import EXTRACTOR_VERSION

    docs = read_jsonl(args.gold, required="id")
    preds = rule_predictions(docs)  # the rules alone, without the learned claim components they are compared with
    fresh = re.compile(args.fresh)
    train_rows = sentence_rows([d for d in docs if not fresh.fullmatch(d["id"])], preds, args.kind)
    eval_rows = sentence_rows([d for d in docs if fresh.fullmatch(d["id"])], preds, args.kind)
    lines = [f"Sentences holding {'a ' + args.kind if args.kind else 'any'} claim; trained on "
             f"{sum(map(len, train_rows.values()))} sentences, scored on {sum(map(len, eval_rows.values()))} "
             f"(rules of extractor {EXTRACTOR_VERSION}).", "",
             "| lang | detector | P | R | F1 | flagged, no rule claim | of those, a claim the rules missed |",
             "|---|---|---|---|---|---|---|"]
    detectors = {lang: train(lang, train_rows[lang]) for lang in sorted(eval_rows) if train_rows.get(lang)}
    for lang, detector in detectors.items():
        lines += measure(detector, eval_rows[lang], lang)
    if args.add:   # the any-claim detectors just trained serve again, unless they were trained for one kind
        lines += ["", *added_claims_table([d for d in docs if not fresh.fullmatch(d["id"])],
                                          [d for d in docs if fresh.fullmatch(d["id"])], preds,
                                          None if args.kind else detectors)]
    table = "\n".join(lines)
    print(table)
    return table


if __name__ == "__main__":
    main()

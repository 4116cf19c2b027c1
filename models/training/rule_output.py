"""What the learned claim components' training (train_claim_kinds, train_claim_roles) shares: what the rules alone
extract, their input (training must never see the output of the components it trains), and the dev folds their
out-of-fold measurements use."""
from __future__ import annotations

import random
from pathlib import Path

from flows.documents import read_jsonl

LEARNED = ("privnews_claim_kinds", "privnews_claim_roles")  # the pipeline without these is the rules alone
GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold-dev.jsonl"


def dev_articles(gold: Path = GOLD, limit: int | None = None) -> list[dict]:
    """The dev split's articles in file order; with `limit`, only the first N of each language (quick runs)."""
    docs = [d for d in read_jsonl(gold, required="id") if d.get("split", "dev") == "dev"]
    if limit is None:
        return docs
    seen: dict[str, int] = {}
    out = []
    for d in docs:
        seen[d.get("lang")] = seen.get(d.get("lang"), 0) + 1
        if seen[d.get("lang")] <= limit:
            out.append(d)
    return out


def rule_predictions(docs: list[dict]) -> dict[str, dict]:
    """Each document's facts (the fact contract) as the rules alone find them, by document id."""
    from nlp.pipeline import Extractor

    extractor = Extractor(skip=LEARNED)
    return {p["id"]: p for p in extractor.extract_many(
        [{"id": d["id"], "text": d["text"], "lang": d["lang"]} for d in docs])}


def assign_folds(doc_ids, folds: int, seed: int = 0) -> dict[str, int]:
    """Each document's fold (0 .. folds-1): a seeded shuffle of the sorted ids, dealt round-robin."""
    order = sorted(doc_ids)
    random.Random(seed).shuffle(order)
    return {doc_id: i % folds for i, doc_id in enumerate(order)}

"""What the rules alone extract: the input of the learned claim components' training (train_claim_kinds,
train_claim_roles), which must never see the output of the components it trains."""
from __future__ import annotations

LEARNED = ("privnews_claim_kinds", "privnews_claim_roles")  # the pipeline without these is the rules alone


def rule_predictions(docs: list[dict]) -> dict[str, dict]:
    """Each document's facts (the fact contract) as the rules alone find them, by document id."""
    from nlp.pipeline import Extractor

    extractor = Extractor(skip=LEARNED)
    return {p["id"]: p for p in extractor.extract_many(
        [{"id": d["id"], "text": d["text"], "lang": d["lang"]} for d in docs])}

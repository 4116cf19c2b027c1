"""Train the claim-role ranker (nlp/claim_roles.py): one linear scorer per role, shared by both languages.

Data: the claims the rules alone find in the dev split of the gold corpus (the pipeline without the learned
claim components; the test split is never read) that match a gold claim (kind and overlapping span, as
`privnews eval` matches them). For each such claim and role, every candidate (`nlp.claim_roles.candidates`) is
right or wrong by the evaluator's own test (`nlp.evaluate._same_party`: a gold actor by any of its names, a group by
its words). The scorer is trained with a softmax over each claim's candidates (torch, full determinism: fixed seed,
fixed order; full-batch, so seconds) on the claims whose right answer is among the candidates, and written as JSON
weights.

    python -m models.training.train_claim_roles [--output models/claim-roles/weights.json] [--folds 5]

`--folds K` also measures, out of fold, the role accuracy of the rules and of the ranker on those claims.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from pathlib import Path

from models.training.rule_output import GOLD, assign_folds, dev_articles, rule_predictions
from nlp.claim_roles import DEFAULT_MODEL, MODELS_DIR, ROLES, claim_features, rerank

logger = logging.getLogger(__name__)

STEPS, LEARNING_RATE, L2 = 300, 0.05, 1e-3


def role_rows(doc: dict, pred: dict, role: str) -> list[tuple[list[dict], list[bool], bool]]:
    """(candidate features, candidate is right, the rules were right) for each of `pred`'s claims that matches
    a gold claim of `doc`."""
    from nlp.evaluate import _actor_names, _same_party, match_actors, match_claims, norm

    pairs = dict((pi, gi) for gi, pi in match_claims(doc["claims"], pred["claims"]))
    alias_of = {norm(pred["actors"][pi]["name"]): norm(doc["actors"][gi]["name"])
                for gi, pi in match_actors(doc["actors"], pred["actors"])}
    names = _actor_names(doc["actors"])

    def right(gold_party, party) -> bool:
        if not gold_party or not party:
            return not gold_party and not party
        return _same_party(gold_party, party, alias_of, names)
    index = {id(c): i for i, c in enumerate(pred["claims"])}
    rows = []
    for claim, cands, feats in claim_features(doc["text"], pred["claims"], pred["actors"], role):
        gi = pairs.get(index[id(claim)])
        if gi is None:
            continue
        gold_party = doc["claims"][gi].get(role)
        rows.append((feats, [right(gold_party, c[0]) for c in cands], right(gold_party, claim.get(role))))
    return rows


def fit(rows: list[tuple[list[dict], list[bool], bool]], seed: int = 0, l2: float = L2) -> dict[str, float]:
    """Weights maximising the mean log-probability of the right candidates (a softmax over each claim's candidates)
    minus an L2 penalty: full-batch Adam over one sparse matrix of every candidate's features. The objective is
    convex and every step sees all claims, so the result depends on the data only (`seed` is kept for the record)."""
    import torch

    torch.manual_seed(seed)
    usable = [(f, y) for f, y, _ in rows if any(y)]
    vocab = sorted({k for feats, _ in usable for f in feats for k in f})
    if not usable or not vocab:
        return {}  # nothing to learn from (a tiny corpus or fold): the rules' choices stand
    index = {k: i for i, k in enumerate(vocab)}
    row, col, val, claim_of, right = [], [], [], [], []
    for ci, (feats, ys) in enumerate(usable):
        for f, y in zip(feats, ys):
            for k, v in f.items():
                row.append(len(claim_of))
                col.append(index[k])
                val.append(v)
            claim_of.append(ci)
            right.append(y)
    x = torch.sparse_coo_tensor(torch.tensor([row, col], dtype=torch.long), torch.tensor(val, dtype=torch.float32),
                                (len(claim_of), len(vocab)), check_invariants=True).coalesce()
    claim_of_t = torch.tensor(claim_of, dtype=torch.long)
    right_t, n = torch.tensor(right, dtype=torch.bool), len(usable)

    def per_claim_logsumexp(scores):
        top = torch.full((n,), -1e30).scatter_reduce(0, claim_of_t, scores, "amax", include_self=True)
        return top + torch.log(torch.zeros(n).index_add(0, claim_of_t, torch.exp(scores - top[claim_of_t])))
    w = torch.zeros(len(vocab), requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=LEARNING_RATE)
    for _ in range(STEPS):
        s = torch.sparse.mm(x, w.unsqueeze(1)).squeeze(1)
        right_s = torch.where(right_t, s, torch.full_like(s, -1e30))
        loss = (per_claim_logsumexp(s) - per_claim_logsumexp(right_s)).mean() + l2 * (w ** 2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {k: round(float(v), 6) for k, v in zip(vocab, w.detach()) if abs(float(v)) > 1e-6}


def cross_validate(docs: list[dict], preds: dict[str, dict], folds: int, seed: int = 0) -> dict:
    """Out-of-fold role accuracy on the matched claims: the rules, and the ranker trained without the article."""
    fold_of = assign_folds((d["id"] for d in docs), folds, seed)
    out = {}
    for role in ROLES:
        rows = {d["id"]: role_rows(d, preds[d["id"]], role) for d in docs}
        rules = ranker = n = 0
        for k in range(folds):
            weights = fit([r for i, rs in rows.items() if fold_of[i] != k for r in rs], seed)
            for d in docs:
                if fold_of[d["id"]] != k:
                    continue
                reranked = rerank(d["text"], preds[d["id"]]["claims"], preds[d["id"]]["actors"], {role: weights})
                again = role_rows(d, {**preds[d["id"]], "claims": reranked}, role)
                rules += sum(ok for _, _, ok in rows[d["id"]])
                ranker += sum(ok for _, _, ok in again)
                n += len(again)
        out[role] = {"claims": n, "rules": round(rules / n, 3), "ranker": round(ranker / n, 3)}
    return out


def train(output: str | Path | None = None, gold: Path = GOLD, seed: int = 0, folds: int = 0,
          limit: int | None = None, preds: dict[str, dict] | None = None) -> dict:
    """Train both roles' weights on the dev split and write them (default models/claim-roles/weights.json).
    `limit`: only the first N dev articles per language (quick runs in tests). `preds`: the rules' facts for these
    articles when the caller has them already (rule_output.rule_predictions)."""
    from nlp.pipeline import EXTRACTOR_VERSION

    t0 = time.time()
    docs = dev_articles(gold, limit)
    preds = preds or rule_predictions(docs)
    weights = {}
    metrics: dict = {"articles": len(docs), "seed": seed}
    for role in ROLES:
        rows = [r for d in docs for r in role_rows(d, preds[d["id"]], role)]
        weights[role] = fit(rows, seed)
        metrics[f"{role}_claims"] = len(rows)
    if folds > 1:
        metrics["dev_folds"] = cross_validate(docs, preds, folds, seed)
    path = Path(output) if output else MODELS_DIR / DEFAULT_MODEL
    path.parent.mkdir(parents=True, exist_ok=True)
    fingerprint = hashlib.sha256(json.dumps(weights, sort_keys=True).encode("utf8")).hexdigest()[:16]
    path.write_text(json.dumps({"extractor_version": EXTRACTOR_VERSION, "fingerprint": fingerprint, "metrics": metrics,
                                "weights": weights}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    logger.info("claim-role ranker trained in %.1f s", time.time() - t0)
    return metrics


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--output", default=None, help=f"weights file (default: models/{DEFAULT_MODEL})")
    ap.add_argument("--folds", type=int, default=0, help="also measure the ranker out of fold on the dev split")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    print(json.dumps(train(args.output, seed=args.seed, folds=args.folds), indent=2))


if __name__ == "__main__":
    main()

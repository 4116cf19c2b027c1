"""Learned choice of a claim's claimant and target among the story's actors.

The rules (nlp/claims.py, nlp/attribution.py) pick each claim's parties from the sentence's structure and the
story's defaults. A linear ranker trained on the dev corpus (`models/training/train_claim_roles.py`, built by
`make setup`) re-scores the choice: for each claim and role, every actor of the document is a candidate, plus
"nobody" and the rules' own answer when it is a description ("tenants") rather than an actor. A candidate's
features say whether the rules chose it, its type with the claim's kind, where its mentions stand from the claim
(inside, before, after, how far), how often and how early the story names it, whether it holds the other role or
held this role in the claim before, and the words right around its nearest mention. The highest score wins; ties
keep the rules' choice.

Weights are plain JSON (feature -> weight per role); scoring is a few dictionary look-ups per candidate.
"""
from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.docinfo import doc_text
from nlp.located_model import LocatedModel, ModelMissing, written_fingerprint

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "claim-roles/weights.json"
ROLES = ("claimant", "target")
BUILD_HINT = "Run `make setup` (builds it) or `privnews train --task claim-roles`"
_WORD = re.compile(r"\w+")
_NEAR = 150     # characters around a claim where a mention counts as in its sentence
_LEAD = 400     # about the first two sentences of a story
_DISTANCE_EDGES = (40, 150, 400, 1000)
_COUNT_EDGES = (1, 3, 6)


def trained_fingerprint() -> str:
    """The fingerprint of the built weights (models/training/train_claim_roles.py writes it)."""
    return written_fingerprint(MODELS_DIR / DEFAULT_MODEL)


class ClaimRoleModelMissing(ModelMissing):
    """No usable role model where the pipeline config says; the message says how to build one."""


def _bucket(x: int, edges: tuple[int, ...]) -> int:
    return next((i for i, e in enumerate(edges) if x <= e), len(edges))


@lru_cache(maxsize=4096)
def _key(name: str | None) -> str:
    return " ".join((name or "").lower().split())


def candidates(actors: list[dict], claim: dict, role: str) -> list[tuple[str | None, str, list[dict]]]:
    """(name, type, mentions) of every actor, then nobody, then the rules' answer if it names no actor."""
    out = [(a["name"], a.get("type") or "other", a.get("mentions") or []) for a in actors]
    out.append((None, "none", []))
    chosen = claim.get(role)
    if chosen and not any(_key(chosen) == _key(a["name"]) for a in actors):
        out.append((chosen, "description", []))
    return out


def mention_counts(actors: list[dict]) -> dict[str, list[int]]:
    """Per actor type, the numbers of mentions of its actors, most first (a candidate's rank among its kind)."""
    out: dict[str, list[int]] = {}
    for a in actors:
        out.setdefault(a.get("type") or "other", []).append(len(a.get("mentions") or []))
    return {t: sorted(c, reverse=True) for t, c in out.items()}


def _story_features(mentions: list[dict], typ: str, counts: dict[str, list[int]]) -> dict[str, float]:
    """A candidate's features that do not depend on the claim: how often and how early the story names it, its
    rank among the actors of its type by number of mentions (the story's main company, the second, ...)."""
    return {f"count_b{_bucket(len(mentions), _COUNT_EDGES)}": 1.0,
            "lead": float(min(m["start"] for m in mentions) < _LEAD),
            f"rank_b{_bucket(counts[typ].index(len(mentions)), (0, 1))}|type={typ}": 1.0}


# claims that decide against a party: an appeal or objection is then against the one who decided
_DECISION_KINDS = frozenset({"fine", "order", "reprimand", "violation", "court_ruling", "investigation"})


def deciders(claims: list[dict]) -> dict[str, set[str]]:
    """For each party the rules made a decision's target, the parties that decided against it."""
    out: dict[str, set[str]] = {}
    for c in claims:
        if c["kind"] in _DECISION_KINDS and c.get("claimant") and c.get("target"):
            out.setdefault(_key(c["target"]), set()).add(_key(c["claimant"]))
    return out


def features(text: str, claim: dict, candidate: tuple, role: str, counts: dict[str, list[int]],
             previous: dict | None, story: dict[str, float] | None = None,
             decided: dict[str, set[str]] | None = None) -> dict[str, float]:
    """One candidate's features for one claim and role. `story`: its `_story_features`, when the caller has them;
    `decided`: the document's `deciders`."""
    name, typ, mentions = candidate
    other = "target" if role == "claimant" else "claimant"
    kind = claim["kind"]
    key = _key(name)
    is_rule = float(_key(claim.get(role)) == key) if name else float(claim.get(role) is None)
    is_other = bool(name) and _key(claim.get(other)) == key
    f = {"is_rule": is_rule,
         "is_other_role": float(is_other),
         # a party appealing, fined or complaining against itself is rare, relying on its own basis is not
         f"kind={kind}|is_other_role={is_other}": 1.0,
         f"type={typ}": 1.0, f"kind={kind}|type={typ}": 1.0, f"kind={kind}|type={typ}|rule={is_rule}": 1.0,
         "nobody": float(name is None)}
    if name and decided and claim.get(other):
        # "the bank is considering an appeal": against the body that fined or ordered the bank
        if role == "target" and key in decided.get(_key(claim[other]), ()):
            f[f"kind={kind}|decided_against_other"] = 1.0
        if role == "claimant" and _key(claim[other]) in decided.get(key, ()):
            f[f"kind={kind}|other_decided_against_it"] = 1.0
    if mentions:
        a, b = claim["start"], claim["end"]
        inside = False
        before = after = None  # distance of the nearest mention before / after the claim
        for m in mentions:
            ms = m["start"]
            if a <= ms < b:
                inside = True
            if m["end"] <= a and (before is None or a - m["end"] < before):
                before = a - m["end"]
            if ms >= b and (after is None or ms - b < after):
                after = ms - b
        f["inside"] = float(inside)
        f[f"before_b{_bucket(before, _DISTANCE_EDGES) if before is not None else 9}"] = 1.0
        f[f"after_b{_bucket(after, _DISTANCE_EDGES) if after is not None else 9}"] = 1.0
        f.update(story if story is not None else _story_features(mentions, typ, counts))
        f[f"kind={kind}|inside={inside}|type={typ}"] = 1.0
        near = [m for m in mentions if a - _NEAR <= m["start"] < b + _NEAR]
        if near:
            # a mention inside the claim first, else the one nearest its edges
            m = min(near, key=lambda m: (not a <= m["start"] < b, min(abs(m["start"] - a), abs(m["start"] - b))))
            before_words = _WORD.findall(text[max(0, m["start"] - 25):m["start"]].lower())
            after_words = _WORD.findall(text[m["end"]:m["end"] + 25].lower())
            if before_words:
                f[f"pw={before_words[-1]}"] = 1.0
                f[f"pw={before_words[-1]}|kind={kind}"] = 1.0
            if after_words:
                f[f"nw={after_words[0]}"] = 1.0
                f[f"nw={after_words[0]}|kind={kind}"] = 1.0
            f["near_sentence"] = 1.0
    if previous is not None and name:
        f["previous_role"] = float(_key(previous.get(role)) == key)
        f["previous_other"] = float(_key(previous.get(other)) == key)
    return f


def claim_features(text: str, claims: list[dict], actors: list[dict], role: str):
    """For each claim, in text order: (claim, candidates, their feature dicts). Features read the claims as given
    (the rules' roles), never a choice made by the ranker."""
    ordered = sorted(claims, key=lambda c: (c["start"], c["end"]))
    counts = mention_counts(actors)
    # the claim-independent features of each actor, once per document (the candidates list the actors first)
    story = [_story_features(a["mentions"], a.get("type") or "other", counts) if a.get("mentions") else None
             for a in actors]
    decided = deciders(ordered)
    out = []
    for i, claim in enumerate(ordered):
        previous = next((c for c in reversed(ordered[:i]) if c["end"] <= claim["start"]), None)
        cands = candidates(actors, claim, role)
        out.append((claim, cands, [features(text, claim, c, role, counts, previous,
                                            story[j] if j < len(story) else None, decided)
                                   for j, c in enumerate(cands)]))
    return out


def score(weights: dict[str, float], feats: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


def rerank(text: str, claims: list[dict], actors: list[dict], weights: dict[str, dict[str, float]]) -> list[dict]:
    """Copies of `claims` with each role the highest-scoring candidate's (the rules' choice on a tie)."""
    chosen: dict[int, dict[str, str | None]] = {}
    for role in ROLES:
        w = weights.get(role)
        if not w:
            continue
        for claim, cands, feats in claim_features(text, claims, actors, role):
            scores = [score(w, f) for f in feats]
            best = max(range(len(cands)), key=lambda i: (scores[i], feats[i]["is_rule"]))
            chosen.setdefault(id(claim), {})[role] = cands[best][0]
    return [{**c, **chosen.get(id(c), {})} for c in claims]


class ClaimRoleRanker(LocatedModel):
    """spaCy component: re-chooses `doc._.claims` claimants and targets with the trained role weights."""

    def __init__(self, nlp: Language, name: str, model: str | None):
        self.name = name
        self.location = MODELS_DIR / (model or DEFAULT_MODEL)
        self._reload()

    def _load(self) -> dict[str, dict[str, float]]:
        from nlp.pipeline import EXTRACTOR_VERSION

        if not self.location.is_file():
            raise ClaimRoleModelMissing(f"No claim-role model at {self.location}. {BUILD_HINT}.")
        try:
            data = json.loads(self.location.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ClaimRoleModelMissing(f"The claim-role model at {self.location} is unreadable ({exc}). "
                                        f"{BUILD_HINT}.") from exc
        if data.get("extractor_version") != EXTRACTOR_VERSION:
            raise ClaimRoleModelMissing(
                f"The claim-role model at {self.location} was trained on extractor {data.get('extractor_version')!r}, "
                f"not {EXTRACTOR_VERSION!r}: its features include the rules' choices, so it must be retrained. "
                f"{BUILD_HINT}.")
        return {role: data["weights"].get(role, {}) for role in ROLES}

    def __call__(self, doc: Doc) -> Doc:
        claims = doc._.claims or []
        if not claims:
            return doc
        try:
            doc._.claims = rerank(doc_text(doc), claims, doc._.actors or [], self.weights)
        except Exception:  # a component must never take the pipeline down: keep the rules' roles
            logger.exception("claim-role ranking failed; keeping the rules' roles")
        return doc

    def _reload(self) -> None:
        self.weights = self._load()


@Language.factory("privnews_claim_roles", assigns=["doc._.claims"], requires=["doc._.claims", "doc._.actors"],
                  default_config={"model": None})
def make_claim_roles(nlp: Language, name: str, model: str | None) -> ClaimRoleRanker:
    return ClaimRoleRanker(nlp, name, model)

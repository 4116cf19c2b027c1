"""The fact contract: assemble a document's facts and guarantee valid offsets."""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

ACTOR_TYPES = ("company", "regulator", "ngo", "person", "court", "government", "other")
CLAIM_KINDS = (
    "legal_basis", "article_citation", "fine", "complaint", "cease_and_desist", "class_action",
    "objection", "court_ruling", "investigation", "violation", "appeal", "order", "reprimand", "other",
)
BASES = (
    "consent", "contract", "legal_obligation", "vital_interests", "public_task",
    "legitimate_interest", "no_legal_basis",
)
COMPARATORS = ("=", "<", ">", "~")
STAT_KEYS = ("value", "unit", "comparator", "text", "start", "end", "measures", "population", "source")
CLAIM_KEYS = ("kind", "basis", "articles", "claimant", "target", "polarity", "status", "amount",
              "text", "start", "end")


def _span_ok(text: str, fact: dict) -> bool:
    start, end = fact.get("start"), fact.get("end")
    return (
        isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
        and text[start:end] == fact.get("text")
    )


def assemble(doc_id, lang: str, text: str, actors, statistics, claims) -> dict:
    """Return the contract dict for one document; facts whose evidence span is not exact are dropped
    (and logged) so that every emitted offset can be trusted."""
    out_actors = []
    for actor in actors or []:
        mentions = [m for m in actor.get("mentions", []) if _span_ok(text, m)]
        if not mentions:
            logger.warning("dropping actor %r in %s: no valid mention span", actor.get("name"), doc_id)
            continue
        out_actors.append({
            "name": actor["name"], "type": actor.get("type") or "other", "kb_id": actor.get("kb_id"),
            "mentions": sorted(({"text": m["text"], "start": m["start"], "end": m["end"]} for m in mentions),
                               key=lambda m: (m["start"], m["end"])),
        })
    out_stats = []
    for stat in statistics or []:
        if _span_ok(text, stat):
            out_stats.append({k: stat.get(k) for k in STAT_KEYS})
        else:
            logger.warning("dropping statistic %r in %s: invalid span", stat.get("text"), doc_id)
    out_claims = []
    for claim in claims or []:
        if _span_ok(text, claim):
            row = {k: claim.get(k) for k in CLAIM_KEYS}
            row["articles"] = list(row["articles"] or [])
            out_claims.append(row)
        else:
            logger.warning("dropping claim %r in %s: invalid span", claim.get("text"), doc_id)
    out_stats.sort(key=lambda s: (s["start"], s["end"]))
    out_claims.sort(key=lambda c: (c["start"], c["end"], c["kind"]))
    return {"id": doc_id, "lang": lang, "actors": out_actors, "statistics": out_stats, "claims": out_claims}

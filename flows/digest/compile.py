"""Rules -> parameterised SQL over the warehouse views, and the matches it returns.

Every rule runs the same named query (warehouse/queries/digest_claims.sql); the rule only supplies bound
parameters, so no value from a rules file ever becomes SQL text. Amounts are compared in the rule's own
currency only: a fine in GBP never matches `min_amount = { currency = "EUR" }` (no exchange rates are kept).
"""
from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import duckdb

from flows.digest.actors import KbActor, resolve_actors
from flows.digest.rules import Rule
from warehouse.db import named_query

logger = logging.getLogger(__name__)

QUERY_NAME = "digest_claims"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*")
MAX_SENTENCE_CHARS = 600
_ABBREVIATIONS = {"art", "artt", "nr", "no", "bijv", "o.a", "e.g", "i.e", "mr", "dr", "st", "vs", "jo",
                  "p", "pp", "lid", "ca", "dhr", "mw", "mevr", "inc", "ltd", "bv", "nv", "resp", "z.g"}


@dataclass(frozen=True)
class CompiledRule:
    rule: str
    sql: str
    params: dict


@dataclass(frozen=True)
class Match:
    """One claim in one article that a rule matched, with what a digest shows about it."""
    rule: str
    item_key: str
    claim_id: str
    kind: str
    basis: str | None
    articles: tuple[str, ...]
    claimant: str | None
    target: str | None
    polarity: str | None
    status: str | None
    amount_value: float | None
    amount_unit: str | None
    evidence: str
    sentence: str              # the evidence sentence
    span: tuple[int, int]      # the claim span, as offsets into `sentence`
    article_id: str
    title: str | None
    url: str | None
    published: datetime | None
    lang: str | None
    outlet: str | None
    story_key: str
    story_title: str | None
    claimant_country: str | None
    target_country: str | None
    seen_at: datetime | None


def compile_rule(rule: Rule, kb: list[KbActor], since: datetime | None) -> CompiledRule:
    actor_ids, actor_names = resolve_actors(rule.actors, kb)
    params = {
        "since": since,
        "kinds": list(rule.kinds),
        "countries": list(rule.countries),
        "country_of": rule.country_of,
        "min_amount": rule.min_amount.value if rule.min_amount else None,
        "currency": rule.min_amount.currency if rule.min_amount else None,
        "articles": list(rule.articles),
        "actor_ids": actor_ids,
        "actor_names": actor_names,
        "basis": list(rule.basis),
        "statuses": list(rule.statuses),
        "languages": list(rule.languages),
    }
    return CompiledRule(rule=rule.name, sql=named_query(QUERY_NAME), params=params)


def run_rule(con: duckdb.DuckDBPyConnection, compiled: CompiledRule) -> list[Match]:
    cur = con.execute(compiled.sql, compiled.params)
    cols = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        r = dict(zip(cols, row))
        sentence, span = evidence_sentence(r["article_text"] or "", r["span_start"], r["span_end"], r["evidence"])
        out.append(Match(
            rule=compiled.rule, item_key=item_key(r), claim_id=r["claim_id"], kind=r["kind"], basis=r["basis"],
            articles=tuple(r["articles"] or ()), claimant=r["claimant"], target=r["target"],
            polarity=r["polarity"], status=r["status"], amount_value=r["amount_value"],
            amount_unit=r["amount_unit"], evidence=r["evidence"], sentence=sentence, span=span,
            article_id=r["article_id"], title=r["title"], url=r["url"], published=r["published"], lang=r["lang"],
            outlet=r["outlet"], story_key=r["story_key"], story_title=r["story_title"],
            claimant_country=r["claimant_country"], target_country=r["target_country"], seen_at=r["seen_at"],
        ))
    return out


def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def item_key(r: dict) -> str:
    """What "the same item" means for exactly-once delivery: the same story, the same kind of claim, by the
    same claimant against the same target, with the same basis, polarity and amount. The key does not
    depend on the outlet, the article, the span or the extractor version, so a second outlet reporting an
    already-sent fine, or a re-extraction, does not make it new."""
    who = r.get("claimant_actor_id") or _norm(r.get("claimant"))
    whom = r.get("target_actor_id") or _norm(r.get("target"))
    amount = "" if r.get("amount_value") is None else f"{float(r['amount_value']):.2f} {r.get('amount_unit')}"
    parts = (r["story_key"], r["kind"], r.get("basis") or "", r.get("polarity") or "", who, whom, amount)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:24]


def _boundaries(text: str, lo: int, hi: int):
    """Ends of sentences in text[lo:hi]: [.!?] (+ closing quotes) + whitespace, not after an abbreviation
    such as "Art." or "e.g.", and not before a digit; or a line break."""
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if "\n" not in m.group(0):
            word = text[max(0, m.start() - 8):m.start()].split()[-1:] or [""]
            nxt = text[m.end():m.end() + 1]
            if word[0].lower().rstrip(".\"'”’)") in _ABBREVIATIONS or nxt.isdigit():
                continue
        yield m


def evidence_sentence(text: str, start: int, end: int, evidence: str) -> tuple[str, tuple[int, int]]:
    """The sentence around text[start:end] (more than one when the span crosses a sentence end), and the
    span's offsets inside it. Falls back to the evidence alone when the offsets do not fit the stored text."""
    if not (0 <= start <= end <= len(text)) or text[start:end] != evidence:
        return evidence, (0, len(evidence))
    begin = 0
    for m in _boundaries(text, 0, start):
        begin = m.end()
    stop = len(text)
    for m in _boundaries(text, max(end - 1, 0), len(text)):
        if m.end() > end:
            stop = m.end()
            break
    begin = max(begin, start - MAX_SENTENCE_CHARS // 2)
    stop = max(min(stop, end + MAX_SENTENCE_CHARS // 2), end)
    sentence = text[begin:stop]
    lead = len(sentence) - len(sentence.lstrip())
    sentence = sentence.strip()
    return sentence, (start - begin - lead, end - begin - lead)

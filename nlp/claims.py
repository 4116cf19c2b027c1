"""privnews_claims: legal claims (fines, complaints, legal bases, violations, ...) as contract dicts.

Reads doc._.actors (parties) and doc._.statistics (fine amounts), sets doc._.claims (list[dict]).
Per sentence: trigger words from models/patterns/claims_<lang>.toml name the kind of event; one claim
per event mention, spanning the clause that carries it; articles come from nlp.articles; claimant and
target from nlp.attribution (word order, prepositions, reported speech, the English dependency parse).
"""
from __future__ import annotations

import json
import logging
import re
import tomllib
from bisect import bisect_right
from collections import Counter
from dataclasses import astuple, dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from nlp.actors import DEFAULT_KB, load_kb
from nlp.docinfo import doc_text, sentence_spans
from nlp.literals import Gate, fold
from nlp.articles import ARTICLES_FILE, Citation, CitationFinder
from nlp.affiliation import AffiliationCues, affiliations
from nlp.attribution import QUOTES, UNNAMED, Cues, Party, RoleContext, _group_head, _marked, assign_roles, collect_parties, find_speaker, owner_before_re, quote_regions, words_re

logger = logging.getLogger(__name__)

for _ext in ("claims", "actors", "statistics"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "models" / "patterns"
ASSERTION_KINDS = {"legal_basis", "violation", "article_citation", "other"}
MONEY_EXCLUDED_UNITS = {"percent", "count", None, ""}
MAX_SPAN = 400
MAX_SENTENCE = 1200
_CITATIONS = "privnews.citations"  # doc.user_data key: the document's citations (ClaimExtractor.citations)


@dataclass
class _Kind:
    name: str
    priority: int
    triggers: re.Pattern | None
    weak: re.Pattern | None
    support: re.Pattern | None
    support_types: set[str]
    exclude: re.Pattern | None
    generic: re.Pattern | None
    claimant: list[str]
    target: list[str]
    nearest_subject: bool = False
    definite: re.Pattern | None = None
    money_verbs: re.Pattern | None = None
    money_not_fine: re.Pattern | None = None  # a clause with one of these pays no fine (a penalty per week, damages)
    support_before_only: bool = False
    subordinate: re.Pattern | None = None
    gate: Gate | None = None  # rules out sentences the triggers cannot match, cheaply

    def __post_init__(self):
        if self.triggers is not None:
            self.gate = Gate(self.triggers)


@dataclass
class _Hit:
    start: int
    end: int
    kind: str
    priority: int
    basis: str | None = None
    definite: bool = False
    separate: bool = False  # a second event of the same kind in a list ("... and TikTok EUR 60 million")


class ClaimExtractor:
    """Finds legal claims in a Doc. Lexicons are data (TOML); the component saves them with itself."""

    def __init__(self, lang: str, patterns_dir: str | None = None):
        self.lang = lang if lang in ("nl", "en") else "en"
        base = Path(patterns_dir) if patterns_dir else PATTERNS_DIR
        with open(base / f"claims_{self.lang}.toml", "rb") as fh:
            lexicon = tomllib.load(fh)
        art_file = base / "articles.toml" if (base / "articles.toml").exists() else ARTICLES_FILE
        with open(art_file, "rb") as fh:
            articles = tomllib.load(fh)
        owners, products = _kb_products(DEFAULT_KB)
        self._setup({"lexicon": lexicon, "articles": articles, "owners": owners, "products": products})

    # ---- set up from data ----------------------------------------------------------------------------
    def _setup(self, data: dict) -> None:
        self.data = data
        lex = data["lexicon"]
        self.lang = lex.get("lang", self.lang)
        self.kinds: dict[str, _Kind] = {}
        for name, spec in lex.get("kinds", {}).items():
            self.kinds[name] = _Kind(
                name=name,
                priority=int(spec.get("priority", 0)),
                triggers=words_re(spec.get("triggers", [])),
                weak=_full_re(spec.get("weak", [])),
                support=words_re(spec.get("support", [])),
                support_types=set(spec.get("support_types", [])),
                exclude=words_re(spec.get("exclude", [])),
                generic=words_re(spec.get("generic", [])),
                claimant=list(spec.get("claimant", [])),
                target=list(spec.get("target", [])),
                nearest_subject=bool(spec.get("nearest_subject", False)),
                definite=_full_re(spec.get("definite", [])),
                money_verbs=words_re(spec.get("money_verbs", [])),
                money_not_fine=words_re(spec.get("money_not_fine", [])),
                support_before_only=bool(spec.get("support_before_only", False)),
                subordinate=_full_re(spec.get("subordinate", [])),
            )
        basis = lex.get("basis", {})
        self.basis_res = {
            b: rx for b, forms in basis.items() if b not in ("weak", "weak_support", "anaphoric") and (rx := words_re(forms))
        }
        self.basis_gates = {b: Gate(rx) for b, rx in self.basis_res.items()}
        self.basis_anaphor_res = {b: rx for b, forms in lex.get("basis_anaphors", {}).items() if (rx := words_re(forms))}
        self.basis_anaphoric = words_re(basis.get("anaphoric", []))
        self.basis_anaphoric_gate = Gate(self.basis_anaphoric) if self.basis_anaphoric is not None else None
        self.basis_weak = _full_re(basis.get("weak", []))
        self.basis_weak_support = words_re(basis.get("weak_support", []))
        pol = lex.get("polarity", {})
        self.deny_re = words_re(pol.get("deny", []))
        self.affirm_re = words_re(pol.get("affirm", []))
        self.self_claim_re = words_re(pol.get("self_claim", []))
        assessed = pol.get("assessed", [])
        self.assessed_re = re.compile(rf"(?<![\w])(?:{'|'.join(assessed)})\s+(?:(?:zich|not|niet)\s+)?\Z", re.I) if assessed else None
        self.status_res = [(s, rx) for s, forms in lex.get("status", {}).items() if (rx := words_re(forms))]
        roles = lex.get("roles", {})
        breaks = roles.get("clause_break", [])
        self.soft_break = words_re(breaks)
        negs = roles.get("negators", [])
        self.negated_re = re.compile(
            rf"(?<![\w])(?:{'|'.join(negs)})\s+(?:[^\W\d]+\s+){{0,2}}\Z", re.I) if negs else None
        dets = roles.get("determiners", [])
        self.definite_re = re.compile(
            rf"(?<![\w])(?:{'|'.join(dets)})\s+(?:[^\W\d]+\s+)?\Z", re.I) if dets else None
        self.cues = Cues.from_lexicon(lex)
        self.affiliation_cues = AffiliationCues.from_lexicon(lex)
        # a law named without an article is a claim only with one of these ("voldoet aan de AVG", "subject to the GDPR")
        self.law_claim_re = words_re(lex.get("law_claim", {}).get("cues", []))
        self.claimant_anaphora = words_re(roles.get("claimant_anaphora", []))
        self.pronoun_speaker = words_re(lex.get("speech", {}).get("pronoun_speaker", []))
        self.pronoun_types = {k.lower(): list(v) for k, v in lex.get("speech", {}).get("pronoun_types", {}).items()}
        titles = lex.get("speech", {}).get("judge_titles", [])
        self.judge_titles = re.compile(rf"(?<![\w])(?:{'|'.join(titles)})\s+(?:[A-Z][\w'’-]+\s+)?\Z") if titles else None
        reasons = roles.get("fine_reason", [])
        self.reason_re = re.compile(rf"(?<![\w])(?:{'|'.join(reasons)})(?![\w])", re.I) if reasons else None
        self.reason_violation_re = words_re(roles.get("reason_violation", []))
        self.reason_mitigating_re = words_re(roles.get("reason_mitigating", []))
        self.reason_pleads_re = words_re(roles.get("reason_pleads", []))
        self.reason_end_re = words_re(roles.get("reason_end", []))
        self.reason_not_after = frozenset(w.lower() for w in roles.get("reason_not_after", []))
        fwd = lex.get("speech", {}).get("forward", [])
        fwd_ruling = lex.get("speech", {}).get("forward_ruling", [])
        self.forward_ruling = re.compile(rf"\W*(?:{'|'.join(fwd_ruling)})(?![\w])", re.I) if fwd_ruling else None
        self.forward_speech = re.compile(rf"\W*(?:{'|'.join(fwd)})(?![\w])", re.I) if fwd else None
        self.denial_re = words_re(roles.get("denials", []))
        # a complaint confirmed as received, a reprimand or fine accepted: the event stated again, annotated again
        received, accepted = words_re(roles.get("received", [])), words_re(roles.get("accepted", []))
        self.restated_res = {k: rx for k, rx in (("complaint", received), ("reprimand", accepted), ("fine", accepted))
                             if rx is not None}
        self.restated_veto = words_re(roles.get("restated_veto", []))
        cons = roles.get("consequence", [])
        self.consequence_re = re.compile(rf"\w+\s+(?:{'|'.join(cons)})(?![\w])", re.I) if cons else None
        conds = roles.get("conditionals", [])
        self.conditional_re = re.compile(rf"(?<![\w])(?:{'|'.join(conds)})(?![\w])", re.I) if conds else None
        # where a condition after an event begins ("threatening a collective lawsuit if it does not")
        self.condition_cut_re = words_re(roles.get("condition_cuts", []))
        inv = roles.get("inverted_conditionals", [])
        self.inverted_re = re.compile(rf"[\s{QUOTES}]*(?:{'|'.join(inv)})\s+(?=\w)", re.I) if inv else None
        indef = roles.get("indefinite", [])
        self.indefinite_re = re.compile(rf"(?<![\w])(?:{'|'.join(indef)})\s+\Z", re.I) if indef else None
        self.negated_after_re = words_re(roles.get("negated_after", []))
        self.general_after_re = words_re(roles.get("general_after", []))
        rel = roles.get("relative_pronouns", [])
        self.relative_re = re.compile(rf"(?:{'|'.join(rel)})(?![\w])", re.I) if rel else None
        nouns = roles.get("ruling_objects", [])
        self.ruling_object_re = re.compile(
            rf"['’]s\s+(?:[^\W\d]+\s+){{0,2}}(?:{'|'.join(nouns)})(?![\w])", re.I) if nouns else None
        self.ruling_object_def_re = re.compile(
            rf"(?<![\w])(?:the|de|het|this|that|its|die|dat|deze|dit)\s+(?:{'|'.join(nouns)})(?![\w])", re.I) if nouns else None
        self.ruling_object_before_re = owner_before_re(nouns)
        # "upheld the lower court's decision", "dismissed the bid to have the fine quashed": nothing undone
        self.undone_refused_re = words_re(roles.get("undone_refused", []))
        verbs, objects = "|".join(roles.get("undone_verbs", [])), "|".join(roles.get("undone_objects", []))
        self.undone_decision_re = re.compile(
            rf"(?<![\w])(?:{verbs})(?![\w])(?:\W+\w+){{0,10}}?\W+(?:{objects})(?![\w])"
            rf"|(?<![\w])(?:{objects})(?![\w])(?:\W+\w+){{0,10}}?\W+(?:{verbs})(?![\w])", re.I) if verbs and objects else None
        fnd = lex.get("findings", {})
        self.finding_verbs = words_re(fnd.get("verbs", []))
        self.shortcoming_re = words_re(fnd.get("shortcoming", []))
        self.breach_re = words_re(fnd.get("breach", []))
        self.scope_re = words_re(fnd.get("scope", []))
        # "..., the authority found.": a finding verb right after the finder states a finding, also of plain conduct
        inv = fnd.get("inverted_verbs", [])
        self.inverted_finding_re = re.compile(rf"\s+(?:{'|'.join(inv)})(?![\w])", re.I) if inv else None
        # "Uber has since deleted the recordings, the CNIL found": a remedy found is no shortcoming
        self.remedy_re = words_re(fnd.get("remedy", []))
        cont = fnd.get("continuation", [])
        self.continuation_re = re.compile(rf"\W*(?:{'|'.join(cont)})(?![\w])", re.I) if cont else None
        # "According to the decision, ...": the deciding body's finding, named in an earlier sentence
        src = fnd.get("decision_sources", [])
        self.decision_source_re = re.compile(rf"\W*(?:{'|'.join(src)})(?![\w])(?:[^,.;:]{{0,25}}?,)?\s*", re.I) \
            if src else None
        ca = lex.get("kinds", {}).get("class_action", {})
        self.lawsuit_re = words_re(ca.get("lawsuits", []))
        # "attorney general Ken Paxton": titles of people who enforce the law like a regulator
        self.enforcer_title_re = (re.compile(r"(?:" + "|".join(lex.get("roles", {})["enforcer_titles"]) + r")[,\s]+(?:\w+\s+)?\Z",
                                             re.I) if lex.get("roles", {}).get("enforcer_titles") else None)
        self.authority_lawsuit_re = words_re(lex.get("kinds", {}).get("complaint", {}).get("authority_lawsuits", []))
        self.group_cue_re = words_re(ca.get("group_cues", []))
        # "asks the CNIL to order Cantinéo to ...", "wil dat de toezichthouder een boete oplegt": a fine or order
        # someone asks a regulator for is the asker's proposal
        req = lex.get("roles", {}).get("request_before", [])
        self.request_re = words_re(req)
        # the kind of a lawsuit a person brings on their own ("Schrems sued the company"); none: stays a complaint
        self.person_lawsuit_kind = lex.get("kinds", {}).get("complaint", {}).get("person_lawsuit_kind")
        requests = lex.get("requests", {})
        # "volgens het Hof": an attribution that makes a court's statement its holding (`holding_cue` in [speech])
        self.holding_cue = words_re(lex.get("speech", {}).get("holding_cue", []))
        self.data_request_re = words_re(requests.get("triggers", []))
        self.data_request_generic = words_re(requests.get("generic", []))
        self.owners: dict[str, str] = dict(data.get("owners", {}))
        self.products: frozenset[str] = frozenset(data.get("products", []))  # kb ids of products, not platforms
        self._owner_of: dict[str, str] = {}
        self._product_names: frozenset[str] = frozenset()
        self.finder = CitationFinder(data["articles"])

    # ---- spaCy component API -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.claims = self.extract(doc)
        except Exception:  # a component must never take the pipeline down
            logger.exception("claim extraction failed; no claims for this document")
            doc._.claims = []
        return doc

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "ClaimExtractor":
        self._setup(json.loads(data.decode("utf8")))
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "claims.json").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "ClaimExtractor":
        return self.from_bytes((Path(path) / "claims.json").read_bytes())

    # ---- extraction ----------------------------------------------------------------------------------
    def extract(self, doc: Doc) -> list[dict]:
        text = doc_text(doc)
        if not text or not text.strip():
            return []
        parties = collect_parties(text, doc._.actors, self.cues)
        money = _money(doc._.statistics, len(text))
        citations = self.citations(doc)
        quotes = quote_regions(text, parties, self.cues)
        sentences = _sentences(doc)
        enforcer, main_target = _doc_roles(parties)
        enforcer = self._prosecutor(text, parties, enforcer)
        self._owner_of = _present_owners(doc._.actors, self.owners)
        self._product_names = frozenset(a["name"] for a in doc._.actors or [] if isinstance(a, dict)
                                        and a.get("kb_id") in self.products)
        self._speaks_for = affiliations(text, parties, self.affiliation_cues)
        claims: list[dict] = []
        prev_topic: Party | None = None
        last_finding, last_finder = -2, None  # the last sentence with a regulator's or court's finding, and its finder
        for si, (ss, se) in enumerate(sentences):
            if not text[ss:se].strip():
                continue
            speaker = find_speaker(text, ss, se, parties, self.cues)
            if speaker is None and self.forward_speech is not None and si + 1 < len(sentences):
                # "Facebook verwerkte gegevens onrechtmatig. Dat heeft de rechtbank bepaald.": the next sentence's
                # party is the source of this one
                ns, ne = sentences[si + 1]
                if self.forward_speech.match(text, ns, ne):
                    speaker = next((p for p in parties if ns <= p.start < ne and p.type != UNNAMED), None)
            if speaker is None:
                speaker = next((sp for qs, qe, sp in quotes if qs <= ss + 2 and se - 2 <= qe + 60 and qs < se), None)
            if speaker is None:
                speaker = next((sp for qs, qe, sp in quotes if ss <= qs < se or ss < qe <= se), None)
            if speaker is None and self.pronoun_speaker is not None:
                speaker = _pronoun_speaker(text, ss, se, parties, self.pronoun_speaker, self.pronoun_types)
            if speaker is not None:
                speaker = _judge_court(text, speaker, parties, self.judge_titles)
            sent_claims = self._sentence(doc, text, ss, se, parties, citations, money, speaker, prev_topic,
                                         enforcer, main_target, claims)
            if not sent_claims and speaker is not None and speaker.type == "court" and si + 1 < len(sentences) \
                    and self.forward_ruling is not None and self.forward_ruling.match(text, *sentences[si + 1]):
                ruling = self._forward_ruling(doc, text, ss, se, parties, citations, money, speaker, prev_topic,
                                              enforcer, main_target, claims)
                sent_claims = [ruling] if ruling else []
            if not sent_claims and speaker is not None and speaker.type == "court" and _OBLIGATION.search(text, ss, se) \
                    and not _quoted(text, ss, se) and not self._conditions(text, ss, se):
                # "..., a child-focused game must be private by default, she wrote": what a judge or court is
                # reported to hold is its ruling (the part before the attribution)
                att = self.pronoun_speaker.search(text, ss, se) if self.pronoun_speaker is not None else None
                cut = att.start() if att is not None else (speaker.start if ss < speaker.start < se else se)
                cut = text.rfind(",", ss, cut + 1) if "," in text[ss:cut + 1] and cut > ss + (se - ss) // 3 else cut
                lo = ss
                if att is None and ss <= speaker.start < ss + 20 and se - speaker.end > 15:
                    # "Volgens de rechter moet de keten de profielen wissen": the attribution opens the sentence and
                    # the holding follows it
                    lo, cut = speaker.end, se
                if cut - lo > 15 and _OBLIGATION.search(text, lo, cut):
                    ruling = self._forward_ruling(doc, text, lo, cut, parties, citations, money, speaker, prev_topic,
                                                  enforcer, main_target, claims)
                    sent_claims = [ruling] if ruling else []
            if not sent_claims and speaker is not None and speaker.type == "court" and self.holding_cue is not None \
                    and self.holding_cue.search(text, max(ss, speaker.start - 12), speaker.start) \
                    and not _quoted(text, ss, se) and not self._conditions(text, ss, se):
                # "Patiënten hebben volgens het Hof recht op een getrouwe weergave ...": what a sentence says
                # "volgens" a court is its holding, with or without a duty in it
                ruling = self._forward_ruling(doc, text, ss, se, parties, citations, money, speaker, prev_topic,
                                              enforcer, main_target, claims)
                sent_claims = [ruling] if ruling else []
            if not sent_claims and si + 1 < len(sentences):
                # "Van Dalen had het recht niet om ... . Dat staat in een arrest van het hof.", "De gemeente moet de
                # camera's uitschakelen. De rechtbank gaf de stichting gelijk.": the next sentence names the court
                # whose decision this one states
                court = self._next_court(text, ss, se, sentences[si + 1], parties)
                if court is not None:
                    ruling = self._forward_ruling(doc, text, ss, se, parties, citations, money, court, prev_topic,
                                                  enforcer, main_target, claims)
                    sent_claims = [ruling] if ruling else []
            if not sent_claims:
                # a shortcoming a regulator or court found, reported without a violation word
                continued = last_finder if last_finding == si - 1 and "\n" not in text[sentences[si - 1][1]:ss] else None
                sent_claims = self._findings(text, ss, se, parties, citations, speaker, main_target, claims, continued)
            finders = [c["_claimant_party"] for c in sent_claims if c["kind"] == "violation"
                       and c.get("_claimant_party") is not None and c["_claimant_party"].type in _FINDERS]
            if finders:
                last_finding, last_finder = si, finders[-1]
            claims.extend(sent_claims)
            topic = speaker
            if topic is None:
                in_sent = [p for p in parties if ss <= p.start < se and p.type != UNNAMED]
                topic = in_sent[0] if in_sent else None
            if sent_claims and sent_claims[-1].get("_claimant_party") is not None:
                topic = sent_claims[-1]["_claimant_party"]
            if topic is not None:
                prev_topic = topic
        self._pronoun_plaintiffs(text, claims, parties)
        self._person_lawsuits(text, claims)
        claims.extend(self._data_requests(doc, text, parties, sentences, claims, main_target))
        self._authority_lawsuits(claims, parties, main_target)
        self._lawsuits_as_class_action(text, claims)
        _court_orders(text, claims, parties, sentences)
        self._regulator_breaches(claims)
        out = []
        for c in claims:
            c.pop("_claimant_party", None)
            c.pop("_target_party", None)
            c.pop("_holding", None)
            if 0 <= c["start"] < c["end"] <= len(text) and text[c["start"]:c["end"]] == c["text"]:
                out.append(c)
        return out

    def _hits(self, text: str, ss: int, se: int, parties: list[Party]) -> list[_Hit]:
        sent = text[ss:se]
        named = [(p.start, p.end) for p in parties if ss <= p.start < se and p.type != UNNAMED and not p.anaphor]
        hits: list[_Hit] = []
        folded = fold(sent)
        for kind in self.kinds.values():
            if kind.triggers is None or not kind.gate.admits(sent, folded):
                continue
            excl = None  # read only once a trigger is found: most sentences have none
            for m in kind.triggers.finditer(sent):
                if excl is None:
                    excl = [(x.start(), x.end()) for x in kind.exclude.finditer(sent)] if kind.exclude else []
                if any(a <= m.start() < b or a < m.end() <= b for a, b in excl):
                    continue
                if any(a <= ss + m.start() and ss + m.end() <= b for a, b in named):
                    continue  # "Privacy Appeals Board" names an actor, not an appeal
                if kind.name not in ASSERTION_KINDS and self.negated_re is not None \
                        and self.negated_re.search(sent[max(0, m.start() - 30):m.start()]):
                    continue
                if kind.weak is not None and kind.weak.fullmatch(m.group(0)):
                    after = 0 if kind.support_before_only else 50
                    near = sent[max(0, m.start() - 50): m.end() + after]
                    near_types = {p.type for p in parties if ss + m.start() - 150 <= p.start < ss + m.end() + after}
                    supported = (kind.support is not None and kind.support.search(near)) or (kind.support_types & near_types)
                    if not supported:
                        continue
                definite = bool(kind.definite is not None and kind.definite.fullmatch(m.group(0))
                                and self.definite_re is not None
                                and self.definite_re.search(sent[max(0, m.start() - 30):m.start()]))
                hits.append(_Hit(ss + m.start(), ss + m.end(), kind.name, kind.priority, definite=definite))
        lb = self.kinds.get("legal_basis")
        if self.basis_anaphoric is not None and self.basis_anaphoric_gate.admits(sent, folded):
            for m in self.basis_anaphoric.finditer(sent):
                hits.append(_Hit(ss + m.start(), ss + m.end(), "legal_basis", lb.priority if lb else 50, "@anaphoric"))
        for basis, rx in self.basis_anaphor_res.items():
            named_before = self.basis_res.get(basis)
            for m in rx.finditer(sent):
                if named_before is not None and named_before.search(text, 0, ss + m.start()):
                    hits.append(_Hit(ss + m.start(), ss + m.end(), "legal_basis", lb.priority if lb else 50, basis))
        for basis, rx in self.basis_res.items():
            if not self.basis_gates[basis].admits(sent, folded):
                continue
            for m in rx.finditer(sent):
                if self.basis_weak is not None and self.basis_weak.fullmatch(m.group(0)):
                    if not (self.basis_weak_support and self.basis_weak_support.search(sent)):
                        continue
                hits.append(_Hit(ss + m.start(), ss + m.end(), "legal_basis", lb.priority if lb else 50, basis))
        # a phrase claimed by two kinds (or two bases) counts once: the longer or higher-priority reading wins
        hits.sort(key=lambda h: (h.start, -(h.end - h.start), -h.priority))
        kept: list[_Hit] = []
        for h in hits:
            clash = next((k for k in kept if h.start < k.end and k.start < h.end), None)
            if clash is None:
                kept.append(h)
            elif h.kind == "legal_basis" and clash.kind == "legal_basis" and h.basis == "no_legal_basis":
                kept[kept.index(clash)] = h
        return sorted(kept, key=lambda h: h.start)

    def _sentence(self, doc, text, ss, se, parties, citations, money, speaker, prev_topic, enforcer,
                  main_target, doc_claims) -> list[dict]:
        hits = self._hits(text, ss, se, parties)
        if not hits and not any(ss <= c.start < se for c in citations) and not any(ss <= st["start"] < se for st in money):
            return []  # every claim below starts from a trigger, a cited article or a money amount in the sentence
        had_hits = bool(hits)
        # "If a court grants an injunction, ...": an event inside a condition has not happened (what the law
        # asks for, "unless they consented", is still said of the processing: assertions stay)
        conditions = self._conditions(text, ss, se)
        hits = [h for h in hits if h.kind in ASSERTION_KINDS or not any(a <= h.start < b for a, b in conditions)]
        # "A fine was not imposed", "Een boete legt de AP niet op", "Een collectieve actie kan pas doorgaan ...":
        # an indefinite event noun negated or generalised in its own clause reports no event
        hits = [h for h in hits if h.kind in ASSERTION_KINDS or not self._unreal_indefinite(text, ss, se, h)]
        # generic background ("boetes kunnen oplopen tot ...") is no claim
        segs = self._segments(text, ss, se)
        restated = self._restated_kinds(text, ss, se)
        kept = []
        for h in hits:
            seg = next(((a, b) for a, b in segs if a <= h.start < b), (ss, se))
            kind = self.kinds.get(h.kind)
            seg_text = text[seg[0]:seg[1]]
            if kind and kind.generic and kind.generic.search(seg_text):
                continue
            if h.kind == "violation" and self.denial_re is not None and self.denial_re.search(text, seg[0], h.start):
                continue  # "Meta betwist dat het de regels overtreedt": the accused denies it, nobody finds it
            if h.definite and h.kind not in restated:
                sub = self._soft_clause(text, seg, h.start, h.end)
                if not self._reports_act(h.kind, sub, text[sub[0]:sub[1]], money, citations):
                    continue
            kept.append(h)
        fine = self.kinds.get("fine")
        if fine is not None and fine.money_verbs is not None:
            for st in money:
                if not (ss <= st["start"] < se):
                    continue
                seg = next(((a, b) for a, b in segs if a <= st["start"] < b), (ss, se))
                fines_here = [h for h in kept if h.kind == "fine" and seg[0] <= h.start < seg[1]]
                if fines_here:
                    others = [m for m in money if seg[0] <= m["start"] < st["start"]]
                    if others and re.search(r"(?<![\w])(?:and|en|plus)\s+(?:[^\s,;.]+\s+){0,3}\Z",
                                            text[max(seg[0], st["start"] - 40):st["start"]], re.I):
                        conj = re.search(r"(?<![\w])(?:and|en|plus)\s+(?:[^\s,;.]+\s+){0,3}\Z",
                                         text[max(seg[0], st["start"] - 40):st["start"]], re.I)
                        start = max(seg[0], st["start"] - 40) + conj.start() + len(conj.group(0).split()[0]) + 1
                        kept.append(_Hit(start, st["end"], "fine", fine.priority, separate=True))
                    continue
                if any(seg[0] <= h.start < seg[1] and h.priority > fine.priority for h in kept):
                    continue
                seg_text = text[seg[0]:seg[1]]
                verb = fine.money_verbs.search(seg_text)
                if verb and fine.money_not_fine is not None and fine.money_not_fine.search(seg_text):
                    continue  # "dan moet het 20.000 euro betalen voor elke week dat ...": a penalty payment, no fine
                # the verb inside a tariff ("can be fined up to NZ$10,000") fines nobody
                if verb and not (fine.generic and any(g.start() < verb.end() and verb.start() < g.end()
                                                      for g in fine.generic.finditer(seg_text))):
                    kept.append(_Hit(st["start"], st["end"], "fine", fine.priority))
            kept.sort(key=lambda h: h.start)
        # qualifying clauses ("..., zoals artikel 32 AVG vereist") belong to an earlier claim when there is one
        def subordinate(h: _Hit) -> bool:
            k = self.kinds.get(h.kind)
            return bool(k and k.subordinate is not None and k.subordinate.fullmatch(text[h.start:h.end]))
        kept = [h for h in kept if not (subordinate(h) and any(o.start < h.start and not subordinate(o) for o in kept))]
        hits = kept
        sent_cits = [c for c in citations if ss <= c.start < se]
        groups = self._group(text, hits, segs, ss, se)
        # citations that no claim covers: Art. 6(1)(x) names a legal basis, other articles are a citation, also in a
        # clause beside another claim ("... is special category data under Article 9, so it needed consent")
        for c in sent_cits:
            if any(a <= c.start < b for (a, b), _g in groups):
                continue
            if c.law_only:
                continue
            seg = next(((a, b) for a, b in segs if a <= c.start < b), (ss, se))
            basis = next((b for art in c.articles if (b := self.finder.basis_of(art))), None)
            kind = "legal_basis" if basis else "article_citation"
            if kind == "article_citation" and self._describes_law(text[ss:se]):
                continue  # "Article 22 gives people the right ...": what the law says, no one's claim
            groups.append((seg, [_Hit(c.start, c.end, kind, self.kinds[kind].priority if kind in self.kinds else 10, basis)]))
        if not groups and not had_hits and sent_cits and any(c.law_only for c in sent_cits):
            c = next(c for c in sent_cits if c.law_only)
            if self._law_claim_cue(text[ss:se]) and not self._describes_law(text[ss:se]):
                seg = next(((a, b) for a, b in segs if a <= c.start < b), (ss, se))
                groups.append((seg, [_Hit(c.start, c.end, "article_citation", 10, None)]))
        groups.sort(key=lambda g: g[0][0])
        out: list[dict] = []
        for gi, ((a, b), group) in enumerate(groups):
            main = max(group, key=lambda h: (h.priority, -h.start))
            here = self._restated_kinds(text, a, b) if restated else set()
            if here and main.kind not in here:
                # "De GBA bevestigt de klacht te hebben ontvangen": confirming receipt of a complaint is no ruling
                main = next((h for h in group if h.kind in here), main)
            if main.kind == "court_ruling" and any(h.basis == "@anaphoric" for h in group) \
                    and self._status(text[a:b], "court_ruling") == "rejected":
                # "The judge rejected that argument": a court denying the basis a party claimed is a legal_basis claim
                main = next(h for h in group if h.basis == "@anaphoric")
            elif main.kind == "court_ruling" and out and out[-1]["kind"] == "legal_basis" and self.relative_re is not None \
                    and self.relative_re.match(text, _trim(text, a, b)[0]) and self._status(text[a:b], "court_ruling") == "rejected":
                # "... switched to legitimate interest, which the court rejected": the court denies the basis just named
                main = _Hit(main.start, main.end, "legal_basis", self.kinds["legal_basis"].priority, "@anaphoric")
                group = [main]
            # "The judges held that such order data falls under Article 9(1)": what a court holds an article to say
            # is an article citation (parties as for a ruling: the court against the party the case is about)
            held = self._held_citation(text, a, b, sent_cits) \
                if main.kind == "court_ruling" and "article_citation" in self.kinds else None
            # citations after the last clause of the sentence belong to it ("..., which covers Articles 44 to 49")
            seg_next = groups[gi + 1][0][0] if gi + 1 < len(groups) else se
            claim = self._claim(doc, text, (a, b), (ss, se), main, group, parties, sent_cits, money, speaker,
                                prev_topic, enforcer, main_target, doc_claims + out, out, seg_next)
            if claim and claim["kind"] in here:
                # "The ICO confirmed it had received the complaint": filed, not upheld; "accepts the reprimand": imposed
                claim["status"] = _RESTATED_STATUS[claim["kind"]]
            if claim and claim["kind"] in ("fine", "order") and self.request_re is not None:
                self._requested(text, (ss, se), claim, parties, doc_claims + out, main)
            if claim and held is not None:
                claim.update(kind="article_citation", _holding=True, polarity=self._polarity(
                    text, a, b, _Hit(held.start, held.end, "article_citation", 10, None), None))
            if claim and main.definite and all(h.definite or h.kind != main.kind for h in group) \
                    and main.kind not in here and any(
                    c["kind"] == claim["kind"] and c["target"] == claim["target"] and claim["claimant"] in (None, c["claimant"])
                    and claim["status"] in (None, c["status"]) for c in doc_claims):
                continue  # "De klachten zijn ingediend in ...", "Its complaints, lodged in ...": the event again
            if claim:
                out.append(claim)
                extra = self._reviewed_fine(doc, text, (a, b), (ss, se), claim, parties, sent_cits, money, speaker,
                                            prev_topic, enforcer, main_target, doc_claims + out, out)
                if extra:
                    if claim["status"] == "annulled" and extra.get("_claimant_party") is not None:
                        # a quashed fine: the ruling goes against the authority that imposed it
                        claim["target"] = extra["claimant"]
                        claim["_target_party"] = extra["_claimant_party"]
                    out.append(extra)
                brought = self._ruled_action(doc, text, (a, b), (ss, se), claim, group, main, parties, sent_cits,
                                             money, speaker, prev_topic, enforcer, main_target, doc_claims + out)
                if brought:
                    if claim["status"] == "rejected" and brought.get("_claimant_party") is not None:
                        # a rejected action: the ruling goes against the party that brought it
                        claim["target"] = brought["claimant"]
                        claim["_target_party"] = brought["_claimant_party"]
                    out.append(brought)
        return self._fine_reasons(doc, text, se, out)

    def _next_court(self, text: str, ss: int, se: int, nxt: tuple[int, int], parties: list[Party]) -> Party | None:
        """The court a following sentence of the same paragraph opens with ("De rechtbank gaf ...", "Dat staat in een
        arrest van het hof ..."), when this sentence states what a party must or may not do and names no court."""
        ns, ne = nxt
        if "\n" in text[se:ns] or self.kinds.get("court_ruling") is None:
            return None
        here = [p for p in parties if ss <= p.start < se]
        if any(p.type in _FINDERS for p in here) or not any(p.type in ("company", "government", "other") for p in here):
            return None
        if _quoted(text, ss, se) or self._conditions(text, ss, se):
            return None
        if not _OBLIGATION.search(text, ss, se):
            return None
        head = [p for p in parties if ns <= p.start < min(ne, ns + 80) and p.type != UNNAMED]
        if not head or head[0].type != "court":
            return None
        opener = re.match(r"\W*(\w+)", text[ns:ne])
        ruling_verb = self.kinds["court_ruling"].triggers
        if head[0].start - ns > 12 and not (opener and opener.group(1).lower() in ("dat", "dit", "that", "this")):
            return None
        if not (ruling_verb is not None and ruling_verb.search(text, ns, ne)) and not re.search(
                r"(?<![\w])(?:arrest|vonnis|uitspraak|judgment|ruling|gelijk|sided)(?![\w])", text[ns:ne], re.I):
            return None
        return head[0]

    def _findings(self, text: str, ss: int, se: int, parties: list[Party], citations, speaker: Party | None,
                  main_target: Party | None, earlier: list[dict], continued: Party | None) -> list[dict]:
        """Violations a regulator or court found, stated as a shortcoming without a violation word: the finder is
        the subject of a finding verb ("the AEPD concluded that ...", "ontdekte de AP dat ..."), the sentence's
        source ("..., the agency said", "volgens de toezichthouder ..."), the finder of the sentence before when this
        one opens with a continuation word ("Ook ...", "Also ...") or with the party found against ("The company had
        not trained its staff either"; not "... did not respond"), or the deciding body after "According to the
        decision, ..." / "Volgens het besluit ..."."""
        if self.shortcoming_re is None:
            return []
        sent = text[ss:se]
        if _quoted(text, ss, se) or self._conditions(text, ss, se):
            return []  # a quoted opinion or a condition states no finding
        if self.denial_re is not None and self.denial_re.search(sent):
            return []
        finder, lo, hi = None, ss, se
        plain = False  # a finding verb's clause is a finding even of plain conduct ("..., the authority found")
        m = self.finding_verbs.search(text, ss, se) if self.finding_verbs is not None else None
        if m is not None:
            # "the AEPD concluded that", and the Dutch inversion "Bij een controle ontdekte de AP dat"
            cands = [p for p in parties if ss <= p.start and p.end <= m.end() and p.type in _FINDERS]
            if cands:
                finder, lo = cands[-1], m.end()
        if finder is None and speaker is not None and speaker.type in _FINDERS and ss <= speaker.start < se:
            finder = speaker
            if speaker.start - ss < (se - ss) / 2:
                # "According to the ICO, ..." / "Volgens de toezichthouder wisten ...": the rest of the sentence
                gap = re.match(r"[^,.;:]{0,25}?,\s*", text[speaker.end:se])
                lo = speaker.end + (gap.end() if gap else 0)
            else:
                # "..., the agency said": the sentence up to the attribution
                cut = text.rfind(",", ss, speaker.start)
                hi = cut if cut > ss else speaker.start
                plain = bool(self.inverted_finding_re is not None and self.inverted_finding_re.match(text, speaker.end, se))
        if finder is None and speaker is not None and speaker.type in _FINDERS and speaker.end <= ss \
                and continued is not None and continued.name == speaker.name \
                and self.inverted_finding_re is not None and self.pronoun_speaker is not None:
            # "Staff had not been given clear guidance, it said.": a pronoun for the finder of the sentence before
            att = self.pronoun_speaker.search(text, ss, se)
            cut = text.rfind(",", ss, att.start() + 1) if att is not None else -1
            if att is not None and cut > ss + (se - ss) // 3 and not text[att.end():se].strip(" .;\"'\u201d"):
                finder, hi = speaker, cut
        others_speak = any(ss <= p.start < se and p.type in _FINDERS + ("ngo", "person") for p in parties)
        if finder is None and continued is not None and self.continuation_re is not None \
                and self.continuation_re.match(text, ss, se) and not others_speak:
            finder = continued
        if finder is None and speaker is None and not others_speak and self.decision_source_re is not None \
                and (src := self.decision_source_re.match(text, ss, se)) is not None:
            # "According to the decision, the municipality did not ...": the body that decided, named before
            # (or the last decision's body when it was named in the last few sentences, not anywhere before)
            finder = continued or next((c["_claimant_party"] for c in reversed(earlier)
                                        if c.get("_claimant_party") is not None and c["end"] >= ss - 400
                                        and c["_claimant_party"].type in _FINDERS), None)
            lo = src.end()
        if finder is None and continued is not None and speaker is None and not others_speak \
                and not _NO_COMMENT.search(text, ss, se) \
                and self._opens_with_last_target(text, ss, se, parties, earlier, continued):
            # "... had not assessed the risks, the regulator found. The company had not trained its staff either.":
            # the next sentence about the same party goes on with the finding
            finder = continued
        if finder is None:
            return []
        # "Telemar did not have a procedure ..., and it had not trained its staff ...": two findings
        parts, pos = [], lo
        for cut in re.finditer(r",\s+(?:and|en)\s+", text[lo:hi]):
            parts.append((pos, lo + cut.start()))
            pos = lo + cut.start() + 2
        parts.append((pos, hi))
        out = []
        for a, b in parts:
            a, b = _trim(text, a, b)
            if b - a < 15 or not (plain or self.shortcoming_re.search(text, a, b)) or _GENERAL_FINDING.match(text, a, b) \
                    or _NORMATIVE.search(text, a, b) or _NOT_RULED_OUT.search(text, a, b) \
                    or (self.remedy_re is not None and self.remedy_re.search(text, a, b)):
                continue
            target = next((p for p in parties if a <= p.start < b and p.type in ("company", "government", "other")), None)
            if target is None:
                target = next((c["_target_party"] for c in reversed(earlier) if c.get("_target_party") is not None
                               and c["_target_party"].type in ("company", "government", "other")
                               and c["_target_party"].name != finder.name), main_target)
            arts = _articles([c for c in citations if a <= c.start < b])
            out.append({"kind": "violation", "basis": None, "articles": arts, "claimant": finder.name,
                        "target": target.name if target else None, "polarity": None, "status": None, "amount": None,
                        "text": text[a:b], "start": a, "end": b, "_claimant_party": finder, "_target_party": target})
        return out

    @staticmethod
    def _opens_with_last_target(text: str, ss: int, se: int, parties: list[Party], earlier: list[dict],
                                finder: Party) -> bool:
        """Whether the sentence opens with the party the finder's last finding was about (named or described:
        "The company", "Het bedrijf")."""
        last = next((c for c in reversed(earlier) if c["kind"] == "violation" and c.get("_claimant_party") is not None
                     and c["_claimant_party"].name == finder.name), None)
        target = last.get("_target_party") if last else None
        first = next((p for p in parties if ss <= p.start < se), None)
        return target is not None and first is not None and first.name == target.name \
            and not text[ss:first.start].strip(" \"'“‘")

    def _forward_ruling(self, doc, text, ss, se, parties, citations, money, speaker, prev_topic, enforcer,
                        main_target, earlier) -> dict | None:
        """ "Meta moet gebruikers een tijdlijn laten kiezen. Dat heeft de rechtbank bepaald.": the sentence the next
        one attributes to a court's decision is the ruling itself."""
        kind = self.kinds.get("court_ruling")
        if kind is None:
            return None
        a, b = _trim(text, ss, se)
        hit = _Hit(a, a, "court_ruling", kind.priority)
        sent_cits = [c for c in citations if ss <= c.start < se]
        return self._claim(doc, text, (a, b), (ss, se), hit, [hit], parties, sent_cits, money, speaker, prev_topic,
                           enforcer, main_target, earlier, [], -1)

    def _fine_reasons(self, doc: Doc, text: str, se: int, claims: list[dict]) -> list[dict]:
        """The reason a fine was given, in the fine's own sentence ("fined X for processing data unlawfully"), is
        part of the fine, not a violation; except after a `reason_violation` word ("omdat ..."), where the reason
        is the sanctioning party's own violation claim, found with or without a violation word."""
        if self.reason_re is None:
            return claims
        out = []
        for c in claims:
            fine = next((f for f in out if f["kind"] == "fine" and f["start"] < c["start"]), None)
            window = (max(fine["start"], c["start"] - 20), c["start"] + 12) if fine is not None else None
            if c["kind"] == "violation" and fine is not None and self.reason_re.search(text, *window) and not (
                    self.reason_violation_re is not None and self.reason_violation_re.search(text, *window)):
                fine["end"] = max(fine["end"], c["end"])
                fine["text"] = text[fine["start"]:fine["end"]]
                continue
            out.append(c)
        if self.reason_violation_re is not None:
            for sanction in [c for c in out if c["kind"] in _REASONED and c.get("_claimant_party") is not None
                             and c["_claimant_party"].type in _FINDERS]:
                m = next((m for m in self.reason_violation_re.finditer(text, sanction["start"], se)
                          if not self._reason_after_noun(text, m.start()) and not _noun_gerund(doc, m)), None)
                if m is None or any(c["kind"] in ("violation", "legal_basis") and c["start"] < se and c["end"] > m.start()
                                    for c in out):
                    continue
                if (self.reason_mitigating_re is not None and self.reason_mitigating_re.search(text, sanction["start"], m.start())) \
                        or (self.reason_pleads_re is not None and self.reason_pleads_re.search(text, m.start(), se)):
                    continue  # why the sanction is low or left out
                if any(c is not sanction and sanction["start"] < c["start"] < m.start() for c in out):
                    continue  # "..., maar Kroost gaat in beroep omdat ...": the reason of another step
                stop = min((c["start"] for c in out if c is not sanction and c["start"] > m.start()), default=se)
                for a, b in self._reason_spans(text, m, min(se, stop)):
                    reason = self.sentence_claim(doc, a, b, "violation") if b - a > 15 else None
                    if reason is not None:
                        reason.update({k: sanction.get(k) for k in ("claimant", "target", "_claimant_party", "_target_party")},
                                      polarity=None)  # a finding of conduct, as the rules' own violations
                        out.append(reason)
        return out

    def _reason_after_noun(self, text: str, at: int) -> bool:
        """ "a system for monitoring staff": the "for" before `at` belongs to the noun before it, not to the sanction."""
        m = re.search(r"([^\W\d]+)\s+for\s+\Z", text[max(0, at - 40):at], re.I)
        return m is not None and m.group(1).lower() in self.reason_not_after

    def _reason_spans(self, text: str, first: re.Match, se: int) -> list[tuple[int, int]]:
        """The stretch of a sanction's stated reason: up to a further step of the same sentence ("..., and ordered it
        to delete the footage"); two reasons ("for tracking its cars and for keeping scans of licences") are two."""
        end = se
        if self.reason_end_re is not None and (stop := self.reason_end_re.search(text, first.end(), se)):
            end = stop.start()
        if (tail := _REASON_TAIL.search(text, first.end(), end)) is not None:
            end = tail.start()  # "..., and the firm said it was reviewing", "..., the regulator said on Thursday"
        starts = [first.start()]
        for m in self.reason_violation_re.finditer(text, first.end(), end):
            if re.search(r"\band\s+(?:also\s+)?(?:for\s+)?\Z|\ben\s+(?:ook\s+)?\Z", text[starts[-1]:m.start()]):
                starts.append(m.start())  # "... and for keeping", "... en omdat"
        bounds = starts[1:] + [end]
        spans = []
        for a, b in zip(starts, bounds):
            b = a + len(re.sub(r"[\s,;]*\b(?:and|en)\s+(?:also\s+|ook\s+)?(?:for\s+)?\Z", "", text[a:b]))
            spans.append(_trim(text, a, b))
        return spans

    def _ruled_action(self, doc, text, seg, sent, claim, group, main, parties, sent_cits, money, speaker,
                      prev_topic, enforcer, main_target, earlier) -> dict | None:
        """A ruling on an action the clause itself reports ("rejected a representative claim brought against
        Google by Richard Lloyd") also reports that action: one extra claim from its noun phrase on."""
        if claim["kind"] != "court_ruling":
            return None
        hit = next((h for h in group if h is not main and h.kind in ("class_action", "complaint")), None)
        if hit is None:
            return None
        left = text[max(seg[0], hit.start - 25):hit.start]
        m = re.search(r"(?:\b(?:de|het|een|the|a|an)\s+(?:[^\W\d]+\s+){0,2})\Z", left, re.I)
        start = max(seg[0], hit.start - 25) + m.start() if m else hit.start
        return self._claim(doc, text, (start, seg[1]), sent, hit, [hit], parties, sent_cits, money, speaker,
                           prev_topic, enforcer, main_target, earlier, [], -1)

    def _reviewed_fine(self, doc, text, seg, sent, claim, parties, sent_cits, money, speaker, prev_topic,
                       enforcer, main_target, earlier, same_sentence) -> dict | None:
        """A ruling or appeal about a fine that the clause itself reports ("vernietigde de boete van 575.000
        euro die de AP aan X had opgelegd", "overturned the £7.5m fine that the ICO imposed on X") also
        reports that fine: one extra fine claim for the part from the amount on."""
        fine = self.kinds.get("fine")
        if claim["kind"] not in ("court_ruling", "appeal", "objection") or fine is None or fine.money_verbs is None:
            return None
        a, b = claim["start"], claim["end"]
        st = next((m for m in money if a <= m["start"] < b), None)
        if st is None:
            return None
        rest = text[st["end"]:b]
        verb = fine.money_verbs.search(rest)
        if verb is None or not any(st["end"] <= p.start < st["end"] + verb.start() for p in parties):
            return None  # the imposing body must be named between the amount and the verb
        # start at the noun phrase of the amount ("de boete van 575.000 euro", "the £7.5m fine")
        left = text[max(a, st["start"] - 25):st["start"]]
        m = re.search(r"(?:\b(?:de|het|die|the|a|an)\s+(?:\w+\s+){0,2})\Z", left, re.I)
        start = max(a, st["start"] - 25) + m.start() if m else st["start"]
        end = st["end"] + verb.end()
        hit = _Hit(st["start"], st["end"], "fine", fine.priority)
        out = self._claim(doc, text, (start, end), sent, hit, [hit], parties, sent_cits, money, speaker,
                          prev_topic, enforcer, main_target, earlier, [], -1)
        if out is not None:
            out["status"] = "imposed"
        return out

    def _pronoun_plaintiffs(self, text: str, claims: list[dict], parties: list[Party]) -> None:
        """"She sued the company in February 2025": a lawsuit whose subject is "she"/"he" and whose claimant came out
        as the party sued (named after the verb) is brought by the person the story names most so far; the party
        after the verb is its target."""
        if self.lawsuit_re is None:
            return
        for c in claims:
            party = c.get("_claimant_party")
            if c["kind"] not in ("complaint", "appeal") or party is None or party.type == "person":
                continue
            m = self.lawsuit_re.search(text, c["start"], c["end"])
            pron = _SUBJECT_PRONOUN.fullmatch(text, c["start"], m.start()) if m is not None else None
            if pron is None or party.start < m.end() or _PASSIVE.search(text, c["start"], m.start()) \
                    or _AGENT_BEFORE.search(text, max(m.end(), party.start - 6), party.start):
                continue  # "She was sued by Rydo Ltd": the party after the verb brings it
            plaintiff = _story_person(parties, c["start"])
            if plaintiff is None or plaintiff.name == party.name:
                continue
            c.update(claimant=plaintiff.name, _claimant_party=plaintiff, target=party.name, _target_party=party)

    def _person_lawsuits(self, text: str, claims: list[dict]) -> None:
        """A lawsuit a person brings ("Paxton sued Meta", "Schrems sued the company in Vienna", "A competing pharmacist
        took him to court") is not a complaint to a regulator: it gets the lexicon's person_lawsuit_kind (English:
        `other`, status filed). So does one that an unnamed group brings ("several owners have filed lawsuits")
        unless the story speaks of a collective action (then `_lawsuits_as_class_action` makes it one), and a person
        or group "going to court" that no decision was taken against before ("De patiënt stapte naar de rechter"; a
        fined company going there appeals). An association's lawsuit stays a complaint (the corpus convention)."""
        kind = self.person_lawsuit_kind
        if not kind or self.lawsuit_re is None:
            return
        collective = self._collective_story(text)
        for c in claims:
            party = c.get("_claimant_party")
            if c["kind"] == "appeal" and (party is None or party.type in ("person", UNNAMED)) \
                    and self.lawsuit_re.search(c["text"]) and (party is None or not any(
                        e["kind"] in _ENFORCEMENT and e.get("target") == party.name and e["start"] < c["start"]
                        for e in claims)):
                c["kind"] = kind
                c["status"] = self._status(c["text"], kind) or "filed"
                continue
            plaintiff = party is None or party.type in ("person", "court") or (
                not collective and party.type in (UNNAMED, "other"))
            if c["kind"] == "complaint" and plaintiff and self.lawsuit_re.search(c["text"]):
                if party is not None and party.type == "court":
                    # "bepaald in een zaak die de vrouw had aangespannen": a court brings no lawsuit
                    c.update(claimant=None, _claimant_party=None)
                c["kind"] = kind
                c["status"] = self._status(c["text"], kind) or "filed"  # a lawsuit is brought (the convention)

    def _data_requests(self, doc: Doc, text: str, parties: list[Party], sentences: list[tuple[int, int]],
                       claims: list[dict], main_target: Party | None) -> list[dict]:
        """A data subject's own request for access to, a copy of or the erasure of their data ("In January Belkacem
        asked Logis Val de Lys for a copy of all the data it held about her", "Rusu heeft Dentaris gevraagd al haar
        gegevens te wissen"): `other`, status sent, the asker against the controller. The asker is the nearest
        party before the request in its sentence, or the last person before it for "she"/"ze", and must be a person,
        an NGO or an unnamed group (a regulator asking is an investigation's question; a request to a regulator or
        court is a complaint or a lawsuit)."""
        if self.data_request_re is None:
            return []
        out: list[dict] = []
        for ss, se in sentences:
            m = self.data_request_re.search(text, ss, se)
            if m is None or (self.data_request_generic is not None and self.data_request_generic.search(text, ss, se)):
                continue
            # a step that holds the request ("asks the AP to order ... to delete"); a step in a clause of its own
            # before it ("Haddad objected in writing ... and asked Norrbacka to delete everything") leaves the request
            # its own claim
            coordinated = re.search(r"(?<![\w])(?:and|en)\s+(?:then\s+|also\s+|later\s+|daarna\s+|ook\s+)?\Z",
                                    text[ss:m.start()]) is not None
            if any(c["start"] <= m.start() < c["end"] and c["kind"] in _REQUEST_LIKE
                   and not (coordinated and c["kind"] in ("objection", "appeal")) for c in claims + out):
                continue
            # an authority named as the one complained to is not the asker ("She complained to NAIH and asked ...")
            before = [p for p in parties if ss <= p.start and p.end <= m.start()
                      and not (p.type in _AUTHORITIES and _ADDRESSEE_BEFORE.search(text, max(ss, p.start - 12), p.start))]
            if before and before[-1].type in _AUTHORITIES:
                continue  # "the ICO asked Logis to delete the footage": an authority's demand, not a data subject's
            # the nearest party before the request, or before the Dutch object that precedes a final verb ("nadat
            # hij het bedrijf om een kopie had gevraagd")
            lo = next((p.start for p in reversed(before) if p.type not in _ASKERS), None) if before else None
            askers = [p for p in before if p.type in _ASKERS]
            asker = askers[-1] if askers and (before[-1] is askers[-1] or lo is not None) else None
            if asker is not None and any(p.start > asker.start and p.type in _AUTHORITIES for p in before):
                continue  # "Jan zegt dat de AP Havenzicht vroeg de beelden te wissen": the authority asked
            pron = next(reversed(list(_PRONOUN.finditer(text, ss, m.start()))), None)  # the nearest "she" before it
            # near the request, or the sentence's subject before a coordinated verb ("She noticed a microphone ... and
            # asked the company for a copy")
            near = pron is not None and (m.start() - pron.end() < 60 or (
                not text[ss:pron.start()].strip(" \"'“‘") and re.search(r"(?<![\w])(?:and|en)\s+$", text[pron.end():m.start()])))
            if asker is None and near and not _PLURAL_ASK.match(text, m.start()):
                asker = _story_person(parties, ss)  # "she"
            if asker is None:
                continue
            asked = next((p for p in parties if m.start() <= p.start < se and p.name != asker.name), None)
            if asked is not None and asked.type in ("regulator", "court"):
                continue  # a request to an authority to act ("vraagt de AP het bedrijf op te dragen ... te wissen")
            target = asked
            if target is None and main_target is not None and main_target.name != asker.name:
                target = main_target
            a, b = _trim(text, asker.start if asker.start >= ss else m.start(), se)
            claim = self.sentence_claim(doc, a, b, "other")
            if claim is None:
                continue
            claim.update(claimant=asker.name, target=target.name if target else None, status="sent", polarity=None,
                         _claimant_party=asker, _target_party=target)
            out.append(claim)
            # the request words read as an authority's question ("asked X for a copy") when the asker is a person:
            # the investigation given to the story's regulator is this request (not one told before the asker, "The
            # inquiry started after a customer asked HanseDrive for a copy")
            claims[:] = [c for c in claims if not (c["kind"] == "investigation" and c["start"] <= m.start() < c["end"]
                                                   and c["start"] >= max(ss, asker.start)
                                                   and asker.type == "person" and not any(
                                                       ss <= p.start < m.start() and p.type in _AUTHORITIES for p in parties))]
        return out

    def _regulator_breaches(self, claims: list[dict]) -> None:
        """A regulator's words that an article was not met ("a failure to secure them under Article 32", "meldde het
        lek niet binnen 72 uur, zoals artikel 33 voorschrijft") are its finding of a breach: a `violation` with that
        article, not an `article_citation` (the corpus convention: citations are a party's or court's reading of what
        a law covers). On dev the article citations of regulators with a shortcoming or breach word were violations
        36 times in 41."""
        if self.shortcoming_re is None and self.breach_re is None:
            return
        for c in claims:
            party = c.get("_claimant_party")
            if c["kind"] != "article_citation" or party is None or party.type != "regulator" or not c["articles"]:
                continue
            if not any(rx is not None and rx.search(c["text"]) for rx in (self.shortcoming_re, self.breach_re)) \
                    or (self.scope_re is not None and self.scope_re.search(c["text"])):
                continue  # ("Article 2 does not cover household cameras": what a law covers, no breach)
            if any(o is not c and o["kind"] == "violation" and o["start"] < c["end"] and o["end"] > c["start"]
                   for o in claims):
                continue  # the finding is already a violation of its own
            c.update(kind="violation", polarity=None, status=None)

    def _prosecutor(self, text: str, parties: list[Party], enforcer: Party | None) -> Party | None:
        """A person introduced as a prosecutor ("The state's attorney general, Ken Paxton") enforces the law like a
        regulator: the story's enforcer when mentioned more often than its most mentioned regulator."""
        rx = self.enforcer_title_re
        if rx is None:
            return enforcer
        titled = {p.name for p in parties if p.type == "person" and not p.anaphor
                  and rx.search(text[max(0, p.start - 40):p.start])}
        if not titled:
            return enforcer
        counts: dict[str, int] = {}
        for p in parties:
            if p.name in titled or (enforcer is not None and p.name == enforcer.name):
                counts[p.name] = counts.get(p.name, 0) + 1
        best = max(titled, key=lambda n: counts.get(n, 0))
        if enforcer is not None and counts.get(enforcer.name, 0) >= counts.get(best, 0):
            return enforcer
        return next(p for p in parties if p.name == best)

    def _authority_lawsuits(self, claims: list[dict], parties: list[Party], main_target: Party | None) -> None:
        """A regulator or government taking a party to court ("is taking Medibank to the Federal Court", "filed civil
        penalty proceedings") brings a lawsuit: `other`, status filed, against the party it takes there."""
        rx = self.authority_lawsuit_re
        if rx is None or not self.person_lawsuit_kind:
            return
        for c in claims:
            m = rx.search(c["text"]) if c["kind"] in ("appeal", "fine", "complaint") else None
            if m is None:
                continue
            lo, hi = c["start"] + m.start(), c["start"] + m.end()
            party = c.get("_claimant_party")
            if party is None or party.type not in ("regulator", "government"):
                # the authority that is the clause's subject ("Australia's privacy regulator has taken Facebook ...")
                party = next((p for p in reversed(parties) if c["start"] <= p.start < lo
                              and p.type in ("regulator", "government")), None)
                if party is None:
                    continue
                c.update(claimant=party.name, _claimant_party=party)
            taken = next((p for p in parties if lo < p.start < hi and p.type not in ("court", "regulator", UNNAMED)), None)
            target = taken or c.get("_target_party") or main_target
            if target is not None and target.type == "court":
                target = main_target
            c.update(kind=self.person_lawsuit_kind, status="filed",
                     target=target.name if target is not None else None, _target_party=target)

    def _collective_story(self, text: str) -> bool:
        """Whether a story speaks of a class action or of claims for a whole group."""
        ca = self.kinds.get("class_action")
        return ca is not None and bool((ca.triggers is not None and ca.triggers.search(text))
                                       or (self.group_cue_re is not None and self.group_cue_re.search(text)))

    def _lawsuits_as_class_action(self, text: str, claims: list[dict]) -> None:
        """A lawsuit in a story that also calls the case a class action ("Should the judge allow the case to go forward
        as a class action") or brings it for a whole group ("namens ruim een miljoen gebruikers") is that class action."""
        if self.lawsuit_re is None or not self._collective_story(text):
            return
        for c in claims:
            party = c.get("_claimant_party")
            if c["kind"] == "complaint" and self.lawsuit_re.search(c["text"]) \
                    and (party is None or party.type not in ("regulator", "court", "government")):
                c["kind"] = "class_action"
                c["status"] = self._status(c["text"], "class_action")

    def _restated_kinds(self, text: str, a: int, b: int) -> set[str]:
        """The kinds whose event the clause text[a:b] states again by its cue ("bevestigt de klacht te hebben
        ontvangen": complaint; "zegt de berisping te aanvaarden": reprimand, fine), none where it is refused or negated
        ("accepteert de boete niet", "weigert de boete te accepteren")."""
        found = set()
        for kind, rx in self.restated_res.items():
            for m in rx.finditer(text, a, b):
                # the refusal or negation sits by the cue, not elsewhere in the sentence ("..., maar doet geen
                # uitspraken over lopende zaken" still confirms the complaint)
                if self.restated_veto is None or not self.restated_veto.search(text, max(a, m.start() - 20),
                                                                                min(b, m.end() + 12)):
                    found.add(kind)
        return found

    def _unreal_indefinite(self, text: str, ss: int, se: int, h: _Hit) -> bool:
        """Whether a trigger with an indefinite determiner ("a fine", "een boete") is negated or generalised by the
        words after it in its clause: "A fine was not imposed", "Een collectieve actie kan pas ..."."""
        if self.indefinite_re is None or not self.indefinite_re.search(text, max(ss, h.start - 8), h.start):
            return False
        stop = re.search(r"[,;:.!?(]", text[h.end:se])
        rest = text[h.end:h.end + stop.start()] if stop else text[h.end:se]
        if self.relative_re is not None:
            rel = re.search(rf"(?<![\w])(?:that(?![\w])|{self.relative_re.pattern})", rest, re.I)
            rest = rest[:rel.start()] if rel else rest  # "a fine that was never paid" was still imposed
        if self.condition_cut_re is not None:
            sub = self.condition_cut_re.search(rest)
            rest = rest[:sub.start()] if sub else rest  # "threatens a collective lawsuit if the firm does not stop"
        words = rest.split()
        neg = self.negated_after_re.search(" ".join(words[:5])) if self.negated_after_re is not None else None
        general = self.general_after_re.search(" ".join(words[:2])) if self.general_after_re is not None else None
        return bool(neg or general)

    def _conditions(self, text: str, ss: int, se: int) -> list[tuple[int, int]]:
        """Conditional clauses of a sentence: from a clause-initial "if"/"als"/"indien" to the next comma,
        and an inverted condition opening the sentence ("Should the judge allow ..., ")."""
        out = []
        inv = self.inverted_re.match(text, ss, se) if self.inverted_re is not None else None
        if inv is not None:
            comma = text.find(",", inv.end(), se)
            if comma > 0:
                out.append((inv.start(), comma))
        if self.conditional_re is None:
            return out
        for m in self.conditional_re.finditer(text, ss, se):
            before = text[ss:m.start()]
            if before.strip(" " + QUOTES) and not re.search(
                    rf"[,;:{QUOTES}]\s*(?:(?:and|but|en|maar|of|or)\s+)?\Z", before, re.I):
                continue  # "zo snel als", "asked if": not a clause-initial condition
            end = re.search(r"[,;:]", text[m.end():se])
            out.append((m.start(), m.end() + end.start() if end else se))
        return out

    def _soft_clause(self, text: str, seg: tuple[int, int], start: int, end: int) -> tuple[int, int]:
        """The part of a clause around a trigger between soft boundaries (en/and/maar/comma)."""
        a, b = seg
        lo, hi = a, b
        if self.soft_break is not None:
            for m in self.soft_break.finditer(text, a, start):
                if text[max(a, m.start() - 1):m.start()] in (" ", ","):
                    lo = max(lo, m.start())
            m = self.soft_break.search(text, end, b)
            while m is not None and text[max(a, m.start() - 1):m.start()] not in (" ", ","):
                m = self.soft_break.search(text, m.end(), b)
            if m is not None:
                hi = min(hi, m.start())
        for m in re.finditer(r",\s+", text[a:start]):
            lo = max(lo, a + m.end())
        m = re.search(r",\s+", text[end:b])
        if m:
            hi = min(hi, end + m.start())
        return lo, hi

    def _reports_act(self, kind: str, seg, seg_text: str, money, citations) -> bool:
        """Whether a clause with a definite trigger noun ("de boete") reports the act itself."""
        if kind == "fine" and any(seg[0] <= s["start"] < seg[1] for s in money):
            return True
        if any(seg[0] <= c.start < seg[1] and not c.law_only for c in citations):
            return True
        return self._status(seg_text, kind) is not None

    def _requested(self, text: str, sent: tuple[int, int], claim: dict, parties: list[Party], earlier: list[dict],
                   main: _Hit) -> None:
        """A fine or order that a party asks a regulator for ("noyb asks the CNIL to order Cantinéo to stop", "The
        complaint asks Datatilsynet to impose a fine", "Ook wil de organisatie dat de toezichthouder een boete
        oplegt") is the asker's proposal: the asker is the claimant, the status `proposed`. The asker is the last
        party before the request words (not a court; a regulator asking a court keeps its claim), else, for a
        company or the target itself, the party of the last complaint."""
        lo = max(sent[0], main.start - 120)
        cue = None
        # the trigger may hold the request ("asks the CNIL to order"): cues up to its end
        for m in self.request_re.finditer(text, lo, main.end):
            cue = m
        if cue is None:
            return
        between = text[cue.end():max(cue.end(), main.start)]
        if re.search(r"[.;,]", between) or not _REQUEST_LINK.search(text, cue.end(), main.end):
            # the step must hang on the request ("asks X to order", "wil dat ... oplegt"): not "After noyb asked it
            # to act, the AP fined Clearview"
            return
        asker = next((p for p in reversed(parties) if sent[0] <= p.start < cue.start() and p.type != "court"), None)
        if asker is not None and asker.type == "regulator":
            return  # "The commissioner is asking the court to impose penalties": the regulator's own step
        askers = ("ngo", "person", "other", UNNAMED)
        if asker is None or asker.type not in askers:
            # "The complaint asks Datatilsynet to ...": the complainant
            asker = next((c["_claimant_party"] for c in reversed(earlier) if c["kind"] == "complaint"
                          and c.get("_claimant_party") is not None), None)
        if asker is None or asker.type not in askers:
            return
        if asker.name == claim.get("target"):
            # "noyb also wants the regulator to impose a fine": the asker is no target; the fine would hit the
            # party the story's claims are against
            target = next((c["_target_party"] for c in reversed(earlier) if c.get("_target_party") is not None
                           and c["_target_party"].name != asker.name
                           and c["_target_party"].type in ("company", "government", "other")), None)
            if target is None:
                return
            claim.update(target=target.name, _target_party=target)
        claim.update(claimant=asker.name, _claimant_party=asker, status="proposed")

    def _held_citation(self, text: str, a: int, b: int, citations) -> Citation | None:
        """The first citation of a court's clause that holds what an article says, if it is one: the clause cites an
        article (not only a law, not an Art. 6 basis) and decides nothing about the case (no status: upheld,
        annulled, dismissed, ordered ...)."""
        cited = [c for c in citations if a <= c.start < b and not c.law_only]
        if not cited or any(self.finder.basis_of(art) for c in cited for art in c.articles):
            return None
        return cited[0] if self._status(text[a:b], "court_ruling") is None else None

    def _describes_law(self, sentence: str) -> bool:
        """Whether a sentence states what an article provides in general (the article_citation kind's generic forms)."""
        spec = self.kinds.get("article_citation")
        return bool(spec and spec.generic and spec.generic.search(sentence))

    def _law_claim_cue(self, sentence: str) -> bool:
        rx = self.kinds.get("violation")
        return bool((rx and rx.triggers and rx.triggers.search(sentence))
                    or (self.law_claim_re is not None and self.law_claim_re.search(sentence)))

    def _segments(self, text: str, ss: int, se: int) -> list[tuple[int, int]]:
        """Hard clause boundaries: ; and ': ', a comma before a conjunction or a speech verb, and the
        closing quote of a quoted passage."""
        sent = text[ss:se]
        cuts = {0, len(sent)}
        for m in re.finditer(r";\s*|:\s+(?!\d)", sent):
            cuts.add(m.end())
        if self.soft_break is not None:
            for m in re.finditer(r",\s+", sent):
                nxt = sent[m.end():m.end() + 30]
                if self.consequence_re is not None and self.consequence_re.match(nxt):
                    continue  # "..., en daarmee in strijd met ...": the same finding goes on
                if self.soft_break.match(nxt) or (self.cues.speech_verbs and self.cues.speech_verbs.match(nxt)):
                    cuts.add(m.end())
        for m in re.finditer(rf"[{QUOTES}],\s+(?=\w)", sent):
            if m.start() > 0:
                cuts.add(m.end())
        cuts_sorted = sorted(cuts)
        out = []
        for x, y in zip(cuts_sorted, cuts_sorted[1:]):
            if y > x:
                out.append((ss + x, ss + y))
        return out or [(ss, se)]

    def _group(self, text, hits: list[_Hit], segs, ss, se) -> list[tuple[tuple[int, int], list[_Hit]]]:
        """One group per event mention: hits in one clause form one event, unless a soft boundary
        (en/and/maar/but/omdat/a comma) lies between them."""
        groups: list[tuple[tuple[int, int], list[_Hit]]] = []
        for a, b in segs:
            inside = [h for h in hits if a <= h.start < b]
            if not inside:
                continue
            cur_start, cur = a, [inside[0]]
            for h in inside[1:]:
                prev = cur[-1]
                cut = self._soft_cut(text, prev.end, h.start)
                different = h.kind != prev.kind or (h.kind == "legal_basis" and h.basis != prev.basis)
                if cut is not None and (different or h.separate or h.start - prev.end > 40):
                    groups.append(((cur_start, cut), cur))
                    cur_start, cur = cut, [h]
                else:
                    cur.append(h)
            groups.append(((cur_start, b), cur))
        return groups

    def _soft_cut(self, text: str, lo: int, hi: int) -> int | None:
        between = text[lo:hi]
        best = None
        if self.soft_break is not None:
            for m in self.soft_break.finditer(between):
                pre = between[:m.start()]
                if pre.endswith(" ") or pre.endswith(","):
                    best = lo + m.start()
        for m in re.finditer(r",\s+", between):
            cand = lo + m.end()
            if best is None or cand > best:
                best = cand
        return best

    def _claim(self, doc, text, seg, sent, main: _Hit, group, parties, sent_cits, money, speaker, prev_topic,
               enforcer, main_target, earlier, same_sentence, seg_next: int = -1) -> dict | None:
        a, b = _trim(text, *seg)
        if b <= a:
            return None
        if b - a > MAX_SPAN:  # keep a tight window around the trigger
            a2 = max(a, main.start - MAX_SPAN // 2)
            b2 = min(b, max(main.end, a2) + MAX_SPAN // 2)
            a, b = _trim(text, a2, b2)
        kind = main.kind
        spec = self.kinds.get(kind)
        clause = text[a:b]
        if kind == "court_ruling":
            lb = next((h for h in group if h.kind == "legal_basis" and h.basis and h.basis != "@anaphoric"
                       and a <= h.start < b), None)
            if lb is not None:
                # "The judges held that consent given through the second box was not valid": a court's holding on a
                # legal basis is a legal_basis claim with the court as claimant (the corpus convention)
                kind, spec, main = "legal_basis", self.kinds.get("legal_basis"), lb
        # basis and polarity
        basis = None
        if kind == "legal_basis":
            basis = next((h.basis for h in [main] + group if h.basis and h.basis != "@anaphoric"), None)
            if basis is None and any(h.basis == "@anaphoric" for h in group):
                basis = next((c["basis"] for c in reversed(earlier) if c["kind"] == "legal_basis" and c["basis"]
                              and c["basis"] != "no_legal_basis"), None)
                if basis is None:
                    return None
        arts = _articles([c for c in sent_cits if a <= c.start < b or (c.start >= b and c.start < seg_next)])
        if kind == "legal_basis" and basis is None:
            basis = next((bb for art in arts if (bb := self.finder.basis_of(art))), None)
        if kind == "legal_basis" and basis != "no_legal_basis" and main.basis != "@anaphoric" and any(
                not c.law_only and c.start < main.start and a <= c.start and not any(self.finder.basis_of(x) for x in c.articles)
                for c in sent_cits):
            kind, spec = "article_citation", self.kinds.get("article_citation")  # "valt onder artikel 9 AVG en mag alleen met toestemming"
        polarity = None
        if kind in ("legal_basis", "article_citation"):
            polarity = self._polarity(text, a, b, main, basis)
        # parties
        assertion = kind in ASSERTION_KINDS
        if kind == "violation" and speaker is not None and speaker.type in ("company", "government"):
            speaker = None  # "X meldde dat lek niet": the party reporting is the one accused
        claimant_types = list(spec.claimant) if spec else []
        self_claimer = None
        no_need = False
        if kind == "legal_basis":
            self_claimer = self._self_claimer(text, a, b, sent, parties, main, prev_topic, main_target)
            if self_claimer is None and speaker is not None and speaker.type in ("company", "government"):
                self_claimer = speaker
            no_need = polarity == "deny" and self_claimer is not None and bool(_NO_NEED.search(text, a, b))
            if (polarity == "deny" and not no_need) or self_claimer is None:
                # a company names its own basis only through a claim verb ("Meta claimt", "relies on"); it denies a
                # basis of its own only by saying it does not need it ("says it does not need customers' consent")
                claimant_types = [t for t in claimant_types if t != "company"]
        ctx = RoleContext(
            kind=kind, clause=(a, b), sentence=sent, trigger=(main.start, main.end),
            claimant_types=claimant_types, target_types=spec.target if spec else [],
            # "Haverdam moet de analyse binnen drie maanden uitzetten", "Uber must delete the data": the subject of a
            # duty is the one ordered
            subject_is_target=kind in ("violation", "legal_basis", "article_citation")
            or (kind == "order" and bool(_DUTY_MODAL.match(text, main.start, main.end))),
            speaker=speaker, assertion=assertion, nearest_subject=bool(spec and spec.nearest_subject),
            salient=self._salience(earlier, main_target),
        )
        claimant, target = assign_roles(text, ctx, parties, self.cues, doc if doc.has_annotation("DEP") else None)
        if main.separate:
            listed = next((p for p in parties if main.start <= p.start < main.end and p.type != UNNAMED), None)
            target = listed or target
        if claimant is None:
            # "Google, which had appealed ...": a relative clause's subject is the party right before it
            rel = self.relative_re.match(text, a) if self.relative_re is not None else None
            if rel:
                claimant = next((p for p in reversed(parties) if p.type != UNNAMED and 0 <= a - p.end <= 3
                                 and text[p.end:a].strip() == ","), None)
        if kind in _BROUGHT and self.relative_re is not None:
            # "..., Ligue des droits de l'Homme, die de klachten indiende": the relative clause holding the
            # trigger has the party right before its pronoun as subject
            near = next((p for p in reversed(parties) if sent[0] <= p.start and p.end <= main.start), None)
            gap = text[near.end:main.start] if near is not None else ""
            rel = re.match(r"\)?\s*(?:\([^()]{1,40}\))?\s*,\s*", gap)
            if near is not None and near.type in ctx.claimant_types and rel and self.relative_re.match(gap, rel.end()) \
                    and len(gap[rel.end():].split()) <= 5 and not re.search(r"[,;:]", gap[rel.end():]):
                claimant = near
        rel_subject = None
        if kind in _BROUGHT and self.relative_re is not None:
            # "een kort geding dat Bits of Freedom had aangespannen", "a complaint that noyb lodged": the subject of
            # the relative clause right after the action brought it
            m = re.match(r"\s*,?\s*", text[main.end:b])
            rel = self.relative_re.match(text, main.end + m.end()) if m else None
            if rel is None and re.match(r"\s+that\s", text[main.end:main.end + 6]):
                rel = re.match(r"that", text[main.end + 1:main.end + 5])
                rel_end = main.end + 5
            else:
                rel_end = rel.end() if rel else -1
            subj = next((p for p in parties if rel_end <= p.start < rel_end + 40 and p.type in ctx.claimant_types
                         and len(text[rel_end:p.start].split()) <= 3), None) if rel_end > 0 else None
            if subj is not None and not _marked(text, rel_end, subj, self.cues.target_before):
                claimant = rel_subject = subj
        if kind == "order" and claimant is not None and claimant.type in ("regulator", "government"):
            # "the EDPB issued a binding decision instructing the Irish authority to ...": the regulator instructed
            told = next((p for p in parties if main.end <= p.start < b and p.type == "regulator"
                         and p.name != claimant.name), None)
            target = told or target
        if kind == "court_ruling" and self.ruling_object_re is not None:
            # "dismissed Bindl's other claims", "wees de eis van de Consumentenbond af": the party whose claim it was
            owner = next((p for p in parties if a <= p.start < b and p.type != UNNAMED and p.type != "court"
                          and (self.ruling_object_re.match(text, p.end)
                               or self.ruling_object_before_re.search(text, max(a, p.start - 30), p.start))), None)
            target = owner or target
            if owner is None and self.ruling_object_def_re is not None and self.ruling_object_def_re.search(clause) \
                    and self._status(clause, kind) == "rejected":
                # "The court turned the application down": the request rejected is the last one a party made
                asked = next((c["_claimant_party"] for c in reversed(earlier) if c.get("_claimant_party") is not None
                              and (c["kind"] in _BROUGHT or c["kind"] in ("order", "other"))
                              and c["_claimant_party"].type not in ("court", "regulator", "government", UNNAMED)), None)
                target = asked or target
        if kind == "court_ruling" and self.undone_decision_re is not None and self.undone_decision_re.search(clause) \
                and not (self.undone_refused_re is not None and self.undone_refused_re.search(clause)):
            # "the tribunal overturned the £7.5m fine", "heeft de boete die de AP oplegde verlaagd": the body whose
            # fine or decision it undid
            decider = next((p for p in reversed(parties) if sent[0] <= p.start < b and p.type == "regulator"), None) \
                or (enforcer if enforcer is not None and enforcer.type == "regulator" else None) \
                or next((c["_claimant_party"] for c in reversed(earlier) if c["kind"] in _ENFORCEMENT - {"court_ruling"}
                         and c.get("_claimant_party") is not None
                         and c["_claimant_party"].type in ("regulator", "government")), None)
            target = decider or target
        clause_starts_bare = bool(re.match(r"\W*(?:en|and|maar|but|of|or)\b", text[a:a + 8], re.I)) or not any(
            a <= p.start < main.start for p in parties)
        if kind == "legal_basis" and polarity == "affirm" and self_claimer is not None:
            claimant, target = self_claimer, self_claimer
        if kind in ("legal_basis", "violation", "article_citation") and speaker is not None and claimant is not None \
                and claimant.type == "company" and speaker.type != "company" and kind != "legal_basis":
            claimant, target = speaker, target or claimant
        # inheritance: a clause without its own subject continues the previous claim of the sentence
        if same_sentence and clause_starts_bare:
            prev = same_sentence[-1]
            inherited = prev.get("_claimant_party")
            if inherited is not None and inherited.type not in ctx.claimant_types:
                inherited = None
            own_basis = kind == "legal_basis" and polarity == "affirm" and self_claimer is not None
            if not own_basis and (claimant is None or (inherited is not None and claimant is target)):
                claimant = inherited or claimant  # ... not a party's own basis ("..., relying on its interest")
            if target is None:
                target = prev.get("_target_party")
        if claimant is None and speaker is not None and (assertion or speaker.type in (spec.claimant if spec else [])):
            claimant = speaker
        if claimant is None and prev_topic is not None and _pronoun_start(text, sent[0], self.cues):
            claimant = prev_topic
        elif kind in _BROUGHT and prev_topic is not None and claimant is not None and claimant.start > main.end \
                and claimant is not rel_subject \
                and claimant.name != prev_topic.name and _pronoun_start(text, sent[0], self.cues) \
                and not _marked(text, sent[0], claimant, self.cues.claimant_before):
            # "It asked the Upper Tribunal for permission to appeal, arguing that Clearview ...": the pronoun
            # subject is the previous topic, not a party named after the trigger
            claimant = prev_topic
        if self.claimant_anaphora is not None and self.claimant_anaphora.search(text[sent[0]:main.start]):
            claimant = next((c["_claimant_party"] for c in reversed(earlier) if c["kind"] in _BROUGHT
                             and c.get("_claimant_party") is not None), None) or _top_party(parties, ("ngo",)) or claimant
        if kind in _BROUGHT and (claimant is None or claimant.type in _FINDERS) and self.definite_re is not None \
                and self.definite_re.search(text[max(sent[0], main.start - 30):main.start]):
            # "De toezichthouder heeft die klacht nog in behandeling": the complaint named before, by whoever brought it
            brought = next((c for c in reversed(earlier) if c["kind"] == kind and c.get("_claimant_party") is not None), None)
            if brought is not None:
                claimant = brought["_claimant_party"]
                target = brought.get("_target_party") or target
        if claimant is None and assertion:
            # an unattributed finding continues the story's deciding body (regulator or court) before anyone else
            claimant = next((c["_claimant_party"] for c in reversed(earlier) if c.get("_claimant_party") is not None
                             and c["_claimant_party"].type in ("regulator", "court")), None) or next(
                (c["_claimant_party"] for c in reversed(earlier) if c.get("_claimant_party") is not None
                 and c["_claimant_party"].type not in ("company", UNNAMED)), None)
        spokesperson = False
        if claimant is not None and claimant.type == "person" and claimant.name in self._speaks_for:
            claimant = self._speaks_for[claimant.name]  # "X, a lawyer with noyb, said ...": noyb's claim
            spokesperson = True
        if claimant is not None and claimant.type == "person":
            claimant = _judge_court(text, claimant, parties, self.judge_titles)  # "Judge X rejected ...": the court's
        if claimant is not None and kind == "court_ruling" and claimant.type != "court" and any(
                p.type == "court" for p in parties):
            claimant = None  # only a court rules: "rejected a claim brought by Richard Lloyd" is not Lloyd's ruling
        if claimant is None and kind == "court_ruling":
            # "A tribunal has overturned ...": the nearest court the story names, before or else after
            claimant = _court_near(parties, main.start)
        if claimant is None and kind in ("fine", "order", "reprimand", "investigation", "violation", "legal_basis") \
                and enforcer is not None:
            claimant = enforcer
        if claimant is not None and claimant.type == "company" and kind in ("fine", "order", "reprimand", "investigation") \
                and enforcer is not None and not any(p.type in _FINDERS for p in parties if sent[0] <= p.start < sent[1]):
            claimant = enforcer  # a company neither fines nor investigates: "Het onderzoek startte in 2023" is the regulator's
        if target is not None and claimant is not None and target.name == claimant.name and not (
                kind == "legal_basis" and polarity == "affirm") and kind != "article_citation":
            target = None
        # "bezwaar tegen het besluit", "objected to the fine": an objection or appeal against a regulator's decision
        decision_objected = kind in ("objection", "appeal") and bool(_DECISION_OBJECTED.search(text, a, b))
        if kind == "objection" and claimant is not None and claimant.type in ("company", "other", "government") \
                and not decision_objected:
            group = next((p for p in parties if a <= p.start < b and p.type == UNNAMED), None)
            if group is not None:
                # "Klanten die dat niet willen, kunnen via de app bezwaar maken": the customers object to the processor
                claimant, target = group, claimant
        if target is None and kind in ("objection", "appeal") and (claimant is None or claimant.type in ("company", "other", "government")) \
                and (kind == "appeal" or decision_objected):
            target = next((c["_claimant_party"] for c in reversed(earlier) if c["kind"] in _ENFORCEMENT
                           and c.get("_claimant_party") is not None and (claimant is None or c["_claimant_party"].name != claimant.name)), enforcer)
        if target is None and kind == "appeal" and claimant is not None and claimant.type in ("regulator", "ngo", "person"):
            # a regulator (or complainant) appealing a judgment appeals the court that gave it
            target = next((c["_claimant_party"] for c in reversed(earlier) if c["kind"] == "court_ruling"
                           and c.get("_claimant_party") is not None and c["_claimant_party"].name != claimant.name), None)
        if kind == "objection" and target is not None and target.type == "regulator" and not decision_objected:
            # "De AP roept leden op bezwaar te maken": people object to the processing, not to the regulator
            # that tells them they can ("bezwaar tegen het besluit" of a regulator is the exception)
            target = None
        if target is None:
            target = self._fallback_target(earlier, kind, claimant, main_target, spec, main.start)
        if kind == "objection" and target is not None and target.type == "regulator" and not decision_objected \
                and main_target is not None:
            target = main_target  # "kunnen via de app bezwaar maken": against the processor, not a regulator named before
        if kind == "legal_basis" and polarity == "affirm" and claimant is not None and (
                (claimant.type == "company" and self_claimer is not None)
                or (spokesperson and claimant.type in ("company", "government", "other"))):
            target = claimant  # a company (or its spokesperson) naming the basis of its own processing
        if kind == "article_citation" and claimant is not None and claimant.type == "company":
            target = claimant  # a company saying what the law requires of itself
        if kind in ("legal_basis", "article_citation") and target is None and claimant is not None \
                and claimant.type in ("company", "government", "other"):
            # a processor speaking of a basis speaks of its own (690 dev claims: 674 with itself as target, none
            # without a target)
            target = claimant
        if no_need and (claimant is None or claimant.type not in ("company", "government", "other")):
            claimant = self_claimer  # "X says ..., and that it does not need consent": the company speaking
        if no_need and claimant is not None and claimant.type in ("company", "government", "other"):
            target = claimant  # "says it does not need customers' consent": about its own processing
        elif kind == "legal_basis" and polarity == "deny" and claimant is not None and target is not None \
                and claimant.name == target.name and claimant.type not in ("company", "government", "other"):
            # (a processor denying a basis denies its own: 40 of its 44 dev denials have itself as target)
            target = self._fallback_target(earlier, kind, claimant, main_target, at=main.start)
        # a non-company discussing a basis the target claimed for itself contests it
        if kind == "legal_basis" and polarity == "affirm" and claimant is not None and target is not None \
                and claimant.name != target.name and claimant.type != "company" and any(
                    c["kind"] == "legal_basis" and c["basis"] == basis and c["polarity"] == "affirm"
                    and c["claimant"] == target.name for c in earlier):
            polarity = "deny"
        # "De stichtingen SOMI, Take Back Your Privacy en Stichting X verwijten ...": a coordinated group of
        # claimants is named by its first member
        if claimant is not None and claimant.type in ("ngo", "person", "other") and claimant in parties:
            claimant = _group_head(parties, claimant, text)
        if kind == "appeal" and claimant is None and target is not None and target.type in ("company", "other", "government"):
            # "A spokesperson said ... that it was reviewing the decision": the party named is the one appealing
            claimant, target = target, None
        # a company appealing or objecting without a named target contests the decision taken against it
        if kind in ("appeal", "objection") and claimant is not None and claimant.type in ("company", "other", "government") \
                and not (target is not None and _marked(text, a, target, self.cues.target_before)) \
                and (target is None or target.type != "court"):
            against = [c for c in reversed(earlier) if c["kind"] in _ENFORCEMENT
                       and c.get("target") == claimant.name and c.get("_claimant_party") is not None
                       and c["_claimant_party"].name != claimant.name]
            # the fine first: that is what gets appealed
            decision = next((c for c in against if c["kind"] == "fine"), next(iter(against), None))
            target = decision["_claimant_party"] if decision is not None else target
            if target is None or target.type == "company":
                # a company appeals a decision, not another company: the story's last deciding body
                target = next((c["_claimant_party"] for c in reversed(earlier) if c.get("_claimant_party") is not None
                               and c["_claimant_party"].type in ("regulator", "court")), None) or enforcer or next(
                    (p for p in reversed(parties) if p.end <= main.start and p.type in ("court", "regulator")), target)
        # a complaint is lodged with a regulator, not against it, unless the text says so ("klacht tegen de AP");
        # "written to the ICO", "een brief aan de AP" address it
        if kind == "complaint" and target is not None and target.type == "regulator" \
                and not _marked(text, a, target, self.cues.against_before) \
                and (claimant is None or claimant.type != "regulator"):
            # no other party: none, rather than the regulator the complaint went to
            target = self._fallback_target(earlier, kind, claimant, main_target, spec, main.start)
        # a product stands for its owner when the story names the owner ("blocked ChatGPT" -> OpenAI)
        # ... but a platform the claim's own clause names stays ("it fined Instagram", the corpus convention);
        # "het techbedrijf" does not name it, so an anaphor still goes to the owner
        if target is not None and target.name in self._owner_of \
                and (target.name in self._product_names or target.anaphor or not a <= target.start < b):
            owner = self._owner_of[target.name]
            target = min((p for p in parties if p.name == owner), key=lambda p: abs(p.start - main.start), default=target)
        if claimant is not None and claimant.anaphor and claimant.type == "court" \
                and not re.search(r"\s[A-Z]", text[claimant.start:claimant.end]) and not any(
                _rules(c) and c["claimant"] == claimant.name for c in earlier):
            # a bare "the court", "the judges": the court that decides in the story, not one only mentioned since
            # (the national court that referred the questions); "het Europese Hof" names its court
            claimant = next((c["_claimant_party"] for c in reversed(earlier) if _rules(c)
                             and c.get("_claimant_party") is not None and c["_claimant_party"].type == "court"), claimant)
        if kind == "order" and claimant is not None and claimant.type == "court":
            kind = "court_ruling"  # what a court orders ("ordered the Commission to pay damages") is its ruling
        held = False
        if kind == "violation" and claimant is not None and claimant.type == "court" and not basis \
                and any(" Art. " in x for x in arts) and not any(_LAWFULNESS_ARTICLE.match(x) for x in arts) \
                and "article_citation" in self.kinds:
            # "Dat is volgens de rechtbank in strijd met artikel 13 van de AVG": a court holding that conduct breaches
            # a named article is its reading of that article (the corpus convention), not a party's allegation
            kind, held = "article_citation", True
            polarity = self._polarity(text, a, b, _Hit(main.start, main.end, kind, 10, None), None)  # "did not breach"
        # status and amount
        status = self._status(clause, kind)
        amount = None
        if kind == "fine":
            amount = _nearest_money(money, main, (a, b), sent)
        return {
            "kind": kind, "basis": basis, "articles": arts,
            "claimant": claimant.name if claimant else None, "target": target.name if target else None,
            "polarity": polarity, "status": status, "amount": amount,
            "text": text[a:b], "start": a, "end": b,
            "_claimant_party": claimant, "_target_party": target, **({"_holding": True} if held else {}),
        }

    @staticmethod
    def _salience(earlier: list[dict], main_target: Party | None) -> dict:
        sal: dict[str, float] = {}
        if main_target is not None:
            sal[main_target.name] = 1.0
        for c in earlier[-3:]:
            t = c.get("_target_party")
            if t is not None and t.type != UNNAMED:
                sal[t.name] = max(sal.get(t.name, 0.0), 0.5)
        return sal

    def _self_claimer(self, text, a, b, sent, parties, main, prev_topic: Party | None = None,
                      main_target: Party | None = None) -> Party | None:
        """The company claiming a basis for itself: "Meta claimt dat het ...", "Meta relies on ..."."""
        if self.self_claim_re is None:
            return None
        # "X says it will ..., and that it does not need consent": a reported clause joined to the last goes back to
        # the speech verb before it, however far
        joined = re.match(r"\W*(?:(?:and|en|or|of)\s+)?(?:that|dat)(?![\w])", text[a:main.start], re.I)
        origin = sent[0] if joined else max(sent[0], a - 80)
        window = text[origin:main.start]
        m = None
        for cue in self.self_claim_re.finditer(window):
            if self.assessed_re is not None and self.assessed_re.search(window[:cue.start()]):
                continue  # "finding that Meta could rely on ...": an assessment by someone else
            m = cue
        if m is None:
            return None
        cue_pos, cue_end = origin + m.start(), origin + m.end()
        before = [p for p in parties if sent[0] <= p.start < cue_end and p.type in ("company", "government", "other")]
        if before:
            return before[-1]
        # inverted order: "Ook daarvoor noemt LinkedIn een gerechtvaardigd belang", "Daarom beroept Meta zich op"
        inverted = next((p for p in parties if 0 <= p.start - cue_end <= 1 and p.end <= main.start
                         and p.type in ("company", "government", "other")), None)
        if inverted is not None:
            return inverted
        named_before = any(sent[0] <= p.start < cue_pos for p in parties)
        # "Within weeks it told regulators it planned to switch to consent": a pronoun for the last topic
        pronoun = not named_before and re.search(r"(?<![\w])(?:it|they|het|zij|ze|hij|he|she)(?![\w])",
                                                 text[sent[0]:cue_pos], re.I)
        if pronoun and prev_topic is not None and prev_topic.type in ("company", "government", "other"):
            return prev_topic
        if pronoun and main_target is not None and main_target.type in ("company", "government", "other") \
                and (prev_topic is None or prev_topic.type in ("regulator", "court")):
            # "It said it could rely on its legitimate interest" after the regulator spoke: a regulator relies on
            # no basis of its own, so the pronoun is the processor the story is about
            return main_target
        # "..., relying on its legitimate interest" with no party named in the sentence: the basis is the processor's
        # own, and the processor is the story's subject (a regulator relies on no basis of its own)
        if main_target is not None and main_target.type in ("company", "government", "other") and not named_before \
                and re.match(rf"\s+(?:\w+\s+)?(?:{self.cues.possessive_alt})\s", text[cue_end:cue_end + 30], re.I):
            return main_target
        return None

    def citations(self, doc: Doc) -> list[Citation]:
        """The document's citations, found once per document (the rules and `sentence_claim` both read them)."""
        cached = doc.user_data.get(_CITATIONS)
        if cached is not None:
            return [Citation(*c) for c in cached]
        found = self.finder.find(doc_text(doc))
        doc.user_data[_CITATIONS] = [astuple(c) for c in found]  # plain data: a Doc's user_data is serialised
        return found

    def sentence_claim(self, doc: Doc, start: int, end: int, kind: str) -> dict | None:
        """A claim of `kind` over the sentence doc.text[start:end] that no rule found (the learned claim-kind
        classifier's, nlp/claim_kinds.py): its basis, articles, status and polarity read from this language's
        lexicon; no parties (the caller sets them). None for a legal basis the lexicon cannot name: a
        `legal_basis` claim without its basis tells a researcher nothing."""
        text = doc_text(doc)
        sent = text[start:end]
        basis = None
        if kind == "legal_basis":
            basis = next((b for b, rx in self.basis_res.items() if rx.search(sent)), None)
            if basis is None:
                return None
        cits = [c for c in self.citations(doc) if start <= c.start and c.end <= end]
        polarity = None
        if kind in ASSERTION_KINDS:
            polarity = self._polarity(text, start, end, _Hit(start, end, kind, 0), basis)
        return {"kind": kind, "basis": basis, "articles": _articles(cits), "claimant": None, "target": None,
                "polarity": polarity, "status": self._status(sent, kind), "amount": None, "text": sent,
                "start": start, "end": end}

    def _polarity(self, text: str, a: int, b: int, main: _Hit, basis: str | None) -> str:
        if basis == "no_legal_basis":
            return "deny"
        lo = max(a, main.start - 60)
        hi = min(b, main.end + 40)
        window = text[lo:hi]
        if self.deny_re is not None and self.deny_re.search(window):
            return "deny"
        return "affirm"

    def _status(self, clause: str, kind: str) -> str | None:
        allowed = _STATUS_FOR.get(kind)
        for status, rx in self.status_res:
            if allowed is not None and status not in allowed:
                continue
            if rx.search(clause):
                return status
        return None

    @staticmethod
    def _fallback_target(earlier: list[dict], kind: str, claimant: Party | None, main_target: Party | None,
                         spec: "_Kind | None" = None, at: int | None = None) -> Party | None:
        cname = claimant.name if claimant else None
        preferred = set(spec.target[:2]) if spec and spec.target else {"company", "government"}
        for c in reversed(earlier):
            t = c.get("_target_party")
            if t is not None and t.name != cname and t.type in preferred:
                return t
        if main_target is not None and main_target.name != cname and (at is None or main_target.start <= at + 400):
            return main_target  # not one the story names only much later ("de bank" ... "De Europese Commissie")
        return None


# a party saying it does not need a basis ("does not need customers' consent", "hoeft geen toestemming te vragen")
_NO_NEED = re.compile(r"(?<![\w])(?:(?:does|do|did) not need|doesn['’]t need|didn['’]t need|no need|not (?:be )?required|"
                      r"hoef(?:t|de|den)? (?:\w+ ){0,4}geen|niet nodig|geen werkbare)(?![\w])", re.I)
# what an objection against a regulator is made to: its decision, its fine, its draft
_DECISION_OBJECTED = re.compile(r"besluit|beslissing|bedrag|boete|aangetekend|ontwerp|decision|fine|amount|draft",
                                re.I)
_FINDERS = ("regulator", "court")
# claims a data subject's request may already be part of (`_data_requests`)
# a step that already holds a request's words (a complaint in the same sentence does not: "Ze vroeg de bibliotheek
# om inzage en diende daarna een klacht in")
_REQUEST_LIKE = ("other", "objection", "cease_and_desist", "class_action", "appeal", "order")
_ASKERS = ("person", "ngo", UNNAMED)
# who asks as a public body, not as a data subject (`_data_requests`)
_AUTHORITIES = ("regulator", "court", "government")
# the preposition before a body spoken or complained to ("complained to NAIH", "klaagde bij de AP")
_ADDRESSEE_BEFORE = re.compile(r"(?<![\w])(?:to|with|bij|aan)\s+(?:the\s+|de\s+|het\s+)?\Z", re.I)
# a passive verb or agent ("She was sued by Rydo Ltd"): the party after it brings the lawsuit (`_pronoun_plaintiffs`)
_PASSIVE = re.compile(r"(?<![\w])(?:was|were|been|being|is|are|be|werd|wordt|werden|worden)(?![\w])", re.I)
_AGENT_BEFORE = re.compile(r"(?<![\w])(?:by|door)\s+(?:the\s+|de\s+|het\s+)?\Z", re.I)
# a clause that opens with "she"/"he" and its verb a few words on ("She sued", "Hij stapte daarop naar de rechter")
_SUBJECT_PRONOUN = re.compile(r"(?:she|he|ze|zij|hij)\s+(?:\S+\s+){0,3}", re.I)
_PRONOUN = re.compile(r"(?<![\w])(?:she|he|ze|zij|hij)(?![\w])", re.I)
# a plural verb after "ze/zij" ("Ze vroegen ...") names a group, not the story's person
_PLURAL_ASK = re.compile(r"(?:vroegen|vragen|eisten|eisen|verzochten|stuurden|dienden|deden)(?![\w])", re.I)
# sanctions whose stated reason can be a violation of its own ("reason_violation" in the lexicon)
_REASONED = ("fine", "reprimand")


def _noun_gerund(doc: Doc, m: re.Match) -> bool:
    """ "the largest penalty for marketing breaches": an -ing word the tagger reads as a noun is no conduct."""
    if not m.group().endswith("ing"):
        return False
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    return span is not None and len(span) == 1 and span[0].pos_ in ("NOUN", "PROPN", "ADJ")


# where a sanction's reason ends without a step of its own: a new clause with its own subject, an attribution
_REASON_TAIL = re.compile(r",\s+(?:and|but|en|maar)\s+(?:the|het|de|it|its|they|he|she|ze|zij|hij|dat)\b|"
                          r",\s+(?:[\w'’-]+\s+){0,4}(?:said|says|told|added|zei|zegt|aldus|schrijft|schreef)\b", re.I)


def _court_near(parties: list[Party], at: int) -> Party | None:
    """The nearest court named before `at`, else the first one named after it (None when there is none)."""
    courts = [p for p in parties if p.type == "court"]
    return next((p for p in reversed(courts) if p.end <= at), None) or next(iter(courts), None)


# an unnamed court opening an order's words (`_court_orders`)
_COURT_SUBJECT = re.compile(r"(?:(?:a|an|the|de|het|een)\s+)?(?:[\w-]+\s+){0,2}(?:court|judge|tribunal|rechtbank|rechter|"
                            r"hof|gerechtshof|kantonrechter)(?![\w-])", re.I)
# "TikTok did not respond to a request for comment", "Meta heeft nog niet gereageerd": silence, not a shortcoming found
_NO_COMMENT = re.compile(r"(?<![\w])(?:not|n't|never|niet|geen) (?:\w+ ){0,2}(?:respond\w*|comment\w*|repl\w+|"
                         r"react\w*|reageer\w*|gereageerd|reageren|commentaar|decided|besloten)(?![\w])", re.I)
# a finding is said of a party's conduct: not a rule stated in general ("Een arbeidsovereenkomst geeft ...",
# "The law obliges ..."), a counterfactual ("Zonder die omstandigheid was ...") or a suspicion
_GENERAL_FINDING = re.compile(r"(?:een|a|an|the law|de wet|zonder|without|niet|not)(?![\w])", re.I)
# what ought to happen is a norm, not a finding of what happened ("banks must not treat ...")
_NORMATIVE = re.compile(r"(?<![\w])(?:moet|moeten|mag|mogen|must|should|zou|zouden|would|vermoedt|vermoeden|suspects?)(?![\w])", re.I)
# "sluit zwaardere maatregelen niet uit": a step not ruled out
_NOT_RULED_OUT = re.compile(r"(?<![\w])niet uit(?![\w])|not rul(?:e|ed|ing) out", re.I)
# what a ruling says a party must or may not do
_OBLIGATION = re.compile(r"(?<![\w])(?:moet|moeten|(?:mag|mogen)\s+(?:\S+\s+){0,6}?niet|had het recht niet|heeft het recht niet|must|may not|"
                         r"has to|had no right|was not entitled|is not entitled)(?![\w])", re.I)
# an order stated as the ordered party's duty
_DUTY_MODAL = re.compile(r"(?:moet|moeten|must|has to|have to)(?![\w])", re.I)
_BROUGHT = {"complaint", "class_action", "cease_and_desist", "objection", "appeal"}
_ENFORCEMENT = {"fine", "order", "reprimand", "investigation", "court_ruling"}
# the word that makes a step hang on a request ("asks X to order", "vraagt X om", "wil dat ... oplegt")
_REQUEST_LINK = re.compile(r"(?<![\w])(?:to|om|dat|te)(?![\w])", re.I)


# the kinds an event stated again is annotated again as (`restated` cues), with the status it then has
_RESTATED_STATUS = {"complaint": "filed", "reprimand": "imposed", "fine": "imposed"}
# Art. 6 GDPR (lawfulness): a court finding processing in breach of it denies a legal basis (a legal_basis claim)
_LAWFULNESS_ARTICLE = re.compile(r"GDPR Art\. 6(?!\d)")


def _rules(claim: dict) -> bool:
    """A court's ruling, or its holding on what an article says (an article_citation made from a ruling clause)."""
    return claim["kind"] == "court_ruling" or bool(claim.get("_holding"))


_STATUS_FOR = {
    "fine": {"imposed", "proposed", "considered", "announced", "upheld", "annulled", "rejected", "pending"},
    "complaint": {"filed", "rejected", "upheld", "considered", "announced", "pending", "sent"},
    "cease_and_desist": {"sent", "considered", "announced", "filed"},
    "class_action": {"considered", "announced", "filed", "rejected", "pending"},
    "objection": {"filed", "announced", "considered", "rejected", "upheld"},
    "court_ruling": {"upheld", "annulled", "rejected", "pending"},
    "investigation": {"pending", "announced", "considered", "concluded"},
    "appeal": {"filed", "announced", "considered", "rejected", "upheld", "pending"},
    "order": {"ordered", "imposed", "proposed", "announced", "considered", "upheld", "annulled"},
    "reprimand": {"imposed", "announced"},
    "other": {"proposed", "sent", "announced", "filed", "considered"},
    "legal_basis": {"announced"},
    "violation": set(),
    "article_citation": set(),
}


def _kb_products(path: Path) -> tuple[dict[str, str], list[str]]:
    """From the knowledge base, read once: product kb_id -> owner kb_id ("owner" fields), and the kb ids of
    products ("ChatGPT": `"product": true`), which stand for their owner even where the clause names them."""
    try:
        rows = load_kb(path)
    except OSError:
        logger.warning("knowledge base %s not readable; products are not mapped to owners", path)
        return {}, []
    return ({row["id"]: row["owner"] for row in rows if row.get("owner")},
            sorted(row["id"] for row in rows if row.get("product")))


def _present_owners(actors, owners: dict[str, str]) -> dict[str, str]:
    """product name -> owner name, for products whose owner the document names too."""
    by_kb = {}
    for a in actors or []:
        if isinstance(a, dict) and a.get("kb_id") and a.get("name"):
            by_kb[a["kb_id"]] = a["name"]
    return {by_kb[p]: by_kb[o] for p, o in owners.items() if p in by_kb and o in by_kb}


def _pronoun_speaker(text: str, ss: int, se: int, parties: list[Party], rx: re.Pattern,
                     types: dict[str, list[str]]) -> Party | None:
    """ "..., schiet volgens haar tekort", "..., it said", "..., zei hij": the pronoun's antecedent, the nearest actor
    of a type the pronoun can stand for; one named before a colon in the sentence itself ("The ICO rejected that:
    ..., it said") comes first, else the nearest before the sentence (parties inside the reported clause are what
    is reported on)."""
    m = rx.search(text, ss, se)
    if m is None:
        return None
    pron = next((w for w in re.findall(r"\w+", m.group(0).lower()) if w in types), None)
    allowed = types.get(pron, ["person"]) if pron else ["person"]
    fits = [p for p in parties if p.type in allowed and p.end <= m.start() and m.start() - p.end < 600]
    colon = text.rfind(":", ss, m.start())
    lead = [p for p in fits if ss <= p.start and p.end <= colon]
    before = lead or [p for p in fits if p.end <= ss] or (fits if allowed == ["person"] else [])
    if not before:
        return None
    # the likeliest type first ("volgens haar" after "vicevoorzitter Monique Verdier van de AP" is Verdier)
    best = min(allowed.index(p.type) for p in before)
    return next(p for p in reversed(before) if allowed.index(p.type) == best)


def _judge_court(text: str, speaker: Party, parties: list[Party], titles: re.Pattern | None) -> Party:
    """A judge quoted under a judicial title ("Justice Aoife Keane", "rechter De Boer") speaks for the court."""
    if titles is None or speaker.type != "person":
        return speaker
    titled = any(p.name == speaker.name and titles.search(text[max(0, p.start - 25):p.start].rstrip() + " ")
                 for p in parties)
    if not titled:
        return speaker
    return _court_near(parties, speaker.start) or speaker


def _full_re(forms: list[str]) -> re.Pattern | None:
    forms = [f for f in forms if f]
    if not forms:
        return None
    return re.compile("|".join(f"(?:{f})" for f in forms), re.I)


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans, further cut at blank lines / line breaks (headlines are sentences too)."""
    text = doc_text(doc)
    spans = sentence_spans(doc)
    if spans is None:
        spans = [(0, len(text))]
    out = []
    for s, e in spans:
        pos = s
        for m in re.finditer(r"\n+", text[s:e]):
            if s + m.start() > pos:
                out.extend(_chunks(text, pos, s + m.start()))
            pos = s + m.end()
        if e > pos:
            out.extend(_chunks(text, pos, e))
    # the English tagger keeps "fined TikTok £12.7m. The firm ..." together ("m." read as an abbreviation)
    cut_out = []
    for s, e in out:
        for m in _AMOUNT_END.finditer(text, s, e):
            if m.end() < e:
                cut_out.append((s, m.end()))
                s = m.end()
        cut_out.append((s, e))
    return [(s, e) for s, e in cut_out if e > s]


_AMOUNT_END = re.compile(r"(?<=\d)(?:m|bn|k|mn|mln|mld)\.(?=\s+[\"'\u201c\u2018(]?[A-Z\u00c0-\u00de])")


def _chunks(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut a run-on "sentence" (no punctuation for thousands of characters) into pieces of at most
    MAX_SENTENCE characters at whitespace, so that the work per sentence stays bounded."""
    out = []
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    junk = set(" \t\r\n,;:.!?()[]'" + QUOTES + "’‘—–-")
    while a < b and text[a] in junk:
        a += 1
    while b > a and text[b - 1] in junk:
        b -= 1
    m = re.match(r"(?:en|and|maar|but|terwijl|while|omdat|because|zodat|waarna)\s+", text[a:b], re.I)
    if m and a + m.end() < b:
        a += m.end()
    return a, b


def _articles(cits: list[Citation]) -> list[str]:
    arts: list[str] = []
    for c in cits:
        for art in c.articles:
            if art not in arts:
                arts.append(art)
    specific_laws = {x.split(" Art. ")[0] for x in arts if " Art. " in x}
    return [x for x in arts if " Art. " in x or x not in specific_laws]


def _money(statistics, n: int) -> list[dict]:
    out = []
    for s in statistics or []:
        try:
            if s.get("unit") in MONEY_EXCLUDED_UNITS:
                continue
            if isinstance(s.get("start"), int) and isinstance(s.get("end"), int) and 0 <= s["start"] < s["end"] <= n:
                out.append(s)
        except AttributeError:
            continue
    return out


def _nearest_money(money: list[dict], main: _Hit, clause: tuple[int, int], sent: tuple[int, int]) -> dict | None:
    for lo, hi in (clause, sent):
        cands = [s for s in money if lo <= s["start"] < hi]
        if cands:
            best = min(cands, key=lambda s: abs(s["start"] - main.start))
            value = best.get("value")
            return {"value": value, "unit": best.get("unit")}
    return None


# double quotes and the opening single quote Dutch papers use for quotations ('Wie ...'); not the apostrophe
_QUOTE_MARKS = frozenset(QUOTES + "\u2018")


def _quoted(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] holds a quotation mark: a quoted opinion is no ruling or finding."""
    return not _QUOTE_MARKS.isdisjoint(text[a:b])


def _pronoun_start(text: str, pos: int, cues: Cues) -> bool:
    m = re.match(r"\W*(\w+)", text[pos:pos + 30])
    return bool(m and m.group(1).lower() in cues.pronouns)


def _top_party(parties: list[Party], types: tuple[str, ...]) -> Party | None:
    counts: dict[str, int] = {}
    first: dict[str, Party] = {}
    for p in parties:
        if p.type in types:
            counts[p.name] = counts.get(p.name, 0) + 1
            first.setdefault(p.name, p)
    return first[max(counts, key=lambda k: (counts[k], -first[k].start))] if counts else None


_LEAD_CHARS = 400  # about the first two sentences of a news story


def _doc_roles(parties: list[Party]) -> tuple[Party | None, Party | None]:
    """The document's most mentioned regulator (default enforcer) and company (default target); a mention in a
    side role (Party.aside: an owner described, a recipient of data) does not count towards the target."""
    counts: dict[str, float] = {}
    first: dict[str, Party] = {}
    for p in parties:
        if p.type in ("company", "other", "government") and not p.aside:
            # "the university", "het bedrijf" count too: the story keeps returning to its subject
            counts[p.name] = counts.get(p.name, 0.0) + (1.0 if p.type == "company" else 0.8)
            if not p.anaphor:
                first.setdefault(p.name, p)
    # the party the lead names is the story's subject more often than one named once further down
    counts = {n: c + (1.0 if first[n].start < _LEAD_CHARS else 0.0) for n, c in counts.items() if n in first}
    main_target = first[max(counts, key=lambda k: (counts[k], -first[k].start))] if counts else None
    return _top_party(parties, ("regulator",)), main_target


def _story_person(parties: list[Party], end: int) -> Party | None:
    """The person a "she"/"he" points at: the one the story names most often before `end` (the latest of equals)."""
    persons = [p for p in parties if p.type == "person" and p.end <= end]
    named = Counter(p.name for p in persons)
    return max(reversed(persons), key=lambda p: named[p.name], default=None)


def _court_orders(text: str, claims: list[dict], parties: list[Party], sentences: list[tuple[int, int]]) -> None:
    """An order in a court story is the court's ruling: "Dat heeft de rechtbank bepaald. ... Hartslag moet binnen
    vier weken een overzicht sturen." When the claim's sentence and the two before it name a court and no
    regulator, an `order` given to no one or to a regulator named further away becomes that court's `court_ruling`.
    So does an order given by no named party whose own words open with a court that the tagger did not take for a
    name ("A court in Palma has ordered the owner ...", "De rechtbank in Cluj heeft de school opgedragen ...")."""
    starts = [s for s, _ in sentences]
    for c in claims:
        giver = c.get("_claimant_party")
        if c["kind"] != "order" or (giver is not None and giver.type != "regulator"):
            continue
        si = max(0, bisect_right(starts, c["start"]) - 1)
        if giver is None and _COURT_SUBJECT.match(text, c["start"]) and not any(
                p.type == "regulator" and c["start"] <= p.start < c["end"] for p in parties):
            # the court it names is one named in this sentence or the one before, else nobody we can name
            lo = sentences[max(0, si - 1)][0] if sentences else 0
            court = _court_near([p for p in parties if lo <= p.start < c["end"]], c["start"])
            c.update(kind="court_ruling", status="ordered", claimant=court.name if court else None,
                     _claimant_party=court)
            continue
        lo, hi = sentences[max(0, si - 2)][0], sentences[si][1] if si < len(sentences) else c["end"]
        near = [p for p in parties if lo <= p.start < hi]
        courts = [p for p in near if p.type == "court"]
        if not courts and si + 1 < len(sentences):
            # a lead that states the duty first: "Hollewijk moet de camera's uitschakelen. De rechtbank gaf ... gelijk"
            nxt = sentences[si + 1]
            near += [p for p in parties if nxt[0] <= p.start < nxt[1]]
            courts = [p for p in near if p.type == "court"]
        if courts and not any(p.type == "regulator" for p in near):
            court = max((p for p in courts if p.start < c["start"]), key=lambda p: p.start, default=courts[0])
            c.update(kind="court_ruling", claimant=court.name, status=None, _claimant_party=court)


@Language.factory(
    "privnews_claims",
    assigns=["doc._.claims"],
    requires=[],
    default_config={"patterns_dir": None},
)
def make_claims(nlp: Language, name: str, patterns_dir: str | None) -> ClaimExtractor:
    return ClaimExtractor(nlp.lang, patterns_dir)

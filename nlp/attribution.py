"""Who asserts or acts (claimant) and against whom (target), from word order, prepositions, reported
speech and, for English, the dependency parse.

Works on plain character offsets: parties are actor mentions (from doc._.actors), definite descriptions
that refer back to an actor ("het bedrijf", "the watchdog"), and unnamed groups ("gebruikers", "users").
All cue words come from the `[speech]`, `[roles]` and `[anaphora]` tables of models/patterns/claims_<lang>.toml.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from nlp.literals import Gate, fold

logger = logging.getLogger(__name__)

QUOTES = "\"“”„«»"
UNNAMED = "unnamed"


def words_re(forms: list[str], flags: int = re.I) -> re.Pattern | None:
    """One regex matching any of `forms` as whole words (None when the list is empty)."""
    forms = [f for f in forms if f]
    if not forms:
        return None
    alt = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", flags)


@dataclass(frozen=True)
class Party:
    name: str  # actor canonical name, or a short description for an unnamed party
    type: str  # actor type, or "unnamed"
    start: int
    end: int
    anaphor: bool = False
    # a mention in a side role: an owner or subsidiary described ("its subsidiary Jumpshot"), a recipient of data
    # ("passed the data to Jumpshot"); not the subject a story's "the company" refers back to
    aside: bool = field(default=False, compare=False)


@dataclass
class Cues:
    """Compiled cue words for one language."""

    lang: str
    speech_verbs: re.Pattern | None
    before: re.Pattern | None
    claimant_before: re.Pattern | None
    target_before: re.Pattern | None
    claimant_after_trigger: re.Pattern | None
    venue_before: re.Pattern | None
    subordinators: set[str]
    passive: re.Pattern | None
    pronouns: set[str]
    unnamed: re.Pattern | None
    unnamed_names: dict[str, str] = field(default_factory=dict)
    individual: re.Pattern | None = None  # "a policyholder", "een weduwe uit Gent": one unnamed person
    plural: set[str] = field(default_factory=set)
    anaphora: dict[str, re.Pattern] = field(default_factory=dict)
    # descriptions that point back at a company where the story calls one so ("the agency" after "a debt collection
    # agency"), and at their usual type otherwise: [anaphora_company_if] forms -> cues
    company_if_forms: set[str] = field(default_factory=set)
    company_if: re.Pattern | None = None
    speech_alt: str = ""
    possessive_alt: str = ""  # "its", "zijn": a possessive before a post ("said its chair, X"), from [affiliation]
    before_alt: str = ""
    split_left: str = ""
    split_right: str = ""
    co_actor_before: re.Pattern | None = None
    relation_before: re.Pattern | None = None  # "dochter van", "its owner": a party named to describe another
    recipient_before: re.Pattern | None = None  # "transferred the data to X", "deelde de gegevens met X": a recipient
    cause_before: re.Pattern | None = None
    medium_after: re.Pattern | None = None  # "WhatsApp group", "Facebook-pagina": a platform used as a medium
    decision_owner: re.Pattern | None = None  # "het vonnis van (de) ", "the decision of (the) ": whose decision it is
    against_before: re.Pattern | None = None  # "tegen", "against": the party a step is taken against, nothing else
    object_after_verb: bool = False  # a party right after the trigger verb is its object ("fined Meta"); not in
    # languages that invert subject and verb ("beboette de AP Clearview")

    @cached_property
    def anaphora_gates(self) -> dict[str, Gate]:
        """Per anaphora type, the words one of which a match must contain: most documents name few types."""
        return {typ: Gate(rx) for typ, rx in self.anaphora.items()}

    @cached_property
    def speaker_res(self) -> dict[str, re.Pattern | None]:
        """find_speaker's and assign_roles' patterns, compiled once: built from the cue alternations at each
        call they were recompiled whenever other patterns had pushed them out of the re module's cache."""
        sp, before, left, right = self.speech_alt, self.before_alt, self.split_left, self.split_right
        c = lambda pattern: re.compile(pattern, re.I)  # noqa: E731
        return {
            "before_left": c(rf"(?<![\w])(?:{before})\s+(?:[^\s,;.]+\s+){{0,2}}\Z"),
            "before_opens": c(rf"(?:^|[,{QUOTES}:]\s*|(?:zo|so)\s+|(?<![\w]))(?:{before})\s+(?:[^\s,;.]+\s+){{0,2}}\Z"),
            "speech_after_comma": c(rf"[,{QUOTES}]\s*(?:zo\s+)?(?:{sp})\s+(?:[^\s,;.]+\s+){{0,2}}\Z"
                                    rf"|[,{QUOTES}]\s*(?:{sp})\s+(?:{self.possessive_alt})\s+[^\s,;.]+,\s+\Z"),
            "clause_end": c(rf"\s*(?:[,.;:!?{QUOTES}]|\Z|(?:in|op|on|to|tegen|verder|toe)(?![\w]))"),
            "split_left": c(rf"[,{QUOTES}]\s*(?:{left})\s+(?:[^\s,;.]+\s+){{0,2}}\Z") if left else None,
            "split_right": c(rf"\s+(?:{right})(?![\w])") if left else None,
            "speech_right": c(rf"\s*(?:[^\s,;.]+\s+)?(?:{sp})(?:\s+[^\s,;.]+){{0,5}}?(?:\s+(?:dat|that|:)|\s*[:,]|\s*\Z)"),
            "apposition_speech": c(rf"\s*,[^,;.]{{1,70}},\s*(?:{sp})(?![\w])"),
            "speech_next": c(rf"\s*(?:[^\s,;.]+\s+)?(?:{sp})(?![\w])"),
            "speech_left": c(rf"(?<![\w])(?:{sp})\s+(?:[^\s,;.]+\s+){{0,2}}\Z"),
            "that_follows": c(r"\s*(?:dat|that|[:.,]|\Z)"),
            "reported": c(rf"(?<![\w])(?:{sp})\s+(?:dat|that)\s"),
        }

    @classmethod
    def from_lexicon(cls, lex: dict) -> "Cues":
        sp, roles, ana = lex.get("speech", {}), lex.get("roles", {}), lex.get("anaphora", {})
        verbs = sp.get("verbs", [])
        return cls(
            lang=lex.get("lang", ""),
            speech_verbs=words_re(verbs),
            before=words_re(sp.get("before", [])),
            claimant_before=words_re(roles.get("claimant_before", [])),
            target_before=words_re(roles.get("target_before", [])),
            against_before=words_re(roles.get("against_before", [])),
            object_after_verb=bool(roles.get("object_after_verb", False)),
            claimant_after_trigger=words_re(roles.get("claimant_after_trigger", [])),
            venue_before=words_re(roles.get("venue_before", [])),
            subordinators={w.lower() for w in roles.get("subordinators", [])},
            passive=words_re(roles.get("passive", [])),
            pronouns={p.lower() for p in roles.get("pronouns", [])},
            unnamed=words_re(roles.get("unnamed", [])),
            unnamed_names={k.lower(): v for k, v in roles.get("unnamed_names", {}).items()},
            individual=individual_re(roles.get("individual_articles", []), roles.get("individuals", [])),
            plural={f.lower() for f in lex.get("anaphora_plural", {}).get("forms", [])},
            anaphora={t: rx for t, forms in ana.items() if (rx := words_re([_with_adjective(f) for f in forms]))},
            company_if_forms={_plain(f) for f in lex.get("anaphora_company_if", {}).get("forms", [])},
            company_if=words_re(lex.get("anaphora_company_if", {}).get("cues", [])),
            speech_alt="|".join(sorted(verbs, key=len, reverse=True)) or "(?!)",
            possessive_alt="|".join(lex.get("affiliation", {}).get("possessives", [])) or "(?!)",
            before_alt="|".join(sorted(sp.get("before", []), key=len, reverse=True)) or "(?!)",
            split_left="|".join(sp.get("split_left", [])),
            split_right="|".join(sp.get("split_right", [])),
            co_actor_before=words_re(roles.get("co_actor_before", [])),
            relation_before=ends_with_re(roles.get("relation_before", [])),
            recipient_before=ends_with_re(roles.get("recipient_before", [])),
            cause_before=words_re(roles.get("cause_before", [])),
            medium_after=re.compile(r"[\s-](?:" + "|".join(roles["medium_after"]) + r")(?![\w])", re.I)
            if roles.get("medium_after") else None,
            decision_owner=owner_before_re(roles.get("decision_objects", []), definite=True),
        )


def individual_re(articles: list[str], nouns: list[str]) -> re.Pattern | None:
    """One unnamed person introduced as such: an indefinite article, at most one capitalised word (the body
    they belong to: "a Harbourline policyholder") and the noun, which the pattern captures as `noun`."""
    if not articles or not nouns:
        return None
    art = "|".join(sorted(articles, key=len, reverse=True))
    alt = "|".join(sorted(nouns, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{art})\s+(?:(?-i:[A-Z][\w'’.-]+)\s+)?(?P<noun>{alt})(?![\w-])", re.I)


def ends_with_re(forms: list[str], left: str = r"(?<![\w])") -> re.Pattern | None:
    """A regex for text ending in one of `forms` (regex sources) and whitespace, i.e. right before a party
    ("dochter van ", "its owner ", "Directeur "); None without forms."""
    if not forms:
        return None
    return re.compile(left + "(?:" + "|".join(forms) + r")\s+\Z", re.I)


def owner_before_re(nouns: list[str], definite: bool = False) -> re.Pattern | None:
    """A regex for the words right before the party that owns one of `nouns` ("de eis van de ", "the claim of ");
    with `definite`, only after a definite determiner ("het vonnis van de ", "the decision of the ")."""
    if not nouns:
        return None
    det = r"(?:het|de|dat|die|dit|deze|the|that|this)\s+(?:[^\W\d]+\s+)?" if definite else ""
    return re.compile(rf"(?<![\w]){det}(?:{'|'.join(nouns)})\s+(?:van|of)\s+(?:de\s+|het\s+|the\s+)?\Z", re.I)


def _with_adjective(form: str) -> str:
    """ "de toezichthouder" also matches "de Ierse toezichthouder", "the watchdog" "the Irish watchdog"
    (one capitalised word: nationality adjectives are capitalised in Dutch and English), and "die
    toezichthouder", "this watchdog"."""
    form = re.sub(r"^(de|het|the) ", r"\1 (?:(?-i:[A-Z])[\\w-]+ )?", form, flags=re.I)
    # a demonstrative refers back just like the article: "die toezichthouder", "dat bedrijf", "this company"
    return re.sub(r"^(de|het|the) ", lambda m: _DEMONSTRATIVES[m.group(1).lower()], form, flags=re.I)


_DEMONSTRATIVES = {"de": "(?:de|die|deze) ", "het": "(?:het|dat|dit) ", "the": "(?:the|this|that) "}


def collect_parties(text: str, actors, cues: Cues) -> list[Party]:
    """Named actor mentions, resolved anaphors and unnamed groups, in text order, non-overlapping."""
    named: list[Party] = []
    for actor in actors or []:
        try:
            name, typ = actor.get("name"), actor.get("type") or "other"
            for m in actor.get("mentions") or []:
                s, e = m.get("start"), m.get("end")
                if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and name:
                    named.append(Party(str(name), str(typ), s, e))
        except (AttributeError, TypeError):
            continue
    named.sort(key=lambda p: (p.start, -p.end))
    # an "actor" inside an article citation ("Articles 13") is no party
    cited = [(m.start(), m.end()) for m in re.finditer(r"(?i)\b(?:art(?:icles?|ikel(?:en)?)?\.?)\s*\d+", text)]
    named = [p for p in named if not any(p.start < e and s < p.end for s, e in cited)]
    if cues.unnamed is not None:
        # "Ryanair-klanten", "Facebook-users": a group of people, not the company named in the compound
        def _group_compound(p: Party) -> bool:
            m = re.match(r"-([^\W\d_]+)", text[p.end:p.end + 30])
            return bool(m and cues.unnamed.fullmatch(m.group(1)))
        named = [p for p in named if not _group_compound(p)]
    parties: list[Party] = []
    last_end = -1
    for p in named:  # drop nested mentions ("noyb" inside "privacyorganisatie noyb")
        if p.start >= last_end:
            aside = _describes_another(text, p.start, cues) or _receives_data(text, p.start, cues) \
                or bool(cues.medium_after is not None and cues.medium_after.match(text, p.end))
            parties.append(replace(p, aside=True) if aside else p)
            last_end = p.end
    taken = [(p.start, p.end) for p in parties]

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    extra: list[Party] = []
    # "the council" after "the Norwegian Consumer Council", "de bond" after "de Consumentenbond": a definite
    # description that is the head word of a name mentioned before refers to that actor, whatever its type
    named_words = [(p, p.name.lower().split(), text[p.start:p.end].lower().split())
                   for p in parties if p.type != "person"]   # each name split once, not once per description
    for m in re.finditer(r"(?<![\w])(?:the|de|het)\s+([^\W\d_]{4,})(?![\w])", text, re.I):
        head = m.group(1).lower()
        if not free(m.start(), m.end()) or any(0 <= p.start - m.end() <= 1 for p in parties):
            continue
        ante = next((p for p, name, surface in reversed(named_words) if p.end <= m.start()
                     and (_has_head(name, head) or _has_head(surface, head))), None)
        if ante is not None:
            extra.append(Party(ante.name, ante.type, m.start(), m.end(), anaphor=True))
            taken.append((m.start(), m.end()))
    folded = fold(text)
    described = _described_party(parties, cues.company_if, text) if cues.company_if is not None else None
    for typ, rx in cues.anaphora.items():
        if not cues.anaphora_gates[typ].admits(text, folded):
            continue
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if described is not None and _plain(m.group(0)) in cues.company_if_forms and described.end <= m.start() \
                    and not _ENFORCES_AFTER.match(text, m.end()):
                # ("The agency fined Marlow Staffing": the regulator, whatever the story calls an agency)
                extra.append(Party(described.name, described.type, m.start(), m.end(), anaphor=True))
                continue
            # a description directly followed by a name is an apposition, not an anaphor
            # (of the same type: in "stuurden de organisaties Google een brief" the name is the object)
            if any(0 <= p.start - m.end() <= 1 and p.type == typ for p in parties):
                continue
            ante = _antecedent(parties, typ, m.start(), text)
            if ante and _plain(m.group(0)) in cues.plural:
                ante = _group_head(parties, ante, text)
            if ante:
                # a description listed under two types ("de dienst"): the nearer antecedent wins
                rival = next((x for x in extra if x.start == m.start() and x.end == m.end()), None)
                if rival is not None:
                    r_ante = max((p.end for p in parties if p.name == rival.name and p.end <= m.start()), default=-1)
                    if ante.end > m.start() or ante.end <= r_ante:
                        continue
                    extra.remove(rival)
                extra.append(Party(ante.name, ante.type, m.start(), m.end(), anaphor=True))
    if cues.unnamed:
        for m in cues.unnamed.finditer(text):
            # "the riders' union Riders Uniti": a possessive group word describes something else
            if free(m.start(), m.end()) and not text.startswith(("'", "’"), m.end()):
                word = m.group(0).lower()
                extra.append(Party(cues.unnamed_names.get(word, word), UNNAMED, m.start(), m.end()))
    if cues.individual is not None:
        for m in cues.individual.finditer(text):
            # a name inside it is the body the person belongs to ("a Harbourline policyholder"), not a party:
            # the longer match starts first and wins below
            if all(m.start() < ts and te <= m.end() for ts, te in taken if m.start() < te and ts < m.end()) \
                    and not any(p.type == "person" and 0 < p.start - m.end() <= 3 and text[m.end():p.start].strip() == ","
                                for p in parties):  # "a parent, Faith Chepkoech": the name is the party
                word = m.group("noun").lower()
                extra.append(Party(cues.unnamed_names.get(word, word), UNNAMED, m.start(), m.end()))
    out = sorted(parties + extra, key=lambda p: (p.start, -p.end))
    res: list[Party] = []
    last_end = -1
    for p in out:
        if p.start >= last_end:
            res.append(p)
            last_end = p.end
    return res


def _has_head(words: list[str], head: str) -> bool:
    """Whether `head` is the last of a name's lower-cased `words` ("norwegian consumer council") or ends a
    one-word name as a compound ("consumentenbond"; not "autoriteit persoonsgegevens" for "de gegevens")."""
    if not words:
        return False
    return words[-1] == head or (len(words) == 1 and len(words[0]) >= len(head) + 4 and words[0].endswith(head))


# a verb only an authority does, right after "the agency"
_ENFORCES_AFTER = re.compile(r"\s+(?:also\s+|has\s+|had\s+|then\s+)?(?:fined|fines|ordered|orders|reprimanded|imposed|"
                             r"sanctioned|investigated|opened|concluded|ruled|found that|decided)(?![\w])", re.I)


def _described_party(parties: list[Party], cue: re.Pattern, text: str) -> Party | None:
    """The named party the story describes with the cue ("Recouvrement Flandres, a debt-collection agency", "the
    staffing agency Plenawork"): the name nearest before the first description (within 40 characters) or right
    after it."""
    named = [p for p in parties if not p.anaphor and p.type not in ("regulator", "court")]
    for m in cue.finditer(text):
        after = [p for p in named if 0 <= p.start - m.end() <= 3]
        before = [p for p in named if 0 <= m.start() - p.end <= 40]
        if after or before:
            return after[0] if after else before[-1]
    return None


def _plain(form: str) -> str:
    return re.sub(r"\s+", " ", form).strip().lower()


def _group_head(parties: list[Party], member: Party, text: str) -> Party:
    """The first-named party of the coordination that `member` ends ("X, Y en Z" -> X)."""
    i = parties.index(member)
    head = member
    while i > 0:
        prev = parties[i - 1]
        if prev.type != member.type or not re.fullmatch(r"\s*(?:,|en|and|&|,\s*en|,\s*and)\s*(?:de |het |the )?",
                                                         text[prev.end:parties[i].start], re.I):
            break
        head, i = prev, i - 1
    return head


_DEMONSTRATIVE = re.compile(r"(?:die|deze|dat|dit|this|that|these|those)\s", re.I)


def _describes_another(text: str, pos: int, cues: Cues, lo: int = 0) -> bool:
    """A party named at `pos` to describe another ("Foodinho, de Italiaanse dochter van Glovo", "its owner
    Google", "its subsidiary Jumpshot"); `lo`: where the cue may begin at the earliest (a clause's start)."""
    return bool(cues.relation_before is not None and cues.relation_before.search(text, max(lo, pos - 30), pos))


def _receives_data(text: str, pos: int, cues: Cues, lo: int = 0) -> bool:
    """Where data went ("for transferring the data to Jumpshot", "deelde gegevens met Orvanta")."""
    return bool(cues.recipient_before is not None and cues.recipient_before.search(text, max(lo, pos - 80), pos))


def _antecedent(parties: list[Party], typ: str, pos: int, text: str = "") -> Party | None:
    before = [p for p in parties if p.type == typ and p.end <= pos]
    # a side-role mention ("its subsidiary Jumpshot") is no antecedent while the story has another of that type
    before = [p for p in before if not p.aside] or before
    if before and _DEMONSTRATIVE.match(text, pos):
        return before[-1]  # "Die toezichthouder", "this regulator": the one just named, not the story's main one
    if before:
        # a description does not corefer with a different name in its own sentence ("the EDPB instructed
        # the Irish authority"): prefer the last one before that sentence when there is one
        outside = [p for p in before if re.search(r"[.!?]\s", text[p.end:pos])]
        same = [p for p in before if p not in outside]
        # "het bedrijf" after a passing mention ("diensten als YouTube") means the story's main actor of that
        # type: a name seen once loses to one mentioned at least three times before it (twice when that one is
        # in the description's own sentence: "Meta's notification ..., and the company did not ...")
        counts: dict[str, int] = {}
        for p in before:
            counts[p.name] = counts.get(p.name, 0) + 1
        if same and outside and outside[-1].name != same[-1].name:
            if not (counts[same[-1].name] >= 2 and counts[outside[-1].name] == 1):
                return outside[-1]
        last = before[-1]
        top = max(counts, key=lambda n: counts[n])
        if counts[last.name] == 1 and counts[top] >= 3 and top != last.name:
            return next(p for p in reversed(before) if p.name == top)
        return last
    after = [p for p in parties if p.type == typ]
    return after[0] if after else None


def find_speaker(text: str, start: int, end: int, parties: list[Party], cues: Cues) -> Party | None:
    """The party a sentence (text[start:end]) is attributed to: "volgens X", "aldus X", "..., stelt X",
    "X zegt dat", "according to X", "X said"."""
    inside = [p for p in parties if start <= p.start and p.end <= end]
    best: tuple[int, Party] | None = None
    rx = cues.speaker_res
    for p in inside:
        left = text[max(start, p.start - 60): p.start]
        right = text[p.end: min(end, p.end + 60)]
        rank = None
        if rx["before_left"].search(left) and rx["before_opens"].search(left):
            rank = 0
        if rank is None and rx["speech_after_comma"].search(left) and rx["clause_end"].match(right):
            rank = 0  # "..., stelt noyb." / "..., said the regulator." (not "said the firm was ...")
        if rank is None and cues.split_left and rx["split_left"].search(left) and rx["split_right"].match(right):
            rank = 0
        if rank is None and rx["speech_right"].match(right):
            rank = 1
        if rank is None and rx["apposition_speech"].match(text[p.end:min(end, p.end + 110)]):
            rank = 1  # "Johnny Ryan, a senior fellow at the group, said ..."
        if rank is None and cues.lang == "en" and rx["speech_next"].match(right):
            rank = 2
        if rank is None and rx["speech_left"].search(left) and rx["that_follows"].match(right):
            rank = 1
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, p)
    return best[1] if best else None


def quote_regions(text: str, parties: list[Party], cues: Cues) -> list[tuple[int, int, Party]]:
    """Quoted passages followed by their speaker: '"...", aldus X' / '"...", gaat X verder' /
    '"...," said X'. The opening quote is the farthest quote mark that opens a sentence in the same
    paragraph, so straight quotes nested inside the quote do not cut it short."""
    out = []
    rx = re.compile(
        rf"[{QUOTES}]\s*,?\s*(?:[{QUOTES}]\s*)?(?:zo\s+)?(?:(?:{cues.before_alt})|(?:{cues.speech_alt}){'|(?:' + cues.split_left + ')' if cues.split_left else ''})\s+(?:[^\s,;.]+\s+){{0,3}}?",
        re.I,
    )
    for m in rx.finditer(text):
        sp = next((p for p in parties if m.end() <= p.start <= m.end() + 40), None)
        if sp is None:
            continue
        close = m.start()
        para_start = text.rfind("\n", 0, close) + 1
        open_pos = None
        for q in re.finditer(rf"[{QUOTES}]", text[para_start:close]):
            pos = para_start + q.start()
            prev = text[max(para_start, pos - 2):pos]
            if pos == para_start or re.search(r"(?:^|[.!?:]\s|\s)\Z", prev) and (pos == para_start or re.search(r"[.!?:]\s*\Z|\A\s*\Z", text[para_start:pos])):
                open_pos = pos
                break
        if open_pos is None:
            continue
        out.append((open_pos, close, sp))
    return out


def dep_role(doc, party: Party) -> str | None:
    """English dependency cues for a party: 'agent' (by X), 'subj', 'passive_subj', 'obj'."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(party.start, party.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    root = span.root
    dep = root.dep_
    if dep == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
        return "agent"
    if dep == "nsubjpass":
        return "passive_subj"
    if dep == "nsubj":
        return "subj"
    if dep in ("dobj", "dative"):
        return "obj"
    if dep == "poss":
        return "poss"
    if dep == "compound" and root.head.dep_ == "nsubj":
        return "subj"
    return None


@dataclass
class RoleContext:
    kind: str
    clause: tuple[int, int]
    sentence: tuple[int, int]
    trigger: tuple[int, int]
    claimant_types: list[str]
    target_types: list[str]
    subject_is_target: bool = False
    speaker: Party | None = None
    assertion: bool = False  # legal_basis, violation, article_citation: the speaker is the claimant
    salient: dict = field(default_factory=dict)  # party name -> target prior (the story's main company)
    nearest_subject: bool = False  # the party closest before the trigger is its subject ("... dat ze bezwaar maken")


def assign_roles(text: str, ctx: RoleContext, parties: list[Party], cues: Cues, doc=None) -> tuple[Party | None, Party | None]:
    """Best (claimant, target) among the parties of the clause (and, weaker, the sentence)."""
    cs, ce = ctx.clause
    ss, se = ctx.sentence
    ts, te = ctx.trigger
    clause_text = text[cs:ce]
    passive = bool(cues.passive and cues.passive.search(clause_text))
    cands = [p for p in parties if ss <= p.start and p.end <= se]
    if not cands:
        return None, None
    in_clause = [p for p in cands if cs <= p.start and p.end <= ce]
    # "Als FitPuls niet ingaat op de eisen, dient Bits of Freedom een klacht in": skip the subordinate clause
    opener = re.match(r"\W*(\w+)", clause_text)
    main_from = cs
    if opener and opener.group(1).lower() in cues.subordinators:
        comma = text.rfind(",", cs, ts)
        if comma > cs:
            main_from = comma + 1
    # "Directeur X zegt dat DPG Media de zaak aan de rechter voorlegt": the subject is the reported clause's
    reported = cues.speaker_res["reported"].search(text[main_from:ts])
    if reported and not ctx.assertion:
        main_from += reported.end()
    # the clause subject: first party of the clause before the trigger, unless a pronoun opens the clause
    first_word = re.match(r"\W*(\w+)", clause_text)
    pronoun_subject = bool(first_word and first_word.group(1).lower() in cues.pronouns
                           and not any(p.start - cs <= len(first_word.group(0)) + 1 for p in in_clause[:1]))
    subject = None
    if not pronoun_subject and ctx.nearest_subject:
        before_trigger = [p for p in in_clause if p.start < ts and not _marked(text, cs, p, cues.target_before)]
        subject = before_trigger[-1] if before_trigger else None
    elif not pronoun_subject:
        for p in in_clause:
            if main_from <= p.start < ts and not _marked(text, cs, p, cues.claimant_before) and not _marked(text, cs, p, cues.target_before):
                subject = p
                break
    scores: dict[Party, list[float]] = {}
    for p in cands:
        c = t = 0.0
        if not (cs <= p.start and p.end <= ce):
            c -= 1.5
            t -= 1.5
        if cues.decision_owner is not None and cues.decision_owner.search(text, max(cs, p.start - 40), p.start):
            t += 3  # "vernietigt het vonnis van de rechtbank": the body whose decision is acted on, not the actor
            c -= 2
        elif _marked(text, cs, p, cues.claimant_before):
            between = text[te:p.start] if p.start >= te else ""
            if p.start >= te and cues.claimant_after_trigger and len(between.split()) <= 4 and cues.claimant_after_trigger.search(between):
                c += 5
            elif re.search(r"(?<![\w])(?:door|by|namens|on behalf of)\s+(?:[^\s,;.]+\s+){0,2}\Z", text[max(cs, p.start - 40):p.start], re.I):
                c += 5
            elif p.start >= te and len(between.split()) <= 4:
                c += 3
            elif passive and p.start < ts:
                c += 4  # "dat van de toezichthouder CNPD 746 miljoen euro kreeg"
            else:
                t += 0.5  # "de aanpak van Meta", "Meta's practices": the party acted on
        venue = _marked(text, cs, p, cues.venue_before)
        if _marked(text, cs, p, cues.target_before) and not venue:
            t += 4  # "complained to the CNIL": the "to" of a forum marks no target
            c -= 4  # "a foundation has launched an action against Varnova": never the one acting
        if venue:
            t -= 3
            c -= 1
        if p.type == UNNAMED and re.search(r"(?<![\w])(?:on behalf of|namens|for)\s+(?:[^\s,;.]+\s+){0,2}\Z",
                                           text[max(cs, p.start - 40):p.start], re.I):
            c -= 6  # "a class action on behalf of users": the group represented, not the one bringing it
        if _marked(text, cs, p, cues.co_actor_before):
            c -= 6  # "investigated jointly with the OPC": a partner, not the one acting
            t -= 6
        related = _describes_another(text, p.start, cues, cs)
        if related:
            c -= 4  # "Foodinho, de Italiaanse dochter van Glovo", "YouTube and its owner Google": the party described
            t -= 4
        if _receives_data(text, p.start, cues, cs):
            c -= 2  # "for transferring the data to Jumpshot", "deelde gegevens met Orvanta": where the data went,
            t -= 3  # not the one accused
        if p.start >= te and _marked(text, cs, p, cues.cause_before):
            c -= 3  # "Het onderzoek begon na een artikel op Tweakers": what set it off, not a party to it
            t -= 3
        role = dep_role(doc, p) if doc is not None and cs <= p.start and p.end <= ce else None
        if role == "agent" and not related:
            c += 5  # ... not "the business owned by Microsoft": the agent of the description, not of the claim
        elif role == "passive_subj":
            t += 4
        elif role == "obj":
            t += 2
        if p is subject:
            if passive or ctx.subject_is_target or role == "passive_subj":
                t += 3.5
                if ctx.kind in ("violation", "order"):
                    c -= 3  # "De dienst had de gegevens moeten vernietigen", "X moet ... wissen": the one accused/ordered
            elif p.type not in ctx.claimant_types and p.type != UNNAMED:
                t += 2  # "legde de toezichthouder Google 50 miljoen euro op": a subject that cannot be the claimant
            else:
                c += 3
        elif p.start < ts and cs <= p.start and (subject is not None or pronoun_subject):
            t += 1.5  # Dutch inversion: "legde de AP Clearview een boete op"; "Dat stuurde Meta een brief"
            if pronoun_subject:
                c -= 2
        elif p.start >= te and cs <= p.start:
            t += 1.5 if not ctx.subject_is_target else 0.5
            if cues.object_after_verb and not text[te:p.start].strip():
                t += 3.5  # "fined Meta €405 million over the way Instagram ...": the verb's own object, before a party
                # a preposition marks ("over", +4)
        elif ts <= p.start < te and p is not subject and p.type != "court" and ctx.kind not in ("appeal", "complaint"):
            t += 1.5  # inside a split trigger: "barred X-Mode Social from", "obliges Tallgrass to delete"
        if ctx.speaker is not None and p.name == ctx.speaker.name:
            c += 4 if ctx.assertion else 1.5
            t -= 3
        c += _type_score(p.type, ctx.claimant_types) if p.type != UNNAMED or UNNAMED in ctx.claimant_types else -99.0
        t += _type_score(p.type, ctx.target_types) if p.type != UNNAMED else -4.0
        c -= abs(p.start - ts) / 400
        t -= abs(p.start - ts) / 400
        t += ctx.salient.get(p.name, 0.0)
        if p.type == UNNAMED and UNNAMED not in ctx.target_types:
            t = -99.0
        prev = scores.get(p)
        scores[p] = [max(c, prev[0]) if prev else c, max(t, prev[1]) if prev else t]
    claimant = _best(scores, 0, None)
    target = _best(scores, 1, claimant.name if claimant else None)
    if claimant is None and ctx.speaker is not None and ctx.assertion:
        claimant = ctx.speaker
    return claimant, target


def _best(scores: dict[Party, list[float]], idx: int, exclude: str | None) -> Party | None:
    ranked = sorted(((v[idx], -p.start, p) for p, v in scores.items() if p.name != exclude), key=lambda x: (x[0], x[1]), reverse=True)
    if ranked and ranked[0][0] > 0.5:
        return ranked[0][2]
    return None


def _type_score(typ: str, allowed: list[str]) -> float:
    if typ in allowed:
        return 2.0 - 0.3 * allowed.index(typ)
    return -4.0


def _marked(text: str, clause_start: int, p: Party, rx: re.Pattern | None) -> bool:
    """Whether a role preposition governs the party: "tegen Meta", "door de Ierse DPC", "by the ICO"."""
    if rx is None:
        return False
    left = text[max(clause_start, p.start - 40):p.start]
    m = None
    for m in rx.finditer(left):
        pass
    if m is None:
        return False
    gap = left[m.end():]
    # a preposition does not govern across a complementiser ("Erik van Gruijthuijsen zegt dat DPG Media ...")
    return bool(re.fullmatch(r"\s+(?:[^\s,;.:]+\s+){0,3}", gap)) and not re.search(r"[,;:]", gap) \
        and not re.search(r"(?<![\w])(?:dat|that|and|en)(?![\w])", gap, re.I)

"""Which organisation a named person speaks for, so that what they say is that organisation's claim
(the corpus convention of 2026-12-01: "Johnny Ryan, a senior fellow at the group, said ..." is the group's
claim; a person speaking for themselves keeps it).

Read from the words around the person's first mention(s), all cue words from the `[affiliation]` table of
models/patterns/claims_<lang>.toml:
- after the name: "Bastien Le Querrec, a lawyer with La Quadrature du Net", "Helen Okafor, the trust's chief
  executive", "directeur Sandra Molenaar van de Consumentenbond";
- a Dutch compound title before it: "Noyb-juriste Kleanthi Sardeli", "Meterwacht-directeur Ilse Dijkhuis";
- a possessive title before it: "said its chair, Marloes Hendriks";
- a head by title: "Information Commissioner John Edwards", "toezichthouder Barbara Thiel", "burgemeester X".
A former post ("a former director of Which?") is no affiliation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.attribution import Party, _has_head, ends_with_re, words_re

ORG_TYPES = ("ngo", "regulator", "company", "government", "court")


@dataclass(frozen=True)
class AffiliationCues:
    after: re.Pattern | None        # the gap between a person and the organisation named after them
    possessive: re.Pattern | None   # "its chair, " right before the person
    titles: tuple[tuple[str, re.Pattern], ...]  # (actor type, "Information Commissioner " / "burgemeester ")
    former: re.Pattern | None
    topic_title: re.Pattern | None = None  # "Directeur ", "woordvoerder ", "spokesperson " right before a name
    person_possessive: re.Pattern | None = None  # "his lawyer, " right before the person: speaks for a person

    @classmethod
    def from_lexicon(cls, lex: dict) -> "AffiliationCues":
        t = lex.get("affiliation", {})
        links = "|".join(t.get("links", [])) or "(?!)"
        arts = "|".join(t.get("articles", [])) or "(?!)"
        rel = "|".join(t.get("relatives", [])) or "(?!)"
        # ", a senior fellow at (the) X" / " van (de) X" / ", the X's director": at most six title words, none a
        # relative pronoun ("an independent researcher who examined ... for the claimants" is no post)
        title_words = rf"(?:(?!(?:{rel})\s)[^\s,;.:()]+\s+){{0,6}}?"
        after = re.compile(
            rf"\s*,\s*(?:(?:{arts})\s+)?{title_words}(?:{links})\s+(?:(?:{arts})\s+)?\Z"
            rf"|\s+(?:{links})\s+(?:(?:{arts})\s+)?\Z"
            rf"|\s*,\s*\Z",  # ", the trust's chief executive": checked for the possessive after the organisation
            re.I)
        poss = "|".join(t.get("possessives", [])) or "(?!)"
        possessive = re.compile(rf"(?<![\w])(?:{poss})\s+(?:[^\s,;.:]+\s+){{0,3}}?[^\s,;.:]+\s*,?\s+\Z", re.I)
        pposs, reps = "|".join(t.get("person_possessives", [])), "|".join(t.get("person_representatives", []))
        person_possessive = re.compile(rf"(?<![\w])(?:{pposs})\s+(?:{reps})\s*,\s+\Z", re.I) if pposs and reps else None
        return cls(
            after=after,
            possessive=possessive,
            titles=tuple((typ, rx) for typ, forms in t.get("titles", {}).items() if (rx := words_re(forms))),
            former=words_re(t.get("former", [])),
            topic_title=ends_with_re(t.get("topic_titles", []), left=r"(?<![\w-])"),
            person_possessive=person_possessive,
        )


def affiliations(text: str, parties: list[Party], cues: AffiliationCues) -> dict[str, Party]:
    """Person name -> the party they speak for (first mention that says so): an organisation, or the person a
    lawyer or spokesperson represents ("his lawyer, X")."""
    out: dict[str, Party] = {}
    orgs = [p for p in parties if p.type in ORG_TYPES]
    for p in parties:
        if p.type != "person" or p.anaphor or p.name in out:
            continue
        org = (orgs and (_after(text, p, orgs, cues) or _compound_title(text, p, orgs)
                         or _named_possessive(text, p, orgs, cues) or _possessive(text, p, orgs, cues)
                         or _title(text, p, orgs, cues) or _topic_title(text, p, parties, cues))) \
            or _person_possessive(text, p, parties, cues)
        if org:
            out[p.name] = org
    return out


def _sentence_start(text: str, pos: int) -> int:
    m = None
    for m in re.finditer(r"[.!?]\s+|\n", text[max(0, pos - 400):pos]):
        pass
    return max(0, pos - 400) + m.end() if m else max(0, pos - 400)


def _sentence_end(text: str, pos: int) -> int:
    m = re.search(r"[.!?](?:\s|\Z)|\n", text[pos:])
    return pos + m.start() if m else len(text)


def _after(text: str, p: Party, orgs: list[Party], cues: AffiliationCues) -> Party | None:
    end = min(_sentence_end(text, p.end), p.end + 90)
    org = next((o for o in orgs if p.end <= o.start < end), None)
    if org is None or cues.after is None:
        return None
    gap = text[p.end:org.start]
    m = cues.after.fullmatch(gap)
    if m is None or (cues.former is not None and cues.former.search(gap)):
        return None
    if re.fullmatch(r"\s*,\s*", gap) and not re.match(r"['’]s?(?![\w])", text[org.end:org.end + 2]):
        return None  # a bare ", X" is a list or an apposition of the person, not their post
    return org


def _compound_title(text: str, p: Party, orgs: list[Party]) -> Party | None:
    m = re.search(r"([^\W\d_]{2,})-[^\W\d_]+\s+\Z", text[max(0, p.start - 40):p.start])
    if m is None:
        return None
    word = m.group(1).lower()
    return next((o for o in orgs if o.name.lower() == word or text[o.start:o.end].lower() == word
                 or _has_head(o.name.lower().split(), word)), None)


def _possessive(text: str, p: Party, orgs: list[Party], cues: AffiliationCues) -> Party | None:
    if cues.possessive is None or not cues.possessive.search(text[max(0, p.start - 50):p.start]):
        return None
    # "its" is the topic: the last organisation that opens its sentence ("Open Rights Group has written to Uber.
    # Its chair, X, said"), else the last one named
    return _topic_or_last(text, [o for o in orgs if o.end <= p.start and o.type in ("ngo", "company", "government")])


_NAMED_POST = re.compile(r"['’]s?\s+((?:[^\s,;.:'’]+\s+){0,3}?[^\s,;.:'’]+)\s*,\s+")


def _named_possessive(text: str, p: Party, orgs: list[Party], cues: AffiliationCues) -> Party | None:
    """"Evigminne's founder, Tor Aasen, said": the organisation named with a possessive right before a post of it
    (not "Meta's fiercest critic, Max Schrems")."""
    for o in reversed(orgs):
        if o.end > p.start or p.start - o.end > 60:
            continue
        m = _NAMED_POST.fullmatch(text, o.end, p.start)
        return o if m and cues.topic_title is not None and cues.topic_title.search(m.group(1) + " ") else None
    return None


def _person_possessive(text: str, p: Party, parties: list[Party], cues: AffiliationCues) -> Party | None:
    """"he will sue, his lawyer, Sophie Lemaire, said": the person last named before, in this sentence or the one
    before."""
    if cues.person_possessive is None or not cues.person_possessive.search(text[max(0, p.start - 40):p.start]):
        return None
    lo = _sentence_start(text, max(0, _sentence_start(text, p.start) - 2))
    return next((o for o in reversed(parties) if lo <= o.start and o.end <= p.start and o.type == "person"
                 and not o.anaphor and o.name != p.name), None)


def _topic_title(text: str, p: Party, parties: list[Party], cues: AffiliationCues) -> Party | None:
    """A post with no organisation named ("Kroost bestrijdt dat. ... volgens directeur Joris Mulderij", "zegt
    woordvoerder Ruben Visscher"): the organisation the story has just been about, named in this sentence or the
    one before, at the start of its sentence (the topic), else the last one named there."""
    if cues.topic_title is None or not cues.topic_title.search(text[max(0, p.start - 40):p.start]):
        return None
    lo = _sentence_start(text, max(0, _sentence_start(text, p.start) - 2))
    return _topic_or_last(text, [o for o in parties if lo <= o.start and o.end <= p.start and not o.anaphor
                                 and o.type in ("ngo", "company", "government", "other")])


def _topic_or_last(text: str, before: list[Party]) -> Party | None:
    """The last of `before` that opens its sentence (the topic), else the last one."""
    topics = [o for o in before if not text[_sentence_start(text, o.start):o.start].strip(" \"'“„‘")]
    return (topics or before or [None])[-1]


def _title(text: str, p: Party, orgs: list[Party], cues: AffiliationCues) -> Party | None:
    """A head's title right before the name ("Information Commissioner John Edwards", "burgemeester X"): the
    nearest party of the type the title heads."""
    left = text[max(0, p.start - 40):p.start]
    for typ, rx in cues.titles:
        m = None
        for m in rx.finditer(left):
            pass
        if m is not None and not left[m.end():].strip():
            return min((o for o in orgs if o.type == typ), key=lambda o: abs(o.start - p.start), default=None)
    return None

"""privnews_actors: who is named in a privacy-news article.

Three sources of candidate names, in order of trust:
1. the knowledge base (models/kb/actors.jsonl): every alias of a known actor, matched over the text
   (case-sensitive; long multi-word aliases also case-insensitively; "context" aliases such as a surname or
   "Commissie" only count when the same actor is also named in full in the document, or when one of the entry's
   `context_cues` (regular expressions: "Elon Musk", "social network" for X) occurs in it);
2. context rules from models/patterns/actor_cues.toml: a descriptor or title right before a capitalised name
   ("privacy group Acme", "het techbedrijf Acme", "minister Jan de Vries"), or a legal-form suffix ("Acme B.V.");
3. the base pipeline's statistical NER (English: en_core_web_sm ORG/PERSON; Dutch: models/ner-nl PER/ORG).

Candidates are cleaned (no lowercase phrases, places, laws, dates or numbers), typed from the knowledge base or
from context cues, and clustered into one actor per real-world entity: knowledge-base aliases, an acronym
introduced in brackets ("Autoriteit Persoonsgegevens (AP)"), a person's surname after the full name and a
shorter form of an organisation's name ("Acme" after "Acme Analytics") all join one actor.

Output: doc._.actors = [{"name", "type", "kb_id", "mentions": [{"text", "start", "end"}]}] (plain data,
character offsets into doc.text).
"""
from __future__ import annotations

import functools
import json
import logging
import re
import tomllib
import unicodedata
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from nlp import alternation
from nlp.country_aliases import country_aliases
from nlp.docinfo import doc_text

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_KB = MODELS_DIR / "kb" / "actors.jsonl"
DEFAULT_CUES = MODELS_DIR / "patterns" / "actor_cues.toml"
STATISTICS_COMMON = MODELS_DIR / "patterns" / "statistics_common.toml"
ACTOR_TYPES = ("company", "regulator", "ngo", "person", "court", "government", "other")

if not Doc.has_extension("actors"):
    Doc.set_extension("actors", default=None)

_WORD = re.compile(r"[^\W_][\w'’.&-]*")
# a Dutch adjective of a place ("Groningse", "Bordelese", "Lyonse", "Gentse")
_DUTCH_PLACE_ADJECTIVE = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]{2,}(?:se|sche)")
# a lower-case word right after a name ("a Nottingham parcel firm"): the name is used as a modifier
_LOWER_WORD_NEXT = re.compile(r" [a-zà-ÿ]")
_ACRONYM = re.compile(r"[A-ZÀ-Þ][A-Za-zÀ-ÿ0-9&.\-]{1,11}")
# a subsidiary's name after its parent's: " France Logistique" (a country word and one or two more words)
_SUBSIDIARY = re.compile(r"(?: (?:[A-Z][\w'’&-]*)){2,3}(?![\w'’-])")
_CAMEL = re.compile(r"[a-z][A-Z]")
# a firm named like a town is the object of a step somewhere ("a reprimand to Halifax", "heeft Nokia een boete
# opgelegd", "fined Orange"): such a name is kept even when no cue types it
_SANCTIONED = re.compile(r"(?<![\w])(?:to|against|fined|reprimanded|ordered|sued|warned|beboette?|heeft|hebben|legde|legt|"
                         r"gaf|geeft|tegen|berispte|sommeerde)\s+\Z", re.I)
# a surname particle right before a one-word name: the tagger dropped it ("Willem de Vries" tagged "Vries")
_PARTICLE_BEFORE = re.compile(r"(?<![\w])(?:de|van|der|den|von|ter|ten|te|du|le|la|da|di|dos|das|del)\s+\Z")
# a web shop or service known by its domain name, written in lower case ("notebooksbilliger.de")
_DOMAIN_NAME = re.compile(r"[a-z0-9][a-z0-9-]{2,}\.(?:de|nl|be|fr|com|eu|io|net|at|ch|it|es|pl|se|dk|uk)")
_LEFT = r"(?<![\w@/.\-])"
_RIGHT = r"(?![\w])"
# the characters _LEFT and _RIGHT rule out next to a name, and the same for "(?<![\w-])" / "(?![\w-])"
_NOT_BEFORE = re.compile(r"[\w@/.\-]")
_NOT_AFTER = re.compile(r"\w")
# a capital, accented ones too ("Łódź", "Ústí"); Latin Extended-A in full, so half of it lower case
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"
_HONORIFIC_NAME = re.compile(r"(?<![\w-])(?:Ms|Mr|Mrs|Miss|Mx|mevrouw|meneer|de heer)\.? (" + _CAP
                             + r"[\w'’-]+)(?![\w-])")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


@functools.lru_cache(maxsize=65536)
def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^\w\s]", " ", s.lower())
    return " ".join(s.split())


# a letter that numbers or names something ("Article X", "Mr X", "Generation X") stands for no actor
_ENUMERATED = re.compile(r"(?:Article|Artikel|Art\.|Chapter|Hoofdstuk|Annex|Bijlage|Section|Mr|Mrs|Ms|Dr|Generation|"
                         r"generatie|heer|mevrouw|Project|project|type|Type|Model|model)\.?\s+\Z")


def load_kb(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def load_word_list(path: Path, what: str, missing: str) -> frozenset[str]:
    """One word or name a line ('#' starts a comment); none, with a warning naming the list (`what`) and what is lost
    without it (`missing`), when the file is missing."""
    if not path.is_file():
        logger.warning("no %s at %s: %s", what, path, missing)
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def load_towns(path: Path) -> frozenset[str]:
    """One-word town and city names (`load_word_list`)."""
    return load_word_list(path, "town list", "places used as modifiers may be taken for names")


def load_cues(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@functools.lru_cache(maxsize=32)
def _compile_cached(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def _alias_regex(aliases, flags: int = 0) -> re.Pattern | None:
    """Any of `aliases` as a whole word; the longest where several start at the same character."""
    if not aliases:
        return None
    return _compile_cached(_LEFT + "(?:" + alternation.trie(aliases, flags) + ")" + _RIGHT, flags)


# the district or circuit after a US federal court's name
_US_COURT_SEAT = re.compile(r"\s+for the (?:(?:Northern|Southern|Eastern|Western|Central|Middle) )?District of "
                            r"[A-Z][\w-]+(?: [A-Z][\w-]+)?|\s+for the [A-Z][a-z]+ Circuit")

# words that quote a party before it ("volgens Kroost") and verbs it speaks with after it ("Kroost bestrijdt")
_SPEECH_CUES = r"(?:volgens|aldus|according to)"
_SPEECH_VERBS = (r"zegt|zei|stelt|stelde|bestrijdt|bestreed|betwist|ontkent|laat weten|liet weten|reageert|reageerde|"
                 r"benadrukt|says|said|denies|denied|disputes|disputed|insists|insisted")
# a product that speaks or is quoted is the firm behind it ("volgens Kroost", "Kroost bestrijdt", "Acme said")
_SPEAKS = re.compile(_SPEECH_CUES + r"\s+\x00|\x00\s+(?:" + _SPEECH_VERBS + r"|told)(?![\w])", re.I)
# the same, read around one word in place (`_speaker_candidates`)
_SPEECH_AFTER = re.compile(r"\s+(?:" + _SPEECH_VERBS + r"|betwistte|ontkende|benadrukte)(?![\w])")
_SPEECH_BEFORE = re.compile(r"(?<![\w])" + _SPEECH_CUES + r"\s+\Z", re.I)


# a name the tagger calls a place but that acts like a party: the target of a complaint or lawsuit, or a speaker
_ACTS = re.compile(r"(?:against|tegen|sued|sues|fined|beboet)\s+\x00(?![\w-])|\x00\s+(?:itself|zelf\s+(?:zegt|stelt)|"
                   r"said|says|denies|denied|did not (?:respond|reply|comment)|declined to comment|told|argues|argued|"
                   r"zegt|stelt|ontkent|laat weten|reageerde niet)(?![\w])", re.I)


def _speech_window(text: str, name: str) -> str:
    """The text with every whole-word occurrence of `name` replaced by a NUL marker, for _SPEAKS."""
    return re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "\x00", text)


# a Romance organisation name going on past a lower-case joiner and capitalised words
_ROMANCE_JOINERS = ("e", "do", "da", "dos", "das", "del", "della", "di", "y")
_ROMANCE_TAIL = re.compile(r"(?:\s(?:" + "|".join(_ROMANCE_JOINERS) + r")\s[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)+")

# where a bare single name is a place: "in Sarstedt", "te Zwolle", "uit Schwaz", "near Salzburg", "in de buurt van
# Salzburg", and the second of two places ("in Barreiro and Montijo")
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?:in|te|uit|near|nabij|in de buurt van)\s+(?:[A-Z][\w-]+\s+(?:and|en)\s+)?$")

class _CueSet:
    """Cue phrases (exact, lowercase) and word-ending cues ("*bedrijf") for each type."""

    def __init__(self, by_type: dict[str, list[str]], order: list[str]):
        self.order = order
        self.exact: dict[str, str] = {}
        self.suffix: list[tuple[str, str]] = []
        for typ in order:
            for cue in by_type.get(typ, []):
                cue = cue.lower()
                if cue.startswith("*"):
                    self.suffix.append((cue[1:], typ))
                else:
                    self.exact.setdefault(cue, typ)
        self.suffix.sort(key=lambda x: -len(x[0]))
        self.max_words = max((len(c.split()) for c in self.exact), default=1)
        # the same lookup by word ending, longest ending first: one dict lookup per length instead of an
        # endswith per cue (a word ending is matched by the first cue of that ending in `suffix`)
        by_len: dict[int, dict[str, str]] = {}
        for suf, typ in self.suffix:
            by_len.setdefault(len(suf), {}).setdefault(suf, typ)
        self.suffix_by_len = sorted(by_len.items(), reverse=True)

    def match_tail(self, words: list[str]) -> tuple[str, int] | None:
        """Type of the longest cue that ends `words` (lowercase), and how many words it spans."""
        for k in range(min(self.max_words, len(words)), 0, -1):
            phrase = " ".join(words[-k:])
            if phrase in self.exact:
                return self.exact[phrase], k
        if words:
            last = words[-1]
            for n, endings in self.suffix_by_len:
                typ = endings.get(last[-n:]) if n else endings[""]  # "*": any word
                if typ is not None:
                    return typ, 1
        return None


# linking words inside one organisation's name ("Agencia de Protección de Datos", "Bundesamt für Justiz",
# "Förvaltningsrätten i Linköping"); not "and"/"en", which join two names
# (Dutch "van" and "voor" are left out: "Tessa Oudshoorn van Datasonde" names a person and her employer)
_NAME_LINKS = frozenset({"de", "di", "del", "della", "do", "da", "dos", "das", "des", "du", "of", "for", "für", "der",
                         "i", "w", "pour", "na"})
# the Czech and Slovene court heads that "v" ("in") links to their seat
# the Czech, Slovene and Croatian court heads and the link to their seat ("Okresní soud v Jihlavě", "Upravni sud u Splitu")
_SEAT_LINK_OF_HEAD = {"soud": "v", "sodišče": "v", "sud": "u"}
# an amount the tagger took for a name ("BGN 7,400", "R$14,400")
_MONEY_NAME = re.compile(r"(?:[A-Z]{3}|[A-Z]{1,3}\$|[€$£¥₹₱₩₺₦])\s?\d[\d.,\s]*(?:\s?(?:m|bn|k|million|billion|miljoen|miljard))?")
# the second word of a title the tagger split ("Attorney General Letitia James" tagged "General Letitia James")
_TITLE_HEAD_BEFORE = re.compile(r"(?<![\w-])(?:Attorney|Solicitor|Advocate|Surgeon|Inspector|Postmaster|Procurator|Auditor|"
                                r"Secretary|Director|Registrar)\s+\Z")
# a court's seat tagged a person joins its name only after these links: "Curtea de Apel Cluj", not "the Court of
# Appeal for Maria Lopez" (the heads and kind words are `seat_court_heads` / `court_kind_words` in actor_cues.toml)
# (and "v" / "u", which reach this only after soud / sodišče / sud: "Okresní soud v Jihlavě", never "X v Y")
_SEAT_LINKS = frozenset({"de", "di", "do", "da", "du", "des", "del", "della", "i", "w", "na", "v", "u"})
# an elided article before a name ("Kinés Libres de l'Ouest", "Le Courrier de l'Albret")
_ELIDED_NAME = re.compile(r"[ldLD]['’][A-ZÀ-Ý][\w-]+")


class ActorRecognizer:
    def __init__(self, nlp: Language, name: str, kb_path: str = "", cues_path: str = "", use_ner: bool = True,
                 ner_labels: dict | None = None):
        self.name = name
        self.lang = nlp.lang
        self.use_ner = use_ner
        self.ner_labels = dict(ner_labels or {"PERSON": "person", "PER": "person", "ORG": "org"})
        kb_file = Path(kb_path) if kb_path else DEFAULT_KB
        self.kb = load_kb(kb_file)
        # "Poland's data protection authority" etc., from countries.toml beside the knowledge base
        self.country_aliases = country_aliases(kb_file.with_name("countries.toml"))
        self.cues = load_cues(Path(cues_path) if cues_path else DEFAULT_CUES)
        # towns and cities of the world (GeoNames), beside the knowledge base: a place, not a name, where the text
        # uses one as a modifier or a whereabouts
        self.towns = load_towns(kb_file.with_name("places.txt")) | load_word_list(
            kb_file.with_name("regions.txt"), "region list", "regions used as whereabouts may be taken for names")
        # common given names: a name the tagger called an organisation that opens with one is a person
        self.given_names = load_word_list(kb_file.with_name("given_names.txt"), "given-name list",
                                          "full names tagged as organisations stay organisations")
        self._compile()

    # ------------------------------------------------------------------ setup
    def _compile(self) -> None:
        self.by_id = {row["id"]: row for row in self.kb}
        strong: dict[str, str] = {}
        context: dict[str, list[str]] = {}  # an alias several actors share only when named in full ("AP")
        weak: dict[str, str] = {}
        for row in self.kb:
            names = list(row.get("aliases", [])) + list(row.get("lang_aliases", {}).get(self.lang, [])) \
                + self.country_aliases.get(row["id"], [])
            own_name = [] if row["name"] in row.get("weak_aliases", []) + row.get("context_aliases", []) else [row["name"]]
            for alias in own_name * bool(row.get("aliases")) + names:
                strong.setdefault(alias, row["id"])
            for alias in row.get("weak_aliases", []):
                weak.setdefault(alias, row["id"])
            for alias in row.get("context_aliases", []):
                context.setdefault(alias, []).append(row["id"])
        # an acronym that is one actor's alias and another's context alias ("CNPD": Luxembourg's regulator, and
        # Portugal's when the story names the Comissão Nacional de Proteção de Dados) goes to the one named in full
        self.context_over = {a: ids for a, ids in context.items() if a in strong}
        context = {a: ids for a, ids in context.items() if a not in strong}
        self.strong, self.context, self.weak = strong, context, weak
        # a context alias also stands for its actor when the story names one of the actor's cues instead of its
        # full name ("X, the social network owned by Elon Musk": no "Twitter", no "X Corp")
        self.context_cues = {row["id"]: re.compile("|".join(f"(?:{c})" for c in row["context_cues"]))
                             for row in self.kb if row.get("context_cues")}
        self.re_weak = _alias_regex(weak)
        self.strong_ci = {a.lower(): i for a, i in strong.items() if " " in a and len(a) >= 10}
        self.re_strong = _alias_regex(strong)
        self.re_strong_ci = _alias_regex(self.strong_ci, re.IGNORECASE)
        self.re_context = _alias_regex(context)
        c = self.cues
        self.type_cues = _CueSet(c["types"], c["types"]["order"])
        self.title_cues = _CueSet({"person": c["types"]["person_titles"]}, ["person"])
        self.inside = _CueSet({k: v for k, v in c["inside"].items() if k != "order"}, c["inside"]["order"])
        self.suffixes = set(c["suffixes"]["company"])
        self.descriptors = {d.lower() for d in c["mentions"]["descriptor_prefixes"]}
        self.particles = {p.lower() for p in c["names"]["particles"]}
        self.name_heads = {k.lower(): v for k, v in c["names"].get("name_heads", {}).items()}
        self.legal_form_heads = {k.lower(): v for k, v in c["names"].get("legal_form_heads", {}).items()}
        self.court_heads = {w.lower() for w in c["names"].get("court_heads", [])}
        self.seat_court_heads = {w.lower() for w in c["names"].get("seat_court_heads", [])}
        self.single_courts = {w.lower() for w in c["names"].get("single_courts", [])}
        self.court_kind_words = {w.lower() for w in c["names"].get("court_kind_words", [])}
        self.place_heads = {w.lower() for w in c["names"].get("place_heads", [])} | self.court_heads
        self.date_words = {w.lower() for w in c["names"].get("date_words", [])}
        self.reject_first = {w.lower() for w in c["reject"].get("first_words", [])}
        self.leading = {w.lower() for w in c["reject"].get("leading_words", [])}
        self.subsidiary_words = set(c["names"].get("subsidiary_words", []))
        self.name_titles = set(c["names"].get("name_titles", []))
        self.strip_titles = {t.lower() for t in c["names"].get("strip_titles", [])}
        self.long_titles = tuple(sorted(t for t in self.strip_titles if len(t) >= 6 and "-" not in t))
        self.org_compound_endings = tuple(c["names"].get("org_compound_endings", []))
        self.company_last_words = {w.lower() for w in c["names"].get("company_last_words", [])}
        self.leading_particles = set(c["names"].get("leading_particles", []))
        self.government_of = {w.lower() for w in c["names"].get("government_of", [])}
        # the statistics lexicon's ISO codes ("... Authority SEK 2.5 million"): one list for both components
        self.currency_codes = set(load_cues(STATISTICS_COMMON)["currency_codes"]["codes"])
        self.place_body_words = {w.lower() for w in c["names"].get("place_body_words", [])}
        last_words = [w.lower() for w in c["reject"].get("last_words", [])]
        self.reject_last = {w for w in last_words if not w.startswith("*")}
        self.product_nouns = {w.lower() for w in c["reject"].get("product_nouns", [])}
        self.product_nouns_before = {w.lower() for w in c["reject"].get("product_nouns_before", [])}
        self.reject_last_endings = tuple(w[1:] for w in last_words if w.startswith("*"))
        self.reject_single_endings = tuple(w.lower() for w in c["reject"].get("single_word_endings", []))
        self.reject_group_endings = tuple(w.lower() for w in c["reject"].get("group_endings", []))
        self.places = {k: set(v) for k, v in c.get("places", {}).items()}
        self.all_places = set().union(*self.places.values()) if self.places else set()
        self.connectors = {p.lower() for p in c["names"]["connectors"]}
        self.reject = {norm(r) for r in c["reject"]["exact"]}
        self.max_chars = int(c["reject"].get("max_chars", 70))
        self.max_words = int(c["reject"].get("max_words", 8))
        self.articles = {"the", "a", "an", "de", "het", "een", "die", "dat"}
        # words that open a tagged span without being part of the name ("the", "CEO")
        self.not_name_words = self.articles | self.leading | self.strip_titles

    # ------------------------------------------------------------------ call
    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.actors = self.find(doc)
        except Exception:  # never break the pipeline on odd input
            logger.exception("privnews_actors failed on a document of %d chars", len(doc.text))
            doc._.actors = []
        return doc

    def find(self, doc: Doc) -> list[dict]:
        text = doc_text(doc)
        if not text.strip():
            return []
        taken = [False] * (len(text) + 1)
        mentions: list[dict] = []  # {"start","end","kb","type","src","label"}

        def free(s: int, e: int) -> bool:
            return not any(taken[s:e])

        def take(m: dict) -> None:
            for k in range(m["start"], m["end"]):
                taken[k] = True
            mentions.append(m)

        # 2. context rules, 3. statistical NER: cleaned now, taken after the knowledge base
        candidates = self._rule_candidates(doc) + (
            self._ner_candidates(doc) + self._speaker_candidates(doc) if self.use_ner else [])
        candidates.sort(key=lambda c: (c["prio"], -(c["end"] - c["start"]), c["start"]))
        cleaned = [(cand, span) for cand in candidates if (span := self._clean(doc, cand)) is not None]
        longer_names = [span for _, span in cleaned]

        def between_name_words(s: int, e: int) -> bool:
            return (re.search(r"(?<![\w-])[A-ZÀ-Þ][\w'’&-]* $", text[max(0, s - 40):s]) is not None
                    and re.match(r" [A-ZÀ-Þ]", text[e:e + 2]) is not None)

        def inside_longer_name(s: int, e: int) -> bool:
            """A KB alias between two name words of a longer candidate name ("NHS" in "Royal Free London NHS
            Foundation Trust") is part of that name, not an actor of its own; unless the longer span also holds
            a known actor at its edge ("Former Meta President Nick Clegg"): then it is no single name."""
            if not between_name_words(s, e):
                return False
            return any(cs < s and e < ce and all(cs < hs and he < ce and between_name_words(hs, he)
                                                 for hs, he, _ in kb_hits if hs < ce and cs < he)
                       for cs, ce in longer_names)

        # 1. knowledge base, longest first
        kb_hits = []
        for rx in (self.re_strong, self.re_strong_ci):
            if rx is None:
                continue
            for m in rx.finditer(text):
                kb_id = self.strong.get(m.group()) or self.strong_ci.get(m.group().lower())
                if kb_id and not self._other_place_description(text, m, kb_id):
                    kb_hits.append((m.start(), m.end(), kb_id))
        if self.re_weak is not None:
            # generic names ("High Court") only when no other capitalised word makes them a longer name
            for m in self.re_weak.finditer(text):
                prev = re.search(r"(\S+)\s+$", text[max(0, m.start() - 40):m.start()])
                if prev and prev.group(1)[:1].isupper() and not prev.group(1).endswith(("'s", "’s", ".", ":", '"')) \
                        and norm(prev.group(1)) not in self.reject:
                    continue
                if re.match(r"\s+(?:of|in|van|te|for)\s+[A-Z]", text[m.end():m.end() + 6]):
                    continue
                if self._other_place_description(text, m, self.weak[m.group()]):
                    continue
                kb_hits.append((m.start(), m.end(), self.weak[m.group()]))
        if self.context_over:
            named = {kb_id for s, e, kb_id in kb_hits if text[s:e] not in self.context_over}
            kb_hits = [(s, e, next((i for i in self.context_over.get(text[s:e], ()) if i in named), kb_id))
                       for s, e, kb_id in kb_hits]
        for s, e, kb_id in sorted(kb_hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if free(s, e) and not inside_longer_name(s, e):
                take({"start": s, "end": e, "kb": kb_id, "type": None, "src": "kb"})
        self._subsidiaries(text, mentions, taken)
        present = {m["kb"] for m in mentions}
        if self.re_context is not None:
            for m in self.re_context.finditer(text):
                # the actor the story names in full: "AP" is the Dutch regulator after "Autoriteit Persoonsgegevens",
                # the news agency after "Associated Press"
                kb_id = next((i for i in self.context[m.group()] if i in present), None)
                if kb_id is None and not (len(m.group()) == 1 and _ENUMERATED.search(text, 0, m.start())):
                    kb_id = next((i for i in self.context[m.group()] if i in self.context_cues
                                  and self.context_cues[i].search(text)), None)
                if kb_id is not None and free(m.start(), m.end()) and not inside_longer_name(m.start(), m.end()):
                    take({"start": m.start(), "end": m.end(), "kb": kb_id, "type": None, "src": "kb"})

        for cand, (s, e) in cleaned:
            if free(s, e):
                cand.update(start=s, end=e)
                take(cand)

        actors = self._cluster(text, mentions, take)
        actors = self._finish(doc, actors, free, take)
        return self._emit(text, actors)

    def _other_place_description(self, text: str, m: re.Match, kb_id: str) -> bool:
        """Some other body, not the knowledge-base actor: a lower-case description after any capitalised
        qualifier but the actor's own country ("the Hessian data protection commissioner"), or a public body's
        generic name after a place of another country ("the Dutch Court of Appeal", "the Berlin Data Protection
        Commissioner"). Companies and people are not tied to a country ("the Irish Meta subsidiary")."""
        prev = re.search(r"([A-ZÀ-Þ][\w.’'-]*)\s+$", text[max(0, m.start() - 40):m.start()])
        if prev is None:
            return False
        word = re.sub(r"(?:['’]s|['’])$", "", prev.group(1))
        row = self.by_id[kb_id]
        if word.lower() in self.articles | self.leading or word in self.places.get(row.get("country"), ()):
            return False
        if m.group()[:1].islower() and m.group() not in self.strong:  # not a lower-case name such as "noyb"
            return True
        return row.get("type") in ("regulator", "court", "government") and word in self.all_places

    def _subsidiaries(self, text: str, mentions: list[dict], taken: list[bool]) -> None:
        """A subsidiary named after its parent ("Amazon France Logistique"): when every mention of a KB actor
        continues with the same country word and a further name word, the full name is the actor (typed as
        the parent); when the parent is also named on its own, the parent stays the actor."""
        if not self.subsidiary_words:
            return
        by_kb: dict[str, list[dict]] = {}
        for m in mentions:
            by_kb.setdefault(m["kb"], []).append(m)
        for kb_id, ms in by_kb.items():
            exts = [_SUBSIDIARY.match(text, m["end"]) for m in ms]
            if not all(exts) or len({x.group(0) for x in exts}) != 1:
                continue
            words = exts[0].group(0).split()
            if words[0] not in self.subsidiary_words or norm(words[-1]) in self.reject:
                continue
            if any(any(taken[x.start():x.end()]) for x in exts):
                continue
            for m, x in zip(ms, exts):
                for k in range(x.start(), x.end()):
                    taken[k] = True
                m.update(end=x.end(), kb=None, type=self.by_id[kb_id]["type"], src="subsidiary")

    # ------------------------------------------------------------------ candidates
    def _is_cap(self, tok) -> bool:
        t = tok.text
        return bool(t) and (t[0].isupper() or (t[0].isdigit() and any(ch.isalpha() for ch in t))) and t[0] != "\u2019"

    def _cap_run(self, doc, i: int, person: bool) -> int:
        """End token index of a capitalised name starting at token i (i itself if none)."""
        # "in", "op", "te" join a person's name ("Jan in 't Veld"), not an organisation's ("Universiteit Bocconi in
        # Milaan": where it is); a court's seat is added later ("Higher Regional Court in Düsseldorf")
        joiners = self.particles if person else (self.connectors | self.particles) - {"in", "op", "te"}
        j, last = i, i
        while j < len(doc) and j - i < self.max_words:
            tok = doc[j]
            if j > i and tok.is_sent_start:
                break
            if tok.text in self.suffixes and j > i:
                last = j + 1
                break  # a legal-form suffix ends the name ("Acme Ltd. DFA said ...")
            if (self._is_cap(tok) or (j > i and not person and _ELIDED_NAME.fullmatch(tok.text))) and not tok.is_punct:
                last = j + 1  # "Amicale des Locataires de l'Épeule"
                j += 1
                continue
            if not person and j > i and self._plural_possessive(doc, j):
                j += 1  # "Silverstream Residents' Forum", "Scottish Care Workers' Network": one name
                continue
            if j > i and tok.text in ("-", "‐") and not doc[j - 1].whitespace_ and not tok.whitespace_ \
                    and j + 1 < len(doc) and self._is_cap(doc[j + 1]):
                j += 1  # "Menza-Tech Kft.", "Hewlett-Packard": one hyphenated name
                continue
            if j > i and tok.lower_ in joiners:
                if j + 1 < len(doc) and doc[j + 1].lower_ in self.date_words:
                    break  # "Regional Court Hamm in May": a date, not more of the name
                if person and tok.lower_ in self.particles and sum(
                        1 for t in doc[i:j] if self._is_cap(t) and not t.text.endswith(".")) > 1:
                    break  # "Sanne Bakkum van FitPuls": the particle starts a new phrase
                j += 1
                continue
            break
        return last

    def _plural_possessive(self, doc, k: int) -> bool:
        """Token k is the apostrophe of a plural possessive inside a name: "Tenants' Union" (an s-word right before
        it, a capitalised word right after)."""
        return doc[k].text in ("'", "’") and k + 1 < len(doc) and not doc[k - 1].whitespace_ \
            and doc[k - 1].text.endswith("s") and doc[k].whitespace_ == " " and self._is_cap(doc[k + 1])

    def _compound_title(self, word: str) -> bool:
        """"Liga-juriste", "Noyb-woordvoerder": an organisation's name joined to a person's title; "Strafpleiter",
        "Privacyonderzoeker": a Dutch compound ending in a title of six letters or more."""
        head, _, title = word.rpartition("-")
        if head:
            return title.lower() in self.strip_titles
        low = word.lower()
        return any(low.endswith(t) and len(low) > len(t) + 2 for t in self.long_titles)

    @staticmethod
    def _named_without_article(text: str, s: int, e: int, name: str) -> bool:
        """Whether the story names `name` outside s..e with no capitalised article before it, and not as a surname
        after a given name and a particle ("Marco de Wit": "De Wit" is a name)."""
        return any(not re.search(r"(?:(?<![\w-])(?:The|De|Het)|[A-ZÀ-Þ]\w+ (?:de|van|der|den|het|ter|ten)) $",
                                 text[max(0, o - 30):o])
                   for o, _ in occurrences(text, name, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN) if not s <= o < e)

    def _common_word(self, text: str, word: str) -> bool:
        """A capitalised sentence opener that is an ordinary word: the story writes it in lower case elsewhere, and it
        says nothing about what an organisation is ("Stichting", "Rechtbank") and is no given name."""
        low = word.lower()
        if word == low or low in self.inside.exact or low in self.type_cues.exact or word in self.given_names \
                or low in self.particles:
            return False
        return re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text) is not None

    @staticmethod
    def _sent_initial(doc, i: int) -> bool:
        if i == 0 or doc[i].is_sent_start:
            return True
        prev = doc[i - 1]
        return prev.is_space or prev.text in (".", "!", "?", ":", ";", '"', "“", "'", "‘", "(", "-", "–", "—", "•")

    def _words_before(self, doc, i: int, n: int = 4) -> list[str]:
        out = []
        k = i - 1
        while k >= 0 and len(out) < n:
            tok = doc[k]
            if tok.is_punct or tok.is_space:
                break
            out.append(tok.lower_)
            if tok.is_sent_start:
                break
            k -= 1
        return out[::-1]

    def _rule_candidates(self, doc) -> list[dict]:
        # the helpers below only index, slice and measure `doc`: a list of its tokens does the same, without
        # making a new Token object on every doc[i] (this walk reads ~5 per word)
        doc = list(doc)
        out = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if _DOMAIN_NAME.fullmatch(tok.text):
                cue = self.type_cues.match_tail(self._words_before(doc, i))
                if cue and cue[0] == "company":  # "webwinkel notebooksbilliger.de"
                    out.append(self._cand(doc, i, i + 1, "company", "cue", 1))
                i += 1
                continue
            if not self._is_cap(tok) or tok.is_punct:
                i += 1
                continue
            before = self._words_before(doc, i)
            head = None
            if before and before[-1] in self.name_heads:
                head = (i - 1, self.name_heads[before[-1]])
            elif len(before) >= 2 and i >= 2 and doc[i - 2].text == "sud" and doc[i - 1].text == "u":
                head = (i - 2, "court")  # "Upravni sud u Splitu" (only lower case: "Sud Ouest", "SUD Rail" are no courts)
            elif len(before) >= 2 and before[-2] in self.name_heads and (before[-1] in ("van", "in", "te", "i", "v")
                                                                          or _SEAT_LINK_OF_HEAD.get(before[-2]) == before[-1]) \
                    and not (before[-1] == "in" and doc[i - 2].text.islower()):
                # ("rechtbank van Oslo" is a name, "de rechtbank in Hannover" only says where a court sits)
                head = (i - 2, self.name_heads[before[-2]])
            if head and head[1] == "court" and head[0] > 0 and doc[head[0] - 1].lower_ in self.court_kind_words \
                    and self._is_cap(doc[head[0] - 1]):
                head = (head[0] - 1, head[1])  # "Okresní soud v Jihlavě", "Okrajno sodišče v Kranju": the court's level
            if head:
                end = self._cap_run(doc, i, person=True)
                if end > i:
                    out.append(self._cand(doc, head[0], end, head[1], "cue", 0))
                    i = end
                    continue
            # "Asantewaa Specialist Hospital": a title word inside an organisation's name introduces no person
            title = self.title_cues.match_tail(before) if not self._descriptor_word(tok.lower_) else None
            cue = self.type_cues.match_tail(before)
            if title and (not cue or title[1] >= cue[1]):
                end = self._cap_run(doc, i, person=True)
                if end > i:
                    out.append(self._cand(doc, i, end, "person", "title", 1))
                    i = end
                    continue
            if cue:
                end = self._cap_run(doc, i, person=False)
                if end > i:
                    start = i if title else self._name_start(doc, i - cue[1], i)
                    out.append(self._cand(doc, start, end, cue[0], "cue", 1))
                    i = end
                    continue
            # a full name introduced with its acronym: "Koninklijke Nederlandse Lawn Tennisbond (KNLTB)"
            end = self._cap_run(doc, i, person=False)
            if (end - i >= 2 and end + 2 < n and doc[end].text == "(" and doc[end + 2].text == ")"
                    and _ACRONYM.fullmatch(doc[end + 1].text) and doc[end + 1].text[0] == tok.text[0]
                    and sum(ch.isupper() for ch in doc[end + 1].text) >= 2):
                out.append(self._cand(doc, i, end, None, "acronym", 1, label="org"))
                i = end
                continue
            # Legal-form suffix: "Acme Data B.V." (the same capitalised run as above)
            if end - i >= 2 and doc[end - 1].text in self.suffixes:
                out.append(self._cand(doc, i, end, "company", "suffix", 1))
                i = end
                continue
            # "Stichting Acme"
            if tok.lower_ in self.legal_form_heads and end - i >= 2:
                out.append(self._cand(doc, i, end, self.legal_form_heads[tok.lower_], "cue", 1))
                i = end
                continue
            i += 1
        return out

    def _name_start(self, doc, cue_start: int, i: int) -> int:
        """Where a name starts when a type cue stands right before token i. A cue written with capitals inside a
        sentence is part of the name ("de Universiteit Twente", "the Royal Free London NHS Foundation Trust"): the
        name then starts with the capitalised words before it. A lower-case or sentence-opening cue is not."""
        cue_toks = doc[cue_start:i]
        if not len(cue_toks) or not all(self._is_cap(t) for t in cue_toks) or self._sent_initial(doc, cue_start):
            return i
        start = cue_start
        while start > 0 and self._is_cap(doc[start - 1]) and not doc[start - 1].is_punct \
                and not self._sent_initial(doc, start) and not doc[start - 1].text.endswith(("'s", "’s")):
            start -= 1
        return start

    def _cand(self, doc, i, j, typ, src, prio, label=None) -> dict:
        return {"start": doc[i].idx, "end": doc[j - 1].idx + len(doc[j - 1].text), "kb": None, "type": typ,
                "src": src, "prio": prio, "label": label, "tok": (i, j)}

    def _ner_candidates(self, doc) -> list[dict]:
        out = []
        spans: list[list] = []  # [start token, end token, kind]
        text = doc_text(doc)
        acts: dict[str, bool] = {}  # name -> whether it acts like a party (one pass over the text per name)
        for ent in doc.ents:
            kind = self.ner_labels.get(ent.label_)
            if kind is None and ent.label_ in ("GPE", "LOC") and ent.text not in self.all_places:
                if ent.text not in acts:
                    acts[ent.text] = bool(_ACTS.search(_speech_window(text, ent.text)))
                if acts[ent.text]:
                    kind = "org"  # "a complaint against Bumble", "Bumble itself does not claim consent": a place acts not
            if kind is None:
                continue
            prev = spans[-1] if spans else None
            if prev is not None and prev[1] == ent.start and doc[prev[1] - 1].whitespace_ == " " \
                    and doc[ent.start].text[:1].isupper() \
                    and (prev[1] - prev[0] == 1 or doc[ent.start].lower_ in self.particles
                         or prev[2] == kind == "person" or self._plural_possessive(doc, prev[1] - 1)):
                # "Luigi" (ORG) right before "Di Maio" (PER), "FNV-bestuurder Karim" (PER) before "Benali" (PER),
                # "The Scottish Care Workers'" before "Network": one name the tagger cut in two
                prev[1] = ent.end
                prev[2] = "person" if "person" in (prev[2], kind) else prev[2]
                continue
            if prev is not None and prev[1] + 1 == ent.start and doc[prev[1]].text in ("-", "‐") \
                    and not doc[prev[1] - 1].whitespace_ and not doc[prev[1]].whitespace_:
                prev[1] = ent.end  # "Menza" + "-" + "Tech Kft.": one hyphenated name
                prev[2] = "org" if "org" in (prev[2], kind) else prev[2]
                continue
            if prev is not None and prev[1] + 1 == ent.start and kind == "org" and doc[prev[1]].text in ("'s", "’s") \
                    and doc[prev[1] - 1].lower_.endswith(("men", "children", "people")):
                prev[1], prev[2] = ent.end, "org"  # "State Policemen's" + "Benevolent Association": one name
                continue
            spans.append([ent.start, ent.end, kind])
        for span in spans:
            # "the Centro Hospitalar" (ORG) + "Barreiro Montijo": a name ending in a type word goes on with the
            # capitalised words the tagger left out
            if (span[2] == "org" or span[1] - span[0] == 1) and doc[span[1] - 1].lower_ in self.inside.exact:
                k = span[1]
                while k < len(doc) and k - span[1] < 3 and doc[k - 1].whitespace_ and doc[k].is_title \
                        and doc[k].is_alpha and not doc[k].ent_type_ and not doc[k].is_sent_start \
                        and doc[k].lower_ not in self.date_words and doc[k].lower_ not in self.strip_titles:
                    k += 1
                span[1] = k
        for span in spans:
            # "heeft Tweede Kans Telecom" tagged as "Kans Telecom": a capitalised word inside a sentence right before
            # an organisation's name is the start of that name
            k = span[0] - 1
            if k >= 0 and doc[k].is_title and doc[k].is_alpha and doc[k].whitespace_ \
                    and not doc[k].ent_type_ and (not self._sent_initial(doc, k) or text.count(
                        doc[k:span[1]].text) > 1) \
                    and doc[k].lower_ not in self.not_name_words \
                    and norm(doc[k].text) not in self.reject and doc[k].text not in self.all_places:
                span[0] = k
        for span in spans:
            if span[2] != "person":
                self._join_across_connectors(doc, span)
        for start, end, kind in spans:
            out.append(self._cand(doc, start, end, None, "ner", 2, label=kind))
        return out

    def _speaker_candidates(self, doc) -> list[dict]:
        """A one-word name the story repeats and lets speak ("Kroost bestrijdt dat ...", "volgens Kroost"), which the
        tagger left out: the tagger learned from the corpus that an app or a product is no actor, but one that speaks
        is the firm behind it. Filtered like the tagger's names (`_clean`), after them."""
        text = doc_text(doc)
        out = []
        for k, tok in enumerate(doc):
            if not (tok.is_alpha and tok.is_title and len(tok.text) > 2) or tok.ent_type_ \
                    or tok.text in self.given_names or norm(tok.text) in self.reject:
                continue
            if not (_SPEECH_AFTER.match(text, tok.idx + len(tok.text))
                    or _SPEECH_BEFORE.search(text, max(0, tok.idx - 20), tok.idx)):
                continue
            if k > 0 and doc[k - 1].is_title and not self._sent_initial(doc, k):
                continue  # the last word of a longer name ("Harlow Analytics denied")
            if len(list(occurrences(text, tok.text, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN))) < 2 \
                    or self._common_word(text, tok.text):
                continue
            out.append(self._cand(doc, k, k + 1, None, "ner", 2, label="org"))
        return out

    def _join_across_connectors(self, doc, span: list) -> None:
        """"de Agencia de Protección de Datos Personales" tagged as "Protección" and "Datos Personales": an
        organisation's name goes on across a linking word ("de", "of", "für", "i") when capitalised words stand on
        both sides. Coordinating words ("en", "and") join two names, never one."""
        words = [doc[k].lower_ for k in range(span[0], span[1])]
        court = any(w in self.seat_court_heads for w in words)

        def name_word(k: int) -> bool:
            t = doc[k]
            if _ELIDED_NAME.fullmatch(t.text):
                return True
            return (t.is_title and t.is_alpha and t.lower_ not in self.not_name_words
                    and t.lower_ not in self.date_words and (court or t.text not in self.all_places))
        if self._takes_court_kind_words(words):
            while span[1] < len(doc) and doc[span[1]].lower_ in self.court_kind_words and doc[span[1]].text.islower() \
                    and doc[span[1] - 1].whitespace_:
                span[1] += 1
        def right_types(link: str) -> tuple[str, ...]:
            if not court:
                return ("", "ORG")
            # a court's seat after any link ("Court of Appeal of Paris"); a word the tagger took for a person only
            # after a Romance or Slavic one ("Curtea de Apel Cluj"), never "the Court of Appeal for Maria Lopez"
            return ("", "ORG", "GPE", "LOC", "PER", "PERSON") if link in _SEAT_LINKS else ("", "ORG", "GPE", "LOC")
        while span[0] >= 2 and doc[span[0] - 1].lower_ in _NAME_LINKS and doc[span[0] - 1].text.islower() \
                and name_word(span[0] - 2) and not self._sent_initial(doc, span[0] - 2) \
                and doc[span[0] - 2].ent_type_ in ("", "ORG"):
            span[0] -= 2
        seat_links = {_SEAT_LINK_OF_HEAD[w] for w in words if w in _SEAT_LINK_OF_HEAD}
        while span[1] + 1 < len(doc) and (doc[span[1]].lower_ in _NAME_LINKS or doc[span[1]].lower_ in seat_links) \
                and doc[span[1]].text.islower() \
                and name_word(span[1] + 1) and doc[span[1] + 1].ent_type_ in right_types(doc[span[1]].lower_):
            k = span[1] + 2
            while k < len(doc) and k - span[1] < 4 and name_word(k) and doc[k - 1].whitespace_:
                k += 1
            span[1] = k

    # ------------------------------------------------------------------ cleaning and typing
    def _clean(self, doc, cand: dict) -> tuple[int, int] | None:
        text = doc_text(doc)
        s, e = cand["start"], cand["end"]
        i, j = cand["tok"]
        # strip leading articles, trailing possessive and punctuation
        while True:
            m = re.match(r"(?:the|de|het|een|a|an)\s+", text[s:e])
            if m is None and self._sent_initial(doc, i) and (art := re.match(r"(?:The|De|Het)\s+", text[s:e])):
                # "De Staatsanwaltschaft Berlin" opening a sentence; inside one ("Zwembad De Blauwe Golf", "volgens
                # De Blauwe Golf") a capitalised article is part of the name. A two-word name ("De ODPC legde ...")
                # loses it only when the story also names it without one ("bij de ODPC"; "De Telegraaf" keeps it)
                if len(text[s:e].split()) >= 3 or self._named_without_article(text, s, e, text[s + art.end():e]):
                    m = art
            if m is None:
                # "Voor VoetbalTV komt ...", "Volgens Acme ...": a sentence-opening word is no part of the name
                lead = re.match(r"([^\W\d_]+)\s+(?=\S)", text[s:e])
                if lead and lead.group(1).lower() in self.leading:
                    m = lead
                elif lead and cand["src"] == "ner" and s == cand["start"] and self._sent_initial(doc, i) \
                        and self._common_word(text, lead.group(1)):
                    m = lead  # "Honderden Bulgaren ...", "Geeft Craobh ...": a word the story also writes in lower case
            if m is None:
                break
            s += m.end()
        m = re.search(r"(?:['’]s|['’])$", text[s:e])
        if m:
            e = s + m.start()
        elif self.lang == "nl" and re.fullmatch(r"[A-ZÀ-Þ]\w+s", text[s:e]) and re.match(r" [a-z]", text[e:e + 2]) \
                and not _SPEECH_AFTER.match(text, e) and text[s:e - 1] not in self.given_names \
                and re.search(_CAP + r"[\w'’-]+ " + re.escape(text[s:e - 1]) + r"(?![\w-])(?! " + _CAP + ")", text):
            # Dutch possessive without apostrophe: "Moloneys klacht" is Moloney's, whose full name ends in it ("Declan
            # Moloney"); not "Peters zegt" (a surname in -s) nor "Willems" beside "Willem van Oranje"
            e -= 1
        while e > s and not (text[e - 1].isalnum() or text[s:e].endswith(tuple(self.suffixes))):
            e -= 1
        # a title is no part of the name: "Justice Aoife Keane", "Mevrouw Karin Smit"
        while True:
            t = re.match(r"([^\W\d_][\w-]*)\.?\s+(?=[A-ZÀ-Þ])", text[s:e])
            if t is None or not (t.group(1).lower() in self.strip_titles or self._compound_title(t.group(1))):
                break
            if text[s:e].split()[-1].lower() in self.court_heads:
                break  # "Sheriff Appeal Court", "Magistrates' Court": the title word names the court
            s += t.end()
        # a capitalised particle the tagger left out belongs to the name: "Van Dalen Logistiek", "Ter Horst"
        if cand["src"] == "ner":
            part = re.search(r"(?<![\w-])([A-Z][a-z]+) $", text[max(0, s - 8):s])
            if part and part.group(1) in self.leading_particles:
                s -= len(part.group(0))
        # an honorific is part of the name: "Lord Leggatt", "Sir Tim Berners-Lee"
        hon = re.search(r"(?<![\w-])([A-Z][a-z]+) $", text[max(0, s - 12):s])
        if hon and hon.group(1) in self.name_titles:
            s -= len(hon.group(0))
        words = text[s:e].split()
        while len(words) >= 2 and words[-1] in self.currency_codes:
            e = s + text[s:e].rindex(words[-1]) - 1  # "Swedish Police Authority SEK 2.5 million"
            words = words[:-1]
        while e > s and text[e - 1].isspace():
            e -= 1
        if (cand.get("type") or cand.get("label")) != "person":
            body = re.match(r" ([a-z]+)\b", text[e:e + 20])
            if body and body.group(1) in self.place_body_words:
                e += body.end()  # "Skellefteå municipality": the local authority, not the place
        surface = text[s:e]
        if not surface or "\n" in surface or ";" in surface or len(surface) > self.max_chars:
            return None
        words = surface.split()
        if len(words) > self.max_words or not any(ch.isalpha() for ch in surface):
            return None
        if re.search(r"\d\s*\(\s*\d", surface):
            return None  # "5(1)(c": a provision from a list of articles, "Articles 5(1)(a), 5(1)(c)"
        if not (surface[0].isupper() or surface[0].isdigit() or words[0].lower() in self.name_heads
                or _DOMAIN_NAME.fullmatch(surface)):
            return None
        if surface[0].islower() and len(words) >= 2 and words[1] == "in":
            return None  # "het ministerie in Den Haag": where a body sits, not its name
        if re.search(r"(?<![\w-])(?:minister|staatssecretaris|secretary|minister-president)\s+(?:van|voor|of|for)\s+$",
                     text[max(0, s - 40):s], re.IGNORECASE):
            return None  # "de minister van Financiën": a portfolio, not an actor
        if norm(surface) in self.reject or all(norm(w) in self.reject for w in words) or surface in self.currency_codes:
            return None
        if any(w in ("Act", "Wet") and k > 0 and words[k + 1].lower() in ("on", "of", "for", "op")
               for k, w in enumerate(words[:-1])):
            return None  # "Federal Act on Data Protection": a law
        if self.lang == "nl" and _DUTCH_PLACE_ADJECTIVE.fullmatch(words[-1]) and len(words) <= 2 \
                and all(w in ("De", "Het", "Een") for w in words[:-1]) and _LOWER_WORD_NEXT.match(text, e):
            return None  # "De Bordelese burgerrechtenorganisatie", "de Groningse nachtclub": where it is from
        # "Data Protection Act 2018", "Data Protection Principle 1": a law or a provision with its year or number
        named = words[:-1] if len(words) >= 2 and re.fullmatch(r"\d{1,4}", words[-1]) else words
        if norm(words[0]) in self.reject_first or norm(named[-1]) in self.reject_last \
                or (len(words) >= 2 and norm(words[-1]).endswith(self.reject_last_endings)) \
                or (len(words) == 1 and len(words[0]) > 6 and norm(words[0]).endswith(self.reject_single_endings)) \
                or (len(words) == 1 and words[0].lower().endswith(self.reject_group_endings)):
            return None  # a law, a citation, a register or a system ("Centraal Krediet Informatiesysteem")
        prev = re.search(r"(?:(\S+)\s+)?(\S+)\s+$", text[max(0, s - 60):s])
        if prev and (norm(prev.group(2) + " " + surface) in self.reject
                     or norm((prev.group(1) or "") + " " + prev.group(2) + " " + surface) in self.reject):
            return None  # "Verenigde Staten", "Europese Economische Ruimte"
        if words[-1].lower() in self.place_heads:
            # a court's seat after "in" is part of its name in English ("Regional Court in Łódź"), not for the
            # courts a country has one of ("High Court in Nairobi", "Circuit Court in Limerick": the corpus names
            # them without the town) nor in Dutch, where "in" only says where it sits
            one_court = " ".join(words[-2:]).lower() in self.single_courts
            preps = ("i|of|van|te" if self.lang == "nl" or one_court else "in|i|of|van|te") \
                if words[-1].lower() in self.court_heads else "of|van"
            # "US District Court for the Southern District of Ohio", "Court of Appeals for the Ninth Circuit"
            ext = (words[-1].lower() in self.court_heads and _US_COURT_SEAT.match(text, e)) or \
                re.match(r"\s+(?:" + preps + r")\s+" + _CAP + r"[\w'’-]+(?:\s" + _CAP + r"[\w'’-]+)?", text[e:e + 60])
            if ext:
                e = ext.end() if ext.re is _US_COURT_SEAT else e + ext.end()
                us = ext.re is _US_COURT_SEAT and re.search(r"(?:US|U\.S\.|United States) $", text[max(0, s - 14):s])
                if us:
                    s -= len(us.group())  # "US District Court for ...": the country is part of the court's name
                surface = text[s:e]
                words = surface.split()
        if cand["src"] in ("ner", "cue") and len(words) >= 3 and words[-2] == "in" and words[-1][:1].isupper() \
                and (cand.get("type") or cand.get("label")) != "person" and words[-3].lower() not in self.court_heads:
            # "Hogeschool IJsselland in Deventer": where it is, not its name (a court's seat stays)
            e = s + surface.rindex(" in ")
            surface = text[s:e]
            words = surface.split()
        tail = None
        if len(words) >= 2 and (cand.get("type") or cand.get("label")) != "person":
            # "Tribunal Administrativo e Fiscal do Porto": a Romance name goes on after "e", "do", "di", "y" ...
            tail = _ROMANCE_TAIL.match(text, e)
            if tail:
                e = tail.end()
                surface = text[s:e]
                words = surface.split()
        joiners = self.particles if (cand.get("type") or cand.get("label")) == "person" else self.connectors
        kind_words = self._takes_court_kind_words([w.lower() for w in words])
        for w in words[1:]:
            if not (w[0].isupper() or w[0].isdigit() or w.lower() in joiners or w.lower() in self.particles
                    or w in self.suffixes or not w[0].isalpha() or (tail and w in _ROMANCE_JOINERS)
                    or (w == words[-1] and w in self.place_body_words) or _ELIDED_NAME.fullmatch(w)
                    or (kind_words and w in self.court_kind_words)
                    or (kind_words and w in self.seat_court_heads)
                    or any(_SEAT_LINK_OF_HEAD.get(x.lower()) == w for x in words)):  # "Okresní soud v Jihlavě"
                return None
        if words[-1].lower() in self.connectors | self.particles and not (len(words[-1]) == 1 and words[-1].isupper()):
            return None  # a name does not end in "of" or "van" ("Landgericht München I" does end in a numeral)
        if _MONEY_NAME.fullmatch(surface):
            return None  # "BGN 7,400", "EUR 2 million": an amount the tagger took for a name
        if words[0] in ("General", "general") and _TITLE_HEAD_BEFORE.search(text, max(0, s - 16), s):
            if len(words) == 1:
                return None
            s += len(words[0]) + 1  # "(Attorney) General Letitia James": the person is Letitia James
            surface = text[s:e]
            words = surface.split()
        if cand["src"] == "ner" and len(words) == 1 and surface.isupper() and len(surface) >= 2:
            # "duplicate SIM cards", "a new SIM card": an acronym between a describing word and a noun, wherever it
            # occurs, names a kind of thing, not an actor
            uses = list(occurrences(text, surface, _WORD_OR_HYPHEN, _WORD_OR_HYPHEN))
            if uses and all(re.search(r"(?<![\w-])[a-zà-ÿ][\w-]+ $", text[max(0, us - 30):us])
                            and not re.search(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(self.articles | self.connectors)))
                                              + r"|by|door|to|aan|from|with|met|at|bij|against|tegen) $",
                                              text[max(0, us - 30):us], re.I)
                            and _LOWER_WORD_NEXT.match(text, ue) for us, ue in uses):
                return None
        if cand["src"] == "ner" and len(words) == 1 and surface.isupper() and len(surface) >= 2 and re.search(
                r"(?<![\w-])[a-zà-ÿ][\w-]* \(\s?" + re.escape(surface) + r"\s?\)", text):
            return None  # "automatic content recognition (ACR)": the text spells the acronym out as a thing
        if cand["src"] == "ner" and len(words) == 1:
            tok = doc[i]
            if surface.isdigit() or surface in self.all_places:
                return None  # a number, or a place the tagger took for a name ("A Cork delivery company")
            if text.startswith("-based", e):
                return None  # "the Vilnius-based marketplace"
            if surface in self.towns and (
                    (re.search(r"(?<![\w-])(?:a|an|the|A|An|The|een|de|het|Een|De|Het)\s+$", text[max(0, s - 5):s])
                     and _LOWER_WORD_NEXT.match(text, e))
                    or re.search(r"(?<![\w-])(?:from|in|near|uit|te|nabij)\s+$", text[max(0, s - 8):s])):
                return None  # "a Nottingham parcel firm", "an engineer from Kallithea": a town, whatever follows
            if _PLACE_BEFORE.search(text[max(0, s - 40):s]) and \
                    self._type_from_context(doc, {"start": s, "end": e, "label": None}) is None:
                return None  # "de winkel in Sarstedt", "een ingenieur uit Schwaz": a bare name there is a place
            low = surface.lower()
            if " " not in surface and (low in self.inside.exact or low in self.type_cues.exact) and (
                    self._sent_initial(doc, i) or re.match(r" [A-ZÀ-Þ]", text[e:e + 2])):
                return None  # "Vakbond FNV, die ...": the word that says what an organisation is, not its name
            if self._sent_initial(doc, i):
                # a capitalised sentence opener is kept only if the word recurs inside a sentence
                again = [hs for hs, _ in occurrences(text, surface, _WORD_OR_HYPHEN, _NOT_AFTER)
                         if hs != s and not re.search(r"(?:^|[.!?:\n\"“]\s*)$", text[max(0, hs - 3):hs])]
                if not again and self._type_from_context(doc, {"start": s, "end": e, "label": None}) is None:
                    return None
        return s, e

    def _not_a_person(self, name: str) -> str | None:
        """The type of a name the tagger calls a person but no person bears: one with a digit ("Taxa 4x35") is a
        company, one ending in an organisation compound ("Algemene Onderwijsbond", "Klaverbank") that compound's type."""
        if any(ch.isdigit() for ch in name) or self._has_legal_form(name):
            return "company"  # "Szívhíd Kft.": a legal form
        last = name.split()[-1].lower() if name.split() else ""
        if any(last.endswith(e) and len(last) > len(e) + 2 for e in self.org_compound_endings):
            typ = self.inside.match_tail([last]) or self.type_cues.match_tail([last])
            return typ[0] if typ is not None else None
        return None

    def _has_legal_form(self, name: str) -> bool:
        """A name of two words or more ending in a legal form ("Szívhíd Kft", "Acme B.V.")."""
        words = name.split()
        return len(words) >= 2 and words[-1] in self.suffixes

    def _tagged_surnames(self, doc, actors: list[dict]) -> set[str]:
        """Names of two or three capitalised words, not in the knowledge base, whose last word the name tagger calls a
        person where it stands alone elsewhere in the story ("Sanne Pijnenburg" ... "Volgens Pijnenburg"): a person's
        full name, whatever label the full name got."""
        alone = {e.text for e in doc.ents if self.ner_labels.get(e.label_) == "person" and " " not in e.text}
        # ... or that an honorific puts before it ("Desislava Koleva" ... "Ms Koleva")
        alone |= {m.group(1) for m in _HONORIFIC_NAME.finditer(doc_text(doc))}
        out = set()
        for g in actors:
            words = g["name"].split()
            if not g["kb"] and 2 <= len(words) <= 3 and words[-1] in alone and not self._has_legal_form(g["name"]) \
                    and all(w[:1].isupper() for w in words) \
                    and not any(_CAMEL.search(w) for w in words):
                out.add(g["name"])
        return out

    def _takes_court_kind_words(self, lowered: list[str]) -> bool:
        """A court's name that goes on across a lowercase kind word ("Tribunal judiciaire"); an English "Court" does
        not ("the Supreme Court administrative chamber")."""
        return any(w in self.seat_court_heads for w in lowered) and "court" not in lowered

    def _given_full_name(self, name: str) -> bool:
        """ "Bence Halmai", "Katalin Vörös": two or three capitalised words opening with a common given name, with no
        word of a firm's name in it ("Tallgrass Interactive")."""
        words = name.split()
        return 2 <= len(words) <= 3 and words[0] in self.given_names and all(w[:1].isupper() for w in words) \
            and words[-1].lower() not in self.company_last_words and words[-1] not in self.suffixes \
            and not any(self._descriptor_word(w.lower()) for w in words[1:])

    def _type_from_context(self, doc, m: dict) -> str | None:
        """Type from words inside the name, a descriptor/title right before it, or an apposition after it."""
        text = doc_text(doc)
        surface = text[m["start"]:m["end"]]
        words = [w.lower() for w in surface.split()]
        if words and surface.split()[-1] in self.suffixes:
            return "company"
        if len(words) >= 2 and words[0] in self.legal_form_heads:
            return self.legal_form_heads[words[0]]
        is_acronym = len(words) == 1 and sum(ch.isupper() for ch in surface) >= 2 and surface.upper() == surface
        if m.get("label") == "person" and len(words) == 2 and words[-1] in self.company_last_words:
            return "company"  # "Tallgrass Interactive", "Lumora Ads" tagged as people
        if m.get("label") == "person" and (typ := self._not_a_person(surface)):
            return typ
        if m.get("label") == "person" and len(words) >= 2 and words[0] in self.inside.exact:
            return self.inside.exact[words[0]]  # "Waterschap Eemvallei", "Zwembad De Blauwe Golf" tagged as people
        if m.get("label") != "person" or is_acronym or len(words) >= 3:
            low = " " + " ".join(words) + " "
            best = None
            for cue, typ in self.inside.exact.items():
                if " " + cue + " " in low and (best is None or len(cue) > len(best[0])):
                    best = (cue, typ)
            if best is None:
                for w in words:
                    for suf, typ in self.inside.suffix:
                        if w.endswith(suf):
                            best = (suf, typ)
                            break
                    if best:
                        break
            if best:
                return best[1]
        span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
        if span is None:
            return None
        before = self._words_before(doc, span.start)
        if not before or before == [doc[span.start - 1].lower_] and doc[span.start - 1].lower_ in self.articles:
            # "the competition authority, the Bundeskartellamt"
            k = span.start - len(before) - 1
            if k > 0 and doc[k].text == ",":
                before = self._words_before(doc, k)
        if len(before) >= 2 and before[-1] == "of" and before[-2] in self.government_of:
            return "government"  # "the municipality of Holmbæk", "the town of Castelverde": the local authority
        title = self.title_cues.match_tail(before)
        cue = self.type_cues.match_tail(before)
        if title and (not cue or title[1] >= cue[1]):
            return "person"
        if cue:
            return cue[0]
        if before and before[-1] in self.product_nouns_before:
            return "product"  # "its online game Skyforge", "the scanning device, the Orb"
        # apposition: "Acme, a Dutch data broker" / "Acme, een Brits techbedrijf"
        k = span.end
        if self._product_apposition(doc, k):
            return "product"
        if k + 2 < len(doc) and doc[k].text == ",":
            words_after = []
            first = k + 2 if doc[k + 1].lower_ in self.articles else k + 1
            owner_type = None  # "the company's general counsel": the type of whom a person works for
            for tok in doc[first: first + 7]:
                if tok.text in ("-", "–") and not doc[tok.i - 1].whitespace_ and not tok.whitespace_:
                    continue  # "Borealis Mobile, a Calgary-based wireless carrier": the hyphen joins a word
                if tok.is_punct and tok.lower_ not in ("'s", "’s") or len(words_after) == 5:
                    break
                words_after.append(tok.lower_)
                hit_title = self.title_cues.match_tail(words_after[:1])
                hit = self.type_cues.match_tail(words_after)
                if hit_title and first == k + 1:
                    return "person"  # "Tobias Judin, hoofd internationaal bij ..."
                if hit and first == k + 2 and owner_type is None:
                    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("'s", "’s"):
                        owner_type = hit[0]  # a title may follow ("Rachel Moss, the company's general counsel")
                        continue
                    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                    if nxt is not None and not nxt.is_punct and self.title_cues.match_tail(words_after + [nxt.lower_]):
                        return "person"  # the cue only qualifies a title: "X, a secondary-school teacher"
                    return hit[0]
                if first == k + 2 and self.title_cues.match_tail(words_after):
                    return "person"  # "Herbert Moosbrugger, een gepensioneerde ingenieur", "X, a schoolteacher"
            return owner_type  # "Ribera Seguros, the bank's insurance arm"
        return None

    def _plain_person_name(self, name: str) -> bool:
        """Two or three capitalised words, none of which says what an organisation is ("Anna de Groot")."""
        words = name.split()
        capitalised = [w for w in words if w.lower() not in self.particles]
        return (2 <= len(capitalised) <= 3 and all(w[0].isupper() and w[1:].islower() for w in capitalised)
                and not any(self._descriptor_word(w.lower()) for w in words))

    def _descriptor_word(self, word: str) -> bool:
        """A word that says what an organisation is ("universiteit", "stichting", "court"), not a name."""
        return (word in self.inside.exact or word in self.type_cues.exact or word in self.name_heads
                or word in self.legal_form_heads or self.type_cues.match_tail([word]) is not None)

    def _product_apposition(self, doc, k: int) -> bool:
        """"Streams, an app meant to spot ...": a name introduced as a product (a bare product noun after an
        indefinite article) is no actor; "Acme, an app developer" (the noun goes on into a cue) still is."""
        if not (k + 3 < len(doc) and doc[k].text == "," and doc[k + 1].lower_ in ("a", "an", "een")
                and doc[k + 2].lower_ in self.product_nouns):
            return False
        nxt = doc[k + 3].lower_
        longer = self.type_cues.match_tail([doc[k + 2].lower_, nxt])
        return not (longer and longer[1] == 2) and self.type_cues.match_tail([nxt]) is None

    # ------------------------------------------------------------------ clustering
    def _cluster(self, text: str, mentions: list[dict], take) -> list[dict]:
        # acronyms introduced in brackets right after a mention: "Autoriteit Persoonsgegevens (AP)"
        alias_to_mention: dict[str, dict] = {}
        for m in sorted(mentions, key=lambda m: m["start"]):
            after = text[m["end"]:m["end"] + 16]
            am = re.match(r"\s?\(\s?(" + _ACRONYM.pattern + r")\s?\)", after)
            if am and sum(ch.isupper() for ch in am.group(1)) >= 2:
                alias_to_mention.setdefault(am.group(1), m)
        for acr, owner in alias_to_mention.items():
            known = self.strong.get(acr)
            if owner.get("kb") is None and known is not None and any(
                    m.get("kb") == known and text[m["start"]:m["end"]] != acr for m in mentions):
                # "Poland's data protection authority ... the Personal Data Protection Office (UODO)": the acronym
                # is the knowledge base's name of an actor the story also names otherwise, so the spelled-out
                # name is that actor too (not a second, unknown one holding all its acronym mentions)
                owner["kb"] = known
            for s, e in occurrences(text, acr):
                clash = [m for m in mentions if m["start"] < e and s < m["end"]]
                if clash and all(c["start"] == s and c["end"] == e for c in clash):
                    for c in clash:  # an acronym the text itself defines wins over a KB guess
                        c.update(kb=owner["kb"], link=owner)
                elif not clash:
                    take({"start": s, "end": e, "kb": owner["kb"], "type": owner.get("type"), "src": "acronym",
                          "link": owner, "label": owner.get("label")})

        self._link_bracketed_names(text, mentions)

        # group: KB actors by id; others by normalised name
        groups: dict[str, dict] = {}
        order: list[str] = []

        def key_of(m):
            if m.get("kb"):
                return "kb:" + m["kb"]
            if m.get("link") is not None:
                return key_of(m["link"])
            return "n:" + norm(text[m["start"]:m["end"]])

        for m in sorted(mentions, key=lambda m: m["start"]):
            k = key_of(m)
            if k not in groups:
                groups[k] = {"kb": m.get("kb"), "mentions": [], "types": [], "labels": []}
                order.append(k)
            g = groups[k]
            g["mentions"].append(m)
            if m.get("type"):
                g["types"].append(m["type"])
            if m.get("label"):
                g["labels"].append(m["label"])

        actors = [groups[k] for k in order]
        for g in actors:
            g["surfaces"] = [text[m["start"]:m["end"]] for m in g["mentions"]]
            if g["kb"]:
                row = self.by_id[g["kb"]]
                g["name"], g["type"] = row["name"], row["type"]
            else:
                g["name"] = max(g["surfaces"], key=lambda s: (len(s.split()), len(s)))
                g["type"] = None
        return actors

    def _short_forms(self, g: dict) -> set[str]:
        """An organisation's names without their legal form: "Luka" for "Luka Inc." (knowledge-base actors too)."""
        shorts = set()
        for surface in {g["name"], *g.get("surfaces", [])}:
            words = surface.split()
            if len(words) >= 2 and words[-1] in self.suffixes:
                short = " ".join(words[:-1]).rstrip(",")
                if len(short) >= 3 and norm(short) not in self.reject:
                    shorts.add(short)
        return shorts

    @staticmethod
    def _joinable(h: dict) -> bool:
        """Whether a group may join a longer organisation name as a short form of it: not a knowledge-base actor, and
        no person unless only the tagger said so (a short form NER took for a person, "Schufa" after "Schufa
        Holding", is still the organisation)."""
        return not h["kb"] and (h["type"] != "person" or h.get("typed_by") == "label")

    def _merge_short_forms(self, actors: list[dict], merged: set[int]) -> None:
        """Join to an organisation the groups that are its name without the legal form ("Luka Inc." ... "Luka
        said"), an abbreviation of its first word ("PwC Business Solutions") or its initials ("British Airways" ...
        "BA"): one actor, not two. An acronym joins only when one organisation in the story has those initials."""
        orgs = [(gi, g) for gi, g in enumerate(actors) if gi not in merged and g["type"] != "person"]
        for gi, g in orgs:
            if gi in merged:
                continue  # joined to another one above: its mentions went there
            shorts = self._short_forms(g)
            for hj, h in enumerate(actors):
                if hj != gi and hj not in merged and self._joinable(h) and (
                        h["name"] in shorts or _abbreviates(h["name"].split(), g["name"].split())):
                    g["mentions"].extend(h["mentions"])
                    merged.add(hj)
        for hj, h in enumerate(actors):
            name = h["name"]
            if hj in merged or not self._joinable(h) or not (2 <= len(name) <= 5 and name.isalpha() and name.isupper()):
                continue
            owners = [gi for gi, g in orgs if gi != hj and gi not in merged and self._initials(g["name"]) == name]
            if len(owners) == 1:
                actors[owners[0]]["mentions"].extend(h["mentions"])
                merged.add(hj)

    def _initials(self, name: str) -> str:
        """"BA" for "British Airways": the first letters of the capitalised words (connectors left out)."""
        words = [w for w in name.split() if w.lower() not in self.connectors]
        if len(words) < 2 or not all(w[:1].isupper() for w in words):
            return ""
        return "".join(w[0] for w in words)

    @staticmethod
    def _link_bracketed_names(text: str, mentions: list[dict]) -> None:
        """An organisation's name in its own language in brackets right after the translated one is the same
        body: "Estonia's Data Protection Inspectorate (Andmekaitse Inspektsioon)". Only names of two or more
        words, and never a person's ("Jan de Vries (CDA)" names his party): a knowledge-base mention keeps its
        id and the other joins it."""
        by_start = {m["start"]: m for m in mentions}
        for m in sorted(mentions, key=lambda m: m["start"]):
            opened = re.match(r"\s?\(\s?", text[m["end"]:m["end"] + 3])
            inner = by_start.get(m["end"] + opened.end()) if opened else None
            if inner is None or not re.match(r"\s?\)", text[inner["end"]:inner["end"] + 2]):
                continue
            if "person" in ((m.get("type") or m.get("label")), (inner.get("type") or inner.get("label"))):
                continue
            if len(text[inner["start"]:inner["end"]].split()) < 2 or len(text[m["start"]:m["end"]].split()) < 2:
                continue  # one-word brackets are acronyms (handled above) or something else ("Meta (Facebook)")
            if m.get("kb") and inner.get("kb") and m["kb"] != inner["kb"]:
                continue  # two bodies the knowledge base tells apart
            owner, other = (inner, m) if inner.get("kb") and not m.get("kb") else (m, inner)
            same = norm(text[other["start"]:other["end"]])
            for x in mentions:  # the bracketed name said again later is the same body too
                if x is not owner and x.get("link") is None and not x.get("kb") \
                        and norm(text[x["start"]:x["end"]]) == same:
                    x["link"] = owner

    def _finish(self, doc, actors: list[dict], free, take) -> list[dict]:
        text = doc_text(doc)
        surname_of = self._tagged_surnames(doc, actors)
        last_words = {g["name"].split()[-1] for g in actors if " " in g["name"]}
        for g in actors:
            if g["kb"]:
                continue
            typ = None
            g["typed_by"] = "context"
            for m in g["mentions"]:
                # a name that opens with a head word is of its type ("Förvaltningsrätten i Linköping" after
                # "bestuursrechter", whose "rechter" would make it a judge)
                typ = self.name_heads.get(text[m["start"]:m["end"]].split()[0].lower()) \
                    or self._type_from_context(doc, m)
                if typ:
                    break
            if typ is None and g["types"]:
                typ = g["types"][0]
            if typ in (None, "company") and (g["name"] in self.all_places or g["name"] in self.towns) \
                    and "person" not in g["labels"] and not _ACTS.search(_speech_window(text, g["name"])) \
                    and not any(_SANCTIONED.search(text, max(0, m["start"] - 16), m["start"]) for m in g["mentions"]):
                # "in Monaco", "Nantes" tagged an organisation, at most a firm by context, never acting ("Santander
                # fined", "Orange said" stay firms)
                g["type"] = "place"
                continue
            if typ is None:
                g["typed_by"] = "label"  # no cue at all: only the NER label (or nothing) says what it is
                typ = "person" if "person" in g["labels"] or self._given_full_name(g["name"]) else "company"
                if typ == "person" and len(g["name"].split()) == 1 and _CAMEL.search(g["name"]):
                    typ = "company"  # "VoetbalTV", "FitPuls": brand names, never a person's name
                if typ == "company" and g["name"] in surname_of:
                    typ = "person"  # "Sanne Pijnenburg" tagged an organisation, "Volgens Pijnenburg" a person
                elif typ == "person" and " " not in g["name"] and g["name"] not in last_words \
                        and not any(_PARTICLE_BEFORE.search(text, max(0, m["start"] - 5), m["start"])
                                    for m in g["mentions"]):
                    # one word the tagger calls a person, no title, no full name it shortens ("Premom", "Dacia"):
                    # stories name people in full, so it is a firm or a brand
                    typ = "company"
                if typ == "person":
                    typ = self._not_a_person(g["name"]) or typ
            elif typ == "person" and self._has_legal_form(g["name"]):
                typ = "company"  # "Szívhíd Kft.": a legal form, whatever the context said
            elif typ == "company" and g["name"] in surname_of and self._plain_person_name(g["name"]):
                typ = "person"  # "Desislava Koleva, a warehouse worker" ... "Ms Koleva": her, not a firm
            elif typ == "regulator" and self._plain_person_name(g["name"]) and any(
                    self.ner_labels.get(e.label_) == "person" and e.text == g["name"] for e in doc.ents):
                typ = "person"  # "toezichthouder Barbara Thiel": the role word names a person as well as a body
            g["type"] = typ
        for g in actors:
            if g["type"] == "product" and _SPEAKS.search(_speech_window(text, g["name"])):
                g["type"] = "company"  # "Kroost, een app waarmee ...", but "Kroost bestrijdt dat": it speaks, a firm
        actors = [g for g in actors if g["type"] not in ("product", "place")]

        # persons: the surname alone after the full name; shorter organisation names after the full one
        merged: set[int] = set()
        for gi, g in enumerate(actors):
            if gi in merged or g["type"] != "person":
                continue
            words = g["name"].split()
            if len(words) < 2:
                continue
            rest = words[1:]
            while len(rest) > 1 and rest[0][:-1].isupper() and rest[0].endswith("."):
                rest = rest[1:]  # middle initials
            forms = {" ".join(rest)}
            if len(rest) > 1 and rest[0].lower() in self.particles:  # "de Vries" / "De Vries"
                forms.add(" ".join([rest[0][0].upper() + rest[0][1:]] + rest[1:]))
                forms.add(" ".join([rest[0].lower()] + rest[1:]))
            forms = {f for f in forms if f and f[0].isalpha()}
            for hj, h in enumerate(actors):
                if hj != gi and hj not in merged and not h["kb"] and h["name"] in forms:
                    g["mentions"].extend(h["mentions"])
                    merged.add(hj)
            first = min(m["start"] for m in g["mentions"])
            for form in forms:
                for s, e in occurrences(text, form):
                    if s > first and free(s, e):
                        m = {"start": s, "end": e, "kb": g["kb"], "src": "surname"}
                        take(m)
                        g["mentions"].append(m)
        for gi, g in enumerate(actors):
            if gi in merged or g["kb"]:
                continue
            gw = g["name"].split()
            if g["type"] == "person":
                # "Kestrel Marine Management" tagged a person, "Kestrel" alone a firm: a long name whose first word
                # stands alone for a body is that body's name (news shortens a person to the surname, not the
                # first name)
                short = next((h for hj, h in enumerate(actors) if hj != gi and hj not in merged and h["type"] != "person"
                              and self._joinable(h) and h["name"].split() == gw[:1]), None) if len(gw) >= 3 else None
                if short is None:
                    continue
                g["type"] = short["type"]
            # "Honda" after "American Honda Motor Co.", "Post" after "Österreichische Post": a place word opening the
            # name may be left out (a bare "Court" or "Commission" left over is rejected below)
            bare = gw[1:] if len(gw) >= 2 and gw[0] in self.all_places else gw
            # "Havenzicht" after "Woonstichting Havenzicht": the word saying what the body is may be left out
            undescribed = gw[1:] if len(gw) >= 2 and self._descriptor_word(gw[0].lower()) else None
            for hj, h in enumerate(actors):
                if hj == gi or hj in merged or not self._joinable(h):
                    continue
                hw = h["name"].split()
                # "Atlântico" after "Grupo Hospitalar Atlântico": the last, naming word of a longer name
                last_word = len(hw) == 1 and len(h["name"]) >= 4 and hw == gw[-1:] \
                    and not self._descriptor_word(hw[0].lower())
                if len(hw) < len(gw) and (hw in (gw[:len(hw)], bare[:len(hw)]) or hw == undescribed or last_word) \
                        and norm(h["name"]) not in self.reject:
                    g["mentions"].extend(h["mentions"])
                    merged.add(hj)
        self._merge_short_forms(actors, merged)
        actors = [g for i, g in enumerate(actors) if i not in merged]
        for g in actors:  # "Acme Analytics Ltd" ... "Acme Analytics"
            if g["type"] == "person":
                continue
            for short in sorted(self._short_forms(g)):
                _add_occurrences(text, g, short, free, take, "short")

        # every occurrence of a name found once is a mention of it ("Voor VoetbalTV komt ..." / "VoetbalTV zegt");
        # a company's first name word alone is one too when the text never uses it as an ordinary word
        # ("Advanced Computer Software Group" ... "Advanced said")
        for g in actors:
            if g["kb"]:
                continue
            forms = {text[m["start"]:m["end"]] for m in g["mentions"]}
            words = g["name"].split()
            if len(words) >= 3 and words[0] in self.all_places:
                words = words[1:]  # "American Honda Motor Co." ... "Honda said"
            # (for an organisation typed other as well: "Pew" for "Pew Research Center"; but never a descriptor
            # word such as "Universiteit" or "Stichting")
            if g["type"] in ("company", "other") and len(words) >= 2 and len(words[0]) >= 3 \
                    and words[0][0].isupper() and not self._descriptor_word(words[0].lower()) \
                    and norm(words[0]) not in self.reject and words[0].lower() not in self.connectors \
                    and next(occurrences(text, words[0].lower(), _WORD_OR_HYPHEN, _WORD_OR_HYPHEN), None) is None:
                forms.add(words[0])
            rest = " ".join(words[1:])
            if g["type"] != "court" and len(words) >= 2 and self._descriptor_word(words[0].lower()) \
                    and len(rest) >= 3 and rest[0].isupper() and norm(rest) not in self.reject \
                    and rest not in self.all_places:
                forms.add(rest)  # "gemeente Dommelstede" ... "Dommelstede voerde aan"
            if len(words) >= 2 and words[-1] in self.place_body_words:
                forms.add(" ".join(words[:-1]))  # "Skellefteå municipality" ... "Skellefteå said"
            if g["type"] in ("company", "other") and len(words) >= 3 and words[0] in self.leading_particles:
                forms.add(" ".join(words[:2]))  # "Van Dalen Logistiek" ... "Van Dalen stelde"
            for form in sorted(forms, key=len, reverse=True):
                if len(form) < 2:
                    continue
                _add_occurrences(text, g, form, free, take, "repeat")

        # "privacyorganisatie noyb": a descriptor written in front of the name is part of the mention
        for g in actors:
            extra = []
            for m in g["mentions"]:
                before = text[max(0, m["start"] - 40):m["start"]]
                dm = re.search(r"(?<![\w-])([^\W\d_][\w-]*) $", before)
                # ... and so is a capitalised word saying what it is ("Zorggroep Elsenburg", "Waterschap Eemvallei")
                if dm and (dm.group(1).lower() in self.descriptors or (
                        dm.group(1)[0].isupper() and self._descriptor_word(dm.group(1).lower()))):
                    s = m["start"] - len(dm.group(0))
                    extra.append({"start": s, "end": m["end"], "src": "descriptor"})
            g["mentions"].extend(extra)
        return actors

    def _emit(self, text: str, actors: list[dict]) -> list[dict]:
        out = []
        for g in actors:
            seen = set()
            mentions = []
            for m in sorted(g["mentions"], key=lambda m: (m["start"], m["end"])):
                key = (m["start"], m["end"])
                if key in seen:
                    continue
                seen.add(key)
                mentions.append({"text": text[m["start"]:m["end"]], "start": m["start"], "end": m["end"]})
            typ = g["type"] if g["type"] in ACTOR_TYPES else "other"
            out.append({"name": g["name"], "type": typ, "kb_id": g["kb"], "mentions": mentions})
        out.sort(key=lambda a: a["mentions"][0]["start"] if a["mentions"] else 0)
        return out

    # ------------------------------------------------------------------ serialization
    def _state(self) -> dict:
        return {"kb": self.kb, "cues": self.cues, "use_ner": self.use_ner, "ner_labels": self.ner_labels,
                "country_aliases": self.country_aliases, "towns": sorted(self.towns)}

    def _set_state(self, state: dict) -> None:
        self.kb, self.cues = state["kb"], state["cues"]
        self.use_ner, self.ner_labels = state["use_ner"], state["ner_labels"]
        self.country_aliases = state.get("country_aliases", {})
        self.towns = frozenset(state.get("towns", ()))
        self._compile()

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self._set_state(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "actors.jsonl", self.kb)
        srsly.write_json(path / "cues.json", self.cues)
        srsly.write_json(path / "settings.json", {"use_ner": self.use_ner, "ner_labels": self.ner_labels,
                                                  "country_aliases": self.country_aliases})

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        settings = srsly.read_json(path / "settings.json")
        self._set_state({"kb": list(srsly.read_jsonl(path / "actors.jsonl")), "cues": srsly.read_json(path / "cues.json"),
                         **settings})
        return self


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """"PwC Business Solutions" for "PricewaterhouseCoopers Business Solutions": the same words after a first one
    written as an abbreviation (a capital after its first letter: "PwC", "MS") whose letters are, in order, letters
    of the other's first word (same first letter, shorter). "Kent Police" is no abbreviation of "Kensington Police"."""
    if len(short) != len(full) or len(short) < 2 or short[1:] != full[1:]:
        return False
    if not any(ch.isupper() for ch in short[0][1:]):
        return False
    a, b = short[0].lower(), full[0].lower()
    if len(a) >= len(b) or a[:1] != b[:1] or not a.isalpha():
        return False
    rest = iter(b)
    return all(ch in rest for ch in a)


def occurrences(text: str, form: str, not_before: re.Pattern = _NOT_BEFORE, not_after: re.Pattern = _NOT_AFTER):
    """(start, end) of each whole-word occurrence of the non-empty `form`, left to right and not overlapping:
    what re.finditer(_LEFT + re.escape(form) + _RIGHT, text) finds (with the default character classes),
    without compiling a regex for every name of every document."""
    if not form:
        return
    pos, n = 0, len(form)
    while (start := text.find(form, pos)) >= 0:
        end = start + n
        if (start == 0 or not not_before.match(text, start - 1)) and not not_after.match(text, end):
            yield start, end
            pos = end
        else:
            pos = start + 1


def _add_occurrences(text: str, actor: dict, form: str, free, take, src: str) -> None:
    """Every free whole-word occurrence of `form` becomes a mention of `actor`."""
    for s, e in occurrences(text, form):
        if free(s, e):
            m = {"start": s, "end": e, "kb": None, "src": src}
            take(m)
            actor["mentions"].append(m)


@Language.factory(
    "privnews_actors",
    assigns=["doc._.actors"],
    default_config={"kb_path": "", "cues_path": "", "use_ner": True,
                    "ner_labels": {"PERSON": "person", "PER": "person", "ORG": "org"}},
)
def make_actor_recognizer(nlp: Language, name: str, kb_path: str, cues_path: str, use_ner: bool,
                          ner_labels: dict) -> ActorRecognizer:
    return ActorRecognizer(nlp, name, kb_path=kb_path, cues_path=cues_path, use_ner=use_ner, ner_labels=ner_labels)

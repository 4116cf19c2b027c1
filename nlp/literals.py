"""A cheap test that rules out a regex match: the literal words every match must contain, read from the regex.

The claim lexicons (models/patterns/claims_<lang>.toml) are regexes tried on every sentence, and most sentences
match none of them. `Gate(rx)` walks the parsed regex and collects a set of literal substrings such that every
match of `rx` contains at least one of them ("boete" for "boetes?", {"heeft ", "hebben "} or "verboden" for
"(?:heeft|hebben) (?:\\S+ ){0,8}verboden", whichever is longer); looking for those words (one scan of a prefix
tree of plain characters) is much cheaper than running the regex. A gate never closes on text the regex
matches, so skipping the regex changes no result; a regex for which no such words can be read (a branch
starting with "\\w+") gets an always-open gate.

Case-insensitive regexes compare lower-cased ASCII words with the lower-cased text. Under re.IGNORECASE an
ASCII letter also matches four non-ASCII characters, "İ", "ı", "ſ" and the Kelvin sign (tests/test_literals.py
checks this list against every Unicode character); text holding one of them is let through unread.
"""
from __future__ import annotations

import re
from re import _constants as C
from re import _parser

from nlp import alternation

# the non-ASCII characters that match an ASCII character under re.IGNORECASE, or lower-case to one
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLDS_TO_ASCII_RX = re.compile("[" + FOLDS_TO_ASCII + "]")
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


def fold(text: str) -> str | None:
    """`text` lower-cased for `Gate.admits`, or None when it holds a character that folds to ASCII."""
    return None if _FOLDS_TO_ASCII_RX.search(text) else text.lower()


class Gate:
    """Literal words one of which every match of a regex contains (`words` is None when none can be read)."""

    def __init__(self, rx: re.Pattern | None = None):
        """The gate of `rx`; without one, a gate that is always open."""
        self.ignorecase = rx is not None and bool(rx.flags & re.IGNORECASE)
        words = necessary_words(_parser.parse(rx.pattern, rx.flags).data, self.ignorecase) if rx is not None else None
        # a word holding another is checked by the other: keep the shortest
        self.words = tuple(sorted(w for w in words if not any(v != w and v in w for v in words))) if words else None
        # one scan for all the words, not one `in` per word
        self._any_word = re.compile(alternation.trie(self.words)) if self.words else None

    def admits(self, text: str, folded: str | None) -> bool:
        """False only when the regex cannot match `text`; `folded` is `fold(text)`."""
        if self._any_word is None:
            return True
        if not self.ignorecase:
            return self._any_word.search(text) is not None
        return folded is None or self._any_word.search(folded) is not None


def necessary_words(items, ignorecase: bool) -> set[str] | None:
    """Strings one of which every match of the parsed sequence `items` contains, or None if none are known.

    A run of plain literal characters is such a set of one; a required group or branch gives the union of its
    alternatives' sets. Of the candidates in the sequence, the one whose shortest word is longest is kept."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL and av < 128:
            run += chr(av).lower() if ignorecase else chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        sub = None
        if op is C.BRANCH:
            alternatives = [necessary_words(alt.data, ignorecase) for alt in av[1]]
            if all(alternatives):
                sub = set().union(*alternatives)
        elif op is C.SUBPATTERN:
            _group, add_flags, del_flags, pattern = av
            if not (add_flags | del_flags) & re.IGNORECASE:
                sub = necessary_words(pattern.data, ignorecase)
        elif op is C.ATOMIC_GROUP:
            sub = necessary_words(av.data, ignorecase)
        elif op in _REPEATS and av[0] >= 1:
            sub = necessary_words(av[2].data, ignorecase)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    return max(candidates, key=lambda words: (min(map(len, words)), -len(words)))

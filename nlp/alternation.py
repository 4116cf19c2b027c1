"""A regex alternative for a list of literal phrases (knowledge-base aliases), factored as a prefix tree.

The plain form, every phrase escaped and joined longest first, makes Python's `re` try all ~760 aliases at
every position of the text. The prefix tree ("Meta(?: Platforms(?: Ireland)?)?") tries one branch per
character instead, about ten times faster over the corpus, and matches exactly the same: at any position
both take the longest phrase that matches there and still satisfies what follows the group (a word
boundary), because at each tree node at most one child character can match the next character of the text,
and a longer continuation is tried before the phrase ending at that node.

"At most one child" does not hold under re.IGNORECASE when two sibling characters fold to each other
("s" and "ſ"); `trie` then gives the plain form, so the result is the same in every case.
"""
from __future__ import annotations

import re


def flat(phrases) -> str:
    """Every phrase escaped, longest first (ties alphabetical): the reference form."""
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def trie(phrases, flags: int = 0) -> str:
    """The same alternation as `flat(phrases)`, factored as a prefix tree."""
    root: dict = {}
    for phrase in set(phrases):
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here
    if flags & re.IGNORECASE and _folding_siblings(root, flags):
        return flat(phrases)
    return _emit(root)


def _emit(node: dict) -> str:
    branches = [re.escape(ch) + _emit(node[ch]) for ch in sorted(k for k in node if k)]
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    # a greedy "?" tries the longer phrases first and falls back to the one ending here
    return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")


def _folding_siblings(node: dict, flags: int) -> bool:
    """Whether any node has two children that match each other's character under `flags`."""
    chars = [k for k in node if k]
    for i, a in enumerate(chars):
        if any(re.fullmatch(re.escape(a), b, flags) for b in chars[i + 1:]):
            return True
    return any(_folding_siblings(node[k], flags) for k in chars)

"""Score predicted facts against gold facts (both in the fact contract), per language.

Matching, as DESIGN.md defines it: actors by normalised name or mention, statistics by unit and value
(within 0.5 %), claims by kind and overlapping span; each one to one. On matched pairs we report the
accuracy of actor type, comparator, claimant, target and basis. A claimant or target that is a named actor
must be named (any of its names); one that describes a group counts when the shorter description's content
words are all in the longer ("drivers" for "drivers in France"), see `_same_party`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field


def norm(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^\w\s]", " ", s.lower())
    return " ".join(s.split())


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attrs: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # name -> [right, total]

    def add_attr(self, name: str, right: bool) -> None:
        self.attrs[name][0] += int(right)
        self.attrs[name][1] += 1

    def merge(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for k, (r, t) in other.attrs.items():
            self.attrs[k][0] += r
            self.attrs[k][1] += t

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        right, total = self.attrs.get(name, (0, 0))
        return right / total if total else None


def _greedy(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching from (score, gold_i, pred_i) candidates, best score first."""
    used_g, used_p, out = set(), set(), []
    for _score, g, p in sorted(pairs, key=lambda x: -x[0]):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            out.append((g, p))
    return out


def _actor_keys(actor: dict) -> set[str]:
    keys = {norm(actor.get("name"))}
    keys.update(norm(m.get("text")) for m in actor.get("mentions", []))
    return {k for k in keys if k}


def match_actors(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    gk = [_actor_keys(a) for a in gold]
    pk = [_actor_keys(a) for a in pred]
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            common = gk[gi] & pk[pi]
            # the same knowledge-base entry is the same actor, whatever surface forms each side wrote down
            same_kb = bool(g.get("kb_id")) and g.get("kb_id") == p.get("kb_id")
            if common or same_kb:
                same_name = norm(g.get("name")) == norm(p.get("name")) or same_kb
                pairs.append((2.0 * same_name + len(common) / len(gk[gi] | pk[pi]), gi, pi))
    return _greedy(pairs)


def match_statistics(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g.get("unit") != p.get("unit"):
                continue
            gv, pv = float(g.get("value") or 0), float(p.get("value") or 0)
            if abs(gv - pv) <= 0.005 * max(abs(gv), 1e-9):
                overlap = _overlap(g, p)
                distance = abs(g.get("start", 0) - p.get("start", 0))
                pairs.append((1.0 + (overlap > 0) - distance / 1e6, gi, pi))
    return _greedy(pairs)


def _overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_claims(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g.get("kind") == p.get("kind"):
                ov = _overlap(g, p)
                if ov > 0:
                    pairs.append((ov / max(g["end"] - g["start"], p["end"] - p["start"]), gi, pi))
    return _greedy(pairs)


# Words that do not name a group: left out when two descriptions of a group are compared.
_FUNCTION_WORDS = frozenset("a an the of in on at to for with by from and or who that which whose its their "
                            "his her some all other several many".split())


def _content_words(description: str) -> set[str]:
    return set(description.split()) - _FUNCTION_WORDS


def _same_party(gold_party, pred_party, alias_of: dict[str, str], actor_names: frozenset[str] = frozenset()) -> bool:
    """A named actor must be named (by any of its names). A party that is a description of a group rather
    than a named actor ("drivers in France", "23andMe customers") counts as right when every content word of
    the shorter description is in the longer one ("drivers", "customers"): same group, less specific. Different
    groups ("people" vs "ChatGPT users") or a description for a named actor stay wrong."""
    g, p = norm(gold_party), norm(pred_party)
    p = alias_of.get(p, p)
    if g == p:
        return True
    if not g or not p or g in actor_names or p in actor_names:
        return False
    shorter, longer = sorted((_content_words(g), _content_words(p)), key=len)
    return bool(shorter) and shorter <= longer


def _actor_names(actors: list[dict]) -> frozenset[str]:
    """Every normalised name and mention of the gold actors: parties that must match by name."""
    return frozenset().union(*map(_actor_keys, actors))


def score_document(gold: dict, pred: dict) -> dict[str, Counts]:
    out = {"actors": Counts(), "statistics": Counts(), "claims": Counts()}
    ga, pa = gold.get("actors", []), pred.get("actors", [])
    am = match_actors(ga, pa)
    c = out["actors"]
    c.tp, c.fp, c.fn = len(am), len(pa) - len(am), len(ga) - len(am)
    alias_of = {}  # predicted actor name -> gold actor name, so a claimant named by alias still counts
    for gi, pi in am:
        c.add_attr("type", ga[gi].get("type") == pa[pi].get("type"))
        alias_of[norm(pa[pi]["name"])] = norm(ga[gi]["name"])
    gs, ps = gold.get("statistics", []), pred.get("statistics", [])
    sm = match_statistics(gs, ps)
    c = out["statistics"]
    c.tp, c.fp, c.fn = len(sm), len(ps) - len(sm), len(gs) - len(sm)
    for gi, pi in sm:
        c.add_attr("comparator", gs[gi].get("comparator") == ps[pi].get("comparator"))
    gc, pc = gold.get("claims", []), pred.get("claims", [])
    cm = match_claims(gc, pc)
    c = out["claims"]
    c.tp, c.fp, c.fn = len(cm), len(pc) - len(cm), len(gc) - len(cm)
    names = _actor_names(ga)
    for gi, pi in cm:
        g, p = gc[gi], pc[pi]
        if g.get("claimant"):
            c.add_attr("claimant", _same_party(g["claimant"], p.get("claimant"), alias_of, names))
        if g.get("target"):
            c.add_attr("target", _same_party(g["target"], p.get("target"), alias_of, names))
        if g.get("basis") or p.get("basis"):
            c.add_attr("basis", g.get("basis") == p.get("basis"))
    return out


def score(gold_docs: list[dict], pred_docs: list[dict]) -> dict[str, dict[str, Counts]]:
    """Return {lang: {"actors"|"statistics"|"claims": Counts}} plus an "all" language."""
    preds = {p["id"]: p for p in pred_docs}
    table: dict[str, dict[str, Counts]] = defaultdict(lambda: {k: Counts() for k in ("actors", "statistics", "claims")})
    for gold in gold_docs:
        pred = preds.get(gold["id"], {"actors": [], "statistics": [], "claims": []})
        doc_scores = score_document(gold, pred)
        for lang in (gold.get("lang", "?"), "all"):
            for kind, counts in doc_scores.items():
                table[lang][kind].merge(counts)
    return dict(table)



def errors(gold_docs: list[dict], pred_docs: list[dict], kinds=("actors", "statistics", "claims")) -> list[dict]:
    """Every disagreement, for error analysis: missed gold facts (fn), invented ones (fp), and matched claims
    whose claimant or target differs. Uses the same matching as score()."""
    preds = {p["id"]: p for p in pred_docs}
    show = {"actors": lambda f: f.get("name"), "statistics": lambda f: f"{f.get('text')} = {f.get('value')} {f.get('unit')}",
            "claims": lambda f: f"{f.get('kind')}: {f.get('text')} [{f.get('claimant')} -> {f.get('target')}]"}
    match = {"actors": match_actors, "statistics": match_statistics, "claims": match_claims}
    out = []
    for gold in gold_docs:
        pred = preds.get(gold["id"], {})
        for kind in kinds:
            g, p = gold.get(kind, []), pred.get(kind, [])
            pairs = match[kind](g, p)
            gm, pm = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
            base = {"id": gold["id"], "lang": gold.get("lang"), "facts": kind}
            out += [{**base, "error": "fn", "gold": show[kind](f)} for i, f in enumerate(g) if i not in gm]
            out += [{**base, "error": "fp", "pred": show[kind](f)} for i, f in enumerate(p) if i not in pm]
            if kind == "claims":
                alias_of = {norm(pred["actors"][pi]["name"]): norm(gold["actors"][gi]["name"])
                            for gi, pi in match_actors(gold.get("actors", []), pred.get("actors", []))}
                names = _actor_names(gold.get("actors", []))
                for gi, pi in pairs:
                    for role in ("claimant", "target"):
                        if g[gi].get(role) and not _same_party(g[gi][role], p[pi].get(role), alias_of, names):
                            out.append({**base, "error": role, "gold": show[kind](g[gi]), "pred": p[pi].get(role)})
    return out


ATTRS = {"actors": ["type"], "statistics": ["comparator"], "claims": ["claimant", "target", "basis"]}


def rows(table: dict[str, dict[str, Counts]]) -> list[dict]:
    """Flatten a score table into printable rows."""
    out = []
    for lang in sorted(table, key=lambda l: (l == "all", l)):
        for kind in ("actors", "statistics", "claims"):
            c = table[lang][kind]
            row = {"lang": lang, "facts": kind, "gold": c.tp + c.fn, "pred": c.tp + c.fp,
                   "P": round(c.precision, 3), "R": round(c.recall, 3), "F1": round(c.f1, 3)}
            row["attribute accuracy"] = ", ".join(
                f"{a} {acc:.2f}" for a in ATTRS[kind] if (acc := c.accuracy(a)) is not None
            )
            out.append(row)
    return out


def markdown(table: dict[str, dict[str, Counts]]) -> str:
    data = rows(table)
    cols = list(data[0].keys()) if data else []
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in data]
    return "\n".join(lines)

"""Validate the corpus authoring files and compile them into gold files in the fact contract.

Run from the repository root::

    python -m models.corpus.compile            # validate all, write gold-dev.jsonl and gold-test.jsonl
    python -m models.corpus.compile --check    # validate only, write nothing
    python -m models.corpus.compile --lang nl  # validate one language only (implies --check)

Reads ``models/corpus/src/{nl,en}/*.json`` (format: ``models/corpus/README.md``), checks every field and
every span, converts actor mention strings into character offsets (every whole-word, case-sensitive
occurrence), locates statistic and claim spans by ``text`` + ``occurrence`` and writes one JSON object per
article (split ``none`` excluded). Output is deterministic: sorted by id, fixed key order, UTF-8.
Exits non-zero, writing nothing, when any file has an error; warnings are printed but do not fail.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).resolve().parent
SRC_DIR = CORPUS_DIR / "src"
OUTLETS_FILE = CORPUS_DIR / "outlets.toml"
LANGS = ("nl", "en")
SPLITS = ("dev", "test", "none")
OUTPUT_SPLITS = ("dev", "test")

ACTOR_TYPES = {"company", "regulator", "ngo", "person", "court", "government", "other"}
COMPARATORS = {"=", "<", ">", "~"}
CLAIM_KINDS = {
    "legal_basis", "article_citation", "fine", "complaint", "cease_and_desist", "class_action",
    "objection", "court_ruling", "investigation", "violation", "appeal", "order", "reprimand", "other",
}
BASES = {
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interest",
    "no_legal_basis", None,
}
POLARITIES = {"affirm", "deny", None}
POLARITY_KINDS = {"legal_basis", "article_citation"}
STATUSES = {
    "imposed", "proposed", "filed", "sent", "considered", "announced", "pending", "rejected", "ordered",
    "upheld", "annulled", "opened", "closed", "withdrawn", "dismissed", "settled", None,
}
KNOWN_LAWS = {
    "GDPR", "UAVG", "ePrivacy", "DSA", "DMA", "AI Act", "Data Act", "DGA", "NIS2", "LED", "Charter",
    "ECHR", "TFEU", "Loi Informatique et Libertés", "French Data Protection Act", "Telecommunicatiewet", "Wpg", "Wbp", "UK GDPR", "DPA 2018", "PECR", "CCPA", "Wet politiegegevens", "LOPDGDD", "Privacy Act 1988", "Privacy Act", "OWiG",
    "PIPA", "Privacy Act 2020", "HIPAA", "COPPA",
}
# "GDPR", "GDPR Art. 6(1)(f)", "GDPR Art. 44-49", "DSA Art. 34", "AI Act Art. 5(1)(a)"
ARTICLE_RE = re.compile(r"^(?P<law>[^\W\d_][\w .'-]*?)(?: Art\. \d+[a-z]?(?:-\d+[a-z]?)?(?:\(\w+\))*)?$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

TOP_FIELDS = ("id", "lang", "split", "outlet", "url", "title", "published", "summary", "syndicated_from",
              "text", "gold")
ACTOR_FIELDS = ("name", "type", "kb_id", "mentions")
STAT_FIELDS = ("text", "occurrence", "value", "unit", "comparator", "measures", "population", "source")
CLAIM_FIELDS = ("text", "occurrence", "kind", "basis", "articles", "claimant", "target", "polarity", "status",
                "amount")


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warning {where}: {msg}")


def word_pattern(s: str) -> re.Pattern[str]:
    """Whole-word, case-sensitive pattern for ``s`` (unicode-aware; edges that are not word chars are free)."""
    left = r"(?<!\w)" if re.match(r"\w", s[0]) else ""
    right = r"(?!\w)" if re.match(r"\w", s[-1]) else ""
    return re.compile(left + re.escape(s) + right)


def find_mentions(text: str, mention: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in word_pattern(mention).finditer(text)]


def find_occurrence(text: str, span: str, occurrence: int) -> tuple[int, int] | None:
    """Start/end of the ``occurrence``-th (0-based) plain substring occurrence of ``span``."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(span, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(span)


def load_outlets(path: Path = OUTLETS_FILE) -> dict[str, dict]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return data.get("outlets", data)


def _is_str(v) -> bool:
    return isinstance(v, str) and v.strip() == v and v != ""


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _norm_number(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _looks_like_name(s: str) -> bool:
    words = s.split()
    return 0 < len(words) <= 5 and s[0].isupper() and "/" not in s and not s.endswith("users")


def validate_article(path: Path, doc, outlets: dict[str, dict], rep: Report) -> dict | None:
    """Validate one authoring file; return the compiled record (or None when it has errors)."""
    where = str(path.relative_to(CORPUS_DIR.parent.parent)) if path.is_relative_to(CORPUS_DIR.parent.parent) else str(path)
    n_err = len(rep.errors)
    if not isinstance(doc, dict):
        rep.error(where, "top level must be a JSON object")
        return None
    for f in TOP_FIELDS:
        if f not in doc:
            rep.error(where, f"missing required field '{f}'")
    extra = set(doc) - set(TOP_FIELDS)
    if extra:
        rep.error(where, f"unknown field(s) {sorted(extra)}")
    if len(rep.errors) > n_err:
        return None

    if doc["id"] != path.stem:
        rep.error(where, f"field 'id' is {doc['id']!r} but the file is named {path.name!r}")
    if doc["lang"] not in LANGS:
        rep.error(where, f"field 'lang' must be one of {LANGS}, got {doc['lang']!r}")
    elif doc["lang"] != path.parent.name:
        rep.error(where, f"field 'lang' is {doc['lang']!r} but the file lives in src/{path.parent.name}/")
    if doc["split"] not in SPLITS:
        rep.error(where, f"field 'split' must be dev|test|none, got {doc['split']!r}")
    for f in ("title", "summary", "text", "url", "outlet"):
        if not _is_str(doc[f]):
            rep.error(where, f"field '{f}' must be a non-empty string without leading/trailing whitespace")
    if len(rep.errors) > n_err:
        return None

    text = doc["text"]
    if "\r" in text:
        rep.error(where, "field 'text' contains \\r; use \\n only")
    if "\n\n\n" in text:
        rep.error(where, "field 'text' has more than one blank line between paragraphs")
    words = len(text.split())
    if words < 80:
        rep.warn(where, f"field 'text' is short ({words} words)")

    outlet = outlets.get(doc["outlet"])
    if outlet is None:
        rep.error(where, f"field 'outlet' {doc['outlet']!r} is not in outlets.toml ({sorted(outlets)})")
    else:
        if outlet.get("lang") != doc["lang"]:
            rep.warn(where, f"outlet {doc['outlet']!r} is lang {outlet.get('lang')!r}, article is {doc['lang']!r}")
        url = urlsplit(doc["url"])
        home = urlsplit(outlet["homepage"])
        if url.scheme != "http" or url.netloc != home.netloc:
            rep.error(where, f"field 'url' must be http://{home.netloc}/..., got {doc['url']!r}")
        if not url.path or url.path == "/" or url.query or url.fragment or url.path.endswith("/"):
            rep.error(where, f"field 'url' needs a path without query/fragment/trailing slash: {doc['url']!r}")
        elif not re.fullmatch(r"(/[a-z0-9][a-z0-9._-]*)+", url.path):
            rep.error(where, f"field 'url' path must be lowercase [a-z0-9._-] segments: {url.path!r}")

    pub = doc["published"]
    if pub is not None:
        try:
            dt = datetime.fromisoformat(pub)
            if dt.tzinfo is None:
                rep.error(where, f"field 'published' needs a UTC offset: {pub!r}")
        except (TypeError, ValueError):
            rep.error(where, f"field 'published' must be ISO 8601 or null, got {pub!r}")
    syn = doc["syndicated_from"]
    if syn is not None and not _is_str(syn):
        rep.error(where, "field 'syndicated_from' must be an article id or null")
    if doc["split"] == "none" and syn is None:
        rep.warn(where, "split 'none' without 'syndicated_from'")

    gold = doc["gold"]
    if not isinstance(gold, dict) or set(gold) != {"actors", "statistics", "claims"}:
        rep.error(where, "field 'gold' must be an object with exactly 'actors', 'statistics', 'claims'")
        return None

    # ---- actors
    actors_out = []
    names: set[str] = set()
    mention_owner: dict[str, str] = {}
    mention_to_name: dict[str, str] = {}
    for i, a in enumerate(gold["actors"] if isinstance(gold["actors"], list) else []):
        aw = f"{where} gold.actors[{i}]"
        if not isinstance(a, dict):
            rep.error(aw, "must be an object")
            continue
        missing = [f for f in ACTOR_FIELDS if f not in a]
        extra = set(a) - set(ACTOR_FIELDS)
        if missing or extra:
            rep.error(aw, f"missing field(s) {missing} / unknown field(s) {sorted(extra)}")
            continue
        aw = f"{where} gold.actors[{i}] ({a['name']!r})"
        if not _is_str(a["name"]):
            rep.error(aw, "field 'name' must be a non-empty string")
            continue
        if a["name"] in names:
            rep.error(aw, "duplicate actor name")
        names.add(a["name"])
        if a["type"] not in ACTOR_TYPES:
            rep.error(aw, f"field 'type' must be one of {sorted(ACTOR_TYPES)}, got {a['type']!r}")
        if a["kb_id"] is not None and not _is_str(a["kb_id"]):
            rep.error(aw, "field 'kb_id' must be a string or null")
        ms = a["mentions"]
        if not isinstance(ms, list) or not ms or not all(_is_str(m) for m in ms):
            rep.error(aw, "field 'mentions' must be a non-empty list of non-empty strings")
            continue
        if len(set(ms)) != len(ms):
            rep.error(aw, "field 'mentions' has duplicates")
        spans = []
        for m in dict.fromkeys(ms):
            if m in mention_owner:
                rep.error(aw, f"mention {m!r} is also a mention of actor {mention_owner[m]!r}")
            mention_owner[m] = a["name"]
            mention_to_name[m] = a["name"]
            found = find_mentions(text, m)
            if not found:
                rep.error(aw, f"mention {m!r} does not occur in the text as a whole word (case-sensitive)")
            spans.extend((s, e, m) for s, e in found)
        spans.sort(key=lambda t: (t[0], t[1]))
        actors_out.append({
            "name": a["name"], "type": a["type"], "kb_id": a["kb_id"],
            "mentions": [{"text": m, "start": s, "end": e} for s, e, m in spans],
        })
    if not isinstance(gold["actors"], list):
        rep.error(where, "gold.actors must be a list")

    # overlapping mentions of different actors
    allspans = sorted((m["start"], m["end"], a["name"]) for a in actors_out for m in a["mentions"])
    for (s1, e1, n1), (s2, e2, n2) in zip(allspans, allspans[1:]):
        if n1 != n2 and s2 < e1:
            rep.warn(where, f"mentions of {n1!r} and {n2!r} overlap at {s2}: {text[s1:e1]!r} / {text[s2:e2]!r}")

    # ---- statistics
    stats_out = []
    stat_values = set()
    for i, st in enumerate(gold["statistics"] if isinstance(gold["statistics"], list) else []):
        sw = f"{where} gold.statistics[{i}]"
        if not isinstance(st, dict):
            rep.error(sw, "must be an object")
            continue
        missing = [f for f in STAT_FIELDS if f not in st]
        extra = set(st) - set(STAT_FIELDS)
        if missing or extra:
            rep.error(sw, f"missing field(s) {missing} / unknown field(s) {sorted(extra)}")
            continue
        sw = f"{where} gold.statistics[{i}] ({st['text']!r})"
        if not _is_number(st["value"]) or st["value"] < 0:
            rep.error(sw, f"field 'value' must be a non-negative number, got {st['value']!r}")
        unit = st["unit"]
        if not (unit in ("percent", "count") or (isinstance(unit, str) and CURRENCY_RE.match(unit))):
            rep.error(sw, f"field 'unit' must be percent|count|3-letter ISO currency, got {unit!r}")
        if unit == "percent" and _is_number(st["value"]) and st["value"] > 100:
            rep.warn(sw, f"percent value {st['value']} > 100")
        if st["comparator"] not in COMPARATORS:
            rep.error(sw, f"field 'comparator' must be one of = < > ~, got {st['comparator']!r}")
        if not _is_str(st["measures"]):
            rep.error(sw, "field 'measures' must be a non-empty string")
        for f in ("population", "source"):
            if st[f] is not None and not _is_str(st[f]):
                rep.error(sw, f"field '{f}' must be a non-empty string or null")
        if st["source"] is not None and _looks_like_name(st["source"]) and st["source"] not in names:
            rep.warn(sw, f"source {st['source']!r} is not a gold actor name")
        span = _locate(text, st, sw, rep)
        if span is None:
            continue
        stat_values.add((_norm_number(st["value"]), unit))
        stats_out.append({
            "value": _norm_number(st["value"]), "unit": unit, "comparator": st["comparator"],
            "text": st["text"], "start": span[0], "end": span[1], "measures": st["measures"],
            "population": st["population"], "source": st["source"],
        })
    if not isinstance(gold["statistics"], list):
        rep.error(where, "gold.statistics must be a list")

    # ---- claims
    claims_out = []
    for i, c in enumerate(gold["claims"] if isinstance(gold["claims"], list) else []):
        cw = f"{where} gold.claims[{i}]"
        if not isinstance(c, dict):
            rep.error(cw, "must be an object")
            continue
        missing = [f for f in CLAIM_FIELDS if f not in c]
        extra = set(c) - set(CLAIM_FIELDS)
        if missing or extra:
            rep.error(cw, f"missing field(s) {missing} / unknown field(s) {sorted(extra)}")
            continue
        cw = f"{where} gold.claims[{i}] ({c['kind']}: {c['text'][:40]!r})"
        if c["kind"] not in CLAIM_KINDS:
            rep.error(cw, f"field 'kind' must be one of {sorted(CLAIM_KINDS)}, got {c['kind']!r}")
        if c["basis"] not in BASES:
            rep.error(cw, f"field 'basis' must be one of {sorted(b for b in BASES if b)} or null, got {c['basis']!r}")
        if c["polarity"] not in POLARITIES:
            rep.error(cw, f"field 'polarity' must be affirm|deny|null, got {c['polarity']!r}")
        if c["kind"] == "legal_basis" and c["basis"] is None:
            rep.warn(cw, "legal_basis claim without a basis")
        if c["kind"] in POLARITY_KINDS and c["polarity"] is None:
            rep.warn(cw, f"{c['kind']} claim without a polarity")
        if c["kind"] not in POLARITY_KINDS and c["polarity"] is not None:
            rep.warn(cw, f"polarity is only meaningful for {sorted(POLARITY_KINDS)}")
        if c["status"] not in STATUSES:
            rep.error(cw, f"field 'status' must be one of {sorted(s for s in STATUSES if s)} or null, got {c['status']!r}")
        arts = c["articles"]
        if not isinstance(arts, list) or not all(isinstance(x, str) for x in arts):
            rep.error(cw, "field 'articles' must be a list of strings")
        else:
            for art in arts:
                m = ARTICLE_RE.match(art)
                if not m:
                    rep.error(cw, f"article {art!r} is not normalised like 'GDPR Art. 6(1)(f)' or 'GDPR'")
                elif m.group("law") not in KNOWN_LAWS:
                    rep.warn(cw, f"article {art!r}: unknown law name {m.group('law')!r}")
        for f in ("claimant", "target"):
            v = c[f]
            if v is None:
                continue
            if not _is_str(v):
                rep.error(cw, f"field '{f}' must be a non-empty string or null")
            elif v not in names:
                if v in mention_to_name:
                    rep.warn(cw, f"{f} {v!r} is a mention; use the canonical name {mention_to_name[v]!r}")
                elif _looks_like_name(v):
                    rep.warn(cw, f"{f} {v!r} looks like a name but is not a gold actor name")
        amt = c["amount"]
        if amt is not None:
            if (not isinstance(amt, dict) or set(amt) != {"value", "unit"} or not _is_number(amt["value"])
                    or not isinstance(amt["unit"], str)):
                rep.error(cw, "field 'amount' must be null or {\"value\": number, \"unit\": str}")
                amt = None
            else:
                amt = {"value": _norm_number(amt["value"]), "unit": amt["unit"]}
                if (amt["value"], amt["unit"]) not in stat_values:
                    rep.warn(cw, f"amount {amt} matches no gold statistic")
        if c["kind"] == "fine" and amt is None:
            rep.warn(cw, "fine claim without an amount")
        if c["kind"] != "fine" and amt is not None:
            rep.warn(cw, "amount on a non-fine claim")
        span = _locate(text, c, cw, rep)
        if span is None:
            continue
        claims_out.append({
            "kind": c["kind"], "basis": c["basis"], "articles": list(arts) if isinstance(arts, list) else [],
            "claimant": c["claimant"], "target": c["target"], "polarity": c["polarity"], "status": c["status"],
            "amount": amt, "text": c["text"], "start": span[0], "end": span[1],
        })
    if not isinstance(gold["claims"], list):
        rep.error(where, "gold.claims must be a list")

    if len(rep.errors) > n_err:
        return None
    rec = {
        "id": doc["id"], "lang": doc["lang"], "split": doc["split"], "title": doc["title"], "text": text,
        "actors": sorted(actors_out, key=lambda a: (a["mentions"][0]["start"] if a["mentions"] else -1, a["name"])),
        "statistics": sorted(stats_out, key=lambda s: (s["start"], s["end"])),
        "claims": sorted(claims_out, key=lambda c: (c["start"], c["end"], c["kind"])),
    }
    check_offsets(rec)
    return rec


def _locate(text: str, item: dict, where: str, rep: Report) -> tuple[int, int] | None:
    span, occ = item["text"], item["occurrence"]
    if not _is_str(span):
        rep.error(where, "field 'text' must be a non-empty string without leading/trailing whitespace")
        return None
    if not isinstance(occ, int) or isinstance(occ, bool) or occ < 0:
        rep.error(where, f"field 'occurrence' must be an integer >= 0, got {occ!r}")
        return None
    found = find_occurrence(text, span, occ)
    if found is None:
        n = text.count(span)
        rep.error(where, f"span text {span!r} occurrence {occ} not found (text has {n} occurrence(s))")
    return found


def check_offsets(rec: dict) -> None:
    text = rec["text"]
    for a in rec["actors"]:
        for m in a["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], (rec["id"], m)
    for f in rec["statistics"] + rec["claims"]:
        assert text[f["start"]:f["end"]] == f["text"], (rec["id"], f)


def load_sources(src_dir: Path = SRC_DIR, langs=LANGS) -> list[tuple[Path, object]]:
    out = []
    for lang in langs:
        for p in sorted((src_dir / lang).glob("*.json")):
            out.append((p, p.read_text(encoding="utf-8")))
    return out


def compile_corpus(src_dir: Path = SRC_DIR, langs=LANGS, outlets: dict | None = None) -> tuple[list[dict], list[dict], Report]:
    """Validate every authoring file. Returns (compiled records, raw source docs, report)."""
    rep = Report()
    outlets = load_outlets() if outlets is None else outlets
    records, sources = [], []
    for p, raw in load_sources(src_dir, langs):
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            rep.error(str(p), f"invalid JSON: {exc}")
            continue
        rec = validate_article(p, doc, outlets, rep)
        sources.append(doc)
        if rec is not None:
            records.append(rec)
    # corpus-level checks
    by_id = Counter(d.get("id") for d in sources if isinstance(d, dict))
    for i, n in by_id.items():
        if n > 1:
            rep.error("corpus", f"id {i!r} used by {n} files")
    urls = Counter(d.get("url") for d in sources if isinstance(d, dict))
    for u, n in urls.items():
        if n > 1:
            rep.error("corpus", f"url {u!r} used by {n} files")
    ids = set(by_id)
    for d in sources:
        if isinstance(d, dict) and d.get("syndicated_from") and d["syndicated_from"] not in ids:
            if len(langs) == len(LANGS):
                rep.error(f"corpus {d.get('id')}", f"syndicated_from {d['syndicated_from']!r} is not an article id")
    records.sort(key=lambda r: r["id"])
    sources.sort(key=lambda d: d.get("id", "") if isinstance(d, dict) else "")
    return records, sources, rep


def render_jsonl(records: list[dict], split: str) -> str:
    lines = [json.dumps(r, ensure_ascii=False) for r in records if r["split"] == split]
    return "".join(line + "\n" for line in lines)


def summary(records: list[dict]) -> str:
    arts = Counter((r["lang"], r["split"]) for r in records)
    lines = ["articles per lang/split:"]
    for lang in LANGS:
        lines.append(f"  {lang}: " + ", ".join(f"{s}={arts.get((lang, s), 0)}" for s in SPLITS))
    lines.append("facts (dev+test; split none excluded):")
    for lang in LANGS:
        rs = [r for r in records if r["lang"] == lang and r["split"] in OUTPUT_SPLITS]
        na = sum(len(r["actors"]) for r in rs)
        nm = sum(len(a["mentions"]) for r in rs for a in r["actors"])
        ns = sum(len(r["statistics"]) for r in rs)
        nc = sum(len(r["claims"]) for r in rs)
        kinds = Counter(c["kind"] for r in rs for c in r["claims"])
        lines.append(f"  {lang}: actors={na} (mentions={nm}) statistics={ns} claims={nc}")
        if kinds:
            lines.append("      claims by kind: " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.corpus.compile", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="validate only; write nothing")
    ap.add_argument("--lang", choices=LANGS, help="validate one language only (implies --check)")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    args = ap.parse_args(argv)
    langs = (args.lang,) if args.lang else LANGS
    records, _, rep = compile_corpus(langs=langs)
    if not args.quiet:
        for w in rep.warnings:
            print(w, file=sys.stderr)
    for e in rep.errors:
        print(e, file=sys.stderr)
    print(summary(records))
    if rep.errors:
        print(f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s); nothing written", file=sys.stderr)
        return 1
    if args.check or args.lang:
        print(f"ok ({len(rep.warnings)} warning(s)); --check: nothing written")
        return 0
    for split in OUTPUT_SPLITS:
        out = CORPUS_DIR / f"gold-{split}.jsonl"
        out.write_text(render_jsonl(records, split), encoding="utf-8", newline="\n")
        print(f"wrote {out.relative_to(CORPUS_DIR.parent.parent)}")
    print(f"{len(rep.warnings)} warning(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

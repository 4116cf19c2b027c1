"""Contract dicts -> Arrow columns: the facts of a batch of articles as the tables `warehouse.load.write_facts`
inserts. Pure pyarrow and numpy (no DuckDB): the extraction workers build their chunk's batch themselves, so
the single writer only merges batches and runs the INSERTs (docs/scaling.md).

`warehouse.load.fact_rows` is the reference: one dict per row, ids hashed in Python. `fact_batch` produces the
same rows without per-row dicts: every contract dict of the batch goes to Arrow in ONE pyarrow call (C++,
nested types: actors with their mentions, statistics, claims) and rows are expanded from their lists with
Arrow kernels. Python runs once per fact row to hash its id (sha256 over the same '|'-joined parts as
short_hash, so the ids are identical; ~1.5 M a CPU-second, cheaper than DuckDB's sha256 in the INSERT), once
per statistic (str(value): the id hashes Python's spelling, 5000000 vs 5000000.0), once per actor occurrence
without a knowledge-base id (a cached lookup) and once per distinct name (normalisation, to resolve claim
parties to actor ids)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FACT_TABLES = ("mentions", "statistics", "claims")


def short_hash(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 16)
def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def actor_id(actor: dict) -> str:
    return actor.get("kb_id") or _unlinked_actor_id(actor.get("type"), actor["name"])


@lru_cache(maxsize=1 << 16)
def _unlinked_actor_id(type_: str | None, name: str) -> str:
    return "x-" + short_hash(type_, _norm(name))



_MENTION_IN = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32())])
_ACTOR_IN = pa.struct([("name", pa.string()), ("type", pa.string()), ("kb_id", pa.string()),
                       ("mentions", pa.list_(_MENTION_IN))])
_STAT_IN = pa.struct([
    ("value", pa.float64()), ("unit", pa.string()), ("comparator", pa.string()), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()), ("measures", pa.string()), ("population", pa.string()),
    ("source", pa.string()),
])
_CLAIM_IN = pa.struct([
    ("kind", pa.string()), ("basis", pa.string()), ("articles", pa.list_(pa.string())),
    ("claimant", pa.string()), ("target", pa.string()), ("polarity", pa.string()), ("status", pa.string()),
    ("amount", pa.struct([("value", pa.float64()), ("unit", pa.string())])), ("text", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()),
])
_FACTS_IN = pa.struct([("actors", pa.list_(_ACTOR_IN)), ("statistics", pa.list_(_STAT_IN)),
                       ("claims", pa.list_(_CLAIM_IN))])


@dataclass
class FactBatch:
    """One load's facts as Arrow tables, each fact row with its id (column `id`)."""
    version: str
    tables: dict[str, pa.Table]     # incoming_<name> -> table, read by that name in write_facts
    counts: dict[str, int]          # actor occurrences, and fact rows (each id once)

    @property
    def articles_extracted(self) -> int:
        """Articles whose facts the batch holds (the others were skipped, with a reason)."""
        return self.tables["incoming_ids"]["skip_reason"].null_count

    @property
    def articles_skipped(self) -> int:
        return self.tables["incoming_ids"].num_rows - self.articles_extracted


def _items(lists: pa.ListArray) -> tuple[pa.StructArray, pa.Array]:
    """The struct items of every list, and for each item the row of the list that holds it."""
    return lists.flatten(), pc.list_parent_indices(lists)


def _column_table(structs: pa.StructArray, **extra: pa.Array) -> pa.Table:
    columns = dict(zip([f.name for f in structs.type], structs.flatten()))
    columns.update(extra)
    columns["span_start"] = columns.pop("start")
    columns["span_end"] = columns.pop("end")
    return pa.table(columns)


def _last_of_each(codes: np.ndarray) -> np.ndarray:
    """For codes numbered in order of first appearance (0, 1, ... as dictionary_encode numbers them): the
    index of each code's LAST row, in code order."""
    if not len(codes):
        return np.zeros(0, np.int64)
    return len(codes) - 1 - np.unique(codes[::-1], return_index=True)[1]


def _actor_ids(kb_id: pa.Array, type_: pa.Array, name: pa.Array) -> pa.Array:
    """actor_id() of every actor occurrence: its kb_id, else (None or '') the hashed type and normalised name."""
    unlinked = pc.fill_null(pc.equal(kb_id, ""), True)
    if not pc.any(unlinked).as_py():
        return kb_id
    rows = pc.indices_nonzero(unlinked)
    ids = [_unlinked_actor_id(t, n) for t, n in zip(type_.take(rows).to_pylist(), name.take(rows).to_pylist())]
    return pc.replace_with_mask(kb_id, unlinked, pa.array(ids, pa.string()))


def _party_ids(actor_article: pa.Array, actor_name: pa.Array, actor_ids: pa.Array,
               claim_article: pa.Array, parties: list[pa.Array]) -> list[pa.Array]:
    """For each claim party (claimant, target), the id of the LAST actor of the claim's article whose
    normalised name equals the party's (a missing party normalises as ''), else null: what fact_rows does with
    its name -> id dict. Names are normalised once per distinct name; the lookup is an Arrow index_in over
    (article, name) keys made unique first."""
    codes: dict[str, int] = {}

    def norm_codes(names: pa.Array) -> np.ndarray:
        encoded = pc.dictionary_encode(names)
        per_name = np.array([codes.setdefault(_norm(n), len(codes)) for n in encoded.dictionary.to_pylist()]
                            + [-1], np.int64)   # -1: a null name, which matches nothing
        return per_name[encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()]

    actor_code = norm_codes(actor_name)
    party_codes = [norm_codes(pc.fill_null(p, "")) for p in parties]
    width = len(codes) + 1
    actor_keys = actor_article.to_numpy().astype(np.int64) * width + actor_code
    key_codes = pc.dictionary_encode(pa.array(actor_keys)).indices.to_numpy()
    last = _last_of_each(key_codes)
    unique_keys, unique_ids = pa.array(actor_keys[last]), actor_ids.take(pa.array(last))
    claim_keys = claim_article.to_numpy().astype(np.int64) * width
    return [unique_ids.take(pc.index_in(pa.array(claim_keys + code), value_set=unique_keys))
            for code in party_codes]


def _one_row_per_actor(actors: pa.Table) -> pa.Table:
    """One row per actor id, in order of first occurrence, with the values of its last (as _last_per_key)."""
    codes = pc.dictionary_encode(actors["actor_id"].combine_chunks()).indices.to_numpy()
    return actors.take(pa.array(_last_of_each(codes)))


def _with_ids(table: pa.Table, *parts: str | pa.Array | pa.ChunkedArray) -> pa.Table:
    """`table` with each row's id (column `id`) as short_hash spells it: sha256 of the '|'-joined parts (fixed
    words, or columns: numbers in decimal, a missing value as 'None', as str() spells them), first 16 hex digits.
    A row whose id a later row repeats is dropped: the last one stands, as in _last_per_key (fact tables carry no
    key constraint, and ids must stay unique through any number of reloads). The parts are joined by Arrow;
    Python only hashes (~2.5 M ids per CPU-s), in the extraction workers: not the single writer's work."""
    columns = [p if isinstance(p, str) else pc.cast(p, pa.string()) for p in parts]
    joined = pc.binary_join_element_wise(*columns, "|", null_handling="replace", null_replacement="None")
    sha = hashlib.sha256
    ids = [sha(key).hexdigest()[:16] for key in joined.cast(pa.binary()).to_pylist()]
    table = table.append_column("id", pa.array(ids, pa.string()))
    if len(set(ids)) == len(ids):
        return table
    last = {row_id: i for i, row_id in enumerate(ids)}
    return table.take(pa.array(sorted(last.values()), pa.int64()))


def fact_batch(extracted: list[tuple[str, dict]], version: str,
               skipped: dict[str, str] | None = None) -> FactBatch:
    """Contract dicts ([(article_id, contract dict)]) -> Arrow tables, column-wise. An article given twice
    counts once, with its last facts; an article both extracted and skipped counts as extracted."""
    by_article = dict(extracted)
    skipped = {a: r for a, r in (skipped or {}).items() if a not in by_article}
    article_ids = pa.array(list(by_article), pa.string())
    actor_lists, stat_lists, claim_lists = pa.array(list(by_article.values()), _FACTS_IN).flatten()

    actor, actor_art = _items(actor_lists)
    actor_name, actor_type, actor_kb = actor.field("name"), actor.field("type"), actor.field("kb_id")
    actor_ids = _actor_ids(actor_kb, actor_type, actor_name)
    mention, parent = _items(actor.field("mentions"))
    mention_art = actor_art.take(parent)
    mentions = _column_table(mention, article_id=article_ids.take(mention_art), actor_id=actor_ids.take(parent),
                             actor_name=actor_name.take(parent), actor_type=actor_type.take(parent))

    stat, stat_art = _items(stat_lists)
    statistics = _column_table(stat, article_id=article_ids.take(stat_art))

    claim, claim_art = _items(claim_lists)
    claimant_ids, target_ids = _party_ids(actor_art, actor_name, actor_ids, claim_art,
                                          [claim.field("claimant"), claim.field("target")])
    claim_table = _column_table(claim, article_id=article_ids.take(claim_art),
                                claimant_actor_id=claimant_ids, target_actor_id=target_ids)

    # Row ids: the parts short_hash is given in warehouse.load.fact_rows, the reference. A statistic's value is
    # spelled as Python spells the contract's number (5000000 vs 5000000.0 give different ids).
    value_key = pa.array([str(s.get("value")) for f in by_article.values() for s in f.get("statistics") or ()],
                         pa.string())
    mentions = _with_ids(mentions, mentions["article_id"], "mention", mentions["span_start"], mentions["span_end"],
                         mentions["actor_id"], version)
    statistics = _with_ids(statistics, statistics["article_id"], "statistic", statistics["span_start"],
                           statistics["span_end"], statistics["unit"], value_key, version)
    claim_table = _with_ids(claim_table, claim_table["article_id"], "claim", claim_table["kind"],
                            claim_table["span_start"], claim_table["span_end"], version)
    actor_table = _one_row_per_actor(pa.table({"actor_id": actor_ids, "name": actor_name, "type": actor_type,
                                               "kb_id": actor_kb}))
    ids = pa.table({"article_id": pa.concat_arrays([article_ids, pa.array(list(skipped), pa.string())]),
                    "skip_reason": pa.array([None] * len(by_article) + list(skipped.values()), pa.string())})
    return FactBatch(version=version,
                     tables={"incoming_ids": ids, "incoming_actors": actor_table, "incoming_mentions": mentions,
                             "incoming_statistics": statistics, "incoming_claims": claim_table},
                     counts={"actors": len(actor_ids), "mentions": mentions.num_rows,
                             "statistics": statistics.num_rows, "claims": claim_table.num_rows})


def merge_batches(batches: list[FactBatch]) -> FactBatch:
    """One batch with the facts of all `batches` (extraction chunks, each built by fact_batch in the process
    that extracted it): tables concatenated, each actor kept once (its last occurrence, as fact_batch keeps
    it). The batches must come from one extractor version and hold different articles, as chunks cut from one
    pending list do; merging an article twice is refused (which facts would win is not the batches' to say)."""
    if not batches:
        raise ValueError("merge_batches: no batches")
    if len(batches) == 1:
        return batches[0]
    versions = sorted({b.version for b in batches})
    if len(versions) > 1:
        raise ValueError(f"merge_batches: batches of different extractor versions {versions}")
    tables = {}
    for name in batches[0].tables:
        # one contiguous table each: DuckDB inserts from it ~15 % faster than from 64 small record batches
        tables[name] = pa.concat_tables([b.tables[name] for b in batches]).combine_chunks()
    ids = tables["incoming_ids"]["article_id"]
    if pc.count_distinct(ids).as_py() != len(ids):
        raise ValueError("merge_batches: an article is in two batches; extract it once, or load the batches "
                         "one after the other")
    tables["incoming_actors"] = _one_row_per_actor(tables["incoming_actors"])
    return FactBatch(version=versions[0], tables=tables,
                     counts={k: sum(b.counts[k] for b in batches) for k in batches[0].counts})

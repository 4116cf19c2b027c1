"""The actor knowledge base as the digest needs it: countries (for `countries` filters) and aliases (for
`actors` filters). Loaded from models/kb/actors.jsonl into the `actor_countries` table, idempotently."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.db import transaction

logger = logging.getLogger(__name__)

KB_FILE = Path(__file__).resolve().parents[2] / "models" / "kb" / "actors.jsonl"


@dataclass(frozen=True)
class KbActor:
    id: str
    name: str
    type: str | None
    country: str | None
    names: tuple[str, ...]       # lower-cased canonical name, aliases and per-language aliases


def load_kb(path: Path = KB_FILE) -> list[KbActor]:
    """Read the knowledge base; a missing file means no countries are known (and says so in the log)."""
    if not path.exists():
        logger.warning("actor knowledge base %s is missing: country filters will match nothing", path)
        return []
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            names = [rec["name"], *rec.get("aliases", [])]
            for extra in (rec.get("lang_aliases") or {}).values():
                names.extend(extra)
            out.append(KbActor(id=rec["id"], name=rec["name"], type=rec.get("type"), country=rec.get("country"),
                               names=tuple(dict.fromkeys(n.strip().lower() for n in names if n.strip()))))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{lineno}: not a knowledge-base record {{id, name, ...}} ({exc})") from exc
    return out


def sync_actor_countries(con: duckdb.DuckDBPyConnection, kb: list[KbActor]) -> int:
    """Replace the actor_countries table with the knowledge base, in one transaction (idempotent)."""
    table = pa.table({
        "actor_id": pa.array([a.id for a in kb], pa.string()),
        "name": pa.array([a.name for a in kb], pa.string()),
        "type": pa.array([a.type for a in kb], pa.string()),
        "country": pa.array([a.country for a in kb], pa.string()),
        "names": pa.array([list(a.names) for a in kb], pa.list_(pa.string())),
    })
    with transaction(con, incoming_kb=table):
        con.execute("DELETE FROM actor_countries")
        con.execute("INSERT INTO actor_countries BY NAME (SELECT DISTINCT ON (actor_id) * FROM incoming_kb)")
    return table.num_rows


def resolve_actors(names: tuple[str, ...], kb: list[KbActor]) -> tuple[list[str], list[str]]:
    """Rule actor strings -> (KB ids, lower-cased names incl. all aliases of the matched KB entries)."""
    ids: list[str] = []
    lowered: list[str] = []
    for raw in names:
        key = raw.strip().lower()
        lowered.append(key)
        for actor in kb:
            if key == actor.id or key in actor.names:
                ids.append(actor.id)
                lowered.extend(actor.names)
    return sorted(set(ids)), sorted(set(lowered))

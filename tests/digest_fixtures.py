"""Shared helpers for the digest tests: a warehouse filled from tests/data/digest/articles.json through the
real loaders, settings pointing at temporary paths, and a real SMTP server (aiosmtpd) on 127.0.0.1."""
from __future__ import annotations

import json
import socket
from datetime import datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

from flows.settings import load_settings
from warehouse.db import open_warehouse
from warehouse.load import replace_facts, upsert_articles

DATA = Path(__file__).resolve().parent / "data" / "digest"
VERSION = "digest-test-1"


def fixture_articles(ids: list[str] | None = None) -> list[dict]:
    arts = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))["articles"]
    return [a for a in arts if ids is None or a["article"]["article_id"] in ids]


def load_articles(db: Path, ids: list[str] | None = None) -> list[str]:
    arts = fixture_articles(ids)
    now = datetime.now(timezone.utc)
    rows = []
    for a in arts:
        row = dict(a["article"])
        row["published"] = datetime.fromisoformat(row["published"])
        row["fetched_at"] = now
        rows.append(row)
    with open_warehouse(db) as con:
        upsert_articles(con, rows)
        replace_facts(con, [(a["article"]["article_id"], a["facts"]) for a in arts], VERSION)
    return [a["article"]["article_id"] for a in arts]


def settings_for(tmp_path: Path, rules: Path | None = None, smtp_port: int | None = None, **kw):
    if smtp_port:
        kw["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none", "timeout": 5.0}
    return load_settings(db=tmp_path / "w.duckdb", data_dir=tmp_path / "data",
                         rules_file=rules or DATA / "rules.toml", **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or
                              envelope.content))
        return "250 OK"

    def parsed(self):
        return [message_from_bytes(raw, policy=policy.default) for _, _, raw in self.messages]

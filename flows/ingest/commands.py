"""CLI commands of the ingest feature: `privnews feeds`, `privnews ingest`, `privnews serve`.
Thin: parse options, call flows.ingest, print. Registered by flows.cli via `register(app)`."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

import typer

logger = logging.getLogger(__name__)

DB_HELP = "DuckDB file (default: PRIVNEWS_DB or data/privnews.duckdb)."


def _health(row: dict | None) -> str:
    if row is None or row.get("last_fetched_at") is None:
        return "never fetched"
    if row.get("consecutive_failures"):
        return f"failing ({row['consecutive_failures']}x)"
    return "ok (warning)" if row.get("parse_warning") else "ok"


def _when(value) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else None


def feed_table(settings, profile: str | None = None) -> tuple[list[str], list[tuple]]:
    """Registry feeds (all, or one profile) with their health from the `feeds` table, plus ad-hoc feeds
    that were ingested but are not in the registry."""
    from flows.ingest.registry import load_registry
    from flows.ingest.store import feeds_health
    from warehouse.db import connect

    registry = load_registry(settings.feeds_file)
    specs = registry.profile(profile) if profile else registry.feeds
    health: dict[str, dict] = {}
    if Path(settings.db).exists():
        con = connect(settings.db, read_only=True, lock_timeout=settings.lock_timeout)
        try:
            if con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'feeds' "
                           "AND column_name = 'last_elapsed_ms'").fetchone()[0]:
                cols, rows = feeds_health(con)
                health = {r[0]: dict(zip(cols, r)) for r in rows}
        finally:
            con.close()
    columns = ["outlet", "kind", "lang", "profiles", "url", "health", "last_success_at", "last_error",
               "parse_warning", "articles"]
    out = []
    listed = set()
    for spec in specs:
        h = health.get(spec.feed_id)
        listed.add(spec.feed_id)
        out.append((spec.outlet, spec.kind, spec.lang, ",".join(spec.profiles), spec.url, _health(h),
                    _when(h and h["last_success_at"]), h and h["last_error"], h and h["parse_warning"],
                    h["articles"] if h else 0))
    if not profile:
        for fid, h in health.items():
            if fid not in listed:
                out.append((h["outlet"], h["kind"], h["lang"], "", h["url"], _health(h), _when(h["last_success_at"]),
                            h["last_error"], h["parse_warning"], h["articles"]))
    return columns, out


def register(app: typer.Typer) -> None:
    @app.command("feeds")
    def feeds_cmd(db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
                  profile: Optional[str] = typer.Option(None, help="Only this registry profile."),
                  fmt: str = typer.Option("table", "--format", help="table | json | csv")) -> None:
        """List the feed registry with each feed's health (last success, last error, failures)."""
        from flows.cli import fail, print_rows, settings_or_fail
        from flows.settings import ConfigError
        from warehouse.db import WarehouseError

        settings = settings_or_fail(db=db)
        try:
            columns, rows = feed_table(settings, profile)
        except (ConfigError, WarehouseError) as exc:
            fail(str(exc))
        print_rows(columns, rows, fmt, title=f"feeds ({settings.feeds_file or 'bundled registry'})")

    @app.command("ingest")
    def ingest_cmd(feed: Optional[list[str]] = typer.Option(None, "--feed", help="Ingest this feed URL "
                                                             "(repeatable) instead of a registry profile."),
                   profile: Optional[str] = typer.Option(None, help="Registry profile (default: sample)."),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Fetch feeds and their articles into the warehouse (no extraction; `privnews run` does both)."""
        import json

        from flows.cli import console, fail, settings_or_fail
        from flows.prefect_server import PrefectServerError, ephemeral_api
        from flows.settings import ConfigError
        from warehouse.db import WarehouseError

        settings = settings_or_fail(db=db, profile=profile)
        try:
            from flows.ingest.flow import ingest
            from flows.ingest.registry import resolve_feeds

            specs = resolve_feeds(settings, feed)          # bad URLs / profiles fail before Prefect starts
            with ephemeral_api():                          # a server that dies with this process, even on SIGKILL
                counts = ingest(settings, specs)
        except (ConfigError, WarehouseError, PrefectServerError) as exc:
            fail(str(exc))
        console.print_json(json.dumps(counts))

    @app.command("serve")
    def serve_cmd(db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
                  profile: Optional[str] = typer.Option(None, help="Registry profile the schedule ingests."),
                  port: Optional[int] = typer.Option(None, help="Port for the local Prefect server "
                                                     "(when PREFECT_API_URL is unset; default: a free one)."),
                  ui: bool = typer.Option(False, help="Serve the Prefect UI from the local server.")) -> None:
        """Run the schedules (ingest every N minutes, daily/weekly digests) until Ctrl-C."""
        from flows.cli import fail, settings_or_fail
        from flows.ingest.serve import ServeError, serve
        from flows.settings import ConfigError

        settings = settings_or_fail(db=db, profile=profile)
        try:
            serve(settings, port=port, ui=ui)
        except (ConfigError, ServeError) as exc:
            fail(str(exc))

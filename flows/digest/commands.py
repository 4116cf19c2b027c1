"""CLI commands for digests (registered on the main typer app by flows/cli.py): parse, dispatch, print.

    privnews digest --subscription NAME [--since 7d] [--dry-run]
    privnews rules check
    privnews rules test NAME [--since 30d]
    privnews report [--since 90d] [--out PATH]
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from flows.settings import ConfigError, load_settings
from warehouse.db import WarehouseError

DB_HELP = "DuckDB file (default: PRIVNEWS_DB or data/privnews.duckdb)."
RULES_HELP = "Rules file (default: PRIVNEWS_RULES_FILE or the bundled flows/digest/rules.toml)."


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings(db: Path | None, rules: Path | None):
    try:
        return load_settings(db=db, rules_file=rules)
    except ConfigError as exc:
        _fail(str(exc))


def _duration(text: str | None):
    from flows.digest.run import parse_duration

    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def register(app: typer.Typer) -> None:
    rules_app = typer.Typer(help="Check digest rules and see what they match.", no_args_is_help=True)
    app.add_typer(rules_app, name="rules")

    @app.command("digest")
    def digest_cmd(subscription: Optional[str] = typer.Option(None, "--subscription", "-s",
                                                              help="Subscription name (default: the default one)."),
                   since: str = typer.Option("7d", help="How far back the first run looks (e.g. 7d, 12h)."),
                   dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be sent; record nothing."),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
                   rules: Optional[Path] = typer.Option(None, "--rules", help=RULES_HELP)) -> None:
        """Send a subscription's digest: new matches of its rules, each item exactly once."""
        from flows.digest.rules import RulesError
        from flows.prefect_server import PrefectServerError, ephemeral_api

        settings = _settings(db, rules)
        window = _duration(since)
        try:
            if dry_run:
                from flows.digest.run import run_digest

                result = run_digest(settings, subscription, window, dry_run=True)
            else:
                from flows.digest.flow import digest

                with ephemeral_api():       # a Prefect API server that dies with this process
                    result = digest(settings, subscription, since)
        except (RulesError, WarehouseError, PrefectServerError) as exc:
            _fail(str(exc))
        if dry_run:
            for dest, text in result.preview.items():
                typer.echo(f"--- would send to {dest} ---")
                typer.echo(text)
            typer.echo(f"dry run: {result.new_items} new item(s) for {result.subscription}; nothing recorded.")
            return
        for m in result.messages:
            where = f" -> {m.path}" if m.path else ""
            again = " (re-sent from the outbox)" if m.resent else ""
            typer.echo(f"{m.state}: {m.items} item(s) in {m.stories} stor{'ies' if m.stories != 1 else 'y'} "
                       f"to {m.destination}{where}{again}")
        if not result.messages:
            typer.echo(f"nothing new for {result.subscription}.")
        if result.failed:
            _fail(f"{len(result.failed)} digest(s) not delivered ({result.failed[0].error}). They stay in the "
                  "outbox and are sent by the next run.", code=1)

    @rules_app.command("check")
    def rules_check(rules: Optional[Path] = typer.Option(None, "--rules", help=RULES_HELP)) -> None:
        """Validate the rules file and list its rules and subscriptions."""
        from flows.digest.rules import RulesError, cron_of, load_rules, rules_path

        settings = _settings(None, rules)
        path = rules_path(settings)
        try:
            ruleset = load_rules(path)
        except RulesError as exc:
            _fail(str(exc))
        typer.echo(f"{path}: {len(ruleset.rules)} rule(s), {len(ruleset.subscriptions)} subscription(s), valid.")
        for r in ruleset.rules.values():
            filters = [f"{k}={','.join(v)}" for k, v in (("kinds", r.kinds), ("countries", r.countries),
                                                          ("articles", r.articles), ("actors", r.actors),
                                                          ("basis", r.basis), ("statuses", r.statuses),
                                                          ("languages", r.languages)) if v]
            if r.min_amount:
                filters.append(f"min_amount={r.min_amount.value:,.0f} {r.min_amount.currency}")
            typer.echo(f"  rule {r.name}: {'; '.join(filters)}")
        for s in ruleset.subscriptions.values():
            typer.echo(f"  subscription {s.name}: rules {', '.join(s.rules)} -> {', '.join(s.to)} "
                       f"({s.schedule}: cron {cron_of(s, settings)}; {'+'.join(s.format)})")

    @rules_app.command("test")
    def rules_test(name: str = typer.Argument(..., help="Rule name."),
                   since: Optional[str] = typer.Option(None, help="Only facts loaded within (e.g. 30d); default all."),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
                   rules: Optional[Path] = typer.Option(None, "--rules", help=RULES_HELP)) -> None:
        """Show what a rule matches in the warehouse now (sends and records nothing)."""
        from flows.digest.actors import load_kb, sync_actor_countries
        from flows.digest.compile import compile_rule, run_rule
        from flows.digest.render import amount
        from flows.digest.rules import RulesError, load_rules, rules_path
        from warehouse.db import open_warehouse

        settings = _settings(db, rules)
        window = _duration(since)
        try:
            rule = load_rules(rules_path(settings)).rule(name)
            start = datetime.now(timezone.utc) - window if window else None
            with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
                kb = load_kb()
                sync_actor_countries(con, kb)
                matches = run_rule(con, compile_rule(rule, kb, start))
        except (RulesError, WarehouseError) as exc:
            _fail(str(exc))
        items = {m.item_key for m in matches}
        typer.echo(f"rule {name}: {len(matches)} claim(s), {len(items)} distinct item(s)")
        for m in matches:
            what = " ".join(x for x in (m.claimant, "->" if m.target else None, m.target,
                                        amount(m.amount_value, m.amount_unit)) if x)
            typer.echo(f"- [{m.kind}] {what} | {m.outlet} {m.published:%Y-%m-%d} | \"{m.evidence}\" | {m.url}"
                       if m.published else f"- [{m.kind}] {what} | {m.outlet} | \"{m.evidence}\" | {m.url}")

    @app.command("report")
    def report_cmd(since: str = typer.Option("90d", help="Period to chart (e.g. 90d, 52w)."),
                   out: Optional[Path] = typer.Option(None, "--out", help="HTML file (default: data/reports/…)."),
                   db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Write an offline HTML overview with charts: fines, legal bases, actors, changed statistics."""
        from flows.digest.report import write_report
        from warehouse.db import open_warehouse

        settings = _settings(db, None)
        window = _duration(since)
        now = datetime.now(timezone.utc)
        path = out or Path(settings.data_dir) / "reports" / f"report-{now:%Y-%m-%d}.html"
        try:
            with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
                write_report(con, path, since=now - window, now=now)
        except WarehouseError as exc:
            _fail(str(exc))
        sys.stdout.write(f"report written to {path}\n")

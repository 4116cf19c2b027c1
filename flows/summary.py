"""The short summary `privnews run` prints: what this run added, and what the warehouse now holds."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from flows.settings import Settings
from warehouse.db import named_query
from warehouse.query import open_readonly


def _changed(counts: dict) -> int:
    ingest = counts.get("ingest") or {}
    extract = counts.get("extract") or {}
    return (ingest.get("articles_new", 0) + ingest.get("articles_updated", 0)
            + extract.get("articles_extracted", 0) + extract.get("articles_skipped", 0))


def print_summary(settings: Settings, counts: dict, console: Console) -> None:
    ingest = counts.get("ingest") or {}
    extract = counts.get("extract") or {}
    con = open_readonly(settings.db, lock_timeout=settings.lock_timeout)
    try:
        totals = dict(con.execute(named_query("summary_counts")).fetchall())
        top = con.execute(named_query("top_actors"), {"limit": 8}).fetchall()
        newest = con.execute(named_query("newest_claims"), {"limit": 5}).fetchall()
        rejected_total, rejected_open = con.execute(named_query("ingest_rejections_count")).fetchall()[0]
    finally:
        con.close()

    console.print(f"[bold]privnews run[/] -> {settings.db}")
    console.print(
        f"feeds: {ingest.get('feeds', 0)} ({ingest.get('feeds_failed', 0)} failed, "
        f"{ingest.get('not_modified', 0)} unchanged)  articles: {ingest.get('articles_new', 0)} new, "
        f"{ingest.get('articles_updated', 0)} updated, {ingest.get('articles_unchanged', 0)} unchanged, "
        f"{ingest.get('articles_failed', 0)} failed  extracted: {extract.get('articles_extracted', 0)}"
    )
    if ingest.get("rejected") or rejected_open:
        console.print(
            f"rejected feed items: {ingest.get('rejected', 0)} this run; {rejected_open} not stored of "
            f"{rejected_total} recorded; why: privnews query \"select * from ingest_rejections\"",
            highlight=False)
    if _changed(counts) == 0:
        console.print("[green]Nothing new: this run added no articles and no facts.[/]")
    console.print(
        f"warehouse: {totals['articles']} articles ({totals['skipped']} skipped) in {totals['stories']} stories; "
        f"{totals['actors']} actors, {totals['mentions']} mentions, {totals['statistics']} statistics, "
        f"{totals['claims']} claims"
    )
    table = Table(title="Top actors")
    for col in ("actor", "type", "articles", "mentions"):
        table.add_column(col)
    for row in top:
        table.add_row(*(str(v) for v in row))
    console.print(table)
    console.print("[bold]Newest claims[/]")
    for kind, claimant, target, status, basis, amount, unit, evidence, title, url, _published in newest:
        extra = ", ".join(x for x in (status, basis, f"{amount:,.0f} {unit}" if amount else None) if x)
        console.print(f"- [cyan]{kind}[/] {claimant or '?'} -> {target or '?'}" + (f" ({extra})" if extra else ""),
                      highlight=False)
        console.print(f'    "{evidence}"', highlight=False, markup=False)
        console.print(f"    {title} <{url}>", highlight=False, markup=False)
    for path in counts.get("digests") or []:
        console.print(f"digest written: {path}", highlight=False)

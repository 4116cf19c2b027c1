"""`privnews report`: one offline HTML page with plotly charts a researcher would rather look at than read:
fines per regulator over time (with amounts), claims per legal basis and per actor, statistics that
changed. plotly.js is embedded in the page (no CDN, nothing fetched when it is opened)."""
from __future__ import annotations

import html
import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from flows.digest.deliver import write_file
from flows.digest.render import amount
from warehouse.db import named_query

logger = logging.getLogger(__name__)

TOP_ACTORS = 15
_FONT = "font-family:Arial,Helvetica,sans-serif;"


def _rows(con: duckdb.DuckDBPyConnection, name: str, since: datetime | None) -> list[dict]:
    cur = con.execute(named_query(name), {"since": since})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def fines_figure(fines: list[dict]) -> go.Figure | None:
    """Each fine a marker (log amount over time), one trace per regulator and currency."""
    if not fines:
        return None
    fig = go.Figure()
    groups: dict[tuple[str, str], list[dict]] = {}
    for f in fines:
        if f["amount"] is not None:
            groups.setdefault((f["authority"], f["currency"] or "?"), []).append(f)
    for (authority, currency), rows in sorted(groups.items()):
        fig.add_trace(go.Scatter(
            x=[r["published"] for r in rows], y=[r["amount"] for r in rows], mode="markers",
            name=f"{authority} ({currency})", marker={"size": 12, "opacity": 0.8},
            customdata=[[r["fined_party"] or "?", amount(r["amount"], r["currency"]), r["title"] or "",
                         r["reports"]] for r in rows],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                          "<br>reported by %{customdata[3]} article(s)<extra>%{fullData.name}</extra>"))
    fig.update_layout(title="Fines per regulator over time (amount, log scale)", yaxis_type="log",
                      yaxis_title="amount", xaxis_title="published", legend_title="regulator (currency)",
                      height=520)
    return fig


def fine_totals_figure(fines: list[dict]) -> go.Figure | None:
    counts = Counter(f["authority"] for f in fines)
    if not counts:
        return None
    names = [n for n, _ in counts.most_common()]
    fig = go.Figure(go.Bar(x=names, y=[counts[n] for n in names], marker_color="#1a56a8"))
    fig.update_layout(title="Number of fines per regulator", yaxis_title="fines", height=420)
    return fig


def basis_figure(claims: list[dict]) -> go.Figure | None:
    rows = [c for c in claims if c["basis"]]
    if not rows:
        return None
    bases = [b for b, _ in Counter(c["basis"] for c in rows).most_common()]
    fig = go.Figure()
    for polarity in sorted({c["polarity"] or "unspecified" for c in rows}):
        count = Counter(c["basis"] for c in rows if (c["polarity"] or "unspecified") == polarity)
        fig.add_trace(go.Bar(x=[b.replace("_", " ") for b in bases], y=[count[b] for b in bases], name=polarity))
    fig.update_layout(title="Claims per legal basis (affirm = the basis is said to apply, deny = said to be absent)",
                      barmode="stack", yaxis_title="claims", height=420)
    return fig


def actor_figure(claims: list[dict]) -> go.Figure | None:
    per_kind: dict[str, Counter] = {}
    total: Counter = Counter()
    for c in claims:
        for who in {c["claimant"], c["target"]} - {None, ""}:
            per_kind.setdefault(c["kind"], Counter())[who] += 1
            total[who] += 1
    if not total:
        return None
    top = [n for n, _ in total.most_common(TOP_ACTORS)][::-1]
    fig = go.Figure()
    for kind, count in sorted(per_kind.items()):
        fig.add_trace(go.Bar(y=top, x=[count[n] for n in top], name=kind.replace("_", " "), orientation="h"))
    fig.update_layout(title=f"Claims per actor (claimant or target, top {TOP_ACTORS}) by kind", barmode="stack",
                      xaxis_title="claims", height=max(360, 28 * len(top) + 160))
    return fig


def statistics_figure(stats: list[dict]) -> go.Figure | None:
    if not stats:
        return None
    fig = go.Figure()
    series: dict[tuple[str, str], list[dict]] = {}
    for s in stats:
        series.setdefault((s["measures"] if s["measures"] else s["measure_key"], s["unit"]), []).append(s)
    for (measure, unit), rows in series.items():
        fig.add_trace(go.Scatter(
            x=[r["published"] for r in rows], y=[r["value"] for r in rows], mode="lines+markers",
            name=f"{measure} ({unit})"[:80],
            customdata=[[r["outlet"] or "", r["evidence"]] for r in rows],
            hovertemplate="%{y} " + unit.replace("%", "%%") + "<br>%{customdata[0]}: %{customdata[1]}<extra></extra>"))
    fig.update_layout(title="Statistics reported with more than one value over time", height=460,
                      yaxis_title="value")
    return fig


def build_report(con: duckdb.DuckDBPyConnection, since: datetime | None, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    fines = _rows(con, "digest_report_fines", since)
    claims = _rows(con, "digest_report_claims", since)
    stats = _rows(con, "digest_report_statistics", since)
    sections = [
        ("Fines", fines_figure(fines), "No fines in this period."),
        ("Fines per regulator", fine_totals_figure(fines), "No fines in this period."),
        ("Legal bases", basis_figure(claims), "No legal-basis claims in this period."),
        ("Actors", actor_figure(claims), "No claims naming an actor in this period."),
        ("Statistics that changed", statistics_figure(stats), "No statistic was reported with different values."),
    ]
    body = []
    for title, fig, empty in sections:
        body.append(f'<h2 style="{_FONT}">{html.escape(title)}</h2>')
        if fig is None:
            body.append(f'<p style="{_FONT}color:#666;">{html.escape(empty)}</p>')
        else:
            body.append(fig.to_html(full_html=False, include_plotlyjs=False,
                                    config={"displaylogo": False, "responsive": True}))
    period = f"since {since:%Y-%m-%d}" if since else "all time"
    summary = (f"{len(fines)} fines, {len(claims)} claims, {len({s['measure_key'] for s in stats})} statistic(s) that "
               f"changed; {period}; generated {now:%Y-%m-%d %H:%M} UTC.")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>privnews overview</title>"
            f"<script type=\"text/javascript\">{get_plotlyjs()}</script></head>"
            f"<body style=\"max-width:1100px;margin:0 auto;padding:16px;\">"
            f"<h1 style=\"{_FONT}\">privnews overview</h1><p style=\"{_FONT}\">{html.escape(summary)}</p>"
            + "\n".join(body) + "</body></html>\n")


def write_report(con: duckdb.DuckDBPyConnection, path: Path, since: datetime | None,
                 now: datetime | None = None) -> Path:
    page = build_report(con, since, now)
    write_file(Path(path), page)
    logger.info("report written to %s (%d bytes)", path, len(page))
    return Path(path)

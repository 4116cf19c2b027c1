"""A digest -> plain text and HTML for mail clients: inline styles only, no scripts, no external resources,
and every string that came from a feed or an article escaped. Links are kept only for http(s) URLs."""
from __future__ import annotations

import html
import logging
from datetime import datetime
from urllib.parse import urlsplit

from flows.digest.content import Digest, Item, Source, Story

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "legal_basis": "Legal basis", "article_citation": "Article cited", "fine": "Fine", "complaint": "Complaint",
    "cease_and_desist": "Cease and desist", "class_action": "Class action", "objection": "Objection",
    "court_ruling": "Court ruling", "investigation": "Investigation", "violation": "Violation",
    "appeal": "Appeal", "order": "Order", "reprimand": "Reprimand", "other": "Other",
}
_FONT = "font-family:Arial,Helvetica,sans-serif;"
_MARK = "background-color:#fff0a0;color:#000000;padding:0 2px;font-weight:bold;"


def subject(d: Digest) -> str:
    c = d.counts
    return (f"privnews digest {d.subscription}: {c['items']} new item{'s' * (c['items'] != 1)} "
            f"in {c['stories']} stor{'ies' if c['stories'] != 1 else 'y'} ({d.generated_at:%Y-%m-%d})")


def header_line(d: Digest) -> str:
    c = d.counts
    kinds = ", ".join(f"{n} {KIND_LABELS.get(k, k).lower()}" for k, n in c["by_kind"].items())
    since = f" since {d.since:%Y-%m-%d %H:%M} UTC" if d.since else ""
    return (f"{c['items']} new items ({kinds}) in {c['stories']} stories from {c['sources']} articles "
            f"by {c['outlets']} outlets{since}. Rules: {', '.join(d.rules)}.")


def amount(value: float | None, unit: str | None) -> str | None:
    if value is None:
        return None
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{shown} {unit or ''}".strip()


def _date(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d}" if dt else "date unknown"


def _facts(item: Item) -> list[tuple[str, str]]:
    m = item.match
    out = []
    if m.claimant:
        out.append(("by", m.claimant + (f" ({m.claimant_country})" if m.claimant_country else "")))
    if m.target:
        out.append(("against", m.target + (f" ({m.target_country})" if m.target_country else "")))
    if m.amount_value is not None:
        out.append(("amount", amount(m.amount_value, m.amount_unit)))
    if m.basis:
        out.append(("basis", m.basis.replace("_", " ") + (f" ({m.polarity})" if m.polarity else "")))
    if m.articles:
        out.append(("articles", "; ".join(m.articles)))
    if m.status:
        out.append(("status", m.status))
    return out


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


# ------------------------------------------------------------------------------------------------ text

def render_text(d: Digest) -> str:
    lines = [f"privnews digest: {d.subscription} ({d.generated_at:%Y-%m-%d %H:%M} UTC)", "", header_line(d)]
    if d.report_link:
        lines.append(f"Overview with charts: {d.report_link}")
    for story in d.stories:
        lines += ["", "=" * 78, story.title, "=" * 78]
        for item in story.items:
            m = item.match
            lines.append(f"* {KIND_LABELS.get(m.kind, m.kind)}  [rule: {', '.join(item.rules)}]")
            for label, value in _facts(item):
                lines.append(f"    {label}: {value}")
            a, b = m.span
            lines.append(f"    evidence: \"{m.sentence[:a]}>>{m.sentence[a:b]}<<{m.sentence[b:]}\"")
            lines.append(f"    from: {m.outlet or 'unknown outlet'}, {_date(m.published)}, {m.url or ''}")
            if len(item.reported_by) > 1:
                others = ", ".join(sorted({o.outlet or o.url or "?" for o in item.reported_by[1:]}))
                lines.append(f"    also reported by: {others}")
        lines.append(f"  Sources ({len(story.sources)}):")
        for s in story.sources:
            lines.append(f"  - {s.outlet or 'unknown outlet'} ({s.lang or '?'}, {_date(s.published)}): "
                         f"{s.title or '(untitled)'} <{s.url or ''}>")
    lines += ["", "-- ", "Sent by privnews. Every item is sent once per subscription; evidence is quoted "
              "from the article, the highlighted part (>> <<) is the extracted claim."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ HTML

def e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(text: str | None, url: str | None) -> str:
    safe = _safe_url(url)
    label = e(text or url or "(untitled)")
    if not safe:
        return label
    return f'<a href="{e(safe)}" style="color:#1a56a8;text-decoration:underline;">{label}</a>'


def _html_item(item: Item) -> str:
    m = item.match
    a, b = m.span
    evidence = (f"{e(m.sentence[:a])}<mark style=\"{_MARK}\">{e(m.sentence[a:b])}</mark>{e(m.sentence[b:])}")
    facts = "".join(
        f'<tr><td style="{_FONT}font-size:13px;color:#666666;padding:1px 10px 1px 0;vertical-align:top;">'
        f'{e(label)}</td><td style="{_FONT}font-size:13px;color:#222222;padding:1px 0;">{e(value)}</td></tr>'
        for label, value in _facts(item))
    also = ""
    if len(item.reported_by) > 1:
        links = ", ".join(_link(o.outlet, o.url) for o in item.reported_by[1:])
        also = f'<div style="{_FONT}font-size:12px;color:#666666;margin-top:4px;">Also reported by {links}</div>'
    return (
        f'<div style="margin:10px 0 14px 0;padding:8px 12px;border-left:4px solid #1a56a8;background:#f6f8fb;">'
        f'<div style="{_FONT}font-size:14px;font-weight:bold;color:#1a1a1a;">{e(KIND_LABELS.get(m.kind, m.kind))}'
        f' <span style="font-weight:normal;color:#888888;font-size:12px;">rule: {e(", ".join(item.rules))}</span>'
        f'</div>'
        f'<table role="presentation" cellpadding="0" cellspacing="0" style="margin:4px 0;">{facts}</table>'
        f'<blockquote style="{_FONT}font-size:14px;color:#222222;margin:6px 0;padding:0 0 0 10px;'
        f'border-left:2px solid #cccccc;">{evidence}</blockquote>'
        f'<div style="{_FONT}font-size:12px;color:#666666;">{_link(m.outlet or "source", m.url)}, '
        f'{e(_date(m.published))}</div>{also}</div>')


def _html_sources(sources: list[Source]) -> str:
    rows = "".join(
        f'<li style="{_FONT}font-size:13px;color:#333333;margin:2px 0;">{e(s.outlet or "unknown outlet")} '
        f'({e(s.lang or "?")}, {e(_date(s.published))}): {_link(s.title, s.url)}</li>' for s in sources)
    return (f'<div style="{_FONT}font-size:13px;color:#555555;margin-top:6px;">Sources ({len(sources)})</div>'
            f'<ul style="margin:4px 0 0 18px;padding:0;">{rows}</ul>')


def _html_story(story: Story) -> str:
    return (f'<tr><td style="padding:14px 0;border-top:1px solid #dddddd;">'
            f'<h2 style="{_FONT}font-size:18px;color:#111111;margin:0 0 6px 0;">{e(story.title)}</h2>'
            f'{"".join(_html_item(i) for i in story.items)}{_html_sources(story.sources)}</td></tr>')


def render_html(d: Digest) -> str:
    report = ""
    if d.report_link:
        report = (f'<p style="{_FONT}font-size:14px;margin:6px 0;">Overview with charts: '
                  f'{_link(d.report_link, d.report_link) if _safe_url(d.report_link) else e(d.report_link)}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{e(subject(d))}</title></head>'
        '<body style="margin:0;padding:0;background-color:#ffffff;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="max-width:760px;margin:0 auto;padding:16px;">'
        f'<tr><td style="padding-bottom:8px;"><h1 style="{_FONT}font-size:22px;color:#111111;margin:0;">'
        f'privnews digest: {e(d.subscription)}</h1>'
        f'<p style="{_FONT}font-size:14px;color:#333333;margin:6px 0;">{e(header_line(d))}</p>{report}</td></tr>'
        f'{"".join(_html_story(s) for s in d.stories)}'
        f'<tr><td style="{_FONT}font-size:12px;color:#888888;padding-top:12px;border-top:1px solid #dddddd;">'
        'Sent by privnews. Each item is sent once per subscription. Evidence is quoted from the article; the '
        'highlighted part is the extracted claim.</td></tr></table></body></html>\n')

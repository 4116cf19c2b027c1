"""One digest run for one subscription: deliver what is still pending in the outbox, then collect new
matches of its rules, render them, enqueue the message (pending) and deliver it. See outbox.py for the
exactly-once design. No Prefect here (flow.py wraps these steps in flows and tasks), so a run costs no
orchestration start-up when called from the CLI or a test."""
from __future__ import annotations

import logging
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from flows.digest import deliver as delivery
from flows.digest import outbox, unchanged
from flows.digest.actors import KB_FILE, KbActor, load_kb, sync_actor_countries
from flows.digest.compile import Match, compile_rule, run_rule
from flows.digest.content import Source, build_digest
from flows.digest.render import render_html, render_text, subject
from flows.digest.rules import RuleSet, Subscription, load_rules, rules_path
from flows.faults import checkpoint
from flows.runlock import RunInProgress, digest_lock
from flows.settings import Settings
from warehouse.db import let_go, named_query, open_warehouse

logger = logging.getLogger(__name__)

DEFAULT_SINCE = timedelta(days=7)
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """'7d', '12h', '90d', '2w', '30m' -> timedelta."""
    m = _DURATION.match(text or "")
    if not m or int(m[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration; write a positive number and a unit m/h/d/w, e.g. 7d or 12h")
    return timedelta(**{_UNITS[m[2]]: int(m[1])})


@dataclass
class Delivered:
    message_id: str
    destination: str
    items: int
    stories: int
    state: str                  # sent | pending (delivery failed; retried by the next run)
    resent: bool = False        # a pending message from an earlier run
    path: Path | None = None
    error: str | None = None


@dataclass
class DigestResult:
    subscription: str
    dry_run: bool
    messages: list[Delivered] = field(default_factory=list)
    preview: dict[str, str] = field(default_factory=dict)       # dry run: destination -> text
    new_items: int = 0

    @property
    def paths(self) -> list[Path]:
        return [m.path for m in self.messages if m.path is not None]

    @property
    def failed(self) -> list[Delivered]:
        return [m for m in self.messages if m.state != "sent"]


# ------------------------------------------------------------------------------------------- steps

def deliver_message(settings: Settings, msg: outbox.OutboxMessage, formats: tuple[str, ...]) -> Path | None:
    """Deliver one outbox message, exactly as stored. Raises delivery.DeliveryError."""
    dest = delivery.Destination.from_key(msg.destination)
    if dest.kind == "smtp":
        delivery.send_smtp(settings.smtp, settings.smtp.sender, dest.recipients, msg.mime)
        return None
    if dest.kind == "dir":
        stem = f"{msg.created_at:%Y-%m-%d}-{msg.subscription}-{msg.message_id[1:13]}"
        path = delivery.digest_file(Path(dest.target), stem, formats)
        return delivery.write_file(path, msg.body_html if path.suffix == ".html" else msg.body_text)
    if dest.kind == "stdout":
        delivery.write_stdout(msg.body_text if "text" in formats else msg.body_html)
        return None
    raise delivery.DeliveryError(f"unknown destination {msg.destination!r} in the outbox", transient=False)


def collect_matches(con, ruleset: RuleSet, sub: Subscription, since: datetime | None,
                    kb: list[KbActor]) -> list[Match]:
    matches: list[Match] = []
    for rule in ruleset.rules_of(sub):
        found = run_rule(con, compile_rule(rule, kb, since))
        logger.info("rule %s matched %d claims since %s", rule.name, len(found), since)
        matches.extend(found)
    return matches


def story_sources(con, story_keys: list[str]) -> dict[str, list[Source]]:
    out: dict[str, list[Source]] = {}
    if not story_keys:
        return out
    for key, article_id, title, url, outlet, lang, published in con.execute(
            named_query("digest_story_sources"), {"story_keys": story_keys}).fetchall():
        out.setdefault(key, []).append(Source(article_id, title, url, outlet, lang, published))
    return out


def _report_link(settings: Settings, con, sub: Subscription, now: datetime) -> str | None:
    if not sub.wants_report:
        return None
    from flows.digest.report import write_report

    path = write_report(con, Path(settings.data_dir) / "reports" / f"report-{now:%Y-%m-%d}.html",
                        since=now - timedelta(days=90), now=now)
    return path.resolve().as_uri()


# ------------------------------------------------------------------------------------------- run
#
# The database is written only in short transactions; nothing is sent while a connection is open:
#   1. (short) read this subscription's pending messages from earlier runs (none: step 3 on the same connection);
#   2. (no database) deliver each, then (short) record it sent or failed;
#   3. (short) sync actors, collect new matches, render, enqueue each message as pending (outbox.enqueue);
#   4. (no database) deliver each new message, then (short) record it.
# So `privnews query` and other writers are never kept waiting for a mail server. `digest_lock` (a flock
# next to the database, held for the whole delivery) keeps two digest processes from both picking up the
# same pending message while no database lock is held.


def run_digest(settings: Settings, subscription: str | None = None, since: timedelta | None = DEFAULT_SINCE,
               dry_run: bool = False, now: datetime | None = None,
               deliver: Callable = deliver_message) -> DigestResult:
    """One subscription (None = the default one): re-deliver its pending messages, then collect, enqueue
    and deliver what is new. A dry run renders what would be sent and records nothing."""
    ruleset = load_rules(rules_path(settings))
    sub = ruleset.subscription(subscription) if subscription else ruleset.default_subscription
    now = now or datetime.now(timezone.utc)
    result = DigestResult(subscription=sub.name, dry_run=dry_run)
    if dry_run:
        with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
            _compose(con, settings, ruleset, sub, since, now, result)
        return result
    with _digest_lock(settings):
        with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
            earlier = outbox.pending(con, sub.name)
            # nothing to send first: compose on this connection (one open less per run)
            fresh = None if earlier else _compose(con, settings, ruleset, sub, since, now, result)
        for msg in earlier:
            logger.warning("re-sending pending digest %s to %s (an earlier run did not record its delivery)",
                           msg.message_id, msg.destination)
            result.messages.append(_deliver(settings, msg, sub, deliver, resent=True))
        if fresh is None:
            with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
                fresh = _compose(con, settings, ruleset, sub, since, now, result)
        for msg in fresh:
            result.messages.append(_deliver(settings, msg, sub, deliver, resent=False))
    return result


@contextmanager
def _digest_lock(settings: Settings):
    """digest_lock. Under warehouse.db.one_instance the caller may keep the database open: when another
    digest holds the flock, that instance is let go before waiting, since the other digest may need the
    database (to record a delivery) before it can release the flock."""
    with ExitStack() as stack:
        try:
            stack.enter_context(digest_lock(settings.db, 0))
        except RunInProgress:
            with let_go(settings.db):
                stack.enter_context(digest_lock(settings.db, settings.lock_timeout))
        yield


def _compose(con, settings: Settings, ruleset: RuleSet, sub: Subscription, since: timedelta | None,
             now: datetime, result: DigestResult) -> list[outbox.OutboxMessage]:
    """Collect what is new per destination, render it, and (unless a dry run) enqueue it as pending.
    Returns the enqueued messages, to be delivered after this connection is closed."""
    dry_run = result.dry_run
    enqueued: list[outbox.OutboxMessage] = []
    kb_fingerprint = unchanged.file_fingerprint(KB_FILE)
    kb: list[KbActor] | None = None          # parsed only when needed
    if dry_run or not unchanged.kb_synced(con, kb_fingerprint):
        kb = load_kb(KB_FILE)
        sync_actor_countries(con, kb)
        if not dry_run:
            unchanged.record_kb_sync(con, kb_fingerprint, now)
    for dest in delivery.destinations(sub.to, settings.data_dir):
        default_start = now - since if since else None
        start = default_start if dry_run else outbox.window_start(con, sub.name, dest.key, default_start)
        inputs = None if dry_run else unchanged.inputs_fingerprint(con, ruleset, sub, dest.key, kb_fingerprint)
        if inputs is not None and unchanged.nothing_new(con, sub.name, dest.key, inputs, start):
            logger.info("subscription %s -> %s: nothing new since %s (inputs unchanged since the last check)",
                        sub.name, dest.key, start)
            outbox.advance_cursor(con, sub.name, dest.key, now)
            continue
        kb = load_kb(KB_FILE) if kb is None else kb
        claimed = outbox.claimed_keys(con, sub.name, dest.key)
        matches = [m for m in collect_matches(con, ruleset, sub, start, kb) if m.item_key not in claimed]
        if not matches:
            logger.info("subscription %s -> %s: nothing new since %s", sub.name, dest.key, start)
            if not dry_run:
                outbox.advance_cursor(con, sub.name, dest.key, now)
                unchanged.record_check(con, sub.name, dest.key, inputs, start, now)
            continue
        sources = story_sources(con, sorted({m.story_key for m in matches}))
        report_link = None if dry_run else _report_link(settings, con, sub, now)
        d = build_digest(sub.name, list(sub.rules), matches, sources, now, start, report_link)
        text, html = render_text(d), render_html(d)
        result.new_items += d.counts["items"]
        if dry_run:
            result.preview[dest.key] = text
            continue
        msg_id = outbox.message_id(sub.name, dest.key, d.item_keys)
        mime = delivery.build_mime(sender=settings.smtp.sender, recipients=dest.recipients, subject=subject(d),
                                   text=text, html=html if "html" in sub.format else None,
                                   message_id=msg_id, date=now)
        firsts = {i.key: (i.key, i.rules[0], i.match.claim_id) for s in d.stories for i in s.items}
        outbox.enqueue(con, subscription=sub.name, destination=dest.key, msg_id=msg_id, subject=subject(d),
                       body_text=text, body_html=html, mime=mime, items=list(firsts.values()),
                       story_count=d.counts["stories"], now=now)
        enqueued.append(next(m for m in outbox.pending(con, sub.name) if m.message_id == msg_id))
        # every match is claimed now: the fingerprint is taken after the enqueue (the ledger is part of it)
        unchanged.record_check(con, sub.name, dest.key,
                               unchanged.inputs_fingerprint(con, ruleset, sub, dest.key, kb_fingerprint), start, now)
    return enqueued


def _deliver(settings: Settings, msg: outbox.OutboxMessage, sub: Subscription, deliver: Callable,
             resent: bool) -> Delivered:
    """Send one stored message with no database connection open, then record the outcome in a short
    transaction of its own. A crash (or a busy database) between the two leaves the message pending: the
    next run re-sends it, byte-identical, with the same Message-ID (outbox.py)."""
    out = Delivered(message_id=msg.message_id, destination=msg.destination, items=msg.item_count,
                    stories=msg.story_count, state="pending", resent=resent)
    try:
        with let_go(settings.db):   # under warehouse.db.one_instance (run_all), no database lock while sending
            checkpoint(settings, "digest.before_send")
            out.path = deliver(settings, msg, sub.format)
            checkpoint(settings, "digest.after_send")
    except delivery.DeliveryError as exc:
        logger.error("digest %s to %s not delivered: %s", msg.message_id, msg.destination, exc)
        with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
            outbox.mark_failed(con, msg.message_id, str(exc))
        out.error = str(exc)
        return out
    with open_warehouse(settings.db, lock_timeout=settings.lock_timeout) as con:
        outbox.mark_sent(con, msg.message_id)
    out.state = "sent"
    logger.info("digest %s (%d items) delivered to %s", msg.message_id, msg.item_count, msg.destination)
    return out

"""Prefect flows for digests (the steps live in run.py):

    digest_all(settings)                               every subscription in the rules file
    digest(settings, subscription, since, dry_run)     one subscription
    run_default_digest(settings) -> [Path]             what `privnews run` calls: the default subscription

Delivery runs as a task retried on transient failures only (network trouble, SMTP 4xx); a retry re-sends
the same outbox message (same Message-ID), so retries cannot duplicate items beyond the outbox design.
"""
from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from flows.digest import deliver as delivery
from flows.digest.rules import load_rules, rules_path
from flows.digest.run import DEFAULT_SINCE, DigestResult, deliver_message, parse_duration, run_digest
from flows.settings import Settings

logger = logging.getLogger(__name__)


def _transient(task, task_run, state) -> bool:
    """Retry only what can get better by waiting: network trouble and SMTP 4xx answers."""
    try:
        state.result()
    except delivery.DeliveryError as exc:
        return exc.transient
    except Exception:
        return False
    return False


deliver_task = task(name="deliver-digest", retries=3, retry_delay_seconds=[2, 10, 30],
                    retry_condition_fn=_transient, cache_policy=NO_CACHE)(deliver_message)



@flow(name="privnews-digest")
def digest(settings: Settings, subscription: str | None = None, since: str | None = "7d",
           dry_run: bool = False) -> DigestResult:
    """One subscription; delivery is a task retried on transient failures (network, SMTP 4xx)."""
    return run_digest(settings, subscription, parse_duration(since) if since else None, dry_run,
                      deliver=deliver_task)


@flow(name="privnews-digest-all")
def digest_all(settings: Settings, since: str | None = "7d") -> list[DigestResult]:
    ruleset = load_rules(rules_path(settings))
    return [digest(settings, name, since) for name in ruleset.subscriptions]


def run_default_digest(settings: Settings) -> list[Path]:
    """For `privnews run`: deliver the default subscription's digest and return the files written."""
    deliver = deliver_task if FlowRunContext.get() is not None else deliver_message
    result = run_digest(settings, None, DEFAULT_SINCE, deliver=deliver)
    for failed in result.failed:
        logger.error("digest %s to %s is still pending: %s", failed.message_id, failed.destination, failed.error)
    return result.paths

"""Opt-in fault injection for the crash-safety tests: `checkpoint(settings, name)` kills this process.

A run calls `checkpoint(settings, "<stage>.<point>")` at the moments where a crash is most harmful (after a
download, before and after a load, before and after a digest is sent). Nothing happens unless the setting
`test_kill_at` (environment: PRIVNEWS_TEST_KILL_AT) names that point. Then the process sends itself SIGKILL:
no cleanup, no `finally`, no flushed buffers, exactly like a power cut or the OOM killer.

`PRIVNEWS_TEST_KILL_AT=name` kills at the first time `name` is reached; `name:N` at the N-th time (counted per
process), so a test can let the first load of a run succeed and kill during the second.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from collections import Counter

logger = logging.getLogger(__name__)

_seen: Counter[str] = Counter()
_lock = threading.Lock()


def parse_target(value: str | None) -> tuple[str, int] | None:
    """"extract.loaded:2" -> ("extract.loaded", 2); "x" -> ("x", 1); None/"" -> None."""
    if not value:
        return None
    name, sep, nth = value.rpartition(":")
    if sep and nth.isdigit() and name:
        return name, max(int(nth), 1)
    return value, 1


def checkpoint(settings, name: str) -> None:
    """Die here (SIGKILL to our own process) when `settings.test_kill_at` names this point."""
    target = parse_target(getattr(settings, "test_kill_at", None))
    if target is None or target[0] != name:
        return
    with _lock:
        _seen[name] += 1
        hit = _seen[name] == target[1]
    if hit:
        logger.warning("fault injection: killing process %d at checkpoint %s", os.getpid(), name)
        for handler in logging.getLogger().handlers:
            try:
                handler.flush()
            except Exception:  # pragma: no cover - best effort before dying
                pass
        os.kill(os.getpid(), signal.SIGKILL)

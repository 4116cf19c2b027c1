"""Offline language identification: nl, en or other."""
from __future__ import annotations

import threading

import py3langid

SUPPORTED = ("nl", "en")
# A plausible European candidate set, so short texts are not labelled as an exotic language.
_CANDIDATES = ["nl", "en", "de", "fr", "es", "it", "pt", "da", "sv", "no", "pl", "af"]
_lock = threading.Lock()
_ready = False


def detect_language(text: str) -> str:
    """Return "nl", "en" or "other". Empty or letterless text is "other"."""
    global _ready
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 3:
        return "other"
    with _lock:
        if not _ready:
            py3langid.set_languages(_CANDIDATES)
            _ready = True
        lang, _score = py3langid.classify(sample)
    return lang if lang in SUPPORTED else "other"

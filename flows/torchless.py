"""spaCy without torch, for the processes whose NER backend does not need it.

thinc (under spaCy) imports torch merely because it is installed, to offer PyTorch layers; privnews's spaCy
pipelines are thinc/numpy models and never use them. That import is most of spaCy's import time (~3 of
~7 CPU-s here). Hiding torch while spaCy is first imported (`import torch` then raises ImportError, which
thinc handles) skips it; the facts are the same (tests/test_extract_workers.py compares a torchless worker's
facts with the writer's). Only the "transformers" backend (nlp/hf_ner.py) needs torch, and it imports torch
itself: torch is hidden only for the import, so it stays importable afterwards, in the same process.
"""
from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from typing import Iterator

BACKENDS_NEEDING_TORCH = frozenset({"transformers"})


def torch_needed(ner_backend: str) -> bool:
    return ner_backend in BACKENDS_NEEDING_TORCH


@contextmanager
def torch_hidden(ner_backend: str) -> Iterator[bool]:
    """Within the block, `import torch` fails, unless the backend needs torch or it is imported already
    (then nothing changes). Yields whether torch was hidden."""
    if torch_needed(ner_backend) or "torch" in sys.modules or "thinc" in sys.modules:
        yield False     # thinc already decided, one way or the other
        return
    sys.modules["torch"] = None         # type: ignore[assignment]
    try:
        yield True
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def import_without_torch(module: str, ner_backend: str):
    """`importlib.import_module(module)`, with torch hidden for the backends that do not need it."""
    with torch_hidden(ner_backend):
        return importlib.import_module(module)

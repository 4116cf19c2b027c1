"""flows/torchless.py: the writer imports spaCy without torch for the spaCy backend, and torch stays
importable afterwards (the transformers backend imports it itself). Fresh interpreters: whether torch is
imported is a property of a whole process."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent("""
    import sys
    from flows.torchless import import_without_torch
    import_without_torch("nlp.pipeline", sys.argv[1])
    import thinc.compat
    print("torch-after-spacy", "torch" in sys.modules, thinc.compat.has_torch)
    import torch                      # still importable afterwards, whatever the backend
    print("torch-importable", torch.__name__ == "torch")
""")


def _probe(backend: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, backend], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def test_spacy_backend_imports_spacy_without_torch_and_torch_stays_importable():
    pytest.importorskip("torch")
    assert _probe("spacy") == ["torch-after-spacy", "False", "False", "torch-importable", "True"]


def test_transformers_backend_keeps_torch():
    pytest.importorskip("torch")
    assert _probe("transformers") == ["torch-after-spacy", "True", "True", "torch-importable", "True"]

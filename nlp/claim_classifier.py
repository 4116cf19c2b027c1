"""Claim-sentence classifier: P(a sentence states a legal claim) from a Hugging Face sequence-classification model.

The model is the one `privnews train --backend transformers --task claims` fine-tunes
(models/training/train_claims.py) or any local directory / cached hub id holding a two-class
`*ForSequenceClassification` model whose positive class is labelled "claim" (else class 1). Missing models
fail at once with `ModelNotAvailable` (the transformer NER's error, nlp/hf_ner.py), saying what to do.

Not part of the default pipeline: benchmarks/claim_classifier.py measures whether gating the rule-based claims
with it pays (docs/transformers.md has the figures).
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from nlp.hf_ner import ModelNotAvailable, load_pretrained, pick_device

logger = logging.getLogger(__name__)

TRAIN_HINT = ("Run `privnews train --backend transformers --task claims` (fine-tunes the classifier offline in a "
              "few minutes), or pass a local directory holding a sequence-classification model")


def load_classifier(location: str | Path):
    """(tokenizer, model) for a local directory or a hub id in the local cache; ModelNotAvailable otherwise."""
    from transformers import AutoModelForSequenceClassification

    return load_pretrained(location, AutoModelForSequenceClassification, "claim-classifier",
                           "sequence-classification", TRAIN_HINT)


class ClaimSentenceClassifier:
    """`predict(sentences) -> np.ndarray` of P(claim), one per sentence, computed in length-sorted batches."""

    def __init__(self, model: str | Path | None = None, batch_size: int = 32, max_length: int = 128,
                 device: str = "auto", cache_root: str | Path | None = None):
        if model is None:
            from models.training.train_claims import locate_model

            model = locate_model(cache_root)
            if model is None:
                raise ModelNotAvailable(f"No claim-sentence classifier under {cache_root or 'data/models'}. "
                                        f"{TRAIN_HINT}.")
        self.location = str(model)
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = pick_device(device)
        self.tokenizer, model = load_classifier(model)
        self.model = model.to(self.device).eval()
        label2id = {str(k).lower(): int(v) for k, v in (model.config.label2id or {}).items()}
        self.positive = label2id.get("claim", 1)
        if self.positive >= model.config.num_labels:
            raise ModelNotAvailable(f"{self.location} has {model.config.num_labels} class(es); a claim classifier "
                                    "needs two (other, claim).")

    def predict(self, sentences: list[str]) -> np.ndarray:
        import torch

        out = np.zeros(len(sentences), dtype=np.float32)
        if not sentences:
            return out
        enc = self.tokenizer(list(sentences), truncation=True, max_length=self.max_length)
        order = sorted(range(len(sentences)), key=lambda i: len(enc["input_ids"][i]))
        with torch.inference_mode():
            for i in range(0, len(order), self.batch_size):
                chunk = order[i: i + self.batch_size]
                batch = self.tokenizer.pad([{k: enc[k][j] for k in enc.keys()} for j in chunk], return_tensors="pt")
                logits = self.model(**{k: v.to(self.device) for k, v in batch.items()}).logits.float()
                out[chunk] = torch.softmax(logits, dim=-1)[:, self.positive].cpu().numpy()
        return out

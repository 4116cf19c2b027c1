"""Train both learned claim components (train_claim_kinds, train_claim_roles) from one pass of the rules over the
dev split: what `make setup` runs.

    python -m models.training.train_claim_models
"""
from __future__ import annotations

import logging

from models.training import train_claim_kinds, train_claim_roles
from models.training.rule_output import dev_articles, rule_predictions


def train() -> None:
    preds = rule_predictions(dev_articles())
    train_claim_kinds.train(preds=preds)
    train_claim_roles.train(preds=preds)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("spacy").setLevel(logging.WARNING)
    train()

"""A second name tagger for English text: the one trained on the project's own corpus.

`en_core_web_sm` was trained on American news; it misses names that privacy news in Europe is full of ("Okrajno
sodišče v Kranju", "Toivala Residents' Association", "Barangay Sambag Tres"). The tagger in models/ner-nl is trained
on the sentences of the development corpus in both languages (models/training/train_ner.py), so this component runs
it over an English document as well and adds each person or organisation it finds where the base tagger found no
entity at all. The base tagger's entities are never changed: places (GPE, LOC) and the rest keep their labels.

Measured on batch 53-54 (English, a tagger that had not seen them; 2026-12-02): actors F1 0.920 -> 0.925, claims
claimant accuracy 0.72 -> 0.77; the older English test articles: actors 0.965 -> 0.969.
"""
from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans, minibatch

from nlp.located_model import LocatedModel

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
# the corpus tagger's labels in the base pipeline's label set (the actor component reads both)
LABELS = {"PER": "PERSON", "ORG": "ORG"}


class CorpusNer(LocatedModel):
    def __init__(self, nlp: Language, name: str, model: str):
        self.name = name
        self.location = Path(model) if Path(model).is_absolute() else MODELS_DIR / model
        self._reload()

    def _reload(self) -> None:
        self.tagger: Language | None = None
        if not (self.location / "meta.json").is_file():
            # the extractor still works with the base tagger alone: warn, do not fail
            logger.warning("no corpus name tagger at %s: English names come from the base tagger alone "
                           "(run `privnews train` to build it)", self.location)
            return
        self.tagger = spacy.load(self.location)

    def __call__(self, doc: Doc) -> Doc:
        if self.tagger is None:
            return doc
        return self._add(doc, self.tagger(doc.text))

    def pipe(self, docs, batch_size: int = 32):
        if self.tagger is None:
            yield from docs
            return
        for batch in minibatch(docs, size=batch_size):  # streams: a batch at a time, never the whole input
            for doc, other in zip(batch, self.tagger.pipe((d.text for d in batch), batch_size=batch_size)):
                yield self._add(doc, other)

    @staticmethod
    def _add(doc: Doc, other: Doc) -> Doc:
        ents = list(doc.ents)
        taken = bytearray(len(doc.text) + 1)
        for e in ents:
            taken[e.start_char:e.end_char] = b"\x01" * (e.end_char - e.start_char)
        added = []
        for e in other.ents:
            label = LABELS.get(e.label_)
            if label is None or any(taken[e.start_char:e.end_char]):
                continue
            span = doc.char_span(e.start_char, e.end_char, label=label)  # None where the tokenizations disagree
            if span is not None:
                added.append(span)
        if added:
            doc.ents = filter_spans(ents + added)
        return doc


@Language.factory("privnews_corpus_ner", assigns=["doc.ents"], default_config={"model": "ner-nl"})
def make_corpus_ner(nlp: Language, name: str, model: str) -> CorpusNer:
    return CorpusNer(nlp, name, model)

"""Per-document values the components read many times, computed once.

`Doc.text` joins every token's text on each access and `Doc.sents` rebuilds its spans on each access;
the privnews components used to pay that cost ~20 times per document. The values are kept in
`doc.user_data` under private keys. A document's text never changes (retokenizing keeps it); sentence
spans are keyed by the token count, so a retokenized document computes them again.
"""
from __future__ import annotations

from spacy.tokens import Doc

_TEXT = "privnews.text"
_SENTS = "privnews.sents"


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per document."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT] = text
    return text


def sentence_spans(doc: Doc) -> list[tuple[int, int]] | None:
    """(start_char, end_char) of each sentence of `doc.sents`, in order, or None when the document has no
    sentence boundaries (no parser, senter or sentencizer ran). Computed once per document; the caller
    gets a fresh list it may change."""
    cached = doc.user_data.get(_SENTS)
    if cached is None or cached[0] != len(doc):
        spans: tuple[tuple[int, int], ...] | None
        if doc.has_annotation("SENT_START"):
            spans = tuple((s.start_char, s.end_char) for s in doc.sents)
        else:
            spans = None
        cached = (len(doc), spans)
        doc.user_data[_SENTS] = cached
    return None if cached[1] is None else list(cached[1])

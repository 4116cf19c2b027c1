"""Map a token-classification model's labels onto the entity labels the actors component reads.

Models name their classes in many ways: CoNLL (`B-PER`, `I-ORG`, `B-LOC`, `B-MISC`), OntoNotes (`B-PERSON`,
`I-ORG`, `B-GPE`, `B-NORP`, ...), BIOES/BILOU (`S-PER`, `E-ORG`, `U-PER`, `L-ORG`), plain IO (`PER`, `ORG`),
lower case, or `PER-B` with the prefix last. `parse_label` splits such a label into (prefix, type) and
`entity_label` turns the type into PERSON or ORG (or None: the entity is dropped), and `decode` turns a label
per token into entity spans.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# Entity type as a model writes it (upper-cased) -> the label set on doc.ents; None = not an actor, dropped.
DEFAULT_TYPE_MAP: dict[str, str | None] = {
    "PER": "PERSON", "PERS": "PERSON", "PERSON": "PERSON", "PERSOON": "PERSON",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "ORGANISATIE": "ORG", "CORPORATION": "ORG",
    "LOC": None, "LOCATION": None, "GPE": None, "FAC": None, "MISC": None, "NORP": None, "PRODUCT": None,
    "EVENT": None, "WORK_OF_ART": None, "LAW": None, "LANGUAGE": None, "DATE": None, "TIME": None,
    "PERCENT": None, "MONEY": None, "QUANTITY": None, "ORDINAL": None, "CARDINAL": None,
}
_BEGIN, _INSIDE, _END, _SINGLE, _OUTSIDE = "B", "I", "E", "S", "O"
_PREFIXES = {"B": _BEGIN, "I": _INSIDE, "E": _END, "L": _END, "S": _SINGLE, "U": _SINGLE}
_SPLIT = re.compile(r"^([BIESLU])[-_](.+)$|^(.+)[-_]([BIESLU])$", re.IGNORECASE)


def parse_label(label: str) -> tuple[str, str | None]:
    """'B-PER' -> ('B', 'PER'); 'PER' -> ('I', 'PER') (IO scheme); 'O' -> ('O', None)."""
    label = label.strip()
    if label.upper() in ("O", "OUTSIDE", "") or label == "0":
        return _OUTSIDE, None
    m = _SPLIT.match(label)
    if m:
        prefix, kind = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return _PREFIXES[prefix.upper()], kind.upper()
    return _INSIDE, label.upper()


def entity_label(kind: str | None, type_map: Mapping[str, str | None] | None = None) -> str | None:
    """The doc.ents label for a model entity type, or None to drop it. `type_map` entries override the default;
    a type neither map knows is dropped."""
    if kind is None:
        return None
    kind = kind.upper()
    if type_map:
        upper = {k.upper(): v for k, v in type_map.items()}
        if kind in upper:
            return upper[kind]
    return DEFAULT_TYPE_MAP.get(kind)


def label_table(id2label: Mapping[int, str], type_map: Mapping[str, str | None] | None = None
                ) -> list[tuple[str, str | None]]:
    """Per class id: (prefix, target label or None). Classes whose type maps to None become outside."""
    out = []
    for i in range(len(id2label)):
        prefix, kind = parse_label(str(id2label[i]))
        target = entity_label(kind, type_map)
        out.append((prefix, target) if target else (_OUTSIDE, None))
    return out


def decode(tags: Sequence[tuple[str, str | None]]) -> list[tuple[int, int, str]]:
    """Token tags [(prefix, label)] -> entity spans [(start_token, end_token_exclusive, label)].

    Lenient, so BIO, IOB1, IO, BIOES and BILOU output all decode: I/E after O or after another type starts an
    entity; B and S always start one; S and E close it."""
    spans: list[tuple[int, int, str]] = []
    start, current = None, None
    for i, (prefix, label) in enumerate(tags):
        if prefix == _OUTSIDE or label is None:
            if current is not None:
                spans.append((start, i, current))
            start, current = None, None
            continue
        continues = current == label and prefix in (_INSIDE, _END)
        if not continues:
            if current is not None:
                spans.append((start, i, current))
            start, current = i, label
        if prefix in (_SINGLE, _END):
            spans.append((start, i + 1, current))
            start, current = None, None
    if current is not None:
        spans.append((start, len(tags), current))
    return spans

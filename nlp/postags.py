"""privnews_tag_pos: coarse part of speech (`Token.pos`) from the tagger's Penn Treebank tags by table lookup.

Stands in for en_core_web_sm's attribute_ruler (excluded in models/configs/pipeline.toml): that component runs
a Matcher over 179 patterns to set POS, morphology and lemma exceptions, and cost about a fifth of English
extraction time; privnews reads only `pos_` (nlp/statistics.py). The table and its two exceptions are data:
models/patterns/pos_en.toml. Tokens whose tag is not in the table keep no POS.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import srsly
from spacy.attrs import DEP, LOWER, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "models" / "patterns"


class TagToPos:
    """spaCy component: Token.pos from Token.tag (plus pronoun nouns and auxiliary dependencies)."""

    def __init__(self, nlp: Language, name: str, table: str = "pos_en.toml"):
        self.name = name
        self.strings = nlp.vocab.strings
        self._load(table)

    def _load(self, table: str) -> None:
        self.table = table
        with open(PATTERNS_DIR / table, "rb") as fh:
            spec = tomllib.load(fh)
        strings = self.strings
        # TAG, LOWER and DEP values are string hashes; POS values are spaCy's small Universal POS ids
        self.by_tag = {strings.add(tag): POS_IDS[pos] for tag, pos in spec["tag_to_pos"].items()}
        self.noun, self.to = strings.add("NN"), strings.add("TO")
        self.pron, self.aux = POS_IDS["PRON"], POS_IDS["AUX"]
        self.pronoun_nouns = {strings.add(w) for w in spec.get("pronoun_nouns", [])}
        self.aux_deps = {strings.add(d) for d in spec.get("aux_deps", [])}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([TAG, LOWER, DEP])
        pos = np.zeros(len(doc), dtype=np.uint64)
        for i, (tag, lower, dep) in enumerate(rows.tolist()):
            if dep in self.aux_deps and tag in self.by_tag and tag != self.to:   # "to" stays PART
                pos[i] = self.aux
            elif tag == self.noun and lower in self.pronoun_nouns:
                pos[i] = self.pron
            else:
                pos[i] = self.by_tag.get(tag, 0)
        doc.from_array([POS], pos.reshape(-1, 1))
        return doc

    # serialization: the component's state is its config; the table is a versioned file under models/
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"table": self.table})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self._load(srsly.msgpack_loads(data).get("table", self.table))
        return self

    def to_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", {"table": self.table})

    def from_disk(self, path, *, exclude=tuple()):
        self._load(srsly.read_json(Path(path) / "cfg.json").get("table", self.table))
        return self


@Language.factory("privnews_tag_pos", assigns=["token.pos"], default_config={"table": "pos_en.toml"})
def make_tag_pos(nlp: Language, name: str, table: str) -> TagToPos:
    return TagToPos(nlp, name, table=table)

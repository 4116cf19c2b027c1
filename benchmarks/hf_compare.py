"""spaCy CNN vs fine-tuned transformer NER, side by side: quality on the same split, and speed.

    HF_HUB_OFFLINE=1 python -m models.training.train_hf          # builds data/models/hf-ner-<hash>/ once
    HF_HUB_OFFLINE=1 python -m benchmarks.hf_compare              # prints the tables

Three measurements per backend:
- actors P/R/F1 of the full extraction (nlp.pipeline.Extractor) on the corpus' test split, scored by
  nlp.evaluate (the figures the README's quality table reports);
- NER span P/R/F1 (PER/ORG, exact character offsets) on the held-out split of the NER training sentences
  (models/training/train_ner.build_examples(held_out=True): templates, names and lines neither model saw);
- throughput of the full extraction in words/s over the corpus texts (pipelines loaded before timing).
Nothing here is a test: the figures depend on the machine, which the output names.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import time
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "models" / "corpus"
BACKENDS = ("spacy", "transformers")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def actors_quality(backend: str, gold: list[dict]):
    from nlp.evaluate import score
    from nlp.pipeline import Extractor

    ex = Extractor(ner_backend=backend)
    preds = list(ex.extract_many([{"id": d["id"], "text": d["text"], "lang": d["lang"]} for d in gold]))
    return score(gold, preds)


def throughput(backend: str, docs: list[dict], repeat: int) -> tuple[float, float, float]:
    """(words per wall second, wall seconds, words per CPU second) of Extractor.extract_many over `docs` x
    `repeat`, models loaded beforehand. CPU seconds add up all threads of this process; on a busy machine
    they are the steadier figure."""
    from nlp.pipeline import Extractor

    ex = Extractor(ner_backend=backend)
    for lang in sorted({d["lang"] for d in docs}):
        ex.nlp(lang)
    batch = [{"id": f"{d['id']}-{i}", "text": d["text"], "lang": d["lang"]} for i in range(repeat) for d in docs]
    words = sum(len(d["text"].split()) for d in batch)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in ex.extract_many(batch):
        pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return words / seconds, seconds, words / cpu


def ner_heldout(backend: str) -> dict:
    """Span P/R/F1 of doc.ents (PER/ORG) on the NER held-out sentences, per backend's NER alone."""
    import tomllib

    from models.training.train_ner import build_examples
    from nlp.language import detect_language
    from nlp.pipeline import PIPELINE_CONFIG, load_base

    spec = tomllib.loads(PIPELINE_CONFIG.read_text(encoding="utf-8"))
    nlps = {}
    for lang in ("nl", "en"):
        nlp = load_base(lang, spec[lang])
        if backend == "transformers":
            from nlp.hf_ner import add_transformer_ner

            add_transformer_ner(nlp, lang)
        nlps[lang] = nlp
    label = {"PERSON": "PER", "PER": "PER", "ORG": "ORG"}
    tp = fp = fn = 0
    for text, ents in build_examples(True):
        lang = detect_language(text)
        doc = nlps[lang if lang in nlps else "nl"](text)
        pred = {(e.start_char, e.end_char, label[e.label_]) for e in doc.ents if e.label_ in label}
        gold = {(s, e, lab) for s, e, lab in ents}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "gold": tp + fn}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.hf_compare", description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=("test", "dev"))
    ap.add_argument("--repeat", type=int, default=2, help="passes over the corpus texts for the speed figure")
    ap.add_argument("--backends", default=",".join(BACKENDS))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from nlp.evaluate import markdown

    gold = _read(CORPUS / f"gold-{args.split}.jsonl")
    all_docs = _read(CORPUS / "gold-dev.jsonl") + _read(CORPUS / "gold-test.jsonl")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}")
    summary = []
    for backend in args.backends.split(","):
        table = actors_quality(backend, gold)
        print(f"\n## {backend}: extraction on gold-{args.split} ({len(gold)} documents)\n")
        print(markdown(table))
        ner = ner_heldout(backend)
        wps, secs, wpcpu = throughput(backend, all_docs, args.repeat)
        a = {lang: table[lang]["actors"] for lang in table}
        summary.append((backend, a, ner, wps, wpcpu))
        print(f"\nNER held-out sentences: {ner}; throughput {wps:,.0f} words/s ({secs:.1f}s), "
              f"{wpcpu:,.0f} words per CPU second")
    print("\n| NER backend | actors P | actors R | actors F1 (all) | F1 nl | F1 en | NER held-out F1 | words/s "
          "| words/CPU-s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for backend, a, ner, wps, wpcpu in summary:
        print(f"| {backend} | {a['all'].precision:.3f} | {a['all'].recall:.3f} | {a['all'].f1:.3f} | "
              f"{a['nl'].f1 if 'nl' in a else float('nan'):.3f} | {a['en'].f1 if 'en' in a else float('nan'):.3f} | "
              f"{ner['F1']:.3f} | {wps:,.0f} | {wpcpu:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

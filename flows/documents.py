"""Read documents for `privnews extract` / `privnews eval`: plain-text files or JSONL, with clear errors."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

OPTIONAL_FIELDS = ("lang", "title", "url", "published")


def read_text_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text (byte {exc.start}); convert it, e.g. "
                         f"`iconv -f latin1 -t utf-8 {path}`") from exc


def _parse_lines(lines, source: str, required: str) -> Iterator[dict]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{source} line {n}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get(required), str):
            raise ValueError(f'{source} line {n}: expected an object with a string "{required}" field')
        obj.setdefault("id", f"{source}:{n}")
        yield obj


def read_jsonl(path: Path | str, required: str = "text") -> list[dict]:
    """One object per line, each with a string `required` field: "text" for documents to extract, "id" for
    predictions (what `privnews extract` prints, which carries no text)."""
    if str(path) == "-":
        return list(_parse_lines(sys.stdin, "stdin", required))
    try:
        with open(path, encoding="utf-8") as fh:
            return list(_parse_lines(fh, str(path), required))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8") from exc


def read_documents(files: list[Path], jsonl: str | None) -> Iterator[dict]:
    for path in files:
        yield {"id": str(path), "text": read_text_file(path)}
    if jsonl:
        for doc in read_jsonl(jsonl):
            out = {"id": doc["id"], "text": doc["text"]}
            out.update({k: doc[k] for k in OPTIONAL_FIELDS if doc.get(k) is not None})
            yield out

"""Serialisation for a component whose model is a trained file under models/, loaded by location: a saved pipeline
holds only that location, and loading it loads the file again (with the component's own checks)."""
from __future__ import annotations

import json
from pathlib import Path


def written_fingerprint(path: Path, *keys: str) -> str:
    """The fingerprint a model's training wrote into the JSON file at `path` (under `keys`), "none" when the file
    is missing or unreadable (the component then refuses to load the model anyway)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in keys:
            data = data.get(key) or {}
        return str(data.get("fingerprint"))
    except (OSError, ValueError, AttributeError):
        return "none"


class ModelMissing(RuntimeError):
    """A trained model the pipeline needs is missing, stale or unreadable; the message says how to build it."""


class LocatedModel:
    location: Path

    def _reload(self) -> None:
        """Load the model at self.location (raises with a hint when it is missing or stale)."""
        raise NotImplementedError

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return json.dumps({"location": str(self.location)}).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self.location = Path(json.loads(data.decode("utf8"))["location"])
        self._reload()
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "model_location.json").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()):
        return self.from_bytes((Path(path) / "model_location.json").read_bytes())

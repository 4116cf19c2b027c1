"""Descriptions of a country's data-protection authority ("Poland's data protection authority", "the Polish
privacy regulator", "de Poolse privacytoezichthouder"), made from models/kb/countries.toml for the knowledge base."""
from __future__ import annotations

import tomllib
from pathlib import Path


def _possessive(name: str) -> list[str]:
    if name.endswith("s"):
        return [name + "'", name + "’"]  # "the Netherlands' data protection authority"
    return [name + "'s", name + "’s"]


def country_aliases(path: Path) -> dict[str, list[str]]:
    """Knowledge-base id -> the descriptions of that authority; {} when the file does not exist."""
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    tpl = data.get("templates", {})
    out: dict[str, list[str]] = {}
    for country in data.get("countries", {}).values():
        forms = []
        for name in country.get("names", []):
            for pos in _possessive(name):
                forms += [t.format(c=pos) for t in tpl.get("possessive", [])]
        for adj in country.get("adjectives", []):
            forms += [t.format(a=adj) for t in tpl.get("adjective", [])]
        for adj in country.get("dutch", []):
            forms += [t.format(a=adj) for t in tpl.get("dutch_adjective", [])]
        out.setdefault(country["dpa"], []).extend(forms)
    return out

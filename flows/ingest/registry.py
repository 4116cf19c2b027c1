"""The feed registry (flows/feeds.toml or settings.feeds_file): publishers, their feeds, and profiles."""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flows.ingest.canonical import feed_id as make_feed_id
from flows.settings import PACKAGE_ROOT, ConfigError, Settings

logger = logging.getLogger(__name__)

DEFAULT_REGISTRY = PACKAGE_ROOT / "feeds.toml"
KINDS = ("regulator", "ngo", "news")
LANGS = ("nl", "en", "other")
_REQUIRED = ("name", "homepage", "feeds", "lang", "country", "kind", "profiles")


class RegistryError(ConfigError):
    """The registry file is broken, or a profile or feed URL asked for does not exist."""


@dataclass(frozen=True)
class FeedSpec:
    url: str
    feed_id: str
    outlet: str                 # publisher key, stored as articles.outlet
    name: str
    homepage: str | None
    lang: str | None
    country: str | None
    kind: str                   # regulator | ngo | news | adhoc
    profiles: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def _check_url(url: object, where: str) -> str:
    if not isinstance(url, str) or urlsplit(url.strip()).scheme not in ("http", "https") \
            or not urlsplit(url.strip()).hostname:
        raise RegistryError(f"{where}: {url!r} is not an http(s) URL. Give the feed's full address, "
                            "e.g. https://example.org/feed.xml")
    return url.strip()


@dataclass
class Registry:
    path: Path
    feeds: list[FeedSpec]

    def profiles(self) -> list[str]:
        return sorted({p for f in self.feeds for p in f.profiles})

    def profile(self, name: str) -> list[FeedSpec]:
        chosen = [f for f in self.feeds if name in f.profiles]
        if not chosen:
            raise RegistryError(f"no profile {name!r} in {self.path}; profiles there: "
                                f"{', '.join(self.profiles()) or 'none'}. Use --profile with one of them.")
        return chosen

    def by_url(self, url: str) -> FeedSpec | None:
        return next((f for f in self.feeds if f.url == url.strip()), None)


def load_registry(path: Path | None = None) -> Registry:
    path = Path(path) if path else DEFAULT_REGISTRY
    if not path.exists():
        raise RegistryError(f"feed registry {path} does not exist. Fix feeds_file (PRIVNEWS_FEEDS_FILE) "
                            f"or remove it to use the bundled {DEFAULT_REGISTRY.name}.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not valid TOML ({exc}). Fix the file.") from exc
    publishers = data.get("publishers")
    if not isinstance(publishers, dict) or not publishers:
        raise RegistryError(f"{path}: no [publishers.<key>] tables found.")
    unknown_top = set(data) - {"publishers"}
    if unknown_top:
        raise RegistryError(f"{path}: unknown top-level keys {sorted(unknown_top)}; only [publishers.*].")
    feeds: list[FeedSpec] = []
    seen: dict[str, str] = {}
    for key, pub in publishers.items():
        where = f"{path} [publishers.{key}]"
        if not isinstance(pub, dict):
            raise RegistryError(f"{where}: must be a table.")
        missing = [k for k in _REQUIRED if k not in pub]
        extra = set(pub) - set(_REQUIRED)
        if missing or extra:
            raise RegistryError(f"{where}: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else []) +
                ([f"unknown keys {', '.join(sorted(extra))}"] if extra else [])) +
                f". Each publisher needs exactly: {', '.join(_REQUIRED)}.")
        if pub["kind"] not in KINDS:
            raise RegistryError(f"{where}: kind {pub['kind']!r} is not one of {', '.join(KINDS)}.")
        if pub["lang"] not in LANGS:
            raise RegistryError(f"{where}: lang {pub['lang']!r} is not one of {', '.join(LANGS)}.")
        if not isinstance(pub["feeds"], list) or not pub["feeds"]:
            raise RegistryError(f"{where}: feeds must be a non-empty list of URLs.")
        if not isinstance(pub["profiles"], list) or not all(isinstance(p, str) for p in pub["profiles"]):
            raise RegistryError(f"{where}: profiles must be a list of names.")
        for raw in pub["feeds"]:
            url = _check_url(raw, where)
            if url in seen:
                raise RegistryError(f"{where}: feed {url} is also listed under [publishers.{seen[url]}].")
            seen[url] = key
            feeds.append(FeedSpec(url=url, feed_id=make_feed_id(url), outlet=key, name=pub["name"],
                                  homepage=pub["homepage"], lang=pub["lang"], country=pub["country"],
                                  kind=pub["kind"], profiles=tuple(pub["profiles"])))
    return Registry(path=path, feeds=feeds)


def adhoc_feed(url: str, registry: Registry | None = None) -> FeedSpec:
    """A feed given on the command line. Known URLs keep their registry description."""
    url = _check_url(url, "--feed")
    known = registry.by_url(url) if registry else None
    if known:
        return known
    host = urlsplit(url).hostname or url
    return FeedSpec(url=url, feed_id=make_feed_id(url), outlet=host.removeprefix("www."), name=host,
                    homepage=f"{urlsplit(url).scheme}://{host}", lang=None, country=None, kind="adhoc")


def resolve_feeds(settings: Settings, feeds: list[str] | None = None,
                  profile: str | None = None) -> list[FeedSpec]:
    """The feeds an ingest run covers: the given URLs, else the profile (default settings.profile)."""
    registry = load_registry(settings.feeds_file)
    if feeds:
        out, seen = [], set()
        for url in feeds:
            spec = adhoc_feed(url, registry)
            if spec.url not in seen:
                seen.add(spec.url)
                out.append(spec)
        return out
    return registry.profile(profile or settings.profile)

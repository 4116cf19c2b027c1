"""Open the DuckDB warehouse, apply numbered migrations, and turn lock conflicts into clear errors."""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
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


class _Held:
    """One read-write DuckDB instance kept open for a block of short steps (see `one_instance`)."""

    def __init__(self, path: Path):
        self.path = path
        self.keeper: duckdb.DuckDBPyConnection | None = None
        self.migrated = False
        self.lock = threading.Lock()

    def connect(self, lock_timeout: float) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.keeper is None:
                self.keeper = _connect(self.path, False, lock_timeout)
                self.migrated = False
            # DuckDB shares the open instance of a file within a process: this costs ~0.1 ms, not ~40
            return duckdb.connect(str(self.path))

    def close(self) -> None:
        with self.lock:
            if self.keeper is not None:
                self.keeper.close()
                self.keeper = None


_held: ContextVar[_Held | None] = ContextVar("privnews_held_warehouse", default=None)


def _held_for(path: Path, read_only: bool) -> _Held | None:
    held = _held.get()
    return held if held is not None and not read_only and held.path == path else None


@contextmanager
def one_instance(path: Path | str):
    """Within the block, read-write connections to `path` share one DuckDB instance: the first opens it, the
    end of the block closes it. Opening an instance costs ~40 ms CPU (DuckDB builds its catalogue of built-in
    functions every time), a connection to an open one ~0.1 ms, and migrations are checked once. The file
    lock is held from the first connection to the end of the block, so put only short database steps in it;
    whatever waits on a network or does long work runs under `let_go`."""
    held = _Held(Path(path))
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        held.close()


@contextmanager
def let_go(path: Path | str):
    """Inside `one_instance`: close the kept instance (once its callers' connections are closed, no lock is
    held) and keep none for this block: connections in it are opened and closed as outside `one_instance`.
    After it, the next connection opens a kept instance again. Elsewhere: does nothing."""
    held = _held_for(Path(path), read_only=False)
    if held is None:
        yield
        return
    held.close()
    token = _held.set(None)
    try:
        yield
    finally:
        _held.reset(token)


def connect(path: Path | str, read_only: bool = False, lock_timeout: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Connect, retrying for up to `lock_timeout` seconds while another process holds the lock."""
    path = Path(path)
    held = _held_for(path, read_only)
    if held is not None:
        return held.connect(lock_timeout)
    return _connect(path, read_only, lock_timeout)


def _connect(path: Path, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
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
    held = _held_for(Path(path), read_only=False)
    try:
        if held is None or not held.migrated:
            migrate(con)
            if held is not None:
                held.migrated = True
        yield con
    finally:
        con.close()


def named_query(name: str) -> str:
    """The SQL text of warehouse/queries/<name>.sql (parameters are bound by the caller, never formatted)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise WarehouseError(f"no named query {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")

"""Run researcher SQL on a read-only connection that cannot write or reach outside the database."""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import WarehouseError, connect

# Statement types a researcher query may contain; everything else (INSERT, DROP, COPY, ATTACH, LOAD,
# INSTALL, SET, PRAGMA, CALL, EXPORT, ...) is refused before it reaches the database.
ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(WarehouseError):
    pass


def check_read_only(sql: str) -> None:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"could not parse the query: {exc}") from exc
    if not statements:
        raise QueryRefused("empty query")
    for st in statements:
        if st.type not in ALLOWED:
            raise QueryRefused(
                f"refused: `privnews query` is read-only and allows SELECT only; this query contains "
                f"{st.type.name}. Use the Python API or the duckdb CLI on a copy of the file to change data."
            )


def open_readonly(path: Path | str, lock_timeout: float = 0.0) -> duckdb.DuckDBPyConnection:
    con = connect(path, read_only=True, lock_timeout=lock_timeout)
    # DuckDB shares one database instance per file within a process: an earlier query may already have
    # locked this instance's configuration. Then only verify, since SET would fail.
    locked, external = con.execute(
        "SELECT current_setting('lock_configuration'), current_setting('enable_external_access')").fetchall()[0]
    if locked:
        if external:
            con.close()
            raise WarehouseError("refused: this process holds the database with a locked configuration that "
                                 "allows file and network access; close that connection first.")
        return con
    # No file or network access from SQL (read_csv('/etc/passwd'), httpfs, COPY ... TO), settings frozen.
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(path: Path | str, sql: str, params: dict | None = None, lock_timeout: float = 0.0):
    """Return (column names, rows) of a read-only query."""
    check_read_only(sql)
    con = open_readonly(path, lock_timeout=lock_timeout)
    try:
        cur = con.execute(sql, params or None)
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"query failed: {exc}") from exc
    finally:
        con.close()

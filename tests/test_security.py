"""Security defences (SECURITY.md names each test here): what `privnews query` may do, which URLs are
fetched, download size limits, secrets, and HTML escaping in digests. Each test fails if its defence goes."""
from __future__ import annotations

import http.server
import threading

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse.db import WarehouseError, open_warehouse
from warehouse.load import replace_facts, upsert_articles
from warehouse.query import QueryRefused, check_read_only, open_readonly, run_query

from tests.test_warehouse import FACTS, article


# --------------------------------------------------------------------------------------------------------
# `privnews query`: three independent layers, each tested on its own.
#   1. check_read_only: only SELECT/EXPLAIN statements are accepted (QueryRefused before the DB is touched)
#   2. the connection is opened read_only (a write that slipped past 1 still fails)
#   3. enable_external_access = false + lock_configuration (no files, no network, no extensions, no SET)
# --------------------------------------------------------------------------------------------------------

@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    with open_warehouse(path) as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
    return path


def _intact(db) -> None:
    assert run_query(db, "select count(*) from claims")[1] == [(1,)]
    assert run_query(db, "select count(*) from articles")[1] == [(1,)]


@pytest.mark.parametrize("sql", [
    "INSERT INTO actors VALUES ('x', 'X', 'company', NULL)",
    "DROP TABLE claims",
    "DELETE FROM articles",
    "UPDATE articles SET text = ''",
    "COPY claims TO '{tmp}/out.csv'",
    "COPY (SELECT * FROM articles) TO '{tmp}/out.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{tmp}/dump'",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA enable_profiling",
    "CALL pragma_version()",
    "CREATE TABLE t AS SELECT 1",
    "CREATE SECRET (TYPE s3, KEY_ID 'x', SECRET 'y')",
    "CHECKPOINT",
    "SELECT 1; DROP TABLE claims",
    "WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM claims",
])
def test_layer1_statement_check_refuses_everything_but_select(db, tmp_path, sql):
    sql = sql.format(tmp=tmp_path)
    with pytest.raises(QueryRefused, match="read-only"):
        run_query(db, sql)
    _intact(db)
    assert not any(p.name in ("out.csv", "out.parquet", "dump", "other.duckdb") for p in tmp_path.iterdir())


@pytest.mark.parametrize("sql", ["SELECT 1", "FROM claims", "WITH t AS (SELECT 1) SELECT * FROM t",
                                 "EXPLAIN SELECT * FROM claims", "SELECT 1 UNION ALL SELECT 2"])
def test_layer1_plain_reads_are_allowed(sql):
    check_read_only(sql)  # must not raise


@pytest.mark.parametrize("sql", [
    "INSERT INTO actors VALUES ('x', 'X', 'company', NULL)",
    "DELETE FROM claims",
    "DROP TABLE claims",
    "UPDATE articles SET text = ''",
])
def test_layer2_connection_itself_is_read_only(db, sql):
    con = open_readonly(db)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute(sql)
    finally:
        con.close()
    _intact(db)


@pytest.mark.parametrize("sql", [
    "COPY claims TO '{tmp}/out.csv'",
    "EXPORT DATABASE '{tmp}/dump'",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_csv('{secret}')",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM read_blob('{secret}')",
    "SELECT * FROM glob('{tmp}/*')",
    "SELECT * FROM read_parquet('{tmp}/x.parquet')",
])
def test_layer3_no_file_or_extension_access_even_past_the_statement_check(db, tmp_path, sql):
    secret = tmp_path / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    con = open_readonly(db)
    try:
        with pytest.raises(duckdb.Error, match="disabled"):
            con.execute(sql.format(tmp=tmp_path, secret=secret)).fetchall()
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv", "w.duckdb"]


@pytest.mark.parametrize("sql", ["SET enable_external_access = true", "RESET enable_external_access",
                                 "SET lock_configuration = false", "SET autoload_known_extensions = true"])
def test_layer3_settings_are_frozen(db, sql):
    con = open_readonly(db)
    try:
        with pytest.raises(duckdb.Error, match="configuration has been locked"):
            con.execute(sql)
    finally:
        con.close()


@pytest.mark.parametrize("fn", ["read_csv", "read_text", "read_parquet", "read_json"])
def test_select_reading_files_is_refused(db, tmp_path, fn):
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2\n")
    with pytest.raises(WarehouseError, match="disabled by configuration") as exc:
        run_query(db, f"SELECT * FROM {fn}('{secret}')")
    assert "hunter2" not in str(exc.value)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture()
def recorder():
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fn", ["read_csv", "read_text", "read_parquet", "read_json"])
def test_select_cannot_reach_the_network(db, recorder, fn):
    base, hits = recorder
    with pytest.raises(WarehouseError, match="disabled by configuration"):
        run_query(db, f"SELECT * FROM {fn}('{base}/data.csv')")
    assert hits == []


def test_cli_query_refusal_is_a_message_not_a_traceback(db, tmp_path):
    result = CliRunner().invoke(app, ["query", "--db", str(db), f"COPY claims TO '{tmp_path}/x.csv'"])
    assert result.exit_code == 2
    assert "read-only" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()
    secret = tmp_path / "notes.txt"
    secret.write_text("hunter2\n")
    result = CliRunner().invoke(app, ["query", "--db", str(db), f"SELECT * FROM read_text('{secret}')"])
    assert result.exit_code == 2 and "disabled by configuration" in result.output
    assert "hunter2" not in result.output and "Traceback" not in result.output
    _intact(db)

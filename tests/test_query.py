"""`privnews query` is read-only: writes, file and network access are refused, data stays intact."""
import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse.db import WarehouseError
from warehouse.query import QueryRefused, run_query



@pytest.mark.parametrize("sql", [
    "drop table claims",
    "insert into claims select * from claims",
    "delete from claims",
    "update claims set kind = 'x'",
    "copy claims to 'out.csv'",
    "attach 'other.duckdb' as o",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "create table t as select 1",
    "select 1; drop table claims",
])
def test_writes_are_refused_and_data_survives(db, sql):
    with pytest.raises(QueryRefused):
        run_query(db, sql)
    assert run_query(db, "select count(*) from claims")[1] == [(1,)]


def test_file_access_from_sql_is_blocked(db, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n")
    with pytest.raises(WarehouseError, match="disabled by configuration"):
        run_query(db, f"select * from read_csv('{secret}')")


def test_cli_query_formats_and_refusal(db):
    runner = CliRunner()
    ok = runner.invoke(app, ["query", "--db", str(db), "--format", "json",
                             "select kind, count(*) as n from claims group by 1"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout.strip()) == {"kind": "fine", "n": 1}
    refused = runner.invoke(app, ["query", "--db", str(db), "drop table claims"])
    assert refused.exit_code == 2
    assert "read-only" in refused.output
    assert run_query(db, "select count(*) from claims")[1] == [(1,)]


def test_query_on_missing_database_says_what_to_do(tmp_path):
    result = CliRunner().invoke(app, ["query", "--db", str(tmp_path / "none.duckdb"), "select 1"])
    assert result.exit_code == 2
    assert "privnews run" in result.output
    assert not (tmp_path / "none.duckdb").exists()

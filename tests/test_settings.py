"""One settings object: defaults, TOML file, PRIVNEWS_ environment, clear errors, masked secrets."""
import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import ConfigError, load_settings


@pytest.fixture()
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("PRIVNEWS_DB", "PRIVNEWS_CONFIG", "PRIVNEWS_HTTP__READ_TIMEOUT", "PRIVNEWS_SMTP__PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def test_precedence_flag_over_env_over_file_over_default(in_tmp, monkeypatch):
    assert str(load_settings().db) == "data/privnews.duckdb"
    (in_tmp / "privnews.toml").write_text('db = "from-file.duckdb"\n[http]\nread_timeout = 7\n')
    assert str(load_settings().db) == "from-file.duckdb"
    assert load_settings().http.read_timeout == 7
    monkeypatch.setenv("PRIVNEWS_DB", "from-env.duckdb")
    assert str(load_settings().db) == "from-env.duckdb"
    assert str(load_settings(db="from-flag.duckdb").db) == "from-flag.duckdb"


def test_broken_toml_names_the_file(in_tmp):
    (in_tmp / "privnews.toml").write_text("db = \n")
    with pytest.raises(ConfigError, match="privnews.toml"):
        load_settings()


def test_unknown_or_wrongly_typed_field_is_named(in_tmp, monkeypatch):
    (in_tmp / "privnews.toml").write_text("[http]\nread_timout = 3\n")
    with pytest.raises(ConfigError, match="read_timout"):
        load_settings()
    (in_tmp / "privnews.toml").unlink()
    monkeypatch.setenv("PRIVNEWS_HTTP__READ_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="read_timeout"):
        load_settings()


def test_secrets_only_from_environment_and_masked(in_tmp, monkeypatch):
    (in_tmp / "privnews.toml").write_text('[smtp]\npassword = "hunter2"\n')
    with pytest.raises(ConfigError, match="PRIVNEWS_SMTP__PASSWORD"):
        load_settings()
    (in_tmp / "privnews.toml").unlink()
    monkeypatch.setenv("PRIVNEWS_SMTP__PASSWORD", "hunter2")
    assert load_settings().smtp.password.get_secret_value() == "hunter2"
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 0
    assert "hunter2" not in result.output
    assert json.loads(result.output)["smtp"]["password"] == "********"


def test_missing_config_file_named_by_env(in_tmp, monkeypatch):
    monkeypatch.setenv("PRIVNEWS_CONFIG", str(in_tmp / "nope.toml"))
    with pytest.raises(ConfigError, match="nope.toml"):
        load_settings()


@pytest.mark.parametrize("field", ["extract_batch_size", "extract_max_chars", "extract_load_every"])
def test_extraction_sizes_must_be_positive_and_are_named(in_tmp, monkeypatch, field):
    monkeypatch.setenv(f"PRIVNEWS_{field.upper()}", "0")
    with pytest.raises(ConfigError, match=field):
        load_settings()

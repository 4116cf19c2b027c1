"""Test environment: offline, project-local Prefect home, no telemetry (set before any import of prefect)."""
import os
import tempfile

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", os.path.join(tempfile.gettempdir(), "privnews-test-prefect"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PRIVNEWS_CONFIG", None)
# The ephemeral Prefect API server can take longer than its default 20 s to start on a loaded 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@pytest.fixture()
def db(tmp_path):
    """A migrated warehouse holding one article with its facts (tests/test_warehouse.py FACTS)."""
    from tests.test_warehouse import FACTS, article
    from warehouse.db import open_warehouse
    from warehouse.load import replace_facts, upsert_articles

    path = tmp_path / "w.duckdb"
    with open_warehouse(path) as con:
        upsert_articles(con, [article()])
        replace_facts(con, [("a1", FACTS)], "v1")
    return path

"""Security defences (SECURITY.md names each test here): what `privnews query` may do, which URLs are
fetched, download size limits, secrets, and HTML escaping in digests. Each test fails if its defence goes."""
from __future__ import annotations

import http.server
import threading

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse.db import WarehouseError
from warehouse.query import QueryRefused, check_read_only, open_readonly, run_query


# --------------------------------------------------------------------------------------------------------
# `privnews query`: three independent layers, each tested on its own.
#   1. check_read_only: only SELECT/EXPLAIN statements are accepted (QueryRefused before the DB is touched)
#   2. the connection is opened read_only (a write that slipped past 1 still fails)
#   3. enable_external_access = false + lock_configuration (no files, no network, no extensions, no SET)
# --------------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------------
# One real `privnews run` (subprocess, DEBUG logging) over a hostile local feed, delivering the digest by
# SMTP with a password: the password is used, yet appears nowhere (output, logs, files, databases), and
# everything from the feed arrives escaped in the digest's HTML.
# --------------------------------------------------------------------------------------------------------

import base64  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from contextlib import closing  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402
from email.utils import format_datetime  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from pathlib import Path  # noqa: E402

from tests.runs import seed_prefect_home  # noqa: E402

SECRET = "pw-7Qz!x9_privnews_never_log_me"
ROOT = Path(__file__).resolve().parent.parent

HOSTILE_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Evil &amp;lt;i&amp;gt;Feed&amp;lt;/i&amp;gt;</title><link>http://{host}/</link>
<item><title>AP beboet &amp;lt;script&amp;gt;alert("title")&amp;lt;/script&amp;gt; Hostile BV</title>
<link>http://{host}/pages/fine</link><guid>sec-fine</guid><pubDate>{date}</pubDate>
<description>De Autoriteit Persoonsgegevens legt een boete op.</description></item>
</channel></rss>"""
HOSTILE_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Boete</title></head><body>
<article><h1>AP beboet Hostile BV</h1>
<p>De Autoriteit Persoonsgegevens heeft het bedrijf &lt;img src=x onerror=alert(1)&gt; Hostile BV een boete van
2,5 miljoen euro opgelegd, omdat het zonder toestemming medische gegevens deelde met &lt;script&gt;alert(2)&lt;/script&gt;
een marketingbureau.</p>
<p>Volgens de toezichthouder wisten klanten niet dat hun gegevens werden doorgegeven. Hostile BV laat weten in
beroep te gaan tegen de boete en stelt dat het een gerechtvaardigd belang had.</p></article></body></html>"""
RULES = """[[rule]]
name = "fines"
description = "Every fine"
kinds = ["fine"]

[[subscription]]
name = "default"
rules = ["fines"]
to = ["security-team@example.org", "digests"]
schedule = "daily"
format = ["html", "text"]
"""


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


@pytest.fixture(scope="module")
def hostile_run_with_secret(tmp_path_factory, migrated_prefect_db):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.digest_fixtures import Inbox, free_port
    from tests.test_hostile_input import HostileServer

    tmp = tmp_path_factory.mktemp("secret")
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == SECRET.encode())

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        with HostileServer() as srv:
            date = format_datetime(datetime.now(timezone.utc))
            srv.extra["/feeds/sec.xml"] = HOSTILE_FEED.format(host=srv.host, date=date).encode()
            srv.extra["/pages/fine"] = HOSTILE_PAGE.encode()
            (tmp / "feeds.toml").write_text(
                f'[publishers.evil]\nname = "Evil"\nhomepage = "http://{srv.host}/"\n'
                f'feeds = ["http://{srv.host}/feeds/sec.xml"]\nlang = "nl"\ncountry = "NL"\nkind = "news"\n'
                'profiles = ["sec"]\n', encoding="utf-8")
            (tmp / "rules.toml").write_text(RULES, encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVNEWS_", "PREFECT_"))}
            env.update({
                "PREFECT_HOME": str(seed_prefect_home(tmp / "prefect", migrated_prefect_db)),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "DEBUG",
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180", "HF_HUB_OFFLINE": "1",
                "PYTHONPATH": str(ROOT),
                "PRIVNEWS_DATA_DIR": str(tmp / "data"), "PRIVNEWS_FEEDS_FILE": str(tmp / "feeds.toml"),
                "PRIVNEWS_PROFILE": "sec", "PRIVNEWS_RULES_FILE": str(tmp / "rules.toml"),
                "PRIVNEWS_HTTP__ALLOW_PRIVATE_PAGES": "true",
                "PRIVNEWS_SMTP__HOST": "127.0.0.1", "PRIVNEWS_SMTP__PORT": str(port),
                "PRIVNEWS_SMTP__USERNAME": "privnews", "PRIVNEWS_SMTP__PASSWORD": SECRET,
            })
            proc = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--db", str(tmp / "s.duckdb")],
                                  cwd=tmp, env=env, capture_output=True, text=True, timeout=900,
                                  start_new_session=True)
    finally:
        controller.stop()
    return tmp, proc, inbox, logins


def _flow_runs_whose_last_log_is_stored(prefect_db: Path) -> set[str]:
    with closing(sqlite3.connect(prefect_db)) as con:
        return {name for (name,) in con.execute(
            "select distinct f.name from flow_run f join log l on l.flow_run_id = f.id "
            "where l.task_run_id is null and l.message like 'Finished in state Completed%'")}


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_smtp_password_is_used_but_never_logged_or_stored(hostile_run_with_secret):
    tmp, proc, inbox, logins = hostile_run_with_secret
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert logins and logins[-1] == (b"privnews", SECRET.encode())      # the secret really was used
    assert len(inbox.messages) == 1
    forms = [SECRET, base64.b64encode(SECRET.encode()).decode(),
             base64.b64encode(f"\0privnews\0{SECRET}".encode()).decode()]
    assert len(proc.stderr) > 1000           # DEBUG logging really was on
    # ...and its logs reached Prefect's database, up to each flow run's last line (sent before the run's own
    # server stopped, flows/prefect_server.py), so the search below covers what Prefect stores of them
    finished = re.findall(r"Flow run '([\w-]+)' - Finished in state Completed", proc.stderr)
    assert finished and _flow_runs_whose_last_log_is_stored(tmp / "prefect" / "prefect.db") >= set(finished)
    for form in forms:
        assert form not in proc.stdout and form not in proc.stderr
        for path in tmp.rglob("*"):          # data dir, digests, DuckDB file, Prefect home and its database
            if path.is_file():
                assert form.encode() not in path.read_bytes(), (form, path)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_digest_html_escapes_everything_from_feeds(hostile_run_with_secret):
    tmp, proc, inbox, _logins = hostile_run_with_secret
    assert proc.returncode == 0, proc.stderr[-3000:]
    msg = message_from_bytes(inbox.messages[0][2], policy=policy.default)
    pages = [msg.get_body(("html",)).get_content()]
    pages += [p.read_text(encoding="utf-8") for p in (tmp / "data" / "digests").glob("*.html")]
    assert len(pages) == 2
    for page in pages:
        assert "Hostile BV" in page                                # the item is there...
        parser = _Tags()
        parser.feed(page)
        assert not {"script", "img", "iframe", "object", "embed"} & set(parser.tags)   # ...but inert
        assert not [a for a, _v in parser.attrs if a.startswith("on")]
        assert all((v or "").startswith(("http://", "https://", "file://", "mailto:", "#"))
                   for a, v in parser.attrs if a in ("href", "src"))
        assert "<script" not in page.lower()


# --------------------------------------------------------------------------------------------------------
# URLs: feeds (registry and --feed) and pages are http(s) only; downloads are capped.
# --------------------------------------------------------------------------------------------------------

BAD_URLS = ["file:///etc/passwd", "ftp://example.org/feed.xml", "javascript:alert(1)",
            "data:text/xml,<rss/>", "gopher://example.org/", "/relative/feed.xml", "example.org/feed.xml"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_feed_urls_must_be_http_s_in_registry_and_on_the_command_line(tmp_path, url):
    from flows.ingest.registry import RegistryError, adhoc_feed, load_registry

    reg = tmp_path / "feeds.toml"
    reg.write_text(f'[publishers.x]\nname = "X"\nhomepage = "https://x.example"\nfeeds = ["{url}"]\n'
                   'lang = "nl"\ncountry = "NL"\nkind = "news"\nprofiles = ["p"]\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="not an http"):
        load_registry(reg)
    with pytest.raises(RegistryError, match="not an http"):
        adhoc_feed(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
def test_fetcher_refuses_non_http_schemes(url):
    from flows.ingest.fetch import Fetcher
    from flows.settings import HttpSettings

    with Fetcher(HttpSettings(allow_private_pages=True)) as fetcher:
        for kind in ("feed", "page"):
            res = fetcher.get(url, kind=kind)
            assert not res.ok and res.body == b"" and "root:" not in (res.error or "")


def test_every_download_is_capped():
    """Feeds and pages alike: a body over http.max_bytes is refused, declared length or not."""
    from flows.ingest.fetch import Fetcher
    from flows.settings import HttpSettings

    from tests.test_hostile_input import HostileServer

    with HostileServer() as srv, Fetcher(HttpSettings(max_bytes=100_000, allow_private_pages=True)) as f:
        base = f"http://{srv.host}"
        for url, kind in ((f"{base}/feeds/huge_declared.xml", "feed"), (f"{base}/feeds/huge_streamed.xml", "feed"),
                          (f"{base}/pages/huge", "page"), (f"{base}/pages/gzip-bomb", "page")):
            res = f.get(url, kind=kind)
            assert not res.ok and "size cap" in res.error and res.body == b"", (url, res.error)
            if "declared" in url:       # refused on the header alone, before the body is read
                assert "Content-Length" in res.error
        ok = f.get(f"{base}/feeds/bom_utf8.xml", kind="feed")
        assert ok.ok and ok.body


def test_pages_on_private_addresses_are_refused_unless_allowed():
    from flows.ingest.fetch import Fetcher
    from flows.settings import HttpSettings

    from tests.test_hostile_input import HostileServer

    with HostileServer() as srv:
        url = f"http://{srv.host}/pages/bom"
        with Fetcher(HttpSettings()) as f:
            refused = f.get(url, kind="page")
            feed = f.get(f"http://{srv.host}/feeds/bom_utf8.xml", kind="feed")   # feeds: the operator's choice
        assert not refused.ok and "private" in refused.error and srv.hits == ["/feeds/bom_utf8.xml"]
        assert feed.ok
        with Fetcher(HttpSettings(allow_private_pages=True)) as f:
            assert f.get(url, kind="page").ok


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.8", "192.168.1.1", "172.16.0.1", "169.254.169.254",
                                  "[::1]", "0.0.0.0", "[fd00::1]"])
def test_private_address_classification(host):
    from flows.ingest.fetch import is_private_address

    assert is_private_address(host)


def test_secret_settings_are_masked_in_repr_and_dumps(monkeypatch):
    from flows.settings import load_settings

    monkeypatch.setenv("PRIVNEWS_SMTP__PASSWORD", SECRET)
    s = load_settings()
    assert SECRET not in repr(s) and SECRET not in str(s.smtp)
    assert SECRET not in s.model_dump_json() and SECRET not in str(s.masked())
    assert s.smtp.password.get_secret_value() == SECRET

"""Digest delivery to a real SMTP server (aiosmtpd on 127.0.0.1, plain, STARTTLS and implicit TLS), to a
directory and to stdout; the MIME message is parsed and both parts checked; hostile feed content arrives
escaped; a second run sends nothing new."""
from __future__ import annotations

import html
import ssl
import subprocess
from html.parser import HTMLParser

import pytest
from aiosmtpd.controller import Controller

from flows.digest.run import run_digest
from tests.digest_fixtures import Inbox, fixture_articles, free_port, load_articles, settings_for
from warehouse.db import open_warehouse


@pytest.fixture
def loaded(tmp_path):
    load_articles(tmp_path / "w.duckdb")
    return tmp_path


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]


def test_smtp_multipart_digest_then_nothing_new(tmp_path, smtp):
    inbox, port = smtp
    everything_but_proximus = [a["article"]["article_id"] for a in fixture_articles()
                               if a["article"]["article_id"] != "nl-proximus-0005"]
    load_articles(tmp_path / "w.duckdb", everything_but_proximus)
    settings = settings_for(tmp_path, smtp_port=port)
    first = run_digest(settings, "benelux")
    assert [m.state for m in first.messages] == ["sent"] and first.new_items == 2
    assert len(inbox.messages) == 1
    mail_from, rcpts, _ = inbox.messages[0]
    assert mail_from == settings.smtp.sender
    assert sorted(rcpts) == ["researcher@example.org", "second@example.org"]
    msg = inbox.parsed()[0]
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Message-ID"] == first.messages[0].message_id
    assert "2 new items in 2 stories" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    page = msg.get_body(("html",)).get_content()
    # kept: the Uber fine (ONE entry, both outlets as sources), CNPD; dropped: GBP, < 1M, no country
    assert text.count("* Fine") == 2
    assert ">>fined Uber €290 million<<" in text or ">>heeft Uber een boete van 290 miljoen euro opgelegd<<" in text
    assert "Sources (2):" in text
    assert "privacynieuws.example/2024/08/ap-boete-uber.html" in text
    assert "privacywire.example/2024/08/dutch-regulator-fines-uber.html" in text
    for dropped in ("TikTok", "De Linde", "CCIN", "Proximus beriep"):
        assert dropped not in text and dropped not in page
    assert "AdTech" in text
    assert "<mark" in page and page.count("<mark") == 2
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert "style" not in parser.tags and "link" not in parser.tags            # inline styles only

    second = run_digest(settings, "benelux")
    assert second.messages == [] and second.new_items == 0
    assert len(inbox.messages) == 1                                             # nothing new was sent

    # a new matching item arrives later (and the old ones are re-extracted): only the new item is sent
    load_articles(settings.db)
    third = run_digest(settings, "benelux")
    assert third.new_items == 1 and len(inbox.messages) == 2
    later = inbox.parsed()[1].get_body(("plain",)).get_content()
    assert "Proximus" in later and "Uber" not in later and "AdTech" not in later
    assert inbox.parsed()[1]["Message-ID"] != msg["Message-ID"]


def test_hostile_feed_item_is_escaped_in_html(loaded, smtp):
    inbox, port = smtp
    settings = settings_for(loaded, smtp_port=port)
    run_digest(settings, "benelux")
    page = inbox.parsed()[0].get_body(("html",)).get_content()
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert html.escape('Regulator fines <script>alert("pwned")</script> <b>AdTech</b> & Co €2m') in page
    assert "Evil &lt;i&gt;Feed&lt;/i&gt; &amp; Co" in page
    assert "AdTech &lt;b&gt;Co&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    parser = _Tags()
    parser.feed(page)
    assert not {"script", "img", "b", "i", "iframe"} & set(parser.tags)
    # the hostile URL is an http(s) URL, so it is linked, but escaped inside the attribute
    assert 'https://evil.example/a?x=1&y="><script>alert(2)</script>' in parser.hrefs
    assert all(h.startswith(("http://", "https://")) for h in parser.hrefs)


def test_directory_delivery_one_file_per_digest_and_weekly_report_link(loaded):
    settings = settings_for(loaded)
    result = run_digest(settings, "everything")
    assert len(result.paths) == 1
    path = result.paths[0]
    assert path.parent == (loaded / "data" / "out").resolve() and path.suffix == ".html"
    page = path.read_text(encoding="utf-8")
    # all fines (6 items: the Uber story once) + Meta's legitimate-interest claims (affirm and deny) + complaint
    assert "9 new items (6 fine, 2 legal basis, 1 complaint)" in page
    assert page.count("Sources (2)") == 1
    assert "Google" not in page                                              # consent claim: dropped
    report = sorted((loaded / "data" / "reports").glob("report-*.html"))
    assert len(report) == 1 and report[0].resolve().as_uri() in page         # weekly digest links the report
    again = run_digest(settings, "everything")
    assert again.paths == [] and len(list(path.parent.iterdir())) == 1


def test_stdout_delivery_and_dry_run_records_nothing(loaded, capsys):
    settings = settings_for(loaded)
    dry = run_digest(settings, "console", dry_run=True)
    assert dry.messages == [] and dry.new_items == 2
    assert "legitimate interest" in dry.preview["stdout:-"]
    with open_warehouse(settings.db) as con:
        assert con.execute("SELECT count(*) FROM digest_outbox").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM digest_ledger").fetchone() == (0,)
    sent = run_digest(settings, "console")
    out = capsys.readouterr().out
    assert sent.messages[0].state == "sent"
    assert out.count(">>Meta says it has a legitimate interest<<") == 1
    assert ">>Meta cannot rely on legitimate interest<<" in out
    assert "<html" not in out                                                # format = ["text"]
    assert run_digest(settings, "console").messages == []


def _self_signed(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx, cert


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_smtp_tls(loaded, security):
    ctx, cert = _self_signed(loaded)
    inbox, port = Inbox(), free_port()
    kwargs = {"tls_context": ctx, "require_starttls": True} if security == "starttls" else {"ssl_context": ctx}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        base = {"host": "127.0.0.1", "port": port, "security": security, "timeout": 5.0}
        untrusted = settings_for(loaded, smtp=base)
        failed = run_digest(untrusted, "benelux")
        assert failed.messages[0].state == "pending" and "TLS" in failed.messages[0].error
        assert inbox.messages == []
        trusted = settings_for(loaded, smtp={**base, "ca_file": str(cert)})
        ok = run_digest(trusted, "benelux")
        # the pending message from the failed attempt is the one delivered: same Message-ID, no second one
        assert [(m.state, m.resent) for m in ok.messages] == [("sent", True)]
        assert len(inbox.messages) == 1
        assert inbox.parsed()[0]["Message-ID"] == failed.messages[0].message_id
    finally:
        controller.stop()

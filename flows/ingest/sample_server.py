"""A local forward HTTP proxy that serves the bundled sample sites (flows/sample) over real HTTP.

The ingest flow points httpx's `proxy=` at it, so feed and article URLs stay the real `http://<host>.example/...`
addresses (stable article ids whatever the port) while the bytes come from flows/sample/sites/<host><path>
(article pages are stored as <path>.html). Only the hosts in flows/sample/manifest.json are served; anything
else is 404. ETag and Last-Modified are sent, and If-None-Match / If-Modified-Since answered with 304, so
conditional GET works as it does against a real site. Binds 127.0.0.1 on a free port.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flows.settings import SAMPLE_DIR

logger = logging.getLogger(__name__)


def sample_hosts(sample_dir: Path = SAMPLE_DIR) -> set[str]:
    manifest = sample_dir / "manifest.json"
    if not manifest.exists():
        return set()
    return set(json.loads(manifest.read_text(encoding="utf-8")).get("hosts", []))


def _content_type(path: Path, body: bytes) -> str:
    if path.suffix in (".html", ".htm"):
        return "text/html; charset=utf-8"
    if path.suffix == ".xml":
        head = body[:500]
        if b"<feed" in head:
            return "application/atom+xml; charset=utf-8"
        if b"<rss" in head:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server_version = "privnews-sample/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet; requests are counted on the server object instead
        logger.debug("sample server: " + fmt, *args)

    def _resolve(self) -> tuple[str, Path | None]:
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host, path = (parts.hostname or "").lower(), parts.path or "/"
        else:
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            path = urlsplit(target).path or "/"
        srv: SampleServer = self.server.owner  # type: ignore[attr-defined]
        if host not in srv.hosts:
            return host, None
        root = (srv.sites_dir / host).resolve()
        rel = unquote(path).lstrip("/")
        for candidate in (root / rel, root / f"{rel}.html", root / rel / "index.html"):
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if resolved.is_file() and resolved.is_relative_to(root):
                return host, resolved
        return host, None

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"", head: bool = False) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        host, path = self._resolve()
        srv: SampleServer = self.server.owner  # type: ignore[attr-defined]
        srv._count(self.path)
        if path is None:
            self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n", head)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        last_modified = email.utils.formatdate(int(path.stat().st_mtime), usegmt=True)
        common = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "max-age=0"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm and etag in [t.strip() for t in inm.split(",")]) or (not inm and ims == last_modified):
            self._send(304, common, b"", head=True)
            return
        self._send(200, {**common, "Content-Type": _content_type(path, body)}, body, head)

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def do_CONNECT(self):
        self._send(405, {"Content-Type": "text/plain"}, b"CONNECT not supported: sample sites are http only\n")


class SampleServer:
    """`with SampleServer() as srv: ... srv.proxy_url ...` (or start()/stop())."""

    def __init__(self, sample_dir: Path = SAMPLE_DIR, host: str = "127.0.0.1", port: int = 0):
        self.sample_dir = sample_dir
        self.sites_dir = sample_dir / "sites"
        self.hosts = sample_hosts(sample_dir)
        self._bind = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.requests: list[str] = []

    def _count(self, target: str) -> None:
        with self._lock:
            self.requests.append(target)

    @property
    def proxy_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SampleServer":
        if not self.hosts:
            raise FileNotFoundError(f"no sample sites at {self.sample_dir} (manifest.json missing); "
                                    "run `python -m models.corpus.build_sample`.")
        self._httpd = ThreadingHTTPServer(self._bind, _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        # shutdown() waits for the loop's next poll: 50 ms instead of the default 0.5 s, paid on every run
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="privnews-sample-server", daemon=True)
        self._thread.start()
        logger.info("sample sites served through proxy %s", self.proxy_url)
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "SampleServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

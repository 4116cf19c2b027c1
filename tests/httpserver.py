"""A reusable local HTTP server for tests (127.0.0.1, random free port, threaded). Never the internet.

    with LocalHTTPServer() as srv:
        srv.route("/feed.xml", Static(body, "application/rss+xml"))          # ETag/Last-Modified/304
        srv.route("/flaky.xml", Status(500), Static(body, "application/rss+xml"))  # 500, then 200 forever
        srv.route("/slow.xml", Hang(30))                                      # never answers in time
        srv.route("/loop", Redirect("/loop2")); srv.route("/loop2", Redirect("/loop"))
        httpx.get(srv.url("/feed.xml"))
        srv.hits("/feed.xml"), srv.requests                                   # what was asked, and when

A route holds a sequence of responders: each request takes the next one, the last repeats. Query strings
are ignored for routing but recorded. `{BASE}` in a Static body is replaced by the server's base URL.
"""
from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str            # with query string
    headers: dict[str, str]
    at: float            # time.monotonic() when it arrived


class Responder:
    def respond(self, handler: "_Handler", server: "LocalHTTPServer") -> None:
        raise NotImplementedError


def _send(handler, status: int, headers: dict[str, str], body: bytes = b"") -> None:
    handler.send_response(status)
    for k, v in headers.items():
        handler.send_header(k, v)
    if "Content-Length" not in headers:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body and handler.command != "HEAD":
        handler.wfile.write(body)


@dataclass
class Static(Responder):
    """A document with an ETag and a Last-Modified date; conditional requests get 304."""
    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True
    last_modified: bool = True
    extra_headers: dict[str, str] = field(default_factory=dict)

    def respond(self, handler, server):
        body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        body = body.replace(b"{BASE}", server.base_url.encode())
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = "Tue, 01 Oct 2024 08:00:00 GMT"
        headers = {"Content-Type": self.content_type, **self.extra_headers}
        if self.etag:
            headers["ETag"] = tag
        if self.last_modified:
            headers["Last-Modified"] = modified
        inm, ims = handler.headers.get("If-None-Match"), handler.headers.get("If-Modified-Since")
        if (self.etag and inm and tag in [t.strip() for t in inm.split(",")]) or \
                (self.last_modified and not inm and ims == modified):
            _send(handler, 304, {k: v for k, v in headers.items() if k != "Content-Type"})
            return
        _send(handler, 200, headers, body)


@dataclass
class Status(Responder):
    """A bare status (500, 404, 429 …) with optional headers and body."""
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def respond(self, handler, server):
        _send(handler, self.status, {"Content-Type": "text/plain", **self.headers}, self.body)


@dataclass
class Redirect(Responder):
    location: str
    status: int = 302

    def respond(self, handler, server):
        _send(handler, self.status, {"Location": self.location})


@dataclass
class Hang(Responder):
    """Accept the request and say nothing for `seconds` (or until the server stops)."""
    seconds: float = 60.0

    def respond(self, handler, server):
        server._stopping.wait(self.seconds)
        handler.close_connection = True


@dataclass
class Drip(Responder):
    """Headers at once, then the body a few bytes at a time: never idle long, but slow in total."""
    body: bytes
    every: float = 0.2
    chunk: int = 8
    content_type: str = "application/rss+xml"

    def respond(self, handler, server):
        handler.send_response(200)
        handler.send_header("Content-Type", self.content_type)
        handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        for i in range(0, len(self.body), self.chunk):
            if server._stopping.is_set():
                return
            try:
                handler.wfile.write(self.body[i:i + self.chunk])
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(self.every)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _dispatch(self):
        srv: LocalHTTPServer = self.server.owner  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        srv._record(Request(self.command, self.path, dict(self.headers.items()), time.monotonic()))
        responder = srv._next(path)
        if responder is None:
            _send(self, 404, {"Content-Type": "text/plain"}, b"no such route\n")
            return
        try:
            responder.respond(self, srv)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = _dispatch
    do_HEAD = _dispatch


class LocalHTTPServer:
    def __init__(self):
        self._routes: dict[str, list[Responder]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[Request] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- routes ---------------------------------------------------------------------------------------
    def route(self, path: str, *responders: Responder) -> None:
        """Set (or replace) the responses for `path`; each request takes the next, the last repeats."""
        with self._lock:
            self._routes[path] = list(responders)
            self._served[path] = 0

    def _next(self, path: str) -> Responder | None:
        with self._lock:
            seq = self._routes.get(path)
            if not seq:
                return None
            i = min(self._served[path], len(seq) - 1)
            self._served[path] += 1
            return seq[i]

    def _record(self, req: Request) -> None:
        with self._lock:
            self.requests.append(req)

    def hits(self, path: str) -> int:
        """Requests whose path (query ignored) is `path`."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    # -- lifecycle ------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> "LocalHTTPServer":
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name="test-http")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "LocalHTTPServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

"""Polite HTTP fetching for feeds and pages: timeouts (connect, read, total), a size cap, a redirect limit,
conditional GET, a per-host concurrency limit and delay, and a log of every attempt.

`Fetcher.get` returns a `FetchResult` for final outcomes (success, 304, permanent failure such as 404 or an
oversized body) and raises `TransientFetchError` for failures worth retrying (timeouts, connection errors,
5xx, 408, 429). Retrying is the caller's job (`flows.ingest.flow.fetch_with_retries`); a 429's Retry-After
is honoured by holding back the next request to that host.
"""
from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

import certifi
import httpx

from flows.settings import HttpSettings

logger = logging.getLogger(__name__)

TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class FetchResult:
    url: str
    kind: str                              # feed | page
    status: int | None = None
    final_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)   # lower-case names
    body: bytes = b""
    not_modified: bool = False
    error: str | None = None               # None = usable (2xx or 304)
    elapsed_ms: int = 0
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None


class FetchError(Exception):
    def __init__(self, url: str, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.retry_after = url, reason, status, retry_after


class TransientFetchError(FetchError):
    """Worth retrying: timeout, connection trouble, 5xx, 408, 429."""


def is_transient(exc: BaseException | None) -> bool:
    return isinstance(exc, TransientFetchError)


class _TooLarge(Exception):
    pass


class _TotalTimeout(Exception):
    pass


class _PrivateRedirect(Exception):
    """A guarded page request was redirected to a loopback/private address."""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent or garbage."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_dt = datetime.fromtimestamp(now if now is not None else time.time(), timezone.utc)
    return max(0.0, (when - now_dt).total_seconds())


def is_private_address(host: str) -> bool:
    """True when `host` is, or resolves to, a loopback, private, link-local or reserved address."""
    try:
        addrs = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror:
            return False        # unresolvable: the request itself will fail with a clear error
        addrs = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return any(a.is_loopback or a.is_private or a.is_link_local or a.is_reserved or a.is_unspecified
               for a in addrs)


class _HostGate:
    """At most `limit` requests at once per host, `delay` seconds between request starts, and no request
    before a time a server asked for (Retry-After)."""

    def __init__(self, limit: int, delay: float):
        self._sems: dict[str, threading.BoundedSemaphore] = defaultdict(
            lambda: threading.BoundedSemaphore(max(1, limit)))
        self._next: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()
        self._delay = delay

    def hold_off(self, host: str, seconds: float) -> None:
        with self._lock:
            self._next[host] = max(self._next[host], time.monotonic() + seconds)

    def __call__(self, host: str):
        gate = self

        class _Slot:
            def __enter__(self_inner):
                with gate._lock:
                    sem = gate._sems[host]
                sem.acquire()
                while True:
                    with gate._lock:
                        wait = gate._next[host] - time.monotonic()
                        if wait <= 0:
                            gate._next[host] = time.monotonic() + gate._delay
                            break
                    time.sleep(min(wait, 0.5))
                return self_inner

            def __exit__(self_inner, *exc):
                sem = gate._sems[host]
                sem.release()
                return False

        return _Slot()


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context httpx builds by default (certifi's CA bundle), built once per process:
    loading the bundle costs ~55 ms CPU, paid by every new client (one per ingest run) otherwise."""
    return ssl.create_default_context(cafile=certifi.where())


class Fetcher:
    """One HTTP client shared by all fetches of an ingest run (thread-safe)."""

    def __init__(self, http: HttpSettings, proxy_hosts: dict[str, str] | None = None, run_id: str = ""):
        """`proxy_hosts` ({host: proxy URL}) routes those hosts through a proxy (the sample server);
        `http.proxy` routes everything else."""
        self.http = http
        self.proxy_hosts = dict(proxy_hosts or {})
        self.run_id = run_id
        mounts = {f"http://{host}": httpx.HTTPTransport(proxy=url, verify=tls_context())
                  for host, url in self.proxy_hosts.items()}
        self.client = httpx.Client(
            mounts=mounts or None, verify=tls_context(),
            timeout=httpx.Timeout(connect=http.connect_timeout, read=http.read_timeout,
                                  write=http.read_timeout, pool=http.total_timeout),
            follow_redirects=True, max_redirects=http.max_redirects,
            headers={"User-Agent": http.user_agent,
                     "Accept-Encoding": "gzip, deflate"},
            proxy=http.proxy, trust_env=False,
            limits=httpx.Limits(max_connections=max(4, http.concurrency * 2)),
            # Called for every request, redirects included, so a public page cannot bounce us inward.
            event_hooks={"request": [self._check_private_target]},
        )
        self._guard = threading.local()
        self.gate = _HostGate(http.per_host_concurrency, http.per_host_delay)
        self._slots = threading.BoundedSemaphore(max(1, http.concurrency))   # downloads at once, all hosts
        self._lock = threading.Lock()
        self._attempts: dict[str, int] = defaultdict(int)
        self.log: list[dict] = []        # one dict per attempt, for the fetch_log table

    def _check_private_target(self, request: httpx.Request) -> None:
        if getattr(self._guard, "active", False):
            host = request.url.host
            if host and host not in self.proxy_hosts and is_private_address(host):
                raise _PrivateRedirect(str(request.url))

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def requests_made(self) -> int:
        with self._lock:
            return len(self.log)

    def _record(self, res: FetchResult, attempt: int, started: datetime, feed_id: str | None,
                transient: bool) -> None:
        with self._lock:
            self.log.append({
                "run_id": self.run_id, "url": res.url, "kind": res.kind, "feed_id": feed_id, "attempt": attempt,
                "started_at": started, "elapsed_ms": res.elapsed_ms, "status": res.status,
                "bytes": len(res.body) if res.body else 0, "final_url": res.final_url, "error": res.error,
                "transient": transient,
            })

    def get(self, url: str, kind: str = "page", feed_id: str | None = None, etag: str | None = None,
            last_modified: str | None = None) -> FetchResult:
        """One attempt. Returns final outcomes; raises TransientFetchError for retryable ones."""
        with self._lock:
            self._attempts[url] += 1
            attempt = self._attempts[url]
        started = datetime.now(timezone.utc)
        t0 = time.monotonic()
        res = FetchResult(url=url, kind=kind, attempts=attempt)
        retry_after = None
        transient = False
        host = urlsplit(url).hostname or ""
        try:
            proxied = bool(self.http.proxy) or host in self.proxy_hosts
            if kind == "page" and not proxied and not self.http.allow_private_pages \
                    and host and is_private_address(host):
                res.error = ("refused: the page is on a loopback/private address "
                             "(set http.allow_private_pages = true to allow)")
            else:
                with self.gate(host), self._slots:
                    started, t0 = datetime.now(timezone.utc), time.monotonic()   # after any wait at the gate
                    self._guard.active = kind == "page" and not proxied and not self.http.allow_private_pages
                    try:
                        self._download(res, etag, last_modified, t0)
                    finally:
                        self._guard.active = False
                if res.status in TRANSIENT_STATUS:
                    transient = True
                    retry_after = parse_retry_after(res.headers.get("retry-after"))
                    if retry_after is not None:
                        retry_after = min(retry_after, self.http.max_retry_after)
                        self.gate.hold_off(host, retry_after)
                    res.error = f"HTTP {res.status}" + (f" (Retry-After {retry_after:g}s)" if retry_after else "")
                elif res.status == 304:
                    res.not_modified = True
                elif res.status is not None and not 200 <= res.status < 300:
                    res.error = f"HTTP {res.status} {httpx.codes.get_reason_phrase(res.status)}".strip()
        except _PrivateRedirect as exc:
            res.error = (f"refused: the page redirected to a loopback/private address ({exc}); "
                         "set http.allow_private_pages = true to allow")
        except httpx.TooManyRedirects:
            res.error = f"too many redirects (more than {self.http.max_redirects}; a redirect loop?)"
        except (httpx.TimeoutException, _TotalTimeout) as exc:
            transient = True
            what = {httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.WriteTimeout: "write",
                    httpx.PoolTimeout: "pool"}.get(type(exc), "total")
            limit = {"connect": self.http.connect_timeout, "read": self.http.read_timeout,
                     "total": self.http.total_timeout}.get(what, self.http.total_timeout)
            res.error = f"timed out ({what} timeout {limit:g}s)"
        except _TooLarge as exc:
            res.error = f"body larger than the size cap of {self.http.max_bytes} bytes ({exc})"
            res.body = b""
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            res.error = f"not a fetchable URL ({exc})"
        except httpx.TransportError as exc:
            transient = True
            res.error = f"connection error ({type(exc).__name__}: {exc})".replace(": )", ")")
        res.elapsed_ms = int((time.monotonic() - t0) * 1000)
        self._record(res, attempt, started, feed_id, transient)
        if transient:
            logger.info("%s %s attempt %d: %s (will retry if attempts remain)", kind, url, attempt, res.error)
            raise TransientFetchError(url, res.error or "transient failure", res.status, retry_after)
        if res.error:
            logger.warning("%s %s: %s", kind, url, res.error)
        return res

    def _download(self, res: FetchResult, etag: str | None, last_modified: str | None, t0: float) -> None:
        # t0: when the request starts (after any wait at the host gate); the total timeout runs from there
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = t0 + self.http.total_timeout
        with self.client.stream("GET", res.url, headers=headers) as r:
            res.status = r.status_code
            res.final_url = str(r.url)
            res.headers = {k.lower(): v for k, v in r.headers.items()}
            if not 200 <= r.status_code < 300:
                return
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.http.max_bytes:
                raise _TooLarge(f"Content-Length {declared}")
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > self.http.max_bytes:
                    raise _TooLarge(f"more than {size} bytes received")
                if time.monotonic() > deadline:
                    raise _TotalTimeout()
                chunks.append(chunk)
            res.body = b"".join(chunks)

"""The Prefect API server behind a `privnews run`, started by us so that it cannot outlive us.

Without PREFECT_API_URL, Prefect 3 starts an ephemeral API server on first use
(`prefect.server.api.server.SubprocessASGIServer`: `python -m uvicorn ... create_app` as a plain child
process, stopped by an `atexit` hook). A SIGKILLed or OOM-killed run never runs that hook, so the server
kept running, orphaned, holding its port and Prefect's SQLite database.

`ephemeral_api()` starts the same server (same app factory, same ephemeral-mode environment) itself and
points PREFECT_API_URL at it for the block, so Prefect never starts its own. The server process dies with
its parent (flows/parent_death.py: the kernel's parent-death signal, and a watchdog thread). The parent PID
is passed on the command line and checked right after the signal is armed, so a parent that died while the
server was still starting is noticed too.

The listening socket is bound by the parent (127.0.0.1, a free port chosen by the kernel) and handed to the
server, so there is no race for the port. On a normal exit the block stops the server (SIGTERM, then
SIGKILL). Tests: tests/test_crash_safety.py (every SIGKILLed run: its server is gone within seconds).
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from flows.parent_death import SHUTDOWN_GRACE, die_with_parent, pdeathsig_allowed, set_parent_death_signal

logger = logging.getLogger(__name__)

# Server services a server that lives for one run has no use for: automations (triggers and their
# actions), streaming events out to websocket subscribers (there is no UI), and storing every event (flow and
# task runs are still recorded: the task-run recorder is kept). They cost a few CPU-seconds per run on the
# other core (benchmarks: the server's CPU in a 200-article run fell from 16.4 to 12.7 s, and from 2.1 to
# 1.2 s in a warm 49-article run). The caller's environment can turn any of them back on.
LEAN_SERVICES = {
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_API_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    # Block types (storage, notifications...) are not used by privnews; registering them on every start
    # imports every installed Prefect collection first (prefect-dask: dask and distributed), ~1 CPU-s.
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


class PrefectServerError(RuntimeError):
    """The Prefect API server could not be started (the message says what to do)."""


# ------------------------------------------------------------------------------------- parent side


@contextmanager
def ephemeral_api(warm_up: Callable[[], object] | None = None) -> Iterator[str | None]:
    """Within the block, Prefect talks to a server that dies with this process. Yields its API URL, or
    None when PREFECT_API_URL is configured (a real server: nothing to start). `warm_up` (e.g. heavy
    imports) runs while the server is starting, in every case.

    The server is launched before this process imports Prefect (2-3 CPU-s, which the server needs too):
    both imports then run at once, on two cores. Only when a Prefect profile names a server although the
    environment does not, and Prefect was not imported yet, is the launch wasted; the server is stopped."""
    if os.environ.get("PREFECT_API_URL") or _configured_api_url():
        if warm_up is not None:
            warm_up()
        yield None
        return
    server = EphemeralServer()
    server.launch()
    try:
        from prefect.settings import get_current_settings

        if get_current_settings().api.url:          # named by a profile: use that server, not ours
            server.stop()
            server = None
        if warm_up is not None:
            warm_up()
        if server is not None:
            server.wait_ready(timeout=float(get_current_settings().server.ephemeral.startup_timeout_seconds))
    except BaseException:
        if server is not None:
            server.stop()
        raise
    if server is None:
        yield None
        return
    with _pointed_at(server):
        yield server.api_url


def _settings_if_imported():
    """Prefect's current settings when Prefect is imported already (free); None otherwise (importing it
    here would cost the 2-3 CPU-s the early launch saves)."""
    if "prefect.settings" not in sys.modules:
        return None
    from prefect.settings import get_current_settings

    return get_current_settings()


def _configured_api_url() -> str | None:
    """PREFECT_API_URL from Prefect's settings, if Prefect is imported already; None otherwise."""
    settings = _settings_if_imported()
    return settings.api.url if settings is not None else None


@contextmanager
def _pointed_at(server: "EphemeralServer") -> Iterator[None]:
    """Prefect's settings and the environment point at `server` for the block; the server stops after."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    # Also in the environment, for the block: processes started meanwhile (Dask workers, flows/scale.py)
    # report to this server instead of each starting an ephemeral server of its own.
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        # No flow-run heartbeats: they feed the server's zombie-run automation, which this server does not run,
        # and each flow waits for its heartbeat thread's 1 s sleep on exit (~0.5 s per flow, 4 flows a run).
        with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                yield
            finally:
                _send_what_prefect_holds()
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        server.stop()


# How long the logs and events still queued when the block ends may take to reach the server.
FLUSH_TIMEOUT = 30.0


def _send_what_prefect_holds() -> None:
    """Send the flow-run logs and events Prefect still has queued while the server is up. Left to Prefect,
    they went at interpreter exit to a server already stopped, and were lost after a minute of retries (with
    PREFECT_LOGGING_LEVEL=INFO or DEBUG, `privnews run` lingered 60 s after its summary, and each flow run's
    last log lines never reached Prefect's database)."""
    for module, worker in (("prefect.logging.handlers", "APILogWorker"), ("prefect.events.worker", "EventsWorker")):
        if module in sys.modules:            # not imported: never started
            try:
                getattr(sys.modules[module], worker).drain_all(timeout=FLUSH_TIMEOUT, at_exit=False)
            except Exception as exc:         # a lost log line is no reason to fail the run
                logger.warning("could not send Prefect's queued %s to its server: %s", worker, exc)


def _settings_set_in_process() -> dict[str, str]:
    """Prefect settings this process set explicitly (e.g. temporary_settings), as environment variables for
    the server; none when Prefect is not imported yet (then nothing was set in-process)."""
    settings = _settings_if_imported()
    return settings.to_environment_variables(exclude_unset=True) if settings is not None else {}


def await_health(proc: subprocess.Popen, api_url: str, timeout: float, interval: float = 0.1,
                 request_timeout: float = 5.0) -> bool:
    """True once `api_url`/health answers 200; False when `proc` exits first (proc.poll() says so) or `timeout`
    seconds pass. Shared by the one-run server here and `privnews serve`'s `prefect server start`."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=request_timeout) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                if client.get(f"{api_url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(interval)
    return False


def log_tail(log, limit: int = 2000) -> str:
    """The last `limit` characters a server wrote to its log file (a temporary file, or None)."""
    if log is None:
        return ""
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-limit:]


class EphemeralServer:
    """One Prefect API server in ephemeral mode (no UI; in-process services), in a child process that
    dies with this one."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.extra_env = dict(env or {})     # e.g. another PREFECT_HOME
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> "EphemeralServer":
        """Start the server process (without waiting for it, and without importing Prefect here when it
        is not imported yet: the server reads the same environment, profile and working directory)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        env = {**LEAN_SERVICES, **os.environ,
               # what Prefect's own SubprocessASGIServer sets for its ephemeral server
               "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
               **_settings_set_in_process(), **self.extra_env}
        env.pop("PREFECT_API_URL", None)
        pdeathsig = pdeathsig_allowed()
        cmd = [sys.executable, "-m", "flows.prefect_server", "--parent-pid", str(os.getpid()),
               "--fd", str(sock.fileno())] + (["--pdeathsig"] if pdeathsig else [])
        self._log = tempfile.TemporaryFile()      # a file, not a pipe: nothing can block on a full pipe
        try:
            self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT, pass_fds=[sock.fileno()])
        finally:
            sock.close()                           # the server holds its own copy
        logger.info("Prefect API server (process %d) starting on %s", self.proc.pid, self.api_url)
        return self

    def wait_ready(self, timeout: float = 120.0) -> "EphemeralServer":
        """Until the server answers /health; raises PrefectServerError if it exits or takes too long."""
        assert self.proc is not None, "launch() first"
        if await_health(self.proc, self.api_url, timeout):
            return self
        if self.proc.poll() is not None:
            raise PrefectServerError(f"the Prefect API server exited with code {self.proc.returncode}: "
                                     f"{log_tail(self._log)}")
        raise PrefectServerError(
            f"the Prefect API server did not answer within {timeout:.0f} s; raise "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS on a busy machine, or set PREFECT_API_URL to a "
            "running server (`prefect server start`).")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=SHUTDOWN_GRACE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


# ------------------------------------------------------------------------------------- server side


def serve(parent_pid: int, fd: int, pdeathsig: bool) -> None:
    if not die_with_parent(parent_pid, pdeathsig):      # the parent died before the signal was armed
        sys.exit(1)
    import uvicorn

    sock = socket.socket(fileno=fd)
    config = uvicorn.Config("prefect.server.api.server:create_app", factory=True, log_level="error",
                            lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def exec_with_parent(parent_pid: int, command: list[str]) -> None:
    """Replace this process by `command`, armed with the parent-death signal (it survives exec), for
    servers we do not run in-process (`prefect server start` behind `privnews serve`)."""
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:
        sys.exit(1)
    os.execv(command[0], command)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Prefect API server that exits with its parent process.")
    parser.add_argument("--parent-pid", type=int, required=True)
    parser.add_argument("--fd", type=int, help="listening socket inherited from the parent")
    parser.add_argument("--pdeathsig", action="store_true", help="also arm the kernel's parent-death signal")
    parser.add_argument("command", nargs="*", help="after --: exec this command instead, with the parent-death "
                                                   "signal armed")
    args = parser.parse_args(argv)
    if args.command:
        exec_with_parent(args.parent_pid, args.command)
    elif args.fd is None:
        parser.error("--fd or a command is required")
    else:
        serve(args.parent_pid, args.fd, args.pdeathsig)


def bound_to_parent(command: list[str]) -> list[str]:
    """`command`, started so that it receives SIGTERM when this process dies (Linux; as it is elsewhere, or
    when not called from the main thread, whose exit would fire the signal)."""
    if not sys.platform.startswith("linux") or not pdeathsig_allowed():
        return command
    return [sys.executable, "-m", "flows.prefect_server", "--parent-pid", str(os.getpid()), "--", *command]


if __name__ == "__main__":
    main()

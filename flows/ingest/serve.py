"""`privnews serve`: run the schedules (ingest every N minutes; daily and weekly digests) on a real Prefect
server. Cron and interval schedules do not run on the ephemeral server, so when no PREFECT_API_URL is
configured a local server is started on 127.0.0.1, waited for until healthy, and stopped (with its whole
process group) when serving ends, Ctrl-C included. Ingest runs never pile up: the ingest deployment has a
concurrency limit of one with CANCEL_NEW, so a run that comes due while another is still going is
cancelled (skipped), not queued. Ctrl-C (SIGINT) or SIGTERM stops everything within a bounded time, a flow run
that was just starting included (flows/ingest/stoppable_runner.py)."""
from __future__ import annotations

import inspect
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

from prefect import flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from flows.prefect_server import await_health, bound_to_parent, log_tail
from flows.settings import Settings, load_settings

logger = logging.getLogger(__name__)

# Bounds on stopping (seconds), so that Ctrl-C gives the prompt back soon even on a loaded machine:
RUNNER_STOP_GRACE = 10.0     # the runner's own shutdown (interrupted runs reported, schedules paused)
RUNNER_AFTER_KILL = 5.0      # after its flow-run processes were killed
SERVER_STOP_GRACE = 10.0     # uvicorn's graceful stop, before SIGKILL


class ServeError(RuntimeError):
    """The scheduler could not start (say what to do)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalPrefectServer:
    """`prefect server start --host 127.0.0.1` in its own process group; `stop()` ends the whole group."""

    def __init__(self, port: int | None = None, ui: bool = False, startup_timeout: float = 300.0,
                 env: dict[str, str] | None = None):
        self.port = port or _free_port()
        self.ui = ui
        self.startup_timeout = startup_timeout
        self.env = env or {}      # added to this process's environment for the server (e.g. PREFECT_HOME)
        self.proc: subprocess.Popen | None = None
        self._log = None          # the server's output goes to a file: a full pipe would block it

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> "LocalPrefectServer":
        env = dict(os.environ, **self.env, PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
        env.pop("PREFECT_API_URL", None)
        # bound to this process: a SIGKILLed `serve` does not leave the server behind (flows/prefect_server.py)
        cmd = bound_to_parent([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(self.port), "--ui" if self.ui else "--no-ui"])
        logger.info("starting a local Prefect server: %s", " ".join(cmd))
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        if await_health(self.proc, self.api_url, self.startup_timeout, interval=0.5, request_timeout=2):
            logger.info("Prefect server healthy at %s", self.api_url)
            return self
        if self.proc.poll() is not None:
            raise ServeError(f"the local Prefect server exited with code {self.proc.returncode}: "
                             f"{log_tail(self._log)}\nSet PREFECT_API_URL to use a running server instead.")
        self.stop()
        raise ServeError(f"the local Prefect server did not become healthy within {self.startup_timeout:.0f}s "
                         f"on port {self.port}. Set PREFECT_API_URL to use a running server instead.")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=SERVER_STOP_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        # children that outlived the leader (uvicorn workers) share its process group
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._log is not None:
            self._log.close()
            self._log = None
        self.proc = None
        logger.info("local Prefect server stopped")

    def __enter__(self) -> "LocalPrefectServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _overrides(settings: Settings) -> dict:
    """Settings as plain parameters for scheduled runs (secrets excluded: they come from the environment)."""
    data = settings.model_dump(mode="json", exclude={"smtp": {"password"}})
    return {k: v for k, v in data.items() if v is not None}


@flow(name="scheduled-ingest", validate_parameters=False)
def scheduled_ingest(settings: dict) -> dict:
    """The scheduled main job: ingest -> extract -> load (digests have their own schedules).
    Holds the run lock, so a manual `privnews run` and a scheduled one never interleave."""
    from flows.pipeline import run_all
    from flows.runlock import run_lock

    loaded = load_settings(**settings)
    with run_lock(loaded.db, loaded.lock_timeout):
        return run_all(loaded, digest=False)


@flow(name="scheduled-digest", validate_parameters=False)
def scheduled_digest(settings: dict, period: str) -> Any:
    from flows.digest.flow import digest_all

    params = inspect.signature(digest_all).parameters
    if "period" in params:
        kwargs = {"period": period}
    elif "since" in params:             # look back over the period the schedule covers
        kwargs = {"since": {"daily": "1d", "weekly": "7d"}[period]}
    else:
        kwargs = {}
    result = digest_all(load_settings(**settings), **kwargs)
    return [str(r) for r in result] if isinstance(result, list) else str(result)


def build_deployments(settings: Settings) -> list:
    params = {"settings": _overrides(settings)}
    minutes = settings.schedule.ingest_interval_minutes
    if minutes <= 0:
        raise ServeError("schedule.ingest_interval_minutes must be positive (PRIVNEWS_SCHEDULE__INGEST_INTERVAL_MINUTES).")
    deployments = [scheduled_ingest.to_deployment(
        name="ingest", interval=timedelta(minutes=minutes), parameters=params,
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description=f"Ingest the '{settings.profile}' feeds, extract and load, every {minutes:g} minutes; "
                    "a late run is skipped.")]
    try:
        from flows.digest.flow import digest_all  # noqa: F401  (only to see whether digests are installed)
    except ImportError as exc:
        logger.warning("digest flow not available (%s); serving the ingest schedule only", exc)
        return deployments
    for period, cron in (("daily", settings.schedule.daily_digest_cron),
                         ("weekly", settings.schedule.weekly_digest_cron)):
        deployments.append(scheduled_digest.to_deployment(
            name=f"digest-{period}", cron=cron, parameters={**params, "period": period},
            concurrency_limit=ConcurrencyLimitConfig(limit=1,
                                                     collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
            description=f"The {period} digest ({cron})."))
    return deployments


def current_api_url() -> str | None:
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def serve(settings: Settings, port: int | None = None, ui: bool = False, startup_timeout: float = 300.0) -> None:
    """Serve the schedules until SIGINT (Ctrl-C) or SIGTERM. Starts (and afterwards stops) a local Prefect
    server when PREFECT_API_URL is not set. Must be called from the main thread (it takes the signals)."""
    from prefect.runner import Runner
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.ingest.stoppable_runner import StoppableRunner

    server: LocalPrefectServer | None = None
    with ExitStack() as stack:
        api = current_api_url()
        if not api:
            server = stack.enter_context(LocalPrefectServer(port=port, ui=ui,
                                                                 startup_timeout=startup_timeout))
            api = server.api_url
            stack.enter_context(temporary_settings(updates={PREFECT_API_URL: api}))
        deployments = build_deployments(settings)
        # what prefect.serve does, except that the runner runs on a thread of its own (stoppable_runner.py)
        runner = Runner(pause_on_shutdown=True)
        for deployment in deployments:
            runner.add_deployment(deployment)
        names = ", ".join(d.name for d in deployments)
        logger.info("serving %s against %s", names, api)
        if sys.stdout.isatty():
            print(f"Serving {names} against {api}; Ctrl-C stops.", flush=True)
        stoppable = StoppableRunner(runner, graceful=RUNNER_STOP_GRACE, after_kill=RUNNER_AFTER_KILL,
                                    keep=lambda: [server.proc.pid] if server and server.proc else [])
        stopped = stoppable.serve_until_signalled()
    if not stopped:
        # The runner's thread is still blocked (its worker threads would keep the interpreter from exiting);
        # the server is stopped and the flow runs are killed: leave now rather than hang.
        logger.error("exiting without waiting for the Prefect runner")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)

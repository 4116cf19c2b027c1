"""Prefect's Runner, stopped within a bounded time on SIGINT or SIGTERM.

`prefect.serve` runs the Runner on the main thread's event loop and relies on the interrupt cancelling that
loop's task. The Runner's shutdown then waits, shielded from cancellation and without a time limit, for every
flow-run process it started (`prefect.utilities.processutils.open_process`: SIGTERM, then
`await process.aclose()`), and makes several API calls (the crashed run, pausing each schedule), each retried
for up to a minute when the server answers slowly. A flow run that was just starting when Ctrl-C came, on a
busy machine, kept `privnews serve` alive for minutes.

Here the Runner runs on an event loop in a daemon thread, and the main thread keeps the signals:

1. first SIGINT/SIGTERM: the Runner's task is cancelled (what `prefect.serve` does on Ctrl-C: interrupted
   runs are reported, the schedules paused, its flow-run processes get SIGTERM);
2. after `graceful` seconds, or at a second signal: every process the Runner started (our descendants, except
   `keep`, the local API server) is SIGKILLed, which ends the Runner's waits on them;
3. after `after_kill` more seconds the Runner is given up on (`stop()` returns False).
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import signal
import threading
import time
from typing import Callable, Iterable

import psutil

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def kill_descendants(keep: Iterable[int] = ()) -> list[int]:
    """SIGKILL every descendant of this process except the processes in `keep` and their descendants.
    Returns the PIDs signalled."""
    me = psutil.Process()
    spared: set[int] = set()
    for pid in keep:
        try:
            spared |= {pid} | {p.pid for p in psutil.Process(pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            pass
    killed = []
    for proc in me.children(recursive=True):
        if proc.pid in spared:
            continue
        try:
            proc.kill()
            killed.append(proc.pid)
        except psutil.NoSuchProcess:
            pass
    return killed


class StoppableRunner:
    """Runs `runner.start()` on its own event loop in a daemon thread; `serve_until_signalled()` returns once
    the Runner has stopped (by itself or after a signal), within a bounded time after the signal."""

    def __init__(self, runner, graceful: float = 10.0, after_kill: float = 5.0,
                 keep: Callable[[], Iterable[int]] = tuple):
        self.runner = runner
        self.graceful = graceful
        self.after_kill = after_kill
        self.keep = keep                      # PIDs (with their descendants) never to kill: the API server
        self.error: BaseException | None = None
        self.signals: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._stop_requested = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------------------- the runner's thread

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except asyncio.CancelledError:
            pass                              # stopped on request
        except BaseException as exc:          # noqa: BLE001  (handed to the main thread)
            self.error = exc

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._started.set()
        if self._stop_requested.is_set():     # a signal came before the loop existed
            return
        await self.runner.start()

    def _cancel(self) -> None:
        self._stop_requested.set()
        self._started.wait(timeout=5)
        if self._loop is not None and self._task is not None:
            try:
                self._loop.call_soon_threadsafe(self._task.cancel)
            except RuntimeError:              # the loop has already closed: nothing to cancel
                pass

    # ---------------------------------------------------------------------------- the main thread

    def _on_signal(self, signum, _frame) -> None:
        self.signals.append(signum)

    def _start_thread(self) -> None:
        # A new thread starts with an empty context: Prefect's settings (temporary_settings: PREFECT_API_URL of
        # the local server) live in context variables, so the runner's thread gets a copy of ours. Without
        # it the runner and its flow runs would each start an ephemeral server of their own.
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run,), name="prefect-runner",
                                        daemon=True)
        self._thread.start()

    def _wait(self, seconds: float, signals_seen: int) -> bool:
        """Until the Runner's thread ends (True), `seconds` pass or one more signal arrives (False)."""
        deadline = time.monotonic() + seconds
        while self._thread.is_alive():
            if len(self.signals) > signals_seen or time.monotonic() >= deadline:
                return False
            self._thread.join(timeout=0.2)
        return True

    def serve_until_signalled(self) -> bool:
        """Run the Runner until it stops or SIGINT/SIGTERM arrives; returns whether it stopped (False: it
        was given up on, still running in its daemon thread). An ignored SIGINT stays ignored (a job started
        in the background of a shell is not for Ctrl-C). Re-raises the Runner's own error."""
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("serve_until_signalled() must run on the main thread (it takes the signals)")
        previous = {}
        for sig in STOP_SIGNALS:
            if signal.getsignal(sig) is not signal.SIG_IGN:
                previous[sig] = signal.signal(sig, self._on_signal)
        try:
            self._start_thread()
            while self._thread.is_alive() and not self.signals:
                self._thread.join(timeout=0.2)
            stopped = True
            if self.signals:
                stopped = self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.error is not None:
            raise self.error
        return stopped

    def stop(self) -> bool:
        """Cancel the Runner, then kill what it started if it has not stopped in time (see the module)."""
        seen = len(self.signals)
        name = signal.Signals(self.signals[0]).name if self.signals else "a stop request"
        logger.info("%s: stopping the schedules (flow runs are interrupted)", name)
        self._cancel()
        if self._wait(self.graceful, seen):
            return True
        killed = kill_descendants(keep=self.keep())
        logger.warning("the Prefect runner had not stopped %s; killed its flow-run processes %s",
                       "at the second signal" if len(self.signals) > seen else f"within {self.graceful:g} s",
                       killed)
        if self._wait(self.after_kill, len(self.signals)):
            return True
        logger.error("the Prefect runner did not stop %.0f s after its flow runs were killed; giving up on it",
                     self.after_kill)
        return False

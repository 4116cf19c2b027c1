"""A real Prefect server on 127.0.0.1 for a benchmark stage: `privnews serve`'s local server
(flows/ingest/serve.py LocalPrefectServer: a free port, its own process group, bound to this process,
stopped with the whole group), here with its own PREFECT_HOME, and its start-up timed."""
from __future__ import annotations

import time
from pathlib import Path

from flows.ingest.serve import LocalPrefectServer


class PrefectServer(LocalPrefectServer):
    def __init__(self, home: Path, startup_timeout: float = 180.0):
        super().__init__(startup_timeout=startup_timeout, env={"PREFECT_HOME": str(home)})
        self.home = home
        self.start_s: float | None = None

    def start(self) -> "PrefectServer":
        self.home.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        super().start()
        self.start_s = time.perf_counter() - t
        return self

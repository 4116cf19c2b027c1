"""Scale-out: extraction on a 2-worker Dask LocalCluster through Prefect's DaskTaskRunner, reporting to a
real Prefect server started here on 127.0.0.1, with loads back in the single writer process.

The slow test starts `prefect server start` (its own PREFECT_HOME in tmp), runs the Dask extraction and,
on a copy of the same database, the ordinary in-process extraction, in one child process; then checks the
two databases hold the same facts, the skipped articles are recorded as skipped, the server saw every
chunk as a completed task run, and that no process of the server or of the cluster is left behind."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from flows.settings import load_settings
from tests.runs import seed_prefect_home
from warehouse.db import connect, open_warehouse
from warehouse.load import upsert_articles

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "scale"
GOLD_DEV = REPO / "models" / "corpus" / "gold-dev.jsonl"
CHUNK = 3

RUN_BOTH = """
import json, sys
from flows.settings import load_settings
from flows.scale import extract_pending_scaled
dask_db, local_db, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
dask = extract_pending_scaled(load_settings(db=dask_db, scale={"runner": "dask", "n_workers": 2, "chunk": chunk}))
local = extract_pending_scaled(load_settings(db=local_db, scale={"runner": "local", "chunk": chunk}))
print("RESULT " + json.dumps({"dask": dask, "local": local}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_processes(sid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getsid(p.pid) == sid:
                found.append(p)
        except (ProcessLookupError, PermissionError):
            continue
    return found


def _stop_session(proc: subprocess.Popen, grace: float = 30.0) -> None:
    """SIGTERM the whole process group the child leads, then SIGKILL what is still there."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + grace
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    for p in _session_processes(proc.pid):
        p.kill()
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def prefect_server(tmp_path, migrated_prefect_db):
    """A real Prefect server on 127.0.0.1 (free port, PREFECT_HOME in tmp); yields (api_url, child env)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVNEWS_") and k != "PREFECT_API_URL"}
    env.update({"PREFECT_HOME": str(seed_prefect_home(tmp_path / "prefect-home", migrated_prefect_db)),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "DO_NOT_TRACK": "1", "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
                "HF_HUB_OFFLINE": "1"})
    log = open(tmp_path / "prefect-server.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                pytest.fail(f"prefect server exited with {server.returncode}: "
                            f"{(tmp_path / 'prefect-server.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("prefect server did not become healthy within 180 s")
            time.sleep(0.5)
        yield api, env
    finally:
        _stop_session(server)
        log.close()
        left = _session_processes(server.pid)
        assert not left, f"processes of the Prefect server left behind: {left}"


def _backlog() -> list[dict]:
    gold = [json.loads(line) for line in GOLD_DEV.read_text(encoding="utf-8").splitlines()]
    chosen = [d for d in gold if d["lang"] == "nl"][:6] + [d for d in gold if d["lang"] == "en"][:6]
    rows = [{"article_id": f"scale-{d['id']}", "url": f"http://scale.example/{d['id']}", "title": d["id"],
             "lang": d["lang"], "text": d["text"], "content_hash": d["id"]} for d in chosen]
    rows += [json.loads(line) for line in (DATA / "extra_articles.jsonl").read_text(encoding="utf-8").splitlines()]
    return rows


def _facts(db: Path) -> dict[str, set]:
    con = connect(db, read_only=True)
    try:
        return {
            "mentions": set(con.execute("SELECT article_id, actor_id, span_start, span_end FROM mentions").fetchall()),
            "statistics": set(con.execute("SELECT article_id, value, unit, span_start FROM statistics").fetchall()),
            "claims": set(con.execute("SELECT article_id, kind, span_start, span_end FROM claims").fetchall()),
            "articles": set(con.execute("SELECT article_id, extractor_version IS NOT NULL, skip_reason "
                                        "FROM articles").fetchall()),
        }
    finally:
        con.close()


def test_dask_runner_refuses_without_a_prefect_server(tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.scale import ScaleError, extract_pending_dask

    settings = load_settings(db=tmp_path / "x.duckdb", scale={"runner": "dask"})
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with pytest.raises(ScaleError, match="prefect server start"):
            extract_pending_dask(settings)
    assert not (tmp_path / "x.duckdb").exists()   # refused before touching anything


def test_task_runner_follows_the_settings():
    from flows.scale import task_runner

    local = task_runner(load_settings(scale={"runner": "dask", "n_workers": 3}).scale)
    assert local.address is None and local.cluster_kwargs["n_workers"] == 3
    remote = task_runner(load_settings(scale={"runner": "dask", "scheduler_address": "tcp://10.1.2.3:8786"}).scale)
    assert remote.address == "tcp://10.1.2.3:8786" and not remote.cluster_kwargs


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_dask_extraction_streams_to_the_single_writer(tmp_path, prefect_server):
    api, env = prefect_server
    backlog = _backlog()
    dask_db, local_db = tmp_path / "dask.duckdb", tmp_path / "local.duckdb"
    with open_warehouse(dask_db) as con:
        upsert_articles(con, backlog)
    shutil.copy(dask_db, local_db)

    child = subprocess.Popen([sys.executable, "-c", RUN_BOTH, str(dask_db), str(local_db), str(CHUNK)], cwd=REPO,
                             env={**env, "PREFECT_API_URL": api}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        out, err = child.communicate(timeout=720)
    finally:
        if child.poll() is None:
            _stop_session(child)
    assert child.returncode == 0, err[-3000:]
    deadline = time.monotonic() + 30       # the cluster's worker processes must be gone with the flow
    while _session_processes(child.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _session_processes(child.pid), "Dask worker processes left behind"

    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[len("RESULT "):])
    assert result["dask"]["articles_extracted"] == 12
    assert result["dask"]["articles_skipped"] == 2
    assert result["dask"] == result["local"]

    dask_facts, local_facts = _facts(dask_db), _facts(local_db)
    assert dask_facts == local_facts                     # same facts, whichever runner extracted them
    assert dask_facts["mentions"], "no actor mentions were loaded"
    extracted = {a for a, done, reason in dask_facts["articles"] if done and reason is None}
    assert extracted == {r["article_id"] for r in backlog[:12]}
    skipped = {a: reason for a, done, reason in dask_facts["articles"] if reason is not None}
    assert skipped == {"scale-de-1": "language not supported: other", "scale-empty-1": "empty text"}
    for table in ("mentions", "statistics", "claims"):   # nothing recorded for the skipped articles
        assert not {row[0] for row in dask_facts[table]} & set(skipped)

    # the real server saw the Dask flow run and every chunk as a completed task run of it
    runs = httpx.post(f"{api}/flow_runs/filter", json={"flows": {"name": {"any_": ["privnews-extract-dask"]}}},
                      timeout=10).json()
    assert len(runs) == 1 and runs[0]["state_type"] == "COMPLETED"
    tasks = httpx.post(f"{api}/task_runs/filter", json={"flow_runs": {"id": {"any_": [runs[0]["id"]]}}},
                       timeout=10).json()
    batches = [t for t in tasks if t["name"].startswith("extract_batch")]
    assert len(batches) == -(-len(backlog) // CHUNK)
    assert all(t["state_type"] == "COMPLETED" for t in batches)

"""Background jobs: the in-process worker, and a real RQ worker on a real Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from techledger import jobs
from techledger.settings import get_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_redis(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def redis_url(monkeypatch):  # noqa: ANN001, ANN201
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("no TEST_REDIS_URL in this run")
    from redis import Redis

    Redis.from_url(url).flushdb()
    monkeypatch.setenv("REDIS_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_in_process_worker_runs_and_retries(no_redis, tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0.05])
    path = tmp_path / "attempts.txt"
    job_id = jobs.enqueue("workers.tasks.flaky_touch", str(path), 2, retries=3)
    assert jobs.local_worker().wait_idle(timeout=20)
    assert jobs.job_state(job_id)["status"] == "finished"
    assert len(path.read_text().splitlines()) == 3


def test_in_process_worker_gives_up_with_the_reason(no_redis, tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0.05])
    job_id = jobs.enqueue("workers.tasks.flaky_touch", str(tmp_path / "a.txt"), 99, retries=1)
    assert jobs.local_worker().wait_idle(timeout=20)
    state = jobs.job_state(job_id)
    assert state["status"] == "failed" and "fails on purpose" in state["error"]


def test_enqueue_after_commit_waits_for_the_commit(no_redis, engine, tmp_path):  # noqa: ANN001
    from sqlmodel import Session

    path = tmp_path / "after.txt"
    with Session(engine) as session:
        jobs.enqueue_after_commit(session, "workers.tasks.flaky_touch", str(path), 0)
        time.sleep(0.2)
        assert not path.exists()  # nothing runs before the commit
        session.commit()
    assert jobs.local_worker().wait_idle(timeout=20)
    assert path.exists()


def test_rq_worker_process_runs_jobs_with_retries(redis_url, tmp_path, monkeypatch):  # noqa: ANN001
    path = tmp_path / "rq-attempts.txt"
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", [0, 0, 0])
    job_id = jobs.enqueue("workers.tasks.flaky_touch", str(path), 1, retries=2)
    assert jobs.job_state(job_id)["status"] == "queued"
    env = {**os.environ, "REDIS_URL": redis_url}
    # The real worker entry point, as the README runs it, until the queue is empty.
    for _ in range(3):
        subprocess.run(
            [sys.executable, "-m", "workers", "--burst"], cwd=REPO, env=env, check=True, timeout=120
        )
        if jobs.job_state(job_id)["status"] == "finished":
            break
    assert jobs.job_state(job_id)["status"] == "finished"
    assert len(path.read_text().splitlines()) == 2


def test_health_reports_workers(redis_url):  # noqa: ANN001
    from starlette.testclient import TestClient

    from techledger.api import build_api

    client = TestClient(build_api())
    response = client.get("/api/health")
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is True
    assert body["workers"]["count"] == 0 and response.status_code == 503  # no worker running


def test_health_in_process(no_redis, engine):  # noqa: ANN001
    from starlette.testclient import TestClient

    from techledger.api import build_api

    body = TestClient(build_api()).get("/api/health").json()
    assert body["ok"] is True and body["queue"]["backend"] == "in-process"


def test_worker_refuses_to_start_without_redis(no_redis):  # noqa: ANN001
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "workers", "--burst"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "REDIS_URL is not set" in result.stderr

"""The daily jobs: enqueued once a day across RQ workers, or run in-process without Redis;
and their CLI commands."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from techledger import daily_jobs, jobs
from techledger.cli import app
from techledger.db import session_scope
from techledger.enums import SubscriptionStatus
from techledger.models import Organization
from techledger.models.base import utcnow
from techledger.services import accounts, organizations
from techledger.settings import get_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _org_with_ended_trial() -> str:
    suffix = uuid.uuid4().hex[:10]
    with session_scope() as session:
        user = accounts.sign_up(
            session=session, email=f"t-{suffix}@example.com", password="pw-1234567890"
        )
        org = organizations.create_organization(
            session=session, user_id=user.id, name=f"T {suffix}"
        )
        org.trial_ends_at = utcnow() - timedelta(hours=2)
        session.add(org)
        return org.id


def _status(org_id: str) -> SubscriptionStatus:
    with session_scope() as session:
        return SubscriptionStatus(session.get(Organization, org_id).subscription_status)


@pytest.fixture
def redis_env(monkeypatch, database_url):
    redis = pytest.importorskip("redis")
    if not REDIS_URL:
        pytest.skip("no TEST_REDIS_URL in this run")
    try:
        connection = redis.Redis.from_url(REDIS_URL)
        connection.ping()
    except Exception:  # noqa: BLE001
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("JOB_QUEUE", f"test-daily-{uuid.uuid4().hex[:6]}")
    get_settings.cache_clear()
    yield connection
    connection.flushdb()
    monkeypatch.delenv("REDIS_URL")
    get_settings.cache_clear()


def test_daily_jobs_are_enqueued_once_a_day_across_workers_and_run(redis_env):
    from rq import SimpleWorker

    org_id = _org_with_ended_trial()
    first = daily_jobs.enqueue_due(redis_env, day="2026-11-26")
    second = daily_jobs.enqueue_due(redis_env, day="2026-11-26")  # another worker, same day
    assert first == list(daily_jobs.DAILY_JOBS) and second == []
    queue = jobs.rq_queue()
    assert queue.count == 2
    SimpleWorker([queue], connection=redis_env).work(burst=True)
    assert _status(org_id) == SubscriptionStatus.EXPIRED
    results = {job.func_name: job.return_value() for job in _finished(queue, redis_env)}
    assert results["workers.tasks.expire_trials"] >= 1
    assert set(results["workers.tasks.run_retention"]) >= {"screenshots", "pending_questions"}
    assert daily_jobs.enqueue_due(redis_env, day="2026-11-27") == list(daily_jobs.DAILY_JOBS)


def _finished(queue, connection):  # noqa: ANN001, ANN202
    from rq.job import Job

    ids = queue.finished_job_registry.get_job_ids()
    return [Job.fetch(i, connection=connection) for i in ids]


def test_without_redis_the_app_runs_them_in_process(database_url, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    org_id = _org_with_ended_trial()
    monkeypatch.setattr(daily_jobs, "IN_PROCESS_FIRST_RUN_S", 0)

    async def one_day() -> None:
        try:
            await asyncio.wait_for(daily_jobs.run_daily_in_process(), timeout=0.5)
        except TimeoutError:
            pass  # the loop sleeps a day after the first round

    asyncio.run(one_day())
    assert jobs.local_worker().wait_idle(60)
    assert _status(org_id) == SubscriptionStatus.EXPIRED


def test_cli_expire_trials_and_retention(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_URL", f"file://{tmp_path}/files")
    get_settings.cache_clear()
    org_id = _org_with_ended_trial()
    runner = CliRunner()
    result = runner.invoke(app, ["billing", "expire-trials"])
    assert result.exit_code == 0, result.output
    assert org_id in json.loads(result.stdout.splitlines()[0])["organizations"]
    assert _status(org_id) == SubscriptionStatus.EXPIRED
    dry = runner.invoke(app, ["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout[: dry.stdout.rindex("}") + 1])
    assert report["dry_run"] is True and "counts" in report
    assert "would delete" in dry.stderr
    plan = runner.invoke(app, ["billing", "set-plan", org_id, "--tier", "starter"])
    assert plan.exit_code == 0 and json.loads(plan.stdout)["status"] == "ACTIVE"
    bad = runner.invoke(app, ["billing", "set-plan", org_id, "--tier", "gold"])
    assert bad.exit_code == 1 and "Tier is one of" in bad.stderr
    get_settings.cache_clear()


def test_worker_scheduler_thread_enqueues_and_stops(redis_env):
    scheduler = daily_jobs.DailyScheduler(interval_s=0.05).start()
    try:
        deadline = time.time() + 10
        while jobs.rq_queue().count < 2 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
        scheduler.thread.join(5)
    assert not scheduler.thread.is_alive()
    assert jobs.rq_queue().count == 2  # once today, however often it looked

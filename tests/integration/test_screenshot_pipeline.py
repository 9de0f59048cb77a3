"""The screenshot pipeline across real parts: S3 storage, RQ on Redis with real workers (one
killed mid-job), the authorized file route, and the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from techledger.db import session_scope
from techledger.enums import ScreenshotStatus
from techledger.models import DetectedElement, Screenshot
from techledger.services import analysis, screenshots
from techledger.settings import get_settings
from techledger.storage import get_store
from tests import screenshot_images as images
from tests.integration.committed_workflow import Committed, committed, log_in  # noqa: F401
from tests.workflow_fixtures import enqueued, use_storage  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:56379/2")
S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL", "")


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


def _upload(c: Committed, name: str, data: bytes) -> str:
    with session_scope() as session:
        return screenshots.upload_screenshot(
            session=session, actor=c.member, workflow_id=c.workflow_id, filename=name, data=data
        ).id


def _shot(screenshot_id: str) -> Screenshot:
    with session_scope() as session:
        return session.get(Screenshot, screenshot_id)


def _element_count(screenshot_id: str) -> int:
    with session_scope() as session:
        return session.exec(
            select(func.count()).where(DetectedElement.screenshot_id == screenshot_id)
        ).one()


def _reset_caches() -> None:
    get_settings.cache_clear()
    get_store.cache_clear()


@pytest.fixture
def local_files(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    use_storage(monkeypatch, f"file://{tmp_path / 'files'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    yield get_store()
    _reset_caches()


@pytest.fixture
def s3_files(monkeypatch, enqueued):  # noqa: ANN001, ANN201, F811
    if not S3_ENDPOINT:
        pytest.skip("no S3 endpoint (TEST_S3_ENDPOINT_URL) in this run")
    monkeypatch.setenv("S3_ENDPOINT_URL", S3_ENDPOINT)
    monkeypatch.setenv("S3_ACCESS_KEY", os.environ.get("S3_ACCESS_KEY", "test"))
    monkeypatch.setenv("S3_SECRET_KEY", os.environ.get("S3_SECRET_KEY", "test"))
    use_storage(monkeypatch, f"s3://tl-{uuid.uuid4().hex[:12]}/screens")
    monkeypatch.delenv("REDIS_URL", raising=False)
    yield get_store()
    _reset_caches()


@pytest.fixture
def rq_queue(monkeypatch, local_files):  # noqa: ANN001, ANN201
    if not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue_name = f"tl-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("JOB_QUEUE", queue_name)
    _reset_caches()
    from techledger import jobs

    queue = jobs.rq_queue()
    yield queue
    queue.delete(delete_jobs=True)
    _reset_caches()


def test_s3_upload_analysis_serving_and_deletion(committed, s3_files):  # noqa: ANN001, F811
    store = s3_files
    good = _upload(committed, "form.png", images.form_png())
    with pytest.raises(screenshots.RejectedScreenshot):
        _upload(committed, "notes.png", images.text_renamed_png())
    prefix = f"orgs/{committed.org_id}/screenshots/"
    assert store.list(prefix) == [f"{prefix}{good}/original.png", f"{prefix}{good}/thumbnail.png"]
    assert _shot(good).original_url.startswith(f"s3://{store.bucket}/screens/orgs/")

    assert analysis.run_analysis(good, _shot(good).vision_job_id) == "analyzed"
    shot = _shot(good)
    assert shot.status == ScreenshotStatus.ANALYZED and _element_count(good) > 0
    assert store.exists(store.key_for_url(shot.annotated_url))

    # Served to the member through the authorized route; not to anyone else.
    from starlette.testclient import TestClient

    from techledger.api import build_api
    from techledger.services import file_links

    client = TestClient(build_api())
    token = log_in(committed.member_email)
    with session_scope() as session:
        link = file_links.link_maker(session=session, token=token)
        paths = {v: link(good, v) for v in ("original", "thumbnail", "annotated")}
    for variant, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, variant
        assert response.headers["content-type"] == "image/png"
        assert response.headers["cache-control"].startswith("private")
    assert client.get(paths["original"]).content == images.form_png()
    assert client.get(paths["original"].replace("?t=", "?t=x")).status_code == 404
    assert client.get(f"/api/files/screenshots/{good}/original").status_code == 404

    with session_scope() as session:
        screenshots.delete_screenshot(session=session, actor=committed.member, screenshot_id=good)
    assert store.list(prefix) == []
    assert client.get(paths["thumbnail"]).status_code == 404


def test_a_real_rq_worker_analyses_the_upload(committed, rq_queue):  # noqa: ANN001, F811
    from rq import SimpleWorker

    from techledger import jobs

    first = _upload(committed, "a.png", images.form_png(seed=1))
    assert rq_queue.count == 1  # enqueued on commit, with its job id
    job = rq_queue.jobs[0]
    assert job.id == _shot(first).vision_job_id and job.args == (first, job.id)
    assert job.retries_left == screenshots.ANALYSIS_MAX_ATTEMPTS - 1
    SimpleWorker([rq_queue], connection=jobs.redis_connection()).work(burst=True)
    shot = _shot(first)
    assert shot.status == ScreenshotStatus.ANALYZED, shot.failure_reason
    assert shot.analysis_attempts == 1 and shot.processed_at is not None
    assert shot.analysis_result["metadata"]["width"] == 480
    count = _element_count(first)
    assert count > 0

    # Analysing again replaces the elements instead of adding to them.
    with session_scope() as session:
        screenshots.reanalyze_screenshot(
            session=session, actor=committed.member, screenshot_id=first
        )
    SimpleWorker([rq_queue], connection=jobs.redis_connection()).work(burst=True)
    assert _shot(first).status == ScreenshotStatus.ANALYZED
    assert _element_count(first) == count


def _worker_env(queue_name: str, storage_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        REDIS_URL=REDIS_URL,
        JOB_QUEUE=queue_name,
        STORAGE_URL=storage_url,
        DATABASE_URL=get_settings().database_url,
        PYTHONPATH=str(REPO),
        **extra,
    )
    return env


def test_a_worker_killed_mid_job_is_detected_and_the_screenshot_recovers(committed, rq_queue):  # noqa: ANN001, F811
    shot_id = _upload(committed, "a.png", images.form_png(seed=7))
    storage_url = get_settings().storage_url
    slow = subprocess.Popen(
        [sys.executable, str(REPO / "tests/integration/slow_worker.py")],
        env=_worker_env(rq_queue.name, storage_url),
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 120
        while _shot(shot_id).status != ScreenshotStatus.PROCESSING:
            assert time.time() < deadline, "the worker never started the job"
            assert slow.poll() is None, "the worker exited early"
            time.sleep(0.2)
        time.sleep(2)
        # Alive: its heartbeat keeps the row fresh, so nothing is recovered.
        with session_scope() as session:
            assert analysis.recover_stuck_screenshots(session=session, stale_after_s=1.5) == {
                "requeued": [],
                "failed": [],
            }
        # The machine goes away: the worker and its work horse (its own process group) die.
        horses = subprocess.run(
            ["pgrep", "-P", str(slow.pid)], capture_output=True, text=True
        ).stdout.split()
        assert horses, "the job runs in a forked work horse"
        for pid in horses:
            os.kill(int(pid), signal.SIGKILL)
        os.killpg(slow.pid, signal.SIGKILL)
        slow.wait(timeout=30)
    finally:
        if slow.poll() is None:
            os.killpg(slow.pid, signal.SIGKILL)
    assert _shot(shot_id).status == ScreenshotStatus.PROCESSING  # stuck, as the kill left it
    time.sleep(2)
    with session_scope() as session:
        result = analysis.recover_stuck_screenshots(session=session, stale_after_s=1.5)
    assert result == {"requeued": [shot_id], "failed": []}
    shot = _shot(shot_id)
    assert shot.status == ScreenshotStatus.UPLOADED and shot.analysis_attempts == 1
    # A fresh worker process picks the new job up; the old job is never run again.
    done = subprocess.run(
        [sys.executable, "-m", "workers", "--burst"],
        env=_worker_env(rq_queue.name, storage_url),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shot = _shot(shot_id)
    assert shot.status == ScreenshotStatus.ANALYZED, shot.failure_reason
    assert shot.analysis_attempts == 2 and _element_count(shot_id) > 0


def test_cli_upload_reports_each_file_and_waits_for_the_analysis(committed, local_files, tmp_path):  # noqa: ANN001, F811
    good = tmp_path / "step1.png"
    good.write_bytes(images.form_png(seed=11))
    bad = tmp_path / "notes.png"
    bad.write_bytes(images.text_renamed_png())
    env = dict(os.environ, STORAGE_URL=get_settings().storage_url, PYTHONPATH=str(REPO))
    env.pop("REDIS_URL", None)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "techledger.cli",
            "upload",
            committed.workflow_id,
            str(good),
            str(bad),
            str(tmp_path / "missing.png"),
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert f"UPLOADED {good} -> screenshot" in run.stdout
    assert re.search(r"ANALYZED\s+step1.png \(\d+ elements\)", run.stdout)
    assert f"FAILED   {bad}: The file is not a readable image" in run.stderr
    assert "missing.png: cannot read the file" in run.stderr
    with session_scope() as session:
        rows = session.exec(
            select(Screenshot).where(Screenshot.workflow_id == committed.workflow_id)
        ).all()
    assert [r.original_filename for r in rows] == ["step1.png"]


def test_cli_analyze_contract(tmp_path):  # noqa: ANN001
    good = tmp_path / "form.png"
    good.write_bytes(images.form_png(seed=5))
    bad = tmp_path / "notes.png"
    bad.write_bytes(images.text_renamed_png())
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "techledger.cli",
            "analyze",
            "--engine",
            "local",
            "--json",
            str(good),
            str(bad),
            str(good),
        ],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 2  # the bad image in the middle did not stop the others
    record = json.loads(lines[0])
    assert record["image"] == str(good) and (record["width"], record["height"]) == (480, 320)
    assert set(record) >= {"image", "width", "height", "elements", "analysisResult"}
    assert record["elements"], "the form's elements were found"
    for element in record["elements"]:
        assert set(element) >= {"elementType", "boundingBox", "text", "confidence"}
        assert set(element["boundingBox"]) >= {"top", "left", "width", "height"}
    words = record["analysisResult"]["text"]["words"]
    assert words and set(words[0]["boundingBox"]) >= {"top", "left", "width", "height"}
    assert str(bad) in run.stderr and "not a readable image" in run.stderr


def test_cli_recover_requeues_a_stuck_analysis_and_runs_it(committed, local_files, enqueued):  # noqa: ANN001, F811
    import sqlalchemy as sa

    from techledger.models.base import utcnow

    shot_id = _upload(committed, "a.png", images.form_png(seed=21))
    assert [job[1][0] for job in enqueued] == [shot_id]  # recorded, never run: the job is lost
    with session_scope() as session:  # as a worker that died mid-job leaves it
        session.execute(
            sa.update(Screenshot)
            .where(Screenshot.id == shot_id)
            .values(
                status=ScreenshotStatus.PROCESSING,
                analysis_attempts=1,
                updated_at=utcnow() - timedelta(minutes=10),
            )
        )
    env = dict(os.environ, STORAGE_URL=get_settings().storage_url, PYTHONPATH=str(REPO))
    env.pop("REDIS_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "techledger.cli", "screenshots", "recover"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.stdout.strip().splitlines()) == 2, run.stdout + run.stderr[-3000:]
    first, second = run.stdout.strip().splitlines()
    assert shot_id in json.loads(first)["requeued"]
    assert {"id": shot_id, "status": "ANALYZED"}.items() <= next(
        s for s in json.loads(second) if s["id"] == shot_id
    ).items()
    shot = _shot(shot_id)
    assert shot.status == ScreenshotStatus.ANALYZED and shot.analysis_attempts == 2

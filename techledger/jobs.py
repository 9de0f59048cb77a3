"""Background jobs: RQ queues on Redis when ``REDIS_URL`` is set, an in-process thread otherwise.

Jobs are named by dotted path (``"workers.tasks.analyze_screenshot"``) and take ids only,
so this module never imports the code it runs and any process can run any job.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from techledger.settings import get_settings

log = logging.getLogger(__name__)

RETRY_INTERVALS = [2, 10, 30]  # seconds between the attempts of a failing job
DEFAULT_TIMEOUT = 600


def resolve(path: str) -> Callable[..., Any]:
    """The function a dotted path names."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


@dataclass
class _LocalJob:
    id: str
    path: str
    args: tuple
    kwargs: dict
    retries: int
    status: str = "queued"
    attempts: int = 0
    error: str = ""
    enqueued_at: float = field(default_factory=time.time)


class LocalWorker:
    """One daemon thread that runs jobs in order, retrying failures; for one-machine use."""

    def __init__(self) -> None:
        self._queue: queue.Queue[_LocalJob] = queue.Queue()
        self.jobs: dict[str, _LocalJob] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: _LocalJob) -> None:
        with self._lock:
            self.jobs[job.id] = job
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="techledger-jobs", daemon=True
                )
                self._thread.start()
        self._queue.put(job)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_idle(self, timeout: float = 60) -> bool:
        """Block until every submitted job has finished (for the CLI and tests)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(j.status in ("finished", "failed") for j in list(self.jobs.values())):
                return True
            time.sleep(0.05)
        return False

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            job.status, job.attempts = "started", job.attempts + 1
            try:
                resolve(job.path)(*job.args, **job.kwargs)
                job.status = "finished"
            except Exception as exc:  # noqa: BLE001  (a job's failure must not stop the worker)
                job.error = f"{type(exc).__name__}: {exc}"
                log.exception("job %s (%s) failed", job.id, job.path)
                if job.attempts <= job.retries:
                    job.status = "queued"
                    delay = RETRY_INTERVALS[min(job.attempts - 1, len(RETRY_INTERVALS) - 1)]
                    threading.Timer(delay, self._queue.put, args=(job,)).start()
                else:
                    job.status = "failed"


_local = LocalWorker()


def local_worker() -> LocalWorker:
    """The in-process worker (used when no ``REDIS_URL`` is set)."""
    return _local


def redis_connection():  # noqa: ANN201
    from redis import Redis

    return Redis.from_url(get_settings().redis_url)


def rq_queue(name: str | None = None):  # noqa: ANN201
    """The RQ queue jobs go to."""
    from rq import Queue

    return Queue(name or get_settings().job_queue, connection=redis_connection())


def enqueue(
    path: str,
    *args: Any,
    job_id: str | None = None,
    retries: int = 3,
    timeout: int = DEFAULT_TIMEOUT,
    **kwargs: Any,
) -> str:
    """Run ``path(*args, **kwargs)`` in the background; returns the job id."""
    job_id = job_id or uuid.uuid4().hex
    if get_settings().redis_url:
        from rq import Retry

        rq_queue().enqueue(
            path,
            *args,
            job_id=job_id,
            retry=Retry(max=retries, interval=RETRY_INTERVALS[:retries] or 0) if retries else None,
            job_timeout=timeout,
            failure_ttl=7 * 24 * 3600,
            **kwargs,
        )
    else:
        _local.submit(_LocalJob(id=job_id, path=path, args=args, kwargs=kwargs, retries=retries))
    return job_id


def enqueue_after_commit(session, path: str, *args: Any, **kwargs: Any) -> str:  # noqa: ANN001
    """Enqueue once ``session`` commits, so the job never sees rows that do not exist yet."""
    job_id = kwargs.pop("job_id", None) or uuid.uuid4().hex

    def _after_commit(_session) -> None:  # noqa: ANN001
        enqueue(path, *args, job_id=job_id, **kwargs)

    sa.event.listen(session, "after_commit", _after_commit, once=True)
    return job_id


def job_state(job_id: str) -> dict[str, Any]:
    """Where a job stands: ``queued``, ``started``, ``finished``, ``failed`` or ``unknown``."""
    if get_settings().redis_url:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(job_id, connection=redis_connection())
        except NoSuchJobError:
            return {"status": "unknown", "error": ""}
        status = job.get_status(refresh=True)
        error = ""
        if status is not None and str(status.value) == "failed":
            latest = job.latest_result()
            error = (latest.exc_string or "").strip().splitlines()[-1] if latest else ""
        return {"status": str(status.value) if status else "unknown", "error": error}
    job = _local.jobs.get(job_id)
    if job is None:
        return {"status": "unknown", "error": ""}
    return {"status": job.status, "error": job.error}


def status() -> dict[str, Any]:
    """Queue and worker health for the health endpoint."""
    settings = get_settings()
    if not settings.redis_url:
        return {
            "queue": {"ok": True, "backend": "in-process"},
            "workers": {"ok": True, "count": 1, "alive": _local.alive, "backend": "in-process"},
        }
    try:
        from rq import Worker

        conn = redis_connection()
        conn.ping()
        workers = Worker.all(connection=conn)
        depth = rq_queue().count
        return {
            "queue": {"ok": True, "backend": "redis", "depth": depth},
            "workers": {"ok": len(workers) > 0, "count": len(workers), "backend": "rq"},
        }
    except Exception as exc:  # noqa: BLE001
        message = str(exc).splitlines()[0]
        return {
            "queue": {"ok": False, "backend": "redis", "error": message},
            "workers": {"ok": False, "count": 0, "backend": "rq", "error": message},
        }

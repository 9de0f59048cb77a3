"""Jobs that run once a day: trial expiry and data retention.

With Redis, each RQ worker process (``python -m workers``) runs ``DailyScheduler`` in a
thread; a Redis key per job and day (SET NX) makes exactly one of them enqueue it. Without
Redis, the app's backend runs ``run_daily_in_process`` as a lifespan task and calls the jobs
on the in-process worker.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import UTC, datetime

from techledger import jobs
from techledger.settings import get_settings

log = logging.getLogger(__name__)

DAILY_JOBS = ("workers.tasks.expire_trials", "workers.tasks.run_retention")
CHECK_EVERY_S = 15 * 60  # how often a worker looks whether today's jobs were enqueued
IN_PROCESS_FIRST_RUN_S = 60  # let the app finish starting first
DAY_S = 24 * 3600


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def enqueue_due(connection=None, day: str | None = None) -> list[str]:  # noqa: ANN001
    """Enqueue each daily job not yet enqueued today (by any worker); returns those enqueued."""
    connection = connection or jobs.redis_connection()
    day = day or _today()
    enqueued = []
    for path in DAILY_JOBS:
        key = f"techledger:daily:{path}:{day}"
        if connection.set(key, "1", nx=True, ex=2 * DAY_S):
            jobs.enqueue(path, retries=2, timeout=3600)
            enqueued.append(path)
    return enqueued


class DailyScheduler:
    """A daemon thread in a worker process that enqueues the daily jobs once a day."""

    def __init__(self, interval_s: float = CHECK_EVERY_S) -> None:
        self.interval_s = interval_s
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="techledger-daily", daemon=True)

    def start(self) -> DailyScheduler:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                done = enqueue_due()
                if done:
                    log.info("enqueued daily jobs: %s", ", ".join(done))
            except Exception:  # noqa: BLE001  (Redis may be briefly away; try again later)
                log.exception("could not enqueue the daily jobs")
            self._stop.wait(self.interval_s)


async def run_daily_in_process() -> None:
    """Lifespan task of the app when no Redis is configured: the jobs once a day, in-process."""
    if get_settings().redis_url:
        return  # the RQ workers schedule them
    await asyncio.sleep(IN_PROCESS_FIRST_RUN_S)
    while True:
        for path in DAILY_JOBS:
            jobs.enqueue(path, retries=2, timeout=3600)
        await asyncio.sleep(DAY_S)

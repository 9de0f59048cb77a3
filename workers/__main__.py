"""Run an RQ worker (with its scheduler, for retries) on TechLedger's queue.

REDIS_URL=redis://localhost:6379/0 python -m workers [--burst]
"""

from __future__ import annotations

import argparse
import sys

from techledger.db import upgrade_database
from techledger.settings import get_settings


def _preload() -> None:
    """Import what the jobs use once, here: RQ forks a process per job, which then starts with
    these modules (OpenCV, LightGBM, the services) already loaded instead of importing them
    again for every screenshot. Only imports: no threads are started before the forks."""
    import lightgbm  # noqa: F401

    import techledger.services.analysis  # noqa: F401
    import techledger.services.document_export  # noqa: F401
    import techledger.vision.local  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    parser.add_argument("--name", default=None, help="worker name (default: random)")
    args = parser.parse_args(argv)
    settings = get_settings()
    if not settings.redis_url:
        print(
            "REDIS_URL is not set: jobs run inside the app; no worker is needed.", file=sys.stderr
        )
        return 2
    from rq import Worker

    from techledger import printer
    from techledger.daily_jobs import DailyScheduler
    from techledger.jobs import redis_connection, rq_queue

    upgrade_database()
    if not args.burst:
        DailyScheduler().start()  # trial expiry and retention, once a day across all workers
    printer.serve()  # PDF exports of the forked jobs print with this process's warm Chromium
    _preload()
    worker = Worker([rq_queue()], connection=redis_connection(), name=args.name)
    worker.work(burst=args.burst, with_scheduler=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

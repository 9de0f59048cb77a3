"""Job functions, importable by dotted path; each takes ids and calls one service."""

from __future__ import annotations

import os
from pathlib import Path


def ping(value: str = "pong") -> str:
    """A job that does nothing but answer; used by the health check and tests."""
    return value


def export_document(export_id: str) -> None:
    """Render one document export (Markdown zip, HTML or PDF) and store it."""
    from techledger.services.document_export import run_export

    run_export(export_id)


def expire_trials() -> int:
    """Daily: move trials past their end to EXPIRED."""
    from techledger.db import session_scope
    from techledger.services import billing

    with session_scope() as session:
        return len(billing.expire_trials(session=session))


def run_retention() -> dict:
    """Daily: delete what is past its retention period (see services/retention.py)."""
    from techledger.db import session_scope
    from techledger.services import retention

    with session_scope() as session:
        return retention.run_retention(session=session).as_dict()["counts"]


def flaky_touch(path: str, fail_times: int) -> int:
    """Append a line to ``path`` and fail until it holds more than ``fail_times`` lines.

    A diagnostic job: shows that retries happen, in any worker (used by tests and `doctor`).
    """
    target = Path(path)
    with target.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    attempts = len(target.read_text().splitlines())
    if attempts <= fail_times:
        raise RuntimeError(f"attempt {attempts} fails on purpose")
    return attempts


def analyze_screenshot(screenshot_id: str, job_id: str | None = None) -> str:
    """Analyse one screenshot (retried by the queue while attempts are left)."""
    from techledger.services.analysis import run_analysis

    return run_analysis(screenshot_id, job_id)


def recover_stuck_screenshots() -> dict:
    """Queue again, or fail, the analyses whose worker stopped."""
    from techledger.services.analysis import recover_now

    return recover_now()

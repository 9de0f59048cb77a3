"""Job functions, importable by dotted path; each takes ids and calls one service."""

from __future__ import annotations


def ping(value: str = "pong") -> str:
    """A job that does nothing but answer; used by the health check and tests."""
    return value


def analyze_screenshot(screenshot_id: str, job_id: str | None = None) -> str:
    """Analyse one screenshot (retried by the queue while attempts are left)."""
    from techledger.services.analysis import run_analysis

    return run_analysis(screenshot_id, job_id)


def recover_stuck_screenshots() -> dict:
    """Queue again, or fail, the analyses whose worker stopped."""
    from techledger.services.analysis import recover_now

    return recover_now()

"""Job functions, importable by dotted path; each takes ids and calls one service."""

from __future__ import annotations


def ping(value: str = "pong") -> str:
    """A job that does nothing but answer; used by the health check and tests."""
    return value


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

"""Job functions, importable by dotted path; each takes ids and calls one service."""

from __future__ import annotations


def ping(value: str = "pong") -> str:
    """A job that does nothing but answer; used by the health check and tests."""
    return value

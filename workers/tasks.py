"""Job functions, importable by dotted path; each takes ids and calls one service."""

from __future__ import annotations


def ping(value: str = "pong") -> str:
    """A job that does nothing but answer; used by the health check and tests."""
    return value


def export_document(export_id: str) -> None:
    """Render one document export (Markdown zip, HTML or PDF) and store it."""
    from techledger.services.document_export import run_export

    run_export(export_id)

"""Writing to the audit log."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from techledger.models import AuditEvent


def record(
    *,
    session: Session,
    action: str,
    organization_id: str | None = None,
    actor_id: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction)."""
    event = AuditEvent(
        organization_id=organization_id,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    session.add(event)
    return event

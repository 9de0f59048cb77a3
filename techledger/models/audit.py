"""An append-only log of what people and jobs did that matters later."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.models.base import created_at_field, fk_field, id_field, json_field


class AuditEvent(SQLModel, table=True):
    """One recorded event: who did what to which row."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_organization_id_created_at", "organization_id", "created_at"),
    )

    id: str = id_field()
    organization_id: str | None = fk_field("organization.id", ondelete="SET NULL", nullable=True)
    actor_id: str | None = fk_field("user.id", ondelete="SET NULL", nullable=True)
    action: str = Field(max_length=64)
    target_type: str | None = Field(default=None, max_length=64)
    target_id: str | None = Field(default=None, max_length=64)
    details: dict | None = json_field()
    created_at: datetime = created_at_field()

"""Stripe webhook bookkeeping: each event id applied once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.models.base import created_at_field, fk_field, id_field, timestamp_field


class ProcessedStripeEvent(SQLModel, table=True):
    """A Stripe event already handled (applied, stale, or not for us); replays are no-ops."""

    __tablename__ = "processed_stripe_event"
    __table_args__ = (
        sa.UniqueConstraint("event_id", name="uq_processed_stripe_event_event_id"),
        sa.Index("ix_processed_stripe_event_organization_id", "organization_id"),
    )

    id: str = id_field()
    event_id: str = Field(max_length=255)
    event_type: str = Field(max_length=100)
    organization_id: str | None = fk_field("organization.id", ondelete="SET NULL", nullable=True)
    # When Stripe created the event (not when it reached us): orders deliveries.
    stripe_created_at: datetime | None = timestamp_field()
    outcome: str = Field(max_length=64)
    created_at: datetime = created_at_field()

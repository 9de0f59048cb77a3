"""Organizations (the tenants), their members and pending invitations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.enums import Role, SubscriptionStatus, SubscriptionTier
from techledger.models.base import (
    created_at_field,
    default_field,
    enum_field,
    fk_field,
    id_field,
    timestamp_field,
    updated_at_field,
)


class Organization(SQLModel, table=True):
    """A company using TechLedger; every reachable row belongs to one."""

    __tablename__ = "organization"
    __table_args__ = (
        sa.Index("ix_organization_slug", "slug"),
        sa.Index("ix_organization_stripe_customer_id", "stripe_customer_id"),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 100", name="ck_organization_name_length"),
        sa.CheckConstraint("length(slug) BETWEEN 3 AND 50", name="ck_organization_slug_length"),
    )

    id: str = id_field()
    name: str = Field(max_length=100)
    slug: str = Field(max_length=50, unique=True)
    stripe_customer_id: str | None = Field(default=None, max_length=255, unique=True)
    subscription_status: SubscriptionStatus = enum_field(
        SubscriptionStatus, SubscriptionStatus.TRIAL
    )
    subscription_tier: SubscriptionTier = enum_field(SubscriptionTier, SubscriptionTier.FREE)
    trial_ends_at: datetime | None = timestamp_field()
    # Extension: publishing needs a reviewer other than the author.
    require_independent_review: bool = default_field(False)
    # Extensions (billing): the Stripe subscription, and the Stripe `created` time of the
    # last billing event applied, so an older event delivered late cannot roll state back.
    stripe_subscription_id: str | None = Field(default=None, max_length=255)
    billing_event_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class OrganizationMember(SQLModel, table=True):
    """A person's membership, with its role, in one organization."""

    __tablename__ = "organization_member"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "organization_id", name="uq_organization_member_user_org"),
        sa.Index("ix_organization_member_user_id", "user_id"),
        sa.Index("ix_organization_member_organization_id", "organization_id"),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    role: Role = enum_field(Role, Role.MEMBER)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Invitation(SQLModel, table=True):
    """An invitation by email, accepted once by the person it names."""

    __tablename__ = "invitation"
    __table_args__ = (sa.Index("ix_invitation_organization_id", "organization_id"),)

    id: str = id_field()
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    email: str = Field(max_length=255)
    role: Role = enum_field(Role, Role.MEMBER)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by: str | None = fk_field("user.id", ondelete="SET NULL", nullable=True)
    accepted_by: str | None = fk_field("user.id", ondelete="SET NULL", nullable=True)
    accepted_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    created_at: datetime = created_at_field()

"""People, their passwords and their login sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.models.base import created_at_field, fk_field, id_field, updated_at_field


class User(SQLModel, table=True):
    """A person; may belong to several organizations."""

    __tablename__ = "user"
    __table_args__ = (
        sa.Index("ix_user_email", "email"),
        sa.Index("ix_user_clerk_id", "clerk_id"),
        sa.CheckConstraint("length(email) <= 255", name="ck_user_email_length"),
        sa.CheckConstraint(
            "name IS NULL OR length(name) BETWEEN 1 AND 100", name="ck_user_name_length"
        ),
    )

    id: str = id_field()
    email: str = Field(max_length=255, unique=True, nullable=False)
    name: str | None = Field(default=None, max_length=100)
    # The spec's clerkId: filled when Clerk is the identity provider, NULL for password accounts.
    clerk_id: str | None = Field(default=None, max_length=255, unique=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Credential(SQLModel, table=True):
    """A user's password (argon2 hash); kept apart from the spec's User."""

    __tablename__ = "credential"

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    password_hash: str = Field(max_length=255)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    __table_args__ = (sa.UniqueConstraint("user_id", name="uq_credential_user_id"),)


class LoginSession(SQLModel, table=True):
    """A signed-in browser or CLI; only the token's hash is stored."""

    __tablename__ = "login_session"
    __table_args__ = (
        sa.Index("ix_login_session_user_id", "user_id"),
        sa.Index("ix_login_session_expires_at", "expires_at"),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    organization_id: str | None = fk_field("organization.id", ondelete="SET NULL", nullable=True)
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()

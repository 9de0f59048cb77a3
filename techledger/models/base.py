"""Column helpers shared by every table: ids, timestamps, enums and JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from techledger.ids import new_id

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")

# Every constraint gets a stable name, so migrations can drop it on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def id_field() -> Any:
    return Field(default_factory=new_id, primary_key=True, max_length=32)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=sa.DateTime(timezone=True),
        nullable=False,
    )


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=sa.DateTime(timezone=True),
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


def timestamp_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=nullable, index=index)


def enum_field(enum: type[Enum], default: Enum | None = None, *, nullable: bool = False) -> Any:
    """A column typed by one of the spec's enums (a native type on PostgreSQL)."""
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["server_default"] = default.value
    return Field(
        default=default,
        sa_type=enum_type(enum),
        nullable=nullable,
        sa_column_kwargs=kwargs,
    )


def enum_type(enum: type[Enum]) -> sa.Enum:
    """The SQL type of one of the spec's enums, named as the spec names it."""
    return sa.Enum(
        enum,
        name=_snake(enum.__name__),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def default_field(value: int | float | bool, **kwargs: Any) -> Any:
    """A scalar column whose spec default also lives in the database."""
    if isinstance(value, bool):
        server = sa.true() if value else sa.false()
    else:
        server = sa.text(repr(value))
    return Field(
        default=value, nullable=False, sa_column_kwargs={"server_default": server}, **kwargs
    )


def json_field(
    *, nullable: bool = True, default: Any = None, column_name: str | None = None
) -> Any:
    """A JSON column (JSONB on PostgreSQL), optionally named apart from its attribute."""
    if column_name:
        return Field(default=default, sa_column=sa.Column(column_name, JSONType, nullable=nullable))
    kwargs: dict[str, Any] = {"sa_type": JSONType, "nullable": nullable}
    if callable(default):
        kwargs["default_factory"] = default
    else:
        kwargs["default"] = default
    return Field(**kwargs)


def fk_field(target: str, *, ondelete: str, nullable: bool = False) -> Any:
    """A foreign key column with the spec's ``onDelete`` rule."""
    return Field(
        default=None,
        max_length=32,
        foreign_key=target,
        ondelete=ondelete,
        nullable=nullable,
        index=False,
    )


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)

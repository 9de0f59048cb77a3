"""The six levels of an organization's tech stack, each ordered among its siblings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.models.base import (
    created_at_field,
    default_field,
    fk_field,
    id_field,
    json_field,
    updated_at_field,
)

NAME_MAX = 200
DESCRIPTION_MAX = 2000


def _level_args(table: str, parent: str) -> tuple[Any, ...]:
    return (
        sa.Index(f"ix_{table}_{parent}", parent),
        sa.Index(f"ix_{table}_{parent}_order", parent, "order"),
        sa.CheckConstraint(
            f"length(name) BETWEEN 1 AND {NAME_MAX}", name=f"ck_{table}_name_length"
        ),
    )


class System(SQLModel, table=True):
    """Top level, e.g. "Sales & Marketing System"."""

    __tablename__ = "system"
    __table_args__ = _level_args("system", "organization_id")

    id: str = id_field()
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Department(SQLModel, table=True):
    """Second level, e.g. "Customer Relations"."""

    __tablename__ = "department"
    __table_args__ = _level_args("department", "system_id")

    id: str = id_field()
    system_id: str = fk_field("system.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class PracticeGroup(SQLModel, table=True):
    """Third level, e.g. "Lead Management"."""

    __tablename__ = "practice_group"
    __table_args__ = _level_args("practice_group", "department_id")

    id: str = id_field()
    department_id: str = fk_field("department.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class ActionGroup(SQLModel, table=True):
    """Fourth level, e.g. "Lead Creation"."""

    __tablename__ = "action_group"
    __table_args__ = _level_args("action_group", "practice_group_id")

    id: str = id_field()
    practice_group_id: str = fk_field("practice_group.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Action(SQLModel, table=True):
    """Fifth level, e.g. "Create Lead from Web Form"; workflows and documents attach here."""

    __tablename__ = "action"
    __table_args__ = (
        *_level_args("action", "action_group_id"),
        sa.Index("ix_action_application_name", "application_name"),
    )

    id: str = id_field()
    action_group_id: str = fk_field("action_group.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    application_name: str = Field(max_length=100)
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Transformation(SQLModel, table=True):
    """Sixth level, e.g. "Validate email format"."""

    __tablename__ = "transformation"
    __table_args__ = _level_args("transformation", "action_id")

    id: str = id_field()
    action_id: str = fk_field("action.id", ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    input_data: dict | None = json_field()
    output_data: dict | None = json_field()
    order: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

"""Change markers: a stamp that changes whenever something a cache or a live page shows changes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from techledger.models.base import created_at_field


class ChangeMarker(SQLModel, table=True):
    """One stamp per scope, e.g. ``patterns:<org>:<app>`` (the matching index) or
    ``workflow:<id>`` (the training canvas); a new random stamp on every change, so a
    rolled-back change never looks current."""

    __tablename__ = "change_marker"

    key: str = Field(primary_key=True, max_length=200)
    stamp: str = Field(max_length=32)
    changed_at: datetime = created_at_field()

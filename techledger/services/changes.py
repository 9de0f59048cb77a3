"""Change markers: the cheap "has anything changed?" read behind the matching cache and the
live training canvas. One row per scope; every change writes a fresh random stamp."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select

from techledger.ids import new_id
from techledger.models import ChangeMarker
from techledger.models.base import utcnow


def library_key(organization_id: str, application: str) -> str:
    """The scope of one organization's patterns for one application."""
    return f"patterns:{organization_id}:{application_key(application)}"[:200]


def workflow_key(workflow_id: str) -> str:
    """The scope of one workflow's training state (questions, answers, matches)."""
    return f"workflow:{workflow_id}"


def application_key(application: str) -> str:
    """Application names compare without case or surrounding spaces."""
    return (application or "").strip().lower()


def application_column(column):  # noqa: ANN001, ANN201
    """The SQL side of ``application_key``."""
    return func.lower(func.trim(column))


TOUCHED = "techledger.touched_markers"


def touch(session: Session, *keys: str) -> str:
    """Give every scope in ``keys`` a new stamp (in the caller's transaction)."""
    session.info.setdefault(TOUCHED, set()).update(keys)
    stamp = new_id()
    now = utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for key in sorted(set(keys)):  # a fixed order, so concurrent writers cannot deadlock
        statement = insert(ChangeMarker).values(key=key, stamp=stamp, changed_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"stamp": stamp, "changed_at": now}
        )
        session.execute(statement)
    return stamp


def read(session: Session, key: str) -> str | None:
    """The current stamp of ``key`` (``None`` if nothing was ever recorded)."""
    return session.exec(select(ChangeMarker.stamp).where(ChangeMarker.key == key)).first()

"""The time that destructive jobs trust: the database's clock, checked against the app's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from techledger.models.base import utcnow
from techledger.services.errors import ServiceError

# How far the app's clock may run ahead of the database's before destructive jobs refuse.
MAX_CLOCK_SKEW = timedelta(minutes=5)


class ClockSkewed(ServiceError):
    """This machine's clock disagrees with the database's; nothing was changed."""


def database_now(session: Session) -> datetime:
    """The database server's current time, timezone-aware in UTC."""
    value = session.execute(sa.select(sa.func.current_timestamp())).scalar_one()
    if isinstance(value, str):  # SQLite without a typed result: 'YYYY-MM-DD HH:MM:SS'
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def trusted_now(session: Session, *, app_now: datetime | None = None) -> datetime:
    """The database's now, or ``ClockSkewed`` when the app's clock is ahead of it by too much.

    Deletions and expiries are measured against this, so a machine whose clock jumped into
    the future cannot make young data look old.
    """
    db_now = database_now(session)
    app_now = app_now or utcnow()
    if app_now - db_now > MAX_CLOCK_SKEW:
        ahead = app_now - db_now
        raise ClockSkewed(
            f"This machine's clock is {_duration(ahead)} ahead of the database's "
            f"({app_now:%Y-%m-%d %H:%M} UTC vs {db_now:%Y-%m-%d %H:%M} UTC); nothing was "
            "changed. Fix the clock (NTP) and run again."
        )
    return db_now


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes >= 120:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"

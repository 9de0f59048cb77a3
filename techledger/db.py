"""The database engine, sessions, and bringing the schema up to date."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from techledger.settings import PROJECT_ROOT, get_settings

_upgrade_lock = threading.Lock()
_upgraded: set[str] = set()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with TechLedger's connection settings."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_pre_ping=True
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache
def get_engine() -> Engine:
    """The process's engine for the configured ``DATABASE_URL``."""
    return make_engine(get_settings().database_url)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | None = None):  # noqa: ANN201
    """The Alembic configuration of this project, pointed at ``url``."""
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.set_main_option(
        "sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%")
    )
    return config


def upgrade_database(url: str | None = None) -> None:
    """Apply every migration to the database (an empty one included)."""
    from alembic import command

    url = url or get_settings().database_url
    with _upgrade_lock:
        if url in _upgraded:
            return
        command.upgrade(alembic_config(url), "head")
        _upgraded.add(url)


def downgrade_database(url: str | None = None, revision: str = "base") -> None:
    """Undo migrations down to ``revision``."""
    from alembic import command

    url = url or get_settings().database_url
    with _upgrade_lock:
        command.downgrade(alembic_config(url), revision)
        _upgraded.discard(url)

"""Shared fixtures: a migrated database (SQLite or PostgreSQL) and rolled-back sessions.

The database is chosen by ``TEST_DATABASE_URL`` (or a PostgreSQL ``DATABASE_URL``); without
one, a fresh SQLite file is used. The whole suite runs once per database in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("ENVIRONMENT", "test")
from sqlalchemy.engine import Engine
from sqlmodel import Session

from techledger.db import make_engine, upgrade_database


def _configured_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    return url or None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The migrated test database's URL."""
    url = _configured_url()
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if url.startswith("postgresql"):
        _reset_postgres(url)
    upgrade_database(url)
    os.environ["DATABASE_URL"] = url
    from techledger import db
    from techledger.settings import get_settings

    get_settings.cache_clear()
    db.get_engine.cache_clear()
    return url


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    from techledger.db import get_engine

    yield get_engine()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session
    transaction.rollback()
    connection.close()


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")

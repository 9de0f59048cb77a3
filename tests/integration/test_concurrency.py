"""Races that only a real database shows: two sign-ups with one email, two organizations with one slug."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlmodel import Session, select

from techledger.models import Organization, User
from techledger.services import accounts, organizations
from techledger.services.errors import Conflict


def _race(engine, work, n: int = 2) -> list:  # noqa: ANN001
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                results[i] = work(session)
                session.commit()
            except Conflict as error:
                session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_concurrent_sign_ups_with_one_email(engine, is_postgres):  # noqa: ANN001
    if not is_postgres:
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    results = _race(
        engine,
        lambda s: accounts.sign_up(session=s, email=email, password="long-password-1"),
        n=4,
    )
    winners = [r for r in results if isinstance(r, User)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 3
    assert all("already exists" in e.message for e in losers)
    with Session(engine) as session:
        assert len(session.exec(select(User).where(User.email == email)).all()) == 1


def test_concurrent_organizations_with_one_slug(engine, is_postgres):  # noqa: ANN001
    if not is_postgres:
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    slug = f"race-{uuid.uuid4().hex[:8]}"
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.sign_up(
            session=session, email=f"{slug}@example.com", password="long-password-1"
        )
        session.commit()
    results = _race(
        engine,
        lambda s: organizations.create_organization(
            session=s, user_id=user.id, name="R", slug=slug
        ),
        n=3,
    )
    assert sum(isinstance(r, Organization) for r in results) == 1
    assert all("taken" in r.message for r in results if isinstance(r, Conflict))

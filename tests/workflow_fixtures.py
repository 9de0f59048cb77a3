"""Fixtures for workflow and screenshot tests: a blob store in a temporary folder, an Action."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from techledger.models import Action, Organization
from tests.factories_documents import make_action as make_branch


def use_storage(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Point the process at another blob store (settings and store are cached)."""
    from techledger.settings import get_settings
    from techledger.storage import get_store

    monkeypatch.setenv("STORAGE_URL", url)
    get_settings.cache_clear()
    get_store.cache_clear()


@pytest.fixture
def enqueued(monkeypatch) -> list[tuple]:  # noqa: ANN001
    """Jobs enqueued during the test, recorded instead of run: (path, args, job_id)."""
    from techledger import jobs

    calls: list[tuple] = []

    def record(path, *args, job_id=None, **_kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append((path, args, job_id))
        return job_id

    monkeypatch.setattr(jobs, "enqueue", record)
    return calls


@pytest.fixture
def store(tmp_path, monkeypatch, enqueued) -> Iterator:  # noqa: ANN001
    """The configured store, a fresh local folder (jobs are recorded, not run)."""
    from techledger.settings import get_settings
    from techledger.storage import get_store

    use_storage(monkeypatch, f"file://{tmp_path / 'files'}")
    yield get_store()
    monkeypatch.delenv("STORAGE_URL")
    get_settings.cache_clear()
    get_store.cache_clear()


def make_action(session: Session, org: Organization, name: str = "Create lead") -> Action:
    """An Action at the bottom of a fresh branch of ``org``'s hierarchy."""
    return make_branch(session, org.id, name=name)

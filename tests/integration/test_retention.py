"""Retention on seeded old data: rows and stored objects counted before and after.

Runs with a local folder and, when an S3 API server is configured (``TEST_S3_ENDPOINT_URL``
or ``S3_ENDPOINT_URL``, e.g. http://127.0.0.1:55000), with a real S3 bucket.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from sqlmodel import func, select

from techledger.enums import DocumentStatus, QuestionStatus, WorkflowStatus
from techledger.models import (
    AuditEvent,
    DetectedElement,
    Document,
    Pattern,
    Screenshot,
    TrainingAnswer,
    TrainingQuestion,
)
from techledger.models.base import utcnow
from techledger.services import retention
from techledger.services.clock import ClockSkewed, database_now
from techledger.storage import LocalStore, S3Store
from tests.billing_factories import (
    answer_with_pattern,
    make_element,
    make_question,
    make_screenshot,
    make_workflow,
)
from tests.factories import make_org, owner_actor

S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL") or os.environ.get("S3_ENDPOINT_URL")


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, monkeypatch):
    """The configured store (``STORAGE_URL``), as the daily job and the CLI get it."""
    from techledger.settings import get_settings
    from techledger.storage import get_store

    if request.param == "local":
        monkeypatch.setenv("STORAGE_URL", f"file://{tmp_path / 'files'}")
    else:
        if not S3_ENDPOINT:
            pytest.skip("no S3 endpoint (TEST_S3_ENDPOINT_URL / S3_ENDPOINT_URL) in this run")
        monkeypatch.setenv("STORAGE_URL", f"s3://tl-retention-{uuid.uuid4().hex[:10]}/techledger")
        monkeypatch.setenv("S3_ENDPOINT_URL", S3_ENDPOINT)
        monkeypatch.setenv("S3_ACCESS_KEY", os.environ.get("S3_ACCESS_KEY", "test"))
        monkeypatch.setenv("S3_SECRET_KEY", os.environ.get("S3_SECRET_KEY", "test"))
    get_settings.cache_clear()
    get_store.cache_clear()
    configured = get_store()
    assert isinstance(configured, LocalStore if request.param == "local" else S3Store)
    yield configured
    monkeypatch.undo()
    get_settings.cache_clear()
    get_store.cache_clear()


def _stored_screenshot(session, store, org, workflow, age_days: float, *, derived: bool = True):
    """A screenshot with original, thumbnail, annotated image and a derived crop in ``store``."""
    shot = make_screenshot(session, workflow, created_at=utcnow() - timedelta(days=age_days))
    prefix = retention.screenshot_prefix(org.id, shot.id)
    shot.original_url = store.put(prefix + "original.png", b"\x89PNG original", "image/png")
    shot.thumbnail_url = store.put(prefix + "thumbnail.webp", b"thumb", "image/webp")
    shot.annotated_url = store.put(prefix + "annotated.png", b"boxes", "image/png")
    if derived:
        store.put(prefix + "crops/element-1.png", b"crop")
    session.add(shot)
    session.flush()
    return shot


def _rows(session, model, *where) -> int:  # noqa: ANN001
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.fixture
def seeded(session, store):
    """Old and young data across archived and active workflows, in one organization."""
    org = make_org(session)
    user_id = owner_actor(session, org).user_id
    archived = make_workflow(session, org, user_id, WorkflowStatus.ARCHIVED, "Old process")
    active = make_workflow(session, org, user_id, WorkflowStatus.ACTIVE, "Current process")
    doomed = _stored_screenshot(session, store, org, archived, 120)
    doomed_element = make_element(session, doomed)
    doomed_question = make_question(
        session, doomed, utcnow() - timedelta(days=119), QuestionStatus.ANSWERED, doomed_element
    )
    _answer, pattern = answer_with_pattern(session, doomed_question, org)
    make_question(session, doomed, utcnow() - timedelta(days=100))  # pending, goes with it
    borderline = _stored_screenshot(session, store, org, archived, 89.9)  # not yet 90 days
    old_active = _stored_screenshot(session, store, org, active, 400)  # workflow not archived
    make_element(session, old_active)
    stale_question = make_question(session, old_active, utcnow() - timedelta(days=31))
    young_question = make_question(session, old_active, utcnow() - timedelta(days=29))
    answered_old = make_question(
        session, old_active, utcnow() - timedelta(days=300), QuestionStatus.ANSWERED
    )
    skipped_old = make_question(
        session, old_active, utcnow() - timedelta(days=300), QuestionStatus.SKIPPED
    )
    document = Document(
        user_id=user_id,
        organization_id=org.id,
        title="Old guide",
        content="# Old",
        application_name="Salesforce",
        status=DocumentStatus.ARCHIVED,
        workflow_id=archived.id,
        created_at=utcnow() - timedelta(days=2000),
    )
    session.add(document)
    pattern.is_active = False
    pattern.created_at = utcnow() - timedelta(days=2000)
    session.add(pattern)
    session.flush()
    return {
        "org": org,
        "doomed": doomed,
        "borderline": borderline,
        "old_active": old_active,
        "stale_question": stale_question,
        "young_question": young_question,
        "kept_questions": [young_question, answered_old, skipped_old],
        "pattern": pattern,
        "document": document,
    }


def _snapshot(session, store, org) -> dict:
    return {
        "screenshots": _rows(session, Screenshot),
        "elements": _rows(session, DetectedElement),
        "questions": _rows(session, TrainingQuestion),
        "answers": _rows(session, TrainingAnswer),
        "patterns": _rows(session, Pattern),
        "documents": _rows(session, Document),
        "objects": len(store.list(f"orgs/{org.id}/")),
        "audit": _rows(
            session,
            AuditEvent,
            AuditEvent.organization_id == org.id,
            AuditEvent.action.like("retention.%"),
        ),
    }


def test_dry_run_reports_and_deletes_nothing(session, store, seeded):
    org = seeded["org"]
    before = _snapshot(session, store, org)
    report = retention.run_retention(session=session, dry_run=True, store=store).as_dict()
    assert _snapshot(session, store, org) == before
    assert report["dry_run"] is True
    assert [s["id"] for s in report["screenshots"] if s["organization_id"] == org.id] == [
        seeded["doomed"].id
    ]
    mine = [q["id"] for q in report["pending_questions"] if q["organization_id"] == org.id]
    assert mine == [seeded["stale_question"].id]
    prefix = retention.screenshot_prefix(org.id, seeded["doomed"].id)
    assert sorted(k for k in report["stored_objects"] if k.startswith(f"orgs/{org.id}/")) == [
        prefix + "annotated.png",
        prefix + "crops/element-1.png",
        prefix + "original.png",
        prefix + "thumbnail.webp",
    ]


@pytest.mark.parametrize("listing", ["per-screenshot", "per-organization"])
def test_run_deletes_old_rows_with_their_stored_objects_and_audits_each(
    session, store, seeded, listing, monkeypatch
):
    threshold = 1 if listing == "per-organization" else 10**6
    monkeypatch.setattr(retention, "LIST_WHOLE_ORGANIZATION_FROM", threshold)
    org = seeded["org"]
    before = _snapshot(session, store, org)
    assert before["objects"] == 3 * 4
    report = retention.run_retention(session=session).as_dict()  # the configured store
    after = _snapshot(session, store, org)
    # The old screenshot of the archived workflow went with its element, 2 questions, 1 answer.
    assert after["screenshots"] == before["screenshots"] - 1
    assert after["elements"] == before["elements"] - 1
    assert after["questions"] == before["questions"] - 3  # 2 with the screenshot + 1 stale
    assert after["answers"] == before["answers"] - 1
    assert after["objects"] == before["objects"] - 4  # no orphans under its prefix
    assert store.list(retention.screenshot_prefix(org.id, seeded["doomed"].id)) == []
    # Soft-deleted things stay, whatever their age.
    assert after["patterns"] == before["patterns"] and after["documents"] == before["documents"]
    session.refresh(seeded["pattern"])
    assert seeded["pattern"].answer_id is None and seeded["pattern"].is_active is False
    assert session.get(Document, seeded["document"].id).status == DocumentStatus.ARCHIVED
    # Young, answered, skipped and not-archived data stays.
    for kept in (seeded["borderline"], seeded["old_active"]):
        assert session.get(Screenshot, kept.id) is not None
        assert store.exists(store.key_for_url(kept.original_url))
    for question in seeded["kept_questions"]:
        assert session.get(TrainingQuestion, question.id) is not None
    assert session.get(TrainingQuestion, seeded["stale_question"].id) is None
    # One audit event per hard-deleted row.
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.organization_id == org.id, AuditEvent.action.like("retention.%")
        )
    ).all()
    assert sorted((e.action, e.target_id) for e in events) == sorted(
        [
            ("retention.screenshot_deleted", seeded["doomed"].id),
            ("retention.question_deleted", seeded["stale_question"].id),
        ]
    )
    shot_event = next(e for e in events if e.action == "retention.screenshot_deleted")
    assert len(shot_event.details["objects"]) == 4
    assert report["counts"]["screenshots"] >= 1
    # A second run finds nothing more of ours.
    again = retention.run_retention(session=session, store=store).as_dict()
    assert not [s for s in again["screenshots"] if s["organization_id"] == org.id]
    assert _snapshot(session, store, org)["objects"] == after["objects"]


def test_a_clock_skewed_into_the_future_deletes_nothing(session, store, seeded):
    org = seeded["org"]
    before = _snapshot(session, store, org)
    future = database_now(session) + timedelta(days=365)
    with pytest.raises(ClockSkewed, match="ahead of the database"):
        retention.run_retention(session=session, store=store, app_now=future)
    with pytest.raises(ClockSkewed):
        retention.run_retention(session=session, store=store, app_now=future, dry_run=True)
    assert _snapshot(session, store, org) == before


def test_ages_are_measured_on_the_database_clock(session, store, seeded):
    org = seeded["org"]
    before = _snapshot(session, store, org)
    # A little ahead (within the margin) or far behind: the database's time decides, so the
    # 89.9-day-old screenshot and the 29-day-old question stay, the old ones go.
    slightly_ahead = database_now(session) + timedelta(minutes=3)
    retention.run_retention(session=session, store=store, app_now=slightly_ahead)
    after = _snapshot(session, store, org)
    assert after["screenshots"] == before["screenshots"] - 1
    assert session.get(Screenshot, seeded["borderline"].id) is not None
    assert session.get(TrainingQuestion, seeded["young_question"].id) is not None
    behind = database_now(session) - timedelta(days=3650)
    retention.run_retention(session=session, store=store, app_now=behind)
    assert _snapshot(session, store, org)["screenshots"] == after["screenshots"]

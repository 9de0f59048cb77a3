"""Data retention, as the data model's "Data Retention & Cleanup" section says.

- Soft deletes: documents are never deleted but set to ARCHIVED, and patterns never
  deleted but set ``is_active = false``; this job leaves both alone whatever their age.
- Hard deletes: screenshots older than 90 days in ARCHIVED workflows (with their
  detected elements, questions and answers, by the tables' cascades) and PENDING training
  questions older than 30 days. A screenshot's stored files go with it: the original,
  thumbnail and annotated images and everything else under ``orgs/<org>/screenshots/<id>/``.
- Every hard delete is written to the audit log. Ages are measured on the database's clock
  (``trusted_now``): a machine whose clock runs ahead refuses instead of deleting young data.

Files are deleted before their rows, in the same run: if the rows then fail to go, the next
run finds them again (deleting a missing file is no error), so no stored object is orphaned.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from techledger.enums import QuestionStatus, WorkflowStatus
from techledger.models import DetectedElement, Screenshot, TrainingQuestion, Workflow
from techledger.services import audit
from techledger.services.clock import trusted_now
from techledger.storage import BlobStore, get_store

log = logging.getLogger(__name__)

SCREENSHOT_DAYS = 90
PENDING_QUESTION_DAYS = 30
CHUNK = 500  # ids per IN (...) list, well under SQLite's and PostgreSQL's parameter limits
LIST_WHOLE_ORGANIZATION_FROM = 20  # doomed screenshots in one organization
DELETE_THREADS = 8  # stored objects deleted in parallel (S3 round trips dominate)


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


@dataclass
class RetentionReport:
    """What a run deleted, or would delete with ``dry_run``."""

    dry_run: bool
    now: str
    screenshots: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    elements_with_screenshots: int = 0
    questions_with_screenshots: int = 0

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "now": self.now,
            "counts": {
                "screenshots": len(self.screenshots),
                "pending_questions": len(self.questions),
                "stored_objects": len(self.objects),
                "elements_with_screenshots": self.elements_with_screenshots,
                "questions_with_screenshots": self.questions_with_screenshots,
            },
            "screenshots": self.screenshots,
            "pending_questions": self.questions,
            "stored_objects": self.objects,
        }


def screenshot_prefix(organization_id: str, screenshot_id: str) -> str:
    """Where every stored object of one screenshot lives."""
    return f"orgs/{organization_id}/screenshots/{screenshot_id}/"


def _listed_objects(store: BlobStore, doomed: list[tuple[Screenshot, str]]) -> dict[str, list[str]]:
    """Every stored key under each doomed screenshot's prefix, by screenshot id.

    An organization with many doomed screenshots is listed once under its screenshots
    folder; one with a few, screenshot by screenshot (cheaper than listing everything).
    """
    by_org: dict[str, list[str]] = {}
    for shot, org_id in doomed:
        by_org.setdefault(org_id, []).append(shot.id)
    found: dict[str, list[str]] = {}
    for org_id, ids in by_org.items():
        if len(ids) >= LIST_WHOLE_ORGANIZATION_FROM:
            wanted = set(ids)
            base = f"orgs/{org_id}/screenshots/"
            for key in store.list(base):
                shot_id = key[len(base) :].split("/", 1)[0]
                if shot_id in wanted:
                    found.setdefault(shot_id, []).append(key)
        else:
            for shot_id in ids:
                found[shot_id] = store.list(screenshot_prefix(org_id, shot_id))
    return found


def _stored_objects(store: BlobStore, screenshot: Screenshot, listed: list[str]) -> list[str]:
    keys = set(listed)
    for url in (screenshot.original_url, screenshot.thumbnail_url, screenshot.annotated_url):
        if not url:
            continue
        try:
            keys.add(store.key_for_url(url))
        except ValueError:
            log.warning("screenshot %s has a file outside the store: %s", screenshot.id, url)
    return sorted(keys)


def _count(session: Session, model, column, ids: list[str]) -> int:  # noqa: ANN001
    return sum(
        session.exec(select(func.count()).select_from(model).where(column.in_(chunk))).one()
        for chunk in _chunks(ids)
    )


def run_retention(
    *,
    session: Session,
    dry_run: bool = False,
    app_now: datetime | None = None,
    store: BlobStore | None = None,
) -> RetentionReport:
    """Delete (or with ``dry_run`` list) what is past its retention period; see module docs."""
    now = trusted_now(session, app_now=app_now)
    store = store or get_store()
    report = RetentionReport(dry_run=dry_run, now=now.isoformat())

    old_screenshots = session.exec(
        select(Screenshot, Workflow.organization_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(
            Workflow.status == WorkflowStatus.ARCHIVED,
            Screenshot.created_at < now - timedelta(days=SCREENSHOT_DAYS),
        )
        .order_by(Screenshot.created_at)
    ).all()
    screenshot_ids = [shot.id for shot, _ in old_screenshots]
    report.elements_with_screenshots = _count(
        session, DetectedElement, DetectedElement.screenshot_id, screenshot_ids
    )
    report.questions_with_screenshots = _count(
        session, TrainingQuestion, TrainingQuestion.screenshot_id, screenshot_ids
    )
    old_questions = session.exec(
        select(TrainingQuestion, Workflow.organization_id)
        .join(Screenshot, Screenshot.id == TrainingQuestion.screenshot_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(
            TrainingQuestion.status == QuestionStatus.PENDING,
            TrainingQuestion.created_at < now - timedelta(days=PENDING_QUESTION_DAYS),
        )
        .order_by(TrainingQuestion.created_at)
    ).all()
    # Questions of screenshots deleted above go with them (counted there).
    doomed = set(screenshot_ids)
    old_questions = [(q, org) for q, org in old_questions if q.screenshot_id not in doomed]

    listed = _listed_objects(store, list(old_screenshots))
    for shot, org_id in old_screenshots:
        keys = _stored_objects(store, shot, listed.get(shot.id, []))
        report.objects.extend(keys)
        report.screenshots.append(
            {
                "id": shot.id,
                "organization_id": org_id,
                "workflow_id": shot.workflow_id,
                "created_at": shot.created_at.isoformat(),
                "objects": keys,
            }
        )
    for question, org_id in old_questions:
        report.questions.append(
            {
                "id": question.id,
                "organization_id": org_id,
                "screenshot_id": question.screenshot_id,
                "created_at": question.created_at.isoformat(),
            }
        )
    if dry_run:
        return report

    with ThreadPoolExecutor(max_workers=DELETE_THREADS) as pool:
        list(pool.map(store.delete, report.objects))  # raises if any delete failed
    for entry in report.screenshots:
        audit.record(
            session=session,
            action="retention.screenshot_deleted",
            organization_id=entry["organization_id"],
            target_type="screenshot",
            target_id=entry["id"],
            details={
                "workflow_id": entry["workflow_id"],
                "created_at": entry["created_at"],
                "objects": entry["objects"],
                "rule": f"older than {SCREENSHOT_DAYS} days in an archived workflow",
            },
        )
    for entry in report.questions:
        audit.record(
            session=session,
            action="retention.question_deleted",
            organization_id=entry["organization_id"],
            target_type="training_question",
            target_id=entry["id"],
            details={
                "screenshot_id": entry["screenshot_id"],
                "created_at": entry["created_at"],
                "rule": f"pending for more than {PENDING_QUESTION_DAYS} days",
            },
        )
    for chunk in _chunks(screenshot_ids):
        session.execute(delete(Screenshot).where(Screenshot.id.in_(chunk)))
    for chunk in _chunks([entry["id"] for entry in report.questions]):
        session.execute(delete(TrainingQuestion).where(TrainingQuestion.id.in_(chunk)))
    session.flush()
    session.expire_all()
    log.info(
        "retention deleted %d screenshots (%d objects) and %d pending questions",
        len(report.screenshots),
        len(report.objects),
        len(report.questions),
    )
    return report

"""Screenshots of a workflow: validated upload, storage of original and thumbnail, order, deletion.

A file is checked completely (a real PNG, JPEG or WebP within the spec's limits) before any
byte is stored; a rejected file leaves no row and no stored object.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import uuid

import sqlalchemy as sa
from PIL import Image
from sqlmodel import Session, func, select

from techledger import jobs
from techledger.enums import QuestionStatus, ScreenshotStatus
from techledger.ids import new_id
from techledger.models import DetectedElement, Screenshot, TrainingQuestion, Workflow
from techledger.services import audit, plan_limits
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, not_found
from techledger.services.permissions import Permission
from techledger.services.workflows import get_workflow, require_open
from techledger.storage import get_store
from techledger.vision.validation import InvalidScreenshot, load_screenshot, make_thumbnail

log = logging.getLogger(__name__)

ANALYSIS_JOB = "workers.tasks.analyze_screenshot"
ANALYSIS_TIMEOUT_S = 300
ANALYSIS_MAX_ATTEMPTS = 3  # the first try and two retries
_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
VARIANTS = ("original", "thumbnail", "annotated")


class RejectedScreenshot(InvalidInput):
    """The uploaded file is not an acceptable screenshot; nothing was stored."""


def screenshot_key(organization_id: str, screenshot_id: str, name: str) -> str:
    """Where a screenshot's blobs live: ``orgs/<org>/screenshots/<id>/<name>``."""
    return f"orgs/{organization_id}/screenshots/{screenshot_id}/{name}"


def clean_filename(filename: str | None) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 250 - len(ext)] + dot + ext) if dot else name[:255]
    return name or "screenshot"


def _next_position(session: Session, workflow_id: str) -> int:
    last = session.exec(
        select(func.max(Screenshot.position)).where(Screenshot.workflow_id == workflow_id)
    ).one()
    return 0 if last is None else last + 1


def _duplicate(session: Session, workflow_id: str, digest: str) -> Screenshot | None:
    return session.exec(
        select(Screenshot).where(
            Screenshot.workflow_id == workflow_id, Screenshot.content_sha256 == digest
        )
    ).first()


def upload_screenshot(
    *, session: Session, actor: Actor, workflow_id: str, filename: str, data: bytes
) -> Screenshot:
    """Validate, store and record one screenshot, then queue its analysis once committed.

    Refused (``RejectedScreenshot``, nothing stored): anything but a readable PNG, JPEG or
    WebP of at most 10 MB and 100..10,000 px per side, and a file already in the workflow.
    """
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id, for_update=True)
    require_open(workflow)
    plan_limits.require_can_add(session, workflow.organization_id, "screenshots")
    name = clean_filename(filename)
    try:
        image = load_screenshot(data)
    except InvalidScreenshot as exc:
        raise RejectedScreenshot(str(exc), field="file") from None
    digest = hashlib.sha256(data).hexdigest()
    twin = _duplicate(session, workflow.id, digest)
    if twin is not None:
        raise RejectedScreenshot(
            f"This file is already in the workflow as screenshot {twin.position + 1}"
            f" ({twin.original_filename or 'unnamed'}); each screen is kept once.",
            field="file",
        )
    fmt = Image.open(io.BytesIO(data)).format or "PNG"  # header only; validated above
    width, height = image.size
    thumbnail = make_thumbnail(image)
    screenshot_id = new_id()
    org = workflow.organization_id
    original_key = screenshot_key(org, screenshot_id, f"original.{_EXTENSIONS[fmt]}")
    thumbnail_key = screenshot_key(org, screenshot_id, "thumbnail.png")
    store = get_store()
    stored: list[str] = []
    try:
        original_url = store.put(original_key, data, _CONTENT_TYPES[fmt])
        stored.append(original_key)
        thumbnail_url = store.put(thumbnail_key, thumbnail, "image/png")
        stored.append(thumbnail_key)
        job_id = uuid.uuid4().hex
        screenshot = Screenshot(
            id=screenshot_id,
            user_id=actor.user_id,
            workflow_id=workflow.id,
            original_url=original_url,
            thumbnail_url=thumbnail_url,
            file_size=len(data),
            dimensions={
                "width": width,
                "height": height,
                "aspectRatio": round(width / height, 3),
            },
            status=ScreenshotStatus.UPLOADED,
            vision_job_id=job_id,
            position=_next_position(session, workflow.id),
            original_filename=name,
            content_sha256=digest,
        )
        with session.begin_nested():
            session.add(screenshot)
            session.flush()
    except BaseException:
        _delete_blobs(stored)
        raise
    _forget_blobs_on_rollback(session, stored)
    audit.record(
        session=session,
        action="screenshot.uploaded",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="screenshot",
        target_id=screenshot.id,
        details={"workflow_id": workflow.id, "filename": name, "bytes": len(data)},
    )
    queue_analysis(session, screenshot.id, job_id=job_id)
    return screenshot


upload = upload_screenshot


def queue_analysis(session: Session, screenshot_id: str, *, job_id: str) -> str:
    """Queue the analysis job of a screenshot once ``session`` commits.

    If the queue cannot be reached then, the upload still stands: the row stays UPLOADED
    and ``recover_stuck_screenshots`` queues it again later.
    """

    def after_commit(_session) -> None:  # noqa: ANN001
        try:
            jobs.enqueue(
                ANALYSIS_JOB,
                screenshot_id,
                job_id,
                job_id=job_id,
                retries=ANALYSIS_MAX_ATTEMPTS - 1,
                timeout=ANALYSIS_TIMEOUT_S,
            )
        except Exception:  # noqa: BLE001  (the queue being down must not undo the upload)
            log.exception("could not queue the analysis of %s; recovery will", screenshot_id)

    sa.event.listen(session, "after_commit", after_commit, once=True)
    return job_id


def _delete_blobs(keys: list[str]) -> None:
    store = get_store()
    for key in keys:
        try:
            store.delete(key)
        except Exception:  # noqa: BLE001  (cleanup must not hide the original error)
            log.exception("could not delete blob %s", key)


def _forget_blobs_on_rollback(session: Session, keys: list[str]) -> None:
    """If the caller's transaction rolls back after all, the stored blobs go too."""

    def on_rollback(_session) -> None:  # noqa: ANN001
        _delete_blobs(keys)
        sa.event.remove(session, "after_commit", on_commit)

    def on_commit(_session) -> None:  # noqa: ANN001
        if sa.event.contains(session, "after_rollback", on_rollback):
            sa.event.remove(session, "after_rollback", on_rollback)

    sa.event.listen(session, "after_rollback", on_rollback, once=True)
    sa.event.listen(session, "after_commit", on_commit, once=True)


def get_screenshot(
    *, session: Session, actor: Actor, screenshot_id: str, for_update: bool = False
) -> Screenshot:
    """The screenshot, if its workflow is in the actor's organization; "not found" otherwise."""
    actor.require(Permission.EDIT_WORKFLOWS if for_update else Permission.READ)
    row = (
        session.exec(
            select(Screenshot, Workflow.organization_id)
            .join(Workflow, Workflow.id == Screenshot.workflow_id)
            .where(Screenshot.id == screenshot_id)
        ).first()
        if screenshot_id
        else None
    )
    if row is None or row[1] != actor.organization_id:
        raise not_found("Screenshot")
    return row[0]


def _element_counts(session: Session, screenshot_ids: list[str]) -> dict[str, int]:
    if not screenshot_ids:
        return {}
    rows = session.exec(
        select(DetectedElement.screenshot_id, func.count())
        .where(DetectedElement.screenshot_id.in_(screenshot_ids))
        .group_by(DetectedElement.screenshot_id)
    ).all()
    return dict(rows)


def screenshot_summary(screenshot: Screenshot, element_count: int = 0) -> dict:
    """A screenshot as lists show it (no URLs: those are signed per viewer)."""
    dims = screenshot.dimensions or {}
    return {
        "id": screenshot.id,
        "position": screenshot.position,
        "filename": screenshot.original_filename or "",
        "status": ScreenshotStatus(screenshot.status).value,
        "failure_reason": screenshot.failure_reason or "",
        "width": int(dims.get("width", 0)),
        "height": int(dims.get("height", 0)),
        "file_size": screenshot.file_size,
        "element_count": element_count,
        "attempts": screenshot.analysis_attempts,
        "has_annotated": bool(screenshot.annotated_url),
        "uploaded": screenshot.created_at.isoformat(timespec="seconds"),
    }


def list_screenshots(*, session: Session, actor: Actor, workflow_id: str) -> list[dict]:
    """A workflow's screenshots in their order, with status and element counts."""
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id)
    rows = session.exec(
        select(Screenshot)
        .where(Screenshot.workflow_id == workflow.id)
        .order_by(Screenshot.position, Screenshot.created_at)
    ).all()
    counts = _element_counts(session, [s.id for s in rows])
    return [screenshot_summary(s, counts.get(s.id, 0)) for s in rows]


def list_elements(*, session: Session, actor: Actor, screenshot_id: str) -> list[dict]:
    """The elements found on a screenshot, in reading order (top, then left)."""
    screenshot = get_screenshot(session=session, actor=actor, screenshot_id=screenshot_id)
    rows = session.exec(
        select(DetectedElement).where(DetectedElement.screenshot_id == screenshot.id)
    ).all()
    out = [
        {
            "id": e.id,
            "element_type": e.element_type.value
            if hasattr(e.element_type, "value")
            else str(e.element_type),
            "text": e.text or "",
            "confidence": round(float(e.confidence), 3),
            "top": int(e.bounding_box.get("top", 0)),
            "left": int(e.bounding_box.get("left", 0)),
            "width": int(e.bounding_box.get("width", 0)),
            "height": int(e.bounding_box.get("height", 0)),
            "pattern_id": e.pattern_id or "",
        }
        for e in rows
    ]
    return sorted(out, key=lambda e: (e["top"], e["left"]))


def reorder_screenshots(
    *, session: Session, actor: Actor, workflow_id: str, ordered_ids: list[str]
) -> None:
    """Put a workflow's screenshots in the given order (every one of them, each once)."""
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id, for_update=True)
    rows = session.exec(select(Screenshot).where(Screenshot.workflow_id == workflow.id)).all()
    by_id = {s.id: s for s in rows}
    if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(by_id):
        raise InvalidInput(
            "The new order must list every screenshot of this workflow exactly once; "
            "reload the page and try again.",
            field="order",
        )
    for position, screenshot_id in enumerate(ordered_ids):
        if by_id[screenshot_id].position != position:
            by_id[screenshot_id].position = position
            session.add(by_id[screenshot_id])
    session.flush()


def _ordered_ids(session: Session, workflow_id: str) -> list[str]:
    return list(
        session.exec(
            select(Screenshot.id)
            .where(Screenshot.workflow_id == workflow_id)
            .order_by(Screenshot.position, Screenshot.created_at)
        ).all()
    )


def place_screenshot(*, session: Session, actor: Actor, screenshot_id: str, position: int) -> None:
    """Put a screenshot at ``position`` (0-based, kept inside the workflow); the others keep
    their order around it (a drop in the browser)."""
    if not isinstance(position, int) or isinstance(position, bool):
        raise InvalidInput(
            "A screenshot's new place must be a whole number; use the arrows on its card instead.",
            field="position",
        )
    screenshot = get_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, for_update=True
    )
    ids = _ordered_ids(session, screenshot.workflow_id)
    ids.remove(screenshot.id)
    ids.insert(max(0, min(len(ids), position)), screenshot.id)
    reorder_screenshots(
        session=session, actor=actor, workflow_id=screenshot.workflow_id, ordered_ids=ids
    )


def move_screenshot(*, session: Session, actor: Actor, screenshot_id: str, offset: int) -> None:
    """Move a screenshot ``offset`` places earlier (negative) or later (positive)."""
    screenshot = get_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, for_update=True
    )
    index = _ordered_ids(session, screenshot.workflow_id).index(screenshot.id)
    place_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, position=index + offset
    )


def blob_keys(screenshot: Screenshot, organization_id: str) -> list[str]:
    """The keys of every blob a screenshot owns (original, thumbnail, annotated copy)."""
    return get_store().list(screenshot_key(organization_id, screenshot.id, ""))


def delete_screenshot(*, session: Session, actor: Actor, screenshot_id: str) -> None:
    """Remove a screenshot, its elements and questions; its files go once the change commits."""
    screenshot = get_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, for_update=True
    )
    keys = blob_keys(screenshot, actor.organization_id)
    workflow_id = screenshot.workflow_id
    session.delete(screenshot)
    session.flush()
    remaining = session.exec(
        select(Screenshot)
        .where(Screenshot.workflow_id == workflow_id)
        .order_by(Screenshot.position, Screenshot.created_at)
    ).all()
    for position, row in enumerate(remaining):
        if row.position != position:
            row.position = position
            session.add(row)
    session.flush()
    audit.record(
        session=session,
        action="screenshot.deleted",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="screenshot",
        target_id=screenshot_id,
        details={"workflow_id": workflow_id},
    )
    sa.event.listen(session, "after_commit", lambda _s: _delete_blobs(keys), once=True)


def retry_screenshot(*, session: Session, actor: Actor, screenshot_id: str) -> Screenshot:
    """Analyse a FAILED screenshot again (a fresh set of attempts)."""
    screenshot = get_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, for_update=True
    )
    if ScreenshotStatus(screenshot.status) != ScreenshotStatus.FAILED:
        raise Conflict(
            f"Only a failed screenshot can be retried; this one is "
            f"{ScreenshotStatus(screenshot.status).value.lower()}."
        )
    plan_limits.require_active(session, actor.organization_id)
    return requeue(session, screenshot, reset_attempts=True)


def reanalyze_screenshot(*, session: Session, actor: Actor, screenshot_id: str) -> Screenshot:
    """Analyse an ANALYZED or FAILED screenshot again; its elements are replaced."""
    screenshot = get_screenshot(
        session=session, actor=actor, screenshot_id=screenshot_id, for_update=True
    )
    if ScreenshotStatus(screenshot.status) in (
        ScreenshotStatus.UPLOADED,
        ScreenshotStatus.PROCESSING,
    ):
        raise Conflict("This screenshot is already waiting for its analysis.")
    plan_limits.require_active(session, actor.organization_id)
    return requeue(session, screenshot, reset_attempts=True)


def requeue(session: Session, screenshot: Screenshot, *, reset_attempts: bool) -> Screenshot:
    """Back to UPLOADED with a new job id; the job is queued once ``session`` commits."""
    job_id = uuid.uuid4().hex
    screenshot.status = ScreenshotStatus.UPLOADED
    screenshot.vision_job_id = job_id
    screenshot.failure_reason = None
    screenshot.processing_started_at = None
    if reset_attempts:
        screenshot.analysis_attempts = 0
    session.add(screenshot)
    session.flush()
    queue_analysis(session, screenshot.id, job_id=job_id)
    return screenshot


def pending_questions(session: Session, screenshot_id: str) -> list[TrainingQuestion]:
    """The unanswered questions of a screenshot (replaced when it is analysed again)."""
    return list(
        session.exec(
            select(TrainingQuestion).where(
                TrainingQuestion.screenshot_id == screenshot_id,
                TrainingQuestion.status == QuestionStatus.PENDING,
            )
        ).all()
    )

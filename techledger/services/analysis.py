"""Analysis of a screenshot: UPLOADED -> PROCESSING -> ANALYZED or FAILED, never stuck.

The job (``workers.tasks.analyze_screenshot``) runs in steps, each in its own short
transaction so that the long engine call holds no lock:

1. ``start_analysis`` claims the screenshot (PROCESSING, one more attempt, the job's id);
2. the engine runs while a heartbeat thread touches the row's ``updated_at``;
3. ``finish_analysis`` replaces the elements (and their unanswered questions), stores the
   analysis and hands over to training; or ``fail_analysis`` records why it failed.

A job only acts on the screenshot if it is still the one the row waits for (same job id,
same attempt), so a duplicate or late job never overwrites a newer result.
``recover_stuck_screenshots`` finds rows whose worker stopped (no heartbeat) and queues
them again, or fails them once their attempts are spent.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, select

from techledger import jobs
from techledger.db import session_scope
from techledger.enums import ElementType, QuestionStatus, ScreenshotStatus
from techledger.models import DetectedElement, Screenshot, TrainingQuestion, Workflow
from techledger.models.base import utcnow
from techledger.services import training
from techledger.services.screenshots import (
    ANALYSIS_MAX_ATTEMPTS,
    requeue,
    screenshot_key,
)
from techledger.settings import get_settings
from techledger.storage import BlobNotFound, get_store

log = logging.getLogger(__name__)

HEARTBEAT_S = 10.0  # how often a running analysis touches its row
STALE_AFTER_S = 90.0  # PROCESSING without a heartbeat this long: the worker stopped
LOST_AFTER_S = 600.0  # UPLOADED this long with no job queued or running: the job was lost
WORKER_STOPPED = "The analysis worker stopped; retried {n} times."


class PermanentFailure(Exception):
    """The screenshot cannot be analysed however often it is tried (missing or unreadable file)."""


@dataclass(frozen=True)
class Ticket:
    """A claim on one screenshot's analysis: which attempt, of which job."""

    screenshot_id: str
    organization_id: str
    original_url: str
    attempt: int
    job_id: str | None


@lru_cache
def engine(name: str):  # noqa: ANN201
    """The vision engine called ``name``, loaded once per process."""
    from techledger.vision import get_engine

    return get_engine(name)


def _aware(moment):  # noqa: ANN001, ANN202
    from datetime import UTC

    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def start_analysis(
    *, session: Session, screenshot_id: str, job_id: str | None = None
) -> Ticket | None:
    """Claim the screenshot for this job; None when there is nothing (more) for it to do."""
    row = session.exec(
        select(Screenshot, Workflow.organization_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(Screenshot.id == screenshot_id)
    ).first()
    if row is None:
        return None  # deleted meanwhile
    screenshot, organization_id = row
    status = ScreenshotStatus(screenshot.status)
    if job_id and screenshot.vision_job_id and job_id != screenshot.vision_job_id:
        log.info("job %s for %s is stale; skipped", job_id, screenshot_id)
        return None
    if status in (ScreenshotStatus.ANALYZED, ScreenshotStatus.FAILED) and job_id:
        return None
    attempt = screenshot.analysis_attempts + 1
    now = utcnow()
    claimed = session.execute(
        sa.update(Screenshot)
        .where(
            Screenshot.id == screenshot_id,
            Screenshot.analysis_attempts == screenshot.analysis_attempts,
            Screenshot.status == screenshot.status,
        )
        .values(
            status=ScreenshotStatus.PROCESSING,
            analysis_attempts=attempt,
            processing_started_at=now,
            updated_at=now,
            vision_job_id=job_id or screenshot.vision_job_id,
            failure_reason=None,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None  # another run claimed it first
    session.expire(screenshot)
    return Ticket(
        screenshot_id=screenshot_id,
        organization_id=organization_id,
        original_url=screenshot.original_url,
        attempt=attempt,
        job_id=job_id or screenshot.vision_job_id,
    )


def analyze_image(ticket: Ticket, engine_name: str | None = None):  # noqa: ANN201
    """Run the vision engine on the stored original; returns (analysis, annotated PNG bytes)."""
    from techledger.vision import InvalidScreenshot, load_screenshot
    from techledger.vision.annotate import annotate

    store = get_store()
    try:
        data = store.get(store.key_for_url(ticket.original_url))
    except (BlobNotFound, ValueError) as exc:
        raise PermanentFailure(
            "The stored file of this screenshot is missing; delete it and upload it again."
        ) from exc
    try:
        image = load_screenshot(data)
    except InvalidScreenshot as exc:
        raise PermanentFailure(str(exc)) from exc
    analysis = engine(engine_name or get_settings().vision_engine).analyze(image)
    buffer = io.BytesIO()
    annotate(image, analysis.elements).save(buffer, format="PNG")
    return analysis, buffer.getvalue()


def _current(session: Session, ticket: Ticket) -> Screenshot | None:
    screenshot = session.get(Screenshot, ticket.screenshot_id)
    if (
        screenshot is None
        or ScreenshotStatus(screenshot.status) != ScreenshotStatus.PROCESSING
        or screenshot.analysis_attempts != ticket.attempt
    ):
        return None
    return screenshot


def replace_elements(session: Session, screenshot_id: str, elements: list) -> list[DetectedElement]:
    """Drop a screenshot's elements and unanswered questions, then store ``elements``."""
    session.execute(
        sa.delete(TrainingQuestion).where(
            TrainingQuestion.screenshot_id == screenshot_id,
            TrainingQuestion.status == QuestionStatus.PENDING,
        )
    )
    session.execute(
        sa.delete(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
    )
    rows = [
        DetectedElement(
            screenshot_id=screenshot_id,
            element_type=ElementType(e.element_type),
            bounding_box=dict(e.bounding_box),
            text=(e.text or None) if e.text is None or len(e.text) <= 2000 else e.text[:2000],
            confidence=min(1.0, max(0.0, float(e.confidence))),
            properties=dict(e.properties) if e.properties else None,
        )
        for e in elements
    ]
    session.add_all(rows)
    session.flush()
    return rows


def finish_analysis(
    *, session: Session, ticket: Ticket, analysis, annotated_url: str | None = None
) -> bool:  # noqa: ANN001
    """Store the engine's result for the attempt ``ticket`` claimed; False if it was superseded."""
    screenshot = _current(session, ticket)
    if screenshot is None:
        return False
    replace_elements(session, screenshot.id, analysis.elements)
    screenshot.analysis_result = analysis.analysis_result
    screenshot.status = ScreenshotStatus.ANALYZED
    screenshot.processed_at = utcnow()
    screenshot.failure_reason = None
    if annotated_url:
        screenshot.annotated_url = annotated_url
    session.add(screenshot)
    session.flush()
    training.after_analysis(session=session, screenshot_id=screenshot.id)
    return True


def fail_analysis(*, session: Session, ticket: Ticket, reason: str, final: bool) -> bool:
    """Record a failed attempt: FAILED with ``reason`` when ``final``, else back to UPLOADED."""
    screenshot = _current(session, ticket)
    if screenshot is None:
        return False
    if final:
        screenshot.status = ScreenshotStatus.FAILED
        screenshot.failure_reason = reason[:1000]
    else:
        screenshot.status = ScreenshotStatus.UPLOADED
        screenshot.failure_reason = (f"Attempt {ticket.attempt} failed ({reason}); trying again.")[
            :1000
        ]
    session.add(screenshot)
    session.flush()
    return True


class Heartbeat:
    """Touches a PROCESSING row every few seconds while its analysis runs."""

    def __init__(self, ticket: Ticket, every: float = HEARTBEAT_S) -> None:
        self.ticket = ticket
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="analysis-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:  # noqa: ANN002
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with session_scope() as session:
                    session.execute(
                        sa.update(Screenshot)
                        .where(
                            Screenshot.id == self.ticket.screenshot_id,
                            Screenshot.status == ScreenshotStatus.PROCESSING,
                            Screenshot.analysis_attempts == self.ticket.attempt,
                        )
                        .values(updated_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
            except Exception:  # noqa: BLE001  (a missed beat is not fatal)
                log.exception("heartbeat of %s failed", self.ticket.screenshot_id)


def run_analysis(screenshot_id: str, job_id: str | None = None) -> str:
    """The whole analysis of one screenshot, as the job runs it; returns what happened.

    Raises after a failed attempt that has attempts left, so the queue retries it.
    """
    with session_scope() as session:
        ticket = start_analysis(session=session, screenshot_id=screenshot_id, job_id=job_id)
    if ticket is None:
        return "skipped"
    try:
        with Heartbeat(ticket):
            analysis, annotated = analyze_image(ticket)
    except PermanentFailure as exc:
        with session_scope() as session:
            fail_analysis(session=session, ticket=ticket, reason=str(exc), final=True)
        return "failed"
    except Exception as exc:
        final = ticket.attempt >= ANALYSIS_MAX_ATTEMPTS
        reason = f"The vision engine failed on this image ({type(exc).__name__}: {exc})"
        if final:
            reason += f"; tried {ticket.attempt} times. Retry, or upload a clearer screenshot."
        with session_scope() as session:
            fail_analysis(session=session, ticket=ticket, reason=reason, final=final)
        if final:
            log.exception("analysis of %s failed for good", screenshot_id)
            return "failed"
        raise
    annotated_url = get_store().put(
        screenshot_key(ticket.organization_id, screenshot_id, "annotated.png"),
        annotated,
        "image/png",
    )
    with session_scope() as session:
        done = finish_analysis(
            session=session, ticket=ticket, analysis=analysis, annotated_url=annotated_url
        )
    return "analyzed" if done else "superseded"


_WAITING = {"queued", "scheduled", "deferred", "started"}


def recover_stuck_screenshots(
    *,
    session: Session,
    stale_after_s: float = STALE_AFTER_S,
    lost_after_s: float = LOST_AFTER_S,
    max_attempts: int = ANALYSIS_MAX_ATTEMPTS,
) -> dict[str, list[str]]:
    """Queue again (or fail, once its attempts are spent) every analysis whose worker stopped.

    PROCESSING rows without a heartbeat for ``stale_after_s``, and UPLOADED rows older than
    ``lost_after_s`` whose job is neither queued nor running. For every organization: this
    is maintenance, run by the app, the CLI and tests, never by a person's request.
    """
    now = utcnow()
    stale = session.exec(
        select(Screenshot).where(
            Screenshot.status == ScreenshotStatus.PROCESSING,
            Screenshot.updated_at < now - timedelta(seconds=stale_after_s),
        )
    ).all()
    lost = [
        s
        for s in session.exec(
            select(Screenshot).where(
                Screenshot.status == ScreenshotStatus.UPLOADED,
                Screenshot.updated_at < now - timedelta(seconds=lost_after_s),
            )
        ).all()
        if not s.vision_job_id or jobs.job_state(s.vision_job_id)["status"] not in _WAITING
    ]
    result: dict[str, list[str]] = {"requeued": [], "failed": []}
    for screenshot in [*stale, *lost]:
        # Claim the row: only one recovering process acts on it.
        claimed = session.execute(
            sa.update(Screenshot)
            .where(
                Screenshot.id == screenshot.id,
                Screenshot.status == screenshot.status,
                Screenshot.analysis_attempts == screenshot.analysis_attempts,
            )
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        session.refresh(screenshot)
        if screenshot.analysis_attempts >= max_attempts:
            screenshot.status = ScreenshotStatus.FAILED
            screenshot.failure_reason = WORKER_STOPPED.format(n=screenshot.analysis_attempts)
            session.add(screenshot)
            session.flush()
            result["failed"].append(screenshot.id)
        else:
            requeue(session, screenshot, reset_attempts=False)
            result["requeued"].append(screenshot.id)
        log.warning("recovered stuck screenshot %s: %s", screenshot.id, screenshot.status)
    return result


def recover_now() -> dict[str, list[str]]:
    """One recovery pass in its own transaction (for the app's timer and the CLI)."""
    with session_scope() as session:
        return recover_stuck_screenshots(session=session)

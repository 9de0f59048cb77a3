"""The analysis steps: claim, finish (elements replaced, never duplicated), fail, recover."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from techledger.enums import ElementType, QuestionStatus, QuestionType, Role, ScreenshotStatus
from techledger.models import DetectedElement, Screenshot, TrainingQuestion
from techledger.models.base import utcnow
from techledger.services import analysis, screenshots, workflows
from techledger.vision import Analysis, Element, bounding_box
from tests import screenshot_images as images
from tests.factories import org_with_roles
from tests.workflow_fixtures import enqueued, store  # noqa: F401  (fixtures)


def _analysis(*texts: str) -> Analysis:
    elements = [
        Element(
            ElementType.BUTTON, bounding_box(10, 20 + 40 * i, 80, 30), t, 0.9, {"color": "#fff"}
        )
        for i, t in enumerate(texts)
    ]
    result = {
        "text": {"fullText": " ".join(texts), "words": []},
        "objects": [],
        "metadata": {"width": 480, "height": 320},
    }
    return Analysis(width=480, height=320, elements=elements, analysis_result=result)


@pytest.fixture
def shot(session, store):  # noqa: ANN001, ANN201, F811
    org, actors = org_with_roles(session)
    wf = workflows.create_workflow(
        session=session, actor=actors[Role.MEMBER], name="Lead", application_name="Acme"
    )
    return screenshots.upload_screenshot(
        session=session,
        actor=actors[Role.MEMBER],
        workflow_id=wf.id,
        filename="a.png",
        data=images.form_png(),
    ), actors


def _elements(session, screenshot_id):  # noqa: ANN001, ANN202
    return session.exec(
        select(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
    ).all()


def test_claim_finish_and_training_hook(session, shot, monkeypatch):  # noqa: ANN001
    screenshot, _ = shot
    handed_over = []
    monkeypatch.setattr(
        analysis.training,
        "after_analysis",
        lambda *, session, screenshot_id: handed_over.append(screenshot_id),
    )
    assert (
        analysis.start_analysis(session=session, screenshot_id=screenshot.id, job_id="not-this-one")
        is None
    )
    ticket = analysis.start_analysis(
        session=session, screenshot_id=screenshot.id, job_id=screenshot.vision_job_id
    )
    session.refresh(screenshot)
    assert screenshot.status == ScreenshotStatus.PROCESSING
    assert screenshot.analysis_attempts == ticket.attempt == 1
    assert screenshot.processing_started_at is not None
    assert screenshot.vision_job_id == ticket.job_id
    assert analysis.finish_analysis(
        session=session,
        ticket=ticket,
        analysis=_analysis("Save", "Cancel"),
        annotated_url="file:///x/annotated.png",
    )
    session.refresh(screenshot)
    assert screenshot.status == ScreenshotStatus.ANALYZED and screenshot.processed_at
    assert screenshot.analysis_result["text"]["fullText"] == "Save Cancel"
    assert sorted(e.text for e in _elements(session, screenshot.id)) == ["Cancel", "Save"]
    assert handed_over == [screenshot.id]
    # A job for an analysed screenshot does nothing.
    assert (
        analysis.start_analysis(
            session=session, screenshot_id=screenshot.id, job_id=screenshot.vision_job_id
        )
        is None
    )


def test_reanalysis_replaces_elements_and_pending_questions_only(session, shot):  # noqa: ANN001
    screenshot, actors = shot
    ticket = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    analysis.finish_analysis(session=session, ticket=ticket, analysis=_analysis("Save", "Cancel"))
    first = _elements(session, screenshot.id)
    for status, element in (
        (QuestionStatus.PENDING, first[0]),
        (QuestionStatus.ANSWERED, first[1]),
    ):
        session.add(
            TrainingQuestion(
                user_id=actors[Role.MEMBER].user_id,
                screenshot_id=screenshot.id,
                detected_element_id=element.id,
                question_text="What happens when you click it?",
                question_type=QuestionType.ACTION,
                status=status,
            )
        )
    session.flush()
    for _ in range(2):  # twice: still no duplicates
        screenshots.reanalyze_screenshot(
            session=session, actor=actors[Role.MEMBER], screenshot_id=screenshot.id
        )
        ticket = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
        analysis.finish_analysis(
            session=session, ticket=ticket, analysis=_analysis("Save", "Cancel", "Delete")
        )
        session.expire_all()
        assert sorted(e.text for e in _elements(session, screenshot.id)) == [
            "Cancel",
            "Delete",
            "Save",
        ]
    questions = session.exec(
        select(TrainingQuestion).where(TrainingQuestion.screenshot_id == screenshot.id)
    ).all()
    # The answered question stays (its element is gone); the old pending one is replaced by the
    # training step's questions about the new elements: one each at most, none about old ones.
    answered = [q for q in questions if q.status == QuestionStatus.ANSWERED]
    assert [(q.status, q.detected_element_id) for q in answered] == [
        (QuestionStatus.ANSWERED, None)
    ]
    current = {e.id for e in _elements(session, screenshot.id)}
    pending = [q.detected_element_id for q in questions if q.status == QuestionStatus.PENDING]
    assert set(pending) <= current and len(pending) == len(set(pending))


def test_failed_attempts_go_back_to_uploaded_then_fail_for_good(session, shot):  # noqa: ANN001
    screenshot, _ = shot
    ticket = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    assert analysis.fail_analysis(
        session=session, ticket=ticket, reason="engine crashed", final=False
    )
    session.refresh(screenshot)
    assert screenshot.status == ScreenshotStatus.UPLOADED
    assert screenshot.failure_reason == "Attempt 1 failed (engine crashed); trying again."
    ticket = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    assert ticket.attempt == 2
    analysis.fail_analysis(
        session=session, ticket=ticket, reason="The stored file is missing.", final=True
    )
    session.refresh(screenshot)
    assert (screenshot.status, screenshot.failure_reason) == (
        ScreenshotStatus.FAILED,
        "The stored file is missing.",
    )


def test_a_superseded_attempt_changes_nothing(session, shot):  # noqa: ANN001
    screenshot, _ = shot
    old = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    analysis.fail_analysis(session=session, ticket=old, reason="x", final=False)
    new = analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    assert not analysis.finish_analysis(session=session, ticket=old, analysis=_analysis("Old"))
    assert not analysis.fail_analysis(session=session, ticket=old, reason="late", final=True)
    assert analysis.finish_analysis(session=session, ticket=new, analysis=_analysis("New"))
    assert [e.text for e in _elements(session, screenshot.id)] == ["New"]


def _age(session, screenshot_id, seconds):  # noqa: ANN001, ANN202
    session.execute(
        sa.update(Screenshot)
        .where(Screenshot.id == screenshot_id)
        .values(updated_at=utcnow() - timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()


def test_recovery_requeues_then_fails_after_max_attempts(session, shot, monkeypatch, enqueued):  # noqa: ANN001, F811
    screenshot, _ = shot
    monkeypatch.setattr(analysis.jobs, "job_state", lambda _id: {"status": "unknown", "error": ""})
    analysis.start_analysis(session=session, screenshot_id=screenshot.id)
    # A live heartbeat: left alone.
    assert analysis.recover_stuck_screenshots(session=session) == {"requeued": [], "failed": []}
    _age(session, screenshot.id, analysis.STALE_AFTER_S + 5)
    old_job = screenshot.vision_job_id
    result = analysis.recover_stuck_screenshots(session=session)
    assert result == {"requeued": [screenshot.id], "failed": []}
    session.refresh(screenshot)
    assert screenshot.status == ScreenshotStatus.UPLOADED and screenshot.vision_job_id != old_job
    session.commit()
    assert enqueued[-1][1] == (screenshot.id, screenshot.vision_job_id)
    # Two more attempts die the same way: the third is failed with the reason.
    for _ in range(2):
        analysis.start_analysis(
            session=session, screenshot_id=screenshot.id, job_id=screenshot.vision_job_id
        )
        _age(session, screenshot.id, analysis.STALE_AFTER_S + 5)
        result = analysis.recover_stuck_screenshots(session=session)
        session.refresh(screenshot)
    assert result == {"requeued": [], "failed": [screenshot.id]}
    assert screenshot.status == ScreenshotStatus.FAILED
    assert screenshot.failure_reason == "The analysis worker stopped; retried 3 times."


def test_recovery_of_uploads_whose_job_was_lost(session, shot, monkeypatch):  # noqa: ANN001
    screenshot, _ = shot
    states = {"status": "queued", "error": ""}
    monkeypatch.setattr(analysis.jobs, "job_state", lambda _id: states)
    _age(session, screenshot.id, analysis.LOST_AFTER_S + 5)
    assert analysis.recover_stuck_screenshots(session=session)["requeued"] == []  # still queued
    states["status"] = "unknown"  # e.g. the in-process queue died with its process
    assert analysis.recover_stuck_screenshots(session=session)["requeued"] == [screenshot.id]

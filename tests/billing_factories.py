"""Rows the billing and retention tests need beyond tests/factories.py (workflows, screenshots,
questions), written directly: the services that create them live on other branches."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from techledger.enums import ElementType, QuestionStatus, QuestionType, WorkflowStatus
from techledger.models import (
    DetectedElement,
    Organization,
    Pattern,
    Screenshot,
    TrainingAnswer,
    TrainingQuestion,
    Workflow,
)
from techledger.models.base import utcnow


def make_workflow(
    session: Session,
    org: Organization,
    user_id: str,
    status: WorkflowStatus = WorkflowStatus.ACTIVE,
    name: str = "Create a lead",
) -> Workflow:
    workflow = Workflow(
        organization_id=org.id,
        user_id=user_id,
        name=name,
        application_name="Salesforce",
        status=status,
    )
    session.add(workflow)
    session.flush()
    return workflow


def make_screenshot(
    session: Session,
    workflow: Workflow,
    created_at: datetime | None = None,
    *,
    urls: dict[str, str] | None = None,
) -> Screenshot:
    urls = urls or {}
    shot = Screenshot(
        user_id=workflow.user_id,
        workflow_id=workflow.id,
        original_url=urls.get("original", "file:///nowhere/original.png"),
        thumbnail_url=urls.get("thumbnail"),
        annotated_url=urls.get("annotated"),
        file_size=1234,
        dimensions={"width": 1280, "height": 800, "aspectRatio": 1.6},
        created_at=created_at or utcnow(),
    )
    session.add(shot)
    session.flush()
    return shot


def make_element(session: Session, shot: Screenshot, text: str = "Submit") -> DetectedElement:
    element = DetectedElement(
        screenshot_id=shot.id,
        element_type=ElementType.BUTTON,
        bounding_box={"top": 10, "left": 20, "width": 100, "height": 30},
        text=text,
        confidence=0.9,
    )
    session.add(element)
    session.flush()
    return element


def make_question(
    session: Session,
    shot: Screenshot,
    created_at: datetime | None = None,
    status: QuestionStatus = QuestionStatus.PENDING,
    element: DetectedElement | None = None,
) -> TrainingQuestion:
    question = TrainingQuestion(
        user_id=shot.user_id,
        screenshot_id=shot.id,
        detected_element_id=element.id if element else None,
        question_text='What happens when you click "Submit"?',
        question_type=QuestionType.ACTION,
        status=status,
        created_at=created_at or utcnow(),
    )
    session.add(question)
    session.flush()
    return question


def answer_with_pattern(
    session: Session, question: TrainingQuestion, org: Organization
) -> tuple[TrainingAnswer, Pattern]:
    answer = TrainingAnswer(
        question_id=question.id, user_id=question.user_id, answer_text="Saves the lead"
    )
    session.add(answer)
    session.flush()
    pattern = Pattern(
        user_id=question.user_id,
        organization_id=org.id,
        answer_id=answer.id,
        application_name="Salesforce",
        element_type=ElementType.BUTTON,
        bounding_box={"top": 10, "left": 20, "width": 100, "height": 30},
        text="Submit",
        purpose="Saves the lead",
        action="Click to save",
    )
    session.add(pattern)
    session.flush()
    return answer, pattern

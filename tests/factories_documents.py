"""Trained workflows as rows, with real PNG screenshots in the blob store, for document tests.

The upload/analysis and training capabilities fill these tables in the product; here they are
written directly so documents can be tested and measured on their own.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field

from PIL import Image, ImageDraw
from sqlmodel import Session

from techledger.enums import ElementType, QuestionStatus, QuestionType, ScreenshotStatus
from techledger.models import (
    Action,
    ActionGroup,
    Department,
    DetectedElement,
    Pattern,
    PracticeGroup,
    Screenshot,
    System,
    TrainingAnswer,
    TrainingQuestion,
    Workflow,
)
from techledger.services.actor import Actor
from techledger.storage import get_store

_seq = itertools.count(1)


@dataclass
class ElementSpec:
    """One element drawn on a screen and, optionally, what was learned about it."""

    element_type: ElementType
    text: str
    box: tuple[int, int, int, int]  # left, top, width, height
    answer: str | None = None  # an answer to an ACTION/INPUT question
    pattern_action: str | None = None  # or a matched pattern's "how to use it"
    context: str | None = None  # an answer to a CONTEXT question


@dataclass
class ScreenSpec:
    filename: str
    elements: list[ElementSpec] = field(default_factory=list)
    position: int | None = None


def screen_png(elements: list[ElementSpec], size: tuple[int, int] = (1024, 640)) -> bytes:
    """A small but real screenshot: a window with the elements drawn where their boxes are."""
    image = Image.new("RGB", size, (246, 247, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 44), fill=(30, 41, 59))
    for spec in elements:
        left, top, width, height = spec.box
        fill = {
            ElementType.BUTTON: (62, 99, 221),
            ElementType.INPUT: (255, 255, 255),
            ElementType.DROPDOWN: (255, 255, 255),
        }.get(spec.element_type, (235, 236, 240))
        draw.rectangle((left, top, left + width, top + height), fill=fill, outline=(150, 155, 165))
        color = (255, 255, 255) if spec.element_type == ElementType.BUTTON else (30, 30, 30)
        draw.text((left + 8, top + max(2, height // 2 - 6)), spec.text, fill=color)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def lead_screens() -> list[ScreenSpec]:
    """'Create a lead' in Salesforce: two screens, answers, a pattern and an untrained element."""
    return [
        ScreenSpec(
            "lead-form.png",
            [
                ElementSpec(ElementType.BUTTON, "Save", (700, 520, 120, 40), answer="Saves the lead"),
                ElementSpec(ElementType.INPUT, "Email", (80, 200, 320, 34), answer="The lead's email"),
                ElementSpec(ElementType.INPUT, "Company", (480, 200, 320, 34), pattern_action="Enter the company name"),
                ElementSpec(ElementType.INPUT, "Last name", (80, 120, 320, 34), answer="The lead's last name",
                            context="Sales reps search leads by last name."),
                ElementSpec(ElementType.LABEL, "Unknown widget", (80, 400, 160, 20)),  # not trained
            ],
        ),
        ScreenSpec(
            "confirmation.png",
            [
                ElementSpec(ElementType.BUTTON, "Submit", (420, 300, 140, 44), answer="Creates the lead"),
                ElementSpec(ElementType.CHECKBOX, "Notify owner", (100, 300, 20, 20),
                            pattern_action="Click to send the owner an email"),
            ],
        ),
    ]  # fmt: skip


def make_action(
    session: Session,
    organization_id: str,
    application: str = "Salesforce",
    name: str = "Create Lead from Web Form",
) -> Action:
    """System > Department > Practice group > Action group > Action, for linking documents."""
    n = next(_seq)
    system = System(organization_id=organization_id, name=f"Sales & Marketing {n}")
    session.add(system)
    session.flush()
    department = Department(system_id=system.id, name="Customer Relations")
    session.add(department)
    session.flush()
    practice = PracticeGroup(department_id=department.id, name="Lead Management")
    session.add(practice)
    session.flush()
    group = ActionGroup(practice_group_id=practice.id, name="Lead Creation")
    session.add(group)
    session.flush()
    action = Action(action_group_id=group.id, name=name, application_name=application)
    session.add(action)
    session.flush()
    return action


def make_trained_workflow(
    session: Session,
    actor: Actor,
    screens: list[ScreenSpec] | None = None,
    *,
    name: str = "Create a Lead",
    application: str = "Salesforce",
    action: Action | None = None,
    size: tuple[int, int] = (1024, 640),
) -> Workflow:
    """A workflow with screenshots stored as PNGs, elements, questions, answers and patterns."""
    screens = screens if screens is not None else lead_screens()
    workflow = Workflow(
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        action_id=action.id if action else None,
        name=name,
        application_name=application,
    )
    session.add(workflow)
    session.flush()
    store = get_store()
    for index, screen in enumerate(screens):
        add_screen(
            session,
            actor,
            workflow,
            screen,
            index if screen.position is None else screen.position,
            store,
            size,
        )
    session.flush()
    return workflow


def add_screen(
    session, actor, workflow, screen, position, store=None, size=(1024, 640)
) -> Screenshot:  # noqa: ANN001
    """One screenshot of ``workflow`` with its elements and what was learned about them."""
    store = store or get_store()
    data = screen_png(screen.elements, size)
    screenshot = Screenshot(
        user_id=actor.user_id,
        workflow_id=workflow.id,
        original_url="pending",
        file_size=len(data),
        dimensions={
            "width": size[0],
            "height": size[1],
            "aspectRatio": round(size[0] / size[1], 3),
        },
        status=ScreenshotStatus.ANALYZED,
        position=position,
        original_filename=screen.filename,
    )
    session.add(screenshot)
    session.flush()
    screenshot.original_url = store.put(
        f"orgs/{actor.organization_id}/screenshots/{screenshot.id}/original.png", data, "image/png"
    )
    session.add(screenshot)
    for spec in screen.elements:
        left, top, width, height = spec.box
        element = DetectedElement(
            screenshot_id=screenshot.id,
            element_type=spec.element_type,
            bounding_box={"top": top, "left": left, "width": width, "height": height},
            text=spec.text,
            confidence=0.95,
        )
        session.add(element)
        session.flush()
        if spec.pattern_action:
            pattern = Pattern(
                user_id=actor.user_id,
                organization_id=actor.organization_id,
                application_name=workflow.application_name,
                element_type=spec.element_type,
                bounding_box=element.bounding_box,
                text=spec.text,
                purpose=f"{spec.text} field",
                action=spec.pattern_action,
            )
            session.add(pattern)
            session.flush()
            element.pattern_id, element.match_confidence = pattern.id, 0.9
            session.add(element)
        for kind, text in ((None, spec.answer), (QuestionType.CONTEXT, spec.context)):
            if not text:
                continue
            kind = kind or (
                QuestionType.INPUT
                if spec.element_type == ElementType.INPUT
                else QuestionType.ACTION
            )
            question = TrainingQuestion(
                user_id=actor.user_id,
                screenshot_id=screenshot.id,
                detected_element_id=element.id,
                question_text=f'What about "{spec.text}" on this screen?',
                question_type=kind,
                status=QuestionStatus.ANSWERED,
            )
            session.add(question)
            session.flush()
            session.add(
                TrainingAnswer(question_id=question.id, user_id=actor.user_id, answer_text=text)
            )
    session.flush()
    return screenshot


def big_screens(count: int = 50, steps: int = 400) -> list[ScreenSpec]:
    """``count`` screens with ``steps`` trained elements in all (for the benchmark)."""
    per = [steps // count + (1 if i < steps % count else 0) for i in range(count)]
    kinds = [ElementType.INPUT, ElementType.BUTTON, ElementType.DROPDOWN, ElementType.CHECKBOX]
    screens = []
    for i, n in enumerate(per):
        elements = []
        for k in range(n):
            kind = kinds[k % len(kinds)]
            box = (
                60 + (k % 2) * 460,
                70 + (k // 2) * 68,
                380 if kind != ElementType.CHECKBOX else 22,
                34,
            )
            answer = {
                ElementType.INPUT: f"The customer's detail number {k + 1}",
                ElementType.BUTTON: f"Saves section {k + 1} of the record",
                ElementType.DROPDOWN: f"The stage of step {k + 1}",
                ElementType.CHECKBOX: f"Marks item {k + 1} as done",
            }[kind]
            elements.append(ElementSpec(kind, f"Field {i + 1}.{k + 1}", box, answer=answer))
        screens.append(ScreenSpec(f"screen-{i + 1:02d}.png", elements))
    return screens


def use_store(path) -> None:  # noqa: ANN001
    """Point the blob store at a folder for this test process."""
    import os

    from techledger.settings import get_settings

    os.environ["STORAGE_URL"] = f"file://{path}"
    get_settings.cache_clear()
    get_store.cache_clear()

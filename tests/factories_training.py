"""Builders of workflows, screenshots and detected elements for training tests and benchmarks.

They write rows directly (the upload/analysis pipeline belongs to another capability) and then
call the same hook the analysis job calls: ``training.after_analysis``.
"""

from __future__ import annotations

import io
import itertools

from sqlmodel import Session

from techledger.enums import ElementType, ScreenshotStatus
from techledger.models import DetectedElement, Screenshot, Workflow
from techledger.services import training
from techledger.services.actor import Actor

_seq = itertools.count(1)

# (type, text, (left, top, width, height)) of a small "New lead" form.
LEAD_FORM = [
    (ElementType.LABEL, "New lead", (40, 30, 200, 32)),
    (ElementType.LABEL, "First name", (40, 100, 120, 20)),
    (ElementType.INPUT, "", (40, 124, 300, 32)),
    (ElementType.LABEL, "Email *", (40, 180, 120, 20)),
    (ElementType.INPUT, "", (40, 204, 300, 32)),
    (ElementType.LABEL, "Stage", (40, 260, 120, 20)),
    (ElementType.DROPDOWN, "Prospecting", (40, 284, 300, 32)),
    (ElementType.CHECKBOX, "", (40, 340, 18, 18)),
    (ElementType.LABEL, "Send welcome email", (66, 339, 180, 20)),
    (ElementType.BUTTON, "Save", (40, 400, 96, 36)),
    (ElementType.BUTTON, "Cancel", (150, 400, 96, 36)),
    (ElementType.LINK, "Help", (1180, 30, 60, 20)),
]


def png_bytes(width: int = 1280, height: int = 800) -> bytes:
    """A real PNG of the given size with a few grey bars standing in for a form."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for _, _, (left, top, w, h) in LEAD_FORM:
        if left + w <= width and top + h <= height:
            draw.rectangle([left, top, left + w, top + h], outline="#8a94a6", fill="#f1f3f8")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_workflow(
    session: Session, actor: Actor, *, application: str = "Salesforce", name: str | None = None
) -> Workflow:
    workflow = Workflow(
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        name=name or f"Create lead {next(_seq)}",
        application_name=application,
    )
    session.add(workflow)
    session.flush()
    return workflow


def make_screenshot(
    session: Session,
    workflow: Workflow,
    *,
    width: int = 1280,
    height: int = 800,
    position: int = 0,
    store_png: bool = False,
) -> Screenshot:
    url = f"file:///nowhere/{next(_seq)}.png"
    size = 1000
    if store_png:
        from techledger.storage import get_store

        data = png_bytes(width, height)
        url = get_store().put(
            f"orgs/{workflow.organization_id}/screenshots/{next(_seq)}/original.png",
            data,
            "image/png",
        )
        size = len(data)
    screenshot = Screenshot(
        user_id=workflow.user_id,
        workflow_id=workflow.id,
        original_url=url,
        file_size=size,
        dimensions={"width": width, "height": height, "aspectRatio": round(width / height, 3)},
        status=ScreenshotStatus.ANALYZED,
        position=position,
    )
    session.add(screenshot)
    session.flush()
    return screenshot


def add_element(
    session: Session,
    screenshot: Screenshot,
    element_type: ElementType,
    text: str | None,
    box: tuple[float, float, float, float],
    properties: dict | None = None,
) -> DetectedElement:
    left, top, width, height = box
    element = DetectedElement(
        screenshot_id=screenshot.id,
        element_type=element_type,
        bounding_box={"left": left, "top": top, "width": width, "height": height},
        text=text or None,
        confidence=0.95,
        properties=properties,
    )
    session.add(element)
    session.flush()
    return element


def analyzed_screenshot(
    session: Session,
    workflow: Workflow,
    elements: list[tuple] | None = None,
    *,
    width: int = 1280,
    height: int = 800,
    position: int = 0,
    store_png: bool = False,
) -> tuple[Screenshot, list[DetectedElement]]:
    """A screenshot with ``elements`` stored, then matched and asked about (the analysis hook)."""
    screenshot = make_screenshot(
        session, workflow, width=width, height=height, position=position, store_png=store_png
    )
    rows = [
        add_element(session, screenshot, t, text, box, *(rest or ()))
        for t, text, box, *rest in (elements if elements is not None else LEAD_FORM)
    ]
    training.after_analysis(session=session, screenshot_id=screenshot.id)
    for row in rows:
        session.refresh(row)
    return screenshot, rows

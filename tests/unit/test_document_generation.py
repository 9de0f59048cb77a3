"""Generating a guide from a trained workflow."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from techledger.enums import DocumentStatus, ElementType, Role
from techledger.models import DocumentVersion
from techledger.services import document_generation as generation
from techledger.services import documents
from techledger.services.document_images import STEP_IMAGE_URL, step_image_key
from techledger.services.errors import InvalidInput, NotFound, PermissionDenied
from techledger.storage import get_store
from tests.factories import org_with_roles
from tests.factories_documents import (
    ElementSpec,
    ScreenSpec,
    lead_screens,
    make_action,
    make_trained_workflow,
    use_store,
)


@pytest.fixture(autouse=True)
def _store(tmp_path):
    use_store(tmp_path / "files")


def test_generation_orders_screens_and_steps_and_tells_each_step(session):
    org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    action = make_action(session, org.id)
    screens = lead_screens()
    screens[0].position, screens[1].position = 1, 0  # the confirmation screen comes first
    workflow = make_trained_workflow(session, member, screens, action=action)

    document = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)

    assert document.status == DocumentStatus.DRAFT and document.version == 1
    assert document.action_id == action.id and document.workflow_id == workflow.id
    assert document.title == "How to create a Lead in Salesforce"
    lines = [line.strip() for line in document.content.splitlines() if line.strip()]
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Screen 1: Confirmation", "## Screen 2: Lead form"]
    steps = [line for line in lines if line[:1].isdigit()]
    assert steps == [
        "1. Check **Notify owner** to send the owner an email.",  # pattern, top 300 left 100
        "2. Click **Submit** to create the lead.",  # answer, top 300 left 420
        "3. Enter the lead's last name in **Last name**.",  # top 120
        "4. Enter the lead's email in **Email**.",  # top 200, left 80
        "5. Enter the company name in **Company**.",  # top 200, left 480 (from the pattern)
        "6. Click **Save** to save the lead.",  # top 520
    ]
    assert "_Why:_ Sales reps search leads by last name." in document.content
    assert "Unknown widget" not in document.content  # untrained elements are not steps
    images = STEP_IMAGE_URL.findall(document.content)
    assert len(images) == 6
    meta = document.meta
    assert meta["screenshotCount"] == 2 and meta["stepCount"] == 6
    assert meta["difficulty"] == "beginner" and meta["estimatedReadTime"] >= 1
    assert meta["wordCount"] == generation.count_words(document.content) > 30
    assert meta["tags"][0] == "salesforce" and "lead" in meta["tags"]
    versions = session.exec(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id)
    ).all()
    assert [v.version for v in versions] == [1]


def test_step_images_are_real_crops_stored_beside_the_original(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_trained_workflow(session, member)
    document = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    store = get_store()
    from techledger.models import Screenshot

    for screenshot_id, name in STEP_IMAGE_URL.findall(document.content):
        shot = session.get(Screenshot, screenshot_id)
        original_key = store.key_for_url(shot.original_url)
        key = step_image_key(original_key, name)
        assert key.rsplit("/steps/", 1)[0] == original_key.rsplit("/", 1)[0]
        image = Image.open(io.BytesIO(store.get(key)))
        assert image.format == "PNG" and 200 <= image.width <= 720 and image.height >= 100
        # the highlight is drawn in the accent red somewhere on the crop
        assert (229, 72, 77) in {c for _n, c in image.convert("RGB").getcolors(1 << 20)}


def test_regenerating_after_more_training_makes_a_new_version(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    screens = lead_screens()
    workflow = make_trained_workflow(session, member, screens)
    first = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    first_content = first.content
    # more training: the untrained element now has an answer
    from techledger.models import DetectedElement, TrainingAnswer, TrainingQuestion

    element = session.exec(
        select(DetectedElement).where(DetectedElement.text == "Unknown widget")
    ).one()
    question = TrainingQuestion(
        user_id=member.user_id,
        screenshot_id=element.screenshot_id,
        detected_element_id=element.id,
        question_text="What is this widget for?",
        question_type="PURPOSE",
    )
    session.add(question)
    session.flush()
    session.add(
        TrainingAnswer(
            question_id=question.id, user_id=member.user_id, answer_text="the lead's source"
        )
    )
    session.flush()

    again = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    assert again.id == first.id and again.version == 2
    assert "Look at **Unknown widget**: the lead's source." in again.content
    rows = session.exec(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == first.id)
        .order_by(DocumentVersion.version)
    ).all()
    assert [r.version for r in rows] == [1, 2]
    assert rows[0].content == first_content  # version 1 is untouched


def test_regenerating_a_published_guide_keeps_readers_on_the_published_version(session):
    _org, actors = org_with_roles(session)
    member, admin, viewer = actors[Role.MEMBER], actors[Role.ADMIN], actors[Role.VIEWER]
    workflow = make_trained_workflow(session, member)
    doc = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    documents.submit_for_review(session=session, actor=member, document_id=doc.id, note="ready")
    documents.approve(session=session, actor=admin, document_id=doc.id)
    published = documents.get_document(session=session, actor=viewer, document_id=doc.id)
    again = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    assert (
        again.status == DocumentStatus.DRAFT
        and again.published_version == published["reading_version"]
    )
    seen = documents.get_document(session=session, actor=viewer, document_id=doc.id)
    assert seen["reading_version"] == published["reading_version"]
    assert seen["status"] == "PUBLISHED"


def test_generation_refusals(session):
    org, actors = org_with_roles(session)
    workflow = make_trained_workflow(session, actors[Role.MEMBER])
    with pytest.raises(PermissionDenied):
        generation.generate_document(
            session=session, actor=actors[Role.VIEWER], workflow_id=workflow.id
        )
    other_org, others = org_with_roles(session)
    with pytest.raises(NotFound):
        generation.generate_document(
            session=session, actor=others[Role.OWNER], workflow_id=workflow.id
        )
    untrained = make_trained_workflow(
        session,
        actors[Role.MEMBER],
        [ScreenSpec("a.png", [ElementSpec(ElementType.BUTTON, "Go", (10, 60, 80, 30))])],
    )
    with pytest.raises(InvalidInput, match="trained"):
        generation.generate_document(
            session=session, actor=actors[Role.MEMBER], workflow_id=untrained.id
        )
    empty = make_trained_workflow(session, actors[Role.MEMBER], [])
    with pytest.raises(InvalidInput, match="no screenshots"):
        generation.generate_document(
            session=session, actor=actors[Role.MEMBER], workflow_id=empty.id
        )


@pytest.mark.parametrize(
    ("kind", "label", "text", "expected"),
    [
        (ElementType.BUTTON, "Submit", "Creates the lead", "Click **Submit** to create the lead."),
        (
            ElementType.BUTTON,
            "Submit",
            "Click to create new lead",
            "Click **Submit** to create new lead.",
        ),
        (ElementType.BUTTON, "Next", "the next page opens", "Click **Next**: the next page opens."),
        (ElementType.INPUT, "Email", "The lead's email", "Enter the lead's email in **Email**."),
        (
            ElementType.INPUT,
            "Email",
            "Enter the lead's email.",
            "Enter the lead's email in **Email**.",
        ),
        (
            ElementType.DROPDOWN,
            "Stage",
            "the opportunity stage",
            "Choose the opportunity stage in **Stage**.",
        ),
        (ElementType.LINK, "Help", "Opens the help", "Click **Help** to open the help."),
        (
            ElementType.BUTTON,
            "<b>x</b>",
            "Runs *it*",
            "Click **\\<b\\>x\\</b\\>** to run \\*it\\*.",
        ),
        (ElementType.BUTTON, "", "Finishes", "Click the button to finish."),
    ],
)
def test_phrasing(kind, label, text, expected):
    assert generation.phrase_step(kind, label, text) == expected

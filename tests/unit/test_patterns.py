"""The pattern library: listing, editing, soft delete, merge, usages, export and import."""

from __future__ import annotations

import pytest
from sqlmodel import select

from techledger.enums import ElementType, Role
from techledger.models import DetectedElement, Pattern, TrainingQuestion
from techledger.services import patterns, training
from techledger.services.errors import InvalidInput
from tests.factories import org_with_roles
from tests.factories_training import analyzed_screenshot, make_workflow


def _teach(session, actor, workflow, text, answer):  # noqa: ANN001, ANN202
    _, els = analyzed_screenshot(
        session, workflow, [(ElementType.BUTTON, text, (100, 100, 80, 30))]
    )
    question = session.exec(
        select(TrainingQuestion).where(TrainingQuestion.detected_element_id == els[0].id)
    ).first()
    return training.answer_question(
        session=session, actor=actor, question_id=question.id, answer_text=answer
    )["pattern_id"]


def test_list_edit_deactivate_and_usages(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member, application="SAP")
    pid = _teach(session, member, workflow, "Post", "Posts the invoice.")
    analyzed_screenshot(session, workflow, [(ElementType.BUTTON, "POST", (100, 100, 80, 30))])
    rows = patterns.list_patterns(session=session, actor=member, application="sap")
    assert [r["id"] for r in rows] == [pid]
    assert rows[0]["usage_count"] == 2 and rows[0]["last_used"] != "never"
    assert patterns.list_applications(session=session, actor=member) == [
        {"application": "SAP", "total": 1, "active": 1}
    ]
    assert patterns.list_patterns(session=session, actor=member, search="invoice")[0]["id"] == pid
    assert patterns.list_patterns(session=session, actor=member, search="nothing") == []
    edited = patterns.update_pattern(
        session=session,
        actor=member,
        pattern_id=pid,
        purpose="Books the invoice",
        action="Click once the lines are checked.",
        business_context="Finance closes at 5 pm.",
    )
    assert edited["purpose"] == "Books the invoice"
    with pytest.raises(InvalidInput, match="Purpose is required"):
        patterns.update_pattern(
            session=session, actor=member, pattern_id=pid, purpose=" ", action="a"
        )
    with pytest.raises(InvalidInput, match="Action is 1,001 characters long"):
        patterns.update_pattern(
            session=session, actor=member, pattern_id=pid, purpose="p", action="a" * 1001
        )
    usages = patterns.pattern_usages(session=session, actor=member, pattern_id=pid)
    assert len(usages) == 2 and usages[0]["workflow"] == workflow.name
    patterns.set_pattern_active(session=session, actor=member, pattern_id=pid, active=False)
    assert patterns.list_patterns(session=session, actor=member, show_inactive=False) == []
    assert patterns.list_patterns(session=session, actor=member)[0]["is_active"] is False


def test_teaching_the_same_text_again_updates_the_pattern(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    first = _teach(session, member, workflow, "Export", "Downloads a CSV.")
    # A deactivated pattern taught again comes back (the answer is explicit teaching).
    patterns.set_pattern_active(session=session, actor=member, pattern_id=first, active=False)
    second = _teach(session, member, workflow, "export ", "Downloads an Excel file.")
    assert first == second
    pattern = session.get(Pattern, first)
    assert pattern.is_active and pattern.action == "Downloads an Excel file."


def test_merge_moves_usages_and_deactivates_duplicates(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    keep = _teach(session, member, workflow, "Save", "Saves.")
    dup = _teach(session, member, workflow, "Save record", "Saves the record.")
    other_type = patterns.learn_pattern(
        session,
        organization_id=member.organization_id,
        user_id=member.user_id,
        application=workflow.application_name,
        element_type=ElementType.LINK,
        text="Save",
        purpose="p",
        action="a",
    )[0]
    with pytest.raises(InvalidInput, match="same application and element type"):
        patterns.merge_patterns(
            session=session, actor=member, survivor_id=keep, duplicate_ids=[other_type.id]
        )
    with pytest.raises(InvalidInput, match="at least one other pattern"):
        patterns.merge_patterns(
            session=session, actor=member, survivor_id=keep, duplicate_ids=[keep]
        )
    result = patterns.merge_patterns(
        session=session, actor=member, survivor_id=keep, duplicate_ids=[dup]
    )
    assert result["elements_moved"] == 1
    survivor, merged = session.get(Pattern, keep), session.get(Pattern, dup)
    assert survivor.usage_count == 2 and merged.is_active is False and merged.usage_count == 0
    assert (
        session.exec(select(DetectedElement).where(DetectedElement.pattern_id == dup)).all() == []
    )


def test_export_then_import_into_another_organization(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member, application="Zendesk")
    _teach(session, member, workflow, "Solve ticket", "Closes the ticket as solved.")
    document = patterns.export_patterns(session=session, actor=member)
    assert document["format"] == patterns.EXPORT_FORMAT and len(document["patterns"]) == 1
    _, other = org_with_roles(session)
    result = patterns.import_patterns(session=session, actor=other[Role.OWNER], document=document)
    assert result == {"created": 1, "updated": 0, "applications": ["Zendesk"]}
    again = patterns.import_patterns(session=session, actor=other[Role.OWNER], document=document)
    assert again["updated"] == 1 and again["created"] == 0
    # The imported pattern matches in the other organization.
    wf = make_workflow(session, other[Role.MEMBER], application="zendesk")
    _, els = analyzed_screenshot(
        session, wf, [(ElementType.BUTTON, "Solve Ticket", (100, 100, 80, 30))]
    )
    assert els[0].pattern_id is not None


def test_malformed_import_is_refused_whole_with_every_error(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    owner = actors[Role.OWNER]
    document = {
        "patterns": [
            {"application": "CRM", "element_type": "BUTTON", "purpose": "ok", "action": "ok"},
            {"application": "", "element_type": "BUTTON", "purpose": "p", "action": "a"},
            {"application": "CRM", "element_type": "SPINNER", "purpose": "p", "action": "a"},
            {"application": "CRM", "element_type": "LINK", "purpose": "x" * 501, "action": "a"},
            {
                "application": "CRM",
                "element_type": "LINK",
                "purpose": "p",
                "action": "a",
                "confidence": 3,
            },
            "not an object",
        ]
    }
    with pytest.raises(InvalidInput) as caught:
        patterns.import_patterns(session=session, actor=owner, document=document)
    message = caught.value.message
    assert "Nothing was imported: 5 problem(s)" in message
    assert "pattern 2: application is required" in message
    assert "pattern 3: unknown element type 'SPINNER'" in message
    assert "pattern 4: purpose must be 1 to 500 characters (has 501)" in message
    assert "pattern 5: confidence must be between 0 and 1 (got 3)" in message
    assert "pattern 6: must be an object" in message
    assert patterns.list_patterns(session=session, actor=owner) == []
    with pytest.raises(InvalidInput, match='"patterns" list'):
        patterns.import_patterns(session=session, actor=owner, document={"nope": 1})

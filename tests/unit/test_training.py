"""Training services: questions after analysis, answers becoming patterns, the canvas's view."""

from __future__ import annotations

import pytest
from sqlmodel import select

from techledger.enums import ElementType, QuestionStatus, QuestionType, Role
from techledger.models import DetectedElement, Pattern, TrainingAnswer, TrainingQuestion
from techledger.services import patterns, training
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import org_with_roles
from tests.factories_training import LEAD_FORM, analyzed_screenshot, make_workflow


def _questions(session, screenshot_id):  # noqa: ANN001, ANN202
    return list(
        session.exec(
            select(TrainingQuestion)
            .where(TrainingQuestion.screenshot_id == screenshot_id)
            .order_by(TrainingQuestion.priority.desc())
        ).all()
    )


def _by_text(elements, element_type, text=None):  # noqa: ANN001, ANN202
    return next(
        e for e in elements if e.element_type == element_type and (text is None or e.text == text)
    )


def _question_for(session, element):  # noqa: ANN001, ANN202
    return session.exec(
        select(TrainingQuestion).where(TrainingQuestion.detected_element_id == element.id)
    ).first()


@pytest.fixture
def org(session):  # noqa: ANN001, ANN201
    return org_with_roles(session)


def test_questions_after_analysis_are_typed_named_and_ordered(session, org):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    shot, elements = analyzed_screenshot(session, workflow)
    questions = _questions(session, shot.id)
    texts = {q.question_text: q for q in questions}
    # Caption labels are not asked about; the fields' questions name them.
    asked_elements = {q.detected_element_id for q in questions}
    for caption in ("First name", "Email *", "Stage", "Send welcome email"):
        assert _by_text(elements, ElementType.LABEL, caption).id not in asked_elements
    assert 'What happens when you click "Save"?' in texts
    assert 'What goes in the field "First name"?' in texts
    assert 'What goes in the field "Email"?' in texts
    assert 'When do you tick "Send welcome email"?' in texts
    assert 'Where does the link "Help" take you?' in texts
    assert 'What does "New lead" mean here?' in texts  # a heading, not a caption
    # A dropdown is named by its caption, not by the value it shows.
    assert 'What do you choose in the dropdown "Stage", and why?' in texts
    types = {q.question_text: QuestionType(q.question_type) for q in questions}
    assert types['What happens when you click "Save"?'] == QuestionType.ACTION
    assert types['What goes in the field "Email"?'] == QuestionType.INPUT
    assert types['What does "New lead" mean here?'] == QuestionType.PURPOSE
    for q in questions:
        assert 10 <= len(q.question_text) <= 500
        assert 1 <= q.priority <= 10
        assert 1 <= len(q.suggested_answers) <= 5
    # Primary button first, the required field before other fields, the heading last.
    assert questions[0].question_text == 'What happens when you click "Save"?'
    assert (
        texts['What goes in the field "Email"?'].priority
        > texts['What goes in the field "First name"?'].priority
    )
    assert questions[-1].question_text == 'What does "New lead" mean here?'


def test_answer_becomes_pattern_and_next_screenshot_asks_less(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    shot, _ = analyzed_screenshot(session, workflow)
    first = _questions(session, shot.id)
    for question in first:
        training.answer_question(
            session=session, actor=member, question_id=question.id, answer_text="Explained."
        )
    # The same form again, smaller window, another record: everything is recognized.
    moved = [(t, text, (x * 0.8, y * 0.8, w, h)) for t, text, (x, y, w, h) in LEAD_FORM]
    second, elements = analyzed_screenshot(session, workflow, moved, width=1024, height=640)
    assert _questions(session, second.id) == []
    save = _by_text(elements, ElementType.BUTTON, "Save")
    assert save.pattern_id is not None and save.match_confidence >= 0.8
    pattern = session.get(Pattern, save.pattern_id)
    assert pattern.usage_count == 2 and pattern.last_used_at is not None
    email = [e for e in elements if e.element_type == ElementType.INPUT][1]
    assert session.get(Pattern, email.pattern_id).text == "Email *"


def test_answering_resolves_other_open_questions_of_the_organization(session, org):  # noqa: ANN001
    organization, actors = org
    member = actors[Role.MEMBER]
    wf_a = make_workflow(session, member, application="Salesforce")
    wf_b = make_workflow(session, member, application="salesforce ")  # same app, other spelling
    wf_c = make_workflow(session, member, application="HubSpot")
    shot_a, els_a = analyzed_screenshot(session, wf_a)
    shot_b, els_b = analyzed_screenshot(session, wf_b)
    shot_c, els_c = analyzed_screenshot(session, wf_c)
    save_a = _question_for(session, _by_text(els_a, ElementType.BUTTON, "Save"))
    result = training.answer_question(
        session=session, actor=member, question_id=save_a.id, answer_text="Saves the lead."
    )
    assert result["resolved"] == 1
    save_b = _question_for(session, _by_text(els_b, ElementType.BUTTON, "Save"))
    assert save_b.status == QuestionStatus.ANSWERED
    assert (
        session.exec(select(TrainingAnswer).where(TrainingAnswer.question_id == save_b.id)).first()
        is None
    )  # answered by the pattern, not by a person
    assert (
        session.get(DetectedElement, save_b.detected_element_id).pattern_id == result["pattern_id"]
    )
    # Another application is untouched.
    assert _question_for(session, _by_text(els_c, ElementType.BUTTON, "Save")).status == (
        QuestionStatus.PENDING
    )
    # The canvas of B counts it as recognized.
    view = training.training_view(session=session, actor=member, workflow_id=wf_b.id)
    assert view["counts"]["recognized"] == 1
    assert "recognized automatically" in view["progress"]
    box = next(b for b in view["boxes"] if b["text"] == "Save")
    assert box["state"] == "known" and box["pattern_purpose"] == "Saves the lead."
    # Answering B's question now says who taught it.
    with pytest.raises(Conflict, match="already answered"):
        training.answer_question(
            session=session, actor=member, question_id=save_b.id, answer_text="again"
        )


def test_other_organizations_patterns_never_match(session, org):  # noqa: ANN001
    _, actors = org
    _, other_actors = org_with_roles(session)
    mine = make_workflow(session, actors[Role.MEMBER])
    theirs = make_workflow(session, other_actors[Role.MEMBER])
    shot, els = analyzed_screenshot(session, mine)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    training.answer_question(
        session=session, actor=actors[Role.MEMBER], question_id=question.id, answer_text="Saves."
    )
    their_shot, their_els = analyzed_screenshot(session, theirs)
    assert all(e.pattern_id is None for e in their_els)
    assert len(_questions(session, their_shot.id)) == len(_questions(session, shot.id))
    # And their people cannot reach our questions, elements, patterns or workflow.
    intruder = other_actors[Role.OWNER]
    with pytest.raises(NotFound, match="Question not found"):
        training.answer_question(
            session=session, actor=intruder, question_id=question.id, answer_text="x"
        )
    with pytest.raises(NotFound):
        training.skip_question(session=session, actor=intruder, question_id=question.id)
    with pytest.raises(NotFound, match="Workflow not found"):
        training.training_view(session=session, actor=intruder, workflow_id=mine.id)
    with pytest.raises(NotFound):
        training.workflow_stamp(session=session, actor=intruder, workflow_id=mine.id)
    element = _by_text(els, ElementType.BUTTON, "Save")
    with pytest.raises(NotFound, match="Element not found"):
        training.reject_match(session=session, actor=intruder, element_id=element.id)
    with pytest.raises(NotFound):
        training.change_element_type(
            session=session, actor=intruder, element_id=element.id, element_type="LINK"
        )
    with pytest.raises(NotFound, match="Pattern not found"):
        patterns.update_pattern(
            session=session, actor=intruder, pattern_id=element.pattern_id, purpose="p", action="a"
        )
    assert patterns.list_patterns(session=session, actor=intruder) == []


def test_soft_deleted_pattern_is_not_matched(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Cancel"))
    result = training.answer_question(
        session=session, actor=member, question_id=question.id, answer_text="Discards."
    )
    patterns.set_pattern_active(
        session=session, actor=member, pattern_id=result["pattern_id"], active=False
    )
    _, again = analyzed_screenshot(session, workflow)
    assert _by_text(again, ElementType.BUTTON, "Cancel").pattern_id is None
    patterns.set_pattern_active(
        session=session, actor=member, pattern_id=result["pattern_id"], active=True
    )
    _, third = analyzed_screenshot(session, workflow)
    assert _by_text(third, ElementType.BUTTON, "Cancel").pattern_id == result["pattern_id"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The answer is empty"),
        ("   \n ", "The answer is empty"),
        ("x" * 2001, "2,001 characters long; at most 2,000"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(session, org, text, message):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    shot, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    with pytest.raises(InvalidInput, match=message):
        training.answer_question(
            session=session, actor=actors[Role.MEMBER], question_id=question.id, answer_text=text
        )
    session.refresh(question)
    assert question.status == QuestionStatus.PENDING
    assert (
        session.exec(
            select(Pattern).where(Pattern.organization_id == workflow.organization_id)
        ).all()
        == []
    )


def test_longest_answer_and_html_are_kept_verbatim(session, org):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    _, els = analyzed_screenshot(session, workflow)
    prefix = "<script>alert(1)</script><b>Saves</b> "
    html = prefix + "x" * (2000 - len(prefix))
    assert len(html) == 2000
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    result = training.answer_question(
        session=session, actor=actors[Role.MEMBER], question_id=question.id, answer_text=html
    )
    answer = session.get(TrainingAnswer, result["answer_id"])
    assert answer.answer_text == html
    assert session.get(Pattern, result["pattern_id"]).action == html[:1000]


def test_answering_twice_names_who_answered(session, org):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    training.answer_question(
        session=session, actor=actors[Role.MEMBER], question_id=question.id, answer_text="First!"
    )
    with pytest.raises(Conflict, match=r"already answered by Test User: .First!"):
        training.answer_question(
            session=session, actor=actors[Role.ADMIN], question_id=question.id, answer_text="Me"
        )
    with pytest.raises(Conflict, match="already answered"):
        training.skip_question(session=session, actor=actors[Role.ADMIN], question_id=question.id)


def test_question_whose_element_was_deleted_by_reanalysis(session, org):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    _, els = analyzed_screenshot(session, workflow)
    element = _by_text(els, ElementType.BUTTON, "Save")
    question = _question_for(session, element)
    session.delete(element)
    session.flush()
    session.expire_all()
    with pytest.raises(Conflict, match="element this question was about is gone"):
        training.answer_question(
            session=session, actor=actors[Role.MEMBER], question_id=question.id, answer_text="x"
        )


def test_skip_and_reopen(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.LINK, "Help"))
    training.skip_question(session=session, actor=member, question_id=question.id)
    session.refresh(question)
    assert question.status == QuestionStatus.SKIPPED
    view = training.training_view(session=session, actor=member, workflow_id=workflow.id)
    assert next(b for b in view["boxes"] if b["text"] == "Help")["state"] == "skipped"
    assert view["queue"][-1]["id"] == question.id  # skipped questions after the pending ones
    training.reopen_question(session=session, actor=member, question_id=question.id)
    session.refresh(question)
    assert question.status == QuestionStatus.PENDING
    # A skipped question can still be answered.
    training.skip_question(session=session, actor=member, question_id=question.id)
    training.answer_question(
        session=session, actor=member, question_id=question.id, answer_text="Opens help."
    )


def test_reject_wrong_match_asks_again_and_trusts_pattern_less(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    learned = training.answer_question(
        session=session, actor=member, question_id=question.id, answer_text="Saves."
    )
    shot2, els2 = analyzed_screenshot(session, workflow)
    save2 = _by_text(els2, ElementType.BUTTON, "Save")
    assert save2.pattern_id == learned["pattern_id"]
    with pytest.raises(Conflict, match="explained by an answer"):
        training.reject_match(
            session=session, actor=member, element_id=_by_text(els, ElementType.BUTTON, "Save").id
        )
    result = training.reject_match(session=session, actor=member, element_id=save2.id)
    session.refresh(save2)
    assert save2.pattern_id is None
    assert session.get(TrainingQuestion, result["question_id"]).status == QuestionStatus.PENDING
    assert session.get(Pattern, learned["pattern_id"]).confidence == pytest.approx(0.8)
    # Matching again does not link the rejected pattern to this element.
    from techledger.services.matching import match_screenshot

    match_screenshot(session, shot2.id)
    session.refresh(save2)
    assert save2.pattern_id is None
    with pytest.raises(Conflict, match="not matched"):
        training.reject_match(session=session, actor=member, element_id=save2.id)


def test_change_element_type_replaces_the_question(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    _, els = analyzed_screenshot(session, workflow)
    help_link = _by_text(els, ElementType.LINK, "Help")
    result = training.change_element_type(
        session=session, actor=member, element_id=help_link.id, element_type="button"
    )
    question = session.get(TrainingQuestion, result["question_id"])
    assert question.question_text == 'What happens when you click "Help"?'
    assert question.question_type == QuestionType.ACTION
    assert (
        len(
            [
                q
                for q in session.exec(
                    select(TrainingQuestion).where(
                        TrainingQuestion.detected_element_id == help_link.id
                    )
                )
            ]
        )
        == 1
    )
    with pytest.raises(InvalidInput, match="Unknown element type 'spinner'"):
        training.change_element_type(
            session=session, actor=member, element_id=help_link.id, element_type="spinner"
        )


ROLE_CAN_TRAIN = {Role.OWNER: True, Role.ADMIN: True, Role.MEMBER: True, Role.VIEWER: False}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(session, org, role):  # noqa: ANN001
    _, actors = org
    workflow = make_workflow(session, actors[Role.MEMBER])
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    actor = actors[role]
    calls = [
        lambda: training.training_view(session=session, actor=actor, workflow_id=workflow.id),
        lambda: training.skip_question(session=session, actor=actor, question_id=question.id),
        lambda: training.reopen_question(session=session, actor=actor, question_id=question.id),
        lambda: training.answer_question(
            session=session, actor=actor, question_id=question.id, answer_text="Saves."
        ),
        lambda: patterns.list_patterns(session=session, actor=actor),
        lambda: patterns.export_patterns(session=session, actor=actor),
    ]
    for call in calls:
        if ROLE_CAN_TRAIN[role]:
            call()
        else:
            with pytest.raises(PermissionDenied, match=r"Viewer\) cannot train on the canvas"):
                call()


def test_canvas_view_progress_and_queue(session, org):  # noqa: ANN001
    _, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    shot, _ = analyzed_screenshot(session, workflow)
    analyzed_screenshot(session, workflow, position=1)
    view = training.training_view(session=session, actor=member, workflow_id=workflow.id)
    assert view["screenshot"]["id"] == shot.id
    assert [s["label"] for s in view["screenshots"]] == ["Screen 1", "Screen 2"]
    assert view["progress"] == "0 of 8 answered, 0 recognized automatically"
    assert view["workflow_progress"] == "0 of 16 answered, 0 recognized automatically"
    assert len(view["boxes"]) == len(LEAD_FORM)
    assert {b["state"] for b in view["boxes"]} == {"asked", "caption"}
    first = view["queue"][0]
    assert first["text"] == 'What happens when you click "Save"?' and first["state"] == "pending"
    training.answer_question(
        session=session, actor=member, question_id=first["id"], answer_text="Saves the lead."
    )
    view = training.training_view(session=session, actor=member, workflow_id=workflow.id)
    assert view["progress"] == "1 of 8 answered, 0 recognized automatically"
    # Screen 2's Save was resolved by the pattern.
    assert view["workflow_progress"] == "2 of 16 answered, 1 recognized automatically"
    answered = next(q for q in view["queue"] if q["id"] == first["id"])
    assert answered["state"] == "answered" and answered["answered_by"] == "Test User"


def test_an_expired_plan_can_look_but_not_train(session, org):  # noqa: ANN001
    from techledger.enums import SubscriptionStatus
    from techledger.services.errors import LimitReached

    organization, actors = org
    member = actors[Role.MEMBER]
    workflow = make_workflow(session, member)
    _, els = analyzed_screenshot(session, workflow)
    question = _question_for(session, _by_text(els, ElementType.BUTTON, "Save"))
    organization.subscription_status = SubscriptionStatus.EXPIRED
    session.add(organization)
    session.flush()
    assert training.training_view(session=session, actor=member, workflow_id=workflow.id)
    with pytest.raises(LimitReached, match="training need an active plan"):
        training.answer_question(
            session=session, actor=member, question_id=question.id, answer_text="Saves."
        )
    with pytest.raises(LimitReached):
        training.skip_question(session=session, actor=member, question_id=question.id)
    assert patterns.export_patterns(session=session, actor=member) is not None

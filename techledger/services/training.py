"""Training: from analyzed screenshots to questions, from answers to patterns.

- ``after_analysis`` (called by the analysis job in the same transaction, once a screenshot's
  elements are stored) matches the elements against the organization's active patterns and
  asks about the rest.
- ``answer_question`` stores the answer, creates or updates the organization's pattern for
  the element's application, type and text, and resolves at once every other open question
  of the organization that the pattern now matches. Those questions are kept and marked
  ANSWERED with no answer row of their own ("answered by pattern"); their element points to
  the pattern, so the canvas shows them as recognized and the history stays complete.
- Two people answering one question: a conditional UPDATE claims the question (and the
  answer row is unique per question), so exactly one wins; the other is told who answered.

Tenancy: every question, element and workflow is reached through its screenshot's
workflow's organization; another organization's id is "not found".
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from techledger.enums import ElementType, QuestionStatus, QuestionType
from techledger.models import (
    ChangeMarker,
    DetectedElement,
    Pattern,
    Screenshot,
    TrainingAnswer,
    TrainingQuestion,
    User,
    Workflow,
)
from techledger.models.base import utcnow
from techledger.services import audit, changes, patterns, plan_limits
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, not_found
from techledger.services.matching import (
    DEFAULT_TUNING,
    FIELD_TYPES,
    MatchTuning,
    best_match,
    element_text,
    element_views,
    entry_for,
    image_size,
    match_screenshot,
    pattern_index,
    record_usage,
    relative_center,
    score_pair,
    texts_agree,
)
from techledger.services.permissions import Permission
from techledger.services.questions import caption_label_ids, generate_questions, plan_question
from techledger.services.validation import optional_text

ANSWER_MIN, ANSWER_MAX = 1, 2000
OPEN = (QuestionStatus.PENDING, QuestionStatus.SKIPPED)
ELEMENT_GONE = (
    "The element this question was about is gone: the screenshot was analyzed again. "
    "Pick a question from the refreshed queue."
)


# ---------------------------------------------------------------- the analysis hook


def after_analysis(*, session: Session, screenshot_id: str) -> dict:
    """Match a freshly analyzed screenshot's elements, then ask about the unmatched ones."""
    elements = list(
        session.exec(
            select(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
        ).all()
    )
    matches = match_screenshot(session, screenshot_id, elements=elements)
    questions = generate_questions(session, screenshot_id, elements=elements)
    screenshot = session.get(Screenshot, screenshot_id)
    if screenshot is not None:
        changes.touch(session, changes.workflow_key(screenshot.workflow_id))
    return {"matched": len(matches), "questions": len(questions), "elements": len(elements)}


# ---------------------------------------------------------------- lookups with tenancy


def _workflow(session: Session, actor: Actor, workflow_id: str) -> Workflow:
    workflow = session.get(Workflow, workflow_id) if workflow_id else None
    if workflow is None or workflow.organization_id != actor.organization_id:
        raise not_found("Workflow")
    return workflow


def _on_screenshot(session: Session, actor: Actor, model, row_id: str, what: str):  # noqa: ANN001, ANN202
    """A question or element with its screenshot and workflow, only in the actor's organization."""
    row = (
        session.exec(
            select(model, Screenshot, Workflow)
            .join(Screenshot, Screenshot.id == model.screenshot_id)
            .join(Workflow, Workflow.id == Screenshot.workflow_id)
            .where(model.id == row_id)
        ).first()
        if row_id
        else None
    )
    if row is None or row[2].organization_id != actor.organization_id:
        raise not_found(what)
    return row


def _question(
    session: Session, actor: Actor, question_id: str
) -> tuple[TrainingQuestion, Screenshot, Workflow]:
    return _on_screenshot(session, actor, TrainingQuestion, question_id, "Question")


def _element(
    session: Session, actor: Actor, element_id: str
) -> tuple[DetectedElement, Screenshot, Workflow]:
    return _on_screenshot(session, actor, DetectedElement, element_id, "Element")


def _reading_order(element: DetectedElement) -> tuple:
    box = element.bounding_box or {}
    return (float(box.get("top", 0) or 0), float(box.get("left", 0) or 0), element.id)


def _elements_of(session: Session, screenshot_id: str) -> list[DetectedElement]:
    """A screenshot's elements in reading order (top, then left): a stable order for the
    canvas, whatever order the database returns rows in."""
    rows = session.exec(
        select(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
    ).all()
    return sorted(rows, key=_reading_order)


def _name(session: Session, user_id: str | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.name or user.email) if user else "someone"


def _already_answered(session: Session, question_id: str) -> Conflict:
    answer = session.exec(
        select(TrainingAnswer).where(TrainingAnswer.question_id == question_id)
    ).first()
    if answer is not None:
        excerpt = " ".join(answer.answer_text.split())
        if len(excerpt) > 80:
            excerpt = excerpt[:79] + "…"
        return Conflict(
            f"This question was already answered by {_name(session, answer.user_id)}: "
            f"\u201c{excerpt}\u201d."
        )
    question = session.get(TrainingQuestion, question_id)
    element = (
        session.get(DetectedElement, question.detected_element_id)
        if question and question.detected_element_id
        else None
    )
    pattern = session.get(Pattern, element.pattern_id) if element and element.pattern_id else None
    if pattern is not None:
        return Conflict(
            "This question was already answered: the element was recognized from the pattern "
            f"taught by {_name(session, pattern.user_id)} (\u201c{pattern.purpose[:80]}\u201d)."
        )
    return Conflict("This question was already answered.")


def clean_answer(text: str | None) -> str:
    """An answer of 1..2000 characters (surrounding spaces do not count)."""
    value = (text or "").strip()
    if len(value) < ANSWER_MIN:
        raise InvalidInput(
            "The answer is empty; write what the element does (1 to 2,000 characters), "
            "pick a suggestion, or skip the question.",
            field="answer",
        )
    if len(value) > ANSWER_MAX:
        raise InvalidInput(
            f"The answer is {len(value):,} characters long; at most 2,000 are allowed. "
            "Shorten it, or put the details in the pattern's business context.",
            field="answer",
        )
    return value


_SENTENCE = re.compile(r"(?<=[.!?])\s")


def _first_sentence(text: str, limit: int) -> str:
    first = _SENTENCE.split(text, maxsplit=1)[0]
    if len(first) > limit:
        first = first[: limit - 1].rstrip() + "…"
    return first


def _pattern_box(element: DetectedElement, screenshot: Screenshot) -> dict:
    box = {k: element.bounding_box.get(k) for k in ("top", "left", "width", "height")}
    width, height = image_size(screenshot)
    center = relative_center(element.bounding_box, width, height)
    if center is not None:
        box["centerX"], box["centerY"] = round(center[0], 4), round(center[1], 4)
    return box


# ---------------------------------------------------------------- answering


def answer_question(
    *,
    session: Session,
    actor: Actor,
    question_id: str,
    answer_text: str,
    purpose: str | None = None,
    business_context: str | None = None,
) -> dict:
    """Answer a question; the answer becomes the organization's pattern for the element and
    resolves every other open question the pattern now matches."""
    actor.require(Permission.TRAIN)
    question, screenshot, workflow = _question(session, actor, question_id)
    plan_limits.require_active(session, actor.organization_id)
    text = clean_answer(answer_text)
    purpose = optional_text(purpose, field="purpose", label="Purpose", max_len=500)
    business_context = optional_text(
        business_context, field="business_context", label="Business context", max_len=2000
    )
    element = (
        session.get(DetectedElement, question.detected_element_id)
        if question.detected_element_id
        else None
    )
    if element is None:
        raise Conflict(ELEMENT_GONE)
    claimed = session.execute(
        update(TrainingQuestion)
        .where(
            TrainingQuestion.id == question.id,
            TrainingQuestion.status != QuestionStatus.ANSWERED,
        )
        .values(status=QuestionStatus.ANSWERED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:
        raise _already_answered(session, question.id)
    answer = TrainingAnswer(
        question_id=question.id, user_id=actor.user_id, answer_text=text, confidence=1.0
    )
    try:
        with session.begin_nested():
            session.add(answer)
            session.flush()
    except IntegrityError:
        raise _already_answered(session, question.id) from None
    session.refresh(question)

    siblings = _elements_of(session, screenshot.id)
    name = element_text(element, siblings)
    pattern, created = patterns.learn_pattern(
        session,
        organization_id=workflow.organization_id,
        user_id=actor.user_id,
        application=workflow.application_name,
        element_type=ElementType(element.element_type),
        text=name,
        purpose=purpose or _first_sentence(text, 500),
        action=text[:1000],
        business_context=business_context,
        confidence=1.0,
        bounding_box=_pattern_box(element, screenshot),
        visual_hash=(element.properties or {}).get("visualHash"),
        answer_id=answer.id,
    )
    answer.meta = {
        "patternId": pattern.id,
        "questionType": QuestionType(question.question_type).value,
        "elementType": ElementType(element.element_type).value,
        "elementText": name,
        **({"businessContext": business_context} if business_context else {}),
    }
    session.add(answer)
    element.pattern_id = pattern.id
    element.match_confidence = 1.0
    session.add(element)
    session.flush()
    record_usage(session, {pattern.id: 1})
    resolved, workflows = resolve_open_questions(session, pattern, skip_question_id=question.id)
    changes.touch(session, changes.workflow_key(workflow.id), *map(changes.workflow_key, workflows))
    audit.record(
        session=session,
        action="question.answered",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="question",
        target_id=question.id,
        details={"pattern_id": pattern.id, "created": created, "resolved": len(resolved)},
    )
    return {
        "question_id": question.id,
        "answer_id": answer.id,
        "pattern_id": pattern.id,
        "pattern_created": created,
        "resolved": len(resolved),
        "resolved_question_ids": resolved,
    }


def resolve_open_questions(
    session: Session,
    pattern: Pattern,
    *,
    skip_question_id: str | None = None,
    tuning: MatchTuning = DEFAULT_TUNING,
) -> tuple[list[str], set[str]]:
    """Resolve the organization's open questions whose element ``pattern`` now matches;
    returns (resolved question ids, workflow ids touched)."""
    key_app = changes.application_key(pattern.application_name)
    rows = session.exec(
        select(TrainingQuestion, DetectedElement, Screenshot)
        .join(DetectedElement, DetectedElement.id == TrainingQuestion.detected_element_id)
        .join(Screenshot, Screenshot.id == TrainingQuestion.screenshot_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(
            Workflow.organization_id == pattern.organization_id,
            changes.application_column(Workflow.application_name) == key_app,
            TrainingQuestion.status.in_(OPEN),
            DetectedElement.pattern_id.is_(None),
            DetectedElement.element_type == ElementType(pattern.element_type),
        )
    ).all()
    entry = entry_for(pattern)
    siblings_of: dict[str, list[DetectedElement]] = {}
    resolved: list[str] = []
    workflows: set[str] = set()
    counts: dict[str, int] = defaultdict(int)
    for question, element, screenshot in rows:
        if question.id == skip_question_id:
            continue
        if ElementType(element.element_type) in FIELD_TYPES:
            if screenshot.id not in siblings_of:
                siblings_of[screenshot.id] = _elements_of(session, screenshot.id)
            siblings = siblings_of[screenshot.id]
            element = next(e for e in siblings if e.id == element.id)
        else:
            siblings = [element]
        width, height = image_size(screenshot)
        view = next(v for v in element_views(siblings, width, height) if v.element_id == element.id)
        if pattern.id in view.rejected:
            continue
        if view.key and entry.key:
            text_score = texts_agree(view.key, entry.key, tuning)
        elif not view.key and not entry.key:
            text_score = None
        else:
            continue
        score = score_pair(view, entry, text_score, tuning)
        threshold = tuning.accept if text_score is not None else tuning.textless_accept
        if score < threshold:
            continue
        claimed = session.execute(
            update(TrainingQuestion)
            .where(TrainingQuestion.id == question.id, TrainingQuestion.status.in_(OPEN))
            .values(status=QuestionStatus.ANSWERED, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not claimed.rowcount:
            continue
        element.pattern_id = pattern.id
        element.match_confidence = round(min(1.0, score), 4)
        session.add(element)
        counts[pattern.id] += 1
        resolved.append(question.id)
        workflows.add(screenshot.workflow_id)
    session.flush()
    record_usage(session, counts)
    for question, _, _ in rows:
        if question.id in resolved:
            session.refresh(question)
    return resolved, workflows


def skip_question(*, session: Session, actor: Actor, question_id: str) -> None:
    """Put a question aside (it stays in the queue as skipped)."""
    actor.require(Permission.TRAIN)
    question, _, workflow = _question(session, actor, question_id)
    plan_limits.require_active(session, actor.organization_id)
    if question.detected_element_id is None:
        raise Conflict(ELEMENT_GONE)
    done = session.execute(
        update(TrainingQuestion)
        .where(
            TrainingQuestion.id == question.id, TrainingQuestion.status == QuestionStatus.PENDING
        )
        .values(status=QuestionStatus.SKIPPED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(question)
    if not done.rowcount and QuestionStatus(question.status) == QuestionStatus.ANSWERED:
        raise _already_answered(session, question.id)
    changes.touch(session, changes.workflow_key(workflow.id))


def reopen_question(*, session: Session, actor: Actor, question_id: str) -> None:
    """Bring a skipped question back into the queue."""
    actor.require(Permission.TRAIN)
    question, _, workflow = _question(session, actor, question_id)
    plan_limits.require_active(session, actor.organization_id)
    if question.detected_element_id is None:
        raise Conflict(ELEMENT_GONE)
    done = session.execute(
        update(TrainingQuestion)
        .where(
            TrainingQuestion.id == question.id, TrainingQuestion.status == QuestionStatus.SKIPPED
        )
        .values(status=QuestionStatus.PENDING, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(question)
    if not done.rowcount and QuestionStatus(question.status) == QuestionStatus.ANSWERED:
        raise _already_answered(session, question.id)
    changes.touch(session, changes.workflow_key(workflow.id))


def _ask_about(
    session: Session, screenshot: Screenshot, element: DetectedElement, siblings: list
) -> TrainingQuestion:
    plan = plan_question(
        ElementType(element.element_type),
        element_text(element, siblings),
        properties=element.properties,
        box=element.bounding_box,
        size=image_size(screenshot),
    )
    question = TrainingQuestion(
        user_id=screenshot.user_id,
        screenshot_id=screenshot.id,
        detected_element_id=element.id,
        question_text=plan.text,
        question_type=plan.question_type,
        priority=plan.priority,
        suggested_answers=plan.suggestions,
    )
    session.add(question)
    session.flush()
    return question


def _element_questions(session: Session, element_id: str) -> list[tuple[TrainingQuestion, bool]]:
    rows = session.exec(
        select(TrainingQuestion, TrainingAnswer.id)
        .outerjoin(TrainingAnswer, TrainingAnswer.question_id == TrainingQuestion.id)
        .where(TrainingQuestion.detected_element_id == element_id)
        .order_by(TrainingQuestion.created_at)
    ).all()
    return [(q, a is not None) for q, a in rows]


def reject_match(*, session: Session, actor: Actor, element_id: str) -> dict:
    """ "Not this element": unlink a wrong automatic match, trust the pattern less, and ask
    about the element instead. The pattern is never matched to this element again."""
    actor.require(Permission.TRAIN)
    element, screenshot, workflow = _element(session, actor, element_id)
    plan_limits.require_active(session, actor.organization_id)
    if element.pattern_id is None:
        raise Conflict("This element is not matched to a pattern; there is nothing to undo.")
    questions = _element_questions(session, element.id)
    if any(answered for _, answered in questions):
        raise Conflict(
            "This element was explained by an answer, not matched automatically; "
            "edit its pattern in the pattern library instead."
        )
    pattern = session.get(Pattern, element.pattern_id)
    properties = dict(element.properties or {})
    rejected = list(properties.get("rejectedPatternIds") or [])
    if element.pattern_id not in rejected:
        rejected.append(element.pattern_id)
    properties["rejectedPatternIds"] = rejected
    element.properties = properties
    element.pattern_id = None
    element.match_confidence = None
    session.add(element)
    if pattern is not None:
        patterns.lower_confidence(session, pattern)
    reopened = next((q for q, _ in questions), None)
    if reopened is not None:
        reopened.status = QuestionStatus.PENDING
        reopened.updated_at = utcnow()
        session.add(reopened)
        session.flush()
    else:
        reopened = _ask_about(session, screenshot, element, _elements_of(session, screenshot.id))
    changes.touch(session, changes.workflow_key(workflow.id))
    audit.record(
        session=session,
        action="match.rejected",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="element",
        target_id=element.id,
        details={"pattern_id": pattern.id if pattern else None},
    )
    return {"question_id": reopened.id}


def change_element_type(
    *, session: Session, actor: Actor, element_id: str, element_type: str | ElementType
) -> dict:
    """Correct what kind of element the vision engine saw; matching and the question follow."""
    actor.require(Permission.TRAIN)
    element, screenshot, workflow = _element(session, actor, element_id)
    plan_limits.require_active(session, actor.organization_id)
    try:
        new_type = ElementType(str(getattr(element_type, "value", element_type)).upper())
    except ValueError:
        allowed = ", ".join(t.value.title() for t in ElementType)
        raise InvalidInput(
            f"Unknown element type '{element_type}'; choose one of {allowed}.", field="element_type"
        ) from None
    if ElementType(element.element_type) == new_type:
        return {"question_id": None, "pattern_id": element.pattern_id}
    element.element_type = new_type
    if element.pattern_id is not None:
        old = session.get(Pattern, element.pattern_id)
        if old is not None:
            old.usage_count = max(0, int(old.usage_count) - 1)
            session.add(old)
        element.pattern_id = None
        element.match_confidence = None
    session.add(element)
    for question, answered in _element_questions(session, element.id):
        if not answered:
            session.delete(question)
    session.flush()
    siblings = _elements_of(session, screenshot.id)
    index = pattern_index(session, workflow.organization_id, workflow.application_name)
    width, height = image_size(screenshot)
    view = next(v for v in element_views(siblings, width, height) if v.element_id == element.id)
    found = best_match(index, view)
    question_id = None
    if found is not None:
        element.pattern_id = found.pattern_id
        element.match_confidence = found.score
        session.add(element)
        session.flush()
        record_usage(session, {found.pattern_id: 1})
    elif element.id not in caption_label_ids(siblings):
        question_id = _ask_about(session, screenshot, element, siblings).id
    changes.touch(session, changes.workflow_key(workflow.id))
    return {"question_id": question_id, "pattern_id": element.pattern_id}


# ---------------------------------------------------------------- the canvas's view


def workflow_stamp(*, session: Session, actor: Actor, workflow_id: str) -> str:
    """The workflow's change stamp: one indexed read, polled by open canvases."""
    row = session.exec(
        select(Workflow.organization_id, ChangeMarker.stamp)
        .outerjoin(ChangeMarker, ChangeMarker.key == changes.workflow_key(workflow_id))
        .where(Workflow.id == workflow_id)
    ).first()
    if row is None or row[0] != actor.organization_id:
        raise not_found("Workflow")
    return row[1] or ""


def _progress_text(counts: dict) -> str:
    return (
        f"{counts['answered']} of {counts['questions']} answered, "
        f"{counts['recognized']} recognized automatically"
    )


def training_view(
    *, session: Session, actor: Actor, workflow_id: str, screenshot_id: str | None = None
) -> dict:
    """Everything the training canvas shows for one workflow and one of its screenshots."""
    actor.require(Permission.TRAIN)
    workflow = _workflow(session, actor, workflow_id)
    stamp = changes.read(session, changes.workflow_key(workflow.id)) or ""
    shots = list(
        session.exec(
            select(Screenshot)
            .where(Screenshot.workflow_id == workflow.id)
            .order_by(Screenshot.position, Screenshot.created_at)
        ).all()
    )
    shot_ids = [s.id for s in shots]
    element_rows = (
        session.exec(
            select(
                DetectedElement.id, DetectedElement.screenshot_id, DetectedElement.pattern_id
            ).where(DetectedElement.screenshot_id.in_(shot_ids))
        ).all()
        if shot_ids
        else []
    )
    question_rows = (
        session.exec(
            select(
                TrainingQuestion.id,
                TrainingQuestion.screenshot_id,
                TrainingQuestion.detected_element_id,
                TrainingQuestion.status,
                TrainingAnswer.id,
            )
            .outerjoin(TrainingAnswer, TrainingAnswer.question_id == TrainingQuestion.id)
            .where(
                TrainingQuestion.screenshot_id.in_(shot_ids),
                TrainingQuestion.detected_element_id.is_not(None),
            )
        ).all()
        if shot_ids
        else []
    )
    taught = {el for _, _, el, _, ans in question_rows if ans is not None}
    per_shot: dict[str, dict] = {
        s: {"questions": 0, "answered": 0, "skipped": 0, "pending": 0, "recognized": 0}
        for s in shot_ids
    }
    for el_id, shot, pattern_id in element_rows:
        if pattern_id and el_id not in taught:
            per_shot[shot]["recognized"] += 1
    for _, shot, _, status, _ in question_rows:
        counts = per_shot[shot]
        counts["questions"] += 1
        status = QuestionStatus(status)
        if status == QuestionStatus.ANSWERED:
            counts["answered"] += 1
        elif status == QuestionStatus.SKIPPED:
            counts["skipped"] += 1
        else:
            counts["pending"] += 1
    total = {
        k: sum(c[k] for c in per_shot.values())
        for k in ("questions", "answered", "skipped", "pending", "recognized")
    }
    current = next((s for s in shots if s.id == screenshot_id), None)
    if current is None:
        current = next((s for s in shots if per_shot[s.id]["pending"]), shots[0] if shots else None)
    view: dict[str, Any] = {
        "workflow": {
            "id": workflow.id,
            "name": workflow.name,
            "application": workflow.application_name,
        },
        "stamp": stamp,
        "screenshots": [
            {
                "id": s.id,
                "label": f"Screen {i + 1}",
                "status": str(getattr(s.status, "value", s.status)),
                "progress": _progress_text(per_shot[s.id]),
                "pending": per_shot[s.id]["pending"],
            }
            for i, s in enumerate(shots)
        ],
        "workflow_progress": _progress_text(total),
        "workflow_counts": total,
        "screenshot": None,
        "boxes": [],
        "queue": [],
        "progress": "",
        "counts": {},
    }
    if current is None:
        return view
    view["screenshot"] = _screenshot_info(current)
    view["progress"] = _progress_text(per_shot[current.id])
    view["counts"] = per_shot[current.id]
    view["boxes"], view["queue"] = _boxes_and_queue(session, current)
    return view


def _screenshot_info(screenshot: Screenshot) -> dict:
    width, height = image_size(screenshot)
    return {
        "id": screenshot.id,
        "original_url": screenshot.original_url,
        "thumbnail_url": screenshot.thumbnail_url or "",
        "width": int(width) or 1,
        "height": int(height) or 1,
        "status": str(getattr(screenshot.status, "value", screenshot.status)),
        "failure_reason": screenshot.failure_reason or "",
    }


def _boxes_and_queue(session: Session, screenshot: Screenshot) -> tuple[list, list]:
    elements = _elements_of(session, screenshot.id)
    rows = session.exec(
        select(TrainingQuestion, TrainingAnswer)
        .outerjoin(TrainingAnswer, TrainingAnswer.question_id == TrainingQuestion.id)
        .where(
            TrainingQuestion.screenshot_id == screenshot.id,
            TrainingQuestion.detected_element_id.is_not(None),
        )
        .order_by(TrainingQuestion.created_at)
    ).all()
    pattern_ids = {e.pattern_id for e in elements if e.pattern_id}
    pattern_rows = (
        {p.id: p for p in session.exec(select(Pattern).where(Pattern.id.in_(pattern_ids))).all()}
        if pattern_ids
        else {}
    )
    names = patterns.author_names(
        session,
        {a.user_id for _, a in rows if a is not None} | {p.user_id for p in pattern_rows.values()},
    )
    by_element: dict[str, tuple[TrainingQuestion, TrainingAnswer | None]] = {}
    for question, answer in rows:
        by_element[question.detected_element_id] = (question, answer)  # the newest wins
    captions = caption_label_ids(elements)
    boxes = []
    for e in elements:
        box = e.bounding_box or {}
        question, answer = by_element.get(e.id, (None, None))
        pattern = pattern_rows.get(e.pattern_id) if e.pattern_id else None
        if answer is not None:
            state = "answered"
        elif pattern is not None:
            state = "known"
        elif question is not None:
            status = QuestionStatus(question.status)
            state = "skipped" if status == QuestionStatus.SKIPPED else "asked"
        else:
            state = "caption" if e.id in captions else "quiet"
        text = (
            element_text(e, elements)
            if ElementType(e.element_type) in FIELD_TYPES
            else ((e.text or "").strip())
        )
        boxes.append(
            {
                "id": e.id,
                "x": int(float(box.get("left", 0) or 0)),
                "y": int(float(box.get("top", 0) or 0)),
                "w": max(1, int(float(box.get("width", 0) or 0))),
                "h": max(1, int(float(box.get("height", 0) or 0))),
                "type": ElementType(e.element_type).value,
                "text": text,
                "title": f"{ElementType(e.element_type).value.title()}: {text or '(no text)'}",
                "state": state,
                "question_id": question.id if question is not None else "",
                "pattern_id": e.pattern_id or "",
                "pattern_purpose": pattern.purpose if pattern else "",
                "pattern_action": pattern.action if pattern else "",
                "pattern_author": names.get(pattern.user_id, "") if pattern else "",
                "match_confidence": (
                    f"{round(100 * float(e.match_confidence))}%" if e.match_confidence else ""
                ),
            }
        )
    queue = []
    position = {b["id"]: (b["y"], b["x"]) for b in boxes}
    for question, answer in rows:
        element_id = question.detected_element_id
        if by_element.get(element_id, (None,))[0] is not question:
            continue
        status = QuestionStatus(question.status)
        pattern = None
        element = next((e for e in elements if e.id == element_id), None)
        if element is not None and element.pattern_id:
            pattern = pattern_rows.get(element.pattern_id)
        if answer is not None:
            done_by, done_text = names.get(answer.user_id, "someone"), answer.answer_text
            state = "answered"
        elif status == QuestionStatus.ANSWERED:
            done_by = names.get(pattern.user_id, "someone") if pattern else ""
            done_text = pattern.action if pattern else ""
            state = "recognized"
        else:
            done_by, done_text = "", ""
            state = "skipped" if status == QuestionStatus.SKIPPED else "pending"
        queue.append(
            {
                "id": question.id,
                "element_id": element_id,
                "text": question.question_text,
                "type": QuestionType(question.question_type).value,
                "priority": int(question.priority),
                "state": state,
                "suggestions": [str(s) for s in (question.suggested_answers or [])][:5],
                "answer": done_text,
                "answered_by": done_by,
            }
        )
    order = {"pending": 0, "skipped": 1, "answered": 2, "recognized": 2}
    queue.sort(
        key=lambda q: (order[q["state"]], -q["priority"], *position.get(q["element_id"], (0, 0)))
    )
    return boxes, queue

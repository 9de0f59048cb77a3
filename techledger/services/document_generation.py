"""Generate a guide from a trained workflow (the spec's "Generate Documentation" flow).

One section per screenshot in workflow order, the steps in reading order (top, then left), each
step told from the person's answer about the element or else from the pattern it matched, with a
picture of the screen around the element. Regenerating after more training makes a new version of
the same document; nothing is overwritten.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from techledger.enums import DocumentStatus, ElementType, QuestionType
from techledger.models import (
    Action,
    DetectedElement,
    Document,
    Pattern,
    Screenshot,
    TrainingAnswer,
    TrainingQuestion,
    Workflow,
)
from techledger.models.documents import CONTENT_MAX, TITLE_MAX
from techledger.services import audit
from techledger.services.actor import Actor
from techledger.services.document_images import (
    StepImageRequest,
    element_box,
    ensure_step_images,
)
from techledger.services.errors import Conflict, InvalidInput, not_found
from techledger.services.permissions import Permission
from techledger.storage import get_store

WORDS_PER_MINUTE = 200
SECONDS_PER_IMAGE = 10
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~])")
_STOP = {
    "a", "an", "and", "the", "to", "in", "of", "for", "on", "from", "with", "by", "how", "new",
    "create", "add", "update", "edit", "delete", "make", "set", "open", "run", "use", "get",
}  # fmt: skip
_PREFIXES = (
    "click on ", "click to ", "click ", "press to ", "press ", "tap ", "select to ", "enter ",
    "type in ", "type ", "fill in ", "choose ", "pick ", "check to ", "tick ", "to ",
)  # fmt: skip
_DETERMINERS = {"the", "a", "an", "this", "that", "it", "its", "your", "their", "our", "all"}


@dataclass
class Step:
    """One instruction of the guide."""

    screenshot_id: str
    element_id: str
    element_type: ElementType
    box: tuple[int, int, int, int] | None
    label: str
    description: str
    context: str
    source: str  # "answer" | "pattern"


def escape_markdown(text: str) -> str:
    """Text shown literally inside Markdown (labels and answers are people's words, not markup)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _base_verb(word: str) -> str:
    lower = word.lower()
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith("ss"):
        return word
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def _clean(description: str) -> str:
    text = " ".join((description or "").split()).rstrip(" .")
    lowered = text.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and (first[1:].islower() or len(first) == 1):
        first = first.lower()
    return f"{first} {rest}".strip() if rest else first


def phrase_step(element_type: ElementType, label: str, description: str) -> str:
    """One sentence for one step: "Click **Submit** to create the lead.",
    "Enter the lead's email in **Email**." (``label`` and ``description`` are plain text)."""
    name = f"**{escape_markdown(label)}**" if label else f"the {element_type.value.lower()}"
    what = escape_markdown(_clean(description))
    if not what:
        return f"Use {name}."
    first, _, rest = what.partition(" ")
    if element_type == ElementType.INPUT:
        return f"Enter {what} in {name}."
    if element_type == ElementType.DROPDOWN:
        return f"Choose {what} in {name}."
    if element_type in (ElementType.TABLE, ElementType.LABEL, ElementType.DIALOG):
        return f"Look at {name}: {what}."
    verb = {ElementType.CHECKBOX: "Check", ElementType.RADIO: "Select"}.get(element_type, "Click")
    if first.lower() in _DETERMINERS:
        return f"{verb} {name}: {what}."
    action = " ".join([_base_verb(first), rest]).strip()
    return f"{verb} {name} to {action}."


def _title(workflow: Workflow) -> str:
    name = " ".join(workflow.name.split())
    if name.lower().startswith("how to"):
        title = name
    else:
        title = f"How to {name[:1].lower() + name[1:] if name[1:2].islower() else name}"
    if workflow.application_name.lower() not in title.lower():
        title = f"{title} in {workflow.application_name}"
    return title[:TITLE_MAX]


def _section_title(screenshot: Screenshot, index: int) -> str:
    stem = (screenshot.original_filename or "").rsplit(".", 1)[0]
    words = re.sub(r"[_\-]+", " ", stem).strip()
    if words and not re.fullmatch(
        r"[\d\s]+|(screenshot|image|img|screen|shot)[\s\d]*", words, re.I
    ):
        return f"Screen {index}: {words[:1].upper()}{words[1:]}"
    return f"Screen {index}"


def collect_steps(session: Session, screenshots: list[Screenshot]) -> dict[str, list[Step]]:
    """Every step of every screenshot, in reading order, from answers or else matched patterns."""
    ids = [s.id for s in screenshots]
    if not ids:
        return {}
    elements = session.exec(
        select(DetectedElement).where(DetectedElement.screenshot_id.in_(ids))
    ).all()
    element_ids = [e.id for e in elements]
    answers: dict[str, dict[QuestionType, TrainingAnswer]] = defaultdict(dict)
    if element_ids:
        for question, answer in session.exec(
            select(TrainingQuestion, TrainingAnswer)
            .join(TrainingAnswer, TrainingAnswer.question_id == TrainingQuestion.id)
            .where(TrainingQuestion.detected_element_id.in_(element_ids))
            .order_by(TrainingAnswer.created_at)
        ).all():
            answers[question.detected_element_id][QuestionType(question.question_type)] = answer
    pattern_ids = {e.pattern_id for e in elements if e.pattern_id}
    patterns = (
        {p.id: p for p in session.exec(select(Pattern).where(Pattern.id.in_(pattern_ids))).all()}
        if pattern_ids
        else {}
    )
    steps: dict[str, list[Step]] = defaultdict(list)
    for element in elements:
        given = answers.get(element.id, {})
        pattern = patterns.get(element.pattern_id) if element.pattern_id else None
        main = next(
            (
                given[kind]
                for kind in (QuestionType.ACTION, QuestionType.INPUT, QuestionType.PURPOSE)
                if kind in given
            ),
            None,
        )
        context = ""
        if QuestionType.CONTEXT in given:
            context = given[QuestionType.CONTEXT].answer_text
        elif main is not None and isinstance(main.meta, dict):
            context = str(main.meta.get("businessContext") or "")
        if main is not None:
            description, source = main.answer_text, "answer"
        elif pattern is not None:
            description, source = pattern.action or pattern.purpose, "pattern"
            context = context or (pattern.business_context or "")
        else:
            continue  # not trained yet: no step to tell
        label = (element.text or (pattern.text if pattern else "") or "").strip()
        steps[element.screenshot_id].append(
            Step(
                screenshot_id=element.screenshot_id,
                element_id=element.id,
                element_type=ElementType(element.element_type),
                box=element_box(element.bounding_box),
                label=label[:120],
                description=description,
                context=context,
                source=source,
            )
        )
    for items in steps.values():
        items.sort(key=lambda s: (s.box[1], s.box[0]) if s.box else (10**9, 10**9))
    return steps


def build_guide(
    workflow: Workflow, screenshots: list[Screenshot], steps: dict[str, list[Step]]
) -> tuple[str, str, list[StepImageRequest], dict]:
    """The guide's title, Markdown, the images it needs, and its ``metadata``."""
    store = get_store()
    title = _title(workflow)
    lines = [f"# {escape_markdown(title)}", ""]
    if workflow.description:
        lines += [f"> {escape_markdown(workflow.description)}", ""]
    total = sum(len(v) for v in steps.values())
    lines += [
        f"This guide walks through **{escape_markdown(workflow.name)}** in "
        f"**{escape_markdown(workflow.application_name)}**: {total} "
        f"step{'s' if total != 1 else ''} on {len(screenshots)} "
        f"screen{'s' if len(screenshots) != 1 else ''}.",
        "",
    ]
    images: list[StepImageRequest] = []
    number = 0
    for index, screenshot in enumerate(screenshots, start=1):
        lines += [f"## {escape_markdown(_section_title(screenshot, index))}", ""]
        items = steps.get(screenshot.id, [])
        if not items:
            lines += ["_No steps on this screen have been trained yet._", ""]
            continue
        try:
            original_key = store.key_for_url(screenshot.original_url)
        except ValueError:
            original_key = ""
        for step in items:
            number += 1
            lines.append(
                f"{number}. {phrase_step(step.element_type, step.label, step.description)}"
            )
            if step.context:
                lines += ["", f"   _Why:_ {escape_markdown(step.context)}"]
            if step.box and original_key:
                request = StepImageRequest(screenshot.id, original_key, step.box)
                images.append(request)
                alt = escape_markdown(f"Step {number}: {step.label or step.element_type.value}")
                lines += ["", f"   ![{alt}]({request.url})"]
            lines.append("")
    content = "\n".join(lines).rstrip() + "\n"
    if len(content) > CONTENT_MAX:
        raise InvalidInput(
            f"The generated guide would be {len(content):,} characters; at most {CONTENT_MAX:,} "
            "fit in one document. Split the workflow into smaller workflows."
        )
    meta = guide_metadata(content, screenshot_count=len(screenshots), step_count=number)
    meta["tags"] = _tags(workflow)
    return title, content, images, meta


def count_words(markdown: str) -> int:
    """Words a reader reads: image links and Markdown syntax are not words."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)
    text = re.sub(r"\]\([^)]*\)", " ", text)
    return len(re.findall(r"[A-Za-z0-9\u00C0-\uFFFF][\w'’-]*", text))


def guide_metadata(markdown: str, *, screenshot_count: int, step_count: int) -> dict:
    """``metadata`` as the spec shows it, from a guide's content."""
    words = count_words(markdown)
    image_count = markdown.count("](/api/step-images/")
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE + image_count * SECONDS_PER_IMAGE / 60))
    difficulty = (
        "beginner" if step_count <= 8 else "intermediate" if step_count <= 25 else "advanced"
    )
    return {
        "estimatedReadTime": minutes,
        "screenshotCount": screenshot_count,
        "wordCount": words,
        "stepCount": step_count,
        "difficulty": difficulty,
    }


def _tags(workflow: Workflow) -> list[str]:
    tags = [workflow.application_name.lower().strip()]
    for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", workflow.name.lower()):
        if word not in _STOP and word not in tags and len(word) >= 3:
            tags.append(word)
    return [t[:30] for t in tags if t][:6]


def generate_document(*, session: Session, actor: Actor, workflow_id: str) -> Document:
    """Write the guide of a workflow as a DRAFT (version 1), or a new version of its guide."""
    from techledger.services.documents import snapshot

    actor.require(Permission.WRITE_DRAFTS)
    workflow = session.get(Workflow, workflow_id)
    if workflow is None or workflow.organization_id != actor.organization_id:
        raise not_found("Workflow")
    screenshots = list(
        session.exec(
            select(Screenshot)
            .where(Screenshot.workflow_id == workflow.id)
            .order_by(Screenshot.position, Screenshot.created_at, Screenshot.id)
        ).all()
    )
    if not screenshots:
        raise InvalidInput("This workflow has no screenshots yet; upload its screens first.")
    steps = collect_steps(session, screenshots)
    if not any(steps.values()):
        raise InvalidInput(
            "No element of this workflow is trained yet; answer a few questions on the canvas "
            "first, then generate its guide."
        )
    title, content, images, meta = build_guide(workflow, screenshots, steps)
    ensure_step_images(images)
    action_id = workflow.action_id
    if action_id and session.get(Action, action_id) is None:
        action_id = None
    existing = session.exec(
        select(Document)
        .where(
            Document.workflow_id == workflow.id,
            Document.organization_id == actor.organization_id,
            Document.status != DocumentStatus.ARCHIVED,
        )
        .order_by(Document.created_at.desc())
    ).first()
    if existing is None:
        document = Document(
            user_id=actor.user_id,
            organization_id=actor.organization_id,
            action_id=action_id,
            workflow_id=workflow.id,
            title=title,
            content=content,
            application_name=workflow.application_name,
            status=DocumentStatus.DRAFT,
            version=1,
            meta=meta,
        )
        session.add(document)
        session.flush()
        snapshot(
            session, document, actor, f"Generated from workflow “{workflow.name}”.", bump=False
        )
        audit.record(
            session=session,
            action="document.generated",
            organization_id=actor.organization_id,
            actor_id=actor.user_id,
            target_type="document",
            target_id=document.id,
            details={"workflow_id": workflow.id, "version": document.version},
        )
        return document
    return _regenerate(session, actor, existing, workflow, content, meta, action_id)


def _regenerate(
    session: Session,
    actor: Actor,
    document: Document,
    workflow: Workflow,
    content: str,
    meta: dict,
    action_id: str | None,
) -> Document:
    from techledger.services.documents import claim, latest_version_content, snapshot

    if DocumentStatus(document.status) == DocumentStatus.REVIEW:
        raise Conflict(
            "This workflow's guide is in review; an admin must approve it or send it back "
            "before it can be regenerated."
        )
    document = claim(session, actor, document.id, None)
    if document.content != latest_version_content(session, document):
        snapshot(session, document, actor, "Draft edits kept before regenerating.")
    was_published = DocumentStatus(document.status) == DocumentStatus.PUBLISHED
    document.content = content
    old_meta = dict(document.meta or {})
    meta["tags"] = old_meta.get("tags") or meta["tags"]
    if "lastReviewed" in old_meta:
        meta["lastReviewed"] = old_meta["lastReviewed"]
    document.meta = meta
    document.action_id = document.action_id or action_id
    document.status = DocumentStatus.DRAFT
    session.add(document)
    note = "Regenerated from workflow after more training."
    if was_published:
        note += " Readers still see the published version until this one is approved."
    snapshot(session, document, actor, note)
    audit.record(
        session=session,
        action="document.regenerated",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="document",
        target_id=document.id,
        details={"workflow_id": workflow.id, "version": document.version},
    )
    return document


def list_workflows(*, session: Session, actor: Actor) -> list[dict]:
    """The organization's workflows to pick from for "Generate from workflow", each with its
    number of screens and whether it already has a guide."""
    from sqlmodel import func

    actor.require(Permission.WRITE_DRAFTS)
    workflows = session.exec(
        select(Workflow)
        .where(Workflow.organization_id == actor.organization_id)
        .order_by(Workflow.updated_at.desc())
    ).all()
    if not workflows:
        return []
    ids = [w.id for w in workflows]
    screens = dict(
        session.exec(
            select(Screenshot.workflow_id, func.count())
            .where(Screenshot.workflow_id.in_(ids))
            .group_by(Screenshot.workflow_id)
        ).all()
    )
    guides = dict(
        session.exec(
            select(Document.workflow_id, Document.id).where(
                Document.workflow_id.in_(ids), Document.status != DocumentStatus.ARCHIVED
            )
        ).all()
    )
    return [
        {
            "id": w.id,
            "name": w.name,
            "application_name": w.application_name,
            "screens": int(screens.get(w.id, 0)),
            "document_id": guides.get(w.id, ""),
        }
        for w in workflows
    ]

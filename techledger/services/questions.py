"""Questions about the elements nobody has explained yet.

One question per unmatched element, typed by what the element is (ACTION for things you
click, INPUT for things you fill in, PURPOSE or CONTEXT for the rest), naming the element,
with up to five suggested answers and a priority (10 = ask first). Labels that only caption
a field are not asked about: the field's question names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from techledger.enums import ElementType, QuestionStatus, QuestionType
from techledger.models import DetectedElement, Screenshot, TrainingQuestion
from techledger.services.matching import FIELD_TYPES, caption_labels, image_size

QUESTION_MIN, QUESTION_MAX = 10, 500
NAME_MAX = 80

QUESTION_TYPES: dict[ElementType, QuestionType] = {
    ElementType.BUTTON: QuestionType.ACTION,
    ElementType.LINK: QuestionType.ACTION,
    ElementType.MENU: QuestionType.ACTION,
    ElementType.INPUT: QuestionType.INPUT,
    ElementType.DROPDOWN: QuestionType.INPUT,
    ElementType.CHECKBOX: QuestionType.INPUT,
    ElementType.RADIO: QuestionType.INPUT,
    ElementType.LABEL: QuestionType.PURPOSE,
    ElementType.TABLE: QuestionType.PURPOSE,
    ElementType.UNKNOWN: QuestionType.PURPOSE,
    ElementType.DIALOG: QuestionType.CONTEXT,
}

# Base priority per type: the things that move a workflow forward come first.
BASE_PRIORITY: dict[ElementType, int] = {
    ElementType.BUTTON: 8,
    ElementType.INPUT: 7,
    ElementType.DROPDOWN: 7,
    ElementType.CHECKBOX: 6,
    ElementType.RADIO: 6,
    ElementType.DIALOG: 6,
    ElementType.LINK: 5,
    ElementType.MENU: 5,
    ElementType.TABLE: 4,
    ElementType.UNKNOWN: 3,
    ElementType.LABEL: 2,
}

PRIMARY_WORDS = frozenset(
    "save submit create add send confirm continue next finish apply approve pay order "
    "book register sign log login checkout place update post publish upload".split()
)

_BUTTON_SUGGESTIONS: list[tuple[frozenset[str], list[str]]] = [
    (
        frozenset("save update apply".split()),
        ["Saves the changes", "Saves and closes the form", "Saves a draft"],
    ),
    (
        frozenset("submit send post publish confirm approve".split()),
        ["Submits the form for processing", "Sends it for approval", "Confirms the request"],
    ),
    (
        frozenset("create new add".split()),
        ["Creates a new record", "Opens a form for a new record", "Adds a line to the list"],
    ),
    (
        frozenset("delete remove".split()),
        ["Deletes the record after a confirmation", "Removes the selected items"],
    ),
    (
        frozenset("cancel close back discard".split()),
        ["Discards the changes and goes back", "Closes the dialog"],
    ),
    (
        frozenset("search find filter go".split()),
        ["Searches the records", "Applies the filters to the list"],
    ),
    (frozenset("edit change modify".split()), ["Opens the record for editing"]),
    (frozenset("next continue".split()), ["Goes to the next step", "Validates this step"]),
    (frozenset("export download print".split()), ["Downloads a file", "Prints the page"]),
    (frozenset("login log sign".split()), ["Signs the person in", "Signs the person out"]),
]
_GENERIC_ACTION = ["Saves the form", "Opens a new dialog", "Goes to another page", "Other"]


@dataclass(frozen=True)
class QuestionPlan:
    """What will be asked about one element."""

    text: str
    question_type: QuestionType
    priority: int
    suggestions: list[str]


def _quoted(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1].rstrip() + "…"
    return f"\u201c{name}\u201d" if '"' in name else f'"{name}"'


def _where(box: dict | None, size: tuple[float, float]) -> str:
    """'at the top left' and the like, for elements without words."""
    width, height = size
    center = None
    if box and width and height:
        center = (
            (float(box.get("left", 0)) + float(box.get("width", 0)) / 2) / width,
            (float(box.get("top", 0)) + float(box.get("height", 0)) / 2) / height,
        )
    if center is None:
        return "on this screen"
    vertical = "top" if center[1] < 1 / 3 else "bottom" if center[1] > 2 / 3 else "middle"
    horizontal = "left" if center[0] < 1 / 3 else "right" if center[0] > 2 / 3 else "center"
    if vertical == "middle" and horizontal == "center":
        return "in the middle of the screen"
    if vertical == "middle":
        return f"on the {horizontal} of the screen"
    return f"at the {vertical} {horizontal}" if horizontal != "center" else f"at the {vertical}"


def _words(name: str) -> set[str]:
    return {w.strip(".:!?*").lower() for w in name.split()}


def is_primary(element_type: ElementType, name: str, properties: dict | None) -> bool:
    """A button that completes the screen's task (marked primary, or named like one)."""
    if element_type != ElementType.BUTTON:
        return False
    props = properties or {}
    if props.get("primary") or props.get("variant") == "primary":
        return True
    return bool(_words(name) & PRIMARY_WORDS)


def is_required(name: str, properties: dict | None) -> bool:
    props = properties or {}
    return bool(props.get("required")) or name.rstrip().endswith("*")


def _suggestions(element_type: ElementType, name: str) -> list[str]:
    words = _words(name)
    if element_type == ElementType.BUTTON:
        out: list[str] = []
        for keys, answers in _BUTTON_SUGGESTIONS:
            if words & keys:
                out.extend(answers)
        out.extend(a for a in _GENERIC_ACTION if a not in out)
        return out[:5]
    if element_type == ElementType.LINK:
        return ["Opens the record's detail page", "Opens a help page", "Downloads a file", "Other"]
    if element_type == ElementType.MENU:
        return ["Opens a section of the application", "Shows more actions", "Other"]
    if element_type == ElementType.INPUT:
        lowered = " ".join(words)
        if "mail" in lowered:
            return ["The customer's email address", "Our contact's email address", "Other"]
        if "date" in lowered:
            return ["The date the record starts", "The due date", "Other"]
        if "phone" in lowered:
            return ["The customer's phone number", "Other"]
        return ["Typed from the customer's request", "Copied from another system", "Optional"]
    if element_type == ElementType.DROPDOWN:
        return ["Chosen according to the customer's request", "Left at its default", "Other"]
    if element_type in (ElementType.CHECKBOX, ElementType.RADIO):
        return ["Always", "Only when the customer asks for it", "Never", "Other"]
    if element_type == ElementType.TABLE:
        return ["Lists the records to choose from", "Shows the lines of the current record"]
    if element_type == ElementType.DIALOG:
        return ["Asks to confirm a change", "Shows an error to fix", "Other"]
    if element_type == ElementType.LABEL:
        return ["A heading for the section", "Shows a value of the record", "Not important"]
    return ["Not important", "Other"]


def plan_question(
    element_type: ElementType,
    name: str,
    *,
    properties: dict | None = None,
    box: dict | None = None,
    size: tuple[float, float] = (0.0, 0.0),
) -> QuestionPlan:
    """The question for an element of ``element_type`` named ``name`` (may be empty)."""
    element_type = ElementType(element_type)
    name = " ".join((name or "").split())
    label = _quoted(name.rstrip(" *:")) if name.rstrip(" *:") else ""
    where = _where(box, size)
    kind = element_type.value.lower()
    if element_type == ElementType.BUTTON:
        text = (
            f"What happens when you click {label}?"
            if label
            else f"What happens when you click the unlabeled button {where}?"
        )
    elif element_type == ElementType.LINK:
        text = (
            f"Where does the link {label} take you?"
            if label
            else f"Where does the link {where} take you?"
        )
    elif element_type == ElementType.MENU:
        text = f"What does the menu {label} open?" if label else f"What does the menu {where} open?"
    elif element_type == ElementType.INPUT:
        text = f"What goes in the field {label}?" if label else f"What goes in the field {where}?"
    elif element_type == ElementType.DROPDOWN:
        text = (
            f"What do you choose in the dropdown {label}, and why?"
            if label
            else f"What do you choose in the dropdown {where}, and why?"
        )
    elif element_type == ElementType.CHECKBOX:
        text = f"When do you tick {label}?" if label else f"When do you tick the checkbox {where}?"
    elif element_type == ElementType.RADIO:
        text = (
            f"When do you choose {label}?" if label else f"When do you choose the option {where}?"
        )
    elif element_type == ElementType.TABLE:
        text = (
            f"What is the table {label} used for?"
            if label
            else f"What is the table {where} used for?"
        )
    elif element_type == ElementType.DIALOG:
        text = (
            f"Why does the dialog {label} appear?"
            if label
            else f"Why does the dialog {where} appear?"
        )
    elif element_type == ElementType.LABEL:
        text = f"What does {label} mean here?" if label else f"What does the text {where} mean?"
    else:
        text = f"What is {label} for?" if label else f"What is the {kind} element {where} for?"
    priority = BASE_PRIORITY[element_type]
    if is_primary(element_type, name, properties):
        priority = 10
    elif element_type in FIELD_TYPES and is_required(name, properties):
        priority = min(10, priority + 2)
    if not label and element_type != ElementType.BUTTON:
        priority = max(1, priority - 1)
    text = text[:QUESTION_MAX]
    if len(text) < QUESTION_MIN:  # cannot happen with the sentences above; kept as a guard
        text = (text + " (this element)")[:QUESTION_MAX]
    return QuestionPlan(
        text=text,
        question_type=QUESTION_TYPES[element_type],
        priority=max(1, min(10, priority)),
        suggestions=_suggestions(element_type, name)[:5],
    )


def caption_label_ids(elements: list[Any]) -> set[str]:
    """Labels that only caption a field: not asked about one by one."""
    return set(caption_labels(elements).values())


def generate_questions(
    session: Session, screenshot_id: str, *, elements: list[DetectedElement] | None = None
) -> list[TrainingQuestion]:
    """Ask about every element of a screenshot that has no pattern and no question yet."""
    screenshot = session.get(Screenshot, screenshot_id)
    if screenshot is None:
        raise LookupError(f"screenshot {screenshot_id} does not exist")
    if elements is None:
        elements = list(
            session.exec(
                select(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
            ).all()
        )
    asked = set(
        session.exec(
            select(TrainingQuestion.detected_element_id).where(
                TrainingQuestion.screenshot_id == screenshot_id,
                TrainingQuestion.detected_element_id.is_not(None),
            )
        ).all()
    )
    captions = caption_labels(elements)
    captioning = set(captions.values())
    by_id = {e.id: e for e in elements}
    size = image_size(screenshot)
    created = []
    for element in elements:
        if element.pattern_id is not None or element.id in asked or element.id in captioning:
            continue
        name = (element.text or "").strip()
        if element.id in captions:  # a field is named by its caption, not by its value
            name = (by_id[captions[element.id]].text or "").strip()
        plan = plan_question(
            ElementType(element.element_type),
            name,
            properties=element.properties,
            box=element.bounding_box,
            size=size,
        )
        question = TrainingQuestion(
            user_id=screenshot.user_id,
            screenshot_id=screenshot_id,
            detected_element_id=element.id,
            question_text=plan.text,
            question_type=plan.question_type,
            priority=plan.priority,
            suggested_answers=plan.suggestions,
            status=QuestionStatus.PENDING,
        )
        session.add(question)
        created.append(question)
    session.flush()
    return created

"""The training canvas: the screenshot with its element boxes, and the question queue."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import empty_state, error_callout
from techledger.components.layout import page_header
from techledger.components.screenshot_viewer import backend_url
from techledger.state.training import ELEMENT_TYPES, TrainingState

# Box colors by state: known (matched), asked, answered, skipped; captions stay quiet.
BOX_CSS = """
#training-canvas .tl-box { fill-opacity: .10; stroke-width: 2px; vector-effect: non-scaling-stroke;
  cursor: pointer; transition: fill-opacity .12s, stroke-width .12s; }
#training-canvas .tl-box:hover { fill-opacity: .28; stroke-width: 3px; }
#training-canvas .tl-known { fill: #16a34a; stroke: #16a34a; }
#training-canvas .tl-asked { fill: #f59e0b; stroke: #d97706; }
#training-canvas .tl-answered { fill: #4f46e5; stroke: #4f46e5; }
#training-canvas .tl-skipped { fill: #64748b; stroke: #64748b; stroke-dasharray: 5 4; }
#training-canvas .tl-caption, #training-canvas .tl-quiet { fill: #94a3b8; stroke: #94a3b8;
  fill-opacity: .04; stroke-width: 1px; stroke-dasharray: 2 3; }
"""

LEGEND = [
    ("Known", "#16a34a"),
    ("Asked", "#d97706"),
    ("Answered", "#4f46e5"),
    ("Skipped", "#64748b"),
    ("Current", "#e11d48"),
]

STATE_LABELS = {
    "pending": ("Open", "amber"),
    "skipped": ("Skipped", "gray"),
    "answered": ("Answered", "indigo"),
    "recognized": ("Recognized", "green"),
}


def _legend() -> rx.Component:
    return rx.hstack(
        *[
            rx.hstack(
                rx.box(width="10px", height="10px", border_radius="3px", background=color),
                rx.text(label, size="1", color_scheme="gray"),
                spacing="1",
                align="center",
            )
            for label, color in LEGEND
        ],
        spacing="3",
        align="center",
        wrap="wrap",
    )


def _box(box: dict) -> rx.Component:
    return rx.el.rect(
        rx.el.title(box["title"]),
        x=box["x"],
        y=box["y"],
        width=box["w"],
        height=box["h"],
        rx="3",
        id="box-" + box["id"].to(str),
        class_name="tl-box tl-" + box["state"].to(str),
        custom_attrs={"data-state": box["state"], "data-type": box["type"]},
        on_click=TrainingState.select_element(box["id"]),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon_button(
                rx.icon("zoom-out", size=16),
                variant="soft",
                size="1",
                on_click=TrainingState.zoom_out,
                id="zoom-out",
                aria_label="Zoom out",
            ),
            rx.button(
                TrainingState.zoom_label,
                variant="soft",
                color_scheme="gray",
                size="1",
                on_click=TrainingState.zoom_fit,
                id="zoom-fit",
                title="Fit to width",
                min_width="56px",
            ),
            rx.icon_button(
                rx.icon("zoom-in", size=16),
                variant="soft",
                size="1",
                on_click=TrainingState.zoom_in,
                id="zoom-in",
                aria_label="Zoom in",
            ),
            spacing="1",
            align="center",
        ),
        rx.spacer(),
        _legend(),
        width="100%",
        align="center",
        spacing="3",
    )


def _image() -> rx.Component:
    return rx.cond(
        TrainingState.image_url != "",
        rx.image(
            src=backend_url(TrainingState.image_url),
            alt="Screenshot",
            width="100%",
            display="block",
            draggable=False,
            id="canvas-image",
        ),
        rx.center(
            rx.vstack(
                rx.icon("image-off", size=28, color=rx.color("gray", 9)),
                rx.text("The image is not available; the boxes are drawn to scale.", size="2"),
                align="center",
            ),
            width="100%",
            aspect_ratio=TrainingState.image_width.to_string()
            + " / "
            + TrainingState.image_height.to_string(),
            background=rx.color("gray", 3),
            color=rx.color("gray", 10),
        ),
    )


def _canvas() -> rx.Component:
    return rx.card(
        rx.vstack(
            _toolbar(),
            rx.box(
                rx.box(
                    _image(),
                    rx.el.svg(
                        rx.foreach(TrainingState.boxes, _box),
                        view_box=TrainingState.view_box,
                        preserve_aspect_ratio="none",
                        xmlns="http://www.w3.org/2000/svg",
                        position="absolute",
                        top="0",
                        left="0",
                        width="100%",
                        height="100%",
                        id="canvas-svg",
                    ),
                    position="relative",
                    width=TrainingState.zoom.to_string() + "%",
                    user_select="none",
                ),
                id="canvas-viewport",
                overflow="auto",
                height="calc(100vh - 300px)",
                min_height="420px",
                width="100%",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="8px",
                background=rx.color("gray", 2),
                cursor="grab",
                title="Drag to pan; zoom with the buttons above",
            ),
            spacing="3",
            width="100%",
        ),
        flex="1",
        min_width="0",
    )


def _suggestion(text: rx.Var, index: int) -> rx.Component:
    return rx.button(
        rx.hstack(
            rx.code((index + 1).to_string(), size="1", variant="outline"),
            rx.text(text, size="2", align="left"),
            spacing="2",
            align="center",
        ),
        variant="soft",
        color_scheme="gray",
        size="2",
        width="100%",
        height="auto",
        justify_content="flex-start",
        text_align="left",
        padding_y="6px",
        white_space="normal",
        on_click=TrainingState.pick_suggestion(index),
        id="suggestion-" + (index + 1).to_string(),
    )


def _answer_form() -> rx.Component:
    return rx.vstack(
        rx.cond(
            TrainingState.current_suggestions.length() > 0,
            rx.vstack(
                rx.text("Suggestions", size="1", weight="medium", color_scheme="gray"),
                rx.foreach(TrainingState.current_suggestions, _suggestion),
                spacing="1",
                width="100%",
            ),
        ),
        rx.form(
            rx.vstack(
                rx.text_area(
                    name="answer",
                    placeholder="Or write it in your own words…",
                    id="answer-input",
                    rows="3",
                    width="100%",
                    max_length=2000,
                    resize="vertical",
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("check", size=14), "Answer", type="submit", id="answer-submit"
                    ),
                    rx.cond(
                        TrainingState.current["state"] == "skipped",
                        rx.button(
                            rx.icon("rotate-ccw", size=14),
                            "Unskip",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=TrainingState.unskip,
                            id="unskip",
                        ),
                        rx.button(
                            rx.icon("skip-forward", size=14),
                            "Skip",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=TrainingState.skip,
                            id="skip",
                        ),
                    ),
                    spacing="2",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=TrainingState.submit_answer,
            reset_on_submit=True,
            id="answer-form",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _answered() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(
                rx.cond(
                    TrainingState.current["state"] == "answered",
                    "Answered by ",
                    "Recognized from what ",
                ),
                rx.text.strong(TrainingState.current["answered_by"]),
                rx.cond(TrainingState.current["state"] == "answered", ":", " taught:"),
                size="2",
            ),
            # Shown as text: HTML in an answer stays inert.
            rx.text(
                TrainingState.current["answer"],
                size="2",
                white_space="pre-wrap",
                id="current-answer",
                word_break="break-word",
            ),
            spacing="1",
        ),
        icon="circle-check",
        color_scheme=rx.cond(TrainingState.current["state"] == "answered", "indigo", "green"),
        width="100%",
    )


def _nav_buttons() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("undo-2", size=14),
            "Back",
            variant="ghost",
            size="1",
            on_click=TrainingState.go_back,
            id="queue-back",
            disabled=TrainingState.history.length() == 0,
        ),
        rx.spacer(),
        rx.icon_button(
            rx.icon("chevron-up", size=16),
            variant="soft",
            size="1",
            on_click=TrainingState.previous_question,
            id="queue-prev",
            aria_label="Previous question",
        ),
        rx.text(TrainingState.queue_position, size="1", color_scheme="gray", id="queue-position"),
        rx.icon_button(
            rx.icon("chevron-down", size=16),
            variant="soft",
            size="1",
            on_click=TrainingState.next_question,
            id="queue-next",
            aria_label="Next question",
        ),
        width="100%",
        align="center",
        spacing="2",
    )


def _current_question() -> rx.Component:
    state = TrainingState.current["state"].to(str)
    return rx.card(
        rx.cond(
            TrainingState.current_id != "",
            rx.vstack(
                _nav_buttons(),
                rx.hstack(
                    rx.badge(TrainingState.current["type"], variant="soft", size="1"),
                    rx.badge(
                        "Priority ", TrainingState.current["priority"], variant="outline", size="1"
                    ),
                    rx.match(
                        state,
                        *[
                            (key, rx.badge(label, color_scheme=color, size="1"))
                            for key, (label, color) in STATE_LABELS.items()
                        ],
                        rx.fragment(),
                    ),
                    spacing="2",
                ),
                rx.heading(TrainingState.current["text"], size="4", id="current-question"),
                error_callout(TrainingState.answer_error, id="answer-error"),
                rx.cond(
                    (state == "answered") | (state == "recognized"),
                    _answered(),
                    _answer_form(),
                ),
                rx.text(
                    "Enter answers · S skips · J/K or ↑/↓ move · 1–5 pick a suggestion · B goes back",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.icon("party-popper", size=24, color=rx.color("green", 10)),
                rx.text("Nothing to ask on this screen.", weight="medium"),
                rx.text(
                    "Every element is known or captions another one. Pick another screen above.",
                    size="2",
                    color_scheme="gray",
                ),
                align="center",
                spacing="2",
                padding="16px",
                id="queue-empty",
            ),
        ),
        width="100%",
        id="question-card",
    )


def _element_card() -> rx.Component:
    selected = TrainingState.selected
    return rx.cond(
        selected.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text("Element", size="2", weight="bold"),
                    rx.spacer(),
                    rx.select(
                        ELEMENT_TYPES,
                        value=selected["type"].to(str),
                        on_change=TrainingState.change_type,
                        size="1",
                        id="element-type",
                    ),
                    width="100%",
                    align="center",
                ),
                rx.text(
                    rx.cond(selected["text"] != "", selected["text"], "(no text)"),
                    size="2",
                    id="element-text",
                ),
                rx.cond(
                    selected["state"] == "known",
                    rx.vstack(
                        rx.text(
                            "Recognized (",
                            selected["match_confidence"],
                            ") as: ",
                            rx.text.strong(selected["pattern_purpose"]),
                            size="2",
                        ),
                        rx.text(
                            "Taught by ", selected["pattern_author"], size="1", color_scheme="gray"
                        ),
                        rx.button(
                            rx.icon("unlink", size=14),
                            "Not this element",
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=TrainingState.reject_match(selected["id"]),
                            id="reject-match",
                        ),
                        spacing="2",
                        align="start",
                    ),
                ),
                rx.cond(
                    selected["state"] == "caption",
                    rx.text(
                        "This label captions a field; the field's question names it.",
                        size="1",
                        color_scheme="gray",
                    ),
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            width="100%",
            id="element-card",
        ),
    )


def _queue_item(question: dict) -> rx.Component:
    is_current = question["id"] == TrainingState.current_id
    return rx.hstack(
        rx.match(
            question["state"],
            ("answered", rx.icon("circle-check", size=14, color=rx.color("indigo", 10))),
            ("recognized", rx.icon("sparkles", size=14, color=rx.color("green", 10))),
            ("skipped", rx.icon("circle-dashed", size=14, color=rx.color("gray", 9))),
            rx.icon("circle-help", size=14, color=rx.color("amber", 10)),
        ),
        rx.text(question["text"], size="2", trim="both", flex="1", min_width="0"),
        padding="6px 8px",
        border_radius="6px",
        width="100%",
        align="center",
        spacing="2",
        cursor="pointer",
        background=rx.cond(is_current, rx.color("accent", 4), "transparent"),
        _hover={"background": rx.cond(is_current, rx.color("accent", 4), rx.color("gray", 3))},
        on_click=TrainingState.select_question(question["id"]),
        id="queue-" + question["id"].to(str),
        custom_attrs={"data-state": question["state"]},
    )


def _queue() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("Queue", size="2", weight="bold"),
                rx.badge(TrainingState.pending_count, " open", variant="soft", size="1"),
                align="center",
                spacing="2",
            ),
            rx.scroll_area(
                rx.vstack(rx.foreach(TrainingState.queue, _queue_item), spacing="1", width="100%"),
                max_height="calc(100vh - 640px)",
                min_height="120px",
                type="auto",
                scrollbars="vertical",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="queue",
    )


def _screens() -> rx.Component:
    return rx.hstack(
        rx.foreach(
            TrainingState.shots,
            lambda shot: rx.button(
                shot["label"],
                rx.cond(
                    shot["pending"] != "0",
                    rx.badge(shot["pending"], size="1", color_scheme="amber", variant="solid"),
                ),
                variant=rx.cond(shot["id"] == TrainingState.shot_id, "solid", "soft"),
                size="1",
                on_click=TrainingState.select_screenshot(shot["id"]),
                title=shot["progress"],
                id="screen-" + shot["id"].to(str),
            ),
        ),
        spacing="2",
        wrap="wrap",
        id="screen-switcher",
    )


def _progress() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("image", size=14, color=rx.color("gray", 10)),
            rx.text("This screen: ", size="2", color_scheme="gray"),
            rx.text(TrainingState.progress, size="2", weight="medium", id="progress"),
            spacing="1",
            align="center",
        ),
        rx.hstack(
            rx.icon("workflow", size=14, color=rx.color("gray", 10)),
            rx.text("Workflow: ", size="2", color_scheme="gray"),
            rx.text(
                TrainingState.workflow_progress, size="2", weight="medium", id="workflow-progress"
            ),
            spacing="1",
            align="center",
        ),
        spacing="5",
        wrap="wrap",
    )


def _workspace() -> rx.Component:
    return rx.cond(
        TrainingState.shots.length() == 0,
        empty_state(
            "image-plus",
            "No screenshots yet",
            "Upload the screens of this workflow; once they are analyzed, their elements "
            "appear here with a question for each one we do not know yet.",
        ),
        rx.vstack(
            rx.hstack(
                _screens(), rx.spacer(), _progress(), width="100%", align="center", wrap="wrap"
            ),
            rx.hstack(
                _canvas(),
                rx.vstack(
                    _current_question(),
                    _element_card(),
                    _queue(),
                    width="400px",
                    min_width="400px",
                    spacing="3",
                ),
                width="100%",
                align="start",
                spacing="4",
            ),
            spacing="3",
            width="100%",
        ),
    )


def canvas_content() -> rx.Component:
    """The training canvas of one workflow."""
    return rx.box(
        rx.el.style(BOX_CSS),
        rx.el.style(TrainingState.focus_css),
        # Which box is highlighted, for tests and assistive tools (kept off the <svg>, so a
        # click re-renders none of the boxes).
        rx.box(
            id="canvas-focus",
            custom_attrs={"data-focus": TrainingState.focus_element_id},
            display="none",
        ),
        rx.cond(
            TrainingState.canvas_error != "",
            rx.vstack(
                page_header("Training"),
                error_callout(TrainingState.canvas_error, id="canvas-error"),
                rx.link("Back to the home page", href=routes.HOME),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                TrainingState.canvas_loaded,
                rx.vstack(
                    page_header(
                        TrainingState.canvas_workflow["name"].to(str),
                        "Train on " + TrainingState.canvas_workflow["application"].to(str),
                        rx.link(
                            rx.button(
                                rx.icon("brain", size=14),
                                "Pattern library",
                                variant="soft",
                                color_scheme="gray",
                            ),
                            href=routes.PATTERNS,
                        ),
                    ),
                    _workspace(),
                    spacing="3",
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), height="50vh"),
            ),
        ),
        id="training-canvas",
        width="100%",
    )

"""The training canvas: one workflow's screenshots, their element boxes and the question queue."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from techledger.db import session_scope
from techledger.services import file_links, organizations, training
from techledger.services.errors import NotFound, PermissionDenied, ServiceError
from techledger.state.session import SessionState

LIVE_INTERVAL_S = 1.5
LIVE_MAX_S = 4 * 3600
ZOOM_STEPS = [50, 75, 100, 125, 150, 200, 300]
ELEMENT_TYPES = [
    "BUTTON",
    "INPUT",
    "DROPDOWN",
    "CHECKBOX",
    "RADIO",
    "TABLE",
    "LABEL",
    "LINK",
    "MENU",
    "DIALOG",
    "UNKNOWN",
]


def screenshot_image_url(screenshot: dict, token: str) -> str:
    """Where the canvas loads a screenshot's image from: the signed, authorized file route."""
    try:
        with session_scope() as session:
            link = file_links.link_maker(session=session, token=token)
    except NotFound:
        return ""
    return link(str(screenshot["id"]), "original")


# Keyboard and pan: installed once per browser tab; acts only while a canvas is on the page.
KEYBOARD_SCRIPT = """
(() => {
  if (window.__techledgerTraining) return;
  window.__techledgerTraining = true;
  const click = (id) => { const el = document.getElementById(id); if (el && !el.disabled) { el.click(); return true; } return false; };
  window.addEventListener('keydown', (event) => {
    if (!document.getElementById('training-canvas')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="listbox"]')) return;
    const target = event.target;
    const typing = target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' ||
      target.tagName === 'SELECT' || target.isContentEditable);
    if (event.key === 'Enter') {
      if (event.shiftKey) return;
      if (typing && target.id !== 'answer-input') return;
      const form = document.getElementById('answer-form');
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (typing) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    let handled = false;
    if (key === 's') handled = click('skip');
    else if (key === 'j' || key === 'ArrowDown') handled = click('queue-next');
    else if (key === 'k' || key === 'ArrowUp') handled = click('queue-prev');
    else if (key === 'b') handled = click('queue-back');
    else if (/^[1-5]$/.test(key)) handled = click('suggestion-' + key);
    if (handled) event.preventDefault();
  });
  let drag = null;
  window.addEventListener('mousedown', (event) => {
    const viewport = event.target.closest && event.target.closest('#canvas-viewport');
    if (!viewport || event.button !== 0 || event.target.tagName === 'rect') return;
    drag = {viewport, x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop};
    viewport.style.cursor = 'grabbing';
    event.preventDefault();
  });
  window.addEventListener('mousemove', (event) => {
    if (!drag) return;
    drag.viewport.scrollLeft = drag.left - (event.clientX - drag.x);
    drag.viewport.scrollTop = drag.top - (event.clientY - drag.y);
  });
  window.addEventListener('mouseup', () => { if (drag) { drag.viewport.style.cursor = ''; drag = null; } });
})();
"""


def _scroll_to_box(element_id: str) -> rx.event.EventSpec:
    return rx.call_script(
        "setTimeout(() => { const el = document.getElementById('box-"
        + element_id
        + "'); if (el) el.scrollIntoView({block: 'center', inline: 'center', behavior: 'smooth'}); }, 60)"
    )


class TrainingState(SessionState):
    """What one person sees on the canvas; every change goes through the training service."""

    canvas_workflow: dict[str, str] = {}
    canvas_error: str = ""
    canvas_loaded: bool = False
    shots: list[dict[str, str]] = []
    shot_id: str = ""
    image_url: str = ""
    image_width: int = 1
    image_height: int = 1
    boxes: list[dict[str, str]] = []
    queue: list[dict[str, str]] = []
    suggestions_of: dict[str, list[str]] = {}
    current_id: str = ""
    history: list[str] = []
    selected_element_id: str = ""
    progress: str = ""
    workflow_progress: str = ""
    zoom: int = 100
    stamp: str = ""
    live_generation: int = 0
    answer_error: str = ""
    last_result: str = ""

    # ------------------------------------------------------------------ derived
    @rx.var
    def view_box(self) -> str:
        return f"0 0 {self.image_width} {self.image_height}"

    @rx.var
    def current(self) -> dict[str, str]:
        return next((q for q in self.queue if q["id"] == self.current_id), {})

    @rx.var
    def current_suggestions(self) -> list[str]:
        return self.suggestions_of.get(self.current_id, [])

    @rx.var
    def current_element_id(self) -> str:
        return self.current.get("element_id", "") if self.current_id else ""

    @rx.var
    def focus_element_id(self) -> str:
        """The element highlighted on the canvas: the clicked one, else the question's."""
        return self.selected_element_id or self.current_element_id

    @rx.var
    def focus_css(self) -> str:
        """One style rule highlights the focused box, so a click changes a few bytes of state
        instead of re-sending every box."""
        if not self.focus_element_id:
            return ""
        return (
            f"#training-canvas #box-{self.focus_element_id} {{ stroke: #e11d48; "
            "stroke-width: 4px; fill-opacity: .18; stroke-dasharray: none; "
            "filter: drop-shadow(0 0 4px rgba(225, 29, 72, .55)); }"
        )

    @rx.var
    def selected(self) -> dict[str, str]:
        element_id = self.focus_element_id
        return next((b for b in self.boxes if b["id"] == element_id), {})

    @rx.var
    def queue_position(self) -> str:
        ids = [q["id"] for q in self.queue]
        if self.current_id not in ids:
            return ""
        return f"{ids.index(self.current_id) + 1} / {len(ids)}"

    @rx.var
    def pending_count(self) -> int:
        return sum(1 for q in self.queue if q["state"] == "pending")

    @rx.var
    def zoom_label(self) -> str:
        return f"{self.zoom}%"

    # ------------------------------------------------------------------ loading
    def _workflow_param(self) -> str:
        parts = [p for p in str(self.router.url.path).split("/") if p]  # workflows/<id>/train
        return parts[1] if len(parts) >= 3 and parts[0] == "workflows" else ""

    def _apply(self, view: dict, *, keep_current: bool = True) -> None:
        self.canvas_workflow = {k: str(v) for k, v in view["workflow"].items()}
        self.stamp = view["stamp"]
        self.shots = [{k: str(v) for k, v in s.items()} for s in view["screenshots"]]
        self.progress = view["progress"]
        self.workflow_progress = view["workflow_progress"]
        shot = view["screenshot"]
        if shot is None:
            self.shot_id, self.image_url, self.boxes, self.queue = "", "", [], []
            self.current_id = ""
            return
        if shot["id"] != self.shot_id or not self.image_url:
            self.image_url = screenshot_image_url(shot, self.auth_token)
            self.selected_element_id = ""
            self.history = []
            keep_current = False
        self.shot_id = shot["id"]
        self.image_width, self.image_height = int(shot["width"]), int(shot["height"])
        self.boxes = [{k: str(v) for k, v in b.items()} | {"current": "0"} for b in view["boxes"]]
        self.suggestions_of = {q["id"]: list(q["suggestions"]) for q in view["queue"]}
        self.queue = [
            {k: str(v) for k, v in q.items() if k != "suggestions"} | {"number": str(i + 1)}
            for i, q in enumerate(view["queue"])
        ]
        ids = {q["id"] for q in self.queue}
        if not (keep_current and self.current_id in ids):
            self.current_id = next(
                (q["id"] for q in self.queue if q["state"] == "pending"),
                self.queue[0]["id"] if self.queue else "",
            )

    def _reload(self, *, keep_current: bool = True) -> None:
        with self._as_actor() as (session, actor):
            view = training.training_view(
                session=session,
                actor=actor,
                workflow_id=self.canvas_workflow.get("id") or self._workflow_param(),
                screenshot_id=self.shot_id or None,
            )
        self._apply(view, keep_current=keep_current)

    @rx.event
    def load_canvas(self):  # noqa: ANN201
        """on_load: the workflow from the URL, its first screenshot with open questions."""
        workflow_id = self._workflow_param()
        if self.canvas_workflow.get("id") != workflow_id:
            self.shot_id, self.image_url, self.current_id = "", "", ""
            self.boxes, self.queue, self.history = [], [], []
        self.canvas_error, self.answer_error, self.last_result = "", "", ""
        self.canvas_workflow = {"id": workflow_id}
        self.zoom = 100
        try:
            self._reload(keep_current=False)
        except (NotFound, PermissionDenied) as error:
            self.canvas_error = error.message
            self.canvas_loaded = True
            return None
        except ServiceError as error:
            return self._failed(error)
        self.canvas_loaded = True
        self.live_generation += 1
        events: list[Any] = [rx.call_script(KEYBOARD_SCRIPT), TrainingState.watch_changes]
        if self.current_element_id:
            events.append(_scroll_to_box(self.current_element_id))
        return events

    # ------------------------------------------------------------------ live updates
    def _client_connected(self) -> bool:
        try:
            from reflex.utils.prerequisites import get_app

            namespace = get_app().app.event_namespace
            if namespace is None:
                return True
            return self.router.session.client_token in namespace.token_to_sid
        except Exception:  # noqa: BLE001  (when unsure, keep watching; the loop is bounded)
            return True

    @staticmethod
    def _read_stamp(token: str, workflow_id: str) -> str | None:
        try:
            with session_scope() as session:
                actor = organizations.current_actor(session=session, token=token)
                if actor is None:
                    return None
                return training.workflow_stamp(
                    session=session, actor=actor, workflow_id=workflow_id
                )
        except ServiceError:
            return None

    @rx.event(background=True)
    async def watch_changes(self):  # noqa: ANN201
        """While the canvas is open: poll the workflow's change stamp and refresh on change,
        so people training the same workflow see each other's answers without reloading."""
        async with self:
            generation = self.live_generation
            workflow_id = self.canvas_workflow.get("id", "")
            token = self.auth_token
        started = time.monotonic()
        while workflow_id and time.monotonic() - started < LIVE_MAX_S:
            await asyncio.sleep(LIVE_INTERVAL_S)
            if not self._client_connected():
                return
            stamp = await asyncio.to_thread(self._read_stamp, token, workflow_id)
            async with self:
                if (
                    self.live_generation != generation
                    or self.canvas_workflow.get("id") != workflow_id
                ):
                    return
                if stamp is None or stamp == self.stamp:
                    continue
                try:
                    self._reload(keep_current=True)
                except ServiceError:
                    return

    # ------------------------------------------------------------------ navigation
    @rx.event
    def select_screenshot(self, screenshot_id: str):  # noqa: ANN201
        self.shot_id = screenshot_id
        self.image_url = ""
        self.answer_error = ""
        try:
            self._reload(keep_current=False)
        except ServiceError as error:
            return self._failed(error)
        return _scroll_to_box(self.current_element_id) if self.current_element_id else None

    def _go(self, question_id: str, *, remember: bool = True):  # noqa: ANN202
        if not question_id:
            return None
        if remember and self.current_id and self.current_id != question_id:
            self.history = (self.history + [self.current_id])[-50:]
        self.current_id = question_id
        self.selected_element_id = ""
        self.answer_error = ""
        return _scroll_to_box(self.current_element_id)

    @rx.event
    def select_question(self, question_id: str):  # noqa: ANN201
        return self._go(question_id)

    @rx.event
    def select_element(self, element_id: str):  # noqa: ANN201
        """A click on a box: its question if it has one, else the element's details."""
        box = next((b for b in self.boxes if b["id"] == element_id), None)
        if box is None:
            return None
        if box["question_id"] and any(q["id"] == box["question_id"] for q in self.queue):
            return self._go(box["question_id"])
        self.selected_element_id = element_id
        return None

    def _step(self, delta: int):  # noqa: ANN202
        ids = [q["id"] for q in self.queue]
        if not ids:
            return None
        index = ids.index(self.current_id) if self.current_id in ids else -1
        return self._go(ids[(index + delta) % len(ids)])

    @rx.event
    def next_question(self):  # noqa: ANN201
        return self._step(1)

    @rx.event
    def previous_question(self):  # noqa: ANN201
        return self._step(-1)

    @rx.event
    def go_back(self):  # noqa: ANN201
        """Back to the question shown before this one."""
        ids = {q["id"] for q in self.queue}
        while self.history:
            previous = self.history[-1]
            self.history = self.history[:-1]
            if previous in ids:
                return self._go(previous, remember=False)
        return None

    @rx.event
    def zoom_in(self) -> None:
        self.zoom = next((z for z in ZOOM_STEPS if z > self.zoom), ZOOM_STEPS[-1])

    @rx.event
    def zoom_out(self) -> None:
        self.zoom = next((z for z in reversed(ZOOM_STEPS) if z < self.zoom), ZOOM_STEPS[0])

    @rx.event
    def zoom_fit(self) -> None:
        self.zoom = 100

    # ------------------------------------------------------------------ training
    def _after_change(self, message: str, *, advance: bool):  # noqa: ANN202
        answered_id = self.current_id
        self._reload(keep_current=True)
        events: list[Any] = [rx.toast.success(message)]
        if advance:
            following = next((q["id"] for q in self.queue if q["state"] == "pending"), "")
            if following and following != answered_id:
                self.history = (self.history + [answered_id])[-50:]
                self.current_id = following
                events.append(_scroll_to_box(self.current_element_id))
        return events

    def _answer(self, text: str):  # noqa: ANN202
        self.answer_error = ""
        question_id = self.current_id
        try:
            with self._as_actor() as (session, actor):
                result = training.answer_question(
                    session=session, actor=actor, question_id=question_id, answer_text=text
                )
        except ServiceError as error:
            self.answer_error = error.message
            try:
                self._reload(keep_current=True)  # show who answered, or that it is gone
            except ServiceError:
                pass
            return None
        resolved = result["resolved"]
        message = "Learned." + (
            f" {resolved} other question{'s' if resolved != 1 else ''} answered by this pattern."
            if resolved
            else ""
        )
        self.last_result = message
        return self._after_change(message, advance=True)

    @rx.event
    def submit_answer(self, form_data: dict):  # noqa: ANN201
        return self._answer(str(form_data.get("answer", "")))

    @rx.event
    def pick_suggestion(self, index: int):  # noqa: ANN201
        suggestions = self.suggestions_of.get(self.current_id, [])
        if not 0 <= int(index) < len(suggestions):
            return None
        return self._answer(suggestions[int(index)])

    @rx.event
    def skip(self):  # noqa: ANN201
        self.answer_error = ""
        try:
            with self._as_actor() as (session, actor):
                training.skip_question(session=session, actor=actor, question_id=self.current_id)
        except ServiceError as error:
            self.answer_error = error.message
            return None
        return self._after_change("Skipped; it stays in the queue.", advance=True)

    @rx.event
    def unskip(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                training.reopen_question(session=session, actor=actor, question_id=self.current_id)
        except ServiceError as error:
            self.answer_error = error.message
            return None
        return self._after_change("Back in the queue.", advance=False)

    @rx.event
    def reject_match(self, element_id: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                result = training.reject_match(session=session, actor=actor, element_id=element_id)
        except ServiceError as error:
            return self._failed(error)
        self._reload(keep_current=True)
        events = [rx.toast.success("Unlinked; the pattern is trusted less. Tell us what it is.")]
        scroll = self._go(result["question_id"])
        return events + ([scroll] if scroll is not None else [])

    @rx.event
    def change_type(self, element_type: str):  # noqa: ANN201
        element_id = self.selected.get("id", "")
        if not element_id:
            return None
        try:
            with self._as_actor() as (session, actor):
                result = training.change_element_type(
                    session=session, actor=actor, element_id=element_id, element_type=element_type
                )
        except ServiceError as error:
            return self._failed(error)
        self._reload(keep_current=True)
        events: list[Any] = [rx.toast.success(f"Now a {element_type.title()}.")]
        scroll = self._go(result["question_id"]) if result["question_id"] else None
        if scroll is not None:
            events.append(scroll)
        else:
            self.selected_element_id = element_id
        return events

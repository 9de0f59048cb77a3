"""One workflow's page: details, upload with progress, live analysis status, order, viewer."""

from __future__ import annotations

import asyncio

import reflex as rx

from techledger import routes
from techledger.db import session_scope
from techledger.services import file_links, organizations, screenshots, workflows
from techledger.services.errors import NotFound, ServiceError
from techledger.state.session import NoOrganization, SessionState
from techledger.vision.annotate import TYPE_COLORS

UPLOAD_ID = "screenshots"
POLL_S = 1.0
POLL_LIMIT_S = 30 * 60
PENDING = ("UPLOADED", "PROCESSING")


def store_upload(token: str, workflow_id: str, filename: str, data: bytes) -> dict[str, str]:
    """Validate and store one uploaded file in its own transaction; what happened to it."""
    try:
        with session_scope() as session:
            actor = organizations.current_actor(session=session, token=token)
            if actor is None:
                raise NoOrganization("Choose or create an organization first.")
            shot = screenshots.upload_screenshot(
                session=session, actor=actor, workflow_id=workflow_id, filename=filename, data=data
            )
            return {"state": "stored", "message": "Uploaded; analysis queued.", "id": shot.id}
    except ServiceError as error:
        return {"state": "rejected", "message": error.message, "id": ""}


def _color(element_type: str) -> str:
    from techledger.enums import ElementType

    try:
        return TYPE_COLORS.get(ElementType(element_type), "#868e96")
    except ValueError:
        return "#868e96"


class WorkflowState(SessionState):
    """The workflow in view, its screenshots, the uploads in flight and the viewer."""

    workflow: dict[str, str | int] = {}
    shots: list[dict[str, str | int | bool]] = []
    uploads: list[dict[str, str | int]] = []
    uploading: bool = False
    watching: bool = False
    not_found: bool = False
    viewer_id: str = ""
    viewer: dict[str, str | int] = {}
    elements: list[dict[str, str | int | float]] = []
    hovered: dict[str, str] = {}
    show_boxes: bool = True
    rename_open: bool = False
    rename_value: str = ""
    rename_error: str = ""
    pending_delete: dict[str, str] = {}

    # ------------------------------------------------------------------ derived
    @rx.var
    def page_workflow_id(self) -> str:
        return str(self.router.page.params.get("workflow_id", ""))

    @rx.var
    def canvas_path(self) -> str:
        return routes.canvas(self.page_workflow_id)

    @rx.var
    def is_active(self) -> bool:
        return self.workflow.get("status") == "ACTIVE"

    @rx.var
    def pending_count(self) -> int:
        return sum(1 for s in self.shots if s["status"] in PENDING)

    @rx.var
    def viewer_box(self) -> str:
        return f"0 0 {self.viewer.get('width', 1)} {self.viewer.get('height', 1)}"

    @rx.var
    def type_legend(self) -> list[list[str]]:
        seen: dict[str, int] = {}
        for e in self.elements:
            seen[str(e["element_type"])] = seen.get(str(e["element_type"]), 0) + 1
        return [[t, _color(t), str(n)] for t, n in sorted(seen.items())]

    # ------------------------------------------------------------------ helpers
    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        self.workflow = workflows.describe_workflow(
            session=session, actor=actor, workflow_id=self.page_workflow_id
        )
        rows = screenshots.list_screenshots(
            session=session, actor=actor, workflow_id=self.page_workflow_id
        )
        link = file_links.link_maker(session=session, token=self.auth_token)
        for row in rows:
            row["thumb_url"] = link(str(row["id"]), "thumbnail")
        self.shots = rows
        if self.viewer_id and not any(s["id"] == self.viewer_id for s in rows):
            self._close_viewer()
        elif self.viewer_id:
            current = next(s for s in rows if s["id"] == self.viewer_id)
            if current["status"] != self.viewer.get("status"):
                self._load_viewer(session, actor, self.viewer_id)

    def _load_viewer(self, session, actor, screenshot_id: str) -> None:  # noqa: ANN001
        shot = next((s for s in self.shots if s["id"] == screenshot_id), None)
        if shot is None:
            raise NotFound("Screenshot not found.")
        elements = screenshots.list_elements(
            session=session, actor=actor, screenshot_id=screenshot_id
        )
        for index, element in enumerate(elements):
            element["color"] = _color(str(element["element_type"]))
            element["index"] = index
        link = file_links.link_maker(session=session, token=self.auth_token)
        self.viewer_id = screenshot_id
        self.viewer = {
            "id": screenshot_id,
            "filename": shot["filename"],
            "status": shot["status"],
            "failure_reason": shot["failure_reason"],
            "width": shot["width"],
            "height": shot["height"],
            "position": int(shot["position"]) + 1,
            "url": link(screenshot_id, "original"),
            "annotated_url": link(screenshot_id, "annotated") if shot["has_annotated"] else "",
        }
        self.elements = elements
        self.hovered = {}

    def _close_viewer(self) -> None:
        self.viewer_id = ""
        self.viewer = {}
        self.elements = []
        self.hovered = {}

    def _has_pending(self) -> bool:
        return any(s["status"] in PENDING for s in self.shots)

    # ------------------------------------------------------------------ events
    @rx.event
    def load_workflow(self):  # noqa: ANN201
        self.not_found = False
        self.uploads = []
        self.uploading = False
        self._close_viewer()
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except NotFound:
            self.not_found = True
            self.workflow, self.shots = {}, []
            return None
        except ServiceError as error:
            return self._failed(error)
        return WorkflowState.watch_analysis if self._has_pending() else None

    @rx.event
    def reload(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return WorkflowState.watch_analysis if self._has_pending() else None

    # --- upload
    @rx.event
    def begin_upload(self, chosen: list[dict]):  # noqa: ANN201
        """The browser's list of dropped files (name, size), before their bytes arrive."""
        self.uploads = [
            {
                "name": str(f.get("name", "")),
                "size": int(f.get("size", 0) or 0),
                "progress": 0,
                "state": "sending",
                "message": "",
            }
            for f in chosen[:200]
        ]
        self.uploading = bool(self.uploads)

    @rx.event
    def upload_progress(self, progress: dict):  # noqa: ANN201
        """Bytes sent so far, spread over the files in the order they are sent."""
        loaded = float(progress.get("loaded", 0) or 0)
        total = float(progress.get("total", 0) or 0)
        sizes = [int(u["size"]) for u in self.uploads]
        if not sizes or total <= 0:
            return
        # The multipart body is the files in order plus a little framing per part.
        scale = sum(sizes) / total if total else 1.0
        sent = loaded * scale
        updated = []
        for upload, size in zip(self.uploads, sizes, strict=True):
            done = 100 if size == 0 else int(max(0.0, min(1.0, sent / size)) * 100)
            sent -= size
            row = dict(upload)
            if row["state"] == "sending":
                row["progress"] = max(int(row["progress"]), done)
            updated.append(row)
        self.uploads = updated

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Store each file (validated first); rejected ones say why; the rest get analysed."""
        if len(self.uploads) != len(files):
            self.begin_upload([{"name": f.name or "", "size": 0} for f in files])
        for index, file in enumerate(files):
            row = dict(self.uploads[index])
            row.update(progress=100, state="checking", message="Checking the image…")
            self.uploads[index] = row
            yield
            data = await file.read()
            result = await asyncio.to_thread(
                store_upload,
                self.auth_token,
                self.page_workflow_id,
                file.name or "screenshot",
                data,
            )
            row = dict(self.uploads[index])
            row.update(state=result["state"], message=result["message"])
            self.uploads[index] = row
            yield
        self.uploading = False
        rejected = sum(1 for u in self.uploads if u["state"] == "rejected")
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            yield self._failed(error)
            return
        if rejected:
            yield rx.toast.error(
                f"{rejected} of {len(files)} file(s) were not accepted; see why below.",
                close_button=True,
            )
        else:
            yield rx.toast.success(f"{len(files)} screenshot(s) uploaded; analysing…")
        yield WorkflowState.watch_analysis

    @rx.event
    def clear_uploads(self) -> None:
        self.uploads = []

    @rx.event(background=True)
    async def watch_analysis(self):  # noqa: ANN201
        """While a screenshot waits for or runs its analysis, refresh the list every second."""
        async with self:
            if self.watching:
                return
            self.watching = True
            workflow_id = self.page_workflow_id
        try:
            waited = 0.0
            while waited < POLL_LIMIT_S:
                await asyncio.sleep(POLL_S)
                waited += POLL_S
                async with self:
                    if self.page_workflow_id != workflow_id or self.not_found:
                        break
                    try:
                        with self._as_actor() as (session, actor):
                            self._refresh(session, actor)
                    except ServiceError:
                        break
                    if not self._has_pending():
                        break
        finally:
            async with self:
                self.watching = False

    # --- screenshots
    @rx.event
    def retry(self, screenshot_id: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                screenshots.retry_screenshot(
                    session=session, actor=actor, screenshot_id=screenshot_id
                )
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return [rx.toast.info("Analysing again…"), WorkflowState.watch_analysis]

    @rx.event
    def move(self, screenshot_id: str, offset: int):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                screenshots.move_screenshot(
                    session=session, actor=actor, screenshot_id=screenshot_id, offset=offset
                )
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def place(self, drop: dict):  # noqa: ANN201
        """A card dropped in the grid: ``{"id", "position"}``."""
        try:
            with self._as_actor() as (session, actor):
                screenshots.place_screenshot(
                    session=session,
                    actor=actor,
                    screenshot_id=str(drop.get("id", "")),
                    position=drop.get("position"),
                )
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def ask_delete(self, shot: dict):  # noqa: ANN201
        self.pending_delete = {"id": str(shot["id"]), "filename": str(shot["filename"])}

    @rx.event
    def cancel_delete(self) -> None:
        self.pending_delete = {}

    @rx.event
    def confirm_delete(self):  # noqa: ANN201
        screenshot_id = self.pending_delete.get("id", "")
        name = self.pending_delete.get("filename", "")
        self.pending_delete = {}
        try:
            with self._as_actor() as (session, actor):
                screenshots.delete_screenshot(
                    session=session, actor=actor, screenshot_id=screenshot_id
                )
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(f"{name} was deleted.")

    # --- viewer
    @rx.event
    def open_viewer(self, screenshot_id: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self._load_viewer(session, actor, screenshot_id)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def close_viewer(self) -> None:
        self._close_viewer()

    @rx.event
    def step_viewer(self, offset: int):  # noqa: ANN201
        ids = [str(s["id"]) for s in self.shots]
        if self.viewer_id not in ids:
            return None
        index = max(0, min(len(ids) - 1, ids.index(self.viewer_id) + offset))
        return WorkflowState.open_viewer(ids[index])

    @rx.event
    def hover(self, element: dict) -> None:
        self.hovered = {
            "type": str(element.get("element_type", "")),
            "text": str(element.get("text", "")),
            "confidence": f"{float(element.get('confidence', 0)):.0%}",
            "index": str(element.get("index", "")),
        }

    @rx.event
    def unhover(self) -> None:
        self.hovered = {}

    @rx.event
    def toggle_boxes(self) -> None:
        self.show_boxes = not self.show_boxes

    # --- workflow
    @rx.event
    def open_rename(self) -> None:
        self.rename_value = str(self.workflow.get("name", ""))
        self.rename_error = ""
        self.rename_open = True

    @rx.event
    def set_rename_open(self, value: bool) -> None:
        self.rename_open = value

    @rx.event
    def set_rename_value(self, value: str) -> None:
        self.rename_value = value

    @rx.event
    def rename(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                workflows.rename_workflow(
                    session=session,
                    actor=actor,
                    workflow_id=self.page_workflow_id,
                    name=self.rename_value,
                )
                self._refresh(session, actor)
        except ServiceError as error:
            self.rename_error = error.message
            return None
        self.rename_open = False
        return rx.toast.success("Workflow renamed.")

    @rx.event
    def change_status(self, action: str):  # noqa: ANN201
        change = {
            "complete": workflows.complete_workflow,
            "archive": workflows.archive_workflow,
            "reopen": workflows.reopen_workflow,
        }.get(action)
        if change is None:
            return None
        try:
            with self._as_actor() as (session, actor):
                change(session=session, actor=actor, workflow_id=self.page_workflow_id)
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(f"Workflow is now {str(self.workflow['status']).lower()}.")

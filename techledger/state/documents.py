"""States of the documents pages: the library (browse, search, generate), the editor, the
review queue. Thin: every rule lives in ``services.documents`` and its neighbours."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from techledger import routes
from techledger.services import document_export, document_generation, documents
from techledger.services.document_images import sign_step_images
from techledger.services.document_search import search_documents
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState

ALL = "all"
STATUSES = [ALL, "DRAFT", "REVIEW", "PUBLISHED", "ARCHIVED"]


def backend_url() -> str:
    """Where the browser reaches the backend's API routes (images, downloads)."""
    from reflex.config import get_config

    return (get_config().api_url or "").rstrip("/")


class DocumentsState(SessionState):
    """The documents library of the current organization."""

    items: list[dict] = []
    results: list[dict] = []
    query: str = ""
    status_filter: str = ALL
    app_filter: str = ALL
    action_filter: str = ""
    action_filter_name: str = ""
    applications: list[str] = []
    tree: list[dict] = []
    workflows: list[dict] = []
    generate_open: bool = False
    generate_workflow: str = ""
    generating: bool = False
    generate_error: str = ""

    @rx.var
    def searching(self) -> bool:
        return self.query.strip() != ""

    @rx.var
    def app_choices(self) -> list[str]:
        return [ALL, *self.applications]

    def _status(self) -> str | None:
        return None if self.status_filter == ALL else self.status_filter

    def _app(self) -> str | None:
        return None if self.app_filter == ALL else self.app_filter

    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        self.items = documents.list_documents(
            session=session,
            actor=actor,
            status=self._status(),
            application=self._app(),
            action_id=self.action_filter or None,
        )
        self.results = (
            search_documents(
                session=session,
                actor=actor,
                query=self.query,
                status=self._status(),
                application=self._app(),
            )
            if self.query.strip()
            else []
        )

    @rx.event
    def load_documents(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self.applications = documents.list_applications(session=session, actor=actor)
                self.tree = documents.browse_hierarchy(session=session, actor=actor)
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    def _reload(self):  # noqa: ANN202
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def set_query(self, value: str):  # noqa: ANN201
        self.query = value[:200]
        return self._reload()

    @rx.event
    def clear_query(self):  # noqa: ANN201
        self.query = ""
        return self._reload()

    @rx.event
    def set_status_filter(self, value: str):  # noqa: ANN201
        self.status_filter = value if value in STATUSES else ALL
        return self._reload()

    @rx.event
    def set_app_filter(self, value: str):  # noqa: ANN201
        self.app_filter = value
        return self._reload()

    @rx.event
    def select_action(self, action_id: str, name: str):  # noqa: ANN201
        if self.action_filter == action_id:
            self.action_filter, self.action_filter_name = "", ""
        else:
            self.action_filter, self.action_filter_name = action_id, name
        return self._reload()

    @rx.event
    def open_generate(self):  # noqa: ANN201
        self.generate_error = ""
        try:
            with self._as_actor() as (session, actor):
                self.workflows = document_generation.list_workflows(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        self.generate_workflow = self.workflows[0]["id"] if self.workflows else ""
        self.generate_open = True
        return None

    @rx.event
    def set_generate_open(self, value: bool) -> None:
        self.generate_open = value

    @rx.event
    def set_generate_workflow(self, value: str) -> None:
        self.generate_workflow = value

    @rx.event
    def generate(self):  # noqa: ANN201
        self.generate_error = ""
        if not self.generate_workflow:
            self.generate_error = "Pick a workflow first."
            return None
        self.generating = True
        yield
        try:
            with self._as_actor() as (session, actor):
                document = document_generation.generate_document(
                    session=session, actor=actor, workflow_id=self.generate_workflow
                )
                document_id, version = document.id, document.version
        except ServiceError as error:
            self.generating = False
            self.generate_error = error.message
            return
        self.generating = False
        self.generate_open = False
        yield rx.toast.success(f"Guide written (version {version}).")
        yield rx.redirect(routes.document(document_id))


class EditorState(SessionState):
    """One document: the live editor, its history, review and export; a read view for readers."""

    doc: dict = {}
    title: str = ""
    content: str = ""
    tags_text: str = ""
    revision: int = 0
    save_state: str = "saved"  # saved | saving | unsaved | conflict | error
    save_error: str = ""
    theirs: dict = {}
    versions: list[dict] = []
    compare_old: str = ""
    compare_new: str = ""
    diff_rows: list[dict] = []
    diff_summary: str = ""
    version_note: str = ""
    review_note: str = ""
    send_back_comments: str = ""
    dialog: str = ""  # submit | send_back | archive | version | restore
    restore_target: int = 0
    export_id: str = ""
    export_format: str = ""
    export_progress: int = 0
    export_status: str = ""
    export_error: str = ""

    # ------------------------------------------------------------------ views
    @rx.var
    def preview(self) -> str:
        """The Markdown as the browser shows it: step images through signed links."""
        return sign_step_images(self.content, base_url=backend_url())

    @rx.var
    def can_edit(self) -> bool:
        return bool(self.doc.get("can_edit"))

    @rx.var
    def status(self) -> str:
        return str(self.doc.get("status", ""))

    @rx.var
    def is_writer(self) -> bool:
        from techledger.services.permissions import Permission, can

        return bool(self.role) and can(self.role, Permission.READ_DRAFTS)

    @rx.var
    def review_note_shown(self) -> str:
        review = self.doc.get("review") or {}
        note = str(review.get("note", ""))
        if not note or note in ("Saved as a version.",):
            return ""
        return f"{note} — {review.get('by', '')}"

    @rx.var
    def meta_line(self) -> str:
        meta = self.doc.get("meta") or {}
        parts = [str(self.doc.get("application_name", ""))]
        if meta.get("estimatedReadTime"):
            parts.append(f"{meta['estimatedReadTime']} min read")
        if meta.get("wordCount"):
            parts.append(f"{meta['wordCount']} words")
        if meta.get("screenshotCount"):
            parts.append(f"{meta['screenshotCount']} screens")
        if meta.get("difficulty"):
            parts.append(str(meta["difficulty"]).capitalize())
        parts.append(f"version {self.doc.get('reading_version', '')}")
        return " · ".join(p for p in parts if p)

    # ------------------------------------------------------------------ helpers
    def _doc_id(self) -> str:
        return str(self.router.page.params.get("document_id", ""))

    def _fill(self, data: dict) -> None:
        self.doc = data
        self.title = data["title"]
        self.content = data["content"]
        self.tags_text = ", ".join(data.get("tags") or [])
        self.revision = int(data.get("revision", 0))

    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        self._fill(documents.get_document(session=session, actor=actor, document_id=self._doc_id()))
        self.versions = (
            documents.list_versions(session=session, actor=actor, document_id=self._doc_id())
            if self.is_writer
            else []
        )

    # ------------------------------------------------------------------ loading
    @rx.event
    def load_document(self):  # noqa: ANN201
        self.save_state, self.save_error, self.theirs = "saved", "", {}
        self.diff_rows, self.diff_summary, self.dialog = [], "", ""
        self.export_id = self.export_status = self.export_error = ""
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            self.doc = {}
            return self._failed(error)
        if len(self.versions) >= 2:
            self.compare_old = str(self.versions[1]["version"])
            self.compare_new = str(self.versions[0]["version"])
        return None

    # ------------------------------------------------------------------ editing
    def _save(self):  # noqa: ANN202
        try:
            with self._as_actor() as (session, actor):
                result = documents.save_draft(
                    session=session,
                    actor=actor,
                    document_id=self._doc_id(),
                    title=self.title,
                    content=self.content,
                    tags=self.tags_text,
                    base_revision=self.revision,
                )
                self.revision = result["revision"]
                if result["version"] != self.doc.get("version"):
                    self._refresh(session, actor)
                else:
                    self.doc = {**self.doc, "status": result["status"]}
        except documents.EditConflict as conflict:
            self.save_state = "conflict"
            self.theirs = self._latest_copy() or conflict.theirs
            return None
        except ServiceError as error:
            self.save_state = "error"
            self.save_error = error.message
            return None
        self.save_state, self.save_error = "saved", ""
        return None

    def _latest_copy(self) -> dict:
        try:
            with self._as_actor() as (session, actor):
                return documents.working_copy(
                    session=session, actor=actor, document_id=self._doc_id()
                )
        except ServiceError:
            return {}

    def _autosave(self):  # noqa: ANN202
        if self.save_state == "conflict":
            return  # kept here, nothing lost: saved when the person settles the conflict
        self.save_state = "saving"
        yield
        self._save()

    @rx.event
    def edit_content(self, value: str):  # noqa: ANN201
        self.content = value
        yield from self._autosave()

    @rx.event
    def edit_title(self, value: str):  # noqa: ANN201
        self.title = value
        yield from self._autosave()

    @rx.event
    def edit_tags(self, value: str):  # noqa: ANN201
        self.tags_text = value
        yield from self._autosave()

    @rx.event
    def set_content(self, value: str) -> None:
        """Conflict panel: edit my text locally while merging (saved by "Keep mine")."""
        self.content = value

    @rx.event
    def take_theirs(self):  # noqa: ANN201
        """Conflict: drop my text, continue from what the other person saved."""
        self.title = str(self.theirs.get("title", self.title))
        self.content = str(self.theirs.get("content", self.content))
        self.tags_text = ", ".join(self.theirs.get("tags") or [])
        self.revision = int(self.theirs.get("revision", self.revision))
        self.theirs, self.save_state = {}, "saved"
        return rx.toast.info("Their version is loaded; your edits were set aside.")

    @rx.event
    def keep_mine(self):  # noqa: ANN201
        """Conflict: save my (possibly merged) text over theirs, knowingly."""
        self.revision = int(self.theirs.get("revision", self.revision))
        self.theirs = {}
        self.save_state = "saving"
        yield
        self._save()

    @rx.event
    def append_theirs(self):  # noqa: ANN201
        """Conflict: merge by keeping my text and adding theirs below, to tidy up by hand."""
        theirs = str(self.theirs.get("content", ""))
        self.content = f"{self.content.rstrip()}\n\n<!-- their version below -->\n\n{theirs}"
        self.revision = int(self.theirs.get("revision", self.revision))
        self.theirs = {}
        self.save_state = "saving"
        yield
        self._save()

    # ------------------------------------------------------------------ dialogs
    @rx.event
    def open_dialog(self, name: str) -> None:
        self.dialog = name

    @rx.event
    def close_dialog(self) -> None:
        self.dialog = ""

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        if not value:
            self.dialog = ""

    @rx.event
    def set_version_note(self, value: str) -> None:
        self.version_note = value

    @rx.event
    def set_review_note(self, value: str) -> None:
        self.review_note = value

    @rx.event
    def set_send_back_comments(self, value: str) -> None:
        self.send_back_comments = value

    def _act(self, action, success: str, **kwargs):  # noqa: ANN001, ANN003, ANN202
        try:
            with self._as_actor() as (session, actor):
                action(session=session, actor=actor, document_id=self._doc_id(), **kwargs)
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        self.dialog = ""
        self.save_state = "saved"
        return rx.toast.success(success)

    @rx.event
    def save_version(self):  # noqa: ANN201
        note, self.version_note = self.version_note, ""
        return self._act(
            documents.save_version,
            "Saved as a new version.",
            changelog=note,
            title=self.title,
            content=self.content,
            tags=self.tags_text,
            base_revision=self.revision,
        )

    @rx.event
    def submit_for_review(self):  # noqa: ANN201
        note, self.review_note = self.review_note, ""
        return self._act(documents.submit_for_review, "Sent for review.", note=note)

    @rx.event
    def approve(self):  # noqa: ANN201
        return self._act(documents.approve, "Approved and published.")

    @rx.event
    def send_back(self):  # noqa: ANN201
        comments = self.send_back_comments
        result = self._act(documents.send_back, "Sent back to the author.", comments=comments)
        if self.dialog == "":
            self.send_back_comments = ""
        return result

    @rx.event
    def archive(self):  # noqa: ANN201
        return self._act(documents.archive, "Archived.")

    @rx.event
    def ask_restore(self, version: int) -> None:
        self.restore_target = int(version)
        self.dialog = "restore"

    @rx.event
    def restore(self):  # noqa: ANN201
        return self._act(
            documents.restore_version,
            f"Version {self.restore_target} restored as a new version.",
            version=self.restore_target,
            base_revision=self.revision,
        )

    # ------------------------------------------------------------------ compare
    @rx.event
    def set_compare_old(self, value: str) -> None:
        self.compare_old = value

    @rx.event
    def set_compare_new(self, value: str) -> None:
        self.compare_new = value

    @rx.event
    def compare(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                result = documents.diff_versions(
                    session=session,
                    actor=actor,
                    document_id=self._doc_id(),
                    old=int(self.compare_old or 0),
                    new=int(self.compare_new or 0),
                )
        except (ServiceError, ValueError) as error:
            return self._failed(
                error if isinstance(error, ServiceError) else ServiceError(str(error))
            )
        self.diff_rows = result["rows"][:3000]
        self.diff_summary = (
            f"Version {result['old']} → {result['new']}: {result['added']} lines added, "
            f"{result['removed']} removed"
        )
        return None

    @rx.event
    def close_compare(self) -> None:
        self.diff_rows, self.diff_summary = [], ""

    # ------------------------------------------------------------------ export
    @rx.event
    def export(self, fmt: str):  # noqa: ANN201
        self.export_error = ""
        try:
            with self._as_actor() as (session, actor):
                status = document_export.request_export(
                    session=session, actor=actor, document_id=self._doc_id(), fmt=fmt
                )
        except ServiceError as error:
            return self._failed(error)
        self.export_id, self.export_format = status["id"], fmt
        self.export_status, self.export_progress = status["status"], status["progress"]
        return EditorState.follow_export

    @rx.event(background=True)
    async def follow_export(self):  # noqa: ANN201
        """Poll the export job until it is done, then hand the browser its download."""
        for _ in range(600):
            await asyncio.sleep(0.5)
            async with self:
                export_id = self.export_id
                if not export_id:
                    return
                try:
                    with self._as_actor() as (session, actor):
                        status = document_export.export_status(
                            session=session, actor=actor, export_id=export_id
                        )
                        link = (
                            document_export.download_path(
                                session=session, actor=actor, export_id=export_id
                            )
                            if status["status"] == "done"
                            else ""
                        )
                except ServiceError as error:
                    self.export_status, self.export_error = "failed", error.message
                    return
                self.export_status, self.export_progress = status["status"], status["progress"]
                if status["status"] == "failed":
                    self.export_error = status["error"] or "The export failed."
                    return
                if link:
                    # An attachment: the browser saves it and stays on the page.
                    return rx.call_script(
                        f"window.location.assign({json.dumps(backend_url() + link)})"
                    )
        async with self:
            self.export_status, self.export_error = "failed", "The export took too long."


class ReviewState(SessionState):
    """Documents waiting for an admin's review."""

    queue: list[dict] = []
    send_back_id: str = ""
    comments: str = ""

    @rx.event
    def load_queue(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self.queue = documents.review_queue(session=session, actor=actor)
        except ServiceError as error:
            self.queue = []
            return self._failed(error)
        return None

    @rx.event
    def approve(self, document_id: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                documents.approve(session=session, actor=actor, document_id=document_id)
                self.queue = documents.review_queue(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success("Approved and published.")

    @rx.event
    def ask_send_back(self, document_id: str) -> None:
        self.send_back_id, self.comments = document_id, ""

    @rx.event
    def set_comments(self, value: str) -> None:
        self.comments = value

    @rx.event
    def set_send_back_open(self, value: bool) -> None:
        if not value:
            self.send_back_id = ""

    @rx.event
    def send_back(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                documents.send_back(
                    session=session,
                    actor=actor,
                    document_id=self.send_back_id,
                    comments=self.comments,
                )
                self.queue = documents.review_queue(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        self.send_back_id, self.comments = "", ""
        return rx.toast.success("Sent back to the author with your comments.")

"""The hierarchy editor: the tree, the selected node's panel, add/delete dialogs, import/export."""

from __future__ import annotations

from typing import Any

import reflex as rx

from techledger.db import session_scope
from techledger.services import hierarchy, hierarchy_io
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState

# Up to this many nodes the whole tree starts open and is sent at once. A bigger tree starts
# with its Systems open: the Systems and Departments are sent first (all that is on screen),
# and the rest follows in a second message.
OPEN_ALL_LIMIT = 400


class HierarchyState(SessionState):
    """What the hierarchy page shows. The services check every change again."""

    # The tree, compact: [level depth, row id, parent's position in this list, name, app].
    rows: list[list] = []
    tree_version: int = 0
    tree_loaded: bool = False
    tree_complete: bool = False
    total_nodes: int = 0
    search: str = ""
    moves_saved: int = 0
    renames_saved: int = 0

    selected_id: str = ""
    details: dict[str, Any] = {}
    edit_description: str = ""
    edit_application: str = ""

    add_open: bool = False
    add_parent_id: str = ""
    add_parent_name: str = ""
    add_level: str = ""
    add_level_label: str = ""
    add_name: str = ""
    add_application: str = ""
    add_error: str = ""

    pending_delete: dict[str, Any] = {}

    import_errors: list[str] = []
    import_summary: str = ""
    import_report: str = ""
    templates: list[dict[str, Any]] = []

    @rx.var
    def node_count(self) -> int:
        return max(self.total_nodes, len(self.rows))

    @rx.var
    def open_all(self) -> bool:
        return self.node_count <= OPEN_ALL_LIMIT

    @rx.var
    def add_is_action(self) -> bool:
        return self.add_level == "action"

    @rx.var
    def selected_is_action(self) -> bool:
        return self.details.get("level") == "action"

    # ------------------------------------------------------------------ helpers
    def _send_tree(self, session, actor) -> None:  # noqa: ANN001
        """Load the tree from the database and make the browser replace its copy."""
        self.rows = hierarchy.tree_rows(session=session, actor=actor)
        self.total_nodes = len(self.rows)
        self.tree_version += 1
        self.tree_loaded = self.tree_complete = True

    def _has_node(self, node_id: str) -> bool:
        key, _, row_id = node_id.partition(":")
        level = hierarchy.LEVEL_BY_KEY.get(key)
        return level is not None and any(r[1] == row_id and r[0] == level.depth for r in self.rows)

    def _select(self, session, actor, node_id: str) -> None:  # noqa: ANN001
        if not node_id:
            self.selected_id, self.details = "", {}
            return
        self.details = hierarchy.node_details(session=session, actor=actor, node=node_id)
        self.selected_id = node_id
        self.edit_description = self.details["description"]
        self.edit_application = self.details["application_name"]

    def _refused(self, error: ServiceError):  # noqa: ANN202
        """Put the server's tree back in the browser, and say why the change was refused."""
        try:
            with self._as_actor() as (session, actor):
                self._send_tree(session, actor)
                if self.selected_id:
                    try:
                        self._select(session, actor, self.selected_id)
                    except ServiceError:
                        self._select(session, actor, "")
        except ServiceError:
            pass
        return self._failed(error)

    # ------------------------------------------------------------------ loading
    @rx.event
    def load_hierarchy(self):  # noqa: ANN201
        """The page's only on_load: the person (``require_login``'s work) and the tree in one event
        and one database session, so the tree's first rows come with the first update; the
        starter templates for an empty tree."""
        self.search = ""
        self.import_errors, self.import_summary, self.import_report = [], "", ""
        self.add_open = False
        self.pending_delete = {}
        try:
            with session_scope() as session:
                actor, redirect = self._sign_in(session)
                if actor is None:
                    return redirect
                total = hierarchy.count_nodes(session=session, actor=actor)
                if total <= OPEN_ALL_LIMIT:
                    self._send_tree(session, actor)
                    keep = self.selected_id if self._has_node(self.selected_id) else ""
                    self._select(session, actor, keep)
                else:
                    self.rows = hierarchy.tree_rows(session=session, actor=actor, max_depth=1)
                    self.total_nodes = total
                    self.tree_version += 1
                    self.tree_loaded, self.tree_complete = True, False
                    self._select(session, actor, "")
        except ServiceError as error:
            return self._failed(error)
        if not self.rows and not self.templates:
            self.templates = hierarchy_io.list_templates()
        return None

    @rx.event
    def load_full_tree(self):  # noqa: ANN201
        """The rest of a big tree; the browser asks for it once the top levels are painted."""
        if self.tree_complete:
            return None
        try:
            with self._as_actor() as (session, actor):
                self._send_tree(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def forget_tree(self) -> None:
        """The page was left: drop the big tree, so coming back does not restore a stale copy."""
        self.rows = []
        self.tree_loaded = self.tree_complete = False

    @rx.event
    def set_search(self, value: str) -> None:
        self.search = value[:200]

    @rx.event
    def clear_search(self) -> None:
        self.search = ""

    # ------------------------------------------------------------------ tree events
    @rx.event
    def select_node(self, payload: dict):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self._select(session, actor, str(payload.get("node", "")))
        except ServiceError as error:
            return self._refused(error)
        return None

    @rx.event
    def move_node(self, payload: dict):  # noqa: ANN201
        """A drop in the browser: persist it, or put the tree back and say why not."""
        try:
            with self._as_actor() as (session, actor):
                hierarchy.move_node(
                    session=session,
                    actor=actor,
                    node=str(payload.get("node", "")),
                    parent=str(payload.get("parent", "")) or None,
                    index=payload.get("index", 0),
                )
        except ServiceError as error:
            return self._refused(error)
        self.moves_saved += 1
        return None

    @rx.event
    def rename_node(self, payload: dict):  # noqa: ANN201
        node_id = str(payload.get("node", ""))
        try:
            with self._as_actor() as (session, actor):
                hierarchy.rename_node(
                    session=session, actor=actor, node=node_id, name=str(payload.get("name", ""))
                )
                if node_id == self.selected_id:
                    self._select(session, actor, node_id)
        except ServiceError as error:
            return self._refused(error)
        self.renames_saved += 1
        return None

    @rx.event
    def save_details(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                hierarchy.describe_node(
                    session=session,
                    actor=actor,
                    node=self.selected_id,
                    description=self.edit_description,
                    application_name=self.edit_application if self.selected_is_action else None,
                )
                self._select(session, actor, self.selected_id)
                if self.selected_is_action:
                    self._send_tree(session, actor)  # the row shows the application
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success("Details saved.")

    @rx.event
    def set_edit_description(self, value: str) -> None:
        self.edit_description = value

    @rx.event
    def set_edit_application(self, value: str) -> None:
        self.edit_application = value

    # ------------------------------------------------------------------ adding
    def _open_add(self, parent_id: str, parent_name: str, level: hierarchy.Level) -> None:
        self.add_parent_id, self.add_parent_name = parent_id, parent_name
        self.add_level, self.add_level_label = level.key, level.label
        self.add_name, self.add_error = "", ""
        self.add_open = True

    @rx.event
    def add_system(self) -> None:
        self.add_application = ""
        self._open_add("", "", hierarchy.LEVELS[0])

    @rx.event
    def request_add_child(self, payload: dict):  # noqa: ANN201
        node_id = str(payload.get("id", ""))
        try:
            with self._as_actor() as (session, actor):
                details = hierarchy.node_details(session=session, actor=actor, node=node_id)
        except ServiceError as error:
            return self._failed(error)
        level = hierarchy.LEVEL_BY_KEY[details["level"]].child
        if level is None:
            return rx.toast.error("A Transformation is the last level; it has no children.")
        if level is hierarchy.ACTION and not self.add_application:
            self.add_application = ""
        self._open_add(node_id, details["name"], level)
        return None

    @rx.event
    def add_selected_child(self):  # noqa: ANN201
        return HierarchyState.request_add_child({"id": self.selected_id})

    @rx.event
    def set_add_name(self, value: str) -> None:
        self.add_name = value

    @rx.event
    def set_add_application(self, value: str) -> None:
        self.add_application = value

    @rx.event
    def close_add(self) -> None:
        self.add_open = False
        self.add_error = ""

    @rx.event
    def confirm_add(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                made = hierarchy.create_node(
                    session=session,
                    actor=actor,
                    level=self.add_level,
                    name=self.add_name,
                    parent=self.add_parent_id or None,
                    application_name=self.add_application,
                )
                self._send_tree(session, actor)
                self._select(session, actor, made["id"])
        except ServiceError as error:
            self.add_error = error.message
            return None
        self.add_open = False
        self.import_errors, self.import_summary = [], ""
        return rx.toast.success(f"{self.add_level_label} '{made['name']}' added.")

    # ------------------------------------------------------------------ deleting
    @rx.event
    def request_delete(self, payload: dict):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                actor.require(hierarchy.Permission.MANAGE_HIERARCHY)
                self.pending_delete = hierarchy.delete_preview(
                    session=session, actor=actor, node=str(payload.get("id", ""))
                )
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def delete_selected(self):  # noqa: ANN201
        return HierarchyState.request_delete({"id": self.selected_id})

    @rx.event
    def cancel_delete(self) -> None:
        self.pending_delete = {}

    @rx.event
    def confirm_delete(self):  # noqa: ANN201
        node_id = str(self.pending_delete.get("id", ""))
        self.pending_delete = {}
        try:
            with self._as_actor() as (session, actor):
                done = hierarchy.delete_node(session=session, actor=actor, node=node_id)
                self._send_tree(session, actor)
                if self.selected_id and not self._has_node(self.selected_id):
                    self._select(session, actor, "")
        except ServiceError as error:
            return self._refused(error)
        return rx.toast.success(
            f"Deleted '{done['name']}' ({done['nodes']:,} node{'s' if done['nodes'] != 1 else ''})."
        )

    # ------------------------------------------------------------------ import / export
    @rx.event
    async def import_upload(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Check a whole uploaded file; import it only if it has no problem at all."""
        self.import_errors, self.import_summary, self.import_report = [], "", ""
        if not files:
            return None
        upload = files[0]
        name = upload.filename or upload.name or "upload"
        data = await upload.read(hierarchy_io.MAX_IMPORT_BYTES + 1)
        try:
            with self._as_actor() as (session, actor):
                report = hierarchy_io.import_file(
                    session=session, actor=actor, filename=name, data=data
                )
                self._send_tree(session, actor)
        except hierarchy_io.ImportRejected as error:
            self.import_summary = f"{name}: {error.summary}"
            self.import_errors = error.errors
            return None
        except ServiceError as error:
            self.import_summary = f"{name}: the file was not imported."
            self.import_errors = [error.message]
            return None
        self.import_report = report["summary"]
        return rx.toast.success(report["summary"])

    @rx.event
    def dismiss_import(self) -> None:
        self.import_errors, self.import_summary, self.import_report = [], "", ""

    def _export(self, kind: str):  # noqa: ANN202
        try:
            with self._as_actor() as (session, actor):
                data = (hierarchy_io.export_json if kind == "json" else hierarchy_io.export_csv)(
                    session=session, actor=actor
                )
                filename = hierarchy_io.export_filename(session=session, actor=actor, kind=kind)
        except ServiceError as error:
            return self._failed(error)
        mime = "application/json" if kind == "json" else "text/csv"
        return rx.download(data=data, filename=filename, mime_type=mime)

    @rx.event
    def export_json(self):  # noqa: ANN201
        return self._export("json")

    @rx.event
    def export_csv(self):  # noqa: ANN201
        return self._export("csv")

    @rx.event
    def apply_template(self, slug: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                report = hierarchy_io.apply_template(session=session, actor=actor, slug=slug)
                self._send_tree(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(report["summary"])

"""The hierarchy editor: the tree, the selected node's panel, add/delete dialogs, import/export."""

from __future__ import annotations

from typing import Any

import reflex as rx

from techledger.services import hierarchy, hierarchy_io
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState

# Up to this many nodes the whole tree starts open; bigger trees open their Systems only.
OPEN_ALL_LIMIT = 400


class HierarchyState(SessionState):
    """What the hierarchy page shows. The services check every change again."""

    nodes: list[dict[str, str]] = []
    tree_version: int = 0
    tree_loaded: bool = False
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
        return len(self.nodes)

    @rx.var
    def open_all(self) -> bool:
        return len(self.nodes) <= OPEN_ALL_LIMIT

    @rx.var
    def add_is_action(self) -> bool:
        return self.add_level == "action"

    @rx.var
    def selected_is_action(self) -> bool:
        return self.details.get("level") == "action"

    # ------------------------------------------------------------------ helpers
    def _send_tree(self, session, actor) -> None:  # noqa: ANN001
        """Load the tree from the database and make the browser replace its copy."""
        self.nodes = hierarchy.list_nodes(session=session, actor=actor)
        self.tree_version += 1
        self.tree_loaded = True

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
        """on_load: the tree, and the starter templates for an empty one."""
        self.search = ""
        self.import_errors, self.import_summary, self.import_report = [], "", ""
        self.add_open = False
        self.pending_delete = {}
        try:
            with self._as_actor() as (session, actor):
                self._send_tree(session, actor)
                keep = self.selected_id if self.selected_id in {n["id"] for n in self.nodes} else ""
                self._select(session, actor, keep)
        except ServiceError as error:
            return self._failed(error)
        if not self.nodes and not self.templates:
            self.templates = hierarchy_io.list_templates()
        return None

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
                if self.selected_id and self.selected_id not in {n["id"] for n in self.nodes}:
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

"""The workflows page: list, create, complete, archive, reopen."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.services import workflows
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState

STATUS_FILTERS = ["ACTIVE", "COMPLETED", "ARCHIVED", "ALL"]
NO_ACTION = "none"


class WorkflowsState(SessionState):
    """The organization's workflows and the 'new workflow' dialog."""

    workflows: list[dict[str, str | int]] = []
    status_filter: str = "ACTIVE"
    actions: list[dict[str, str]] = []
    create_open: bool = False
    new_name: str = ""
    new_application: str = ""
    new_action_id: str = NO_ACTION
    new_description: str = ""
    create_error: str = ""
    pending_archive: dict[str, str] = {}

    @rx.var
    def action_labels(self) -> list[list[str]]:
        return [[a["id"], a["label"]] for a in self.actions]

    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        wanted = None if self.status_filter == "ALL" else self.status_filter
        self.workflows = workflows.list_workflows(session=session, actor=actor, status=wanted)

    @rx.event
    def load_workflows(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def set_status_filter(self, value: str | list[str]):  # noqa: ANN201
        value = value[0] if isinstance(value, list) and value else value
        self.status_filter = value if value in STATUS_FILTERS else "ACTIVE"
        return WorkflowsState.load_workflows

    @rx.event
    def open_create(self):  # noqa: ANN201
        self.create_error = ""
        self.new_name = self.new_application = self.new_description = ""
        self.new_action_id = NO_ACTION
        try:
            with self._as_actor() as (session, actor):
                self.actions = workflows.action_choices(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        self.create_open = True
        return None

    @rx.event
    def set_create_open(self, value: bool) -> None:
        self.create_open = value

    @rx.event
    def set_new_name(self, value: str) -> None:
        self.new_name = value

    @rx.event
    def set_new_application(self, value: str) -> None:
        self.new_application = value

    @rx.event
    def set_new_description(self, value: str) -> None:
        self.new_description = value

    @rx.event
    def set_new_action_id(self, value: str) -> None:
        self.new_action_id = value
        chosen = next((a for a in self.actions if a["id"] == value), None)
        if chosen and not self.new_application.strip():
            self.new_application = chosen["application_name"]

    @rx.event
    def create(self):  # noqa: ANN201
        self.create_error = ""
        try:
            with self._as_actor() as (session, actor):
                workflow = workflows.create_workflow(
                    session=session,
                    actor=actor,
                    name=self.new_name,
                    application_name=self.new_application,
                    action_id=None if self.new_action_id == NO_ACTION else self.new_action_id,
                    description=self.new_description,
                )
                workflow_id = workflow.id
        except ServiceError as error:
            self.create_error = error.message
            return None
        self.create_open = False
        return rx.redirect(routes.workflow(workflow_id))

    @rx.event
    def change_status(self, workflow_id: str, action: str):  # noqa: ANN201
        change = {
            "complete": workflows.complete_workflow,
            "archive": workflows.archive_workflow,
            "reopen": workflows.reopen_workflow,
        }.get(action)
        if change is None:
            return rx.toast.error("Unknown action.")
        try:
            with self._as_actor() as (session, actor):
                workflow = change(session=session, actor=actor, workflow_id=workflow_id)
                name = workflow.name
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        done = {"complete": "completed", "archive": "archived", "reopen": "reopened"}[action]
        return rx.toast.success(f"“{name}” {done}.")

    @rx.event
    def ask_archive(self, workflow: dict):  # noqa: ANN201
        self.pending_archive = {"id": str(workflow["id"]), "name": str(workflow["name"])}

    @rx.event
    def cancel_archive(self) -> None:
        self.pending_archive = {}

    @rx.event
    def confirm_archive(self):  # noqa: ANN201
        workflow_id = self.pending_archive.get("id", "")
        self.pending_archive = {}
        return WorkflowsState.change_status(workflow_id, "archive")

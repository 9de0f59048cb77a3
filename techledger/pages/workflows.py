"""The workflows of the organization: list, create, complete, archive."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import confirm_dialog, empty_state, error_callout
from techledger.components.layout import page_header
from techledger.state.workflows import NO_ACTION, WorkflowsState

STATUS_COLORS = {"ACTIVE": "green", "COMPLETED": "blue", "ARCHIVED": "gray"}


def status_badge(status: rx.Var) -> rx.Component:
    """A workflow's status as a colored badge."""
    return rx.badge(
        status,
        color_scheme=rx.match(status, ("ACTIVE", "green"), ("COMPLETED", "blue"), "gray"),
        variant="soft",
        size="1",
    )


def _counts(workflow: dict) -> rx.Component:
    return rx.hstack(
        rx.text(
            workflow["screenshot_count"].to_string(),
            " screenshots",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            workflow["pending_count"].to(int) > 0,
            rx.badge(
                rx.spinner(size="1"),
                workflow["pending_count"].to_string(),
                " analysing",
                color_scheme="amber",
                variant="soft",
            ),
        ),
        rx.cond(
            workflow["failed_count"].to(int) > 0,
            rx.badge(workflow["failed_count"].to_string(), " failed", color_scheme="red"),
        ),
        spacing="2",
        align="center",
    )


def _row(workflow: dict) -> rx.Component:
    link = routes.WORKFLOWS + "/" + workflow["id"].to(str)
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.link(
                    workflow["name"],
                    href=link,
                    weight="medium",
                    size="3",
                    id="workflow-link-" + workflow["id"].to(str),
                ),
                rx.cond(
                    workflow["action_name"].to(str) != "",
                    rx.hstack(
                        rx.icon("git-branch", size=12),
                        rx.text(workflow["action_name"], size="1"),
                        color=rx.color("gray", 10),
                        spacing="1",
                        align="center",
                    ),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(rx.badge(workflow["application_name"], variant="outline", size="2")),
        rx.table.cell(_counts(workflow)),
        rx.table.cell(status_badge(workflow["status"].to(str))),
        rx.table.cell(rx.text(workflow["updated"], size="2", color_scheme="gray")),
        rx.table.cell(
            rx.cond(
                WorkflowsState.can_edit_workflows,
                rx.menu.root(
                    rx.menu.trigger(
                        rx.icon_button(
                            rx.icon("ellipsis", size=16),
                            variant="ghost",
                            color_scheme="gray",
                            aria_label="Workflow actions",
                            id="workflow-menu-" + workflow["id"].to(str),
                        )
                    ),
                    rx.menu.content(
                        rx.menu.item(
                            rx.hstack(rx.icon("folder-open", size=14), rx.text("Open")),
                            on_select=rx.redirect(link),
                        ),
                        rx.cond(
                            workflow["status"].to(str) == "ACTIVE",
                            rx.menu.item(
                                rx.hstack(rx.icon("circle-check", size=14), rx.text("Complete")),
                                on_select=WorkflowsState.change_status(
                                    workflow["id"].to(str), "complete"
                                ),
                                id="complete-" + workflow["id"].to(str),
                            ),
                            rx.menu.item(
                                rx.hstack(rx.icon("rotate-ccw", size=14), rx.text("Reopen")),
                                on_select=WorkflowsState.change_status(
                                    workflow["id"].to(str), "reopen"
                                ),
                                id="reopen-" + workflow["id"].to(str),
                            ),
                        ),
                        rx.cond(
                            workflow["status"].to(str) != "ARCHIVED",
                            rx.fragment(
                                rx.menu.separator(),
                                rx.menu.item(
                                    rx.hstack(rx.icon("archive", size=14), rx.text("Archive")),
                                    color="red",
                                    on_select=WorkflowsState.ask_archive(workflow),
                                    id="archive-" + workflow["id"].to(str),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            text_align="right",
        ),
        align="center",
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New workflow"),
            rx.dialog.description(
                "A workflow is one task done in one application, screen by screen.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    error_callout(WorkflowsState.create_error, id="create-workflow-error"),
                    rx.text("Name", as_="label", size="2", weight="medium", html_for="wf-name"),
                    rx.input(
                        placeholder="Create a lead from a web form",
                        value=WorkflowsState.new_name,
                        on_change=WorkflowsState.set_new_name,
                        id="wf-name",
                        width="100%",
                        auto_focus=True,
                        max_length=200,
                    ),
                    rx.text("Application", as_="label", size="2", weight="medium"),
                    rx.input(
                        placeholder="Salesforce, SAP, HubSpot…",
                        value=WorkflowsState.new_application,
                        on_change=WorkflowsState.set_new_application,
                        id="wf-application",
                        width="100%",
                        max_length=100,
                    ),
                    rx.text("Action of the hierarchy (optional)", size="2", weight="medium"),
                    rx.select.root(
                        rx.select.trigger(placeholder="Not attached", width="100%"),
                        rx.select.content(
                            rx.select.item("Not attached", value=NO_ACTION),
                            rx.foreach(
                                WorkflowsState.action_labels,
                                lambda a: rx.select.item(a[1], value=a[0]),
                            ),
                        ),
                        value=WorkflowsState.new_action_id,
                        on_change=WorkflowsState.set_new_action_id,
                        id="wf-action",
                    ),
                    rx.text("Description (optional)", size="2", weight="medium"),
                    rx.text_area(
                        value=WorkflowsState.new_description,
                        on_change=WorkflowsState.set_new_description,
                        id="wf-description",
                        width="100%",
                        max_length=2000,
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Create workflow", type="submit", id="wf-create"),
                        justify="end",
                        spacing="3",
                        width="100%",
                        margin_top="8px",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=lambda _form: WorkflowsState.create(),
                reset_on_submit=False,
            ),
            max_width="520px",
        ),
        open=WorkflowsState.create_open,
        on_open_change=WorkflowsState.set_create_open,
    )


def _new_button() -> rx.Component:
    return rx.cond(
        WorkflowsState.can_edit_workflows,
        rx.button(
            rx.icon("plus", size=16),
            "New workflow",
            on_click=WorkflowsState.open_create,
            id="new-workflow",
        ),
    )


def workflows_content() -> rx.Component:
    """The list page's content."""
    return rx.vstack(
        page_header(
            "Workflows",
            "Screens of your applications, analysed and ready to train on.",
            _new_button(),
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("Active", value="ACTIVE"),
            rx.segmented_control.item("Completed", value="COMPLETED"),
            rx.segmented_control.item("Archived", value="ARCHIVED"),
            rx.segmented_control.item("All", value="ALL"),
            value=WorkflowsState.status_filter,
            on_change=WorkflowsState.set_status_filter,
            id="workflow-filter",
        ),
        rx.cond(
            WorkflowsState.workflows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Workflow"),
                        rx.table.column_header_cell("Application"),
                        rx.table.column_header_cell("Screenshots"),
                        rx.table.column_header_cell("Status"),
                        rx.table.column_header_cell("Updated"),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(WorkflowsState.workflows, _row)),
                width="100%",
                variant="surface",
                id="workflows-table",
            ),
            empty_state(
                "workflow",
                rx.cond(
                    WorkflowsState.status_filter == "ACTIVE",
                    "No workflows yet",
                    "Nothing here",
                ),
                "Create a workflow, then upload the screenshots of its screens in order: "
                "every button, field and menu on them is found for you.",
                _new_button(),
                id="workflows-empty",
            ),
        ),
        _create_dialog(),
        confirm_dialog(
            open=WorkflowsState.pending_archive.length() > 0,
            title="Archive this workflow?",
            description="“"
            + WorkflowsState.pending_archive.get("name", "").to(str)
            + "” leaves the active list. Its screenshots stay; you can reopen it later.",
            confirm_label="Archive",
            on_confirm=WorkflowsState.confirm_archive,
            on_cancel=WorkflowsState.cancel_archive,
            confirm_id="confirm-archive",
        ),
        spacing="5",
        width="100%",
    )

"""One workflow: details, upload with progress, live analysis status, order, and the viewer."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import confirm_dialog, empty_state, error_callout
from techledger.components.screenshot_viewer import backend_url, element_boxes
from techledger.components.vendor.sortable import sortable_grid
from techledger.pages.workflows import status_badge
from techledger.state.workflow import UPLOAD_ID, WorkflowState

ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]}

# A card being dragged fades; the card under it shows on which side the dragged one lands.
SORT_CSS = """
#screenshot-grid .shot-card[draggable="true"] { cursor: grab; }
#screenshot-grid .shot-card.is-dragging { opacity: 0.4; }
#screenshot-grid .shot-card.drop-before { box-shadow: -4px 0 0 0 var(--accent-9); }
#screenshot-grid .shot-card.drop-after { box-shadow: 4px 0 0 0 var(--accent-9); }
"""


def _file_meta() -> rx.Var:
    """Name and size of each dropped file, read in the browser before the upload starts."""
    from reflex_base.event import parse_args_spec
    from reflex_components_core.core.upload import _on_drop_spec

    files = parse_args_spec(_on_drop_spec)[0][0]  # the dropped files, as the drop passes them
    return rx.Var(
        _js_expr=f"({files!s}).map((f) => ({{name: f.name, size: f.size}}))",
        _var_type=list[dict],
    )


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(
        rx.cond(
            (status == "PROCESSING") | (status == "UPLOADED"),
            rx.spinner(size="1"),
            rx.icon(rx.cond(status == "ANALYZED", "circle-check", "circle-alert"), size=12),
        ),
        status,
        color_scheme=rx.match(
            status,
            ("ANALYZED", "green"),
            ("FAILED", "red"),
            ("PROCESSING", "amber"),
            "gray",
        ),
        variant="soft",
        size="1",
    )


def _header() -> rx.Component:
    wf = WorkflowState.workflow
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=14), rx.text("Workflows"), align="center"),
            href=routes.WORKFLOWS,
            size="2",
            color_scheme="gray",
            id="back-to-workflows",
        ),
        rx.hstack(
            rx.vstack(
                rx.hstack(
                    rx.heading(wf["name"].to(str), size="7", id="workflow-name"),
                    status_badge(wf["status"].to(str)),
                    align="center",
                    spacing="3",
                ),
                rx.hstack(
                    rx.badge(wf["application_name"].to(str), variant="outline"),
                    rx.cond(
                        wf["action_name"].to(str) != "",
                        rx.hstack(
                            rx.icon("git-branch", size=12),
                            rx.text(wf["action_name"].to(str), size="2"),
                            align="center",
                            spacing="1",
                            color=rx.color("gray", 11),
                        ),
                    ),
                    rx.text(
                        wf["screenshot_count"].to_string(),
                        " screenshots · ",
                        wf["analyzed_count"].to_string(),
                        " analysed · by ",
                        wf["author"].to(str),
                        size="2",
                        color_scheme="gray",
                        id="workflow-counts",
                    ),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    wf["description"].to(str) != "",
                    rx.text(wf["description"].to(str), size="2", color_scheme="gray"),
                ),
                spacing="2",
                align="start",
            ),
            rx.spacer(),
            rx.hstack(
                rx.link(
                    rx.button(rx.icon("graduation-cap", size=16), "Train on canvas"),
                    href=WorkflowState.canvas_path,
                    id="train-on-canvas",
                ),
                rx.cond(
                    WorkflowState.can_edit_workflows,
                    rx.menu.root(
                        rx.menu.trigger(
                            rx.button(
                                rx.icon("ellipsis", size=16),
                                variant="soft",
                                color_scheme="gray",
                                aria_label="More",
                                id="workflow-actions",
                            )
                        ),
                        rx.menu.content(
                            rx.menu.item(
                                rx.hstack(rx.icon("pencil", size=14), rx.text("Rename")),
                                on_select=WorkflowState.open_rename,
                                id="rename-workflow",
                            ),
                            rx.cond(
                                WorkflowState.is_active,
                                rx.menu.item(
                                    rx.hstack(
                                        rx.icon("circle-check", size=14), rx.text("Complete")
                                    ),
                                    on_select=WorkflowState.change_status("complete"),
                                    id="complete-workflow",
                                ),
                                rx.menu.item(
                                    rx.hstack(rx.icon("rotate-ccw", size=14), rx.text("Reopen")),
                                    on_select=WorkflowState.change_status("reopen"),
                                    id="reopen-workflow",
                                ),
                            ),
                            rx.cond(
                                wf["status"].to(str) != "ARCHIVED",
                                rx.menu.item(
                                    rx.hstack(rx.icon("archive", size=14), rx.text("Archive")),
                                    on_select=WorkflowState.change_status("archive"),
                                    color="red",
                                    id="archive-workflow",
                                ),
                            ),
                        ),
                    ),
                ),
                spacing="2",
            ),
            width="100%",
            align="start",
        ),
        spacing="2",
        width="100%",
    )


def _upload_zone() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.box(
                rx.icon("cloud-upload", size=26, color=rx.color("accent", 10)),
                padding="12px",
                border_radius="999px",
                background=rx.color("accent", 3),
            ),
            rx.text(
                "Drop screenshots here, or ",
                rx.text("choose files", as_="span", color=rx.color("accent", 11), weight="bold"),
                size="3",
            ),
            rx.text(
                "PNG, JPEG or WebP · up to 10 MB · 100 to 10,000 px per side · in the order "
                "of the workflow",
                size="1",
                color_scheme="gray",
            ),
            align="center",
            spacing="2",
        ),
        id=UPLOAD_ID,
        multiple=True,
        accept=ACCEPT,
        on_drop=[
            WorkflowState.begin_upload(_file_meta()),
            WorkflowState.handle_upload(
                rx.upload_files(
                    upload_id=UPLOAD_ID, on_upload_progress=WorkflowState.upload_progress
                )
            ),
        ],
        on_drop_rejected=lambda rejected: rx.toast.error(
            "Only PNG, JPEG or WebP screenshots can be uploaded.", close_button=True
        ),
        disabled=WorkflowState.uploading,
        border=f"2px dashed {rx.color('accent', 7)}",
        border_radius="12px",
        padding="28px",
        width="100%",
        cursor="pointer",
        background=rx.color("accent", 2),
        drag_active_style={"background": rx.color("accent", 4)},
        _hover={"background": rx.color("accent", 3)},
    )


def _upload_row(upload: dict) -> rx.Component:
    state = upload["state"].to(str)
    return rx.hstack(
        rx.box(
            rx.match(
                state,
                ("stored", rx.icon("circle-check", size=16, color=rx.color("green", 10))),
                ("rejected", rx.icon("circle-x", size=16, color=rx.color("red", 10))),
                ("checking", rx.spinner(size="1")),
                rx.icon("upload", size=16, color=rx.color("gray", 10)),
            ),
            flex_shrink="0",
            padding_top="2px",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(upload["name"].to(str), size="2", weight="medium", trim="both"),
                rx.spacer(),
                rx.text(
                    rx.match(
                        state,
                        ("sending", upload["progress"].to_string() + "%"),
                        ("checking", "checking"),
                        ("stored", "uploaded"),
                        "rejected",
                    ),
                    size="1",
                    color_scheme="gray",
                ),
                width="100%",
            ),
            rx.progress(
                value=upload["progress"].to(int),
                max=100,
                size="1",
                color_scheme=rx.match(state, ("rejected", "red"), ("stored", "green"), "indigo"),
                width="100%",
            ),
            rx.cond(
                state == "rejected",
                rx.text(
                    upload["message"].to(str), size="1", color="red", class_name="upload-error"
                ),
            ),
            spacing="1",
            width="100%",
        ),
        spacing="3",
        align="start",
        width="100%",
        class_name="upload-row",
        data_state=state,
    )


def _uploads() -> rx.Component:
    return rx.cond(
        WorkflowState.uploads.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text("Uploads", weight="bold", size="2"),
                    rx.spacer(),
                    rx.cond(
                        ~WorkflowState.uploading,
                        rx.button(
                            "Clear",
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            on_click=WorkflowState.clear_uploads,
                            id="clear-uploads",
                        ),
                    ),
                    width="100%",
                ),
                rx.foreach(WorkflowState.uploads, _upload_row),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="upload-list",
        ),
    )


def _shot_card(shot: dict) -> rx.Component:
    sid = shot["id"].to(str)
    status = shot["status"].to(str)
    return rx.card(
        rx.vstack(
            rx.box(
                rx.el.img(
                    src=backend_url(shot["thumb_url"].to(str)),
                    alt=shot["filename"].to(str),
                    style={
                        "width": "100%",
                        "height": "140px",
                        "objectFit": "contain",
                        "display": "block",
                    },
                    loading="lazy",
                    draggable=False,
                ),
                rx.badge(
                    shot["position"].to(int) + 1,
                    position="absolute",
                    top="6px",
                    left="6px",
                    variant="solid",
                    color_scheme="gray",
                    radius="full",
                ),
                position="relative",
                width="100%",
                background=rx.color("gray", 3),
                border_radius="6px",
                overflow="hidden",
                cursor="pointer",
                on_click=WorkflowState.open_viewer(sid),
                tab_index=0,
                role="button",
                aria_label="View " + shot["filename"].to(str),
                id="thumb-" + sid,
            ),
            rx.text(shot["filename"].to(str), size="2", weight="medium", trim="both", width="100%"),
            rx.hstack(
                rx.box(_status_badge(status), id="status-" + sid, class_name="shot-status"),
                rx.cond(
                    status == "ANALYZED",
                    rx.text(shot["element_count"].to_string(), " elements", size="1"),
                ),
                rx.spacer(),
                rx.cond(
                    WorkflowState.can_edit_workflows,
                    rx.hstack(
                        rx.icon_button(
                            rx.icon("arrow-left", size=12),
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            on_click=WorkflowState.move(sid, -1),
                            aria_label="Move earlier",
                            id="earlier-" + sid,
                        ),
                        rx.icon_button(
                            rx.icon("arrow-right", size=12),
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            on_click=WorkflowState.move(sid, 1),
                            aria_label="Move later",
                            id="later-" + sid,
                        ),
                        rx.icon_button(
                            rx.icon("trash-2", size=12),
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            on_click=WorkflowState.ask_delete(shot),
                            aria_label="Delete",
                            id="delete-" + sid,
                        ),
                        spacing="1",
                    ),
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                status == "FAILED",
                rx.vstack(
                    rx.text(
                        shot["failure_reason"].to(str),
                        size="1",
                        color="red",
                        id="reason-" + sid,
                    ),
                    rx.cond(
                        WorkflowState.can_edit_workflows,
                        rx.button(
                            rx.icon("refresh-cw", size=12),
                            "Retry",
                            size="1",
                            variant="soft",
                            on_click=WorkflowState.retry(sid),
                            id="retry-" + sid,
                        ),
                    ),
                    spacing="1",
                    align="start",
                ),
                rx.cond(
                    (status == "UPLOADED") & (shot["failure_reason"].to(str) != ""),
                    rx.text(shot["failure_reason"].to(str), size="1", color_scheme="amber"),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        size="1",
        class_name="shot-card",
        custom_attrs={
            "data-sort-id": sid,
            "draggable": rx.cond(WorkflowState.can_edit_workflows, "true", "false"),
        },
    )


def _viewer() -> rx.Component:
    viewer = WorkflowState.viewer
    return rx.dialog.root(
        rx.dialog.content(
            rx.hstack(
                rx.dialog.title(
                    viewer["position"].to_string(),
                    ". ",
                    viewer["filename"].to(str),
                    margin="0",
                ),
                _status_badge(viewer["status"].to(str)),
                rx.spacer(),
                rx.hstack(
                    rx.text("Boxes", size="2"),
                    rx.switch(
                        checked=WorkflowState.show_boxes,
                        on_change=lambda _v: WorkflowState.toggle_boxes(),
                        id="toggle-boxes",
                    ),
                    align="center",
                    spacing="2",
                ),
                rx.icon_button(
                    rx.icon("chevron-left", size=16),
                    variant="soft",
                    color_scheme="gray",
                    on_click=WorkflowState.step_viewer(-1),
                    aria_label="Previous screenshot",
                    id="viewer-previous",
                ),
                rx.icon_button(
                    rx.icon("chevron-right", size=16),
                    variant="soft",
                    color_scheme="gray",
                    on_click=WorkflowState.step_viewer(1),
                    aria_label="Next screenshot",
                    id="viewer-next",
                ),
                rx.dialog.close(
                    rx.icon_button(
                        rx.icon("x", size=16),
                        variant="ghost",
                        color_scheme="gray",
                        aria_label="Close",
                        id="viewer-close",
                    )
                ),
                width="100%",
                align="center",
                spacing="3",
            ),
            rx.hstack(
                rx.box(
                    element_boxes(
                        image_url=backend_url(viewer["url"].to(str)),
                        view_box=WorkflowState.viewer_box,
                        elements=WorkflowState.elements,
                        on_hover=WorkflowState.hover,
                        on_leave=WorkflowState.unhover,
                        show_boxes=WorkflowState.show_boxes,
                        alt=viewer["filename"].to(str),
                    ),
                    flex="1",
                    min_width="0",
                    max_width=viewer["width"].to_string() + "px",
                    margin_x="auto",
                ),
                rx.vstack(
                    rx.box(
                        rx.cond(
                            WorkflowState.hovered.length() > 0,
                            rx.vstack(
                                rx.badge(WorkflowState.hovered["type"], size="2"),
                                rx.text(
                                    rx.cond(
                                        WorkflowState.hovered["text"] != "",
                                        WorkflowState.hovered["text"],
                                        "(no text)",
                                    ),
                                    size="2",
                                ),
                                rx.text(
                                    "confidence ",
                                    WorkflowState.hovered["confidence"],
                                    size="1",
                                    color_scheme="gray",
                                ),
                                spacing="1",
                                align="start",
                            ),
                            rx.text(
                                "Point at a box to see its type and text.",
                                size="2",
                                color_scheme="gray",
                            ),
                        ),
                        id="element-hover",
                        padding="12px",
                        border_radius="8px",
                        background=rx.color("gray", 3),
                        width="100%",
                        min_height="84px",
                    ),
                    rx.cond(
                        viewer["status"].to(str) == "ANALYZED",
                        rx.vstack(
                            rx.text(
                                WorkflowState.elements.length().to_string(),
                                " elements",
                                weight="bold",
                                size="2",
                                id="viewer-element-count",
                            ),
                            rx.foreach(
                                WorkflowState.type_legend,
                                lambda t: rx.hstack(
                                    rx.box(
                                        width="12px",
                                        height="12px",
                                        border_radius="3px",
                                        border=f"2px solid {t[1]}",
                                    ),
                                    rx.text(t[0], size="1"),
                                    rx.spacer(),
                                    rx.text(t[2], size="1", color_scheme="gray"),
                                    width="100%",
                                    align="center",
                                ),
                            ),
                            rx.cond(
                                viewer["annotated_url"].to(str) != "",
                                rx.link(
                                    rx.hstack(
                                        rx.icon("image-down", size=14),
                                        rx.text("Annotated copy", size="2"),
                                        align="center",
                                        spacing="1",
                                    ),
                                    href=backend_url(viewer["annotated_url"].to(str)),
                                    is_external=True,
                                    id="viewer-annotated",
                                ),
                            ),
                            spacing="2",
                            width="100%",
                            id="type-legend",
                        ),
                        rx.callout(
                            rx.cond(
                                viewer["status"].to(str) == "FAILED",
                                viewer["failure_reason"].to(str),
                                "The analysis is still running; boxes appear when it is done.",
                            ),
                            icon="info",
                            color_scheme=rx.cond(
                                viewer["status"].to(str) == "FAILED", "red", "gray"
                            ),
                            size="1",
                        ),
                    ),
                    width="220px",
                    min_width="220px",
                    spacing="4",
                ),
                spacing="4",
                align="start",
                width="100%",
                margin_top="12px",
            ),
            max_width="96vw",
            width="fit-content",
            min_width="min(760px, 96vw)",
            id="viewer",
        ),
        open=WorkflowState.viewer_id != "",
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), WorkflowState.close_viewer()),
    )


def _rename_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Rename workflow"),
            rx.form(
                rx.vstack(
                    error_callout(WorkflowState.rename_error),
                    rx.input(
                        value=WorkflowState.rename_value,
                        on_change=WorkflowState.set_rename_value,
                        id="rename-input",
                        width="100%",
                        auto_focus=True,
                        max_length=200,
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Save", type="submit", id="rename-save"),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=lambda _form: WorkflowState.rename(),
            ),
            max_width="440px",
        ),
        open=WorkflowState.rename_open,
        on_open_change=WorkflowState.set_rename_open,
    )


def _screenshots() -> rx.Component:
    return rx.cond(
        WorkflowState.shots.length() > 0,
        rx.vstack(
            rx.hstack(
                rx.heading("Screenshots", size="4"),
                rx.cond(
                    WorkflowState.pending_count > 0,
                    rx.badge(
                        rx.spinner(size="1"),
                        WorkflowState.pending_count.to_string(),
                        " analysing",
                        color_scheme="amber",
                        id="pending-badge",
                    ),
                ),
                rx.spacer(),
                rx.text(
                    rx.cond(
                        WorkflowState.can_edit_workflows,
                        "Click a screenshot to see what was found; drag it to change the order.",
                        "Click a screenshot to see what was found.",
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                width="100%",
                align="center",
            ),
            rx.el.style(SORT_CSS),
            sortable_grid(
                rx.grid(
                    rx.foreach(WorkflowState.shots, _shot_card),
                    columns=rx.breakpoints(initial="1", sm="2", md="3", xl="4"),
                    spacing="4",
                    width="100%",
                ),
                disabled=~WorkflowState.can_edit_workflows,
                on_reorder=WorkflowState.place,
                width="100%",
                id="screenshot-grid",
            ),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "images",
            "No screenshots yet",
            "Upload the screens of this workflow in the order a person goes through them.",
            id="screenshots-empty",
        ),
    )


def workflow_content() -> rx.Component:
    """The workflow page's content."""
    return rx.cond(
        WorkflowState.not_found,
        empty_state(
            "search-x",
            "Workflow not found",
            "It may have been deleted, or it belongs to another organization.",
            rx.link(rx.button("All workflows"), href=routes.WORKFLOWS),
            id="workflow-not-found",
        ),
        rx.vstack(
            _header(),
            rx.cond(
                WorkflowState.can_edit_workflows & WorkflowState.is_active,
                _upload_zone(),
            ),
            _uploads(),
            _screenshots(),
            _viewer(),
            _rename_dialog(),
            confirm_dialog(
                open=WorkflowState.pending_delete.length() > 0,
                title="Delete this screenshot?",
                description=WorkflowState.pending_delete.get("filename", "").to(str)
                + " and the elements found on it are deleted. Answers already given stay.",
                confirm_label="Delete",
                on_confirm=WorkflowState.confirm_delete,
                on_cancel=WorkflowState.cancel_delete,
                confirm_id="confirm-delete",
            ),
            spacing="5",
            width="100%",
        ),
    )

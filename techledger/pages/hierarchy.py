"""The hierarchy editor: the organization's tech stack as a tree, with its details beside it."""

from __future__ import annotations

import reflex as rx

from techledger.components.feedback import confirm_dialog, empty_state, error_callout
from techledger.components.layout import page_header
from techledger.components.vendor.arborist import hierarchy_tree
from techledger.state.hierarchy import HierarchyState
from techledger.state.session import SessionState

UPLOAD_ID = "hierarchy-import"

TREE_CSS = """
.hier-tree { width: 100%; height: 100%; outline: none; }
.hier-tree [role="tree"] { outline: none; }
.hier-row { display: flex; align-items: center; gap: 6px; height: 100%; padding-right: 8px;
  border-radius: 6px; cursor: default; user-select: none; font-size: 14px;
  color: var(--gray-12); border: 1px solid transparent; box-sizing: border-box; }
.hier-row:hover { background: var(--gray-3); }
.hier-row.is-selected { background: var(--accent-4); color: var(--accent-12); }
.hier-row.is-focused { border-color: var(--accent-8); }
.hier-row.will-receive-drop { background: var(--accent-5); border-color: var(--accent-9); }
.hier-row.is-dragging { opacity: 0.45; }
.hier-tree:not(.is-read-only) .hier-row { cursor: grab; }
.hier-toggle { width: 18px; height: 18px; display: inline-flex; align-items: center;
  justify-content: center; color: var(--gray-10); flex: none; border-radius: 4px; cursor: pointer; }
.hier-toggle:hover { background: var(--gray-5); }
.hier-icon { display: inline-flex; flex: none; }
.hier-icon.level-system { color: var(--indigo-10); }
.hier-icon.level-department { color: var(--cyan-10); }
.hier-icon.level-practice_group { color: var(--teal-10); }
.hier-icon.level-action_group { color: var(--amber-10); }
.hier-icon.level-action { color: var(--crimson-10); }
.hier-icon.level-transformation { color: var(--violet-10); }
.hier-row.level-system .hier-name { font-weight: 600; }
.hier-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.hier-app { font-size: 11px; padding: 1px 6px; border-radius: 999px; background: var(--gray-4);
  color: var(--gray-11); flex: none; }
.hier-actions { margin-left: auto; display: none; gap: 2px; flex: none; }
.hier-row:hover .hier-actions, .hier-row.is-selected .hier-actions { display: inline-flex; }
.hier-action { border: 0; background: transparent; color: var(--gray-11); width: 24px; height: 24px;
  display: inline-flex; align-items: center; justify-content: center; border-radius: 5px;
  cursor: pointer; }
.hier-action:hover { background: var(--gray-6); color: var(--gray-12); }
.hier-action.is-danger:hover { background: var(--red-4); color: var(--red-11); }
.hier-rename { flex: 1; min-width: 0; font: inherit; padding: 2px 6px; border-radius: 5px;
  border: 1px solid var(--accent-8); outline: 2px solid var(--accent-5); background: var(--color-background); }
.hier-drop-cursor { position: absolute; pointer-events: none; display: flex; align-items: center;
  z-index: 2; }
.hier-drop-dot { width: 6px; height: 6px; border-radius: 50%; box-shadow: 0 0 0 2px var(--accent-9);
  background: var(--color-background); }
.hier-drop-line { flex: 1; height: 2px; background: var(--accent-9); border-radius: 1px; }
.hier-drop-cursor.is-illegal .hier-drop-dot { box-shadow: 0 0 0 2px var(--red-9); }
.hier-drop-cursor.is-illegal .hier-drop-line { background: var(--red-9);
  background-image: repeating-linear-gradient(90deg, var(--red-9) 0 6px, transparent 6px 10px); }
.hier-drop-label { position: absolute; right: 0; top: -18px; font-size: 11px; color: var(--red-11);
  background: var(--red-3); padding: 0 6px; border-radius: 4px; }
"""

LEVEL_LEGEND = [
    ("boxes", "System", "indigo"),
    ("building-2", "Department", "cyan"),
    ("layers", "Practice Group", "teal"),
    ("folder-kanban", "Action Group", "amber"),
    ("mouse-pointer-click", "Action", "crimson"),
    ("shuffle", "Transformation", "violet"),
]


def _header_actions() -> rx.Component:
    return rx.hstack(
        rx.cond(
            SessionState.can_manage_hierarchy,
            rx.upload.root(
                rx.button(rx.icon("upload", size=15), "Import", variant="soft", id="import-button"),
                id=UPLOAD_ID,
                accept={
                    "application/json": [".json"],
                    "text/csv": [".csv"],
                },
                multiple=False,
                max_files=1,
                no_drag=True,
                on_drop=HierarchyState.import_upload(rx.upload_files(upload_id=UPLOAD_ID)),
                border="0",
                padding="0",
            ),
        ),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("download", size=15),
                    "Export",
                    rx.icon("chevron-down", size=14),
                    variant="soft",
                    color_scheme="gray",
                    id="export-button",
                )
            ),
            rx.menu.content(
                rx.menu.item(
                    "JSON (complete)", on_select=HierarchyState.export_json, id="export-json"
                ),
                rx.menu.item(
                    "CSV (one row per path)", on_select=HierarchyState.export_csv, id="export-csv"
                ),
            ),
        ),
        rx.cond(
            SessionState.can_manage_hierarchy,
            rx.button(
                rx.icon("plus", size=15),
                "Add System",
                on_click=HierarchyState.add_system,
                id="add-system",
            ),
        ),
        spacing="2",
        align="center",
    )


def _import_report() -> rx.Component:
    return rx.fragment(
        rx.cond(
            HierarchyState.import_errors.length() > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("file-warning")),
                rx.vstack(
                    rx.hstack(
                        rx.text(HierarchyState.import_summary, weight="bold", size="2"),
                        rx.spacer(),
                        rx.icon_button(
                            rx.icon("x", size=14),
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            on_click=HierarchyState.dismiss_import,
                            aria_label="Dismiss",
                        ),
                        width="100%",
                    ),
                    rx.text("Nothing was written. Fix these and import again:", size="2"),
                    rx.box(
                        rx.foreach(
                            HierarchyState.import_errors,
                            lambda line: rx.text(
                                line, as_="div", size="1", font_family="var(--code-font-family)"
                            ),
                        ),
                        max_height="220px",
                        overflow_y="auto",
                        width="100%",
                    ),
                    spacing="1",
                    width="100%",
                ),
                color_scheme="red",
                role="alert",
                width="100%",
                id="import-errors",
            ),
        ),
        rx.cond(
            HierarchyState.import_report != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-check")),
                rx.hstack(
                    rx.callout.text(HierarchyState.import_report),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="green",
                        on_click=HierarchyState.dismiss_import,
                        aria_label="Dismiss",
                    ),
                    width="100%",
                    align="center",
                ),
                color_scheme="green",
                width="100%",
                id="import-report",
            ),
        ),
    )


def _template_card(template: dict) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("layout-template", size=18, color=rx.color("accent", 10)),
                rx.text(template["title"], weight="bold", size="3"),
                align="center",
                spacing="2",
            ),
            rx.text(template["summary"], size="2", color_scheme="gray"),
            rx.hstack(
                rx.text(template["nodes"].to(str) + " nodes", size="1", color_scheme="gray"),
                rx.spacer(),
                rx.button(
                    "Use this template",
                    size="2",
                    variant="soft",
                    on_click=HierarchyState.apply_template(template["slug"].to(str)),
                    id="template-" + template["slug"].to(str),
                ),
                width="100%",
                align="center",
            ),
            spacing="2",
            height="100%",
        ),
        width="100%",
    )


def _empty_tree() -> rx.Component:
    return rx.vstack(
        rx.cond(
            SessionState.can_manage_hierarchy,
            empty_state(
                "network",
                "Model your tech stack",
                "Start with a System (like 'Sales & CRM'), then add Departments, Practice Groups, "
                "Action Groups and the Actions people perform in each application.",
                rx.button(
                    rx.icon("plus", size=15), "Add System", on_click=HierarchyState.add_system
                ),
                rx.upload.root(
                    rx.button(rx.icon("upload", size=15), "Import a file", variant="soft"),
                    id=UPLOAD_ID + "-empty",
                    accept={"application/json": [".json"], "text/csv": [".csv"]},
                    multiple=False,
                    max_files=1,
                    no_drag=True,
                    on_drop=HierarchyState.import_upload(
                        rx.upload_files(upload_id=UPLOAD_ID + "-empty")
                    ),
                    border="0",
                    padding="0",
                ),
                id="hierarchy-empty",
            ),
            empty_state(
                "network",
                "No hierarchy yet",
                "An Owner or Admin of this organization shapes the hierarchy; it will appear here.",
                id="hierarchy-empty",
            ),
        ),
        rx.cond(
            SessionState.can_manage_hierarchy,
            rx.vstack(
                rx.heading("Start from a template", size="4"),
                rx.grid(
                    rx.foreach(HierarchyState.templates, _template_card),
                    columns="2",
                    spacing="4",
                    width="100%",
                ),
                spacing="3",
                width="100%",
                id="templates",
            ),
        ),
        spacing="5",
        width="100%",
    )


def _legend() -> rx.Component:
    return rx.hstack(
        *[
            rx.hstack(
                rx.icon(icon, size=13, color=rx.color(color, 10)),
                rx.text(label, size="1", color_scheme="gray"),
                spacing="1",
                align="center",
            )
            for icon, label, color in LEVEL_LEGEND
        ],
        spacing="3",
        wrap="wrap",
    )


def _tree_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.input(
                    rx.input.slot(rx.icon("search", size=15)),
                    rx.cond(
                        HierarchyState.search != "",
                        rx.input.slot(
                            rx.icon_button(
                                rx.icon("x", size=12),
                                size="1",
                                variant="ghost",
                                color_scheme="gray",
                                on_click=HierarchyState.clear_search,
                                aria_label="Clear search",
                            )
                        ),
                    ),
                    placeholder="Search names…",
                    value=HierarchyState.search,
                    on_change=HierarchyState.set_search,
                    width="280px",
                    id="hierarchy-search",
                ),
                rx.spacer(),
                rx.text(
                    HierarchyState.node_count.to(str) + " nodes",
                    size="1",
                    color_scheme="gray",
                    id="node-count",
                ),
                width="100%",
                align="center",
            ),
            _legend(),
            rx.box(
                hierarchy_tree(
                    rows=HierarchyState.rows,
                    version=HierarchyState.tree_version,
                    read_only=~SessionState.can_manage_hierarchy,
                    search_term=HierarchyState.search,
                    reveal_id=HierarchyState.selected_id,
                    open_all=HierarchyState.open_all,
                    complete=HierarchyState.tree_complete,
                    on_need_rest=HierarchyState.load_full_tree,
                    on_unmount=HierarchyState.forget_tree,
                    on_move_node=HierarchyState.move_node,
                    on_rename_node=HierarchyState.rename_node,
                    on_select_node=HierarchyState.select_node,
                    on_delete_request=HierarchyState.request_delete,
                    on_add_child=HierarchyState.request_add_child,
                    id="hierarchy-tree",
                ),
                width="100%",
                height="calc(100vh - 290px)",
                min_height="360px",
                border_top=f"1px solid {rx.color('gray', 4)}",
                padding_top="6px",
            ),
            rx.text(
                rx.cond(
                    SessionState.can_manage_hierarchy,
                    "Drag rows to reorder or move them. Keys: ↑ ↓ move, ← → fold, "
                    "Enter renames, Delete deletes.",
                    "Read only: your role can browse the hierarchy but not change it.",
                ),
                size="1",
                color_scheme="gray",
                id="tree-help",
            ),
            # What the server has persisted (read by the browser tests and the benchmark).
            rx.el.span(
                HierarchyState.moves_saved,
                id="moves-saved",
                display="none",
            ),
            rx.el.span(HierarchyState.renames_saved, id="renames-saved", display="none"),
            spacing="3",
            width="100%",
        ),
        flex="1",
        min_width="0",
        size="2",
    )


def _detail_list(title: str, items, empty_text: str, label_key: str, id_: str) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        rx.text(title, size="2", weight="bold"),
        rx.cond(
            items.length() > 0,
            rx.vstack(
                rx.foreach(
                    items,
                    lambda item: rx.hstack(
                        rx.text(item[label_key], size="2", trim="both"),
                        rx.spacer(),
                        rx.badge(item["status"], variant="soft", size="1"),
                        width="100%",
                        align="center",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            rx.text(empty_text, size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        id=id_,
    )


def _details_panel() -> rx.Component:
    details = HierarchyState.details
    return rx.card(
        rx.cond(
            HierarchyState.selected_id != "",
            rx.vstack(
                rx.hstack(
                    rx.badge(details["level_label"].to(str), variant="soft", id="detail-level"),
                    rx.spacer(),
                    rx.cond(
                        SessionState.can_manage_hierarchy,
                        rx.hstack(
                            rx.cond(
                                details["child_label"].to(str) != "",
                                rx.tooltip(
                                    rx.icon_button(
                                        rx.icon("plus", size=14),
                                        size="1",
                                        variant="soft",
                                        on_click=HierarchyState.add_selected_child,
                                        id="detail-add-child",
                                        aria_label="Add a child",
                                    ),
                                    content="Add " + details["child_label"].to(str),
                                ),
                            ),
                            rx.tooltip(
                                rx.icon_button(
                                    rx.icon("trash-2", size=14),
                                    size="1",
                                    variant="soft",
                                    color_scheme="red",
                                    on_click=HierarchyState.delete_selected,
                                    id="detail-delete",
                                    aria_label="Delete",
                                ),
                                content="Delete",
                            ),
                            spacing="2",
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
                rx.heading(
                    details["name"].to(str), size="5", id="detail-name", word_break="break-word"
                ),
                rx.text(
                    details["path"].to(list[dict[str, str]]).map(lambda p: p["name"]).join(" › "),
                    size="1",
                    color_scheme="gray",
                    id="detail-path",
                ),
                rx.divider(),
                rx.cond(
                    SessionState.can_manage_hierarchy,
                    rx.vstack(
                        rx.text("Description", size="2", weight="bold"),
                        rx.text_area(
                            value=HierarchyState.edit_description,
                            on_change=HierarchyState.set_edit_description,
                            placeholder="What happens here, who does it, why it matters…",
                            rows="4",
                            max_length=2000,
                            width="100%",
                            id="detail-description",
                        ),
                        _application_field(
                            HierarchyState.selected_is_action,
                            HierarchyState.edit_application,
                            HierarchyState.set_edit_application,
                            "detail-application",
                        ),
                        rx.button(
                            "Save details",
                            size="2",
                            on_click=HierarchyState.save_details,
                            id="detail-save",
                        ),
                        spacing="2",
                        width="100%",
                        align="start",
                    ),
                    rx.vstack(
                        rx.text(
                            rx.cond(
                                details["description"].to(str) != "",
                                details["description"].to(str),
                                "No description yet.",
                            ),
                            size="2",
                            color_scheme="gray",
                            white_space="pre-wrap",
                        ),
                        rx.cond(
                            HierarchyState.selected_is_action,
                            rx.text(
                                "Application: ",
                                details["application_name"].to(str),
                                size="2",
                            ),
                        ),
                        spacing="2",
                        width="100%",
                    ),
                ),
                rx.cond(
                    details["child_label"].to(str) != "",
                    rx.text(
                        details["children"].to(str)
                        + " "
                        + rx.cond(
                            details["children"].to(int) == 1,
                            details["child_label"].to(str),
                            details["child_plural"].to(str),
                        ),
                        size="2",
                        color_scheme="gray",
                        id="detail-children",
                    ),
                ),
                rx.divider(),
                _detail_list(
                    "Workflows",
                    details["workflows"].to(list[dict[str, str]]),
                    "No workflows are linked here yet. Workflows attach to Actions.",
                    "name",
                    "detail-workflows",
                ),
                _detail_list(
                    "Documents",
                    details["documents"].to(list[dict[str, str]]),
                    "No documents are linked here yet.",
                    "title",
                    "detail-documents",
                ),
                spacing="3",
                width="100%",
                align="start",
            ),
            rx.center(
                rx.vstack(
                    rx.icon("mouse-pointer-click", size=22, color=rx.color("gray", 9)),
                    rx.text("Select a node", weight="medium"),
                    rx.text(
                        "Its description, workflows and documents show here.",
                        size="2",
                        color_scheme="gray",
                        align="center",
                    ),
                    align="center",
                    spacing="2",
                ),
                height="240px",
                id="detail-empty",
            ),
        ),
        width="340px",
        min_width="340px",
        size="2",
        id="detail-panel",
    )


def _add_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Add " + HierarchyState.add_level_label),
            rx.dialog.description(
                rx.cond(
                    HierarchyState.add_parent_name != "",
                    "Under “" + HierarchyState.add_parent_name + "”.",
                    "At the top of the tree.",
                ),
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    error_callout(HierarchyState.add_error, id="add-error"),
                    rx.text("Name", size="2", weight="bold"),
                    rx.input(
                        value=HierarchyState.add_name,
                        on_change=HierarchyState.set_add_name,
                        placeholder=HierarchyState.add_level_label + " name",
                        max_length=200,
                        auto_focus=True,
                        width="100%",
                        id="add-name",
                    ),
                    _application_field(
                        HierarchyState.add_is_action,
                        HierarchyState.add_application,
                        HierarchyState.set_add_application,
                        "add-application",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(
                                "Cancel",
                                variant="soft",
                                color_scheme="gray",
                                type="button",
                                on_click=HierarchyState.close_add,
                            )
                        ),
                        rx.button("Add", type="submit", id="add-submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=lambda _: HierarchyState.confirm_add(),
                reset_on_submit=False,
            ),
            max_width="440px",
        ),
        open=HierarchyState.add_open,
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), HierarchyState.close_add()),
    )


def hierarchy_content() -> rx.Component:
    return rx.vstack(
        rx.el.style(TREE_CSS),
        page_header(
            "Hierarchy",
            "Your tech stack, from Systems down to the Actions people perform.",
            _header_actions(),
        ),
        _import_report(),
        rx.cond(
            HierarchyState.tree_loaded,
            rx.cond(
                HierarchyState.node_count > 0,
                rx.hstack(
                    _tree_panel(), _details_panel(), spacing="4", width="100%", align="start"
                ),
                _empty_tree(),
            ),
            rx.center(rx.spinner(size="3"), height="40vh"),
        ),
        _add_dialog(),
        confirm_dialog(
            open=HierarchyState.pending_delete.length() > 0,
            title="Delete " + HierarchyState.pending_delete.get("level_label", "").to(str) + "?",
            description=HierarchyState.pending_delete.get("summary", "").to(str),
            confirm_label="Delete",
            on_confirm=HierarchyState.confirm_delete,
            on_cancel=HierarchyState.cancel_delete,
            confirm_id="confirm-delete",
        ),
        spacing="4",
        width="100%",
    )


def _application_field(shown: rx.Var, value: rx.Var, on_change, field_id: str) -> rx.Component:  # noqa: ANN001
    """The application an Action runs in (only Actions have one)."""
    return rx.cond(
        shown,
        rx.vstack(
            rx.text("Application", size="2", weight="bold"),
            rx.input(
                value=value,
                on_change=on_change,
                placeholder="e.g. Salesforce",
                max_length=100,
                width="100%",
                id=field_id,
            ),
            spacing="1",
            width="100%",
        ),
    )

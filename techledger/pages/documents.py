"""Documents: the library (browse, search, generate), the live editor, the review queue."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import confirm_dialog, empty_state, error_callout
from techledger.components.layout import page_header
from techledger.state.documents import STATUSES, DocumentsState, EditorState, ReviewState

STATUS_COLORS = {"DRAFT": "gray", "REVIEW": "amber", "PUBLISHED": "green", "ARCHIVED": "brown"}


def status_badge(status: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    """A document's status as a coloured badge."""
    return rx.badge(
        status,
        color_scheme=rx.match(
            status,
            ("DRAFT", "gray"),
            ("REVIEW", "amber"),
            ("PUBLISHED", "green"),
            ("ARCHIVED", "brown"),
            "gray",
        ),
        variant="soft",
        **props,
    )


def _marked(parts: rx.Var, size: str = "2", weight: str = "regular") -> rx.Component:
    """Text whose matched words are highlighted (rendered as text, never as HTML)."""
    return rx.text(
        rx.foreach(
            parts.to(list[dict[str, str]]),
            lambda part: rx.cond(
                part["c"] == "1",
                rx.el.mark(
                    part["t"],
                    style={
                        "background": rx.color("amber", 4),
                        "color": rx.color("amber", 12),
                        "border_radius": "3px",
                        "padding": "0 2px",
                    },
                ),
                rx.text.span(part["t"]),
            ),
        ),
        size=size,
        weight=weight,
    )


# ---------------------------------------------------------------------- library
def _tree_row(node: dict) -> rx.Component:
    indent = node["depth"].to(int) * 14
    return rx.cond(
        node["is_action"].to(bool),
        rx.hstack(
            rx.icon("file-text", size=13, flex_shrink="0"),
            rx.text(node["name"], size="2", truncate=True, flex="1", min_width="0"),
            rx.badge(node["count"].to(str), size="1", variant="soft"),
            align="center",
            spacing="2",
            width="100%",
            padding_y="4px",
            padding_right="6px",
            padding_left=f"calc({indent}px + 8px)",
            border_radius="6px",
            cursor="pointer",
            background=rx.cond(
                DocumentsState.action_filter == node["id"], rx.color("accent", 3), "transparent"
            ),
            _hover={"background": rx.color("gray", 3)},
            on_click=DocumentsState.select_action(node["id"].to(str), node["name"].to(str)),
            id="tree-" + node["id"].to(str),
            role="button",
            tab_index=0,
            title=node["name"].to(str),
        ),
        rx.hstack(
            rx.icon("folder", size=13, color=rx.color("gray", 9)),
            rx.text(node["name"], size="1", color_scheme="gray", weight="medium", truncate=True),
            padding_left=f"calc({indent}px + 8px)",
            padding_y="3px",
            align="center",
            spacing="2",
            title=node["kind"].to(str),
        ),
    )


def _browse_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Browse by hierarchy", size="2", weight="bold"),
            rx.cond(
                DocumentsState.tree.length() > 0,
                rx.vstack(rx.foreach(DocumentsState.tree, _tree_row), spacing="1", width="100%"),
                rx.text(
                    "Guides linked to an Action of the hierarchy show here.",
                    size="1",
                    color_scheme="gray",
                ),
            ),
            rx.divider(),
            rx.text("Applications", size="2", weight="bold"),
            rx.vstack(
                rx.foreach(
                    DocumentsState.app_choices,
                    lambda app: rx.button(
                        rx.cond(app == "all", "All applications", app),
                        variant=rx.cond(DocumentsState.app_filter == app, "soft", "ghost"),
                        color_scheme="gray",
                        size="1",
                        width="100%",
                        justify="start",
                        on_click=DocumentsState.set_app_filter(app),
                        id="app-" + app,
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            spacing="3",
            width="100%",
            align="start",
        ),
        width="260px",
        min_width="260px",
    )


def _document_row(item: dict) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(
                rx.icon("file-text", size=18, color=rx.color("accent", 10)),
                padding="8px",
                border_radius="8px",
                background=rx.color("accent", 3),
            ),
            rx.vstack(
                rx.text(item["title"], weight="medium", size="3"),
                rx.hstack(
                    rx.text(item["application_name"], size="1", color_scheme="gray"),
                    rx.text("·", size="1", color_scheme="gray"),
                    rx.text("v", item["version"].to(str), size="1", color_scheme="gray"),
                    rx.text("·", size="1", color_scheme="gray"),
                    rx.text("Updated ", item["updated"], size="1", color_scheme="gray"),
                    rx.foreach(
                        item["tags"].to(list[str]),
                        lambda tag: rx.badge(tag, size="1", variant="outline", color_scheme="gray"),
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            status_badge(item["status"].to(str)),
            align="center",
            spacing="3",
            width="100%",
            padding="12px 14px",
            border_radius="10px",
            border=f"1px solid {rx.color('gray', 4)}",
            _hover={"background": rx.color("gray", 2), "border_color": rx.color("gray", 6)},
        ),
        href="/documents/" + item["id"].to(str),
        underline="none",
        color="inherit",
        width="100%",
        class_name="document-row",
    )


def _result_row(item: dict) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.hstack(
                _marked(item["title_parts"], size="3", weight="medium"),
                rx.spacer(),
                rx.text(item["application_name"], size="1", color_scheme="gray"),
                status_badge(item["status"].to(str)),
                align="center",
                width="100%",
                spacing="3",
            ),
            rx.box(_marked(item["snippet_parts"], size="2"), color=rx.color("gray", 11)),
            spacing="1",
            width="100%",
            padding="12px 14px",
            border_radius="10px",
            border=f"1px solid {rx.color('gray', 4)}",
            _hover={"background": rx.color("gray", 2)},
        ),
        href="/documents/" + item["id"].to(str),
        underline="none",
        color="inherit",
        width="100%",
        class_name="search-result",
    )


def _generate_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Generate a guide from a workflow"),
            rx.dialog.description(
                "Each screenshot becomes a section; each trained element becomes a step, in "
                "reading order, with its picture. Generating again after more training makes "
                "a new version.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                DocumentsState.workflows.length() > 0,
                rx.vstack(
                    rx.text("Workflow", size="2", weight="medium"),
                    rx.select.root(
                        rx.select.trigger(width="100%", id="generate-workflow"),
                        rx.select.content(
                            rx.foreach(
                                DocumentsState.workflows,
                                lambda wf: rx.select.item(
                                    wf["name"].to(str)
                                    + " — "
                                    + wf["application_name"].to(str)
                                    + " ("
                                    + wf["screens"].to(str)
                                    + " screens"
                                    + rx.cond(wf["document_id"].to(str) != "", ", has a guide", "")
                                    + ")",
                                    value=wf["id"].to(str),
                                ),
                            )
                        ),
                        value=DocumentsState.generate_workflow,
                        on_change=DocumentsState.set_generate_workflow,
                    ),
                    spacing="2",
                    width="100%",
                    margin_top="12px",
                ),
                rx.callout(
                    "No workflow yet: create one and upload its screenshots, then train it.",
                    icon="info",
                    margin_top="12px",
                ),
            ),
            error_callout(DocumentsState.generate_error, id="generate-error", margin_top="12px"),
            rx.hstack(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    rx.cond(
                        DocumentsState.generating,
                        rx.spinner(size="1"),
                        rx.icon("sparkles", size=14),
                    ),
                    "Generate",
                    on_click=DocumentsState.generate,
                    disabled=DocumentsState.generating | (DocumentsState.workflows.length() == 0),
                    id="generate-submit",
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
            max_width="560px",
        ),
        open=DocumentsState.generate_open,
        on_open_change=DocumentsState.set_generate_open,
    )


def documents_content() -> rx.Component:
    return rx.vstack(
        page_header(
            "Documents",
            "Step-by-step guides of how your organization works.",
            rx.cond(
                DocumentsState.can_edit_workflows,
                rx.button(
                    rx.icon("sparkles", size=14),
                    "Generate from workflow",
                    on_click=DocumentsState.open_generate,
                    id="open-generate",
                ),
            ),
        ),
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=15)),
                rx.cond(
                    DocumentsState.searching,
                    rx.input.slot(
                        rx.icon_button(
                            rx.icon("x", size=13),
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            on_click=DocumentsState.clear_query,
                            aria_label="Clear search",
                        )
                    ),
                ),
                placeholder="Search titles and content…",
                value=DocumentsState.query,
                on_change=DocumentsState.set_query,
                debounce_timeout=250,
                size="3",
                flex="1",
                id="document-search",
            ),
            rx.select(
                STATUSES,
                value=DocumentsState.status_filter,
                on_change=DocumentsState.set_status_filter,
                size="3",
                id="status-filter",
            ),
            width="100%",
            spacing="3",
        ),
        rx.hstack(
            _browse_panel(),
            rx.vstack(
                rx.cond(
                    DocumentsState.action_filter != "",
                    rx.hstack(
                        rx.badge(
                            rx.icon("filter", size=12),
                            "Action: ",
                            DocumentsState.action_filter_name,
                            size="2",
                            variant="surface",
                        ),
                        rx.button(
                            "Clear",
                            size="1",
                            variant="ghost",
                            on_click=DocumentsState.select_action(DocumentsState.action_filter, ""),
                        ),
                        align="center",
                    ),
                ),
                rx.cond(
                    DocumentsState.searching,
                    rx.cond(
                        DocumentsState.results.length() > 0,
                        rx.vstack(
                            rx.foreach(DocumentsState.results, _result_row),
                            spacing="2",
                            width="100%",
                            id="search-results",
                        ),
                        empty_state(
                            "search-x",
                            "No match",
                            "No document's title or content has every word you typed. "
                            "Try fewer or other words, or clear the filters.",
                            id="search-empty",
                        ),
                    ),
                    rx.cond(
                        DocumentsState.items.length() > 0,
                        rx.vstack(
                            rx.foreach(DocumentsState.items, _document_row),
                            spacing="2",
                            width="100%",
                            id="document-list",
                        ),
                        empty_state(
                            "file-text",
                            "No documents yet",
                            rx.cond(
                                DocumentsState.can_edit_workflows,
                                "Generate a guide from a trained workflow; it starts as a draft "
                                "you can edit, send for review and publish.",
                                "Published guides of your organization will show here.",
                            ),
                            id="documents-empty",
                        ),
                    ),
                ),
                flex="1",
                min_width="0",
                spacing="3",
            ),
            align="start",
            spacing="5",
            width="100%",
        ),
        _generate_dialog(),
        spacing="5",
        width="100%",
    )


# ---------------------------------------------------------------------- editor
def _save_indicator() -> rx.Component:
    return rx.match(
        EditorState.save_state,
        (
            "saving",
            rx.hstack(
                rx.spinner(size="1"),
                rx.text("Saving…", size="1"),
                id="save-state",
                align="center",
                color=rx.color("gray", 11),
            ),
        ),
        (
            "conflict",
            rx.badge(
                rx.icon("git-merge", size=12), "Conflict", color_scheme="red", id="save-state"
            ),
        ),
        (
            "error",
            rx.badge(
                rx.icon("triangle-alert", size=12), "Not saved", color_scheme="red", id="save-state"
            ),
        ),
        rx.hstack(
            rx.icon("cloud-check", size=14, color=rx.color("green", 10)),
            rx.text("Saved", size="1"),
            id="save-state",
            align="center",
            color=rx.color("gray", 11),
        ),
    )


def _conflict_panel() -> rx.Component:
    return rx.cond(
        EditorState.save_state == "conflict",
        rx.callout.root(
            rx.callout.icon(rx.icon("git-merge")),
            rx.vstack(
                rx.text(
                    "Someone else saved this document while you were editing. Their text is on "
                    "the right: merge what you need into yours, then keep yours; or take theirs.",
                    size="2",
                ),
                rx.grid(
                    rx.vstack(
                        rx.text("Your text", size="1", weight="bold"),
                        rx.text_area(
                            value=EditorState.content,
                            on_change=EditorState.set_content,
                            rows="10",
                            width="100%",
                            font_family="monospace",
                            id="conflict-mine",
                        ),
                        width="100%",
                    ),
                    rx.vstack(
                        rx.text("Their text (saved)", size="1", weight="bold"),
                        rx.text_area(
                            value=EditorState.theirs.get("content", "").to(str),
                            read_only=True,
                            rows="10",
                            width="100%",
                            font_family="monospace",
                            id="conflict-theirs",
                        ),
                        width="100%",
                    ),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(
                        "Keep mine",
                        on_click=EditorState.keep_mine,
                        color_scheme="red",
                        id="keep-mine",
                    ),
                    rx.button(
                        "Add theirs below mine",
                        variant="soft",
                        on_click=EditorState.append_theirs,
                        id="merge-theirs",
                    ),
                    rx.button(
                        "Take theirs",
                        variant="soft",
                        color_scheme="gray",
                        on_click=EditorState.take_theirs,
                        id="take-theirs",
                    ),
                    spacing="3",
                ),
                spacing="3",
                width="100%",
            ),
            color_scheme="red",
            width="100%",
            id="conflict-panel",
        ),
    )


def _editor() -> rx.Component:
    return rx.grid(
        rx.vstack(
            rx.hstack(
                rx.text("Markdown", size="1", weight="bold", color_scheme="gray"),
                rx.spacer(),
                rx.text(
                    EditorState.content.length().to_string(),
                    " / 100,000",
                    size="1",
                    color_scheme="gray",
                ),
                width="100%",
            ),
            rx.text_area(
                value=EditorState.content,
                on_change=EditorState.edit_content,
                debounce_timeout=600,
                force_notify_by_enter=False,  # Enter is a new line here, not "save now"
                read_only=~EditorState.can_edit,
                width="100%",
                height="68vh",
                resize="none",
                font_family="ui-monospace, SFMono-Regular, Menlo, monospace",
                font_size="13px",
                id="editor-source",
            ),
            spacing="2",
            width="100%",
        ),
        rx.vstack(
            rx.text("Preview", size="1", weight="bold", color_scheme="gray"),
            rx.box(
                rx.markdown(EditorState.preview, use_raw=False),
                class_name="doc-preview",
                height="68vh",
                overflow_y="auto",
                padding="4px 18px",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="8px",
                width="100%",
                id="editor-preview",
            ),
            spacing="2",
            width="100%",
        ),
        columns="2",
        spacing="4",
        width="100%",
    )


def _actions() -> rx.Component:
    status = EditorState.status
    return rx.hstack(
        rx.cond(
            EditorState.is_writer
            & ((status == "DRAFT") | (status == "PUBLISHED"))
            & EditorState.can_edit_workflows,
            rx.button(
                rx.icon("bookmark-plus", size=14),
                "Save version",
                variant="soft",
                on_click=EditorState.open_dialog("version"),
                id="open-save-version",
            ),
        ),
        rx.cond(
            (status == "DRAFT") & EditorState.can_edit_workflows,
            rx.button(
                rx.icon("send", size=14),
                "Submit for review",
                on_click=EditorState.open_dialog("submit"),
                id="open-submit",
            ),
        ),
        rx.cond(
            (status == "REVIEW") & EditorState.can_publish,
            rx.hstack(
                rx.button(
                    rx.icon("circle-check", size=14),
                    "Approve & publish",
                    color_scheme="green",
                    on_click=EditorState.approve,
                    id="approve",
                ),
                rx.button(
                    rx.icon("undo-2", size=14),
                    "Send back",
                    variant="soft",
                    color_scheme="amber",
                    on_click=EditorState.open_dialog("send_back"),
                    id="open-send-back",
                ),
                spacing="2",
            ),
        ),
        rx.cond(
            (status == "PUBLISHED") & EditorState.can_publish,
            rx.button(
                rx.icon("archive", size=14),
                "Archive",
                variant="soft",
                color_scheme="gray",
                on_click=EditorState.open_dialog("archive"),
                id="open-archive",
            ),
        ),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("download", size=14), "Export", variant="outline", id="export-menu"
                )
            ),
            rx.menu.content(
                rx.menu.item("PDF", on_select=EditorState.export("pdf"), id="export-pdf"),
                rx.menu.item(
                    "HTML (standalone)", on_select=EditorState.export("html"), id="export-html"
                ),
                rx.menu.item(
                    "Markdown + images (zip)", on_select=EditorState.export("md"), id="export-md"
                ),
            ),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def _export_status() -> rx.Component:
    return rx.cond(
        EditorState.export_id != "",
        rx.hstack(
            rx.match(
                EditorState.export_status,
                ("done", rx.icon("circle-check", size=16, color=rx.color("green", 10))),
                ("failed", rx.icon("circle-x", size=16, color=rx.color("red", 10))),
                rx.spinner(size="1"),
            ),
            rx.text(
                "Export ",
                EditorState.export_format.upper(),
                ": ",
                rx.match(
                    EditorState.export_status,
                    ("done", "ready — downloading"),
                    ("failed", EditorState.export_error),
                    ("running", "rendering…"),
                    "queued…",
                ),
                size="2",
            ),
            rx.progress(value=EditorState.export_progress, max=100, width="160px"),
            align="center",
            spacing="3",
            id="export-status",
            data_status=EditorState.export_status,
        ),
    )


def _history() -> rx.Component:
    choices = rx.foreach(
        EditorState.versions,
        lambda v: rx.select.item("Version " + v["version"].to(str), value=v["version"].to(str)),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("history", size=16),
                rx.text("History", weight="bold", size="3"),
                align="center",
                spacing="2",
            ),
            rx.hstack(
                rx.select.root(
                    rx.select.trigger(placeholder="Old", id="compare-old"),
                    rx.select.content(choices),
                    value=EditorState.compare_old,
                    on_change=EditorState.set_compare_old,
                    size="1",
                ),
                rx.icon("arrow-right", size=14),
                rx.select.root(
                    rx.select.trigger(placeholder="New", id="compare-new"),
                    rx.select.content(choices),
                    value=EditorState.compare_new,
                    on_change=EditorState.set_compare_new,
                    size="1",
                ),
                rx.button("Compare", size="1", on_click=EditorState.compare, id="compare"),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(
                        EditorState.versions,
                        lambda v: rx.hstack(
                            rx.vstack(
                                rx.hstack(
                                    rx.text("v", v["version"].to(str), weight="bold", size="2"),
                                    status_badge(v["status"].to(str), size="1"),
                                    rx.cond(
                                        v["is_published"].to(bool),
                                        rx.badge("live", color_scheme="green", size="1"),
                                    ),
                                    spacing="2",
                                    align="center",
                                ),
                                rx.text(v["changelog"], size="1", color_scheme="gray"),
                                rx.text(
                                    v["author"], " · ", v["created"], size="1", color_scheme="gray"
                                ),
                                spacing="1",
                                flex="1",
                                min_width="0",
                            ),
                            rx.cond(
                                EditorState.can_edit,
                                rx.button(
                                    "Restore",
                                    size="1",
                                    variant="ghost",
                                    on_click=EditorState.ask_restore(v["version"].to(int)),
                                    id="restore-" + v["version"].to(str),
                                ),
                            ),
                            width="100%",
                            align="start",
                            padding_y="6px",
                            border_bottom=f"1px solid {rx.color('gray', 4)}",
                            class_name="version-row",
                        ),
                    ),
                    spacing="0",
                    width="100%",
                    id="version-list",
                ),
                max_height="46vh",
                type="auto",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _diff_cell(parts: rx.Var, number: rx.Var, kind: rx.Var, side: str) -> rx.Component:
    changed_bg = rx.color("red", 3) if side == "left" else rx.color("green", 3)
    strong_bg = rx.color("red", 5) if side == "left" else rx.color("green", 5)
    active = (kind != "equal") & (kind != "skip")
    return rx.hstack(
        rx.text(
            number, size="1", color_scheme="gray", width="36px", text_align="right", flex_shrink="0"
        ),
        rx.text(
            rx.foreach(
                parts.to(list[dict[str, str]]),
                lambda part: rx.text.span(
                    part["t"],
                    background=rx.cond(
                        (part["c"] == "1") & (kind == "replace"), strong_bg, "transparent"
                    ),
                ),
            ),
            size="1",
            white_space="pre-wrap",
            font_family="ui-monospace, monospace",
            flex="1",
            min_width="0",
        ),
        background=rx.cond(active & (parts.to(list).length() > 0), changed_bg, "transparent"),
        padding_x="6px",
        width="100%",
        spacing="2",
    )


def _compare_view() -> rx.Component:
    return rx.cond(
        EditorState.diff_summary != "",
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(EditorState.diff_summary, weight="bold", size="2", id="diff-summary"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x", size=14),
                        size="1",
                        variant="ghost",
                        on_click=EditorState.close_compare,
                        aria_label="Close comparison",
                    ),
                    width="100%",
                ),
                rx.box(
                    rx.foreach(
                        EditorState.diff_rows,
                        lambda row: rx.cond(
                            row["kind"] == "skip",
                            rx.center(
                                rx.text(
                                    row["left"].to(list[dict[str, str]])[0]["t"],
                                    size="1",
                                    color_scheme="gray",
                                ),
                                background=rx.color("gray", 3),
                                padding_y="2px",
                                width="100%",
                            ),
                            rx.grid(
                                _diff_cell(
                                    row["left"], row["left_no"], row["kind"].to(str), "left"
                                ),
                                _diff_cell(
                                    row["right"], row["right_no"], row["kind"].to(str), "right"
                                ),
                                columns="2",
                                width="100%",
                                class_name="diff-row-" + row["kind"].to(str),
                            ),
                        ),
                    ),
                    max_height="60vh",
                    overflow_y="auto",
                    width="100%",
                    border=f"1px solid {rx.color('gray', 4)}",
                    border_radius="6px",
                    id="diff-view",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def _note_dialog(
    name: str, title: str, text: str, value: rx.Var, on_change, action, label: str, field_id: str
) -> rx.Component:  # noqa: ANN001
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(text, size="2", color_scheme="gray"),
            rx.text_area(
                value=value,
                on_change=on_change,
                rows="4",
                width="100%",
                margin_top="12px",
                id=field_id,
                max_length=2000,
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(label, on_click=action, id=f"{field_id}-confirm"),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
            max_width="520px",
        ),
        open=EditorState.dialog == name,
        on_open_change=EditorState.set_dialog_open,
    )


def _dialogs() -> rx.Component:
    return rx.fragment(
        _note_dialog(
            "submit",
            "Submit for review",
            "An admin will approve and publish it, or send it back with comments. Add a note for the reviewer (optional).",
            EditorState.review_note,
            EditorState.set_review_note,
            EditorState.submit_for_review,
            "Submit",
            "review-note",
        ),
        _note_dialog(
            "send_back",
            "Send back to the author",
            "Say what needs to change; the author sees your comments on the document.",
            EditorState.send_back_comments,
            EditorState.set_send_back_comments,
            EditorState.send_back,
            "Send back",
            "send-back-comments",
        ),
        _note_dialog(
            "version",
            "Save as a version",
            "A version is a named point in the history you can compare or restore. What changed?",
            EditorState.version_note,
            EditorState.set_version_note,
            EditorState.save_version,
            "Save version",
            "version-note",
        ),
        confirm_dialog(
            open=EditorState.dialog == "archive",
            title="Archive this document?",
            description="Readers will no longer see it. It is kept with its whole history and is never deleted.",
            confirm_label="Archive",
            on_confirm=EditorState.archive,
            on_cancel=EditorState.close_dialog,
            confirm_id="confirm-archive",
        ),
        confirm_dialog(
            open=EditorState.dialog == "restore",
            title="Restore version " + EditorState.restore_target.to_string() + "?",
            description="Its text becomes the draft again, as a new version; nothing in the history is lost.",
            confirm_label="Restore",
            on_confirm=EditorState.restore,
            on_cancel=EditorState.close_dialog,
            confirm_id="confirm-restore",
        ),
    )


def _writer_view() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.input(
                    value=EditorState.title,
                    on_change=EditorState.edit_title,
                    debounce_timeout=600,
                    read_only=~EditorState.can_edit,
                    size="3",
                    width="100%",
                    max_length=200,
                    font_weight="bold",
                    id="editor-title",
                ),
                rx.hstack(
                    status_badge(EditorState.status, id="doc-status"),
                    rx.text(EditorState.meta_line, size="1", color_scheme="gray"),
                    _save_indicator(),
                    spacing="3",
                    align="center",
                ),
                spacing="2",
                flex="1",
            ),
            _actions(),
            width="100%",
            align="start",
            spacing="4",
        ),
        rx.hstack(
            rx.icon("tags", size=14, color=rx.color("gray", 10)),
            rx.input(
                value=EditorState.tags_text,
                on_change=EditorState.edit_tags,
                debounce_timeout=800,
                read_only=~EditorState.can_edit,
                placeholder="Tags, separated by commas",
                size="1",
                width="420px",
                id="editor-tags",
            ),
            align="center",
            spacing="2",
        ),
        rx.cond(
            EditorState.review_note_shown != "",
            rx.callout(
                EditorState.review_note_shown,
                icon="message-square",
                color_scheme=rx.cond(EditorState.status == "DRAFT", "amber", "blue"),
                size="1",
                width="100%",
                id="review-note-banner",
            ),
        ),
        rx.cond(
            EditorState.status == "REVIEW",
            rx.callout(
                "In review: editing is paused until an admin approves it or sends it back.",
                icon="clock",
                size="1",
                width="100%",
            ),
        ),
        rx.cond(
            (EditorState.doc.get("published_version", 0).to(int) > 0)
            & (EditorState.status == "DRAFT"),
            rx.callout(
                "Readers still see published version "
                + EditorState.doc.get("published_version", 0).to(str)
                + " until this draft is approved.",
                icon="eye",
                size="1",
                width="100%",
                color_scheme="green",
            ),
        ),
        error_callout(EditorState.save_error, id="save-error"),
        _export_status(),
        _conflict_panel(),
        _editor(),
        rx.hstack(
            rx.box(_history(), width="380px", min_width="380px"),
            rx.box(_compare_view(), flex="1", min_width="0"),
            align="start",
            spacing="4",
            width="100%",
        ),
        _dialogs(),
        spacing="3",
        width="100%",
    )


def _reader_view() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.heading(EditorState.title, size="7", id="reader-title"),
                rx.text(EditorState.meta_line, size="2", color_scheme="gray"),
                spacing="1",
                flex="1",
            ),
            _actions(),
            width="100%",
            align="start",
        ),
        _export_status(),
        rx.box(
            rx.markdown(EditorState.preview, use_raw=False),
            class_name="doc-preview",
            width="100%",
            max_width="820px",
            id="reader-content",
        ),
        spacing="4",
        width="100%",
    )


def document_content() -> rx.Component:
    return rx.cond(
        EditorState.doc.get("id", "") == "",
        empty_state(
            "file-x",
            "Document not found",
            "It does not exist, or it belongs to another organization, or it is not published yet.",
            rx.link(rx.button("Back to documents", variant="soft"), href=routes.DOCUMENTS),
            id="document-missing",
        ),
        rx.vstack(
            rx.link(
                rx.hstack(
                    rx.icon("arrow-left", size=14),
                    rx.text("Documents", size="2"),
                    align="center",
                    spacing="1",
                ),
                href=routes.DOCUMENTS,
                color_scheme="gray",
                underline="none",
            ),
            rx.cond(EditorState.is_writer, _writer_view(), _reader_view()),
            spacing="3",
            width="100%",
        ),
    )


# ---------------------------------------------------------------------- review queue
def _queue_row(item: dict) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.link(
                    rx.text(item["title"], weight="bold", size="3"),
                    href="/documents/" + item["id"].to(str),
                ),
                rx.text(
                    item["application_name"],
                    " · submitted by ",
                    item["submitted_by"],
                    " · ",
                    item["submitted"],
                    " · v",
                    item["version"].to(str),
                    size="1",
                    color_scheme="gray",
                ),
                rx.cond(item["note"].to(str) != "", rx.blockquote(item["note"], size="2")),
                rx.cond(
                    item["is_published_before"].to(bool),
                    rx.badge(
                        "Update of a published guide",
                        size="1",
                        color_scheme="green",
                        variant="soft",
                    ),
                ),
                spacing="2",
                flex="1",
                align="start",
            ),
            rx.vstack(
                rx.cond(
                    item["can_approve"].to(bool),
                    rx.button(
                        rx.icon("circle-check", size=14),
                        "Approve & publish",
                        color_scheme="green",
                        size="2",
                        on_click=ReviewState.approve(item["id"].to(str)),
                        id="queue-approve-" + item["id"].to(str),
                    ),
                    rx.tooltip(
                        rx.badge("Needs another reviewer", color_scheme="amber"),
                        content="Your organization requires a reviewer other than the author.",
                    ),
                ),
                rx.button(
                    rx.icon("undo-2", size=14),
                    "Send back",
                    variant="soft",
                    color_scheme="amber",
                    size="2",
                    on_click=ReviewState.ask_send_back(item["id"].to(str)),
                ),
                rx.link(
                    rx.button("Open", variant="ghost", size="2"),
                    href="/documents/" + item["id"].to(str),
                ),
                spacing="2",
                align="end",
            ),
            width="100%",
            align="start",
        ),
        width="100%",
        class_name="queue-row",
    )


def review_content() -> rx.Component:
    return rx.vstack(
        page_header("Review", "Guides waiting for an admin's approval, oldest first."),
        rx.cond(
            ReviewState.can_publish,
            rx.cond(
                ReviewState.queue.length() > 0,
                rx.vstack(
                    rx.foreach(ReviewState.queue, _queue_row),
                    spacing="3",
                    width="100%",
                    id="review-queue",
                ),
                empty_state(
                    "clipboard-check",
                    "Nothing to review",
                    "When a member submits a guide for review it shows here.",
                    id="review-empty",
                ),
            ),
            empty_state(
                "lock",
                "Admins review guides",
                "Only Admins and Owners approve and publish documents.",
                id="review-forbidden",
            ),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("Send back to the author"),
                rx.dialog.description("Say what needs to change.", size="2", color_scheme="gray"),
                rx.text_area(
                    value=ReviewState.comments,
                    on_change=ReviewState.set_comments,
                    rows="4",
                    width="100%",
                    margin_top="12px",
                    id="queue-comments",
                    max_length=2000,
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        "Send back", on_click=ReviewState.send_back, id="queue-send-back-confirm"
                    ),
                    justify="end",
                    spacing="3",
                    margin_top="16px",
                ),
                max_width="520px",
            ),
            open=ReviewState.send_back_id != "",
            on_open_change=ReviewState.set_send_back_open,
        ),
        spacing="5",
        width="100%",
    )

"""The pattern library: what the organization has learned, per application."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import confirm_dialog, empty_state, error_callout
from techledger.components.layout import page_header
from techledger.state.patterns import PatternsState


def _filters() -> rx.Component:
    return rx.hstack(
        rx.select(
            PatternsState.app_choices,
            value=PatternsState.app_filter,
            on_change=PatternsState.set_app_filter,
            id="pattern-app",
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            placeholder="Search text, purpose or action",
            value=PatternsState.search,
            on_change=PatternsState.set_search.debounce(300),
            width="320px",
            id="pattern-search",
        ),
        rx.hstack(
            rx.switch(
                checked=PatternsState.show_inactive,
                on_change=PatternsState.set_show_inactive,
                id="show-inactive",
            ),
            rx.text("Show deactivated", size="2"),
            align="center",
            spacing="2",
        ),
        spacing="4",
        align="center",
        wrap="wrap",
    )


def _row(row: dict) -> rx.Component:
    active = row["active"] == "1"
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.hstack(
                    rx.badge(row["element_type"], variant="soft", size="1"),
                    rx.text(
                        rx.cond(row["text"] != "", row["text"], "(no text)"),
                        weight="medium",
                        size="2",
                    ),
                    rx.cond(~active, rx.badge("Deactivated", color_scheme="gray", size="1")),
                    spacing="2",
                    align="center",
                ),
                rx.text(row["purpose"], size="2", color_scheme="gray", trim="both"),
                spacing="1",
                align="start",
                max_width="420px",
            )
        ),
        rx.table.cell(rx.text(row["application"], size="2")),
        rx.table.cell(rx.text(row["usage_count"], size="2"), text_align="right"),
        rx.table.cell(rx.text(row["confidence_pct"], size="2"), text_align="right"),
        rx.table.cell(rx.text(row["last_used"], size="2", color_scheme="gray")),
        rx.table.cell(
            rx.hstack(
                rx.icon_button(
                    rx.icon("pencil", size=14),
                    size="1",
                    variant="ghost",
                    on_click=PatternsState.start_edit(row),
                    title="Edit",
                    id="edit-" + row["id"].to(str),
                ),
                rx.icon_button(
                    rx.icon("images", size=14),
                    size="1",
                    variant="ghost",
                    on_click=PatternsState.show_usages(row),
                    title="Where it was used",
                    id="usages-" + row["id"].to(str),
                ),
                rx.icon_button(
                    rx.icon("merge", size=14),
                    size="1",
                    variant="ghost",
                    on_click=PatternsState.start_merge(row),
                    title="Merge duplicates into this one",
                    id="merge-" + row["id"].to(str),
                ),
                rx.cond(
                    active,
                    rx.icon_button(
                        rx.icon("archive", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="red",
                        on_click=PatternsState.ask_deactivate(row),
                        title="Deactivate",
                        id="deactivate-" + row["id"].to(str),
                    ),
                    rx.icon_button(
                        rx.icon("archive-restore", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="green",
                        on_click=PatternsState.reactivate(row["id"]),
                        title="Reactivate",
                        id="reactivate-" + row["id"].to(str),
                    ),
                ),
                spacing="1",
                justify="end",
            ),
            text_align="right",
        ),
        align="center",
        id="pattern-" + row["id"].to(str),
        opacity=rx.cond(active, "1", "0.6"),
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Pattern"),
                rx.table.column_header_cell("Application"),
                rx.table.column_header_cell("Uses", text_align="right"),
                rx.table.column_header_cell("Confidence", text_align="right"),
                rx.table.column_header_cell("Last used"),
                rx.table.column_header_cell(""),
            )
        ),
        rx.table.body(rx.foreach(PatternsState.rows, _row)),
        width="100%",
        variant="surface",
        id="patterns-table",
    )


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit pattern"),
            rx.dialog.description(
                PatternsState.editing["element_type"],
                " ",
                rx.cond(
                    PatternsState.editing["text"] != "", PatternsState.editing["text"], "(no text)"
                ),
                " in ",
                PatternsState.editing["application"],
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    error_callout(PatternsState.edit_error, id="edit-error"),
                    rx.text("Purpose (what it is for)", size="2", weight="medium"),
                    rx.text_area(
                        name="purpose",
                        default_value=PatternsState.editing["purpose"],
                        id="edit-purpose",
                        max_length=500,
                        width="100%",
                    ),
                    rx.text("Action (how to use it)", size="2", weight="medium"),
                    rx.text_area(
                        name="action",
                        default_value=PatternsState.editing["action"],
                        id="edit-action",
                        max_length=1000,
                        width="100%",
                    ),
                    rx.text("Business context (optional)", size="2", weight="medium"),
                    rx.text_area(
                        name="business_context",
                        default_value=PatternsState.editing["business_context"],
                        id="edit-context",
                        max_length=2000,
                        width="100%",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(
                                "Cancel",
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                on_click=PatternsState.cancel_edit,
                            )
                        ),
                        rx.button("Save", type="submit", id="edit-save"),
                        justify="end",
                        width="100%",
                        spacing="3",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=PatternsState.save_edit,
            ),
            max_width="560px",
        ),
        open=PatternsState.editing.length() > 0,
        on_open_change=lambda _open: PatternsState.cancel_edit,
    )


def _merge_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Merge duplicates"),
            rx.dialog.description(
                "Keep ",
                rx.text.strong(PatternsState.merging["text"]),
                " and fold the chosen patterns into it: their elements and uses move here and "
                "they are deactivated.",
                size="2",
            ),
            rx.vstack(
                error_callout(PatternsState.merge_error, id="merge-error"),
                rx.cond(
                    PatternsState.merge_choices.length() > 0,
                    rx.scroll_area(
                        rx.vstack(
                            rx.foreach(
                                PatternsState.merge_choices,
                                lambda choice: rx.hstack(
                                    rx.checkbox(
                                        on_change=lambda checked: PatternsState.toggle_merge(
                                            choice["id"], checked
                                        ),
                                        id="merge-choice-" + choice["id"].to(str),
                                    ),
                                    rx.vstack(
                                        rx.text(choice["text"], size="2", weight="medium"),
                                        rx.text(
                                            choice["purpose"],
                                            " · ",
                                            choice["usage"],
                                            " uses",
                                            size="1",
                                            color_scheme="gray",
                                        ),
                                        spacing="0",
                                    ),
                                    align="center",
                                    spacing="3",
                                ),
                            ),
                            spacing="2",
                        ),
                        max_height="320px",
                        type="auto",
                    ),
                    rx.text(
                        "No other pattern of this application and element type to merge.",
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                rx.hstack(
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="gray",
                        on_click=PatternsState.cancel_merge,
                    ),
                    rx.button(
                        "Merge",
                        on_click=PatternsState.confirm_merge,
                        disabled=PatternsState.merge_selected.length() == 0,
                        id="merge-confirm",
                    ),
                    justify="end",
                    width="100%",
                    spacing="3",
                ),
                spacing="3",
                margin_top="12px",
            ),
            max_width="560px",
        ),
        open=PatternsState.merging.length() > 0,
        on_open_change=lambda _open: PatternsState.cancel_merge,
    )


def _usages_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Where it was used"),
            rx.dialog.description(PatternsState.usages_of["text"], size="2", color_scheme="gray"),
            rx.cond(
                PatternsState.usages.length() > 0,
                rx.vstack(
                    rx.foreach(
                        PatternsState.usages,
                        lambda use: rx.hstack(
                            rx.icon("image", size=14),
                            rx.link(
                                use["workflow"],
                                " · ",
                                use["screen"],
                                href="/workflows/" + use["workflow_id"].to(str) + "/train",
                            ),
                            rx.spacer(),
                            rx.text(
                                use["elements"],
                                " element(s) · ",
                                use["date"],
                                size="1",
                                color_scheme="gray",
                            ),
                            width="100%",
                            align="center",
                        ),
                    ),
                    spacing="2",
                    margin_top="12px",
                    id="usages-list",
                ),
                rx.text("Not matched on any screenshot yet.", size="2", margin_top="12px"),
            ),
            rx.hstack(
                rx.button("Close", variant="soft", on_click=PatternsState.close_usages),
                justify="end",
                margin_top="16px",
            ),
            max_width="560px",
        ),
        open=PatternsState.usages_of.length() > 0,
        on_open_change=lambda _open: PatternsState.close_usages,
    )


def patterns_content() -> rx.Component:
    """The pattern library."""
    return rx.vstack(
        page_header(
            "Pattern library",
            "What the organization has learned about each application's screens. Patterns "
            "are matched on every new screenshot, so fewer questions are asked.",
        ),
        error_callout(PatternsState.library_error, id="library-error"),
        rx.cond(
            PatternsState.library_error == "",
            rx.vstack(
                _filters(),
                rx.cond(
                    PatternsState.rows.length() > 0,
                    _table(),
                    empty_state(
                        "brain",
                        "No patterns yet",
                        "Answer questions on a workflow's training canvas: every answer becomes "
                        "a pattern here. Patterns can also be imported with "
                        "'techledger patterns import'.",
                        rx.link(rx.button("Go home", variant="soft"), href=routes.HOME),
                        id="patterns-empty",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        _edit_dialog(),
        _merge_dialog(),
        _usages_dialog(),
        confirm_dialog(
            open=PatternsState.pending_deactivate.length() > 0,
            title="Deactivate this pattern?",
            description="\u201c"
            + PatternsState.pending_deactivate.get("text", "").to(str)
            + "\u201d stays in the library but is no longer matched on new screenshots. "
            "You can reactivate it at any time.",
            confirm_label="Deactivate",
            on_confirm=PatternsState.confirm_deactivate,
            on_cancel=PatternsState.cancel_deactivate,
            confirm_id="confirm-deactivate",
        ),
        spacing="5",
        width="100%",
    )

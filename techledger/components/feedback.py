"""Messages, empty states and confirmations shared by pages."""

from __future__ import annotations

import reflex as rx


def error_callout(message: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    """A red message box shown only when ``message`` is not empty."""
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle-alert", color_scheme="red", role="alert", width="100%", **props
        ),
    )


def empty_state(
    icon: str,
    title: str,
    text: str,
    *actions: rx.Component,
    **props,  # noqa: ANN003
) -> rx.Component:
    """What a page shows before there is anything in it, with the next step."""
    return rx.center(
        rx.vstack(
            rx.box(
                rx.icon(icon, size=28, color=rx.color("accent", 10)),
                padding="14px",
                border_radius="999px",
                background=rx.color("accent", 3),
            ),
            rx.heading(title, size="4"),
            rx.text(text, color_scheme="gray", align="center", max_width="420px"),
            rx.hstack(*actions, spacing="3"),
            align="center",
            spacing="3",
        ),
        padding="48px 24px",
        border=f"1px dashed {rx.color('gray', 6)}",
        border_radius="12px",
        width="100%",
        **props,
    )


def confirm_dialog(
    *,
    open: rx.Var,
    title: str,
    description: rx.Var | str,
    confirm_label: str,
    on_confirm: rx.EventHandler,
    on_cancel: rx.EventHandler,
    confirm_id: str = "confirm",
) -> rx.Component:
    """A destructive action asks first; Escape or Cancel backs out."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Cancel", variant="soft", color_scheme="gray", on_click=on_cancel)
                ),
                rx.alert_dialog.action(
                    rx.button(confirm_label, color_scheme="red", on_click=on_confirm, id=confirm_id)
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=open,
    )

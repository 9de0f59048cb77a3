"""The Usage card: how much of the plan the organization uses."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.state.session import SessionState
from techledger.state.usage import UsageState


def _row(row: dict) -> rx.Component:
    at_limit = row["at_limit"].to(bool)
    return rx.vstack(
        rx.hstack(
            rx.text(row["label"].to(str), size="2", weight="medium"),
            rx.spacer(),
            rx.text(
                row["used"].to(str),
                " / ",
                row["limit"].to(str),
                size="2",
                color=rx.cond(at_limit, rx.color("red", 11), rx.color("gray", 11)),
                id="usage-" + row["resource"].to(str),
            ),
            width="100%",
        ),
        rx.progress(
            value=row["percent"].to(int),
            color_scheme=rx.cond(at_limit, "red", "blue"),
            size="2",
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def usage_card() -> rx.Component:
    """Members, workflows and this month's screenshots against the plan's limits."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Usage", size="4"),
                rx.badge(UsageState.usage_plan, variant="soft"),
                rx.spacer(),
                rx.cond(
                    SessionState.is_owner,
                    rx.link("Plans and billing", href=routes.BILLING, size="2", id="usage-billing"),
                ),
                align="center",
                width="100%",
            ),
            rx.foreach(UsageState.usage_rows, _row),
            spacing="4",
            width="100%",
        ),
        width="100%",
        on_mount=UsageState.load_usage,
        id="usage-card",
    )

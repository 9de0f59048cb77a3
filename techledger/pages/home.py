"""The organization's home: where things stand and the next step."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import empty_state
from techledger.components.layout import page_header
from techledger.state.home import HomeState


def _stat(label: str, key: str, icon: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.box(
                rx.icon(icon, size=18, color=rx.color("accent", 11)),
                padding="8px",
                border_radius="8px",
                background=rx.color("accent", 3),
            ),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.heading(HomeState.counts.get(key, 0).to_string(), size="6", id=f"count-{key}"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def _step(number: str, title: str, text: str, done: rx.Var, action: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.cond(done, rx.icon("check", size=16), rx.text(number, weight="bold", size="2")),
            width="32px",
            height="32px",
            border_radius="999px",
            display="flex",
            align_items="center",
            justify_content="center",
            background=rx.cond(done, rx.color("green", 4), rx.color("gray", 4)),
            color=rx.cond(done, rx.color("green", 11), rx.color("gray", 11)),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.text(title, weight="bold", size="3"),
            rx.text(text, color_scheme="gray", size="2"),
            spacing="1",
            flex="1",
        ),
        action,
        align="center",
        spacing="4",
        width="100%",
        padding="16px",
        border=f"1px solid {rx.color('gray', 4)}",
        border_radius="10px",
    )


def _go(label: str, path: str, id_: str) -> rx.Component:
    return rx.link(
        rx.button(label, rx.icon("arrow-right", size=14), variant="soft", size="2"),
        href=path,
        id=id_,
        flex_shrink="0",
    )


def home_content() -> rx.Component:
    counts = HomeState.counts
    return rx.vstack(
        page_header("Home", HomeState.org_name),
        rx.grid(
            _stat("Systems", "systems", "network"),
            _stat("Workflows", "workflows", "workflow"),
            _stat("Screenshots analyzed", "analyzed", "scan-search"),
            _stat("Learned patterns", "patterns", "brain"),
            _stat("Documents", "documents", "file-text"),
            columns=rx.breakpoints(initial="2", lg="5"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            (counts.get("systems", 0) == 0) & (counts.get("workflows", 0) == 0),
            empty_state(
                "sparkles",
                "Let's document how your company works",
                "Model your tech stack as a hierarchy, then record a workflow's screenshots. "
                "TechLedger asks short questions and turns your answers into guides.",
                rx.link(rx.button("Start the hierarchy"), href=routes.HIERARCHY),
                rx.link(rx.button("Invite your team", variant="soft"), href=routes.MEMBERS),
                id="home-empty",
            ),
        ),
        rx.heading("Getting started", size="4", margin_top="12px"),
        rx.vstack(
            _step(
                "1",
                "Shape your hierarchy",
                "Systems, departments, practice groups, action groups, actions and transformations.",
                counts.get("systems", 0) > 0,
                _go("Open the hierarchy", routes.HIERARCHY, "step-hierarchy"),
            ),
            _step(
                "2",
                "Create a workflow and upload its screenshots",
                "The vision engine finds the buttons, inputs and menus on every screen.",
                counts.get("workflows", 0) > 0,
                _go("Go to workflows", routes.WORKFLOWS, "step-workflows"),
            ),
            _step(
                "3",
                "Train on the canvas",
                "Answer a few questions; every answer becomes a pattern recognized next time.",
                counts.get("patterns", 0) > 0,
                _go("See learned patterns", routes.PATTERNS, "step-patterns"),
            ),
            _step(
                "4",
                "Generate, review and publish a guide",
                "Step-by-step documents, versioned and exported to Markdown, HTML or PDF.",
                counts.get("documents", 0) > 0,
                _go("Open documents", routes.DOCUMENTS, "step-documents"),
            ),
            spacing="3",
            width="100%",
        ),
        spacing="5",
        width="100%",
    )

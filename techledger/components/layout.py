"""The app's frame: sidebar with the organization switcher and navigation, and the auth card."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from techledger import routes
from techledger.state.session import SessionState

SIDEBAR_WIDTH = "248px"
_ELLIPSIS = {
    "white_space": "nowrap",
    "overflow": "hidden",
    "text_overflow": "ellipsis",
    "max_width": "100%",
    "text_align": "left",
}

# (label, icon, path). Each capability adds its page here.
NAV: list[tuple[str, str, str]] = [
    ("Home", "house", routes.HOME),
    ("Hierarchy", "network", routes.HIERARCHY),
    ("Workflows", "workflow", routes.WORKFLOWS),
    ("Patterns", "brain", routes.PATTERNS),
    ("Documents", "file-text", routes.DOCUMENTS),
    ("Review", "clipboard-check", routes.REVIEW),
    ("Members", "users", routes.MEMBERS),
    ("Settings", "settings", routes.SETTINGS),
    ("Billing", "credit-card", routes.BILLING),
]
OWNER_ONLY_NAV = {routes.BILLING}  # shown to Owners only (the services refuse others anyway)


def _nav_item(label: str, icon: str, path: str) -> rx.Component:
    active = SessionState.router.url.path == path
    link = rx.link(
        rx.hstack(
            rx.icon(icon, size=16),
            rx.text(label, size="2", weight="medium"),
            spacing="3",
            align="center",
            padding_x="12px",
            padding_y="8px",
            border_radius="8px",
            width="100%",
            background=rx.cond(active, rx.color("accent", 3), "transparent"),
            color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 11)),
            _hover={"background": rx.color("gray", 3), "color": rx.color("gray", 12)},
        ),
        href=path,
        underline="none",
        width="100%",
        id=f"nav-{label.lower().replace(' ', '-')}",
    )
    return rx.cond(SessionState.is_owner, link) if path in OWNER_ONLY_NAV else link


def organization_switcher() -> rx.Component:
    """The current organization, with a menu to switch or create another."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.hstack(
                    rx.box(
                        rx.text(SessionState.org_name.to(str)[:1].upper(), size="2", weight="bold"),
                        background=rx.color("accent", 9),
                        color="white",
                        width="28px",
                        height="28px",
                        border_radius="6px",
                        display="flex",
                        align_items="center",
                        justify_content="center",
                    ),
                    rx.vstack(
                        rx.text(SessionState.org_name, size="2", weight="bold", trim="both"),
                        rx.text(
                            SessionState.role.to(str).capitalize(), size="1", color_scheme="gray"
                        ),
                        spacing="0",
                        align="start",
                        overflow="hidden",
                    ),
                    rx.spacer(),
                    rx.icon("chevrons-up-down", size=14),
                    width="100%",
                    align="center",
                ),
                variant="ghost",
                color_scheme="gray",
                width="100%",
                height="48px",
                id="org-switcher",
            )
        ),
        rx.menu.content(
            rx.text(
                "Your organizations",
                size="1",
                color_scheme="gray",
                padding_x="8px",
                padding_y="4px",
            ),
            rx.foreach(
                SessionState.organizations,
                lambda org: rx.menu.item(
                    rx.hstack(
                        rx.text(org["name"]),
                        rx.spacer(),
                        rx.badge(org["role"], variant="soft", size="1"),
                        width="100%",
                    ),
                    on_select=SessionState.switch_organization(org["id"]),
                ),
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.hstack(rx.icon("plus", size=14), rx.text("New organization")),
                on_select=rx.redirect(routes.NEW_ORGANIZATION),
                id="new-organization",
            ),
            width="232px",
        ),
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.hstack(
                    rx.avatar(fallback=SessionState.initials, size="2", radius="full"),
                    rx.vstack(
                        rx.text(
                            SessionState.display_name, size="2", weight="medium", style=_ELLIPSIS
                        ),
                        rx.text(
                            SessionState.user_email, size="1", color_scheme="gray", style=_ELLIPSIS
                        ),
                        spacing="0",
                        align="start",
                        overflow="hidden",
                        flex="1",
                        min_width="0",
                    ),
                    align="center",
                    width="100%",
                ),
                variant="ghost",
                color_scheme="gray",
                width="100%",
                height="52px",
                id="user-menu",
            )
        ),
        rx.menu.content(
            rx.menu.item(
                rx.hstack(rx.icon("log-out", size=14), rx.text("Log out")),
                on_select=SessionState.log_out,
                id="log-out",
            ),
        ),
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("book-open-check", size=22, color=rx.color("accent", 10)),
            rx.heading("TechLedger", size="4", weight="bold"),
            align="center",
            spacing="2",
            padding_x="8px",
            padding_top="4px",
        ),
        organization_switcher(),
        rx.vstack(*[_nav_item(*item) for item in NAV], spacing="1", width="100%"),
        rx.spacer(),
        rx.divider(),
        user_menu(),
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        height="100vh",
        position="sticky",
        top="0",
        padding="16px 12px",
        spacing="4",
        background=rx.color("gray", 2),
        border_right=f"1px solid {rx.color('gray', 4)}",
    )


def page_header(title: str, subtitle: str | rx.Var = "", *actions: rx.Component) -> rx.Component:
    """A page's title line with its main actions on the right."""
    return rx.hstack(
        rx.vstack(
            rx.heading(title, size="7", weight="bold"),
            rx.cond(subtitle != "", rx.text(subtitle, color_scheme="gray", size="3")),
            spacing="1",
            align="start",
        ),
        rx.spacer(),
        *actions,
        width="100%",
        align="end",
        padding_bottom="8px",
    )


def app_page(content: Callable[[], rx.Component], *, max_width: str = "1200px") -> Callable:
    """Wrap a page's content in the signed-in frame (it only renders once loaded)."""

    def page() -> rx.Component:
        return rx.hstack(
            sidebar(),
            rx.box(
                rx.cond(
                    SessionState.session_loaded,
                    rx.box(content(), width="100%", max_width=max_width, margin_x="auto"),
                    rx.center(rx.spinner(size="3"), height="60vh"),
                ),
                flex="1",
                min_width="0",
                padding="32px 40px",
            ),
            spacing="0",
            align="start",
            width="100%",
            min_height="100vh",
        )

    page.__name__ = content.__name__
    # Reflex bundles a page's memoized components by the page function's module: the content's
    # own module keeps each page's JavaScript (e.g. the hierarchy's tree) out of the others'.
    page.__module__ = content.__module__
    return page


def auth_card(*children: rx.Component) -> rx.Component:
    """The centered card of the log-in, sign-up and invitation pages."""
    return rx.center(
        rx.vstack(
            rx.hstack(
                rx.icon("book-open-check", size=28, color=rx.color("accent", 10)),
                rx.heading("TechLedger", size="6"),
                align="center",
                spacing="2",
            ),
            rx.card(
                rx.vstack(*children, spacing="4", width="100%"),
                size="4",
                width="100%",
            ),
            spacing="5",
            align="center",
            width="420px",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )

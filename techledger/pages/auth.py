"""Log in, sign up, accept an invitation."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.components.feedback import error_callout
from techledger.components.layout import auth_card
from techledger.state.auth import AuthState, InviteState


def _field(label: str, name: str, type_: str = "text", **props) -> rx.Component:  # noqa: ANN003
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(
            name=name,
            id=name,
            type=type_,
            size="3",
            width="100%",
            color_scheme=rx.cond(AuthState.error_field == name, "red", "accent"),
            **props,
        ),
        spacing="1",
        width="100%",
    )


def _submit(label: str) -> rx.Component:
    """The form's submit button, enabled once the page is live. Before that, the prerendered
    page's form would submit itself the browser's way: a reload with the password in the URL."""
    return rx.button(
        label, type="submit", size="3", width="100%", id="submit", disabled=~rx.State.is_hydrated
    )


def login_page() -> rx.Component:
    return auth_card(
        rx.heading("Log in", size="5"),
        rx.text("Welcome back. Pick up where your team left off.", color_scheme="gray", size="2"),
        error_callout(AuthState.error, id="auth-error"),
        rx.form(
            rx.vstack(
                _field(
                    "Email", "email", "email", auto_complete="email", required=True, auto_focus=True
                ),
                _field(
                    "Password",
                    "password",
                    "password",
                    auto_complete="current-password",
                    required=True,
                ),
                _submit("Log in"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.log_in,
            width="100%",
        ),
        rx.text(
            "New here? ",
            rx.link("Create an account", href=routes.SIGNUP, id="to-signup"),
            size="2",
            align="center",
            width="100%",
        ),
    )


def signup_page() -> rx.Component:
    return auth_card(
        rx.heading("Create your account", size="5"),
        rx.text(
            "Turn your team's screens into living documentation.", color_scheme="gray", size="2"
        ),
        error_callout(AuthState.error, id="auth-error"),
        rx.form(
            rx.vstack(
                _field("Name", "name", auto_complete="name", auto_focus=True, max_length=100),
                _field("Work email", "email", "email", auto_complete="email", required=True),
                _field(
                    "Password", "password", "password", auto_complete="new-password", required=True
                ),
                rx.text("At least 8 characters.", size="1", color_scheme="gray", margin_top="-8px"),
                _field(
                    "Repeat password",
                    "confirm",
                    "password",
                    auto_complete="new-password",
                    required=True,
                ),
                _submit("Create account"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.sign_up,
            width="100%",
        ),
        rx.text(
            "Already have an account? ",
            rx.link("Log in", href=routes.LOGIN, id="to-login"),
            size="2",
            align="center",
            width="100%",
        ),
    )


def invite_page() -> rx.Component:
    return auth_card(
        rx.cond(
            InviteState.invite_error != "",
            rx.vstack(
                rx.heading("Invitation", size="5"),
                error_callout(InviteState.invite_error, id="invite-error"),
                rx.link("Go to TechLedger", href=routes.HOME),
                spacing="3",
            ),
            rx.vstack(
                rx.heading("Join ", InviteState.invite_org, size="5"),
                rx.text(
                    "You were invited as ",
                    rx.text.strong(InviteState.invite_role.to(str).capitalize()),
                    " with ",
                    rx.text.strong(InviteState.invite_email),
                    ".",
                    size="2",
                ),
                rx.cond(
                    InviteState.needs_account,
                    rx.vstack(
                        rx.text(
                            "Sign up or log in with that email, then open this link again.",
                            size="2",
                            color_scheme="gray",
                        ),
                        rx.hstack(
                            rx.link(
                                rx.button("Sign up", size="3"),
                                href=routes.SIGNUP + "?next=" + InviteState.router.url.path,
                            ),
                            rx.link(
                                rx.button("Log in", size="3", variant="soft"),
                                href=routes.LOGIN + "?next=" + InviteState.router.url.path,
                            ),
                            spacing="3",
                        ),
                        spacing="3",
                    ),
                    rx.button(
                        "Accept invitation",
                        size="3",
                        on_click=InviteState.accept,
                        id="accept-invite",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
        ),
    )

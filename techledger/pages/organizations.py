"""Creating an organization; the organization's settings."""

from __future__ import annotations

import reflex as rx

from techledger.components.feedback import error_callout
from techledger.components.layout import auth_card, page_header
from techledger.components.usage_card import usage_card
from techledger.state.organizations import NewOrganizationState, SettingsState
from techledger.state.session import SessionState


def new_organization_page() -> rx.Component:
    return rx.cond(
        SessionState.session_loaded,
        auth_card(
            rx.heading("Create an organization", size="5"),
            rx.text(
                "Everything you document lives in an organization. You will be its Owner, on a "
                "free trial.",
                color_scheme="gray",
                size="2",
            ),
            error_callout(NewOrganizationState.form_error, id="org-error"),
            rx.vstack(
                rx.text(
                    "Organization name", as_="label", html_for="org-name", size="2", weight="medium"
                ),
                rx.input(
                    id="org-name",
                    value=NewOrganizationState.new_name,
                    on_change=NewOrganizationState.set_new_name,
                    placeholder="Acme Corporation",
                    size="3",
                    width="100%",
                    max_length=100,
                    auto_focus=True,
                ),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.text("URL name", as_="label", html_for="org-slug", size="2", weight="medium"),
                rx.input(
                    id="org-slug",
                    value=NewOrganizationState.new_slug,
                    on_change=NewOrganizationState.set_new_slug,
                    placeholder="acme",
                    size="3",
                    width="100%",
                    max_length=50,
                ),
                rx.text(
                    "3 to 50 lowercase letters, digits and hyphens.", size="1", color_scheme="gray"
                ),
                spacing="1",
                width="100%",
            ),
            rx.button(
                "Create organization",
                size="3",
                width="100%",
                on_click=NewOrganizationState.create,
                id="create-org",
            ),
            rx.cond(
                SessionState.organizations.length() > 0,
                rx.link("Back to your organization", href="/", size="2"),
            ),
        ),
        rx.center(rx.spinner(size="3"), height="100vh"),
    )


def settings_content() -> rx.Component:
    s = SettingsState.summary
    return rx.vstack(
        page_header("Settings", "The organization's name, plan and rules."),
        rx.card(
            rx.vstack(
                rx.heading("Organization", size="4"),
                rx.hstack(
                    rx.vstack(
                        rx.text("Name", size="2", weight="medium"),
                        rx.input(
                            id="settings-name",
                            value=SettingsState.edit_name,
                            on_change=SettingsState.set_edit_name,
                            disabled=~SettingsState.can_manage_settings,
                            width="360px",
                            max_length=100,
                        ),
                        spacing="1",
                    ),
                    rx.vstack(
                        rx.text("URL name", size="2", weight="medium"),
                        rx.code(s.get("slug", "").to(str)),
                        spacing="2",
                    ),
                    spacing="6",
                    align="start",
                ),
                rx.hstack(
                    rx.switch(
                        checked=SettingsState.require_review,
                        on_change=SettingsState.set_require_review,
                        disabled=~SettingsState.can_manage_settings,
                        id="settings-require-review",
                    ),
                    rx.text(
                        "Documents need a reviewer other than their author before publishing",
                        size="2",
                    ),
                    align="center",
                    spacing="3",
                ),
                rx.cond(
                    SettingsState.can_manage_settings,
                    rx.button("Save changes", on_click=SettingsState.save, id="settings-save"),
                    rx.text(
                        "Only Owners and Admins change settings.", size="2", color_scheme="gray"
                    ),
                ),
                spacing="4",
                align="start",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Plan", size="4"),
                rx.hstack(
                    rx.badge(s.get("subscription_tier", "").to(str), size="2"),
                    rx.badge(
                        s.get("subscription_status", "").to(str), color_scheme="amber", size="2"
                    ),
                    rx.cond(
                        s.get("trial_ends_at", "").to(str) != "",
                        rx.text("Trial ends ", s.get("trial_ends_at", "").to(str)[:10], size="2"),
                    ),
                    rx.text(
                        s.get("member_count", 0).to_string(),
                        rx.cond(s.get("member_count", 0).to(int) == 1, " member", " members"),
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    align="center",
                ),
                spacing="3",
                align="start",
            ),
            width="100%",
        ),
        usage_card(),
        rx.cond(
            SettingsState.is_owner,
            rx.card(
                rx.vstack(
                    rx.heading("Danger zone", size="4", color_scheme="red"),
                    rx.text(
                        "Deleting the organization removes its hierarchy, workflows, screenshots, "
                        "patterns and documents for everyone. This cannot be undone.",
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.button(
                        "Delete organization…",
                        color_scheme="red",
                        variant="soft",
                        on_click=SettingsState.set_delete_open(True),
                        id="delete-org",
                    ),
                    spacing="3",
                    align="start",
                ),
                width="100%",
            ),
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title("Delete ", SettingsState.org_name, "?"),
                rx.alert_dialog.description(
                    "Type the URL name ", rx.code(s.get("slug", "").to(str)), " to confirm."
                ),
                rx.input(
                    value=SettingsState.confirm_slug,
                    on_change=SettingsState.set_confirm_slug,
                    margin_top="12px",
                    id="confirm-slug",
                ),
                rx.hstack(
                    rx.alert_dialog.cancel(
                        rx.button(
                            "Cancel",
                            variant="soft",
                            color_scheme="gray",
                            on_click=SettingsState.set_delete_open(False),
                        )
                    ),
                    rx.button(
                        "Delete forever",
                        color_scheme="red",
                        on_click=SettingsState.delete_organization,
                        disabled=SettingsState.confirm_slug != s.get("slug", "").to(str),
                        id="confirm-delete-org",
                    ),
                    spacing="3",
                    justify="end",
                    margin_top="16px",
                ),
            ),
            open=SettingsState.delete_open,
        ),
        spacing="5",
        width="100%",
    )

"""Members of the organization: invite, change roles, remove."""

from __future__ import annotations

import reflex as rx

from techledger.components.feedback import confirm_dialog, error_callout
from techledger.components.layout import page_header
from techledger.state.members import ROLE_CHOICES, MembersState


def _role_cell(member: dict) -> rx.Component:
    return rx.cond(
        MembersState.can_manage_members & ~member["is_me"].to(bool),
        rx.select(
            ROLE_CHOICES,
            value=member["role"].to(str),
            on_change=lambda role: MembersState.change_role(member["id"].to(str), role),
            size="2",
            id="role-" + member["email"].to(str),
        ),
        rx.badge(member["role"].to(str), variant="soft", size="2"),
    )


def _member_row(member: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.avatar(fallback=member["email"].to(str)[:2].upper(), size="2", radius="full"),
                rx.vstack(
                    rx.text(
                        rx.cond(member["name"].to(str) != "", member["name"], member["email"]),
                        weight="medium",
                        size="2",
                    ),
                    rx.text(member["email"], size="1", color_scheme="gray"),
                    spacing="0",
                ),
                rx.cond(member["is_me"].to(bool), rx.badge("You", color_scheme="green", size="1")),
                align="center",
                spacing="3",
            )
        ),
        rx.table.cell(_role_cell(member)),
        rx.table.cell(rx.text(member["joined"], size="2", color_scheme="gray")),
        rx.table.cell(
            rx.cond(
                MembersState.can_manage_members | member["is_me"].to(bool),
                rx.button(
                    rx.cond(member["is_me"].to(bool), "Leave", "Remove"),
                    variant="ghost",
                    color_scheme="red",
                    size="1",
                    on_click=MembersState.ask_remove(member),
                    id="remove-" + member["email"].to(str),
                ),
            ),
            text_align="right",
        ),
        align="center",
    )


def _invite_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Invite someone", size="4"),
            error_callout(MembersState.invite_error, id="invite-form-error"),
            rx.hstack(
                rx.input(
                    placeholder="name@company.com",
                    type="email",
                    value=MembersState.invite_email,
                    on_change=MembersState.set_invite_email,
                    width="320px",
                    id="invite-email",
                ),
                rx.select(
                    ROLE_CHOICES,
                    value=MembersState.invite_role,
                    on_change=MembersState.set_invite_role,
                    id="invite-role",
                ),
                rx.button(
                    rx.icon("send", size=14),
                    "Create invitation",
                    on_click=MembersState.invite,
                    id="invite-submit",
                ),
                spacing="3",
                align="center",
            ),
            rx.text(MembersState.role_help, size="2", color_scheme="gray"),
            rx.cond(
                MembersState.last_invite_link != "",
                rx.callout(
                    rx.vstack(
                        rx.text(
                            "Send this link to the person you invited (valid 7 days):", size="2"
                        ),
                        rx.hstack(
                            rx.code(MembersState.last_invite_link, id="invite-link", size="1"),
                            rx.icon_button(
                                rx.icon("copy", size=14),
                                size="1",
                                variant="soft",
                                on_click=rx.set_clipboard(MembersState.last_invite_link),
                            ),
                            align="center",
                        ),
                        spacing="1",
                    ),
                    icon="link",
                    color_scheme="green",
                    width="100%",
                ),
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
    )


def _invitations() -> rx.Component:
    return rx.cond(
        MembersState.invitations.length() > 0,
        rx.vstack(
            rx.heading("Pending invitations", size="4"),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        MembersState.invitations,
                        lambda inv: rx.table.row(
                            rx.table.cell(inv["email"]),
                            rx.table.cell(rx.badge(inv["role"], variant="outline")),
                            rx.table.cell(
                                rx.text("Expires ", inv["expires"], size="2", color_scheme="gray")
                            ),
                            rx.table.cell(
                                rx.button(
                                    "Withdraw",
                                    size="1",
                                    variant="ghost",
                                    color_scheme="gray",
                                    on_click=MembersState.revoke(inv["id"]),
                                ),
                                text_align="right",
                            ),
                        ),
                    )
                ),
                width="100%",
                variant="surface",
            ),
            width="100%",
            spacing="3",
        ),
    )


def members_content() -> rx.Component:
    return rx.vstack(
        page_header("Members", "Who works in this organization, and what each role may do."),
        rx.cond(MembersState.can_manage_members, _invite_form()),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Person"),
                    rx.table.column_header_cell("Role"),
                    rx.table.column_header_cell("Joined"),
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(rx.foreach(MembersState.members, _member_row)),
            width="100%",
            variant="surface",
            id="members-table",
        ),
        _invitations(),
        confirm_dialog(
            open=MembersState.pending_removal.length() > 0,
            title="Remove this member?",
            description=MembersState.pending_removal.get("email", "").to(str)
            + " will lose access to this organization. Their workflows and documents stay.",
            confirm_label="Remove",
            on_confirm=MembersState.confirm_remove,
            on_cancel=MembersState.cancel_remove,
            confirm_id="confirm-remove",
        ),
        spacing="5",
        width="100%",
    )

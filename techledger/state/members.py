"""The members page: invite, change roles, remove."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.services import members
from techledger.services.errors import ServiceError
from techledger.services.permissions import DESCRIPTIONS
from techledger.state.session import SessionState

ROLE_CHOICES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"]


class MembersState(SessionState):
    """Members and pending invitations of the current organization."""

    members: list[dict[str, str | bool]] = []
    invitations: list[dict[str, str]] = []
    invite_email: str = ""
    invite_role: str = "MEMBER"
    invite_error: str = ""
    last_invite_link: str = ""
    pending_removal: dict[str, str] = {}

    @rx.var
    def role_help(self) -> str:
        from techledger.enums import Role

        return DESCRIPTIONS[Role(self.invite_role)]

    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        self.members = members.list_members(session=session, actor=actor)
        self.invitations = (
            members.list_invitations(session=session, actor=actor)
            if actor.can(members.Permission.MANAGE_MEMBERS)
            else []
        )

    @rx.event
    def load_members(self):  # noqa: ANN201
        self.last_invite_link = ""
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def set_invite_email(self, value: str) -> None:
        self.invite_email = value

    @rx.event
    def set_invite_role(self, value: str) -> None:
        self.invite_role = value

    @rx.event
    def invite(self):  # noqa: ANN201
        self.invite_error = ""
        try:
            with self._as_actor() as (session, actor):
                invitation, token = members.invite_member(
                    session=session, actor=actor, email=self.invite_email, role=self.invite_role
                )
                email = invitation.email
                self._refresh(session, actor)
        except ServiceError as error:
            self.invite_error = error.message
            return None
        self.last_invite_link = f"{self.router.url.origin}{routes.invite(token)}"
        self.invite_email = ""
        return rx.toast.success(f"Invitation for {email} created; send them the link.")

    @rx.event
    def change_role(self, member_id: str, role: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                members.change_role(session=session, actor=actor, member_id=member_id, role=role)
                self._refresh(session, actor)
                self._load(session)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(f"Role changed to {role.title()}.")

    @rx.event
    def ask_remove(self, member: dict):  # noqa: ANN201
        self.pending_removal = {"id": str(member["id"]), "email": str(member["email"])}

    @rx.event
    def cancel_remove(self) -> None:
        self.pending_removal = {}

    @rx.event
    def confirm_remove(self):  # noqa: ANN201
        member_id = self.pending_removal.get("id", "")
        email = self.pending_removal.get("email", "")
        self.pending_removal = {}
        try:
            with self._as_actor() as (session, actor):
                members.remove_member(session=session, actor=actor, member_id=member_id)
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(f"{email} was removed.")

    @rx.event
    def revoke(self, invitation_id: str):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                members.revoke_invitation(session=session, actor=actor, invitation_id=invitation_id)
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success("Invitation withdrawn.")

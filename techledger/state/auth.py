"""Sign-up, log-in and accepting an invitation."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.db import session_scope
from techledger.services import accounts, members
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState


def _next_path(raw: str | None) -> str:
    return raw if raw and raw.startswith("/") and not raw.startswith("//") else routes.HOME


class AuthState(SessionState):
    """The log-in and sign-up forms."""

    error: str = ""
    error_field: str = ""
    busy: bool = False

    @rx.event
    def reset_form(self):  # noqa: ANN201
        self.error = self.error_field = ""
        self.busy = False

    @rx.event
    def log_in(self, form: dict):  # noqa: ANN201
        self.error = self.error_field = ""
        try:
            with session_scope() as session:
                signed = accounts.log_in(
                    session=session, email=form.get("email", ""), password=form.get("password", "")
                )
        except ServiceError as error:
            self.error, self.error_field = error.message, error.field or ""
            return None
        self.auth_token = signed.token
        return rx.redirect(_next_path(self.router.url.query_parameters.get("next")))

    @rx.event
    def sign_up(self, form: dict):  # noqa: ANN201
        self.error = self.error_field = ""
        if form.get("password", "") != form.get("confirm", ""):
            self.error, self.error_field = "The two passwords differ.", "confirm"
            return None
        try:
            with session_scope() as session:
                user = accounts.sign_up(
                    session=session,
                    email=form.get("email", ""),
                    password=form.get("password", ""),
                    name=form.get("name", ""),
                )
                signed = accounts.open_session(session=session, user_id=user.id)
        except ServiceError as error:
            self.error, self.error_field = error.message, error.field or ""
            return None
        self.auth_token = signed.token
        return rx.redirect(_next_path(self.router.url.query_parameters.get("next")))

    @rx.event
    def redirect_if_signed_in(self):  # noqa: ANN201
        self.error = self.error_field = ""
        try:
            with session_scope() as session:
                accounts.signed_in(session=session, token=self.auth_token)
        except ServiceError:
            return None
        return rx.redirect(_next_path(self.router.url.query_parameters.get("next")))


class InviteState(SessionState):
    """The page an invited person lands on."""

    invite_org: str = ""
    invite_email: str = ""
    invite_role: str = ""
    invite_error: str = ""
    needs_account: bool = False

    def _token(self) -> str:
        return str(self.router.page.params.get("token", ""))

    @rx.event
    def load_invitation(self):  # noqa: ANN201
        self.invite_error = ""
        try:
            with session_scope() as session:
                info = members.describe_invitation(session=session, token=self._token())
        except ServiceError as error:
            self.invite_error = error.message
            return None
        self.invite_org, self.invite_email, self.invite_role = (
            info["organization"],
            info["email"],
            info["role"],
        )
        try:
            with session_scope() as session:
                accounts.signed_in(session=session, token=self.auth_token)
            self.needs_account = False
        except ServiceError:
            self.needs_account = True
        return None

    @rx.event
    def accept(self):  # noqa: ANN201
        try:
            with session_scope() as session:
                who = accounts.signed_in(session=session, token=self.auth_token)
                org_id = members.accept_invitation(
                    session=session, user_id=who.user_id, token=self._token()
                )
                accounts.set_current_organization(
                    session=session, token=self.auth_token, organization_id=org_id
                )
        except ServiceError as error:
            self.invite_error = error.message
            return None
        return [rx.redirect(routes.HOME), rx.toast.success(f"Welcome to {self.invite_org}.")]

"""The signed-in person, their organizations and the current one; base of feature states."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import reflex as rx
from sqlmodel import Session

from techledger import routes
from techledger.db import session_scope
from techledger.services import accounts, organizations
from techledger.services.accounts import NotAuthenticated
from techledger.services.actor import Actor
from techledger.services.errors import ServiceError
from techledger.services.permissions import Permission, can

TOKEN_KEY = "techledger_session"


class NoOrganization(ServiceError):
    """Signed in, but not working in any organization yet."""


class SessionState(rx.State):
    """Who is signed in. Every check is made again by the services on each event."""

    auth_token: str = rx.LocalStorage("", name=TOKEN_KEY, sync=True)
    user_id: str = ""
    user_email: str = ""
    user_name: str = ""
    org_id: str = ""
    org_name: str = ""
    role: str = ""
    organizations: list[dict[str, str]] = []
    session_loaded: bool = False

    @rx.var
    def display_name(self) -> str:
        return self.user_name or self.user_email

    @rx.var
    def initials(self) -> str:
        source = self.user_name or self.user_email or "?"
        parts = [p for p in source.replace("@", " ").split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @rx.var
    def can_manage_members(self) -> bool:
        return bool(self.role) and can(self.role, Permission.MANAGE_MEMBERS)

    @rx.var
    def can_manage_settings(self) -> bool:
        return bool(self.role) and can(self.role, Permission.MANAGE_SETTINGS)

    @rx.var
    def can_manage_hierarchy(self) -> bool:
        return bool(self.role) and can(self.role, Permission.MANAGE_HIERARCHY)

    @rx.var
    def can_edit_workflows(self) -> bool:
        return bool(self.role) and can(self.role, Permission.EDIT_WORKFLOWS)

    @rx.var
    def can_publish(self) -> bool:
        return bool(self.role) and can(self.role, Permission.PUBLISH)

    @rx.var
    def is_owner(self) -> bool:
        return self.role == "OWNER"

    # ------------------------------------------------------------------ helpers
    def _clear(self) -> None:
        self.user_id = self.user_email = self.user_name = ""
        self.org_id = self.org_name = self.role = ""
        self.organizations = []

    def _load(self, session: Session) -> Actor | None:
        """Load the signed-in person and their current organization; returns them as an actor."""
        who = accounts.signed_in(session=session, token=self.auth_token)
        me = accounts.profile(session=session, user_id=who.user_id)
        self.user_id, self.user_email, self.user_name = me["id"], me["email"], me["name"]
        self.organizations = organizations.list_organizations(session=session, user_id=who.user_id)
        actor = organizations.current_actor(session=session, token=self.auth_token)
        if actor is None and self.organizations:
            actor = organizations.switch_organization(
                session=session, token=self.auth_token, organization_id=self.organizations[0]["id"]
            )
        if actor is None:
            self.org_id = self.org_name = self.role = ""
        else:
            self.org_id, self.role = actor.organization_id, actor.role.value
            self.org_name = next(
                (o["name"] for o in self.organizations if o["id"] == actor.organization_id), ""
            )
        self.session_loaded = True
        return actor

    def _sign_in(self, session: Session):  # noqa: ANN202
        """``require_login``'s work in ``session``: the person's actor, or where to send them."""
        try:
            actor = self._load(session)
        except NotAuthenticated:
            self._clear()
            return None, rx.redirect(routes.login(self.router.url.path))
        if actor is None and self.router.url.path != routes.NEW_ORGANIZATION:
            return None, rx.redirect(routes.NEW_ORGANIZATION)
        return actor, None

    @contextmanager
    def _as_actor(self) -> Iterator[tuple[Session, Actor]]:
        """A committed-on-success session and the current actor, resolved from the token."""
        with session_scope() as session:
            actor = organizations.current_actor(session=session, token=self.auth_token)
            if actor is None:
                raise NoOrganization("Choose or create an organization first.")
            yield session, actor

    def _failed(self, error: Exception):  # noqa: ANN202
        """The events that tell the person what went wrong."""
        if isinstance(error, NoOrganization):
            return rx.redirect(routes.NEW_ORGANIZATION)
        if isinstance(error, NotAuthenticated):
            self._clear()
            back = rx.redirect(routes.login(self.router.url.path))
            return [rx.toast.error(error.message), back] if "expired" in error.message else back
        if isinstance(error, ServiceError):
            return rx.toast.error(error.message, close_button=True)
        raise error

    # ------------------------------------------------------------------ events
    @rx.event
    def require_login(self):  # noqa: ANN201
        """on_load of every signed-in page: load the person or send them to log in."""
        with session_scope() as session:
            return self._sign_in(session)[1]

    @rx.event
    def switch_organization(self, organization_id: str):  # noqa: ANN201
        try:
            with session_scope() as session:
                organizations.switch_organization(
                    session=session, token=self.auth_token, organization_id=organization_id
                )
                self._load(session)
        except ServiceError as error:
            return self._failed(error)
        return [rx.redirect(routes.HOME), rx.toast.success(f"Switched to {self.org_name}.")]

    @rx.event
    def log_out(self):  # noqa: ANN201
        with session_scope() as session:
            accounts.log_out(session=session, token=self.auth_token)
        self._clear()
        self.auth_token = ""
        return rx.redirect(routes.LOGIN)

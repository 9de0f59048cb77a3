"""Creating an organization and its settings page."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.db import session_scope
from techledger.services import accounts, organizations
from techledger.services.errors import ServiceError
from techledger.services.validation import slugify
from techledger.state.session import SessionState


class NewOrganizationState(SessionState):
    """The "create an organization" form."""

    new_name: str = ""
    new_slug: str = ""
    slug_edited: bool = False
    form_error: str = ""

    @rx.event
    def set_new_name(self, value: str) -> None:
        self.new_name = value
        if not self.slug_edited:
            self.new_slug = slugify(value) if value.strip() else ""

    @rx.event
    def set_new_slug(self, value: str) -> None:
        self.new_slug = value
        self.slug_edited = True

    @rx.event
    def create(self):  # noqa: ANN201
        self.form_error = ""
        try:
            with session_scope() as session:
                who = accounts.signed_in(session=session, token=self.auth_token)
                org = organizations.create_organization(
                    session=session,
                    user_id=who.user_id,
                    name=self.new_name,
                    slug=self.new_slug if self.slug_edited else None,
                )
                accounts.set_current_organization(
                    session=session, token=self.auth_token, organization_id=org.id
                )
                name = org.name
        except ServiceError as error:
            if isinstance(error, accounts.NotAuthenticated):
                return self._failed(error)
            self.form_error = error.message
            return None
        self.new_name = self.new_slug = ""
        self.slug_edited = False
        return [rx.redirect(routes.HOME), rx.toast.success(f"{name} is ready.")]


class SettingsState(SessionState):
    """The organization's settings page."""

    summary: dict[str, str | int | bool] = {}
    edit_name: str = ""
    require_review: bool = False
    confirm_slug: str = ""
    delete_open: bool = False

    @rx.event
    def load_settings(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self.summary = organizations.organization_summary(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        self.edit_name = str(self.summary.get("name", ""))
        self.require_review = bool(self.summary.get("require_independent_review", False))
        return None

    @rx.event
    def set_edit_name(self, value: str) -> None:
        self.edit_name = value

    @rx.event
    def set_require_review(self, value: bool) -> None:
        self.require_review = value

    @rx.event
    def set_confirm_slug(self, value: str) -> None:
        self.confirm_slug = value

    @rx.event
    def set_delete_open(self, value: bool) -> None:
        self.delete_open = value
        self.confirm_slug = ""

    @rx.event
    def save(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                organizations.update_organization(
                    session=session,
                    actor=actor,
                    name=self.edit_name,
                    require_independent_review=self.require_review,
                )
                self.summary = organizations.organization_summary(session=session, actor=actor)
                self._load(session)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success("Settings saved.")

    @rx.event
    def delete_organization(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                organizations.delete_organization(
                    session=session, actor=actor, confirm_slug=self.confirm_slug
                )
        except ServiceError as error:
            return self._failed(error)
        self.delete_open = False
        return [rx.redirect(routes.HOME), rx.toast.success("The organization was deleted.")]

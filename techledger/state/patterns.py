"""The pattern library page: browse, edit, deactivate, merge, see where a pattern was used."""

from __future__ import annotations

import reflex as rx

from techledger.services import patterns
from techledger.services.errors import PermissionDenied, ServiceError
from techledger.state.session import SessionState

ALL_APPS = "All applications"


class PatternsState(SessionState):
    """The organization's learned patterns, filtered by application and words."""

    applications: list[str] = []
    app_filter: str = ALL_APPS
    search: str = ""
    show_inactive: bool = True
    rows: list[dict[str, str]] = []
    library_error: str = ""
    # edit
    editing: dict[str, str] = {}
    edit_error: str = ""
    # deactivate
    pending_deactivate: dict[str, str] = {}
    # merge
    merging: dict[str, str] = {}
    merge_choices: list[dict[str, str]] = []
    merge_selected: list[str] = []
    merge_error: str = ""
    # usages
    usages_of: dict[str, str] = {}
    usages: list[dict[str, str]] = []

    @rx.var
    def app_choices(self) -> list[str]:
        return [ALL_APPS, *self.applications]

    def _refresh(self, session, actor) -> None:  # noqa: ANN001
        apps = patterns.list_applications(session=session, actor=actor)
        self.applications = [a["application"] for a in apps]
        if self.app_filter != ALL_APPS and self.app_filter not in self.applications:
            self.app_filter = ALL_APPS
        rows = patterns.list_patterns(
            session=session,
            actor=actor,
            application="" if self.app_filter == ALL_APPS else self.app_filter,
            search=self.search,
            show_inactive=self.show_inactive,
        )
        self.rows = [
            {k: str(v) for k, v in r.items()}
            | {
                "confidence_pct": f"{round(100 * r['confidence'])}%",
                "active": "1" if r["is_active"] else "0",
            }
            for r in rows
        ]

    def _reload(self):  # noqa: ANN202
        self.library_error = ""
        try:
            with self._as_actor() as (session, actor):
                self._refresh(session, actor)
        except PermissionDenied as error:
            self.library_error = error.message
            self.rows = []
        except ServiceError as error:
            return self._failed(error)
        return None

    @rx.event
    def load_library(self):  # noqa: ANN201
        self.editing, self.merging, self.usages_of, self.pending_deactivate = {}, {}, {}, {}
        return self._reload()

    @rx.event
    def set_app_filter(self, value: str):  # noqa: ANN201
        self.app_filter = value
        return self._reload()

    @rx.event
    def set_search(self, value: str):  # noqa: ANN201
        self.search = value
        return self._reload()

    @rx.event
    def set_show_inactive(self, value: bool):  # noqa: ANN201
        self.show_inactive = bool(value)
        return self._reload()

    # ------------------------------------------------------------------ edit
    @rx.event
    def start_edit(self, row: dict) -> None:
        self.editing = {
            k: str(row.get(k, ""))
            for k in (
                "id",
                "text",
                "purpose",
                "action",
                "business_context",
                "element_type",
                "application",
            )
        }
        self.edit_error = ""

    @rx.event
    def cancel_edit(self) -> None:
        self.editing = {}

    @rx.event
    def save_edit(self, form_data: dict):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                patterns.update_pattern(
                    session=session,
                    actor=actor,
                    pattern_id=self.editing.get("id", ""),
                    purpose=form_data.get("purpose", ""),
                    action=form_data.get("action", ""),
                    business_context=form_data.get("business_context", ""),
                )
                self._refresh(session, actor)
        except ServiceError as error:
            self.edit_error = error.message
            return None
        self.editing = {}
        return rx.toast.success("Pattern saved.")

    # ------------------------------------------------------------------ activate
    @rx.event
    def ask_deactivate(self, row: dict) -> None:
        self.pending_deactivate = {
            "id": str(row["id"]),
            "text": str(row.get("text") or row.get("purpose")),
        }

    @rx.event
    def cancel_deactivate(self) -> None:
        self.pending_deactivate = {}

    def _set_active(self, pattern_id: str, active: bool):  # noqa: ANN202
        try:
            with self._as_actor() as (session, actor):
                patterns.set_pattern_active(
                    session=session, actor=actor, pattern_id=pattern_id, active=active
                )
                self._refresh(session, actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.toast.success(
            "Pattern reactivated; it is matched again."
            if active
            else "Pattern deactivated; it is kept but no longer matched."
        )

    @rx.event
    def confirm_deactivate(self):  # noqa: ANN201
        pattern_id = self.pending_deactivate.get("id", "")
        self.pending_deactivate = {}
        return self._set_active(pattern_id, False)

    @rx.event
    def reactivate(self, pattern_id: str):  # noqa: ANN201
        return self._set_active(pattern_id, True)

    # ------------------------------------------------------------------ merge
    @rx.event
    def start_merge(self, row: dict):  # noqa: ANN201
        self.merge_error = ""
        self.merge_selected = []
        try:
            with self._as_actor() as (session, actor):
                same = patterns.list_patterns(
                    session=session, actor=actor, application=str(row["application"]), limit=2000
                )
        except ServiceError as error:
            return self._failed(error)
        self.merging = {
            k: str(row.get(k, "")) for k in ("id", "text", "purpose", "element_type", "application")
        }
        self.merge_choices = [
            {
                "id": p["id"],
                "text": p["text"] or "(no text)",
                "purpose": p["purpose"],
                "usage": str(p["usage_count"]),
            }
            for p in same
            if p["id"] != row["id"] and p["element_type"] == row["element_type"]
        ]
        return None

    @rx.event
    def toggle_merge(self, pattern_id: str, checked: bool) -> None:
        chosen = [p for p in self.merge_selected if p != pattern_id]
        self.merge_selected = chosen + ([pattern_id] if checked else [])

    @rx.event
    def cancel_merge(self) -> None:
        self.merging = {}

    @rx.event
    def confirm_merge(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                result = patterns.merge_patterns(
                    session=session,
                    actor=actor,
                    survivor_id=self.merging.get("id", ""),
                    duplicate_ids=list(self.merge_selected),
                )
                self._refresh(session, actor)
        except ServiceError as error:
            self.merge_error = error.message
            return None
        self.merging = {}
        return rx.toast.success(
            f"Merged {result['merged']} pattern(s); {result['elements_moved']} element(s) moved."
        )

    # ------------------------------------------------------------------ usages
    @rx.event
    def show_usages(self, row: dict):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                found = patterns.pattern_usages(
                    session=session, actor=actor, pattern_id=str(row["id"])
                )
        except ServiceError as error:
            return self._failed(error)
        self.usages_of = {"id": str(row["id"]), "text": str(row.get("text") or row.get("purpose"))}
        self.usages = [{k: str(v) for k, v in u.items()} for u in found]
        return None

    @rx.event
    def close_usages(self) -> None:
        self.usages_of = {}

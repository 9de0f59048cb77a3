"""The billing page: plan, status, upgrade through Checkout, manage through the Portal."""

from __future__ import annotations

import reflex as rx

from techledger.services import billing
from techledger.services.errors import PermissionDenied, ServiceError
from techledger.state.session import SessionState


class BillingState(SessionState):
    """The current organization's plan and the plans on offer (Owners only)."""

    overview: dict[str, str | bool] = {}
    plans: list[dict[str, str | bool]] = []
    refusal: str = ""
    checkout_notice: str = ""
    busy_tier: str = ""

    @rx.event
    def load_billing(self):  # noqa: ANN201
        self.refusal = ""
        self.busy_tier = ""
        outcome = self.router.url.query_parameters.get("checkout", "")
        self.checkout_notice = {
            "success": "Thank you! Your plan changes as soon as Stripe confirms the payment.",
            "canceled": "Checkout was canceled; nothing was charged.",
        }.get(outcome, "")
        try:
            with self._as_actor() as (session, actor):
                data = billing.billing_overview(session=session, actor=actor)
        except PermissionDenied as error:
            self.refusal = error.message
            self.overview, self.plans = {}, []
            return None
        except ServiceError as error:
            return self._failed(error)
        self.plans = data.pop("plans")
        self.overview = data
        return None

    @rx.event
    def upgrade(self, tier: str):  # noqa: ANN201
        self.busy_tier = tier
        try:
            with self._as_actor() as (session, actor):
                url = billing.start_checkout(session=session, actor=actor, tier=tier)
        except ServiceError as error:
            self.busy_tier = ""
            return self._failed(error)
        return rx.redirect(url)

    @rx.event
    def manage_billing(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                url = billing.open_portal(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        return rx.redirect(url)

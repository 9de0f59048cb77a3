"""Billing: plans bought through Stripe Checkout, managed in the Billing Portal, kept in sync
by Stripe's webhooks; without Stripe, organizations run on their trial.

Stripe's API is reached through a ``StripeGateway`` (``set_gateway`` swaps it, e.g. for tests);
webhooks are verified with ``stripe.Webhook.construct_event`` and applied once each, in the
order Stripe created them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Protocol

import stripe
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from techledger.enums import SubscriptionStatus, SubscriptionTier
from techledger.models import Organization, ProcessedStripeEvent, User
from techledger.services import audit
from techledger.services.actor import Actor, actor_for
from techledger.services.clock import trusted_now
from techledger.services.errors import Conflict, InvalidInput, ServiceError, not_found
from techledger.services.permissions import Permission
from techledger.services.plan_limits import PLANS, TRIAL_PLAN, plan_label
from techledger.settings import Settings, get_settings

log = logging.getLogger(__name__)

PAID_TIERS = (SubscriptionTier.STARTER, SubscriptionTier.PROFESSIONAL, SubscriptionTier.ENTERPRISE)
BILLING_PATH = "/billing"  # the page Stripe sends people back to

# Stripe subscription status -> ours. "incomplete" (first payment pending) changes nothing;
# "incomplete_expired" (it never came) neither: the organization keeps what it had.
STRIPE_STATUS = {
    "trialing": SubscriptionStatus.TRIAL,
    "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "paused": SubscriptionStatus.EXPIRED,
    "canceled": SubscriptionStatus.CANCELED,
}
SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
}
HANDLED_EVENTS = SUBSCRIPTION_EVENTS | {
    "checkout.session.completed",
    "invoice.payment_failed",
    "invoice.paid",
}


class BillingNotConfigured(InvalidInput):
    """Stripe keys are not set on this installation."""


class InvalidWebhook(ServiceError):
    """A webhook request that is not a genuine Stripe event (no or wrong signature, bad body)."""


class UnknownPrice(InvalidInput):
    """A subscription for a price id none of the tiers is configured with."""


# ---------------------------------------------------------------------------- Stripe gateway
class StripeGateway(Protocol):
    """The three Stripe API calls billing makes; each returns a Stripe object."""

    def create_customer(self, *, params: dict[str, Any], idempotency_key: str) -> Any: ...

    def create_checkout_session(self, *, params: dict[str, Any]) -> Any: ...

    def create_portal_session(self, *, params: dict[str, Any]) -> Any: ...


class StripeApi:
    """The real Stripe API, through the official client and the configured secret key."""

    def __init__(self, secret_key: str, http_client: stripe.HTTPClient | None = None) -> None:
        self.client = stripe.StripeClient(
            secret_key, max_network_retries=2, http_client=http_client
        )

    def create_customer(self, *, params: dict[str, Any], idempotency_key: str) -> Any:
        return self.client.v1.customers.create(
            params=params, options={"idempotency_key": idempotency_key}
        )

    def create_checkout_session(self, *, params: dict[str, Any]) -> Any:
        return self.client.v1.checkout.sessions.create(params=params)

    def create_portal_session(self, *, params: dict[str, Any]) -> Any:
        return self.client.v1.billing_portal.sessions.create(params=params)


_gateway: StripeGateway | None = None


def set_gateway(gateway: StripeGateway | None) -> None:
    """Use ``gateway`` for Stripe calls (None: back to the real API)."""
    global _gateway
    _gateway = gateway


def get_gateway() -> StripeGateway:
    """The gateway in use: the one set, or the real API with the configured key."""
    return _gateway or StripeApi(_require_configured().stripe_secret_key)


def _require_configured() -> Settings:
    settings = get_settings()
    if not settings.stripe_enabled:
        raise BillingNotConfigured(
            "Billing is not configured on this installation (STRIPE_SECRET_KEY is not set); "
            "organizations keep their trial."
        )
    return settings


def price_ids(settings: Settings | None = None) -> dict[SubscriptionTier, str]:
    """The configured Stripe price id of each paid tier (empty when not set)."""
    settings = settings or get_settings()
    return {
        SubscriptionTier.STARTER: settings.stripe_price_starter,
        SubscriptionTier.PROFESSIONAL: settings.stripe_price_professional,
        SubscriptionTier.ENTERPRISE: settings.stripe_price_enterprise,
    }


def tier_for_price(price_id: str) -> SubscriptionTier:
    """The tier a Stripe price id is configured for, or ``UnknownPrice``."""
    for tier, configured in price_ids().items():
        if configured and configured == price_id:
            return tier
    raise UnknownPrice(
        f"Stripe price '{price_id}' is not the price of any plan; set STRIPE_PRICE_STARTER, "
        "STRIPE_PRICE_PROFESSIONAL or STRIPE_PRICE_ENTERPRISE to it. Nothing was changed."
    )


# ---------------------------------------------------------------------------- for owners
def _billing_organization(session: Session, actor: Actor) -> Organization:
    """The actor's organization, after checking afresh that they are in it and an Owner."""
    fresh = actor_for(session=session, user_id=actor.user_id, organization_id=actor.organization_id)
    fresh.require(Permission.MANAGE_BILLING)
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise not_found("Organization")
    return org


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def billing_overview(*, session: Session, actor: Actor) -> dict:
    """The organization's plan, status and trial, and every plan on offer (Owners only)."""
    org = _billing_organization(session, actor)
    settings = get_settings()
    prices = price_ids(settings)
    current = SubscriptionTier(org.subscription_tier)
    plans = [
        {
            "tier": plan.tier.value,
            "name": plan.name,
            "members": _limit_text(plan.members),
            "workflows": _limit_text(plan.workflows),
            "screenshots": _limit_text(plan.screenshots_per_month),
            "price": f"${plan.monthly_price_usd}",
            "per": "forever" if plan.monthly_price_usd == 0 else "per month",
            "current": plan.tier == current,
            "purchasable": plan.tier in PAID_TIERS
            and settings.stripe_enabled
            and bool(prices.get(plan.tier)),
        }
        for plan in PLANS.values()
    ]
    trial_end = _aware(org.trial_ends_at)
    return {
        "configured": settings.stripe_enabled,
        "tier": current.value,
        "plan": plan_label(org).removesuffix(" plan"),
        "trial_plan": PLANS[TRIAL_PLAN].name,
        "status": SubscriptionStatus(org.subscription_status).value,
        "trial_ends_at": trial_end.date().isoformat() if trial_end else "",
        "has_customer": bool(org.stripe_customer_id),
        "has_subscription": bool(org.stripe_subscription_id),
        "plans": plans,
    }


def _limit_text(limit: int | None) -> str:
    return "Unlimited" if limit is None else f"{limit:,}"


def _ensure_customer(
    session: Session, org: Organization, actor: Actor, gateway: StripeGateway
) -> str:
    if org.stripe_customer_id:
        return org.stripe_customer_id
    user = session.get(User, actor.user_id)
    customer = gateway.create_customer(
        params={
            "name": org.name,
            "email": user.email if user else None,
            "metadata": {"organization_id": org.id, "organization_slug": org.slug},
        },
        idempotency_key=f"techledger-customer-{org.id}",
    )
    org.stripe_customer_id = customer["id"]
    session.add(org)
    session.flush()
    audit.record(
        session=session,
        action="billing.customer_created",
        organization_id=org.id,
        actor_id=actor.user_id,
        target_type="organization",
        target_id=org.id,
        details={"stripe_customer_id": customer["id"]},
    )
    return customer["id"]


def start_checkout(
    *, session: Session, actor: Actor, tier: str, gateway: StripeGateway | None = None
) -> str:
    """A Stripe Checkout URL where an Owner buys ``tier`` for their organization."""
    settings = _require_configured()
    org = _billing_organization(session, actor)
    try:
        wanted = SubscriptionTier(str(tier).upper())
    except ValueError:
        wanted = None
    if wanted not in PAID_TIERS:
        raise InvalidInput(
            f"'{tier}' is not a plan you can buy; choose Starter, Professional or Enterprise.",
            field="tier",
        )
    price = price_ids(settings)[wanted]
    if not price:
        raise BillingNotConfigured(
            f"The {PLANS[wanted].name} plan has no Stripe price on this installation "
            f"(STRIPE_PRICE_{wanted.value} is not set)."
        )
    status = SubscriptionStatus(org.subscription_status)
    if org.stripe_subscription_id and status in (
        SubscriptionStatus.ACTIVE,
        SubscriptionStatus.PAST_DUE,
        SubscriptionStatus.TRIAL,
    ):
        raise Conflict(
            "This organization already has a subscription; change or cancel it with Manage billing."
        )
    gateway = gateway or get_gateway()
    customer_id = _ensure_customer(session, org, actor, gateway)
    base = settings.public_url.rstrip("/") + BILLING_PATH
    checkout = gateway.create_checkout_session(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": org.id,
            "line_items": [{"price": price, "quantity": 1}],
            "metadata": {"organization_id": org.id, "tier": wanted.value},
            "subscription_data": {"metadata": {"organization_id": org.id}},
            "success_url": f"{base}?checkout=success",
            "cancel_url": f"{base}?checkout=canceled",
        },
    )
    audit.record(
        session=session,
        action="billing.checkout_started",
        organization_id=org.id,
        actor_id=actor.user_id,
        target_type="organization",
        target_id=org.id,
        details={"tier": wanted.value, "checkout_session": checkout["id"]},
    )
    return checkout["url"]


def open_portal(*, session: Session, actor: Actor, gateway: StripeGateway | None = None) -> str:
    """A Stripe Billing Portal URL where an Owner manages payment methods, invoices and plan."""
    settings = _require_configured()
    org = _billing_organization(session, actor)
    if not org.stripe_customer_id:
        raise InvalidInput("This organization has no billing account yet; choose a plan first.")
    portal = (gateway or get_gateway()).create_portal_session(
        params={
            "customer": org.stripe_customer_id,
            "return_url": settings.public_url.rstrip("/") + BILLING_PATH,
        }
    )
    return portal["url"]


# ---------------------------------------------------------------------------- webhooks
def verify_webhook(payload: bytes, signature: str | None) -> stripe.Event:
    """The Stripe event in ``payload`` if ``signature`` proves Stripe sent it, else ``InvalidWebhook``."""
    secret = get_settings().stripe_webhook_secret
    if not secret:
        raise InvalidWebhook(
            "Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET is not set)."
        )
    if not signature:
        raise InvalidWebhook("Missing Stripe-Signature header.")
    try:
        return stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError:
        raise InvalidWebhook("Invalid Stripe signature.") from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidWebhook("The body is not a Stripe event.") from None


def handle_webhook(*, session: Session, payload: bytes, signature: str | None) -> dict:
    """Verify and apply one webhook delivery; returns what was done (``outcome``)."""
    event = verify_webhook(payload, signature)
    return apply_event(session=session, event=event)


def apply_event(*, session: Session, event: Any) -> dict:
    """Apply a verified Stripe event once; a replay or an older event changes nothing."""
    if isinstance(event, stripe.StripeObject):
        event = event.to_dict()  # plain nested dicts from here on
    event_id, event_type = event["id"], event["type"]
    created = datetime.fromtimestamp(int(event["created"]), UTC)
    if session.exec(
        select(ProcessedStripeEvent.id).where(ProcessedStripeEvent.event_id == event_id)
    ).first():
        return {"event": event_id, "outcome": "duplicate"}
    obj = event["data"]["object"]
    org = _event_organization(session, obj)
    if event_type not in HANDLED_EVENTS:
        outcome = "ignored"
    elif org is None:
        log.warning("Stripe event %s (%s) names no known organization", event_id, event_type)
        outcome = "no_organization"
    elif _aware(org.billing_event_at) and created < _aware(org.billing_event_at):
        outcome = "stale"
    else:
        outcome = _apply(session, org, event_type, obj, event_id)
        if outcome == "applied":
            org.billing_event_at = created
            session.add(org)
    record = ProcessedStripeEvent(
        event_id=event_id,
        event_type=event_type,
        organization_id=org.id if org else None,
        stripe_created_at=created,
        outcome=outcome,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        # The same event was applied by a concurrent delivery: undo ours.
        raise Conflict(f"Stripe event {event_id} is being processed already.") from None
    return {"event": event_id, "outcome": outcome}


def _event_organization(session: Session, obj: Any) -> Organization | None:
    """The organization an event is about: by Stripe customer, else by our own reference."""
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    if customer:
        org = session.exec(
            select(Organization).where(Organization.stripe_customer_id == customer)
        ).first()
        if org is not None:
            return org
    metadata = obj.get("metadata") or {}
    org_id = obj.get("client_reference_id") or metadata.get("organization_id")
    if org_id:
        org = session.get(Organization, org_id)
        # A customer id on the event must match the one we know, if we know one.
        if org is not None and (not org.stripe_customer_id or org.stripe_customer_id == customer):
            return org
    return None


def _subscription_price(subscription: Any) -> str:
    items = (subscription.get("items") or {}).get("data") or []
    if not items:
        raise UnknownPrice("The subscription has no items; nothing was changed.")
    price = items[0].get("price") or {}
    return price.get("id", "") if isinstance(price, dict) else str(price)


def _apply(session: Session, org: Organization, event_type: str, obj: Any, event_id: str) -> str:
    before = (SubscriptionStatus(org.subscription_status), SubscriptionTier(org.subscription_tier))
    if event_type == "checkout.session.completed":
        if obj.get("mode") != "subscription" or obj.get("status") != "complete":
            return "ignored"
        org.stripe_customer_id = org.stripe_customer_id or obj.get("customer")
        org.stripe_subscription_id = obj.get("subscription") or org.stripe_subscription_id
        tier = (obj.get("metadata") or {}).get("tier")
        paid = obj.get("payment_status") in ("paid", "no_payment_required")
        if paid and tier in {t.value for t in PAID_TIERS}:
            org.subscription_tier = SubscriptionTier(tier)
            org.subscription_status = SubscriptionStatus.ACTIVE
    elif event_type in SUBSCRIPTION_EVENTS:
        subscription_id = obj.get("id")
        if (
            event_type == "customer.subscription.deleted"
            and org.stripe_subscription_id
            and org.stripe_subscription_id != subscription_id
        ):
            return "ignored"  # an older subscription ended; the current one stands
        tier = tier_for_price(_subscription_price(obj))
        status = (
            SubscriptionStatus.CANCELED
            if event_type == "customer.subscription.deleted"
            else STRIPE_STATUS.get(obj.get("status", ""))
        )
        if status is None:
            return "ignored"
        org.subscription_tier = tier
        org.subscription_status = status
        org.stripe_subscription_id = subscription_id
        if status == SubscriptionStatus.TRIAL and obj.get("trial_end"):
            org.trial_ends_at = datetime.fromtimestamp(int(obj["trial_end"]), UTC)
    elif event_type == "invoice.payment_failed":
        if before[0] in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIAL):
            org.subscription_status = SubscriptionStatus.PAST_DUE
        else:
            return "ignored"
    elif event_type == "invoice.paid":
        if before[0] == SubscriptionStatus.PAST_DUE:
            org.subscription_status = SubscriptionStatus.ACTIVE
        else:
            return "ignored"
    session.add(org)
    session.flush()
    after = (SubscriptionStatus(org.subscription_status), SubscriptionTier(org.subscription_tier))
    audit.record(
        session=session,
        action="billing.subscription_changed",
        organization_id=org.id,
        target_type="organization",
        target_id=org.id,
        details={
            "stripe_event": event_id,
            "event_type": event_type,
            "from": {"status": before[0].value, "tier": before[1].value},
            "to": {"status": after[0].value, "tier": after[1].value},
        },
    )
    return "applied"


# ---------------------------------------------------------------------------- trials, admin
def expire_trials(*, session: Session, app_now: datetime | None = None) -> list[str]:
    """Move trials whose end has passed to EXPIRED; returns their organization ids.

    Organizations whose trial Stripe runs (they have a subscription) are left to Stripe.
    Measured on the database's clock (``trusted_now``).
    """
    now = trusted_now(session, app_now=app_now)
    expired = session.exec(
        select(Organization).where(
            Organization.subscription_status == SubscriptionStatus.TRIAL,
            Organization.trial_ends_at.is_not(None),
            Organization.trial_ends_at <= now,
            Organization.stripe_subscription_id.is_(None),
        )
    ).all()
    for org in expired:
        org.subscription_status = SubscriptionStatus.EXPIRED
        session.add(org)
        audit.record(
            session=session,
            action="billing.trial_expired",
            organization_id=org.id,
            target_type="organization",
            target_id=org.id,
            details={"trial_ended_at": _aware(org.trial_ends_at).isoformat()},
        )
    session.flush()
    return [org.id for org in expired]


def set_plan(
    *, session: Session, organization: str, tier: str, status: str = "ACTIVE"
) -> Organization:
    """Set an organization's plan by hand (operators of an installation without Stripe)."""
    org = session.exec(
        select(Organization).where(
            (Organization.id == organization) | (Organization.slug == organization)
        )
    ).first()
    if org is None:
        raise not_found("Organization")
    try:
        new_tier, new_status = SubscriptionTier(tier.upper()), SubscriptionStatus(status.upper())
    except ValueError:
        raise InvalidInput(
            "Tier is one of FREE, STARTER, PROFESSIONAL, ENTERPRISE; status one of TRIAL, "
            "ACTIVE, PAST_DUE, CANCELED, EXPIRED."
        ) from None
    before = {"tier": org.subscription_tier.value, "status": org.subscription_status.value}
    org.subscription_tier, org.subscription_status = new_tier, new_status
    session.add(org)
    session.flush()
    audit.record(
        session=session,
        action="billing.plan_set",
        organization_id=org.id,
        target_type="organization",
        target_id=org.id,
        details={"from": before, "to": {"tier": new_tier.value, "status": new_status.value}},
    )
    return org

"""Checkout, the Billing Portal and trial expiry, with Stripe's API faked from recordings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from techledger.enums import Role, SubscriptionStatus, SubscriptionTier
from techledger.models import AuditEvent, Organization
from techledger.models.base import utcnow
from techledger.services import billing
from techledger.services.actor import Actor
from techledger.services.clock import ClockSkewed
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_org, make_user, org_with_roles, owner_actor
from tests.stripe_fake import PRICES, FakeStripe, configure_stripe, unconfigure_stripe


@pytest.fixture
def stripe_on(monkeypatch):
    configure_stripe(monkeypatch)
    yield
    unconfigure_stripe(monkeypatch)


@pytest.fixture
def stripe_off(monkeypatch):
    unconfigure_stripe(monkeypatch)
    yield


def test_checkout_creates_one_customer_and_returns_the_checkout_url(session, stripe_on):
    org = make_org(session, owner=make_user(session, email="boss@example.com"))
    owner = owner_actor(session, org)
    fake = FakeStripe()
    url = billing.start_checkout(session=session, actor=owner, tier="starter", gateway=fake)
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert fake.kinds() == ["customer", "checkout"]
    customer_call, checkout_call = fake.calls[0][1], fake.calls[1][1]
    assert customer_call["email"] == "boss@example.com"
    assert customer_call["metadata"]["organization_id"] == org.id
    assert customer_call["idempotency_key"] == f"techledger-customer-{org.id}"
    assert checkout_call["mode"] == "subscription"
    assert checkout_call["line_items"] == [{"price": PRICES["STARTER"], "quantity": 1}]
    assert checkout_call["client_reference_id"] == org.id
    assert checkout_call["customer"] == org.stripe_customer_id
    assert checkout_call["success_url"].endswith("/billing?checkout=success")
    # A second checkout (another tier) reuses the customer.
    billing.start_checkout(session=session, actor=owner, tier="PROFESSIONAL", gateway=fake)
    assert fake.kinds() == ["customer", "checkout", "checkout"]
    assert fake.calls[2][1]["line_items"][0]["price"] == PRICES["PROFESSIONAL"]
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.organization_id == org.id)
    ).all()
    assert actions.count("billing.checkout_started") == 2
    assert actions.count("billing.customer_created") == 1


def test_portal_link_for_an_organization_with_a_customer(session, stripe_on):
    org = make_org(session)
    owner = owner_actor(session, org)
    fake = FakeStripe()
    with pytest.raises(InvalidInput, match="no billing account yet"):
        billing.open_portal(session=session, actor=owner, gateway=fake)
    billing.start_checkout(session=session, actor=owner, tier="STARTER", gateway=fake)
    url = billing.open_portal(session=session, actor=owner, gateway=fake)
    assert url.startswith("https://billing.stripe.com/p/session/")
    assert fake.calls[-1] == (
        "portal",
        {"customer": org.stripe_customer_id, "return_url": "http://localhost:3000/billing"},
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER, Role.VIEWER])
def test_only_owners_reach_billing(session, stripe_on, role):
    _org, actors = org_with_roles(session)
    fake = FakeStripe()
    for call in (
        lambda: billing.billing_overview(session=session, actor=actors[role]),
        lambda: billing.start_checkout(
            session=session, actor=actors[role], tier="STARTER", gateway=fake
        ),
        lambda: billing.open_portal(session=session, actor=actors[role], gateway=fake),
    ):
        with pytest.raises(PermissionDenied, match="cannot manage billing; Owners can"):
            call()
    assert fake.calls == []
    assert billing.billing_overview(session=session, actor=actors[Role.OWNER])["configured"]


def test_checkout_for_an_organization_the_user_is_not_in_is_not_found(session, stripe_on):
    mine = make_org(session)
    theirs = make_org(session)
    me = owner_actor(session, mine)
    forged = Actor(user_id=me.user_id, organization_id=theirs.id, role=Role.OWNER)
    fake = FakeStripe()
    with pytest.raises(NotFound, match="Organization not found"):
        billing.start_checkout(session=session, actor=forged, tier="STARTER", gateway=fake)
    with pytest.raises(NotFound):
        billing.open_portal(session=session, actor=forged, gateway=fake)
    assert fake.calls == []
    assert session.get(Organization, theirs.id).stripe_customer_id is None


def test_a_demoted_owner_loses_billing_at_once(session, stripe_on):
    org, actors = org_with_roles(session)
    stale = Actor(user_id=actors[Role.ADMIN].user_id, organization_id=org.id, role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        billing.start_checkout(session=session, actor=stale, tier="STARTER", gateway=FakeStripe())


@pytest.mark.parametrize("tier", ["FREE", "GOLD", "", "starter; drop table"])
def test_only_paid_tiers_can_be_bought(session, stripe_on, tier):
    owner = owner_actor(session, make_org(session))
    fake = FakeStripe()
    with pytest.raises(InvalidInput, match="Starter, Professional or Enterprise"):
        billing.start_checkout(session=session, actor=owner, tier=tier, gateway=fake)
    assert fake.calls == []


def test_a_tier_without_a_price_is_not_for_sale(session, monkeypatch):
    configure_stripe(monkeypatch, STRIPE_PRICE_ENTERPRISE="")
    owner = owner_actor(session, make_org(session))
    overview = billing.billing_overview(session=session, actor=owner)
    assert {p["tier"]: p["purchasable"] for p in overview["plans"]} == {
        "FREE": False,
        "STARTER": True,
        "PROFESSIONAL": True,
        "ENTERPRISE": False,
    }
    with pytest.raises(InvalidInput, match="STRIPE_PRICE_ENTERPRISE is not set"):
        billing.start_checkout(
            session=session, actor=owner, tier="ENTERPRISE", gateway=FakeStripe()
        )
    unconfigure_stripe(monkeypatch)


def test_an_organization_with_a_live_subscription_goes_to_the_portal(session, stripe_on):
    org = make_org(session)
    org.stripe_customer_id, org.stripe_subscription_id = "cus_x", "sub_x"
    org.subscription_status = SubscriptionStatus.ACTIVE
    session.add(org)
    session.flush()
    with pytest.raises(Conflict, match="Manage billing"):
        billing.start_checkout(
            session=session,
            actor=owner_actor(session, org),
            tier="PROFESSIONAL",
            gateway=FakeStripe(),
        )


def test_without_stripe_billing_says_so_and_the_trial_stays(session, stripe_off):
    org = make_org(session)
    owner = owner_actor(session, org)
    overview = billing.billing_overview(session=session, actor=owner)
    assert overview["configured"] is False
    assert overview["status"] == "TRIAL" and overview["trial_ends_at"]
    assert not any(p["purchasable"] for p in overview["plans"])
    assert [p["tier"] for p in overview["plans"] if p["current"]] == ["FREE"]
    with pytest.raises(InvalidInput, match="Billing is not configured"):
        billing.start_checkout(session=session, actor=owner, tier="STARTER", gateway=FakeStripe())
    with pytest.raises(InvalidInput, match="Billing is not configured"):
        billing.open_portal(session=session, actor=owner, gateway=FakeStripe())
    assert session.get(Organization, org.id).subscription_status == SubscriptionStatus.TRIAL


def test_expire_trials_moves_only_ended_trials(session):
    ended, running, stripe_managed, paying = (make_org(session) for _ in range(4))
    ended.trial_ends_at = utcnow() - timedelta(hours=1)
    running.trial_ends_at = utcnow() + timedelta(days=3)
    stripe_managed.trial_ends_at = utcnow() - timedelta(hours=1)
    stripe_managed.stripe_subscription_id = "sub_trialing"
    paying.trial_ends_at = utcnow() - timedelta(days=30)
    paying.subscription_status = SubscriptionStatus.ACTIVE
    for org in (ended, running, stripe_managed, paying):
        session.add(org)
    session.flush()
    expired = billing.expire_trials(session=session)
    assert ended.id in expired
    assert not {running.id, stripe_managed.id, paying.id} & set(expired)
    session.refresh(ended)
    assert ended.subscription_status == SubscriptionStatus.EXPIRED
    assert ended.subscription_tier == SubscriptionTier.FREE
    assert ended.id not in billing.expire_trials(session=session)  # once only
    audit = session.exec(
        select(AuditEvent).where(
            AuditEvent.organization_id == ended.id, AuditEvent.action == "billing.trial_expired"
        )
    ).all()
    assert len(audit) == 1


def test_expire_trials_refuses_a_clock_far_ahead_of_the_database(session):
    org = make_org(session)
    org.trial_ends_at = utcnow() + timedelta(days=5)
    session.add(org)
    session.flush()
    with pytest.raises(ClockSkewed, match="ahead of the database"):
        billing.expire_trials(session=session, app_now=utcnow() + timedelta(days=10))
    session.refresh(org)
    assert org.subscription_status == SubscriptionStatus.TRIAL


def test_set_plan_by_hand(session):
    org = make_org(session)
    billing.set_plan(session=session, organization=org.slug, tier="professional")
    session.refresh(org)
    assert (org.subscription_tier, org.subscription_status) == (
        SubscriptionTier.PROFESSIONAL,
        SubscriptionStatus.ACTIVE,
    )
    with pytest.raises(InvalidInput, match="Tier is one of"):
        billing.set_plan(session=session, organization=org.id, tier="GOLD")
    with pytest.raises(NotFound):
        billing.set_plan(session=session, organization="no-such-org", tier="FREE")


def test_overview_lists_every_plan_with_its_limits_and_price(session, stripe_on):
    owner = owner_actor(session, make_org(session))
    overview = billing.billing_overview(session=session, actor=owner)
    plans = {p["tier"]: p for p in overview["plans"]}
    assert list(plans) == ["FREE", "STARTER", "PROFESSIONAL", "ENTERPRISE"]
    assert (plans["STARTER"]["price"], plans["STARTER"]["per"]) == ("$49", "per month")
    assert plans["PROFESSIONAL"]["screenshots"] == "10,000"
    assert plans["ENTERPRISE"]["members"] == "Unlimited"
    assert plans["FREE"]["current"] and not plans["FREE"]["purchasable"]
    assert overview["plan"] == "Professional trial" and overview["status"] == "TRIAL"
    assert not overview["has_customer"]


def test_the_real_gateway_sends_stripes_requests(session, stripe_on):
    """StripeApi through the official client, its HTTP layer answering from recordings."""
    from tests.stripe_fake import RecordedHttpClient

    http = RecordedHttpClient()
    gateway = billing.StripeApi("sk_test_51QfakeKeyForTests", http_client=http)
    org = make_org(session)
    owner = owner_actor(session, org)
    url = billing.start_checkout(session=session, actor=owner, tier="ENTERPRISE", gateway=gateway)
    assert url.startswith("https://checkout.stripe.com/c/pay/")
    assert org.stripe_customer_id == "cus_RkT3mBq8ZxY2aL"  # from the recorded customer
    customer, checkout = http.requests
    assert (customer["method"], customer["path"]) == ("post", "/v1/customers")
    assert customer["headers"]["Idempotency-Key"] == f"techledger-customer-{org.id}"
    assert customer["headers"]["Authorization"] == "Bearer sk_test_51QfakeKeyForTests"
    assert customer["form"]["metadata[organization_id]"] == org.id
    assert checkout["path"] == "/v1/checkout/sessions"
    assert checkout["form"]["mode"] == "subscription"
    assert checkout["form"]["line_items[0][price]"] == PRICES["ENTERPRISE"]
    assert checkout["form"]["customer"] == "cus_RkT3mBq8ZxY2aL"
    assert checkout["form"]["subscription_data[metadata][organization_id]"] == org.id
    portal = billing.open_portal(session=session, actor=owner, gateway=gateway)
    assert portal.startswith("https://billing.stripe.com/p/session/")
    assert http.requests[-1]["path"] == "/v1/billing_portal/sessions"

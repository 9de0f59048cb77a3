"""Stripe webhooks POSTed to the real Starlette route, signed with Stripe's scheme."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from sqlmodel import func, select
from starlette.testclient import TestClient

from techledger.api import build_api
from techledger.db import session_scope
from techledger.enums import SubscriptionStatus, SubscriptionTier
from techledger.models import AuditEvent, Organization, ProcessedStripeEvent
from techledger.services import accounts, organizations
from tests.stripe_fake import (
    PRICES,
    configure_stripe,
    event,
    recording,
    signature_header,
    subscription,
    unconfigure_stripe,
)

URL = "/api/stripe/webhook"


@pytest.fixture
def client(database_url, monkeypatch):
    configure_stripe(monkeypatch)
    with TestClient(build_api()) as test_client:
        yield test_client
    unconfigure_stripe(monkeypatch)


@pytest.fixture
def org_id(database_url) -> str:
    """A committed organization with a Stripe customer, on its trial."""
    suffix = uuid.uuid4().hex[:10]
    with session_scope() as session:
        user = accounts.sign_up(
            session=session, email=f"owner-{suffix}@example.com", password="pw-1234567890"
        )
        org = organizations.create_organization(
            session=session, user_id=user.id, name=f"Org {suffix}"
        )
        org.stripe_customer_id = f"cus_{suffix}"
        session.add(org)
        return org.id


def _org(org_id: str) -> Organization:
    with session_scope() as session:
        return session.get(Organization, org_id)


def _customer(org_id: str) -> str:
    return _org(org_id).stripe_customer_id


def _state(org_id: str) -> tuple:
    org = _org(org_id)
    return (
        SubscriptionStatus(org.subscription_status),
        SubscriptionTier(org.subscription_tier),
        org.stripe_subscription_id,
    )


def _count(model, *where) -> int:  # noqa: ANN001
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def post(client: TestClient, body: dict, *, header: str | None = "sign", secret: str | None = None):
    payload = json.dumps(body)
    headers = {"Content-Type": "application/json"}
    if header == "sign":
        headers["Stripe-Signature"] = (
            signature_header(payload, secret) if secret else signature_header(payload)
        )
    elif header is not None:
        headers["Stripe-Signature"] = header
    return client.post(URL, content=payload, headers=headers)


def test_subscription_created_activates_the_plan(client, org_id):
    body = event("customer.subscription.created", subscription(_customer(org_id)))
    response = post(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"event": body["id"], "outcome": "applied"}
    assert _state(org_id) == (
        SubscriptionStatus.ACTIVE,
        SubscriptionTier.STARTER,
        "sub_1QaBcDeFgHiJkLmN",
    )
    assert _org(org_id).billing_event_at is not None
    changes = _count(
        AuditEvent,
        AuditEvent.organization_id == org_id,
        AuditEvent.action == "billing.subscription_changed",
    )
    assert changes == 1


@pytest.mark.parametrize(
    "how",
    ["missing", "empty", "forged-secret", "garbage", "tampered", "old-timestamp"],
)
def test_unsigned_or_forged_webhooks_are_refused_and_change_nothing(client, org_id, how):
    body = event("customer.subscription.created", subscription(_customer(org_id)))
    before = _state(org_id)
    if how == "missing":
        response = post(client, body, header=None)
    elif how == "empty":
        response = post(client, body, header="")
    elif how == "forged-secret":
        response = post(client, body, secret="whsec_attacker_guess")
    elif how == "garbage":
        response = post(client, body, header="t=abc,v1=zzz")
    elif how == "tampered":
        payload = json.dumps(body)
        header = signature_header(payload)
        body["data"]["object"]["items"]["data"][0]["price"]["id"] = PRICES["ENTERPRISE"]
        response = client.post(URL, content=json.dumps(body), headers={"Stripe-Signature": header})
    else:  # a genuine signature replayed long after (outside Stripe's 5-minute tolerance)
        payload = json.dumps(body)
        header = signature_header(payload, timestamp=int(time.time()) - 3600)
        response = client.post(URL, content=payload, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert "error" in response.json()
    assert _state(org_id) == before
    assert _count(ProcessedStripeEvent, ProcessedStripeEvent.event_id == body["id"]) == 0


def test_a_signed_body_that_is_not_an_event_is_refused(client):
    payload = "this is not json"
    response = client.post(
        URL, content=payload, headers={"Stripe-Signature": signature_header(payload)}
    )
    assert response.status_code == 400


def test_replayed_event_has_no_second_effect(client, org_id):
    customer = _customer(org_id)
    post(client, event("customer.subscription.created", subscription(customer), created=1000))
    failed = event(
        "invoice.payment_failed", {**recording("invoice"), "customer": customer}, created=2000
    )
    assert post(client, failed).json()["outcome"] == "applied"
    assert _state(org_id)[0] == SubscriptionStatus.PAST_DUE
    paid = event(
        "invoice.paid",
        {**recording("invoice"), "customer": customer, "status": "paid"},
        created=3000,
    )
    assert post(client, paid).json()["outcome"] == "applied"
    assert _state(org_id)[0] == SubscriptionStatus.ACTIVE
    # Stripe delivers the failure again (same event id): nothing happens.
    again = post(client, failed)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert _state(org_id)[0] == SubscriptionStatus.ACTIVE
    assert _count(ProcessedStripeEvent, ProcessedStripeEvent.event_id == failed["id"]) == 1
    assert (
        _count(
            AuditEvent,
            AuditEvent.organization_id == org_id,
            AuditEvent.action == "billing.subscription_changed",
        )
        == 3
    )


def test_out_of_order_events_do_not_roll_state_back(client, org_id):
    customer = _customer(org_id)
    created = event("customer.subscription.created", subscription(customer), created=1_000)
    upgraded = event(
        "customer.subscription.updated",
        subscription(customer, price=PRICES["PROFESSIONAL"]),
        created=2_000,
    )
    deleted = event(
        "customer.subscription.deleted",
        subscription(customer, status="canceled", price=PRICES["PROFESSIONAL"]),
        created=3_000,
    )
    # Stripe delivers the newest first, then the older ones.
    assert post(client, deleted).json()["outcome"] == "applied"
    assert post(client, upgraded).json()["outcome"] == "stale"
    assert post(client, created).json()["outcome"] == "stale"
    assert _state(org_id)[:2] == (SubscriptionStatus.CANCELED, SubscriptionTier.PROFESSIONAL)
    # A late payment failure from before the cancellation is stale too.
    late = event(
        "invoice.payment_failed", {**recording("invoice"), "customer": customer}, created=2_500
    )
    assert post(client, late).json()["outcome"] == "stale"
    assert _state(org_id)[0] == SubscriptionStatus.CANCELED


def test_unknown_price_is_refused_clearly_and_changes_nothing(client, org_id, monkeypatch):
    customer = _customer(org_id)
    body = event(
        "customer.subscription.created", subscription(customer, price="price_1QSomethingElse")
    )
    before = _state(org_id)
    response = post(client, body)
    assert response.status_code == 422
    assert "price_1QSomethingElse" in response.json()["error"]
    assert "STRIPE_PRICE_STARTER" in response.json()["error"]
    assert _state(org_id) == before
    assert _count(ProcessedStripeEvent, ProcessedStripeEvent.event_id == body["id"]) == 0
    # Once the price is configured, Stripe's retry of the same event applies.
    configure_stripe(monkeypatch, STRIPE_PRICE_ENTERPRISE="price_1QSomethingElse")
    assert post(client, body).json()["outcome"] == "applied"
    assert _state(org_id)[:2] == (SubscriptionStatus.ACTIVE, SubscriptionTier.ENTERPRISE)


def test_checkout_completed_records_the_subscription(client, org_id):
    completed = {
        **recording("checkout_session_completed"),
        "customer": _customer(org_id),
        "client_reference_id": org_id,
        "metadata": {"organization_id": org_id, "tier": "PROFESSIONAL"},
    }
    assert post(client, event("checkout.session.completed", completed)).status_code == 200
    assert _state(org_id) == (
        SubscriptionStatus.ACTIVE,
        SubscriptionTier.PROFESSIONAL,
        "sub_1QaBcDeFgHiJkLmN",
    )


def test_trialing_subscription_keeps_trial_with_stripes_end(client, org_id):
    sub = subscription(_customer(org_id), status="trialing", trial_end=1_900_000_000)
    post(client, event("customer.subscription.created", sub))
    org = _org(org_id)
    assert org.subscription_status == SubscriptionStatus.TRIAL
    assert int(org.trial_ends_at.timestamp()) == 1_900_000_000


def test_events_for_someone_else_are_acknowledged_and_ignored(client, org_id):
    before = _state(org_id)
    stranger = post(client, event("customer.subscription.created", subscription("cus_stranger")))
    assert stranger.status_code == 200 and stranger.json()["outcome"] == "no_organization"
    other = post(client, event("customer.created", recording("customer")))
    assert other.status_code == 200 and other.json()["outcome"] == "ignored"
    # metadata naming our organization with another customer id is not trusted
    forged_meta = subscription("cus_stranger2", metadata={"organization_id": org_id})
    assert post(client, event("customer.subscription.updated", forged_meta)).json()["outcome"] == (
        "no_organization"
    )
    assert _state(org_id) == before


def test_webhook_without_stripe_configured_is_refused(database_url, monkeypatch):
    unconfigure_stripe(monkeypatch)
    with TestClient(build_api()) as test_client:
        payload = json.dumps(event("invoice.paid", recording("invoice")))
        response = test_client.post(
            URL, content=payload, headers={"Stripe-Signature": signature_header(payload)}
        )
    assert response.status_code == 400
    assert "not configured" in response.json()["error"]


def test_the_webhook_route_only_accepts_post(client):
    assert client.get(URL).status_code == 405


def test_two_concurrent_deliveries_of_one_event_apply_it_once(database_url, org_id, monkeypatch):
    """Both pass the "seen it?" check; the unique event id lets only one commit."""
    import threading

    from sqlmodel import Session

    from techledger.db import get_engine
    from techledger.services import billing
    from techledger.services.errors import Conflict

    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    configure_stripe(monkeypatch)
    body = event("invoice.payment_failed", {**recording("invoice"), "customer": _customer(org_id)})
    first = Session(get_engine(), expire_on_commit=False)
    assert billing.apply_event(session=first, event=body)["outcome"] == "applied"  # not committed
    outcome: list = []

    def second_delivery() -> None:
        with Session(get_engine(), expire_on_commit=False) as second:
            try:
                outcome.append(billing.apply_event(session=second, event=body))
                second.commit()
            except Conflict as error:
                second.rollback()
                outcome.append(error)

    thread = threading.Thread(target=second_delivery)
    thread.start()
    thread.join(1)  # it waits on the first delivery's row lock
    first.commit()
    first.close()
    thread.join(30)
    assert len(outcome) == 1
    # Normally the race (Conflict); on a very slow machine the second may start after the
    # commit and see a duplicate. Either way the event is applied once.
    assert isinstance(outcome[0], Conflict) or outcome[0]["outcome"] == "duplicate"
    assert _count(ProcessedStripeEvent, ProcessedStripeEvent.event_id == body["id"]) == 1
    assert (
        _count(
            AuditEvent,
            AuditEvent.organization_id == org_id,
            AuditEvent.action == "billing.subscription_changed",
        )
        == 1
    )


def test_oversized_and_binary_bodies_are_refused(client):
    huge = "x" * 1_000_001
    response = client.post(URL, content=huge, headers={"Stripe-Signature": signature_header(huge)})
    assert response.status_code == 413
    binary = b"\xff\xfe\x00garbage"
    response = client.post(URL, content=binary, headers={"Stripe-Signature": "t=1,v1=abc"})
    assert response.status_code == 400

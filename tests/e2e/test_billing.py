"""The billing page in Chromium: not configured, then with (fake) Stripe settings; members refused.

The app's backend runs in this process (AppHarness), so the test switches Stripe settings
through the environment and puts the recorded-response fake in front of Stripe's API.
"""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from techledger.db import session_scope
from techledger.enums import Role
from techledger.models import Organization, OrganizationMember, User
from techledger.services import accounts, billing, organizations
from tests.e2e.conftest import ARTIFACTS, PASSWORD, log_in, unique_email
from tests.stripe_fake import (
    FakeStripe,
    configure_stripe,
    event,
    signature_header,
    subscription,
    unconfigure_stripe,
)


def _backend_url(harness) -> str:  # noqa: ANN001
    for server in harness.backend.servers:
        for sock in server.sockets:
            host, port = sock.getsockname()[:2]
            return f"http://{host}:{port}"
    raise RuntimeError("the backend is not listening")


def _org_of(email: str) -> Organization:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        member = session.exec(
            select(OrganizationMember).where(OrganizationMember.user_id == user.id)
        ).one()
        return session.get(Organization, member.organization_id)


def _wide_screenshot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(ARTIFACTS / f"{name}-1920.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def stripe_off():
    unconfigure_stripe()
    billing.set_gateway(None)
    yield
    unconfigure_stripe()
    billing.set_gateway(None)


def test_owner_billing_not_configured_then_buys_a_plan_with_stripe(
    signed_in_owner, base_url, harness, stripe_off
):  # noqa: ANN001
    page = signed_in_owner["page"]
    page.click("#nav-billing")
    page.wait_for_selector("#billing-not-configured")
    assert "Billing is not configured" in page.locator("#billing-not-configured").inner_text()
    assert page.locator("#billing-plan").inner_text() == "Professional trial"
    assert page.locator("#billing-status").inner_text() == "TRIAL"
    assert "Trial ends on" in page.locator("#billing-trial-end").inner_text()
    assert page.locator("#plan-table > *").count() == 4
    assert "3 members" in page.locator("#plan-FREE").inner_text()
    assert "Unlimited members" in page.locator("#plan-ENTERPRISE").inner_text()
    assert page.locator("#upgrade-STARTER").count() == 0
    _wide_screenshot(page, "billing-not-configured")

    # The Usage card on the settings page.
    page.click("#nav-settings")
    page.wait_for_selector("#usage-members")
    assert page.locator("#usage-members").inner_text() == "1 / 50"
    assert page.locator("#usage-screenshots").inner_text() == "0 / 10,000"
    page.locator("#usage-card").screenshot(path=str(ARTIFACTS / "usage-card.png"))

    # Stripe is configured (fake keys; Stripe's API answered from recordings).
    configure_stripe()
    fake = FakeStripe(
        checkout_url=f"{base_url}/billing?checkout=success",
        portal_url=f"{base_url}/billing?portal=1",
    )
    billing.set_gateway(fake)
    page.goto("/billing")
    page.wait_for_selector("#upgrade-STARTER")
    assert page.locator("#billing-not-configured").count() == 0
    assert "$49" in page.locator("#plan-STARTER").inner_text()
    _wide_screenshot(page, "billing-plans")
    page.click("#upgrade-PROFESSIONAL")
    page.wait_for_url(re.compile(r".*/billing\?checkout=success"))
    page.wait_for_selector("#checkout-notice")
    assert [kind for kind, _ in fake.calls] == ["customer", "checkout"]
    assert fake.calls[1][1]["line_items"][0]["price"] == "price_1QProfessionalMonthly"

    # Stripe's webhook arrives at the running app's endpoint.
    org = _org_of(signed_in_owner["email"])
    assert org.stripe_customer_id
    payload = json.dumps(
        event(
            "customer.subscription.created",
            subscription(org.stripe_customer_id, price="price_1QProfessionalMonthly"),
        )
    )
    response = httpx.post(
        _backend_url(harness) + "/api/stripe/webhook",
        content=payload,
        headers={"Stripe-Signature": signature_header(payload)},
    )
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    forged = httpx.post(
        _backend_url(harness) + "/api/stripe/webhook",
        content=payload,
        headers={"Stripe-Signature": signature_header(payload, "whsec_wrong")},
    )
    assert forged.status_code == 400
    page.goto("/billing")
    page.wait_for_selector("#manage-billing")
    # until its on_load has read the webhook's change, the page may still show the billing of
    # the last visit (where checkout had already made the customer: "Manage billing" is there)
    expect(page.locator("#billing-plan")).to_have_text("Professional")
    expect(page.locator("#billing-status")).to_have_text("ACTIVE")
    page.click("#manage-billing")
    page.wait_for_url(re.compile(r".*/billing\?portal=1"))
    page.wait_for_selector("#manage-billing")
    assert fake.calls[-1][0] == "portal"


def test_a_member_does_not_see_billing_and_is_refused(page, harness, stripe_off):  # noqa: ANN001
    owner_email, member_email = unique_email("own"), unique_email("mem")
    with session_scope() as session:
        owner = accounts.sign_up(session=session, email=owner_email, password=PASSWORD)
        member = accounts.sign_up(session=session, email=member_email, password=PASSWORD)
        org = organizations.create_organization(
            session=session, user_id=owner.id, name=f"Billing Org {time.time_ns() % 10**6}"
        )
        session.add(OrganizationMember(user_id=member.id, organization_id=org.id, role=Role.MEMBER))
    log_in(page, member_email)
    assert page.locator("#nav-members").count() == 1
    assert page.locator("#nav-billing").count() == 0
    page.goto("/billing")
    page.wait_for_selector("#billing-refused")
    text = page.locator("#billing-refused").inner_text()
    assert "Only Owners manage billing" in text
    assert "Your role (Member) cannot manage billing; Owners can." in text
    assert page.locator("#plan-table").count() == 0


def test_inviting_beyond_the_plan_shows_the_limit_and_how_to_upgrade(signed_in_owner, stripe_off):  # noqa: ANN001
    page = signed_in_owner["page"]
    org = _org_of(signed_in_owner["email"])
    with session_scope() as session:
        billing.set_plan(session=session, organization=org.id, tier="FREE", status="ACTIVE")
    page.click("#nav-members")
    page.wait_for_selector("#invite-email")
    for n in range(2):  # owner + 2 invitations = the Free plan's 3 members
        page.fill("#invite-email", unique_email(f"seat{n}"))
        page.click("#invite-submit")
        page.wait_for_selector("#invite-link")
        page.wait_for_selector("text=Invitation for")
        page.wait_for_function("document.querySelector('#invite-email').value === ''")
    page.fill("#invite-email", unique_email("one-too-many"))
    page.click("#invite-submit")
    page.wait_for_selector("#invite-form-error")
    message = page.locator("#invite-form-error").inner_text()
    assert "The Free plan allows 3 members; this organization has 3" in message
    assert "techledger billing set-plan" in message

"""Plan limits at their boundaries, and what an ended plan still allows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from techledger.enums import Role, SubscriptionStatus, SubscriptionTier, WorkflowStatus
from techledger.models import Invitation, OrganizationMember
from techledger.models.base import utcnow
from techledger.services import members, organizations, plan_limits
from techledger.services.errors import LimitReached
from techledger.services.plan_limits import PLANS, require_active, require_can_add, usage
from tests.billing_factories import make_screenshot, make_workflow
from tests.factories import add_member, make_org, make_user, owner_actor
from tests.stripe_fake import configure_stripe, unconfigure_stripe


@pytest.fixture(autouse=True)
def _no_stripe(monkeypatch):
    unconfigure_stripe(monkeypatch)
    yield
    unconfigure_stripe(monkeypatch)


def _set(session, org, tier=SubscriptionTier.FREE, status=SubscriptionStatus.ACTIVE):
    org.subscription_tier, org.subscription_status = tier, status
    session.add(org)
    session.flush()


def test_one_table_holds_every_tier_and_limits_grow_with_the_tier():
    assert set(PLANS) == set(SubscriptionTier)
    order = [PLANS[t] for t in SubscriptionTier]
    for lower, higher in zip(order, order[1:], strict=False):
        for resource in ("members", "workflows", "screenshots"):
            low, high = lower.limit(resource), higher.limit(resource)
            assert high is None or (low is not None and high > low)


def test_members_limit_boundary_through_invitations(session):
    org = make_org(session)
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)  # 3 members, owner is 1
    owner = owner_actor(session, org)
    limit = PLANS[SubscriptionTier.FREE].members
    for i in range(limit - 1):  # up to limit - 1 invitations + owner = limit: allowed
        members.invite_member(session=session, actor=owner, email=f"m{i}@example.com")
    with pytest.raises(LimitReached) as refused:
        members.invite_member(session=session, actor=owner, email="one-too-many@example.com")
    message = refused.value.message
    assert f"The Free plan allows {limit} members" in message
    assert "open invitations included" in message
    assert "techledger billing set-plan" in message  # how to upgrade without Stripe
    assert (
        session.exec(
            select(Invitation).where(Invitation.email == "one-too-many@example.com")
        ).first()
        is None
    )


def test_reinviting_the_same_person_does_not_use_another_seat(session):
    org = make_org(session)
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)
    owner = owner_actor(session, org)
    members.invite_member(session=session, actor=owner, email="a@example.com")
    members.invite_member(session=session, actor=owner, email="b@example.com")
    members.invite_member(session=session, actor=owner, email="a@example.com")  # replaces


def test_accepting_at_the_limit_is_allowed_and_beyond_it_refused(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    _set(session, org, SubscriptionTier.STARTER)
    people = {name: make_user(session, email=f"{name}@example.com") for name in "abc"}
    tokens = {
        name: members.invite_member(session=session, actor=owner, email=user.email)[1]
        for name, user in people.items()
    }
    _set(session, org, SubscriptionTier.FREE)  # downgraded: owner + 3 invitations > 3 members
    # Owner + a + b = 3 members: each acceptance fits (its own invitation is not counted twice).
    members.accept_invitation(session=session, user_id=people["a"].id, token=tokens["a"])
    members.accept_invitation(session=session, user_id=people["b"].id, token=tokens["b"])
    # A fourth person is refused even with an invitation made on the old plan.
    with pytest.raises(LimitReached, match="Free plan allows 3 members"):
        members.accept_invitation(session=session, user_id=people["c"].id, token=tokens["c"])
    joined = session.exec(
        select(OrganizationMember).where(OrganizationMember.organization_id == org.id)
    ).all()
    assert len(joined) == 3


def test_workflows_limit_boundary_and_archived_ones_do_not_count(session):
    org = make_org(session)
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)
    owner = owner_actor(session, org)
    limit = PLANS[SubscriptionTier.FREE].workflows
    for _ in range(limit - 1):
        make_workflow(session, org, owner.user_id)
    require_can_add(session, org.id, "workflows")  # limit - 1 used: one more is fine
    last = make_workflow(session, org, owner.user_id)
    with pytest.raises(LimitReached, match=f"The Free plan allows {limit} active workflows"):
        require_can_add(session, org.id, "workflows")
    last.status = WorkflowStatus.ARCHIVED
    session.add(last)
    session.flush()
    require_can_add(session, org.id, "workflows")


def test_screenshots_per_month_boundary_counts_this_month_only(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)
    limit = PLANS[SubscriptionTier.FREE].screenshots_per_month
    workflow = make_workflow(session, org, owner.user_id)
    last_month = plan_limits.month_start() - timedelta(seconds=1)
    make_screenshot(session, workflow, created_at=last_month)  # does not count
    for _ in range(limit - 2):
        make_screenshot(session, workflow)
    require_can_add(session, org.id, "screenshots", count=2)  # exactly to the limit
    with pytest.raises(
        LimitReached, match=f"allows {limit} screenshots a month; this organization has {limit - 2}"
    ):
        require_can_add(session, org.id, "screenshots", count=3)


def test_enterprise_is_unlimited(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    _set(session, org, SubscriptionTier.ENTERPRISE)
    for _ in range(PLANS[SubscriptionTier.FREE].workflows + 1):
        make_workflow(session, org, owner.user_id)
    require_can_add(session, org.id, "workflows", count=10_000)
    require_can_add(session, org.id, "members", count=10_000)


def test_upgrade_hint_names_the_next_plan_when_stripe_is_configured(session, monkeypatch):
    configure_stripe(monkeypatch)
    org = make_org(session)
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)
    owner = owner_actor(session, org)
    for _ in range(PLANS[SubscriptionTier.FREE].workflows):
        make_workflow(session, org, owner.user_id)
    with pytest.raises(LimitReached, match="An Owner can upgrade to Starter on the Billing page"):
        require_can_add(session, org.id, "workflows")


@pytest.mark.parametrize("status", [SubscriptionStatus.EXPIRED, SubscriptionStatus.CANCELED])
def test_ended_plan_can_read_and_export_but_not_upload_or_train(session, status):
    org = make_org(session)
    owner = owner_actor(session, org)
    member = add_member(session, org, Role.MEMBER)
    workflow = make_workflow(session, org, owner.user_id)
    make_screenshot(session, workflow)
    _set(session, org, SubscriptionTier.STARTER, status)
    with pytest.raises(LimitReached, match="can still be read and exported") as refused:
        require_active(session, org.id)
    assert "uploading and training need an active plan" in refused.value.message
    with pytest.raises(LimitReached):
        require_can_add(session, org.id, "screenshots")
    with pytest.raises(LimitReached):
        require_can_add(session, org.id, "workflows")
    # Reading goes on: members, the organization, its usage.
    assert len(members.list_members(session=session, actor=member)) == 2
    assert (
        organizations.organization_summary(session=session, actor=member)["subscription_status"]
        == status.value
    )
    assert usage(session, org.id)["rows"][1]["used"] == 1
    # And people can still be let in to read.
    members.invite_member(session=session, actor=owner, email="reader@example.com", role="VIEWER")


def test_trial_past_its_end_is_refused_before_the_daily_job_runs(session):
    org = make_org(session)
    org.trial_ends_at = utcnow() - timedelta(minutes=1)
    session.add(org)
    session.flush()
    assert org.subscription_status == SubscriptionStatus.TRIAL
    with pytest.raises(LimitReached, match="trial ended on"):
        require_active(session, org.id)


@pytest.mark.parametrize(
    "status", [SubscriptionStatus.TRIAL, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE]
)
def test_live_statuses_may_write(session, status):
    org = make_org(session)
    _set(session, org, SubscriptionTier.STARTER, status)
    assert require_active(session, org.id).id == org.id


def test_usage_reports_each_limit(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    add_member(session, org, Role.MEMBER)
    members.invite_member(session=session, actor=owner, email="pending@example.com")
    make_screenshot(session, make_workflow(session, org, owner.user_id))
    data = plan_limits.organization_usage(session=session, actor=owner)
    rows = {r["resource"]: r for r in data["rows"]}
    assert data["plan"] == "Professional trial" and data["status"] == "TRIAL"
    assert (rows["members"]["used"], rows["members"]["limit"], rows["members"]["at_limit"]) == (
        3,
        50,
        False,
    )
    _set(session, org, SubscriptionTier.FREE, SubscriptionStatus.ACTIVE)
    data = plan_limits.organization_usage(session=session, actor=owner)
    rows = {r["resource"]: r for r in data["rows"]}
    assert data["plan"] == "Free"
    assert (rows["members"]["used"], rows["members"]["limit"], rows["members"]["at_limit"]) == (
        3,
        3,
        True,
    )
    assert (rows["workflows"]["used"], rows["workflows"]["limit"]) == (1, 5)
    assert (rows["screenshots"]["used"], rows["screenshots"]["percent"]) == (1, 1)


def test_unknown_organization_is_not_found(session):
    from techledger.services.errors import NotFound

    with pytest.raises(NotFound):
        require_can_add(session, "nope", "members")


@pytest.mark.parametrize("role", list(Role))
def test_everyone_in_the_organization_sees_its_usage(session, role):
    from tests.factories import org_with_roles

    org, actors = org_with_roles(session)
    data = plan_limits.organization_usage(session=session, actor=actors[role])
    assert data["rows"][0]["used"] == 4  # one per role


def test_a_free_trial_has_the_trial_plans_limits(session):
    org = make_org(session)  # TRIAL on the Free tier
    owner = owner_actor(session, org)
    trial = PLANS[plan_limits.TRIAL_PLAN]
    for i in range(trial.members - 1):
        session.add(
            Invitation(
                organization_id=org.id,
                email=f"t{i}@example.com",
                token_hash=f"{i:064d}",
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    session.flush()
    with pytest.raises(
        LimitReached, match=f"The Professional trial allows {trial.members} members"
    ):
        members.invite_member(session=session, actor=owner, email="late@example.com")
    _set(session, org, SubscriptionTier.STARTER, SubscriptionStatus.TRIAL)  # a Stripe trial
    assert plan_limits.plan_label(org) == "Starter plan"

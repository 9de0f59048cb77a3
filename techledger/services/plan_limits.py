"""What each plan allows, and the checks that enforce it.

One table (``PLANS``) holds every limit. Services call:

- ``require_can_add(session, organization_id, "members")`` before inviting or admitting
  someone (wired into ``services/members.py``);
- ``require_can_add(session, organization_id, "workflows")`` in the service that creates a
  workflow (it also requires an active plan);
- ``require_can_add(session, organization_id, "screenshots", count=n)`` in the upload
  service, before storing ``n`` screenshots (it also requires an active plan);
- ``require_active(session, organization_id)`` in every other write that needs a paid or
  trial plan: training (answering questions, editing patterns) and re-running analysis.
  Reading and exporting never call it: an EXPIRED or CANCELED organization keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session, func, select

from techledger.enums import SubscriptionStatus, SubscriptionTier, WorkflowStatus
from techledger.models import Invitation, Organization, OrganizationMember, Screenshot, Workflow
from techledger.models.base import utcnow
from techledger.services.actor import Actor
from techledger.services.errors import LimitReached, not_found
from techledger.services.permissions import Permission
from techledger.settings import get_settings

Resource = Literal["members", "workflows", "screenshots"]


@dataclass(frozen=True)
class Plan:
    """A tier's limits (None: unlimited) and list price in US dollars per month."""

    tier: SubscriptionTier
    name: str
    members: int | None
    workflows: int | None
    screenshots_per_month: int | None
    monthly_price_usd: int

    def limit(self, resource: Resource) -> int | None:
        return {
            "members": self.members,
            "workflows": self.workflows,
            "screenshots": self.screenshots_per_month,
        }[resource]


PLANS: dict[SubscriptionTier, Plan] = {
    SubscriptionTier.FREE: Plan(SubscriptionTier.FREE, "Free", 3, 5, 100, 0),
    SubscriptionTier.STARTER: Plan(SubscriptionTier.STARTER, "Starter", 10, 25, 1_000, 49),
    SubscriptionTier.PROFESSIONAL: Plan(
        SubscriptionTier.PROFESSIONAL, "Professional", 50, 200, 10_000, 199
    ),
    SubscriptionTier.ENTERPRISE: Plan(
        SubscriptionTier.ENTERPRISE, "Enterprise", None, None, None, 799
    ),
}

# A trial on the Free tier tries the product with this plan's limits; when the trial ends
# without a purchase, the organization is EXPIRED (read and export only) on Free's limits.
TRIAL_PLAN = SubscriptionTier.PROFESSIONAL

# Statuses in which an organization may upload and train.
ACTIVE_STATUSES = {SubscriptionStatus.TRIAL, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE}

_NOUNS = {
    "members": "members",
    "workflows": "active workflows",
    "screenshots": "screenshots a month",
}


def _organization(session: Session, organization_id: str) -> Organization:
    org = session.get(Organization, organization_id)
    if org is None:
        raise not_found("Organization")
    return org


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of the current calendar month (UTC): screenshots count from there."""
    now = now or utcnow()
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def count_used(
    session: Session,
    organization_id: str,
    resource: Resource,
    *,
    count_invitations: bool = True,
) -> int:
    """How much of ``resource`` the organization uses now.

    Members count with the invitations still open (each one may become a member);
    workflows count unless archived; screenshots count from the first of the month.
    """
    if resource == "members":
        members = session.exec(
            select(func.count())
            .select_from(OrganizationMember)
            .where(OrganizationMember.organization_id == organization_id)
        ).one()
        return members + (_open_invitations(session, organization_id) if count_invitations else 0)
    if resource == "workflows":
        return session.exec(
            select(func.count())
            .select_from(Workflow)
            .where(
                Workflow.organization_id == organization_id,
                Workflow.status != WorkflowStatus.ARCHIVED,
            )
        ).one()
    if resource == "screenshots":
        return session.exec(
            select(func.count())
            .select_from(Screenshot)
            .join(Workflow, Workflow.id == Screenshot.workflow_id)
            .where(
                Workflow.organization_id == organization_id,
                Screenshot.created_at >= month_start(),
            )
        ).one()
    raise ValueError(f"unknown plan resource {resource!r}")


def _open_invitations(session: Session, organization_id: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.organization_id == organization_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    ).one()


def _on_free_trial(org: Organization) -> bool:
    return (
        SubscriptionStatus(org.subscription_status) == SubscriptionStatus.TRIAL
        and SubscriptionTier(org.subscription_tier) == SubscriptionTier.FREE
    )


def plan_in_force(org: Organization) -> Plan:
    """The plan whose limits apply now: the tier's, or ``TRIAL_PLAN``'s during a free trial."""
    return (
        PLANS[TRIAL_PLAN] if _on_free_trial(org) else PLANS[SubscriptionTier(org.subscription_tier)]
    )


def plan_label(org: Organization) -> str:
    """How the plan in force is named to people: "Starter plan", "Professional trial"."""
    plan = plan_in_force(org)
    return f"{plan.name} trial" if _on_free_trial(org) else f"{plan.name} plan"


def _how_to_upgrade(tier: SubscriptionTier) -> str:
    if not get_settings().stripe_enabled:
        return (
            "Billing is not configured on this installation; ask its administrator to raise "
            "the plan (techledger billing set-plan)."
        )
    order = list(PLANS)
    higher = order[order.index(tier) + 1 :] if tier in order else []
    if not higher:
        return "Contact support to raise it."
    return f"An Owner can upgrade to {PLANS[higher[0]].name} on the Billing page."


def require_active(session: Session, organization_id: str) -> Organization:
    """Refuse writes that need a live plan (upload, train) once the trial or plan has ended.

    An EXPIRED or CANCELED organization, or a trial past its end even before the daily job
    marks it EXPIRED, can still read and export everything.
    """
    org = _organization(session, organization_id)
    status = SubscriptionStatus(org.subscription_status)
    trial_end = _aware(org.trial_ends_at)
    trial_over = (
        status == SubscriptionStatus.TRIAL and trial_end is not None and trial_end <= utcnow()
    )
    if status in ACTIVE_STATUSES and not trial_over:
        return org
    if trial_over or (status == SubscriptionStatus.EXPIRED and trial_end is not None):
        why = f"This organization's trial ended on {trial_end:%Y-%m-%d}"
    elif status == SubscriptionStatus.CANCELED:
        why = "This organization's subscription was canceled"
    else:
        why = "This organization's plan has expired"
    how = (
        "An Owner can choose a plan on the Billing page."
        if get_settings().stripe_enabled
        else "Billing is not configured on this installation; ask its administrator to "
        "reactivate the plan (techledger billing set-plan)."
    )
    raise LimitReached(
        f"{why}: everything can still be read and exported, but uploading and training "
        f"need an active plan. {how}"
    )


def require_can_add(
    session: Session,
    organization_id: str,
    resource: Resource,
    *,
    count: int = 1,
    count_invitations: bool = True,
) -> None:
    """Refuse adding ``count`` more of ``resource`` beyond the plan's limit, saying how to upgrade.

    Workflows and screenshots also need an active plan (``require_active``); members do not
    (an expired organization may still let people in to read). Open invitations hold a seat
    when inviting; accepting one checks the members alone (``count_invitations=False``).
    """
    org = _organization(session, organization_id)
    if resource in ("workflows", "screenshots"):
        require_active(session, organization_id)
    plan = plan_in_force(org)
    limit = plan.limit(resource)
    if limit is None:
        return
    used = count_used(session, organization_id, resource, count_invitations=count_invitations)
    if used + count <= limit:
        return
    noun = _NOUNS[resource]
    counted = " (open invitations included)" if resource == "members" and count_invitations else ""
    raise LimitReached(
        f"The {plan_label(org)} allows {limit} {noun}; this organization has {used}{counted}. "
        f"{_how_to_upgrade(plan.tier)}"
    )


def usage(session: Session, organization_id: str) -> dict:
    """Each limited resource with its use and limit (None: unlimited), for the settings page."""
    org = _organization(session, organization_id)
    plan = plan_in_force(org)
    rows = []
    for resource, label in (
        ("members", "Members"),
        ("workflows", "Active workflows"),
        ("screenshots", "Screenshots this month"),
    ):
        used = count_used(session, organization_id, resource)
        limit = plan.limit(resource)
        rows.append(
            {
                "resource": resource,
                "label": label,
                "used": used,
                "limit": limit,
                "percent": min(100, round(100 * used / limit)) if limit else 0,
                "at_limit": limit is not None and used >= limit,
            }
        )
    return {
        "tier": SubscriptionTier(org.subscription_tier).value,
        "plan": plan_label(org).removesuffix(" plan"),
        "status": SubscriptionStatus(org.subscription_status).value,
        "rows": rows,
    }


def organization_usage(*, session: Session, actor: Actor) -> dict:
    """The actor's organization's usage (anyone in it may see it)."""
    actor.require(Permission.READ)
    return usage(session, actor.organization_id)

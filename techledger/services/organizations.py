"""Creating, listing, switching, configuring and deleting organizations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from techledger.enums import Role, SubscriptionStatus, SubscriptionTier
from techledger.models import Organization, OrganizationMember
from techledger.models.base import utcnow
from techledger.services import accounts, audit
from techledger.services.actor import Actor, actor_for, get_organization
from techledger.services.errors import Conflict, InvalidInput
from techledger.services.permissions import Permission
from techledger.services.validation import clean_org_name, clean_slug, slugify
from techledger.settings import get_settings


def _slug_taken(session: Session, slug: str) -> bool:
    return (
        session.exec(select(Organization.id).where(Organization.slug == slug)).first() is not None
    )


def _free_slug(session: Session, base: str) -> str:
    slug, n = base, 1
    while _slug_taken(session, slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: 50 - len(suffix)].rstrip("-") + suffix
    return slug


def create_organization(
    *, session: Session, user_id: str, name: str, slug: str | None = None
) -> Organization:
    """A new organization on its trial, with its creator as OWNER."""
    name = clean_org_name(name)
    if slug and slug.strip():
        slug = clean_slug(slug)
        if _slug_taken(session, slug):
            raise Conflict(f"The URL name '{slug}' is taken; choose another.", field="slug")
    else:
        slug = _free_slug(session, slugify(name))
    org = Organization(
        name=name,
        slug=slug,
        subscription_status=SubscriptionStatus.TRIAL,
        subscription_tier=SubscriptionTier.FREE,
        trial_ends_at=utcnow() + timedelta(days=get_settings().trial_days),
    )
    try:
        with session.begin_nested():
            session.add(org)
            session.flush()
            session.add(
                OrganizationMember(user_id=user_id, organization_id=org.id, role=Role.OWNER)
            )
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"The URL name '{slug}' is taken; choose another.", field="slug") from exc
    audit.record(
        session=session,
        action="organization.created",
        organization_id=org.id,
        actor_id=user_id,
        target_type="organization",
        target_id=org.id,
    )
    return org


def list_organizations(*, session: Session, user_id: str) -> list[dict]:
    """The organizations a person belongs to, with their role in each."""
    rows = session.exec(
        select(Organization, OrganizationMember.role)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(OrganizationMember.user_id == user_id)
        .order_by(Organization.name)
    ).all()
    return [
        {"id": org.id, "name": org.name, "slug": org.slug, "role": Role(role).value}
        for org, role in rows
    ]


def switch_organization(*, session: Session, token: str, organization_id: str) -> Actor:
    """Make ``organization_id`` the session's current one (members only)."""
    who = accounts.signed_in(session=session, token=token)
    actor = actor_for(session=session, user_id=who.user_id, organization_id=organization_id)
    accounts.set_current_organization(session=session, token=token, organization_id=organization_id)
    return actor


def current_actor(*, session: Session, token: str | None) -> Actor | None:
    """The actor of a login session in its current organization, if it has one."""
    who = accounts.signed_in(session=session, token=token)
    if who.organization_id is None:
        return None
    member = session.exec(
        select(OrganizationMember).where(
            OrganizationMember.user_id == who.user_id,
            OrganizationMember.organization_id == who.organization_id,
        )
    ).first()
    if member is None:  # removed from it since: fall back to none
        return None
    return Actor(user_id=who.user_id, organization_id=who.organization_id, role=Role(member.role))


def organization_summary(*, session: Session, actor: Actor) -> dict:
    """The organization as its settings page shows it."""
    actor.require(Permission.READ)
    org = get_organization(session=session, actor=actor)
    members = session.exec(
        select(func.count())
        .select_from(OrganizationMember)
        .where(OrganizationMember.organization_id == org.id)
    ).one()
    return {
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "subscription_status": org.subscription_status.value,
        "subscription_tier": org.subscription_tier.value,
        "trial_ends_at": org.trial_ends_at.isoformat() if org.trial_ends_at else "",
        "require_independent_review": org.require_independent_review,
        "member_count": members,
        "role": actor.role.value,
    }


def update_organization(
    *,
    session: Session,
    actor: Actor,
    name: str | None = None,
    require_independent_review: bool | None = None,
) -> Organization:
    """Rename the organization or change its review rule (OWNER, ADMIN)."""
    actor.require(Permission.MANAGE_SETTINGS)
    org = get_organization(session=session, actor=actor)
    if name is not None:
        org.name = clean_org_name(name)
    if require_independent_review is not None:
        org.require_independent_review = bool(require_independent_review)
    session.add(org)
    session.flush()
    audit.record(
        session=session,
        action="organization.updated",
        organization_id=org.id,
        actor_id=actor.user_id,
        target_type="organization",
        target_id=org.id,
    )
    return org


def delete_organization(*, session: Session, actor: Actor, confirm_slug: str) -> None:
    """Delete the organization and everything in it (OWNER; the slug must be typed)."""
    actor.require(Permission.DELETE_ORGANIZATION)
    org = get_organization(session=session, actor=actor)
    if (confirm_slug or "").strip() != org.slug:
        raise InvalidInput(
            f"Type the organization's URL name '{org.slug}' to confirm.", field="confirm"
        )
    audit.record(
        session=session,
        action="organization.deleted",
        actor_id=actor.user_id,
        target_type="organization",
        target_id=org.id,
        details={"name": org.name, "slug": org.slug},
    )
    session.delete(org)
    session.flush()

"""Who is acting, in which organization, with which role: resolved fresh on every call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from techledger.enums import Role
from techledger.models import Organization, OrganizationMember, User
from techledger.services.errors import NotFound, PermissionDenied, not_found
from techledger.services.permissions import Permission, can, refusal


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting inside one organization."""

    user_id: str
    organization_id: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def require(self, permission: Permission) -> None:
        """Refuse with a clear message unless the role holds ``permission``."""
        if not can(self.role, permission):
            raise PermissionDenied(refusal(self.role, permission))


def actor_for(*, session: Session, user_id: str, organization_id: str) -> Actor:
    """The actor for a user in an organization, or "not found" if not a member."""
    member = session.exec(
        select(OrganizationMember).where(
            OrganizationMember.user_id == user_id,
            OrganizationMember.organization_id == organization_id,
        )
    ).first()
    if member is None:
        raise not_found("Organization")
    return Actor(user_id=user_id, organization_id=organization_id, role=Role(member.role))


def get_organization(*, session: Session, actor: Actor) -> Organization:
    """The actor's organization row."""
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise NotFound("Organization not found.")
    return org


def get_user(*, session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("User")
    return user

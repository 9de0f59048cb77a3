"""Members of an organization: invitations by email, roles, removal."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlmodel import Session, func, select

from techledger.enums import Role
from techledger.models import Invitation, Organization, OrganizationMember, User
from techledger.models.base import utcnow
from techledger.services import audit, plan_limits
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, not_found
from techledger.services.permissions import Permission
from techledger.services.tokens import new_token, token_hash
from techledger.services.validation import clean_email

INVITATION_DAYS = 7


def _role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"Unknown role '{value}'; choose Owner, Admin, Member or Viewer.", field="role"
        ) from None


def _owner_count(session: Session, organization_id: str) -> int:
    return session.exec(
        select(func.count())
        .select_from(OrganizationMember)
        .where(
            OrganizationMember.organization_id == organization_id,
            OrganizationMember.role == Role.OWNER,
        )
    ).one()


def list_members(*, session: Session, actor: Actor) -> list[dict]:
    """Everyone in the actor's organization, owners first."""
    actor.require(Permission.READ)
    rows = session.exec(
        select(OrganizationMember, User)
        .join(User, User.id == OrganizationMember.user_id)
        .where(OrganizationMember.organization_id == actor.organization_id)
        .order_by(User.email)
    ).all()
    order = {Role.OWNER: 0, Role.ADMIN: 1, Role.MEMBER: 2, Role.VIEWER: 3}
    members = [
        {
            "id": member.id,
            "user_id": user.id,
            "email": user.email,
            "name": user.name or "",
            "role": Role(member.role).value,
            "is_me": user.id == actor.user_id,
            "joined": member.created_at.date().isoformat(),
        }
        for member, user in rows
    ]
    return sorted(members, key=lambda m: (order[Role(m["role"])], m["email"]))


def list_invitations(*, session: Session, actor: Actor) -> list[dict]:
    """Invitations not yet accepted, revoked or expired."""
    actor.require(Permission.MANAGE_MEMBERS)
    now = utcnow()
    rows = session.exec(
        select(Invitation)
        .where(
            Invitation.organization_id == actor.organization_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
    return [
        {
            "id": inv.id,
            "email": inv.email,
            "role": Role(inv.role).value,
            "expires": inv.expires_at.date().isoformat(),
        }
        for inv in rows
        if _aware(inv.expires_at) > now
    ]


def _aware(moment):  # noqa: ANN001, ANN202
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def invite_member(
    *, session: Session, actor: Actor, email: str, role: str | Role = Role.MEMBER
) -> tuple[Invitation, str]:
    """Invite someone by email with a role; returns the invitation and its secret link token."""
    actor.require(Permission.MANAGE_MEMBERS)
    email = clean_email(email)
    role = _role(role)
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise PermissionDenied("Only an Owner can invite another Owner.", field="role")
    already = session.exec(
        select(OrganizationMember.id)
        .join(User, User.id == OrganizationMember.user_id)
        .where(OrganizationMember.organization_id == actor.organization_id, User.email == email)
    ).first()
    if already:
        raise Conflict(f"{email} is already a member of this organization.", field="email")
    for old in session.exec(
        select(Invitation).where(
            Invitation.organization_id == actor.organization_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).all():
        old.revoked_at = utcnow()
        session.add(old)
    plan_limits.require_can_add(session, actor.organization_id, "members")
    token = new_token()
    invitation = Invitation(
        organization_id=actor.organization_id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor.user_id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session=session,
        action="member.invited",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": email, "role": role.value},
    )
    return invitation, token


def describe_invitation(*, session: Session, token: str) -> dict:
    """What an invitation link offers, for the page that accepts it."""
    invitation = _invitation(session, token)
    org = session.get(Organization, invitation.organization_id)
    return {
        "organization": org.name if org else "",
        "email": invitation.email,
        "role": Role(invitation.role).value,
    }


def _invitation(session: Session, token: str) -> Invitation:
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == token_hash(token or ""))
    ).first()
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("This invitation link is not valid; ask for a new one.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used.")
    if _aware(invitation.expires_at) <= utcnow():
        raise Conflict("This invitation has expired; ask for a new one.")
    return invitation


def accept_invitation(*, session: Session, user_id: str, token: str) -> str:
    """Join the inviting organization; the invitation must name this person's email."""
    invitation = _invitation(session, token)
    user = session.get(User, user_id)
    if user is None:
        raise not_found("User")
    if user.email != invitation.email:
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}; log in with that address to accept it."
        )
    exists = session.exec(
        select(OrganizationMember).where(
            OrganizationMember.user_id == user_id,
            OrganizationMember.organization_id == invitation.organization_id,
        )
    ).first()
    if exists is None:
        plan_limits.require_can_add(
            session, invitation.organization_id, "members", count_invitations=False
        )
        session.add(
            OrganizationMember(
                user_id=user_id, organization_id=invitation.organization_id, role=invitation.role
            )
        )
    invitation.accepted_at = utcnow()
    invitation.accepted_by = user_id
    session.add(invitation)
    session.flush()
    audit.record(
        session=session,
        action="member.joined",
        organization_id=invitation.organization_id,
        actor_id=user_id,
        target_type="invitation",
        target_id=invitation.id,
    )
    return invitation.organization_id


def revoke_invitation(*, session: Session, actor: Actor, invitation_id: str) -> None:
    """Withdraw an invitation that was not accepted yet."""
    actor.require(Permission.MANAGE_MEMBERS)
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organization_id != actor.organization_id:
        raise not_found("Invitation")
    invitation.revoked_at = utcnow()
    session.add(invitation)
    session.flush()


def _member(session: Session, actor: Actor, member_id: str) -> OrganizationMember:
    member = session.get(OrganizationMember, member_id)
    if member is None or member.organization_id != actor.organization_id:
        raise not_found("Member")
    return member


def change_role(*, session: Session, actor: Actor, member_id: str, role: str | Role) -> None:
    """Give a member another role; Owners are made and unmade only by Owners."""
    actor.require(Permission.MANAGE_MEMBERS)
    role = _role(role)
    member = _member(session, actor, member_id)
    current = Role(member.role)
    if (role == Role.OWNER or current == Role.OWNER) and actor.role != Role.OWNER:
        raise PermissionDenied("Only an Owner can make or unmake an Owner.", field="role")
    if (
        current == Role.OWNER
        and role != Role.OWNER
        and _owner_count(session, member.organization_id) <= 1
    ):
        raise Conflict(
            "The organization's last Owner cannot be demoted; make someone else Owner first."
        )
    member.role = role
    session.add(member)
    session.flush()
    audit.record(
        session=session,
        action="member.role_changed",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="member",
        target_id=member.id,
        details={"from": current.value, "to": role.value},
    )


def remove_member(*, session: Session, actor: Actor, member_id: str) -> None:
    """Remove a member (or leave oneself); the last Owner stays."""
    member = _member(session, actor, member_id)
    leaving = member.user_id == actor.user_id
    if not leaving:
        actor.require(Permission.MANAGE_MEMBERS)
    if Role(member.role) == Role.OWNER:
        if not leaving and actor.role != Role.OWNER:
            raise PermissionDenied("Only an Owner can remove an Owner.")
        if _owner_count(session, member.organization_id) <= 1:
            raise Conflict(
                "The organization's last Owner cannot be removed; make someone else Owner first."
            )
    session.delete(member)
    session.flush()
    audit.record(
        session=session,
        action="member.removed",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="member",
        target_id=member.id,
        details={"user_id": member.user_id},
    )

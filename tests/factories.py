"""Small builders of rows for tests, through the real services."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from techledger.enums import Role
from techledger.models import Organization, OrganizationMember, User
from techledger.services import accounts, organizations
from techledger.services.actor import Actor

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(session: Session, email: str | None = None, name: str | None = "Test User") -> User:
    """A person with the password ``PASSWORD``."""
    email = email or f"user{next(_seq)}@example.com"
    return accounts.sign_up(session=session, email=email, password=PASSWORD, name=name)


def make_org(session: Session, owner: User | None = None, name: str | None = None) -> Organization:
    """An organization owned by ``owner`` (a new user if none)."""
    owner = owner or make_user(session)
    return organizations.create_organization(
        session=session, user_id=owner.id, name=name or f"Org {next(_seq)}"
    )


def add_member(session: Session, org: Organization, role: Role, user: User | None = None) -> Actor:
    """A user with ``role`` in ``org``, as an actor."""
    user = user or make_user(session)
    session.add(OrganizationMember(user_id=user.id, organization_id=org.id, role=role))
    session.flush()
    return Actor(user_id=user.id, organization_id=org.id, role=role)


def owner_actor(session: Session, org: Organization) -> Actor:
    """The actor of ``org``'s first owner."""
    from sqlmodel import select

    member = session.exec(
        select(OrganizationMember).where(
            OrganizationMember.organization_id == org.id, OrganizationMember.role == Role.OWNER
        )
    ).first()
    assert member is not None
    return Actor(user_id=member.user_id, organization_id=org.id, role=Role.OWNER)


def org_with_roles(session: Session) -> tuple[Organization, dict[Role, Actor]]:
    """An organization with one actor per role."""
    org = make_org(session)
    actors = {Role.OWNER: owner_actor(session, org)}
    for role in (Role.ADMIN, Role.MEMBER, Role.VIEWER):
        actors[role] = add_member(session, org, role)
    return org, actors

"""Adversarial tenancy and the role matrix for the foundation's services: every role x every
action, and another organization's ids are "not found"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from techledger.enums import Role
from techledger.models import OrganizationMember
from techledger.services import members, organizations, overview
from techledger.services.actor import Actor
from techledger.services.errors import NotFound, PermissionDenied
from techledger.services.permissions import RIGHTS, Permission, can
from tests.factories import make_user, org_with_roles

ROLES = [Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER]


def _target_member(session, org_id: str, role: Role) -> str:  # noqa: ANN001
    user = make_user(session)
    row = OrganizationMember(user_id=user.id, organization_id=org_id, role=role)
    session.add(row)
    session.flush()
    return row.id


# action name -> (callable(session, actor, org) , roles allowed)
ACTIONS: dict[str, tuple[Callable, set[Role]]] = {
    "list members": (lambda s, a, o: members.list_members(session=s, actor=a), set(ROLES)),
    "overview": (lambda s, a, o: overview.organization_overview(session=s, actor=a), set(ROLES)),
    "settings summary": (
        lambda s, a, o: organizations.organization_summary(session=s, actor=a),
        set(ROLES),
    ),
    "list invitations": (
        lambda s, a, o: members.list_invitations(session=s, actor=a),
        {Role.OWNER, Role.ADMIN},
    ),
    "invite member": (
        lambda s, a, o: members.invite_member(session=s, actor=a, email="n@example.com"),
        {Role.OWNER, Role.ADMIN},
    ),
    "change a member's role": (
        lambda s, a, o: members.change_role(
            session=s, actor=a, member_id=_target_member(s, o.id, Role.MEMBER), role="VIEWER"
        ),
        {Role.OWNER, Role.ADMIN},
    ),
    "remove a member": (
        lambda s, a, o: members.remove_member(
            session=s, actor=a, member_id=_target_member(s, o.id, Role.VIEWER)
        ),
        {Role.OWNER, Role.ADMIN},
    ),
    "rename organization": (
        lambda s, a, o: organizations.update_organization(session=s, actor=a, name="Renamed"),
        {Role.OWNER, Role.ADMIN},
    ),
    "delete organization": (
        lambda s, a, o: organizations.delete_organization(session=s, actor=a, confirm_slug=o.slug),
        {Role.OWNER},
    ),
}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_matrix(session, action, role):
    org, actors = org_with_roles(session)
    run, allowed = ACTIONS[action]
    if role in allowed:
        run(session, actors[role], org)
    else:
        with pytest.raises(PermissionDenied) as refused:
            run(session, actors[role], org)
        assert "Your role" in refused.value.message


def test_rights_table_is_nested():
    assert RIGHTS[Role.VIEWER] < RIGHTS[Role.MEMBER] < RIGHTS[Role.ADMIN] < RIGHTS[Role.OWNER]
    assert can(Role.OWNER, Permission.MANAGE_BILLING) and not can(
        Role.ADMIN, Permission.MANAGE_BILLING
    )
    assert not can(Role.MEMBER, Permission.PUBLISH) and can(Role.ADMIN, Permission.PUBLISH)
    assert not can(Role.VIEWER, Permission.TRAIN)


def test_other_organizations_ids_are_not_found(session):
    org_a, actors_a = org_with_roles(session)
    org_b, actors_b = org_with_roles(session)
    owner_b = actors_b[Role.OWNER]
    victim = session.exec(
        select(OrganizationMember).where(
            OrganizationMember.organization_id == org_a.id,
            OrganizationMember.role == Role.MEMBER,
        )
    ).one()
    invitation, _ = members.invite_member(
        session=session, actor=actors_a[Role.OWNER], email="victim@example.com"
    )
    with pytest.raises(NotFound):
        members.change_role(session=session, actor=owner_b, member_id=victim.id, role="VIEWER")
    with pytest.raises(NotFound):
        members.remove_member(session=session, actor=owner_b, member_id=victim.id)
    with pytest.raises(NotFound):
        members.revoke_invitation(session=session, actor=owner_b, invitation_id=invitation.id)
    # A forged actor claiming org A with a user of org B is refused at resolution.
    from techledger.services.actor import actor_for

    with pytest.raises(NotFound):
        actor_for(session=session, user_id=owner_b.user_id, organization_id=org_a.id)
    # Nothing of org A is listed for org B.
    emails_b = {m["email"] for m in members.list_members(session=session, actor=owner_b)}
    emails_a = {
        m["email"] for m in members.list_members(session=session, actor=actors_a[Role.OWNER])
    }
    assert not emails_a & emails_b


def test_actor_role_is_read_from_the_database_each_time(session):
    """A demoted person loses rights at once: roles come from the DB, not the client."""
    org, actors = org_with_roles(session)
    admin = actors[Role.ADMIN]
    row = session.exec(
        select(OrganizationMember).where(OrganizationMember.user_id == admin.user_id)
    ).one()
    members.change_role(session=session, actor=actors[Role.OWNER], member_id=row.id, role="VIEWER")
    from techledger.services.actor import actor_for

    fresh: Actor = actor_for(session=session, user_id=admin.user_id, organization_id=org.id)
    with pytest.raises(PermissionDenied):
        members.invite_member(session=session, actor=fresh, email="z@example.com")

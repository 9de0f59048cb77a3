from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from techledger.enums import Role, SubscriptionStatus, SubscriptionTier
from techledger.models import Invitation, Organization, OrganizationMember
from techledger.models.base import utcnow
from techledger.services import accounts, members, organizations
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import add_member, make_org, make_user, owner_actor


def test_creator_is_owner_on_a_trial(session):
    user = make_user(session)
    org = organizations.create_organization(session=session, user_id=user.id, name="Acme Corp")
    assert org.slug == "acme-corp"
    assert org.subscription_status == SubscriptionStatus.TRIAL
    assert org.subscription_tier == SubscriptionTier.FREE
    trial_end = (
        org.trial_ends_at if org.trial_ends_at.tzinfo else org.trial_ends_at.replace(tzinfo=UTC)
    )
    assert timedelta(days=13) < trial_end - datetime.now(UTC) <= timedelta(days=14)
    member = session.exec(
        select(OrganizationMember).where(OrganizationMember.organization_id == org.id)
    ).one()
    assert member.role == Role.OWNER and member.user_id == user.id


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("ab", "3 to 50"),
        ("a" * 51, "3 to 50"),
        ("Acme", "lowercase"),
        ("acme corp", "lowercase"),
        ("acme--corp", "lowercase"),
        ("-acme", "lowercase"),
        ("acme'; DROP TABLE organization;--", "lowercase"),
        ("<script>x</script>", "lowercase"),
    ],
)
def test_slug_rules(session, slug, message):
    user = make_user(session)
    with pytest.raises(InvalidInput, match=message):
        organizations.create_organization(session=session, user_id=user.id, name="Acme", slug=slug)


def test_slug_boundaries_and_taken(session):
    user = make_user(session)
    assert organizations.create_organization(session=session, user_id=user.id, name="A", slug="abc")
    assert organizations.create_organization(
        session=session, user_id=user.id, name="B", slug="b" * 50
    )
    with pytest.raises(Conflict, match="taken"):
        organizations.create_organization(session=session, user_id=user.id, name="C", slug="abc")
    # Without a slug, a free one is derived from the name.
    again = organizations.create_organization(session=session, user_id=user.id, name="abc")
    assert again.slug == "abc-2"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_org_name_rules(session, name):
    user = make_user(session)
    with pytest.raises(InvalidInput):
        organizations.create_organization(session=session, user_id=user.id, name=name)


def test_html_sql_and_unicode_names_are_stored_verbatim(session):
    user = make_user(session)
    for name in [
        "<img src=x onerror=alert(1)>",
        "Robert'); DROP TABLE user;--",
        "株式会社 Ünïcødé",
    ]:
        org = organizations.create_organization(session=session, user_id=user.id, name=name)
        assert session.get(Organization, org.id).name == name
        assert len(org.slug) >= 3


def test_switching_requires_membership(session):
    user = make_user(session)
    make_user(session, email="stranger@example.com")
    mine = organizations.create_organization(session=session, user_id=user.id, name="Mine")
    theirs = make_org(session, name="Theirs")
    signed = accounts.open_session(session=session, user_id=user.id)
    assert organizations.switch_organization(
        session=session, token=signed.token, organization_id=mine.id
    )
    with pytest.raises(NotFound):
        organizations.switch_organization(
            session=session, token=signed.token, organization_id=theirs.id
        )
    assert [
        o["name"] for o in organizations.list_organizations(session=session, user_id=user.id)
    ] == ["Mine"]


# ------------------------------------------------------------------------- invitations


def test_invitation_accept_flow(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    invitation, token = members.invite_member(
        session=session, actor=owner, email="New@Example.com", role="ADMIN"
    )
    assert invitation.email == "new@example.com" and token not in invitation.token_hash
    user = make_user(session, email="new@example.com")
    assert members.describe_invitation(session=session, token=token)["role"] == "ADMIN"
    assert members.accept_invitation(session=session, user_id=user.id, token=token) == org.id
    roles = {m["email"]: m["role"] for m in members.list_members(session=session, actor=owner)}
    assert roles["new@example.com"] == "ADMIN"
    with pytest.raises(Conflict, match="already been used"):
        members.accept_invitation(session=session, user_id=user.id, token=token)


def test_invitation_for_another_email_is_refused(session):
    org = make_org(session)
    _, token = members.invite_member(
        session=session, actor=owner_actor(session, org), email="a@example.com"
    )
    other = make_user(session, email="b@example.com")
    with pytest.raises(PermissionDenied, match="sent to a@example.com"):
        members.accept_invitation(session=session, user_id=other.id, token=token)


def test_expired_revoked_and_forged_invitations(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    user = make_user(session, email="late@example.com")
    invitation, token = members.invite_member(
        session=session, actor=owner, email="late@example.com"
    )
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.add(invitation)
    session.flush()
    with pytest.raises(Conflict, match="expired"):
        members.accept_invitation(session=session, user_id=user.id, token=token)
    inv2, token2 = members.invite_member(session=session, actor=owner, email="late@example.com")
    members.revoke_invitation(session=session, actor=owner, invitation_id=inv2.id)
    with pytest.raises(NotFound):
        members.accept_invitation(session=session, user_id=user.id, token=token2)
    with pytest.raises(NotFound):
        members.accept_invitation(session=session, user_id=user.id, token="forged")


def test_reinviting_replaces_the_pending_invitation(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    members.invite_member(session=session, actor=owner, email="x@example.com")
    members.invite_member(session=session, actor=owner, email="x@example.com", role="VIEWER")
    pending = members.list_invitations(session=session, actor=owner)
    assert [(p["email"], p["role"]) for p in pending] == [("x@example.com", "VIEWER")]


def test_inviting_an_existing_member_is_refused(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    add_member(session, org, Role.MEMBER, make_user(session, email="in@example.com"))
    with pytest.raises(Conflict, match="already a member"):
        members.invite_member(session=session, actor=owner, email="in@example.com")


# ------------------------------------------------------------------------- last owner


def test_last_owner_cannot_be_demoted_or_removed(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    me = session.exec(
        select(OrganizationMember).where(OrganizationMember.user_id == owner.user_id)
    ).one()
    with pytest.raises(Conflict, match="last Owner"):
        members.change_role(session=session, actor=owner, member_id=me.id, role="ADMIN")
    with pytest.raises(Conflict, match="last Owner"):
        members.remove_member(session=session, actor=owner, member_id=me.id)
    second = add_member(session, org, Role.OWNER)
    members.change_role(session=session, actor=owner, member_id=me.id, role="ADMIN")
    assert members.list_members(session=session, actor=second)[0]["role"] == "OWNER"


def test_admin_cannot_touch_owners_or_grant_ownership(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    admin = add_member(session, org, Role.ADMIN)
    member = add_member(session, org, Role.MEMBER)
    ids = {m["user_id"]: m["id"] for m in members.list_members(session=session, actor=owner)}
    with pytest.raises(PermissionDenied):
        members.change_role(
            session=session, actor=admin, member_id=ids[owner.user_id], role="MEMBER"
        )
    with pytest.raises(PermissionDenied):
        members.change_role(
            session=session, actor=admin, member_id=ids[member.user_id], role="OWNER"
        )
    with pytest.raises(PermissionDenied):
        members.remove_member(session=session, actor=admin, member_id=ids[owner.user_id])
    with pytest.raises(PermissionDenied):
        members.invite_member(session=session, actor=admin, email="o@example.com", role="OWNER")
    members.change_role(session=session, actor=admin, member_id=ids[member.user_id], role="VIEWER")


def test_unknown_role_is_refused(session):
    org = make_org(session)
    with pytest.raises(InvalidInput, match="Unknown role"):
        members.invite_member(
            session=session, actor=owner_actor(session, org), email="r@example.com", role="GOD"
        )


def test_member_can_leave(session):
    org = make_org(session)
    member = add_member(session, org, Role.VIEWER)
    mine = next(m for m in members.list_members(session=session, actor=member) if m["is_me"])
    members.remove_member(session=session, actor=member, member_id=mine["id"])
    assert len(members.list_members(session=session, actor=owner_actor(session, org))) == 1


def test_delete_organization_needs_typed_slug(session):
    org = make_org(session)
    owner = owner_actor(session, org)
    with pytest.raises(InvalidInput, match="Type the organization's URL name"):
        organizations.delete_organization(session=session, actor=owner, confirm_slug="nope")
    organizations.delete_organization(session=session, actor=owner, confirm_slug=org.slug)
    assert session.get(Organization, org.id) is None
    assert session.exec(select(Invitation).where(Invitation.organization_id == org.id)).all() == []

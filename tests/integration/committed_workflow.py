"""A committed organization with a member and a workflow, for tests that cross processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from techledger.db import session_scope
from techledger.enums import Role
from techledger.models import Organization, User
from techledger.services import accounts, workflows
from techledger.services.actor import Actor
from tests.factories import PASSWORD, add_member, make_org, make_user


@dataclass
class Committed:
    org_id: str
    owner: Actor
    member: Actor
    member_email: str
    workflow_id: str
    user_ids: list[str]


def _create() -> Committed:
    with session_scope() as session:
        owner_user = make_user(session)
        org = make_org(session, owner_user)
        member_user = make_user(session)
        member = add_member(session, org, Role.MEMBER, member_user)
        owner = Actor(user_id=owner_user.id, organization_id=org.id, role=Role.OWNER)
        wf = workflows.create_workflow(
            session=session, actor=member, name="Create lead", application_name="Acme"
        )
        return Committed(
            org.id, owner, member, member_user.email, wf.id, [owner_user.id, member_user.id]
        )


def _delete(committed: Committed) -> None:
    with session_scope() as session:
        session.execute(sa.delete(Organization).where(Organization.id == committed.org_id))
        session.execute(sa.delete(User).where(User.id.in_(committed.user_ids)))


@pytest.fixture
def committed(engine) -> Iterator[Committed]:  # noqa: ANN001
    """An organization, its owner and a member, and the member's workflow, really committed."""
    made = _create()
    yield made
    _delete(made)


def log_in(email: str) -> str:
    with session_scope() as session:
        return accounts.log_in(session=session, email=email, password=PASSWORD).token

"""Workflows: create, list with counts, rename, archive/complete/reopen; roles and tenancy."""

from __future__ import annotations

import pytest

from techledger.enums import Role, WorkflowStatus
from techledger.services import workflows
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import org_with_roles
from tests.workflow_fixtures import make_action


def test_member_creates_a_workflow_attached_to_an_action(session):  # noqa: ANN001
    org, actors = org_with_roles(session)
    action = make_action(session, org)
    wf = workflows.create_workflow(
        session=session,
        actor=actors[Role.MEMBER],
        name="  Create a lead ",
        application_name="Salesforce",
        action_id=action.id,
    )
    assert (wf.name, wf.application_name, wf.action_id) == (
        "Create a lead",
        "Salesforce",
        action.id,
    )
    assert wf.organization_id == org.id and wf.status == WorkflowStatus.ACTIVE
    listed = workflows.list_workflows(session=session, actor=actors[Role.VIEWER])
    assert [w["name"] for w in listed] == ["Create a lead"]
    assert listed[0]["action_name"] == "Create lead"
    assert listed[0]["screenshot_count"] == 0


@pytest.mark.parametrize(
    ("name", "application", "message"),
    [
        ("", "Salesforce", "Workflow name is required."),
        ("x" * 201, "Salesforce", "at most 200"),
        ("Create lead", "  ", "Application name is required."),
        ("Create lead", "y" * 101, "at most 100"),
    ],
)
def test_bad_names_are_refused_with_what_is_allowed(session, name, application, message):  # noqa: ANN001
    _, actors = org_with_roles(session)
    with pytest.raises(InvalidInput, match=message):
        workflows.create_workflow(
            session=session, actor=actors[Role.OWNER], name=name, application_name=application
        )


def test_another_organizations_action_is_not_found(session):  # noqa: ANN001
    org, actors = org_with_roles(session)
    other, _ = org_with_roles(session)
    foreign = make_action(session, other)
    with pytest.raises(NotFound, match="Action not found"):
        workflows.create_workflow(
            session=session,
            actor=actors[Role.MEMBER],
            name="x",
            application_name="SAP",
            action_id=foreign.id,
        )


@pytest.mark.parametrize(
    ("role", "may_edit"),
    [(Role.OWNER, True), (Role.ADMIN, True), (Role.MEMBER, True), (Role.VIEWER, False)],
)
def test_each_role_gets_exactly_its_rights(session, role, may_edit):  # noqa: ANN001
    _, actors = org_with_roles(session)
    wf = workflows.create_workflow(
        session=session, actor=actors[Role.OWNER], name="Quote", application_name="HubSpot"
    )
    actor = actors[role]
    # Everyone reads.
    assert (
        workflows.describe_workflow(session=session, actor=actor, workflow_id=wf.id)["id"] == wf.id
    )
    edits = [
        lambda: workflows.create_workflow(
            session=session, actor=actor, name="New", application_name="SAP"
        ),
        lambda: workflows.rename_workflow(
            session=session, actor=actor, workflow_id=wf.id, name=f"Quote by {role.value}"
        ),
        lambda: workflows.complete_workflow(session=session, actor=actor, workflow_id=wf.id),
        lambda: workflows.reopen_workflow(session=session, actor=actor, workflow_id=wf.id),
        lambda: workflows.archive_workflow(session=session, actor=actor, workflow_id=wf.id),
    ]
    for edit in edits:
        if may_edit:
            edit()
        else:
            with pytest.raises(PermissionDenied, match="Viewer"):
                edit()


def test_another_organizations_workflow_is_not_found(session):  # noqa: ANN001
    _, mine = org_with_roles(session)
    _, theirs = org_with_roles(session)
    wf = workflows.create_workflow(
        session=session, actor=theirs[Role.OWNER], name="Secret", application_name="SAP"
    )
    assert workflows.list_workflows(session=session, actor=mine[Role.OWNER]) == []
    for call in (
        lambda: workflows.describe_workflow(
            session=session, actor=mine[Role.OWNER], workflow_id=wf.id
        ),
        lambda: workflows.rename_workflow(
            session=session, actor=mine[Role.OWNER], workflow_id=wf.id, name="Mine"
        ),
        lambda: workflows.archive_workflow(
            session=session, actor=mine[Role.OWNER], workflow_id=wf.id
        ),
    ):
        with pytest.raises(NotFound, match="Workflow not found"):
            call()


def test_status_moves_and_list_filters(session):  # noqa: ANN001
    _, actors = org_with_roles(session)
    owner = actors[Role.OWNER]
    a = workflows.create_workflow(session=session, actor=owner, name="A", application_name="SAP")
    b = workflows.create_workflow(session=session, actor=owner, name="B", application_name="SAP")
    workflows.archive_workflow(session=session, actor=owner, workflow_id=a.id)
    with pytest.raises(Conflict, match="already archived"):
        workflows.archive_workflow(session=session, actor=owner, workflow_id=a.id)
    assert [w["name"] for w in workflows.list_workflows(session=session, actor=owner)] == ["B", "A"]
    archived = workflows.list_workflows(session=session, actor=owner, status="ARCHIVED")
    assert [w["name"] for w in archived] == ["A"]
    workflows.complete_workflow(session=session, actor=owner, workflow_id=b.id)
    workflows.reopen_workflow(session=session, actor=owner, workflow_id=a.id)
    assert workflows.describe_workflow(session=session, actor=owner, workflow_id=a.id)[
        "status"
    ] == ("ACTIVE")
    with pytest.raises(InvalidInput, match="Unknown workflow status"):
        workflows.list_workflows(session=session, actor=owner, status="DELETED")


def test_the_plan_limits_active_workflows(session):  # noqa: ANN001
    from techledger.enums import SubscriptionStatus, SubscriptionTier
    from techledger.services.errors import LimitReached

    org, actors = org_with_roles(session)
    org.subscription_tier, org.subscription_status = (
        SubscriptionTier.FREE,
        SubscriptionStatus.ACTIVE,
    )
    session.add(org)
    session.flush()
    owner = actors[Role.OWNER]
    made = [
        workflows.create_workflow(
            session=session, actor=owner, name=f"W{i}", application_name="SAP"
        )
        for i in range(5)
    ]
    with pytest.raises(LimitReached, match="allows 5 active workflows"):
        workflows.create_workflow(session=session, actor=owner, name="W6", application_name="SAP")
    workflows.archive_workflow(session=session, actor=owner, workflow_id=made[0].id)
    extra = workflows.create_workflow(
        session=session, actor=owner, name="W6", application_name="SAP"
    )
    with pytest.raises(LimitReached):
        workflows.reopen_workflow(session=session, actor=owner, workflow_id=made[0].id)
    workflows.complete_workflow(session=session, actor=owner, workflow_id=extra.id)
    workflows.reopen_workflow(session=session, actor=owner, workflow_id=extra.id)

"""Workflows: a named sequence of screens of one application, e.g. "Create a lead in Salesforce"."""

from __future__ import annotations

from sqlmodel import Session, func, select

from techledger.enums import ScreenshotStatus, WorkflowStatus
from techledger.models import (
    Action,
    ActionGroup,
    Department,
    PracticeGroup,
    Screenshot,
    System,
    User,
    Workflow,
)
from techledger.services import audit, plan_limits
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, not_found
from techledger.services.permissions import Permission
from techledger.services.validation import clean_text, optional_text

STATUS_ORDER = {WorkflowStatus.ACTIVE: 0, WorkflowStatus.COMPLETED: 1, WorkflowStatus.ARCHIVED: 2}


def _clean_name(value: str | None) -> str:
    return clean_text(value, field="name", label="Workflow name", min_len=1, max_len=200)


def _clean_application(value: str | None) -> str:
    return clean_text(
        value, field="application_name", label="Application name", min_len=1, max_len=100
    )


def _clean_description(value: str | None) -> str | None:
    return optional_text(value, field="description", label="Description", max_len=2000)


def _status(value: str | WorkflowStatus | None) -> WorkflowStatus | None:
    if value in (None, ""):
        return None
    try:
        return WorkflowStatus(value)
    except ValueError:
        raise InvalidInput(
            f"Unknown workflow status '{value}'; choose Active, Completed or Archived.",
            field="status",
        ) from None


def action_organization_id(session: Session, action_id: str) -> str | None:
    """The organization an Action of the hierarchy belongs to (None if it does not exist)."""
    return session.exec(
        select(System.organization_id)
        .join(Department, Department.system_id == System.id)
        .join(PracticeGroup, PracticeGroup.department_id == Department.id)
        .join(ActionGroup, ActionGroup.practice_group_id == PracticeGroup.id)
        .join(Action, Action.action_group_id == ActionGroup.id)
        .where(Action.id == action_id)
    ).first()


def _checked_action_id(session: Session, actor: Actor, action_id: str | None) -> str | None:
    if not action_id:
        return None
    if action_organization_id(session, action_id) != actor.organization_id:
        raise not_found("Action")
    return action_id


def get_workflow(
    *, session: Session, actor: Actor, workflow_id: str, for_update: bool = False
) -> Workflow:
    """The workflow, if it is in the actor's organization; "not found" otherwise."""
    actor.require(Permission.EDIT_WORKFLOWS if for_update else Permission.READ)
    workflow = session.get(Workflow, workflow_id) if workflow_id else None
    if workflow is None or workflow.organization_id != actor.organization_id:
        raise not_found("Workflow")
    return workflow


def create_workflow(
    *,
    session: Session,
    actor: Actor,
    name: str,
    application_name: str,
    action_id: str | None = None,
    description: str | None = None,
) -> Workflow:
    """Start a workflow of ``application_name``, optionally attached to an Action of the hierarchy."""
    actor.require(Permission.EDIT_WORKFLOWS)
    plan_limits.require_can_add(session, actor.organization_id, "workflows")
    workflow = Workflow(
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        name=_clean_name(name),
        application_name=_clean_application(application_name),
        description=_clean_description(description),
        action_id=_checked_action_id(session, actor, action_id),
    )
    session.add(workflow)
    session.flush()
    audit.record(
        session=session,
        action="workflow.created",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="workflow",
        target_id=workflow.id,
        details={"name": workflow.name, "application": workflow.application_name},
    )
    return workflow


def _counts(session: Session, workflow_ids: list[str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {
        wid: {s.value: 0 for s in ScreenshotStatus} for wid in workflow_ids
    }
    if not workflow_ids:
        return counts
    rows = session.exec(
        select(Screenshot.workflow_id, Screenshot.status, func.count())
        .where(Screenshot.workflow_id.in_(workflow_ids))
        .group_by(Screenshot.workflow_id, Screenshot.status)
    ).all()
    for workflow_id, status, count in rows:
        counts[workflow_id][ScreenshotStatus(status).value] = count
    return counts


def _as_dict(workflow: Workflow, counts: dict[str, int], author: str, action: str) -> dict:
    total = sum(counts.values())
    return {
        "id": workflow.id,
        "name": workflow.name,
        "application_name": workflow.application_name,
        "description": workflow.description or "",
        "status": WorkflowStatus(workflow.status).value,
        "action_id": workflow.action_id or "",
        "action_name": action,
        "author": author,
        "screenshot_count": total,
        "analyzed_count": counts.get("ANALYZED", 0),
        "pending_count": counts.get("UPLOADED", 0) + counts.get("PROCESSING", 0),
        "failed_count": counts.get("FAILED", 0),
        "created": workflow.created_at.date().isoformat(),
        "updated": workflow.updated_at.date().isoformat(),
    }


def list_workflows(
    *, session: Session, actor: Actor, status: str | WorkflowStatus | None = None
) -> list[dict]:
    """The organization's workflows with their screenshot counts; active ones first, newest first."""
    actor.require(Permission.READ)
    wanted = _status(status)
    query = (
        select(Workflow, User.email, User.name, Action.name)
        .join(User, User.id == Workflow.user_id)
        .join(Action, Action.id == Workflow.action_id, isouter=True)
        .where(Workflow.organization_id == actor.organization_id)
    )
    if wanted is not None:
        query = query.where(Workflow.status == wanted)
    rows = session.exec(query.order_by(Workflow.updated_at.desc())).all()
    counts = _counts(session, [w.id for w, *_ in rows])
    out = [
        _as_dict(w, counts[w.id], name or email, action or "") for w, email, name, action in rows
    ]
    return sorted(out, key=lambda d: STATUS_ORDER[WorkflowStatus(d["status"])])


def describe_workflow(*, session: Session, actor: Actor, workflow_id: str) -> dict:
    """One workflow as its page shows it (without its screenshots)."""
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id)
    author = session.get(User, workflow.user_id)
    action = session.get(Action, workflow.action_id) if workflow.action_id else None
    counts = _counts(session, [workflow.id])[workflow.id]
    return _as_dict(
        workflow,
        counts,
        (author.name or author.email) if author else "",
        action.name if action else "",
    )


def update_workflow(
    *,
    session: Session,
    actor: Actor,
    workflow_id: str,
    name: str | None = None,
    application_name: str | None = None,
    description: str | None = None,
    action_id: str | None = None,
    clear_action: bool = False,
) -> Workflow:
    """Rename a workflow or change its application, description or Action (None keeps a value)."""
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id, for_update=True)
    if name is not None:
        workflow.name = _clean_name(name)
    if application_name is not None:
        workflow.application_name = _clean_application(application_name)
    if description is not None:
        workflow.description = _clean_description(description)
    if clear_action:
        workflow.action_id = None
    elif action_id is not None:
        workflow.action_id = _checked_action_id(session, actor, action_id)
    session.add(workflow)
    session.flush()
    return workflow


def rename_workflow(*, session: Session, actor: Actor, workflow_id: str, name: str) -> Workflow:
    """Give a workflow a new name."""
    return update_workflow(session=session, actor=actor, workflow_id=workflow_id, name=name)


def _set_status(
    session: Session, actor: Actor, workflow_id: str, status: WorkflowStatus
) -> Workflow:
    workflow = get_workflow(session=session, actor=actor, workflow_id=workflow_id, for_update=True)
    current = WorkflowStatus(workflow.status)
    if current == status:
        raise Conflict(f"This workflow is already {status.value.lower()}.")
    if current == WorkflowStatus.ARCHIVED:  # unarchived, it counts against the plan again
        plan_limits.require_can_add(session, actor.organization_id, "workflows")
    workflow.status = status
    session.add(workflow)
    session.flush()
    audit.record(
        session=session,
        action=f"workflow.{status.value.lower()}",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="workflow",
        target_id=workflow.id,
        details={"from": current.value, "to": status.value},
    )
    return workflow


def archive_workflow(*, session: Session, actor: Actor, workflow_id: str) -> Workflow:
    """Put a workflow away: it leaves the active list; its screenshots stay."""
    return _set_status(session, actor, workflow_id, WorkflowStatus.ARCHIVED)


def complete_workflow(*, session: Session, actor: Actor, workflow_id: str) -> Workflow:
    """Mark a workflow as fully captured."""
    return _set_status(session, actor, workflow_id, WorkflowStatus.COMPLETED)


def reopen_workflow(*, session: Session, actor: Actor, workflow_id: str) -> Workflow:
    """Make a completed or archived workflow active again."""
    return _set_status(session, actor, workflow_id, WorkflowStatus.ACTIVE)


def require_open(workflow: Workflow) -> None:
    """Screenshots are added only to active workflows."""
    if WorkflowStatus(workflow.status) != WorkflowStatus.ACTIVE:
        raise Conflict(
            f"This workflow is {WorkflowStatus(workflow.status).value.lower()}; "
            "reopen it to add screenshots."
        )


def action_choices(*, session: Session, actor: Actor) -> list[dict]:
    """The organization's Actions a workflow may be attached to, labelled with their path."""
    actor.require(Permission.READ)
    rows = session.exec(
        select(Action.id, Action.name, Action.application_name, System.name, ActionGroup.name)
        .join(ActionGroup, ActionGroup.id == Action.action_group_id)
        .join(PracticeGroup, PracticeGroup.id == ActionGroup.practice_group_id)
        .join(Department, Department.id == PracticeGroup.department_id)
        .join(System, System.id == Department.system_id)
        .where(System.organization_id == actor.organization_id)
        .order_by(System.name, ActionGroup.name, Action.name)
    ).all()
    return [
        {
            "id": action_id,
            "label": f"{system} › {group} › {name}",
            "application_name": application or "",
        }
        for action_id, name, application, system, group in rows
    ]

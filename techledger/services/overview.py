"""What an organization holds, at a glance, for its home page."""

from __future__ import annotations

from sqlmodel import Session, func, select

from techledger.enums import DocumentStatus, ScreenshotStatus
from techledger.models import (
    Document,
    OrganizationMember,
    Pattern,
    Screenshot,
    System,
    Workflow,
)
from techledger.services.actor import Actor
from techledger.services.permissions import Permission


def _count(session: Session, statement) -> int:  # noqa: ANN001
    return int(session.exec(statement).one())


def organization_overview(*, session: Session, actor: Actor) -> dict[str, int]:
    """Counts of the things the home page points to."""
    actor.require(Permission.READ)
    org_id = actor.organization_id
    workflows = select(Workflow.id).where(Workflow.organization_id == org_id)
    documents = select(func.count()).select_from(Document).where(Document.organization_id == org_id)
    if not actor.can(Permission.READ_DRAFTS):
        documents = documents.where(Document.status == DocumentStatus.PUBLISHED)
    return {
        "systems": _count(
            session,
            select(func.count()).select_from(System).where(System.organization_id == org_id),
        ),
        "workflows": _count(
            session,
            select(func.count()).select_from(Workflow).where(Workflow.organization_id == org_id),
        ),
        "screenshots": _count(
            session,
            select(func.count())
            .select_from(Screenshot)
            .where(Screenshot.workflow_id.in_(workflows)),
        ),
        "analyzed": _count(
            session,
            select(func.count())
            .select_from(Screenshot)
            .where(
                Screenshot.workflow_id.in_(workflows),
                Screenshot.status == ScreenshotStatus.ANALYZED,
            ),
        ),
        "patterns": _count(
            session,
            select(func.count())
            .select_from(Pattern)
            .where(Pattern.organization_id == org_id, Pattern.is_active.is_(True)),
        ),
        "documents": _count(session, documents),
        "members": _count(
            session,
            select(func.count())
            .select_from(OrganizationMember)
            .where(OrganizationMember.organization_id == org_id),
        ),
    }

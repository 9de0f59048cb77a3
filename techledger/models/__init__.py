"""Every table of TechLedger; importing this package registers them all."""

from techledger.models.accounts import Credential, LoginSession, User
from techledger.models.audit import AuditEvent
from techledger.models.billing import ProcessedStripeEvent
from techledger.models.changes import ChangeMarker
from techledger.models.documents import (
    Document,
    DocumentExport,
    DocumentVersion,
    PublishedDocument,
)
from techledger.models.hierarchy import (
    Action,
    ActionGroup,
    Department,
    PracticeGroup,
    System,
    Transformation,
)
from techledger.models.organizations import Invitation, Organization, OrganizationMember
from techledger.models.training import Pattern, TrainingAnswer, TrainingQuestion
from techledger.models.workflows import DetectedElement, Screenshot, Workflow

__all__ = [
    "Action",
    "ActionGroup",
    "AuditEvent",
    "ChangeMarker",
    "Credential",
    "Department",
    "DetectedElement",
    "Document",
    "DocumentExport",
    "DocumentVersion",
    "PublishedDocument",
    "Invitation",
    "LoginSession",
    "Organization",
    "OrganizationMember",
    "Pattern",
    "PracticeGroup",
    "ProcessedStripeEvent",
    "Screenshot",
    "System",
    "TrainingAnswer",
    "TrainingQuestion",
    "Transformation",
    "User",
    "Workflow",
]

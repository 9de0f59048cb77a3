"""Every page's path in one place, and builders for paths with parameters."""

from __future__ import annotations

LOGIN = "/login"
SIGNUP = "/signup"
INVITE = "/invite/[token]"
HOME = "/"
NEW_ORGANIZATION = "/organizations/new"
MEMBERS = "/members"
SETTINGS = "/settings"
HIERARCHY = "/hierarchy"
CANVAS = "/workflows/[workflow_id]/train"
PATTERNS = "/patterns"
WORKFLOWS = "/workflows"
WORKFLOW = "/workflows/[workflow_id]"
BILLING = "/billing"


def invite(token: str) -> str:
    """The link an invited person opens."""
    return f"/invite/{token}"


def login(next_path: str | None = None) -> str:
    """The login page, returning to ``next_path`` afterwards."""
    from urllib.parse import quote

    if next_path and next_path.startswith("/") and not next_path.startswith("//"):
        return f"{LOGIN}?next={quote(next_path)}"
    return LOGIN


DOCUMENTS = "/documents"
DOCUMENT = "/documents/[document_id]"
REVIEW = "/review"


def document(document_id: str) -> str:
    """A document's editor (or read view)."""
    return f"/documents/{document_id}"


def workflow(workflow_id: str) -> str:
    """A workflow's page: its screenshots, upload and viewer."""
    return f"/workflows/{workflow_id}"


def canvas(workflow_id: str) -> str:
    """The training canvas of a workflow."""
    return f"/workflows/{workflow_id}/train"

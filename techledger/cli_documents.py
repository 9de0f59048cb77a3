"""``techledger docs``: generate a guide from a workflow, export a document."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

docs_app = typer.Typer(no_args_is_help=True, help="Documents: generate and export guides.")


def _actor_for_document(session, *, workflow_id: str | None = None, document_id: str | None = None):  # noqa: ANN001, ANN202
    """Act as the first Owner of the organization the workflow or document belongs to."""
    from techledger.cli import fail, owner_actor
    from techledger.models import Document, Workflow

    row = session.get(Workflow, workflow_id) if workflow_id else session.get(Document, document_id)
    if row is None:
        fail(
            f"no {'workflow' if workflow_id else 'document'} with id '{workflow_id or document_id}'"
        )
    return owner_actor(session, row.organization_id)


@docs_app.command("generate")
def generate(workflow_id: str) -> None:
    """Write the guide of WORKFLOW_ID (a new draft, or a new version of its guide)."""
    from techledger.cli import fail
    from techledger.services.document_generation import generate_document

    upgrade_database()
    try:
        with session_scope() as session:
            actor = _actor_for_document(session, workflow_id=workflow_id)
            document = generate_document(session=session, actor=actor, workflow_id=workflow_id)
            result = {
                "id": document.id,
                "title": document.title,
                "version": document.version,
                "status": document.status.value
                if hasattr(document.status, "value")
                else document.status,
                "metadata": document.meta,
            }
    except ServiceError as error:
        fail(error.message)
    typer.echo(json.dumps(result))


@docs_app.command("export")
def export(
    document_id: str,
    out: Path = typer.Argument(..., help="file to write (a folder gets the document's file name)"),
    format: str = typer.Option("pdf", "--format", "-f", help="md (zip with images), html or pdf"),
) -> None:
    """Export DOC_ID as a Markdown zip, standalone HTML or PDF into OUT."""
    from techledger.cli import fail
    from techledger.services.document_export import export_now

    upgrade_database()
    try:
        with session_scope() as session:
            actor = _actor_for_document(session, document_id=document_id)
            data, name = export_now(
                session=session, actor=actor, document_id=document_id, fmt=format
            )
    except ServiceError as error:
        fail(error.message)
    target = out / name if out.is_dir() else out
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    typer.echo(json.dumps({"path": str(target), "bytes": len(data)}))

"""The export job end to end on committed rows: progress, storage, the signed download route,
and the CLI."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from techledger.db import session_scope
from techledger.enums import Role
from techledger.models import DocumentExport, Organization
from techledger.services import document_export
from techledger.services.errors import NotFound
from tests.factories import org_with_roles
from tests.factories_documents import make_trained_workflow, use_store


@pytest.fixture
def committed(engine, tmp_path):
    """A trained workflow in a committed organization (deleted afterwards)."""
    use_store(tmp_path / "files")
    with session_scope() as session:
        org, actors = org_with_roles(session)
        other, others = org_with_roles(session)
        workflow = make_trained_workflow(session, actors[Role.MEMBER])
        ids = {"org": org.id, "other": other.id, "workflow": workflow.id}
    yield ids, actors, others
    with session_scope() as session:
        for key in ("org", "other"):
            row = session.get(Organization, ids[key])
            if row is not None:
                session.delete(row)


def test_cli_generate_then_export_job_and_download(committed, tmp_path):
    from typer.testing import CliRunner

    from techledger.cli import app

    ids, actors, others = committed
    runner = CliRunner()
    result = runner.invoke(app, ["docs", "generate", ids["workflow"]])
    assert result.exit_code == 0, result.output
    generated = json.loads(result.output.strip().splitlines()[-1])
    assert generated["version"] == 1 and generated["status"] == "DRAFT"
    assert generated["metadata"]["screenshotCount"] == 2

    out = tmp_path / "guide.zip"
    result = runner.invoke(app, ["docs", "export", generated["id"], str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "guide.md" in zipfile.ZipFile(out).namelist()
    result = runner.invoke(
        app, ["docs", "export", generated["id"], str(tmp_path), "--format", "pdf"]
    )
    assert result.exit_code == 0 and json.loads(result.output)["path"].endswith(".pdf")
    result = runner.invoke(app, ["docs", "export", generated["id"], str(out), "--format", "docx"])
    assert result.exit_code == 1 and "Unknown export format" in result.output

    member = actors[Role.MEMBER]
    with session_scope() as session:
        status = document_export.request_export(
            session=session, actor=member, document_id=generated["id"], fmt="html"
        )
    # run the job the worker would run (the in-process worker may also pick it up: it is idempotent)
    from workers.tasks import export_document

    export_document(status["id"])
    with session_scope() as session:
        export = session.get(DocumentExport, status["id"])
        assert export.status == "done" and export.progress == 100 and export.size_bytes > 1000
        link = document_export.download_path(session=session, actor=member, export_id=export.id)
        with pytest.raises(NotFound):
            document_export.download_path(
                session=session, actor=others[Role.OWNER], export_id=export.id
            )

    from techledger.api import build_api

    client = TestClient(build_api())
    response = client.get(link)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "attachment" in response.headers["content-disposition"]
    assert b"data:image/png;base64," in response.content
    path = urlsplit(link).path
    assert client.get(path).status_code == 404  # unsigned
    assert client.get(link.replace("sig=", "sig=0")).status_code == 404  # forged
    assert client.get(link.replace(status["id"], "x" * 25)).status_code == 404  # another export

    # step images: only through a signed link
    from techledger.services.document_images import STEP_IMAGE_URL, sign_path

    with session_scope() as session:
        from techledger.models import Document

        content = session.get(Document, generated["id"]).content
    image_path = STEP_IMAGE_URL.search(content).group(0)
    assert client.get(image_path).status_code == 404
    image = client.get(sign_path(image_path))
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    assert io.BytesIO(image.content).getbuffer().nbytes > 500


def test_a_second_delivery_of_an_export_job_does_not_undo_the_first(committed, monkeypatch):
    """RQ can deliver a job twice (a retry after a lost worker): the late copy finds the export
    done by the first and leaves it so, instead of putting its progress back to 35%."""
    from workers.tasks import export_document

    status = _queued_export(committed)

    real = document_export.render_export
    calls = []

    def render_while_the_other_copy_finishes(*args, **kwargs):  # noqa: ANN002, ANN003
        calls.append(1)
        if len(calls) == 1:
            export_document(status["id"])  # the other delivery runs to the end meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(document_export, "render_export", render_while_the_other_copy_finishes)
    export_document(status["id"])
    assert len(calls) == 2
    with session_scope() as session:
        export = session.get(DocumentExport, status["id"])
        assert (export.status, export.progress) == ("done", 100)


def test_a_progress_update_racing_the_other_delivery_to_done_leaves_it_done(committed, engine):
    """The interleaving CI once hit: one delivery has read the export as running and is about
    to write progress 90 when the other delivery commits done/100. The late write must not land
    (it used to leave the export 'done' at 90%)."""
    from sqlalchemy import event

    from workers.tasks import export_document

    status = _queued_export(committed)

    raced = []

    def other_delivery_commits_first(conn, cursor, statement, parameters, context, many):  # noqa: ANN001, ARG001
        text = statement.lstrip().upper()
        values = parameters if isinstance(parameters, dict) else {}
        if raced or not text.startswith("UPDATE DOCUMENT_EXPORT"):
            return
        if 90 not in (values.values() if values else parameters or ()):
            return
        raced.append(1)
        with session_scope() as session:  # another connection: the other copy finishing
            row = session.get(DocumentExport, status["id"])
            row.status, row.progress = "done", 100
            session.add(row)

    event.listen(engine, "before_cursor_execute", other_delivery_commits_first)
    try:
        export_document(status["id"])
    finally:
        event.remove(engine, "before_cursor_execute", other_delivery_commits_first)
    assert raced, "the race was not staged"
    with session_scope() as session:
        export = session.get(DocumentExport, status["id"])
        assert (export.status, export.progress) == ("done", 100)


def _queued_export(committed) -> dict:  # noqa: ANN001
    """An HTML export of a fresh document, put back to 'queued' as if its job had not run yet."""
    from techledger import jobs
    from techledger.services import document_generation

    ids, actors, _others = committed
    member = actors[Role.MEMBER]
    with session_scope() as session:
        document = document_generation.generate_document(
            session=session, actor=member, workflow_id=ids["workflow"]
        )
        status = document_export.request_export(
            session=session, actor=member, document_id=document.id, fmt="html"
        )
    jobs.local_worker().wait_idle(30)  # the in-process worker may have run it already
    with session_scope() as session:
        export = session.get(DocumentExport, status["id"])
        export.status, export.progress = "queued", 0
        session.add(export)
    return status

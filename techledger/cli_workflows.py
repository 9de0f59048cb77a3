"""CLI of workflows: ``techledger upload``, ``techledger analyze`` and ``techledger screenshots``."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

app = typer.Typer(add_completion=False)
screenshots_app = typer.Typer(no_args_is_help=True, help="Screenshots and their analysis.")
app.add_typer(screenshots_app, name="screenshots")


class EngineName(str, Enum):
    local = "local"
    google = "google"


def _actor_for_workflow(session, workflow_id: str, email: str):  # noqa: ANN001, ANN202
    """Act as ``email`` (default: the workflow's author) inside the workflow's organization."""
    from sqlmodel import select

    from techledger.models import User, Workflow
    from techledger.services.actor import actor_for
    from techledger.services.validation import clean_email

    workflow = session.get(Workflow, workflow_id)
    if workflow is None:
        raise typer.BadParameter(f"no workflow with id {workflow_id}", param_hint="WORKFLOW_ID")
    if email:
        user = session.exec(select(User).where(User.email == clean_email(email))).first()
        if user is None:
            raise typer.BadParameter(f"no user with email {email}", param_hint="--user")
        user_id = user.id
    else:
        user_id = workflow.user_id
    return actor_for(session=session, user_id=user_id, organization_id=workflow.organization_id)


def _final_states(ids: list[str]) -> list[dict]:
    from sqlmodel import func, select

    from techledger.models import DetectedElement, Screenshot

    out = []
    with session_scope() as session:
        for screenshot_id in ids:
            s = session.get(Screenshot, screenshot_id)
            if s is None:
                continue
            count = session.exec(
                select(func.count()).where(DetectedElement.screenshot_id == s.id)
            ).one()
            out.append(
                {
                    "id": s.id,
                    "file": s.original_filename,
                    "status": s.status.value,
                    "elements": count,
                    "reason": s.failure_reason or "",
                }
            )
    return out


@app.command("upload")
def upload(
    workflow_id: str = typer.Argument(..., help="the workflow's id"),
    files: list[Path] = typer.Argument(..., help="PNG, JPEG or WebP screenshots, in order"),
    user: str = typer.Option("", "--user", help="upload as this member (default: the author)"),
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="without REDIS_URL: wait for the analyses"
    ),
) -> None:
    """Upload screenshots to a workflow; each is checked and reported; exit 1 if any failed."""
    from techledger import jobs
    from techledger.services import screenshots
    from techledger.settings import get_settings

    upgrade_database()
    failed = 0
    stored: list[str] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            typer.echo(f"FAILED   {path}: cannot read the file ({exc.strerror}).", err=True)
            failed += 1
            continue
        try:
            with session_scope() as session:
                actor = _actor_for_workflow(session, workflow_id, user)
                shot = screenshots.upload_screenshot(
                    session=session,
                    actor=actor,
                    workflow_id=workflow_id,
                    filename=path.name,
                    data=data,
                )
                screenshot_id = shot.id
        except ServiceError as error:
            typer.echo(f"FAILED   {path}: {error.message}", err=True)
            failed += 1
            continue
        stored.append(screenshot_id)
        typer.echo(f"UPLOADED {path} -> screenshot {screenshot_id}")
    if stored and not get_settings().redis_url and wait:
        typer.echo(f"analysing {len(stored)} screenshot(s) in this process...", err=True)
        jobs.local_worker().wait_idle(timeout=60 * 10)
        for state in _final_states(stored):
            line = f"{state['status']:<9}{state['file']} ({state['elements']} elements)"
            if state["reason"]:
                line += f": {state['reason']}"
            typer.echo(line)
            failed += state["status"] == "FAILED"
    elif stored and get_settings().redis_url:
        typer.echo(f"{len(stored)} analysis job(s) queued on '{get_settings().job_queue}'.")
    if failed:
        raise typer.Exit(1)


@app.command("analyze")
def analyze(
    images: list[Path] = typer.Argument(..., help="screenshots to analyse"),
    engine: EngineName = typer.Option(EngineName.local, "--engine", help="vision engine"),
    json_output: bool = typer.Option(
        True, "--json/--text", help="one JSON object per image and line (default)"
    ),
) -> None:
    """Find the UI elements of screenshots; bad images are reported on stderr (exit 1)."""
    from techledger.cli_analyze import analyze_command

    raise typer.Exit(analyze_command(images, engine=engine.value, json_output=json_output))


@screenshots_app.command("recover")
def recover(
    stale_after: float = typer.Option(
        None, help="seconds without a heartbeat before PROCESSING counts as stuck"
    ),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="without REDIS_URL: run them here"),
) -> None:
    """Queue again (or fail, once their attempts are spent) analyses whose worker stopped."""
    from techledger import jobs
    from techledger.services import analysis
    from techledger.settings import get_settings

    upgrade_database()
    with session_scope() as session:
        kwargs = {} if stale_after is None else {"stale_after_s": stale_after}
        result = analysis.recover_stuck_screenshots(session=session, **kwargs)
    typer.echo(json.dumps(result))
    if result["requeued"] and wait and not get_settings().redis_url:
        jobs.local_worker().wait_idle(timeout=60 * 10)
        typer.echo(json.dumps(_final_states(result["requeued"])))

"""``techledger billing ...`` and ``techledger retention ...``: plans, trials and data retention."""

from __future__ import annotations

import json

import typer

from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

billing_app = typer.Typer(no_args_is_help=True, help="Plans, trials and Stripe.")
retention_app = typer.Typer(no_args_is_help=True, help="Delete what is past its retention period.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@billing_app.command("expire-trials")
def expire_trials() -> None:
    """Move organizations whose trial has ended to EXPIRED (the daily job, run now)."""
    from techledger.services import billing

    upgrade_database()
    try:
        with session_scope() as session:
            expired = billing.expire_trials(session=session)
    except ServiceError as error:
        _fail(error.message)
    typer.echo(json.dumps({"expired": len(expired), "organizations": expired}))


@billing_app.command("set-plan")
def set_plan(
    organization: str = typer.Argument(..., help="organization id or slug"),
    tier: str = typer.Option(..., help="FREE, STARTER, PROFESSIONAL or ENTERPRISE"),
    status: str = typer.Option("ACTIVE", help="TRIAL, ACTIVE, PAST_DUE, CANCELED or EXPIRED"),
) -> None:
    """Set an organization's plan by hand (installations without Stripe)."""
    from techledger.services import billing

    upgrade_database()
    try:
        with session_scope() as session:
            org = billing.set_plan(
                session=session, organization=organization, tier=tier, status=status
            )
            result = {
                "id": org.id,
                "tier": org.subscription_tier.value,
                "status": org.subscription_status.value,
            }
    except ServiceError as error:
        _fail(error.message)
    typer.echo(json.dumps(result))


@retention_app.command("run")
def retention_run(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="report what would be deleted, delete nothing"
    ),
    details: bool = typer.Option(False, "--details", help="list every row and stored object"),
) -> None:
    """Delete screenshots over 90 days old in archived workflows and questions pending over 30 days."""
    from techledger.services import retention

    upgrade_database()
    try:
        with session_scope() as session:
            report = retention.run_retention(session=session, dry_run=dry_run).as_dict()
    except ServiceError as error:
        _fail(error.message)
    if not details:
        report = {k: report[k] for k in ("dry_run", "now", "counts")} | {
            "screenshots": [s["id"] for s in report["screenshots"]],
            "pending_questions": [q["id"] for q in report["pending_questions"]],
        }
    typer.echo(json.dumps(report, indent=2))
    verb = "would delete" if dry_run else "deleted"
    counts = report["counts"]
    typer.echo(
        f"{verb} {counts['screenshots']} screenshots ({counts['stored_objects']} stored objects) "
        f"and {counts['pending_questions']} pending questions",
        err=True,
    )

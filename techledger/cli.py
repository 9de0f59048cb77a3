"""The ``techledger`` command: database, users, organizations, demo data; capabilities add theirs."""

from __future__ import annotations

import json
import sys

import typer

from techledger.cli_billing import billing_app, retention_app
from techledger.cli_documents import docs_app
from techledger.cli_hierarchy import app as hierarchy_app
from techledger.cli_patterns import patterns_app
from techledger.cli_workflows import app as workflows_cli
from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
user_app = typer.Typer(no_args_is_help=True, help="People.")
org_app = typer.Typer(no_args_is_help=True, help="Organizations.")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(org_app, name="org")
app.add_typer(hierarchy_app, name="hierarchy")
app.add_typer(docs_app, name="docs")
app.add_typer(patterns_app, name="patterns")
app.add_typer(workflows_cli)  # upload, analyze, screenshots
app.add_typer(billing_app, name="billing")
app.add_typer(retention_app, name="retention")


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def owner_actor(session, organization: str):  # noqa: ANN001, ANN201
    """Act as the first Owner of an organization given by id or slug (for admin commands)."""
    from sqlmodel import or_, select

    from techledger.enums import Role
    from techledger.models import Organization, OrganizationMember
    from techledger.services.actor import Actor

    org = session.exec(
        select(Organization).where(
            or_(Organization.id == organization, Organization.slug == organization)
        )
    ).first()
    if org is None:
        fail(f"no organization with id or slug '{organization}'")
    member = session.exec(
        select(OrganizationMember)
        .where(OrganizationMember.organization_id == org.id, OrganizationMember.role == Role.OWNER)
        .order_by(OrganizationMember.created_at)
    ).first()
    if member is None:
        fail(f"organization '{organization}' has no owner")
    return Actor(user_id=member.user_id, organization_id=org.id, role=Role.OWNER)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (creates the schema in an empty database)."""
    upgrade_database()
    typer.echo("database is at the latest schema")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument("base")) -> None:
    """Undo migrations down to REVISION (default: base, an empty database)."""
    from techledger.db import downgrade_database

    downgrade_database(revision=revision)
    typer.echo(f"database downgraded to {revision}")


@user_app.command("create")
def user_create(
    email: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    name: str = typer.Option("", help="display name"),
) -> None:
    """Create a person who can log in with EMAIL and the password."""
    from techledger.services import accounts

    upgrade_database()
    try:
        with session_scope() as session:
            user = accounts.sign_up(session=session, email=email, password=password, name=name)
            typer.echo(json.dumps({"id": user.id, "email": user.email}))
    except ServiceError as error:
        fail(error.message)


@org_app.command("create")
def org_create(
    name: str,
    owner: str = typer.Option(..., help="email of the owner (an existing user)"),
    slug: str = typer.Option("", help="URL name; derived from NAME when empty"),
) -> None:
    """Create an organization owned by OWNER."""
    from sqlmodel import select

    from techledger.models import User
    from techledger.services import organizations
    from techledger.services.validation import clean_email

    upgrade_database()
    try:
        with session_scope() as session:
            user = session.exec(select(User).where(User.email == clean_email(owner))).first()
            if user is None:
                fail(f"no user with email {owner}; create one with 'techledger user create'")
            org = organizations.create_organization(
                session=session, user_id=user.id, name=name, slug=slug or None
            )
            typer.echo(json.dumps({"id": org.id, "slug": org.slug, "name": org.name}))
    except ServiceError as error:
        fail(error.message)


@app.command("demo")
def demo(
    email: str = typer.Option("demo@example.com", help="the demo user's email"),
    password: str = typer.Option("demo-password", help="the demo user's password"),
) -> None:
    """Create a demo organization with a sample hierarchy (idempotent)."""
    from techledger.services import demo as demo_service

    upgrade_database()
    try:
        with session_scope() as session:
            result = demo_service.create_demo(session=session, email=email, password=password)
    except ServiceError as error:
        fail(error.message)
    typer.echo(json.dumps(result))
    typer.echo(f"log in as {email} / {password}", err=True)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()

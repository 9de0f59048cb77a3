"""``techledger patterns export|import``: move learned patterns between organizations or
environments as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

patterns_app = typer.Typer(no_args_is_help=True, help="Learned patterns (export and import).")


@patterns_app.command("export")
def export_patterns(
    organization: str = typer.Argument(..., help="organization id or slug"),
    file: Path = typer.Argument(..., help="JSON file to write ('-' for standard output)"),
) -> None:
    """Write every pattern of ORGANIZATION to FILE."""
    from techledger.cli import fail, owner_actor
    from techledger.services import patterns

    upgrade_database()
    try:
        with session_scope() as session:
            document = patterns.export_patterns(
                session=session, actor=owner_actor(session, organization)
            )
    except ServiceError as error:
        fail(error.message)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if str(file) == "-":
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        typer.echo(f"exported {len(document['patterns'])} pattern(s) to {file}", err=True)


@patterns_app.command("import")
def import_patterns(
    organization: str = typer.Argument(..., help="organization id or slug"),
    file: Path = typer.Argument(..., help="JSON file written by 'techledger patterns export'"),
) -> None:
    """Add or update ORGANIZATION's patterns from FILE; a file with any bad pattern is refused
    whole, with every problem listed."""
    from techledger.cli import fail, owner_actor
    from techledger.services import patterns

    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"no file {file}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{file} is not valid JSON: {error}")
    upgrade_database()
    try:
        with session_scope() as session:
            result = patterns.import_patterns(
                session=session, actor=owner_actor(session, organization), document=document
            )
    except ServiceError as error:
        fail(error.message)
    typer.echo(json.dumps(result))

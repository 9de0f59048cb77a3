"""``techledger hierarchy``: export and import an organization's tree (.json or .csv)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from techledger.db import session_scope, upgrade_database
from techledger.services.errors import ServiceError

app = typer.Typer(no_args_is_help=True, help="The tech-stack hierarchy of an organization.")


@app.command("export")
def export(
    organization: str = typer.Argument(..., metavar="ORG", help="organization id or slug"),
    file: Path = typer.Argument(..., metavar="FILE", help="where to write: .json or .csv"),
) -> None:
    """Write ORG's hierarchy to FILE (JSON is lossless; CSV has one row per leaf path)."""
    from techledger.cli import fail, owner_actor
    from techledger.services import hierarchy, hierarchy_io

    upgrade_database()
    try:
        with session_scope() as session:
            actor = owner_actor(session, organization)
            data = hierarchy_io.export_file(session=session, actor=actor, filename=file.name)
            nodes = hierarchy.count_nodes(session=session, actor=actor)
    except ServiceError as error:
        fail(error.message)
    file.write_bytes(data)
    typer.echo(f"exported {nodes:,} nodes to {file}")


@app.command("import")
def import_(
    organization: str = typer.Argument(..., metavar="ORG", help="organization id or slug"),
    file: Path = typer.Argument(..., metavar="FILE", help="a .json or .csv file to read"),
    dry_run: bool = typer.Option(False, "--dry-run", help="check and report; write nothing"),
) -> None:
    """Check FILE in full, then merge it into ORG's hierarchy by name path."""
    from techledger.cli import fail, owner_actor
    from techledger.services import hierarchy_io

    if not file.is_file():
        fail(f"no file at {file}")
    upgrade_database()
    try:
        with session_scope() as session:
            actor = owner_actor(session, organization)
            report = hierarchy_io.import_file(
                session=session,
                actor=actor,
                filename=file.name,
                data=file.read_bytes(),
                dry_run=dry_run,
            )
    except hierarchy_io.ImportRejected as error:
        typer.echo(error.summary, err=True)
        for line in error.errors:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1) from None
    except ServiceError as error:
        fail(error.message)
    typer.echo(report["summary"])
    for path in report["added_paths"]:
        typer.echo(f"  + {path}")
    typer.echo(json.dumps({k: report[k] for k in ("added", "already_there", "dry_run")}))

"""``techledger hierarchy export|import`` against the test database."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from techledger.cli import app
from techledger.models import Organization
from techledger.services import hierarchy_io
from tests.factories import make_org, owner_actor

runner = CliRunner()


@pytest.fixture
def org(engine):  # noqa: ANN001, ANN201
    """A committed organization (the CLI opens its own sessions)."""
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        session.commit()
    yield org
    with Session(engine) as session:
        session.delete(session.get(Organization, org.id))
        session.commit()


def test_import_dry_run_import_and_export(org, tmp_path, engine):
    template = hierarchy_io.TEMPLATES_DIR / "finance-sap.json"
    source = tmp_path / "finance.json"
    source.write_bytes(template.read_bytes())

    dry = runner.invoke(app, ["hierarchy", "import", org.slug, str(source), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would add" in dry.output and json.loads(dry.output.splitlines()[-1])["dry_run"]

    done = runner.invoke(app, ["hierarchy", "import", org.id, str(source)])
    assert done.exit_code == 0, done.output
    assert "Added" in done.output and "+ Finance" in done.output

    out = tmp_path / "out.json"
    exported = runner.invoke(app, ["hierarchy", "export", org.slug, str(out)])
    assert exported.exit_code == 0, exported.output
    systems = json.loads(out.read_text())["systems"]
    assert systems == json.loads(template.read_text())["systems"]

    csv_out = tmp_path / "out.csv"
    assert runner.invoke(app, ["hierarchy", "export", org.slug, str(csv_out)]).exit_code == 0
    assert csv_out.read_text().splitlines()[0] == ",".join(hierarchy_io.CSV_HEADER)
    with Session(engine) as session:
        actor = owner_actor(session, session.get(Organization, org.id))
        assert hierarchy_io.export_json(session=session, actor=actor) == out.read_bytes()


def test_a_bad_file_lists_every_problem_and_exits_1(org, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("System,Department\nA,B\n")
    result = runner.invoke(app, ["hierarchy", "import", org.slug, str(bad)])
    assert result.exit_code == 1
    assert "not imported" in result.output and "Line 1: the header must be exactly" in result.output
    assert runner.invoke(app, ["hierarchy", "import", "no-such-org", str(bad)]).exit_code == 1
    wrong = tmp_path / "tree.txt"
    wrong.write_text("x")
    result = runner.invoke(app, ["hierarchy", "export", org.slug, str(wrong)])
    assert result.exit_code == 1 and "neither a .json nor a .csv" in result.output

"""``techledger patterns export|import`` against the test database (committed, then removed)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from techledger.cli import app
from techledger.enums import ElementType
from techledger.models import Organization, User
from techledger.services import patterns
from tests.factories import make_org, owner_actor


@pytest.fixture
def two_orgs(engine):  # noqa: ANN001, ANN201
    with Session(engine, expire_on_commit=False) as session:
        source, target = make_org(session), make_org(session)
        actor = owner_actor(session, source)
        patterns.learn_pattern(
            session,
            organization_id=source.id,
            user_id=actor.user_id,
            application="Jira",
            element_type=ElementType.BUTTON,
            text="Create issue",
            purpose="Opens the new issue form",
            action="Click, then fill in the summary.",
        )
        users = [actor.user_id, owner_actor(session, target).user_id]
        session.commit()
    yield source, target
    with Session(engine) as session:
        for org in (source, target):
            session.delete(session.get(Organization, org.id))
        for user_id in users:
            session.delete(session.get(User, user_id))
        session.commit()


def test_export_then_import(two_orgs, tmp_path):  # noqa: ANN001
    source, target = two_orgs
    runner = CliRunner()
    file = tmp_path / "patterns.json"
    result = runner.invoke(app, ["patterns", "export", source.slug, str(file)])
    assert result.exit_code == 0, result.output
    document = json.loads(file.read_text())
    assert [p["text"] for p in document["patterns"]] == ["Create issue"]
    result = runner.invoke(app, ["patterns", "import", target.id, str(file)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["created"] == 1


def test_malformed_file_is_refused_with_every_error(two_orgs, tmp_path):  # noqa: ANN001
    _, target = two_orgs
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"patterns": [{"application": "Jira"}, {"element_type": "BOX"}]}))
    result = runner.invoke(app, ["patterns", "import", target.slug, str(bad)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.stderr
    assert "pattern 1: purpose is required" in result.stderr
    assert "pattern 2: unknown element type 'BOX'" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["patterns", "import", target.slug, str(broken)])
    assert result.exit_code == 1 and "is not valid JSON" in result.stderr
    result = runner.invoke(app, ["patterns", "import", "no-such-org", str(bad)])
    assert result.exit_code == 1 and "no organization" in result.stderr

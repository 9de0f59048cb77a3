"""The ``techledger`` command as a person runs it, on an empty database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]


def run(args: list[str], url: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test"}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "techledger.cli", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_bootstraps_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(["db", "upgrade"], url).returncode == 0
    created = run(
        ["user", "create", "ops@example.com", "--password", "long-password-1", "--name", "Ops"], url
    )
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["email"] == "ops@example.com"
    dup = run(["user", "create", "ops@example.com", "--password", "long-password-1"], url)
    assert dup.returncode == 1 and "already exists" in dup.stderr
    org = run(["org", "create", "Ops Team", "--owner", "ops@example.com"], url)
    assert org.returncode == 0, org.stderr
    assert json.loads(org.stdout)["slug"] == "ops-team"
    missing = run(["org", "create", "X", "--owner", "nobody@example.com"], url)
    assert missing.returncode == 1 and "no user" in missing.stderr
    bad_slug = run(["org", "create", "Y", "--owner", "ops@example.com", "--slug", "Bad Slug"], url)
    assert bad_slug.returncode == 1 and "lowercase" in bad_slug.stderr


def test_demo_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = json.loads(run(["demo"], url).stdout)
    second = json.loads(run(["demo"], url).stdout)
    assert first["nodes_created"] > 15 and second["nodes_created"] == 0
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM system")).scalar() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM action")).scalar() >= 5
    engine.dispose()


def test_downgrade_to_base_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.db'}"
    assert run(["db", "upgrade"], url).returncode == 0
    assert run(["db", "downgrade", "base"], url).returncode == 0
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()

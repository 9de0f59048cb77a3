"""How long retention takes on N old screenshots (4 stored objects each) plus N stale questions.

DATABASE_URL=postgresql+psycopg://... STORAGE_URL=s3://bench/retention \
S3_ENDPOINT_URL=http://127.0.0.1:55000 S3_ACCESS_KEY=test S3_SECRET_KEY=test \
python benchmarks/retention.py [N]

Prints the numbers and writes them to benchmarks/results/retention.json. Uses its own
organization, and deletes what it seeded.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's techledger

from techledger.db import session_scope, upgrade_database
from techledger.enums import WorkflowStatus
from techledger.models import Organization, Screenshot, TrainingQuestion, Workflow
from techledger.models.base import utcnow
from techledger.services import accounts, organizations, retention
from techledger.settings import get_settings
from techledger.storage import get_store

RESULTS = Path(__file__).parent / "results" / "retention.json"


def seed(n: int) -> str:
    store = get_store()
    suffix = uuid.uuid4().hex[:8]
    with session_scope() as session:
        user = accounts.sign_up(
            session=session, email=f"bench-{suffix}@example.com", password="bench-password-1"
        )
        org = organizations.create_organization(
            session=session, user_id=user.id, name=f"Bench {suffix}"
        )
        archived = Workflow(
            organization_id=org.id,
            user_id=user.id,
            name="Archived",
            application_name="Bench",
            status=WorkflowStatus.ARCHIVED,
        )
        active = Workflow(
            organization_id=org.id, user_id=user.id, name="Active", application_name="Bench"
        )
        session.add_all([archived, active])
        session.flush()
        old = utcnow() - timedelta(days=120)
        keeper = Screenshot(
            user_id=user.id,
            workflow_id=active.id,
            original_url="file:///none",
            file_size=1,
            dimensions={"width": 100, "height": 100},
        )
        session.add(keeper)
        session.flush()
        for i in range(n):
            shot = Screenshot(
                user_id=user.id,
                workflow_id=archived.id,
                original_url="",
                file_size=10,
                dimensions={"width": 100, "height": 100},
                created_at=old,
            )
            session.add(shot)
            session.flush()
            prefix = retention.screenshot_prefix(org.id, shot.id)
            shot.original_url = store.put(prefix + "original.png", b"o" * 64)
            shot.thumbnail_url = store.put(prefix + "thumbnail.webp", b"t" * 16)
            shot.annotated_url = store.put(prefix + "annotated.png", b"a" * 64)
            store.put(prefix + "crops/0.png", b"c")
            session.add(
                TrainingQuestion(
                    user_id=user.id,
                    screenshot_id=keeper.id,
                    question_text=f"What does element {i} do here?",
                    question_type="PURPOSE",
                    created_at=old,
                )
            )
        return org.id


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    upgrade_database()
    org_id = seed(n)
    started = time.perf_counter()
    with session_scope() as session:
        dry = retention.run_retention(session=session, dry_run=True).as_dict()["counts"]
    dry_s = time.perf_counter() - started
    started = time.perf_counter()
    with session_scope() as session:
        done = retention.run_retention(session=session).as_dict()["counts"]
    run_s = time.perf_counter() - started
    with session_scope() as session:
        session.delete(session.get(Organization, org_id))
    settings = get_settings()
    result = {
        "screenshots": n,
        "dry_run_s": round(dry_s, 3),
        "run_s": round(run_s, 3),
        "screenshots_per_s": round(done["screenshots"] / run_s, 1) if run_s else None,
        "deleted": done,
        "dry_run_counts": dry,
        "database": settings.database_url.split(":", 1)[0],
        "storage": settings.storage_url.split(":", 1)[0],
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""HTTP routes beside the Reflex app: health now; files and webhooks join here."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from techledger import jobs
from techledger.api_files import screenshot_file
from techledger.db import get_engine
from techledger.webhooks import stripe_webhook


def _database_status() -> dict:
    import sqlalchemy as sa

    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        return {"ok": True, "dialect": get_engine().dialect.name, "revision": revision}
    except Exception as exc:  # noqa: BLE001  (health reports every failure)
        return {"ok": False, "error": str(exc).splitlines()[0]}


async def health(_request: Request) -> JSONResponse:
    """Database, Redis and worker status; 503 when something is down."""
    report = {"database": _database_status(), **jobs.status()}
    ok = report["database"]["ok"] and report["queue"]["ok"] and report["workers"]["ok"]
    report["ok"] = ok
    return JSONResponse(report, status_code=200 if ok else 503)


ROUTES: list[Route] = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/files/screenshots/{screenshot_id}/{variant}", screenshot_file, methods=["GET"]),
    Route("/api/stripe/webhook", stripe_webhook, methods=["POST"]),
]


def build_api() -> Starlette:
    """The Starlette app mounted in front of Reflex's backend."""
    return Starlette(routes=list(ROUTES))

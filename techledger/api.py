"""HTTP routes beside the Reflex app: health now; files and webhooks join here."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
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


async def step_image(request: Request) -> Response:
    """A guide's step image, through a signed link; anything else is 404."""
    from techledger.db import session_scope
    from techledger.services.document_images import check_signature, read_step_image

    screenshot_id = request.path_params["screenshot_id"]
    name = request.path_params["name"].removesuffix(".png")
    if not check_signature(
        request.url.path, request.query_params.get("exp"), request.query_params.get("sig")
    ):
        return PlainTextResponse("Not found.", status_code=404)
    with session_scope() as session:
        data = read_step_image(session, screenshot_id, name)
    if data is None:
        return PlainTextResponse("Not found.", status_code=404)
    return Response(
        data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


async def export_download(request: Request) -> Response:
    """A finished export, through the signed link its page handed out; anything else is 404."""
    from techledger.db import session_scope
    from techledger.services.document_export import read_export
    from techledger.services.document_images import check_signature

    if not check_signature(
        request.url.path, request.query_params.get("exp"), request.query_params.get("sig")
    ):
        return PlainTextResponse("Not found.", status_code=404)
    with session_scope() as session:
        found = read_export(session, request.path_params["export_id"])
    if found is None:
        return PlainTextResponse("Not found.", status_code=404)
    data, filename, media_type = found
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


ROUTES: list[Route] = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/step-images/{screenshot_id}/{name}", step_image, methods=["GET"]),
    Route("/api/exports/{export_id}/download", export_download, methods=["GET"]),
    Route("/api/files/screenshots/{screenshot_id}/{variant}", screenshot_file, methods=["GET"]),
    Route("/api/stripe/webhook", stripe_webhook, methods=["POST"]),
]


def build_api() -> Starlette:
    """The Starlette app mounted in front of Reflex's backend."""
    return Starlette(routes=list(ROUTES))

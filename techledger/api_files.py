"""``GET /api/files/screenshots/{id}/{original|thumbnail|annotated}?t=SIGNED``: files, to members only."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from techledger.db import session_scope
from techledger.services import file_links
from techledger.services.errors import NotFound


def _read(screenshot_id: str, variant: str, signature: str) -> tuple[bytes, str]:
    with session_scope() as session:
        return file_links.open_file(
            session=session, screenshot_id=screenshot_id, variant=variant, signature=signature
        )


async def screenshot_file(request: Request) -> Response:
    """One of a screenshot's files; 404 for anything not allowed, so nothing leaks."""
    try:
        data, content_type = await run_in_threadpool(
            _read,
            request.path_params["screenshot_id"],
            request.path_params["variant"],
            request.query_params.get("t", ""),
        )
    except NotFound:
        return PlainTextResponse("Not found", status_code=404)
    return Response(
        data,
        media_type=content_type,
        headers={
            "Cache-Control": "private, max-age=600",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
        },
    )

"""Signed, short-lived links to a screenshot's files, for the browser's ``<img>`` tags.

An image tag cannot send the login token, so each link carries a signature (``SECRET_KEY``)
naming the login session, the screenshot, the variant and an expiry. Serving checks all of it
again: the session must still be open and its person still a member of the screenshot's
organization. Anything else, a forged, altered or expired link included, is "not found".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select

from techledger.models import LoginSession, OrganizationMember, Screenshot, Workflow
from techledger.models.base import utcnow
from techledger.services.errors import NotFound, not_found
from techledger.services.tokens import token_hash
from techledger.settings import get_settings
from techledger.storage import BlobNotFound, get_store

VARIANTS = ("original", "thumbnail", "annotated")
WINDOW_S = 600  # links expire 10 to 20 minutes after they are made, and are stable meanwhile
_SALT = "techledger.screenshot-file"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt=_SALT)


def file_path(screenshot_id: str, variant: str, signature: str) -> str:
    """The API path of one of a screenshot's files."""
    return f"/api/files/screenshots/{screenshot_id}/{variant}?t={signature}"


def link_maker(
    *, session: Session, token: str, now: float | None = None
) -> Callable[[str, str], str]:
    """A function (screenshot id, variant) -> signed path, for the person behind ``token``.

    The caller has already listed the screenshots through a service that checked the actor.
    """
    row = session.exec(
        select(LoginSession.id).where(LoginSession.token_hash == token_hash(token or ""))
    ).first()
    if row is None:
        raise NotFound("Please log in.")
    expires = (int(now or time.time()) // WINDOW_S + 2) * WINDOW_S
    serializer = _serializer()

    def make(screenshot_id: str, variant: str) -> str:
        if variant not in VARIANTS:
            raise ValueError(f"unknown file variant {variant!r}")
        signature = serializer.dumps([row, screenshot_id, variant, expires])
        return file_path(screenshot_id, variant, signature)

    return make


def _aware(moment):  # noqa: ANN001, ANN202
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_file(
    *, session: Session, screenshot_id: str, variant: str, signature: str
) -> tuple[bytes, str]:
    """The bytes and content type of a screenshot's file, if the signed link allows it."""
    missing = not_found("File")
    try:
        login_id, signed_id, signed_variant, expires = _serializer().loads(signature or "")
    except (BadSignature, ValueError, TypeError):
        raise missing from None
    if signed_id != screenshot_id or signed_variant != variant or variant not in VARIANTS:
        raise missing
    if not isinstance(expires, int) or expires < time.time():
        raise missing
    login = session.get(LoginSession, login_id)
    if login is None or _aware(login.expires_at) <= utcnow():
        raise missing
    row = session.exec(
        select(Screenshot, Workflow.organization_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(Screenshot.id == screenshot_id)
    ).first()
    if row is None:
        raise missing
    screenshot, organization_id = row
    member = session.exec(
        select(OrganizationMember.id).where(
            OrganizationMember.user_id == login.user_id,
            OrganizationMember.organization_id == organization_id,
        )
    ).first()
    if member is None:
        raise missing
    url = {
        "original": screenshot.original_url,
        "thumbnail": screenshot.thumbnail_url,
        "annotated": screenshot.annotated_url,
    }[variant]
    if not url:
        raise missing
    store = get_store()
    try:
        data = store.get(store.key_for_url(url))
    except (BlobNotFound, ValueError):
        raise missing from None
    return data, _content_type(url)


def _content_type(url: str) -> str:
    ext = url.rsplit(".", 1)[-1].lower()
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
    }.get(ext, "application/octet-stream")

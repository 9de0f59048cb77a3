"""Stripe's webhook endpoint: verify the signature, apply the event once, answer Stripe."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from techledger.db import session_scope
from techledger.services import billing
from techledger.services.errors import Conflict

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # Stripe events are a few kilobytes


def _apply(payload: bytes, signature: str | None) -> dict:
    with session_scope() as session:
        return billing.handle_webhook(session=session, payload=payload, signature=signature)


async def stripe_webhook(request: Request) -> JSONResponse:
    """POST /api/stripe/webhook: 200 once applied (or already), 400 if not from Stripe.

    An event for an unknown price answers 422 and changes nothing, so Stripe retries it
    after the price is configured.
    """
    payload = await request.body()
    if len(payload) > MAX_BODY:
        return JSONResponse({"error": "Request body too large."}, status_code=413)
    signature = request.headers.get("stripe-signature")
    try:
        result = await run_in_threadpool(_apply, payload, signature)
    except billing.InvalidWebhook as error:
        log.warning("rejected a Stripe webhook: %s", error.message)
        return JSONResponse({"error": error.message}, status_code=400)
    except billing.UnknownPrice as error:
        log.error("Stripe webhook not applied: %s", error.message)
        return JSONResponse({"error": error.message}, status_code=422)
    except Conflict as error:
        return JSONResponse({"error": error.message}, status_code=409)
    return JSONResponse(result)

"""A fake Stripe for tests: recorded API responses in Stripe's JSON, and webhook signing.

Responses are real Stripe objects (``stripe.StripeObject.construct_from``) built from the
recordings in ``tests/stripe_recordings/``; webhooks are signed the way Stripe signs them
(``t=<ts>,v1=HMAC-SHA256(secret, f"{t}.{payload}")``) with ``stripe.WebhookSignature``.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import stripe

RECORDINGS = Path(__file__).parent / "stripe_recordings"
WEBHOOK_SECRET = "whsec_test_5f7a1c0e9b3d4a2f8e6c"
PRICES = {
    "STARTER": "price_1QStarterMonthly",
    "PROFESSIONAL": "price_1QProfessionalMonthly",
    "ENTERPRISE": "price_1QEnterpriseMonthly",
}
STRIPE_ENV = {
    "STRIPE_SECRET_KEY": "sk_test_51QfakeKeyForTests",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "STRIPE_PRICE_STARTER": PRICES["STARTER"],
    "STRIPE_PRICE_PROFESSIONAL": PRICES["PROFESSIONAL"],
    "STRIPE_PRICE_ENTERPRISE": PRICES["ENTERPRISE"],
}
_seq = itertools.count(1)


def recording(name: str) -> dict[str, Any]:
    """A recorded Stripe JSON response, as a fresh dict."""
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def configure_stripe(monkeypatch=None, **overrides: str) -> None:  # noqa: ANN001
    """Put the test Stripe settings in the environment and reload the settings."""
    from techledger.settings import get_settings

    for key, value in {**STRIPE_ENV, **overrides}.items():
        if monkeypatch is not None:
            monkeypatch.setenv(key, value)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


def unconfigure_stripe(monkeypatch=None) -> None:  # noqa: ANN001
    from techledger.settings import get_settings

    for key in STRIPE_ENV:
        if monkeypatch is not None:
            monkeypatch.delenv(key, raising=False)
        else:
            os.environ.pop(key, None)
    get_settings.cache_clear()


class FakeStripe:
    """A ``StripeGateway`` answering from recordings; remembers every call."""

    def __init__(self, checkout_url: str | None = None, portal_url: str | None = None) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.checkout_url = checkout_url
        self.portal_url = portal_url

    def _object(self, recorded: str, **changes: Any) -> stripe.StripeObject:
        values = recording(recorded)
        values.update(changes)
        return stripe.StripeObject.construct_from(values, "sk_test_51QfakeKeyForTests")

    def create_customer(self, *, params: dict[str, Any], idempotency_key: str) -> Any:
        self.calls.append(("customer", {**params, "idempotency_key": idempotency_key}))
        return self._object(
            "customer",
            id=f"cus_test{next(_seq):06d}",
            name=params.get("name"),
            email=params.get("email"),
            metadata=params.get("metadata", {}),
        )

    def create_checkout_session(self, *, params: dict[str, Any]) -> Any:
        self.calls.append(("checkout", params))
        changes: dict[str, Any] = {
            "customer": params["customer"],
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
        }
        if self.checkout_url:
            changes["url"] = self.checkout_url
        return self._object("checkout_session", **changes)

    def create_portal_session(self, *, params: dict[str, Any]) -> Any:
        self.calls.append(("portal", params))
        changes = {"customer": params["customer"], "return_url": params["return_url"]}
        if self.portal_url:
            changes["url"] = self.portal_url
        return self._object("portal_session", **changes)

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]


def event(
    event_type: str, obj: dict[str, Any], *, created: int | None = None, event_id: str = ""
) -> dict[str, Any]:
    """A webhook event in Stripe's shape wrapping ``obj``."""
    return {
        "id": event_id or f"evt_1Test{next(_seq):010d}",
        "object": "event",
        "api_version": "2025-10-29.clover",
        "created": created if created is not None else int(time.time()),
        "data": {"object": copy.deepcopy(obj)},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def subscription(
    customer: str,
    *,
    status: str = "active",
    price: str = PRICES["STARTER"],
    subscription_id: str = "sub_1QaBcDeFgHiJkLmN",
    **changes: Any,
) -> dict[str, Any]:
    """A recorded subscription for ``customer`` with ``status`` and ``price``."""
    sub = recording("subscription")
    sub.update(id=subscription_id, customer=customer, status=status, **changes)
    sub["items"]["data"][0]["price"]["id"] = price
    sub["items"]["data"][0]["subscription"] = subscription_id
    return sub


def signature_header(
    payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    """The ``Stripe-Signature`` header Stripe would send for ``payload``."""
    t = timestamp if timestamp is not None else int(time.time())
    signed = stripe.WebhookSignature._compute_signature(f"{t}.{payload}", secret)
    return f"t={t},v1={signed}"


class RecordedHttpClient(stripe.HTTPClient):
    """Stripe's HTTP layer answered from recordings: the official client, no network.

    Lets ``StripeApi`` (the real gateway) be tested down to the requests it sends.
    """

    ROUTES = {
        ("post", "/v1/customers"): "customer",
        ("post", "/v1/checkout/sessions"): "checkout_session",
        ("post", "/v1/billing_portal/sessions"): "portal_session",
    }

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[dict[str, Any]] = []

    name = "recorded"

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # noqa: ANN001, ANN201
        from urllib.parse import parse_qs, urlsplit

        path = urlsplit(url).path
        self.requests.append(
            {
                "method": method,
                "path": path,
                "headers": dict(headers or {}),
                "form": {k: v[0] for k, v in parse_qs(post_data or "").items()},
            }
        )
        recorded = self.ROUTES.get((method, path))
        if recorded is None:
            body = {
                "error": {
                    "type": "invalid_request_error",
                    "message": f"Unrecognized request URL ({method.upper()}: {path}).",
                }
            }
            return json.dumps(body), 404, {"request-id": "req_test"}
        return json.dumps(recording(recorded)), 200, {"request-id": "req_test"}

    def close(self) -> None:
        pass

"""Reflex configuration. TechLedger's own settings live in techledger/settings.py."""

import os

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

_redis = os.environ.get("REDIS_URL") or None

config = rx.Config(
    app_name="techledger",
    # With REDIS_URL, Reflex state lives in Redis so several backends can serve one app.
    redis_url=_redis,
    state_manager_mode="redis" if _redis else "memory",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium")
        )
    ],
)

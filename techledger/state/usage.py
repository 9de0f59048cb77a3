"""The organization's usage against its plan's limits (the settings page's Usage card)."""

from __future__ import annotations

import reflex as rx

from techledger.services import plan_limits
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState


class UsageState(SessionState):
    """Members, workflows and this month's screenshots, each with its limit."""

    usage_plan: str = ""
    usage_rows: list[dict[str, str | int | bool]] = []

    @rx.event
    def load_usage(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                data = plan_limits.organization_usage(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        self.usage_plan = data["plan"]
        self.usage_rows = [
            {
                "label": row["label"],
                "resource": row["resource"],
                "used": f"{row['used']:,}",
                "limit": "Unlimited" if row["limit"] is None else f"{row['limit']:,}",
                "percent": row["percent"],
                "at_limit": row["at_limit"],
            }
            for row in data["rows"]
        ]
        return None

"""The organization's home page."""

from __future__ import annotations

import reflex as rx

from techledger.services import overview
from techledger.services.errors import ServiceError
from techledger.state.session import SessionState


class HomeState(SessionState):
    counts: dict[str, int] = {}

    @rx.event
    def load_home(self):  # noqa: ANN201
        try:
            with self._as_actor() as (session, actor):
                self.counts = overview.organization_overview(session=session, actor=actor)
        except ServiceError as error:
            return self._failed(error)
        return None

"""The errors services raise; each message is fit to show to the person who caused it."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """The row does not exist, or belongs to an organization the actor is not in."""


class PermissionDenied(ServiceError):
    """The actor's role does not allow this."""


class InvalidInput(ServiceError):
    """A value breaks a rule of the spec; the message says which and what is allowed."""


class Conflict(ServiceError):
    """The change collides with the current state (taken name, stale copy, used token)."""


class LimitReached(ServiceError):
    """The organization's plan does not allow more of this."""


def not_found(what: str) -> NotFound:
    """The one message for a missing or foreign row, so nothing leaks across tenants."""
    return NotFound(f"{what} not found.")

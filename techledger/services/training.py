"""Training: what happens to a screenshot's elements once it is analyzed.

The training capability (issue 5) fills this module: matching against learned patterns and
questions for the elements without a confident match.
"""

from __future__ import annotations

from sqlmodel import Session


def after_analysis(*, session: Session, screenshot_id: str) -> None:
    """Called by the analysis job once a screenshot's elements are stored (same transaction)."""

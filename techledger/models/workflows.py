"""Workflows, their screenshots and the UI elements found on them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.enums import ElementType, ScreenshotStatus, WorkflowStatus
from techledger.models.base import (
    created_at_field,
    default_field,
    enum_field,
    fk_field,
    id_field,
    json_field,
    timestamp_field,
    updated_at_field,
)


class Workflow(SQLModel, table=True):
    """A sequence of screens that does one thing, e.g. "Create Sales Opportunity"."""

    __tablename__ = "workflow"
    __table_args__ = (
        sa.Index("ix_workflow_user_id", "user_id"),
        sa.Index("ix_workflow_action_id", "action_id"),
        sa.Index("ix_workflow_application_name", "application_name"),
        sa.Index("ix_workflow_status", "status"),
        sa.Index("ix_workflow_organization_id", "organization_id"),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 200", name="ck_workflow_name_length"),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    # Extension: the tenant boundary (DESIGN.md).
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    action_id: str | None = fk_field("action.id", ondelete="SET NULL", nullable=True)
    name: str = Field(max_length=200)
    application_name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    status: WorkflowStatus = enum_field(WorkflowStatus, WorkflowStatus.ACTIVE)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Screenshot(SQLModel, table=True):
    """One uploaded screen of a workflow and the state of its analysis."""

    __tablename__ = "screenshot"
    __table_args__ = (
        sa.Index("ix_screenshot_user_id", "user_id"),
        sa.Index("ix_screenshot_workflow_id", "workflow_id"),
        sa.Index("ix_screenshot_status", "status"),
        sa.Index("ix_screenshot_vision_job_id", "vision_job_id"),
        sa.CheckConstraint(
            "file_size > 0 AND file_size <= 10485760", name="ck_screenshot_file_size"
        ),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    workflow_id: str = fk_field("workflow.id", ondelete="CASCADE")
    original_url: str = Field(max_length=1024)
    thumbnail_url: str | None = Field(default=None, max_length=1024)
    annotated_url: str | None = Field(default=None, max_length=1024)
    file_size: int
    dimensions: dict = json_field(nullable=False)
    status: ScreenshotStatus = enum_field(ScreenshotStatus, ScreenshotStatus.UPLOADED)
    vision_job_id: str | None = Field(default=None, max_length=64)
    analysis_result: dict | None = json_field()
    # Extensions: order in the workflow, analysis bookkeeping and the reason of a failure.
    position: int = default_field(0)
    original_filename: str | None = Field(default=None, max_length=255)
    content_sha256: str | None = Field(default=None, max_length=64)
    processed_at: datetime | None = timestamp_field()
    processing_started_at: datetime | None = timestamp_field()
    analysis_attempts: int = default_field(0)
    failure_reason: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class DetectedElement(SQLModel, table=True):
    """A UI element the vision engine found on a screenshot."""

    __tablename__ = "detected_element"
    __table_args__ = (
        sa.Index("ix_detected_element_screenshot_id", "screenshot_id"),
        sa.Index("ix_detected_element_pattern_id", "pattern_id"),
        sa.Index("ix_detected_element_element_type", "element_type"),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name="ck_detected_element_confidence"
        ),
        sa.CheckConstraint(
            "match_confidence IS NULL OR (match_confidence >= 0 AND match_confidence <= 1)",
            name="ck_detected_element_match_confidence",
        ),
    )

    id: str = id_field()
    screenshot_id: str = fk_field("screenshot.id", ondelete="CASCADE")
    element_type: ElementType = enum_field(ElementType)
    bounding_box: dict = json_field(nullable=False)
    text: str | None = Field(default=None, max_length=2000)
    confidence: float
    properties: dict | None = json_field()
    # use_alter: element -> pattern -> answer -> question -> element is a cycle.
    pattern_id: str | None = Field(
        default=None,
        sa_column=sa.Column(
            "pattern_id",
            sa.String(32),
            sa.ForeignKey(
                "pattern.id",
                ondelete="SET NULL",
                use_alter=True,
                name="fk_detected_element_pattern_id_pattern",
            ),
            nullable=True,
        ),
    )
    match_confidence: float | None = None
    created_at: datetime = created_at_field()

"""Questions asked about unknown elements, their answers, and the patterns learned."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from techledger.enums import ElementType, QuestionStatus, QuestionType
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


class TrainingQuestion(SQLModel, table=True):
    """A short question about one element, e.g. 'What happens when you click "Submit"?'."""

    __tablename__ = "training_question"
    __table_args__ = (
        sa.Index("ix_training_question_user_id", "user_id"),
        sa.Index("ix_training_question_screenshot_id", "screenshot_id"),
        sa.Index("ix_training_question_status", "status"),
        sa.Index("ix_training_question_priority", sa.text("priority DESC")),
        sa.Index("ix_training_question_detected_element_id", "detected_element_id"),
        sa.CheckConstraint("priority BETWEEN 1 AND 10", name="ck_training_question_priority"),
        sa.CheckConstraint(
            "length(question_text) BETWEEN 10 AND 500", name="ck_training_question_text_length"
        ),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    screenshot_id: str = fk_field("screenshot.id", ondelete="CASCADE")
    detected_element_id: str | None = fk_field(
        "detected_element.id", ondelete="SET NULL", nullable=True
    )
    question_text: str = Field(max_length=500)
    question_type: QuestionType = enum_field(QuestionType)
    priority: int = default_field(5)
    suggested_answers: list | None = json_field()
    status: QuestionStatus = enum_field(QuestionStatus, QuestionStatus.PENDING)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class TrainingAnswer(SQLModel, table=True):
    """A person's answer to one question (at most one per question)."""

    __tablename__ = "training_answer"
    __table_args__ = (
        sa.Index("ix_training_answer_user_id", "user_id"),
        sa.Index("ix_training_answer_question_id", "question_id"),
        sa.CheckConstraint(
            "length(answer_text) BETWEEN 1 AND 2000", name="ck_training_answer_text_length"
        ),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name="ck_training_answer_confidence"
        ),
    )

    id: str = id_field()
    question_id: str = Field(
        max_length=32, foreign_key="training_question.id", ondelete="CASCADE", unique=True
    )
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    answer_text: str = Field(max_length=2000)
    confidence: float = default_field(1.0)
    meta: dict | None = json_field(column_name="metadata")
    created_at: datetime = created_at_field()


class Pattern(SQLModel, table=True):
    """What the organization has learned about one element of one application."""

    __tablename__ = "pattern"
    __table_args__ = (
        sa.Index("ix_pattern_user_id", "user_id"),
        sa.Index("ix_pattern_application_name", "application_name"),
        sa.Index("ix_pattern_element_type", "element_type"),
        sa.Index("ix_pattern_user_id_application_name", "user_id", "application_name"),
        sa.Index(
            "ix_pattern_is_active",
            "is_active",
            postgresql_where=sa.text("is_active = true"),
            sqlite_where=sa.text("is_active = 1"),
        ),
        sa.Index(
            "ix_pattern_user_id_application_name_element_type",
            "user_id",
            "application_name",
            "element_type",
        ),
        sa.Index(
            "ix_pattern_organization_id_application_name_element_type",
            "organization_id",
            "application_name",
            "element_type",
        ),
        # Extension: the matching cache re-reads only the patterns changed since it last looked.
        sa.Index("ix_pattern_organization_id_updated_at", "organization_id", "updated_at"),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="ck_pattern_confidence"),
        sa.CheckConstraint("usage_count >= 0", name="ck_pattern_usage_count"),
        sa.CheckConstraint("length(purpose) BETWEEN 1 AND 500", name="ck_pattern_purpose_length"),
        sa.CheckConstraint("length(action) BETWEEN 1 AND 1000", name="ck_pattern_action_length"),
    )

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    # Extension: patterns are shared by the whole organization; user_id stays the author.
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    answer_id: str | None = fk_field("training_answer.id", ondelete="SET NULL", nullable=True)
    application_name: str = Field(max_length=100)
    element_type: ElementType = enum_field(ElementType)
    bounding_box: dict = json_field(nullable=False)
    text: str | None = Field(default=None, max_length=2000)
    purpose: str = Field(max_length=500)
    action: str = Field(max_length=1000)
    business_context: str | None = Field(default=None, max_length=2000)
    confidence: float = default_field(1.0)
    usage_count: int = default_field(0)
    is_active: bool = default_field(True)
    # Extensions: evidence for matching and the time of the last match.
    visual_hash: str | None = Field(default=None, max_length=64)
    last_used_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

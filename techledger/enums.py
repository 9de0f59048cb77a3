"""The spec's vocabularies, shared by the tables and the vision engines.

Kept free of any database or UI import so that ``vision/`` can use
``ElementType`` without knowing that tables exist.
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    ADMIN = "ADMIN"
    OWNER = "OWNER"
    MEMBER = "MEMBER"
    VIEWER = "VIEWER"


class SubscriptionStatus(str, Enum):
    TRIAL = "TRIAL"
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


class SubscriptionTier(str, Enum):
    FREE = "FREE"
    STARTER = "STARTER"
    PROFESSIONAL = "PROFESSIONAL"
    ENTERPRISE = "ENTERPRISE"


class WorkflowStatus(str, Enum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"


class ScreenshotStatus(str, Enum):
    UPLOADED = "UPLOADED"
    PROCESSING = "PROCESSING"
    ANALYZED = "ANALYZED"
    FAILED = "FAILED"


class ElementType(str, Enum):
    BUTTON = "BUTTON"
    INPUT = "INPUT"
    DROPDOWN = "DROPDOWN"
    CHECKBOX = "CHECKBOX"
    RADIO = "RADIO"
    TABLE = "TABLE"
    LABEL = "LABEL"
    LINK = "LINK"
    MENU = "MENU"
    DIALOG = "DIALOG"
    UNKNOWN = "UNKNOWN"


class QuestionType(str, Enum):
    PURPOSE = "PURPOSE"
    ACTION = "ACTION"
    INPUT = "INPUT"
    CONTEXT = "CONTEXT"


class QuestionStatus(str, Enum):
    PENDING = "PENDING"
    ANSWERED = "ANSWERED"
    SKIPPED = "SKIPPED"


class ContentType(str, Enum):
    MARKDOWN = "MARKDOWN"
    HTML = "HTML"
    PDF = "PDF"


class DocumentStatus(str, Enum):
    DRAFT = "DRAFT"
    REVIEW = "REVIEW"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"

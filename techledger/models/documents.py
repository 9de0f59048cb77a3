"""Generated guides and their versions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from techledger.enums import ContentType, DocumentStatus
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

CONTENT_MAX = 100_000
TITLE_MAX = 200
# The weighted tsvector of a document (title above content) that PostgreSQL search uses. It is
# stored in ``search_vector`` (a generated column on PostgreSQL, with a GIN index); SQLite
# searches an FTS5 table made by the migration instead and leaves the column empty.
SEARCH_VECTOR = (
    "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(content, '')), 'B'))"
)


def _search_vector(index_name: str) -> tuple[sa.Column, sa.Index]:
    """The ``search_vector`` column and its GIN index. The column is the database's business:
    tables exclude it from the mapper, so the ORM never loads or writes it."""
    column = sa.Column("search_vector", TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True)
    return column, sa.Index(index_name, "search_vector", postgresql_using="gin")


class Document(SQLModel, table=True):
    """A step-by-step guide, attached to an Action of the hierarchy."""

    __tablename__ = "document"
    __table_args__ = (
        sa.Index("ix_document_user_id", "user_id"),
        sa.Index("ix_document_organization_id", "organization_id"),
        sa.Index("ix_document_action_id", "action_id"),
        sa.Index("ix_document_application_name", "application_name"),
        sa.Index("ix_document_status", "status"),
        sa.Index("ix_document_workflow_id", "workflow_id"),
        sa.CheckConstraint("length(title) BETWEEN 1 AND 200", name="ck_document_title_length"),
        sa.CheckConstraint(
            f"length(content) BETWEEN 1 AND {CONTENT_MAX}", name="ck_document_content_length"
        ),
        sa.CheckConstraint("version >= 1", name="ck_document_version"),
        *_search_vector("ix_document_search"),
    )
    __mapper_args__ = {"exclude_properties": ["search_vector"]}

    id: str = id_field()
    user_id: str = fk_field("user.id", ondelete="CASCADE")
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    action_id: str | None = fk_field("action.id", ondelete="SET NULL", nullable=True)
    title: str = Field(max_length=200)
    content: str = Field(sa_type=sa.Text, nullable=False)
    content_type: ContentType = enum_field(ContentType, ContentType.MARKDOWN)
    application_name: str = Field(max_length=100)
    status: DocumentStatus = enum_field(DocumentStatus, DocumentStatus.DRAFT)
    version: int = default_field(1)
    meta: dict | None = json_field(column_name="metadata")
    published_at: datetime | None = timestamp_field()
    # Extensions: the workflow it was generated from, the version readers see while a
    # new draft is in the works, and a counter that refuses lost updates.
    workflow_id: str | None = fk_field("workflow.id", ondelete="SET NULL", nullable=True)
    published_version: int | None = None
    revision: int = default_field(0)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class DocumentVersion(SQLModel, table=True):
    """A frozen copy of a document's content at one version number."""

    __tablename__ = "document_version"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "version", name="uq_document_version_document_version"),
        sa.Index("ix_document_version_document_id", "document_id"),
        sa.CheckConstraint("version >= 1", name="ck_document_version_version"),
    )

    id: str = id_field()
    document_id: str = fk_field("document.id", ondelete="CASCADE")
    version: int
    content: str = Field(sa_type=sa.Text, nullable=False)
    changelog: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=32)
    # Extension: the title and status the document had at this version.
    title: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=16)
    created_at: datetime = created_at_field()


class PublishedDocument(SQLModel, table=True):
    """Extension: the text readers see of each live published document, searched for them.

    A published guide that gets a new draft keeps its approved text here until the draft is
    approved, so readers find (and read) what is published, never the draft. Archived
    documents have no row. Search indexes it like ``document`` (``search_vector`` on
    PostgreSQL, the FTS5 table ``document_fts_published`` on SQLite).
    """

    __tablename__ = "published_document"
    __table_args__ = (
        sa.Index("ix_published_document_organization_id", "organization_id"),
        *_search_vector("ix_published_document_search"),
    )
    __mapper_args__ = {"exclude_properties": ["search_vector"]}

    document_id: str = Field(
        primary_key=True, max_length=32, foreign_key="document.id", ondelete="CASCADE"
    )
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    version: int
    title: str = Field(max_length=200)
    content: str = Field(sa_type=sa.Text, nullable=False)


class DocumentExport(SQLModel, table=True):
    """One export of a document (Markdown zip, HTML or PDF), made by a job, with its progress."""

    __tablename__ = "document_export"
    __table_args__ = (
        sa.Index("ix_document_export_document_id", "document_id"),
        sa.Index("ix_document_export_organization_id", "organization_id"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="ck_document_export_progress"),
    )

    id: str = id_field()
    organization_id: str = fk_field("organization.id", ondelete="CASCADE")
    document_id: str = fk_field("document.id", ondelete="CASCADE")
    created_by: str | None = fk_field("user.id", ondelete="SET NULL", nullable=True)
    # Which content: the version number exported (readers export the published one).
    version: int
    format: str = Field(max_length=8)  # md | html | pdf
    status: str = Field(default="queued", max_length=16)  # queued | running | done | failed
    progress: int = default_field(0)
    storage_key: str | None = Field(default=None, max_length=1024)
    filename: str | None = Field(default=None, max_length=255)
    size_bytes: int | None = None
    error: str | None = Field(default=None, max_length=1000)
    finished_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

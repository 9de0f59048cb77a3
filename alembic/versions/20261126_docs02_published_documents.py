"""published documents: the text readers see and search, kept while a new draft is written

Revision ID: docs02
Revises: train01
Create Date: 2026-11-26 08:52:07.710651
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "docs02"
down_revision: str | None = "train01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in docs01: PostgreSQL gets a stored, generated, weighted tsvector with a GIN index; SQLite
# an external-content FTS5 table kept in step by triggers.
SEARCH_VECTOR = (
    "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(content, '')), 'B'))"
)
FTS_TRIGGERS = ("document_fts_published_insert", "document_fts_published_delete",
                "document_fts_published_update")  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "published_document",
        sa.Column("document_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("organization_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_published_document_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_published_document_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_published_document")),
    )
    op.create_index(
        "ix_published_document_organization_id", "published_document", ["organization_id"]
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE published_document ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS {SEARCH_VECTOR} STORED"
        )
        op.execute(
            "CREATE INDEX ix_published_document_search ON published_document "
            "USING gin (search_vector)"
        )
    else:
        op.add_column("published_document", sa.Column("search_vector", sa.Text(), nullable=True))
        op.create_index("ix_published_document_search", "published_document", ["search_vector"])
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE document_fts_published USING fts5("
            "title, content, content='published_document', content_rowid='rowid', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        insert, delete, update = FTS_TRIGGERS
        op.execute(
            f"CREATE TRIGGER {insert} AFTER INSERT ON published_document BEGIN "
            "INSERT INTO document_fts_published(rowid, title, content) "
            "VALUES (new.rowid, new.title, new.content); END"
        )
        op.execute(
            f"CREATE TRIGGER {delete} AFTER DELETE ON published_document BEGIN "
            "INSERT INTO document_fts_published(document_fts_published, rowid, title, content) "
            "VALUES ('delete', old.rowid, old.title, old.content); END"
        )
        op.execute(
            f"CREATE TRIGGER {update} AFTER UPDATE OF title, content ON published_document BEGIN "
            "INSERT INTO document_fts_published(document_fts_published, rowid, title, content) "
            "VALUES ('delete', old.rowid, old.title, old.content); "
            "INSERT INTO document_fts_published(rowid, title, content) "
            "VALUES (new.rowid, new.title, new.content); END"
        )
    # The guides published so far: their approved version's text (the version row keeps the
    # title it had; older rows without one fall back to the document's).
    op.execute(
        "INSERT INTO published_document (document_id, organization_id, version, title, content) "
        "SELECT d.id, d.organization_id, v.version, coalesce(v.title, d.title), v.content "
        "FROM document d JOIN document_version v "
        "ON v.document_id = d.id AND v.version = d.published_version "
        "WHERE d.status <> 'ARCHIVED'"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS document_fts_published")
    op.drop_index("ix_published_document_search", table_name="published_document")
    op.drop_index("ix_published_document_organization_id", table_name="published_document")
    op.drop_table("published_document")

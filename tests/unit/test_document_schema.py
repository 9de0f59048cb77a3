"""The documents migration: its search structures exist on each database and the migrations
still match the models."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

import techledger.models  # noqa: F401


def test_search_structures(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            generated = conn.execute(
                sa.text(
                    "SELECT is_generated FROM information_schema.columns "
                    "WHERE table_name = 'document' AND column_name = 'search_vector'"
                )
            ).scalar()
            assert generated == "ALWAYS"
            index = conn.execute(
                sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_document_search'")
            ).scalar()
            assert "gin (search_vector)" in index
        else:
            names = {r[0] for r in conn.execute(sa.text("SELECT name FROM sqlite_master")).all()}
            assert {"document_fts", "document_fts_insert", "document_fts_update"} <= names


def test_migrations_match_the_models_apart_from_the_fts_table(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include_name(name, type_, _parents):  # noqa: ANN001, ANN202
        return not (type_ == "table" and (name or "").startswith("document_fts"))

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    diff = [
        d
        for d in diff
        if not (
            engine.dialect.name == "sqlite"
            and d[0] in ("add_index", "remove_index")
            and d[1].name == "ix_training_question_priority"
        )
    ]
    assert diff == []

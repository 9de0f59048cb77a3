"""The tables hold to the spec (every model, field, enum, unique, index and FK), in the models
and in the migrated database, on SQLite and PostgreSQL; and migrations match the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import techledger.models  # noqa: F401
from tests.spec_schema import SHARED_SPEC, SPEC, parse

MODELS, ENUMS = parse()
# Deliberate, documented deviations from the spec (DESIGN.md "Extensions").
NULLABLE_EXCEPTIONS = {("user", "clerk_id")}  # filled only when Clerk is the identity provider
PY_TYPES = {
    "String": (sa.String, sa.Text, AutoString),
    "Int": (sa.Integer,),
    "Float": (sa.Float,),
    "Boolean": (sa.Boolean,),
    "DateTime": (sa.DateTime,),
    "Json": (sa.JSON,),
}


def test_the_committed_copy_is_the_shared_spec():
    if not SHARED_SPEC.exists():
        pytest.skip("shared/spec not beside the checkout")
    text = SHARED_SPEC.read_text()
    block = text[text.index("```prisma") + len("```prisma\n") :]
    assert block[: block.index("```")] == SPEC.read_text()


def test_seventeen_models_and_ten_enums():
    assert len(MODELS) == 17 and len(ENUMS) == 10


@pytest.mark.parametrize("model", sorted(MODELS), ids=str)
def test_model_matches_spec_in_metadata(model):
    spec = MODELS[model]
    table = SQLModel.metadata.tables.get(spec.table)
    assert table is not None, f"no table {spec.table} for model {model}"
    for field in spec.fields:
        column = table.columns.get(field.column)
        assert column is not None, f"{spec.table}.{field.column} missing"
        expected_nullable = field.optional or (spec.table, field.column) in NULLABLE_EXCEPTIONS
        assert column.nullable == expected_nullable, f"{spec.table}.{field.column} nullability"
        if field.type in ENUMS:
            assert isinstance(column.type, sa.Enum), f"{spec.table}.{field.column} not an enum"
            assert list(column.type.enums) == ENUMS[field.type]
            assert column.type.name == "".join(
                "_" + c.lower() if c.isupper() else c for c in field.type
            ).lstrip("_")
        else:
            assert isinstance(column.type, PY_TYPES[field.type]), (
                f"{spec.table}.{field.column} is {column.type!r}, spec says {field.type}"
            )
        default = field.default
        if default and default not in ("cuid()", "now()"):
            assert column.server_default is not None, f"{spec.table}.{field.column} default"
        if default in ("cuid()", "now()"):
            assert column.default is not None, f"{spec.table}.{field.column} default"
        if field.unique:
            assert column.unique or any(
                isinstance(c, sa.UniqueConstraint) and [x.name for x in c.columns] == [column.name]
                for c in table.constraints
            ), f"{spec.table}.{field.column} unique"
        assert (field.name == "updatedAt") == (
            column.onupdate is not None and field.column == "updated_at"
        )
    for columns in spec.uniques:
        assert any(
            isinstance(c, sa.UniqueConstraint) and [x.name for x in c.columns] == columns
            for c in table.constraints
        ), f"{spec.table} unique {columns}"
    index_columns = [
        [c.name for c in i.columns] or [str(e).split()[0] for e in i.expressions]
        for i in table.indexes
    ]
    for columns in spec.indexes:
        assert columns in index_columns, f"{spec.table} index {columns}"
    for columns, target, on_delete in spec.relations:
        fks = [fk for fk in table.foreign_keys if fk.parent.name == columns[0]]
        assert fks, f"{spec.table}.{columns[0]} has no foreign key"
        assert fks[0].column.table.name == MODELS[target].table
        rule = {"Cascade": "CASCADE", "SetNull": "SET NULL", None: None}[on_delete]
        assert fks[0].ondelete == rule, f"{spec.table}.{columns[0]} onDelete"


@pytest.mark.parametrize("model", sorted(MODELS), ids=str)
def test_model_matches_spec_in_migrated_database(model, engine):
    spec = MODELS[model]
    inspector = sa.inspect(engine)
    columns = {c["name"]: c for c in inspector.get_columns(spec.table)}
    for field in spec.fields:
        assert field.column in columns, f"{spec.table}.{field.column} missing in the database"
        expected_nullable = field.optional or (spec.table, field.column) in NULLABLE_EXCEPTIONS
        assert columns[field.column]["nullable"] == expected_nullable
    indexes = [i["column_names"] for i in inspector.get_indexes(spec.table)]
    for cols in spec.indexes:
        assert cols in indexes, f"{spec.table} index {cols} missing in the database"
    uniques = [u["column_names"] for u in inspector.get_unique_constraints(spec.table)]
    uniques += [i["column_names"] for i in inspector.get_indexes(spec.table) if i["unique"]]
    for cols in spec.uniques + [[f.column] for f in spec.fields if f.unique]:
        assert cols in uniques, f"{spec.table} unique {cols} missing in the database"
    fks = {tuple(fk["constrained_columns"]): fk for fk in inspector.get_foreign_keys(spec.table)}
    for cols, target, on_delete in spec.relations:
        fk = fks.get(tuple(cols))
        assert fk is not None, f"{spec.table}{cols} foreign key missing in the database"
        assert fk["referred_table"] == MODELS[target].table
        rule = {"Cascade": "CASCADE", "SetNull": "SET NULL", None: None}[on_delete]
        assert (fk.get("options", {}).get("ondelete") or None) == rule


def test_enum_types_exist_in_postgres(engine, is_postgres):
    if not is_postgres:
        pytest.skip("native enum types are a PostgreSQL feature")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
                "ORDER BY t.typname, e.enumsortorder"
            )
        ).all()
    found: dict[str, list[str]] = {}
    for name, label in rows:
        found.setdefault(name, []).append(label)
    for enum, values in ENUMS.items():
        name = "".join("_" + c.lower() if c.isupper() else c for c in enum).lstrip("_")
        assert found.get(name) == values, f"enum {name}"


def test_partial_and_descending_indexes(engine, is_postgres):
    if not is_postgres:
        pytest.skip("index definitions are read from pg_indexes")
    with engine.connect() as conn:
        defs = dict(conn.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes")).all())
    assert "WHERE (is_active = true)" in defs["ix_pattern_is_active"]
    assert "priority DESC" in defs["ix_training_question_priority"]


def test_migrations_match_the_models(engine):
    """Autogenerate finds nothing to do: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    # SQLite cannot reflect expression indexes (priority DESC); it is checked on PostgreSQL.
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


def test_check_constraints_refuse_out_of_range_values(session):
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_org, make_user

    user = make_user(session)
    org = make_org(session, owner=user)
    statements = [
        "INSERT INTO organization (id, name, slug, subscription_status, subscription_tier, "
        "require_independent_review, created_at, updated_at) VALUES "
        "('x1', 'N', 'ab', 'TRIAL', 'FREE', false, now(), now())",
    ]
    if session.get_bind().dialect.name == "sqlite":
        statements = [
            s.replace("now()", "CURRENT_TIMESTAMP").replace("false", "0") for s in statements
        ]
    for statement in statements:
        with pytest.raises(IntegrityError):
            with session.begin_nested():
                session.execute(sa.text(statement))
    from techledger.models import Workflow

    wf = Workflow(user_id=user.id, organization_id=org.id, name="W", application_name="App")
    session.add(wf)
    session.flush()
    for confidence in (-0.01, 1.01):
        with pytest.raises(IntegrityError):
            with session.begin_nested():
                session.execute(
                    sa.text(
                        "INSERT INTO pattern (id, user_id, organization_id, application_name, element_type, "
                        "bounding_box, purpose, action, confidence, usage_count, is_active, created_at, "
                        "updated_at) VALUES (:id, :u, :o, 'App', 'BUTTON', '{}', 'p', 'a', :c, 0, true, "
                        ":t, :t)"
                    ),
                    {
                        "id": f"p{confidence}",
                        "u": user.id,
                        "o": org.id,
                        "c": confidence,
                        "t": "2026-01-01",
                    },
                )


def test_upgrade_and_downgrade_round_trip(tmp_path, database_url):
    """``downgrade base`` leaves an empty database and ``upgrade head`` rebuilds it."""
    from techledger.db import downgrade_database, upgrade_database

    if database_url.startswith("postgresql"):
        url = database_url.rsplit("/", 1)[0] + "/" + _scratch_pg_db(database_url)
    else:
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade_database(url)
    engine = sa.create_engine(url)
    assert len(sa.inspect(engine).get_table_names()) >= 18
    downgrade_database(url, "base")
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    upgrade_database(url)
    assert "pattern" in sa.inspect(engine).get_table_names()
    engine.dispose()


def _scratch_pg_db(url: str) -> str:
    name = "techledger_roundtrip"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return name

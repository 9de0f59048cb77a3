"""The tech-stack tree of an organization: System > Department > Practice Group > Action Group >
Action > Transformation. Create, rename, describe, delete, reorder and move nodes, keeping every
parent's children ordered 0..n-1.

A node is named in the UI by ``"<level>:<row id>"`` (``node_id``), e.g. ``"department:c1..."``.
Every change locks the parent row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serializes
writers), re-reads the siblings and renumbers them, so concurrent edits keep orders dense and
unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from techledger.enums import DocumentStatus
from techledger.models import (
    Action,
    ActionGroup,
    Department,
    Document,
    Organization,
    PracticeGroup,
    System,
    Transformation,
    Workflow,
)
from techledger.models.hierarchy import DESCRIPTION_MAX, NAME_MAX
from techledger.services import audit
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, not_found
from techledger.services.permissions import Permission
from techledger.services.validation import clean_text, optional_text

APPLICATION_MAX = 100
DETAIL_LIST_LIMIT = 50


@dataclass(frozen=True)
class Level:
    """One of the six levels: its table, the column naming its parent, and its words."""

    depth: int
    key: str
    label: str
    plural: str
    model: type[SQLModel]
    parent_field: str

    @property
    def parent_column(self) -> Any:
        return getattr(self.model, self.parent_field)

    @property
    def parent(self) -> Level | None:
        return LEVELS[self.depth - 1] if self.depth else None

    @property
    def child(self) -> Level | None:
        return LEVELS[self.depth + 1] if self.depth + 1 < len(LEVELS) else None

    @property
    def article(self) -> str:
        return "an" if self.label[0] in "AEIOU" else "a"


LEVELS: tuple[Level, ...] = (
    Level(0, "system", "System", "Systems", System, "organization_id"),
    Level(1, "department", "Department", "Departments", Department, "system_id"),
    Level(2, "practice_group", "Practice Group", "Practice Groups", PracticeGroup, "department_id"),
    Level(3, "action_group", "Action Group", "Action Groups", ActionGroup, "practice_group_id"),
    Level(4, "action", "Action", "Actions", Action, "action_group_id"),
    Level(5, "transformation", "Transformation", "Transformations", Transformation, "action_id"),
)
LEVEL_BY_KEY: dict[str, Level] = {level.key: level for level in LEVELS}
ACTION = LEVEL_BY_KEY["action"]


def node_id(level: Level | str, row_id: str) -> str:
    """The UI's id of a node: ``"<level key>:<row id>"``."""
    key = level if isinstance(level, str) else level.key
    return f"{key}:{row_id}"


def parse_node_id(value: str | None) -> tuple[Level, str]:
    """The level and row id named by a node id; a malformed id is simply "not found"."""
    key, _, row_id = (value or "").partition(":")
    level = LEVEL_BY_KEY.get(key)
    if level is None or not row_id or len(row_id) > 32:
        raise not_found("Node")
    return level, row_id


# ---------------------------------------------------------------------------- validation
def clean_node_name(value: str | None, level: Level) -> str:
    """A node's name: 1..200 characters after trimming."""
    return clean_text(value, field="name", label=f"{level.label} name", min_len=1, max_len=NAME_MAX)


def clean_description(value: str | None) -> str | None:
    """An optional description of at most 2,000 characters."""
    return optional_text(value, field="description", label="Description", max_len=DESCRIPTION_MAX)


def clean_application_name(value: str | None) -> str:
    """An Action's application (e.g. "Salesforce"): 1..100 characters."""
    return clean_text(
        value,
        field="application_name",
        label="Application name",
        min_len=1,
        max_len=APPLICATION_MAX,
    )


# ---------------------------------------------------------------------------- scoped queries
def _ids_in_org(level: Level, organization_id: str) -> Any:
    """A subquery of the ids of every ``level`` row in the organization."""
    query = select(System.id).where(System.organization_id == organization_id)
    for current in LEVELS[1 : level.depth + 1]:
        query = select(current.model.id).where(current.parent_column.in_(query))
    return query


def _descendant_ids(level: Level, row_id: str) -> dict[Level, Any]:
    """For each level below ``level``, a subquery of the ids under the node ``row_id``."""
    out: dict[Level, Any] = {}
    query: Any = [row_id]
    for current in LEVELS[level.depth + 1 :]:
        query = select(current.model.id).where(current.parent_column.in_(query))
        out[current] = query
    return out


def _load(session: Session, actor: Actor, level: Level, row_id: str) -> Any:
    """The row, if it belongs to the actor's organization; else "not found"."""
    row = session.exec(
        select(level.model).where(
            level.model.id == row_id, level.model.id.in_(_ids_in_org(level, actor.organization_id))
        )
    ).first()
    if row is None:
        raise not_found(level.label)
    return row


def _load_node(session: Session, actor: Actor, value: str) -> tuple[Level, Any]:
    level, row_id = parse_node_id(value)
    return level, _load(session, actor, level, row_id)


def _parent_id(level: Level, row: Any) -> str:
    return getattr(row, level.parent_field)


def _lock_parents(session: Session, level: Level, parent_ids: Iterable[str]) -> None:
    """Lock the parent rows whose children are about to be renumbered (in a stable order).

    ``FOR NO KEY UPDATE``: it excludes other editors of the same children, but not the key-share
    locks that inserting rows which reference the parent (children, audit events) take.
    """
    parent_model = level.parent.model if level.parent else Organization
    for parent_id in sorted(set(parent_ids)):
        session.exec(
            select(parent_model.id)
            .where(parent_model.id == parent_id)
            .with_for_update(key_share=True)
        ).first()


def _siblings(session: Session, level: Level, parent_id: str) -> list[Any]:
    """The children of ``parent_id`` at ``level``, in their current order."""
    model = level.model
    session.flush()
    return list(
        session.exec(
            select(model)
            .where(level.parent_column == parent_id)
            .order_by(model.order, model.created_at, model.id)
            .execution_options(populate_existing=True)
        ).all()
    )


def _renumber(session: Session, rows: list[Any]) -> None:
    """Give ``rows`` the orders 0..n-1 in list order (writes only what changed)."""
    for index, row in enumerate(rows):
        if row.order != index:
            row.order = index
            session.add(row)


def _refuse_duplicate(
    session: Session, level: Level, parent_id: str, name: str, *, except_id: str | None = None
) -> None:
    model = level.model
    query = select(model.id).where(
        level.parent_column == parent_id, func.lower(model.name) == name.lower()
    )
    if except_id:
        query = query.where(model.id != except_id)
    if session.exec(query).first() is not None:
        where = "this organization" if level.depth == 0 else f"this {level.parent.label}"
        raise Conflict(
            f"{level.article.capitalize()} {level.label} named '{name}' already exists in "
            f"{where}; choose another name.",
            field="name",
        )


def _record(session: Session, actor: Actor, action: str, level: Level, row_id: str, **details):  # noqa: ANN003, ANN202
    audit.record(
        session=session,
        action=f"hierarchy.{action}",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type=level.key,
        target_id=row_id,
        details=details or None,
    )


# ---------------------------------------------------------------------------- reading
def list_nodes(*, session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every node of the organization as a flat list, parents before children, siblings in order.

    Each item: ``id``, ``parent`` (a node id, or "" for Systems), ``level`` (key), ``name``,
    ``app`` (Actions only, else ""). Six indexed queries, whatever the size of the tree.
    """
    actor.require(Permission.READ)
    out: list[dict[str, Any]] = []
    for level in LEVELS:
        model = level.model
        columns = [model.id, level.parent_column, model.name]
        if level is ACTION:
            columns.append(Action.application_name)
        rows = session.exec(
            select(*columns)
            .where(model.id.in_(_ids_in_org(level, actor.organization_id)))
            .order_by(level.parent_column, model.order, model.created_at)
        ).all()
        parent_key = level.parent.key if level.parent else None
        for row in rows:
            out.append(
                {
                    "id": node_id(level, row[0]),
                    "parent": node_id(parent_key, row[1]) if parent_key else "",
                    "level": level.key,
                    "name": row[2],
                    "app": row[3] if level is ACTION else "",
                }
            )
    return out


def tree_rows(*, session: Session, actor: Actor, max_depth: int | None = None) -> list[list]:
    """The tree in the compact form the page sends to the browser: one list per node,
    ``[level depth, row id, position of the parent in this list (-1 for Systems), name, app]``,
    parents before children, siblings in order. ``max_depth`` stops below that level."""
    actor.require(Permission.READ)
    rows: list[list] = []
    positions: dict[str, int] = {}
    for level in LEVELS[: None if max_depth is None else max_depth + 1]:
        model = level.model
        columns = [model.id, level.parent_column, model.name]
        if level is ACTION:
            columns.append(Action.application_name)
        found = session.exec(
            select(*columns)
            .where(model.id.in_(_ids_in_org(level, actor.organization_id)))
            .order_by(level.parent_column, model.order, model.created_at)
        ).all()
        parent_positions = positions
        positions = {}
        for row in found:
            positions[row[0]] = len(rows)
            parent = parent_positions.get(row[1], -1) if level.depth else -1
            rows.append([level.depth, row[0], parent, row[2], row[3] if level is ACTION else ""])
    return rows


def count_nodes(*, session: Session, actor: Actor) -> int:
    """How many nodes the organization's tree has (one query: the page's first update waits
    for it)."""
    actor.require(Permission.READ)
    counts = [
        select(func.count())
        .select_from(_ids_in_org(level, actor.organization_id).subquery())
        .scalar_subquery()
        for level in LEVELS
    ]
    return int(session.exec(select(sum(counts[1:], counts[0]))).one())


def _path(session: Session, level: Level, row: Any) -> list[dict[str, str]]:
    """The node's ancestors and itself, from the System down."""
    path = [{"id": node_id(level, row.id), "level": level.key, "name": row.name}]
    current_level, current = level, row
    while current_level.parent is not None:
        parent_level = current_level.parent
        current = session.get(parent_level.model, _parent_id(current_level, current))
        path.insert(
            0,
            {
                "id": node_id(parent_level, current.id),
                "level": parent_level.key,
                "name": current.name,
            },
        )
        current_level = parent_level
    return path


def _action_ids_under(level: Level, row_id: str) -> Any:
    if level is ACTION:
        return [row_id]
    if level.depth > ACTION.depth:
        return []
    return _descendant_ids(level, row_id)[ACTION]


def node_details(*, session: Session, actor: Actor, node: str) -> dict[str, Any]:
    """What the side panel shows about one node: its fields, path, children, workflows and
    documents (those attached to the Actions under it; unpublished documents only for roles
    that may read drafts)."""
    actor.require(Permission.READ)
    level, row = _load_node(session, actor, node)
    actions = _action_ids_under(level, row.id)
    workflows = session.exec(
        select(Workflow.id, Workflow.name, Workflow.application_name, Workflow.status)
        .where(Workflow.organization_id == actor.organization_id, Workflow.action_id.in_(actions))
        .order_by(Workflow.name)
        .limit(DETAIL_LIST_LIMIT)
    ).all()
    documents_query = select(
        Document.id, Document.title, Document.status, Document.application_name
    ).where(Document.organization_id == actor.organization_id, Document.action_id.in_(actions))
    if not actor.can(Permission.READ_DRAFTS):
        documents_query = documents_query.where(Document.status == DocumentStatus.PUBLISHED)
    documents = session.exec(
        documents_query.order_by(Document.title).limit(DETAIL_LIST_LIMIT)
    ).all()
    child = level.child
    children = 0
    if child is not None:
        children = int(
            session.exec(
                select(func.count()).select_from(child.model).where(child.parent_column == row.id)
            ).one()
        )
    return {
        "id": node_id(level, row.id),
        "level": level.key,
        "level_label": level.label,
        "name": row.name,
        "description": row.description or "",
        "application_name": getattr(row, "application_name", "") or "",
        "path": _path(session, level, row),
        "children": children,
        "child_label": child.label if child else "",
        "child_plural": child.plural if child else "",
        "workflows": [
            {
                "id": w[0],
                "name": w[1],
                "application_name": w[2],
                "status": str(getattr(w[3], "value", w[3])),
            }
            for w in workflows
        ],
        "documents": [
            {
                "id": d[0],
                "title": d[1],
                "status": str(getattr(d[2], "value", d[2])),
                "application_name": d[3],
            }
            for d in documents
        ],
        "updated": row.updated_at.date().isoformat() if row.updated_at else "",
    }


def delete_preview(*, session: Session, actor: Actor, node: str) -> dict[str, Any]:
    """What deleting a node takes with it: nodes per level, and the workflows and documents
    that lose their link to the hierarchy (they are kept, unlinked)."""
    actor.require(Permission.READ)
    level, row = _load_node(session, actor, node)
    by_level = {level.key: 1}
    total = 1
    for below, ids in _descendant_ids(level, row.id).items():
        count = int(session.exec(select(func.count()).select_from(ids.subquery())).one())
        by_level[below.key] = count
        total += count
    actions = _action_ids_under(level, row.id)
    workflows = int(
        session.exec(
            select(func.count()).select_from(Workflow).where(Workflow.action_id.in_(actions))
        ).one()
    )
    documents = int(
        session.exec(
            select(func.count()).select_from(Document).where(Document.action_id.in_(actions))
        ).one()
    )
    return {
        "id": node_id(level, row.id),
        "name": row.name,
        "level_label": level.label,
        "nodes": total,
        "by_level": by_level,
        "workflows": workflows,
        "documents": documents,
        "summary": _delete_summary(level, row.name, total, workflows, documents),
    }


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _delete_summary(level: Level, name: str, nodes: int, workflows: int, documents: int) -> str:
    below = nodes - 1
    text = f"The {level.label} '{name}'"
    text += f" and {_plural(below, 'node')} under it" if below else ""
    text += f" will be deleted ({_plural(nodes, 'node')} in all)."
    if workflows or documents:
        text += (
            f" {_plural(workflows, 'workflow')} and {_plural(documents, 'document')} "
            "will stay, no longer linked to the hierarchy."
        )
    else:
        text += " No workflows or documents are linked to it."
    return text


# ---------------------------------------------------------------------------- changing
def _parent_for_child(
    session: Session, actor: Actor, level: Level, parent: str | None
) -> tuple[str, Any]:
    """Resolve the parent node id for a new or moved ``level`` node; refuse a wrong level."""
    if level.depth == 0:
        if parent:
            parent_level, _ = parse_node_id(parent)
            raise InvalidInput(
                f"A System sits at the top of the tree, not under {parent_level.article} "
                f"{parent_level.label}.",
                field="parent",
            )
        return actor.organization_id, None
    if not parent:
        raise InvalidInput(
            f"{level.article.capitalize()} {level.label} belongs under {level.parent.article} "
            f"{level.parent.label}; only Systems sit at the top of the tree.",
            field="parent",
        )
    parent_level, parent_row_id = parse_node_id(parent)
    if parent_level is not level.parent:
        raise InvalidInput(
            f"{level.article.capitalize()} {level.label} belongs under {level.parent.article} "
            f"{level.parent.label}, not under {parent_level.article} {parent_level.label}.",
            field="parent",
        )
    parent_row = _load(session, actor, parent_level, parent_row_id)
    return parent_row.id, parent_row


def create_node(
    *,
    session: Session,
    actor: Actor,
    level: str,
    name: str,
    parent: str | None = None,
    description: str | None = None,
    application_name: str | None = None,
    index: int | None = None,
) -> dict[str, Any]:
    """Add a node of ``level`` under ``parent`` (a node id; none for a System), at ``index``
    among its siblings (the end by default). Actions need their application's name."""
    actor.require(Permission.MANAGE_HIERARCHY)
    lvl = LEVEL_BY_KEY.get(level)
    if lvl is None:
        raise InvalidInput(
            f"Unknown level '{level}'; use one of: {', '.join(x.key for x in LEVELS)}.",
            field="level",
        )
    clean_name = clean_node_name(name, lvl)
    clean_desc = clean_description(description)
    extra: dict[str, Any] = {}
    if lvl is ACTION:
        extra["application_name"] = clean_application_name(application_name)
    parent_id, _ = _parent_for_child(session, actor, lvl, parent)
    _lock_parents(session, lvl, [parent_id])
    _refuse_duplicate(session, lvl, parent_id, clean_name)
    siblings = _siblings(session, lvl, parent_id)
    row = lvl.model(
        **{lvl.parent_field: parent_id},
        name=clean_name,
        description=clean_desc,
        order=len(siblings),
        **extra,
    )
    session.add(row)
    position = len(siblings) if index is None else max(0, min(int(index), len(siblings)))
    siblings.insert(position, row)
    _renumber(session, siblings)
    session.flush()
    _record(session, actor, "created", lvl, row.id, name=clean_name)
    return {"id": node_id(lvl, row.id), "name": row.name, "order": row.order, "level": lvl.key}


def rename_node(*, session: Session, actor: Actor, node: str, name: str) -> dict[str, Any]:
    """Give a node a new name (unique among its siblings)."""
    actor.require(Permission.MANAGE_HIERARCHY)
    level, row = _load_node(session, actor, node)
    clean_name = clean_node_name(name, level)
    if clean_name != row.name:
        _refuse_duplicate(session, level, _parent_id(level, row), clean_name, except_id=row.id)
        old = row.name
        row.name = clean_name
        session.add(row)
        session.flush()
        _record(session, actor, "renamed", level, row.id, **{"from": old, "to": clean_name})
    return {"id": node_id(level, row.id), "name": row.name}


def describe_node(
    *,
    session: Session,
    actor: Actor,
    node: str,
    description: str | None,
    application_name: str | None = None,
) -> dict[str, Any]:
    """Set a node's description (and, for an Action, its application's name)."""
    actor.require(Permission.MANAGE_HIERARCHY)
    level, row = _load_node(session, actor, node)
    row.description = clean_description(description)
    if level is ACTION and application_name is not None:
        row.application_name = clean_application_name(application_name)
    session.add(row)
    session.flush()
    _record(session, actor, "described", level, row.id)
    return {
        "id": node_id(level, row.id),
        "description": row.description or "",
        "application_name": getattr(row, "application_name", "") or "",
    }


def delete_node(*, session: Session, actor: Actor, node: str) -> dict[str, Any]:
    """Delete a node with everything under it; returns what was deleted (the preview's counts).
    Workflows and documents linked to deleted Actions stay, unlinked."""
    actor.require(Permission.MANAGE_HIERARCHY)
    preview = delete_preview(session=session, actor=actor, node=node)
    level, row = _load_node(session, actor, node)
    parent_id = _parent_id(level, row)
    _lock_parents(session, level, [parent_id])
    # Explicit deletes, deepest first: the same on both databases, whatever the FK settings.
    actions = _action_ids_under(level, row.id)
    if not isinstance(actions, list) or actions:
        session.execute(
            sa.update(Workflow).where(Workflow.action_id.in_(actions)).values(action_id=None)
        )
        session.execute(
            sa.update(Document).where(Document.action_id.in_(actions)).values(action_id=None)
        )
    descendants = _descendant_ids(level, row.id)
    for below in reversed(list(descendants)):
        ids = list(session.exec(descendants[below]).all())
        for start in range(0, len(ids), 500):
            session.execute(
                sa.delete(below.model).where(below.model.id.in_(ids[start : start + 500]))
            )
    session.execute(sa.delete(level.model).where(level.model.id == row.id))
    session.expunge(row)
    _renumber(session, _siblings(session, level, parent_id))
    session.flush()
    _record(session, actor, "deleted", level, row.id, name=preview["name"], nodes=preview["nodes"])
    return preview


def move_node(
    *, session: Session, actor: Actor, node: str, parent: str | None, index: int
) -> dict[str, Any]:
    """Put a node (with its subtree) at ``index`` among the children of ``parent`` (a node id of
    the level above; none for a System). Reordering among siblings is a move to the same parent.
    """
    actor.require(Permission.MANAGE_HIERARCHY)
    level, row = _load_node(session, actor, node)
    if parent:
        target_level, target_row_id = parse_node_id(parent)
        if target_level.depth >= level.depth and _is_within(
            session, target_level, target_row_id, level, row.id
        ):
            raise InvalidInput(
                f"'{row.name}' cannot be moved into itself or one of the nodes under it.",
                field="parent",
            )
    new_parent_id, _ = _parent_for_child(session, actor, level, parent)
    old_parent_id = _parent_id(level, row)
    _lock_parents(session, level, [old_parent_id, new_parent_id])
    try:
        index = int(index)
    except (TypeError, ValueError):
        raise InvalidInput("The position must be a whole number.", field="index") from None
    if new_parent_id != old_parent_id:
        _refuse_duplicate(session, level, new_parent_id, row.name, except_id=row.id)
        old_siblings = [r for r in _siblings(session, level, old_parent_id) if r.id != row.id]
        _renumber(session, old_siblings)
        setattr(row, level.parent_field, new_parent_id)
        session.add(row)
        session.flush()
    siblings = [r for r in _siblings(session, level, new_parent_id) if r.id != row.id]
    row = session.get(level.model, row.id)
    position = max(0, min(index, len(siblings)))
    siblings.insert(position, row)
    _renumber(session, siblings)
    session.flush()
    _record(
        session,
        actor,
        "moved",
        level,
        row.id,
        parent=new_parent_id,
        index=position,
        moved_parent=new_parent_id != old_parent_id,
    )
    return {
        "id": node_id(level, row.id),
        "parent": node_id(level.parent, new_parent_id) if level.parent else "",
        "index": position,
    }


def reorder_node(*, session: Session, actor: Actor, node: str, index: int) -> dict[str, Any]:
    """Put a node at ``index`` among its current siblings."""
    actor.require(Permission.MANAGE_HIERARCHY)
    level, row = _load_node(session, actor, node)
    parent = node_id(level.parent, _parent_id(level, row)) if level.parent else None
    return move_node(session=session, actor=actor, node=node, parent=parent, index=index)


def _is_within(
    session: Session, target_level: Level, target_id: str, level: Level, row_id: str
) -> bool:
    """Whether the node ``target_id`` is the node ``row_id`` or lies under it."""
    current_level, current_id = target_level, target_id
    while current_level.depth > level.depth:
        parent_id = session.exec(
            select(current_level.parent_column).where(current_level.model.id == current_id)
        ).first()
        if parent_id is None:
            return False
        current_level, current_id = current_level.parent, parent_id
    return current_level is level and current_id == row_id

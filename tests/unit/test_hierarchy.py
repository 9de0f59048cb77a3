"""The hierarchy service: every operation, dense orders, illegal moves, tenancy and roles."""

from __future__ import annotations

import pytest
from sqlmodel import select

from techledger.enums import Role
from techledger.models import (
    Action,
    ActionGroup,
    Department,
    Document,
    PracticeGroup,
    System,
    Transformation,
    Workflow,
)
from techledger.services import hierarchy as h
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_org, org_with_roles, owner_actor


def _chain(session, actor, prefix=""):  # noqa: ANN001, ANN202
    """A System with one node on each level below it; returns their node ids."""
    ids = {}
    parent = None
    for level in h.LEVELS:
        extra = {"application_name": "Salesforce"} if level is h.ACTION else {}
        node = h.create_node(
            session=session,
            actor=actor,
            level=level.key,
            name=f"{prefix}{level.label} 1",
            parent=parent,
            **extra,
        )
        ids[level.key] = node["id"]
        parent = node["id"]
    return ids


def _children(session, actor, parent):  # noqa: ANN001, ANN202
    return [n for n in h.list_nodes(session=session, actor=actor) if n["parent"] == parent]


def _names(session, actor, parent):  # noqa: ANN001, ANN202
    return [n["name"] for n in _children(session, actor, parent)]


def _orders(session, level, parent_id):  # noqa: ANN001, ANN202
    rows = session.exec(
        select(level.model.order)
        .where(level.parent_column == parent_id)
        .order_by(level.model.order)
    ).all()
    return list(rows)


@pytest.fixture
def owner(session):  # noqa: ANN001, ANN201
    return owner_actor(session, make_org(session))


def test_create_each_level_and_list_the_tree(session, owner):
    ids = _chain(session, owner)
    nodes = h.list_nodes(session=session, actor=owner)
    assert [n["level"] for n in nodes] == [level.key for level in h.LEVELS]
    assert nodes[0]["parent"] == ""
    for parent, child in zip(nodes, nodes[1:], strict=False):
        assert child["parent"] == parent["id"]
    assert nodes[4]["app"] == "Salesforce"
    assert h.count_nodes(session=session, actor=owner) == 6
    assert ids["transformation"].startswith("transformation:")


def test_new_nodes_append_and_insert_with_dense_order(session, owner):
    for name in ("A", "B", "C"):
        h.create_node(session=session, actor=owner, level="system", name=name)
    h.create_node(session=session, actor=owner, level="system", name="First", index=0)
    assert _names(session, owner, "") == ["First", "A", "B", "C"]
    assert _orders(session, h.LEVELS[0], owner.organization_id) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("level", "parent_level"),
    [("department", None), ("system", "system"), ("action", "practice_group")],
)
def test_create_refuses_a_parent_of_the_wrong_level(session, owner, level, parent_level):
    ids = _chain(session, owner)
    parent = ids[parent_level] if parent_level else None
    with pytest.raises((InvalidInput, NotFound)):
        h.create_node(
            session=session,
            actor=owner,
            level=level,
            name="X",
            parent=parent,
            application_name="App",
        )


def test_action_needs_its_application(session, owner):
    ids = _chain(session, owner)
    with pytest.raises(InvalidInput, match="Application name is required"):
        h.create_node(
            session=session, actor=owner, level="action", name="A", parent=ids["action_group"]
        )


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_name_rules(session, owner, name):
    with pytest.raises(InvalidInput, match="System name"):
        h.create_node(session=session, actor=owner, level="system", name=name)
    assert h.count_nodes(session=session, actor=owner) == 0


def test_duplicate_sibling_names_are_refused_case_insensitively(session, owner):
    h.create_node(session=session, actor=owner, level="system", name="Sales")
    with pytest.raises(Conflict, match="already exists"):
        h.create_node(session=session, actor=owner, level="system", name="  sales ")
    other = h.create_node(session=session, actor=owner, level="system", name="Finance")
    with pytest.raises(Conflict):
        h.rename_node(session=session, actor=owner, node=other["id"], name="SALES")


def test_rename_and_describe(session, owner):
    ids = _chain(session, owner)
    h.rename_node(session=session, actor=owner, node=ids["department"], name="  Customer Care ")
    h.describe_node(
        session=session,
        actor=owner,
        node=ids["action"],
        description="How we do it",
        application_name="HubSpot",
    )
    details = h.node_details(session=session, actor=owner, node=ids["action"])
    assert details["description"] == "How we do it"
    assert details["application_name"] == "HubSpot"
    assert [p["name"] for p in details["path"]][:2] == ["System 1", "Customer Care"]
    assert details["children"] == 1 and details["child_label"] == "Transformation"
    with pytest.raises(InvalidInput, match="2,000"):
        h.describe_node(session=session, actor=owner, node=ids["system"], description="d" * 2001)
    h.describe_node(session=session, actor=owner, node=ids["system"], description="  ")
    assert h.node_details(session=session, actor=owner, node=ids["system"])["description"] == ""


def test_html_in_names_is_stored_as_given(session, owner):
    node = h.create_node(
        session=session, actor=owner, level="system", name="<script>alert(1)</script>"
    )
    assert h.node_details(session=session, actor=owner, node=node["id"])["name"] == (
        "<script>alert(1)</script>"
    )


def test_reorder_among_siblings_keeps_orders_dense(session, owner):
    system = h.create_node(session=session, actor=owner, level="system", name="S")
    made = [
        h.create_node(
            session=session, actor=owner, level="department", name=name, parent=system["id"]
        )
        for name in "ABCDE"
    ]
    h.reorder_node(session=session, actor=owner, node=made[4]["id"], index=0)
    assert _names(session, owner, system["id"]) == list("EABCD")
    h.reorder_node(session=session, actor=owner, node=made[4]["id"], index=99)
    assert _names(session, owner, system["id"]) == list("ABCDE")
    h.reorder_node(session=session, actor=owner, node=made[0]["id"], index=2)
    assert _names(session, owner, system["id"]) == list("BCADE")
    _, system_row = h.parse_node_id(system["id"])
    assert _orders(session, h.LEVELS[1], system_row) == [0, 1, 2, 3, 4]


def test_move_a_subtree_to_another_parent(session, owner):
    first = _chain(session, owner, prefix="one ")
    second = h.create_node(session=session, actor=owner, level="system", name="Two")
    h.create_node(
        session=session, actor=owner, level="department", name="Existing", parent=second["id"]
    )
    h.create_node(
        session=session, actor=owner, level="department", name="Stays", parent=first["system"]
    )
    h.move_node(
        session=session, actor=owner, node=first["department"], parent=second["id"], index=0
    )
    assert _names(session, owner, second["id"]) == ["one Department 1", "Existing"]
    assert _names(session, owner, first["system"]) == ["Stays"]
    # The subtree came along: the transformation's path now starts at "Two".
    path = h.node_details(session=session, actor=owner, node=first["transformation"])["path"]
    assert [p["name"] for p in path][:2] == ["Two", "one Department 1"]
    _, old_parent = h.parse_node_id(first["system"])
    assert _orders(session, h.LEVELS[1], old_parent) == [0]
    _, new_parent = h.parse_node_id(second["id"])
    assert _orders(session, h.LEVELS[1], new_parent) == [0, 1]


def test_illegal_moves_are_refused(session, owner):
    ids = _chain(session, owner)
    other = _chain(session, owner, prefix="other ")
    with pytest.raises(InvalidInput, match="itself or one of the nodes under it"):
        h.move_node(
            session=session,
            actor=owner,
            node=ids["department"],
            parent=ids["action_group"],
            index=0,
        )
    with pytest.raises(InvalidInput, match="itself"):
        h.move_node(
            session=session, actor=owner, node=ids["department"], parent=ids["department"], index=0
        )
    with pytest.raises(InvalidInput, match="belongs under a System, not under an Action Group"):
        h.move_node(
            session=session,
            actor=owner,
            node=ids["department"],
            parent=other["action_group"],
            index=0,
        )
    with pytest.raises(InvalidInput, match="top of the tree"):
        h.move_node(
            session=session, actor=owner, node=ids["system"], parent=other["system"], index=0
        )
    with pytest.raises(InvalidInput, match="belongs under"):
        h.move_node(session=session, actor=owner, node=ids["department"], parent=None, index=0)
    # Nothing moved.
    assert _names(session, owner, ids["system"]) == ["Department 1"]


def test_move_into_a_parent_with_the_same_name_is_refused(session, owner):
    a = h.create_node(session=session, actor=owner, level="system", name="A")
    b = h.create_node(session=session, actor=owner, level="system", name="B")
    dept = h.create_node(
        session=session, actor=owner, level="department", name="Ops", parent=a["id"]
    )
    h.create_node(session=session, actor=owner, level="department", name="OPS", parent=b["id"])
    with pytest.raises(Conflict):
        h.move_node(session=session, actor=owner, node=dept["id"], parent=b["id"], index=0)


def test_delete_preview_counts_and_delete_cascades(session, owner):
    ids = _chain(session, owner)
    _, action_id = h.parse_node_id(ids["action"])
    workflow = Workflow(
        user_id=owner.user_id,
        organization_id=owner.organization_id,
        action_id=action_id,
        name="Create lead",
        application_name="Salesforce",
    )
    document = Document(
        user_id=owner.user_id,
        organization_id=owner.organization_id,
        action_id=action_id,
        title="How to create a lead",
        content="Steps",
        application_name="Salesforce",
    )
    session.add_all([workflow, document])
    sibling = h.create_node(
        session=session, actor=owner, level="department", name="Second", parent=ids["system"]
    )
    session.flush()
    details = h.node_details(session=session, actor=owner, node=ids["practice_group"])
    assert [w["name"] for w in details["workflows"]] == ["Create lead"]
    assert [d["title"] for d in details["documents"]] == ["How to create a lead"]

    preview = h.delete_preview(session=session, actor=owner, node=ids["department"])
    assert preview["nodes"] == 5 and preview["workflows"] == 1 and preview["documents"] == 1
    assert preview["by_level"] == {
        "department": 1,
        "practice_group": 1,
        "action_group": 1,
        "action": 1,
        "transformation": 1,
    }
    assert "4 nodes under it" in preview["summary"] and "1 workflow" in preview["summary"]

    h.delete_node(session=session, actor=owner, node=ids["department"])
    for model in (PracticeGroup, ActionGroup, Action, Transformation):
        assert session.exec(select(model)).all() == []
    assert [d.name for d in session.exec(select(Department)).all()] == ["Second"]
    assert session.get(Department, h.parse_node_id(sibling["id"])[1]).order == 0
    session.refresh(workflow)
    session.refresh(document)
    assert workflow.action_id is None and document.action_id is None


def test_delete_a_system_renumbers_the_rest(session, owner):
    made = [h.create_node(session=session, actor=owner, level="system", name=n) for n in "ABC"]
    h.delete_node(session=session, actor=owner, node=made[0]["id"])
    assert _names(session, owner, "") == ["B", "C"]
    assert _orders(session, h.LEVELS[0], owner.organization_id) == [0, 1]


@pytest.mark.parametrize("bad", ["", "system", "nope:123", "system:", "system:" + "x" * 40])
def test_malformed_node_ids_are_not_found(session, owner, bad):
    with pytest.raises(NotFound):
        h.node_details(session=session, actor=owner, node=bad)


def test_another_organizations_nodes_are_not_found(session, owner):
    theirs = _chain(session, owner_actor(session, make_org(session)), prefix="theirs ")
    mine = _chain(session, owner)
    for node in theirs.values():
        with pytest.raises(NotFound, match="not found"):
            h.node_details(session=session, actor=owner, node=node)
        with pytest.raises(NotFound):
            h.rename_node(session=session, actor=owner, node=node, name="Mine now")
        with pytest.raises(NotFound):
            h.delete_preview(session=session, actor=owner, node=node)
        with pytest.raises(NotFound):
            h.delete_node(session=session, actor=owner, node=node)
    # Moving my node under their System, or their node under mine: not found.
    with pytest.raises(NotFound):
        h.move_node(
            session=session, actor=owner, node=mine["department"], parent=theirs["system"], index=0
        )
    with pytest.raises(NotFound):
        h.move_node(
            session=session, actor=owner, node=theirs["department"], parent=mine["system"], index=0
        )
    with pytest.raises(NotFound):
        h.create_node(
            session=session, actor=owner, level="department", name="X", parent=theirs["system"]
        )
    assert all(
        not n["name"].startswith("theirs") for n in h.list_nodes(session=session, actor=owner)
    )


CHANGES = ["create", "rename", "describe", "reorder", "move", "delete"]


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(session, role):
    org, actors = org_with_roles(session)
    ids = _chain(session, actors[Role.OWNER])
    spare = h.create_node(session=session, actor=actors[Role.OWNER], level="system", name="Spare")
    actor = actors[role]
    # Everyone reads.
    assert len(h.list_nodes(session=session, actor=actor)) == 7
    assert h.node_details(session=session, actor=actor, node=ids["action"])["name"] == "Action 1"
    assert h.delete_preview(session=session, actor=actor, node=ids["system"])["nodes"] == 6
    calls = {
        "create": lambda: h.create_node(session=session, actor=actor, level="system", name="New"),
        "rename": lambda: h.rename_node(session=session, actor=actor, node=ids["system"], name="R"),
        "describe": lambda: h.describe_node(
            session=session, actor=actor, node=ids["system"], description="d"
        ),
        "reorder": lambda: h.reorder_node(session=session, actor=actor, node=spare["id"], index=0),
        "move": lambda: h.move_node(
            session=session, actor=actor, node=ids["department"], parent=spare["id"], index=0
        ),
        "delete": lambda: h.delete_node(session=session, actor=actor, node=ids["transformation"]),
    }
    may_change = role in (Role.OWNER, Role.ADMIN)
    for name in CHANGES:
        if may_change:
            calls[name]()
        else:
            with pytest.raises(PermissionDenied, match="cannot change the hierarchy"):
                calls[name]()
    if not may_change:
        assert [n["name"] for n in h.list_nodes(session=session, actor=actor)][:1] == ["System 1"]
        assert session.exec(select(System).where(System.name == "New")).first() is None


def test_tree_rows_are_compact_and_point_at_their_parents(session, owner):
    ids = _chain(session, owner)
    h.create_node(session=session, actor=owner, level="system", name="Second")
    rows = h.tree_rows(session=session, actor=owner)
    assert [r[0] for r in rows] == [0, 0, 1, 2, 3, 4, 5]
    assert [r[3] for r in rows][:2] == ["System 1", "Second"]
    assert rows[2][2] == 0 and rows[6][2] == 5 and rows[5][4] == "Salesforce"
    assert h.node_id("transformation", rows[6][1]) == ids["transformation"]
    assert len(h.tree_rows(session=session, actor=owner, max_depth=1)) == 3

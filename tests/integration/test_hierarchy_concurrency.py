"""Concurrent edits of one parent's children keep a dense, unique order (PostgreSQL).

Each thread has its own session and commits, as separate requests of the app would.
"""

from __future__ import annotations

import json
import random
import threading

import pytest
from sqlmodel import Session, select

from techledger.models import Department, Organization
from techledger.services import hierarchy as h
from tests.factories import make_org, owner_actor

THREADS = 20


@pytest.fixture
def shared_tree(engine, is_postgres):  # noqa: ANN001, ANN201
    if not is_postgres:
        pytest.skip("SQLite serializes writers; row locks are PostgreSQL's")
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        actor = owner_actor(session, org)
        system = h.create_node(session=session, actor=actor, level="system", name="Shared")
        departments = [
            h.create_node(
                session=session,
                actor=actor,
                level="department",
                name=f"Department {i:02d}",
                parent=system["id"],
            )["id"]
            for i in range(THREADS)
        ]
        session.commit()
    yield actor, system["id"], departments
    with Session(engine) as session:
        session.delete(session.get(Organization, actor.organization_id))
        session.commit()


def _run_all(work) -> list[BaseException]:  # noqa: ANN001
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def _orders(engine, system_id: str) -> list[int]:  # noqa: ANN001
    _, row_id = h.parse_node_id(system_id)
    with Session(engine) as session:
        return list(
            session.exec(
                select(Department.order)
                .where(Department.system_id == row_id)
                .order_by(Department.order)
            ).all()
        )


def test_twenty_concurrent_reorders_leave_a_dense_unique_order(engine, shared_tree):
    actor, system, departments = shared_tree
    rng = random.Random(7)
    moves = [(rng.choice(departments), rng.randrange(THREADS)) for _ in range(THREADS)]

    def work(i: int) -> None:
        node, index = moves[i]
        with Session(engine, expire_on_commit=False) as session:
            h.reorder_node(session=session, actor=actor, node=node, index=index)
            session.commit()

    assert _run_all(work) == []
    assert _orders(engine, system) == list(range(THREADS))


def test_twenty_concurrent_creates_and_moves_keep_orders_dense(engine, shared_tree):
    actor, system, departments = shared_tree
    with Session(engine, expire_on_commit=False) as session:
        other = h.create_node(session=session, actor=actor, level="system", name="Other")["id"]
        session.commit()

    def work(i: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            if i % 2:
                h.create_node(
                    session=session,
                    actor=actor,
                    level="department",
                    name=f"New {i}",
                    parent=system,
                    index=0,
                )
            else:
                h.move_node(
                    session=session, actor=actor, node=departments[i], parent=other, index=0
                )
            session.commit()

    assert _run_all(work) == []
    assert _orders(engine, system) == list(range(THREADS))  # 20 - 10 moved + 10 created
    assert _orders(engine, other) == list(range(THREADS // 2))


def test_an_import_beside_concurrent_creates_keeps_orders_dense(engine, shared_tree):
    from techledger.services import hierarchy_io

    actor, system, _ = shared_tree
    _, system_row = h.parse_node_id(system)
    with Session(engine) as session:
        system_name = session.get(h.LEVELS[0].model, system_row).name
    document = {
        "systems": [
            {"name": system_name, "departments": [{"name": f"Imported {i}"} for i in range(5)]}
        ]
    }
    data = json.dumps(document).encode()

    def work(i: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            if i == 0:
                hierarchy_io.import_file(session=session, actor=actor, filename="t.json", data=data)
            else:
                h.create_node(
                    session=session,
                    actor=actor,
                    level="department",
                    name=f"Created {i}",
                    parent=system,
                )
            session.commit()

    assert _run_all(work) == []
    assert _orders(engine, system) == list(range(THREADS + 5 + THREADS - 1))

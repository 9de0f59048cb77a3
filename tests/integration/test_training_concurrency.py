"""Two people answer the same question at the same moment on PostgreSQL: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from techledger.enums import ElementType, QuestionStatus, Role
from techledger.models import Organization, Pattern, TrainingAnswer, TrainingQuestion, User
from techledger.services import training
from techledger.services.errors import Conflict
from tests.factories import org_with_roles
from tests.factories_training import analyzed_screenshot, make_workflow


@pytest.mark.postgres
def test_two_concurrent_answers_one_wins(engine, is_postgres):  # noqa: ANN001
    if not is_postgres:
        pytest.skip("needs TEST_DATABASE_URL pointing at PostgreSQL (row locks)")
    with Session(engine, expire_on_commit=False) as session:
        org, actors = org_with_roles(session)
        workflow = make_workflow(session, actors[Role.MEMBER])
        _, els = analyzed_screenshot(
            session, workflow, [(ElementType.BUTTON, "Approve", (10, 10, 90, 30))]
        )
        question = session.exec(
            select(TrainingQuestion).where(TrainingQuestion.detected_element_id == els[0].id)
        ).one()
        session.commit()
    people = [actors[Role.MEMBER], actors[Role.ADMIN]]
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def answer(actor) -> None:  # noqa: ANN001
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                training.answer_question(
                    session=session,
                    actor=actor,
                    question_id=question.id,
                    answer_text=f"Approved by {actor.role.value}",
                )
                session.commit()
                outcomes[actor.role.value] = "won"
            except Conflict as error:
                session.rollback()
                outcomes[actor.role.value] = error.message

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert sorted(o == "won" for o in outcomes.values()) == [False, True], outcomes
        loser = next(o for o in outcomes.values() if o != "won")
        assert "already answered by" in loser
        with Session(engine) as session:
            answers = session.exec(
                select(TrainingAnswer).where(TrainingAnswer.question_id == question.id)
            ).all()
            assert len(answers) == 1
            assert session.get(TrainingQuestion, question.id).status == QuestionStatus.ANSWERED
            assert (
                len(session.exec(select(Pattern).where(Pattern.organization_id == org.id)).all())
                == 1
            )
    finally:
        with Session(engine) as session:
            session.delete(session.get(Organization, org.id))
            for actor in actors.values():
                session.delete(session.get(User, actor.user_id))
            session.commit()

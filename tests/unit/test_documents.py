"""Drafts, versions, diffs, review and publishing: rules, roles and tenancy."""

from __future__ import annotations

import pytest
from sqlmodel import select

from techledger.enums import DocumentStatus, Role
from techledger.models import AuditEvent, Document, DocumentVersion
from techledger.services import documents
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import org_with_roles


def make_document(session, actor, content="# Guide\n\n1. Click **Save**.\n", title="Guide"):
    """A DRAFT document, version 1, written by ``actor``."""
    document = Document(
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        title=title,
        content=content,
        application_name="Salesforce",
        meta={"tags": ["salesforce"]},
    )
    session.add(document)
    session.flush()
    documents.snapshot(session, document, actor, "Written.", bump=False)
    return document


def to_status(session, actors, document, status):
    """Walk ``document`` to ``status`` the ordinary way."""
    if status in ("REVIEW", "PUBLISHED", "ARCHIVED"):
        documents.submit_for_review(
            session=session, actor=actors[Role.MEMBER], document_id=document.id
        )
    if status in ("PUBLISHED", "ARCHIVED"):
        documents.approve(session=session, actor=actors[Role.ADMIN], document_id=document.id)
    if status == "ARCHIVED":
        documents.archive(session=session, actor=actors[Role.ADMIN], document_id=document.id)


def _submit(session, actor, doc_id):
    return documents.submit_for_review(
        session=session, actor=actor, document_id=doc_id, note="please review"
    )


def _approve(session, actor, doc_id):
    return documents.approve(session=session, actor=actor, document_id=doc_id)


def _send_back(session, actor, doc_id):
    return documents.send_back(
        session=session, actor=actor, document_id=doc_id, comments="Fix step 2"
    )


def _archive(session, actor, doc_id):
    return documents.archive(session=session, actor=actor, document_id=doc_id)


TRANSITIONS = {
    "submit": (_submit, "DRAFT", "REVIEW"),
    "approve": (_approve, "REVIEW", "PUBLISHED"),
    "send_back": (_send_back, "REVIEW", "DRAFT"),
    "archive": (_archive, "PUBLISHED", "ARCHIVED"),
}
ALLOWED = {
    "submit": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "approve": {Role.OWNER, Role.ADMIN},
    "send_back": {Role.OWNER, Role.ADMIN},
    "archive": {Role.OWNER, Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_each_transition_by_role(session, transition, role):
    _org, actors = org_with_roles(session)
    action, start, end = TRANSITIONS[transition]
    document = make_document(session, actors[Role.MEMBER])
    to_status(session, actors, document, start)
    before = session.get(Document, document.id).version
    if role in ALLOWED[transition]:
        result = action(session, actors[role], document.id)
        session.refresh(document)
        assert result["status"] == end == DocumentStatus(document.status).value
        assert document.version == before + 1  # every status change is a version
        row = session.exec(
            select(DocumentVersion).where(
                DocumentVersion.document_id == document.id,
                DocumentVersion.version == document.version,
            )
        ).one()
        assert row.status == end and row.created_by == actors[role].user_id
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.target_id == document.id)
            .order_by(AuditEvent.created_at.desc())
        ).first()
        assert event is not None and event.actor_id == actors[role].user_id
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            action(session, actors[role], document.id)
        session.refresh(document)
        assert DocumentStatus(document.status).value == start and document.version == before


WRONG_STARTS = [
    (transition, status)
    for transition, (_a, start, _e) in TRANSITIONS.items()
    for status in ("DRAFT", "REVIEW", "PUBLISHED", "ARCHIVED")
    if status != start
]


@pytest.mark.parametrize(("transition", "status"), WRONG_STARTS)
def test_transitions_from_the_wrong_status_are_refused(session, transition, status):
    _org, actors = org_with_roles(session)
    action, _start, _end = TRANSITIONS[transition]
    document = make_document(session, actors[Role.MEMBER])
    to_status(session, actors, document, status)
    with pytest.raises(Conflict, match="Only a document in"):
        action(session, actors[Role.OWNER], document.id)


def test_publishing_sets_published_at_and_readers_see_it(session):
    _org, actors = org_with_roles(session)
    viewer = actors[Role.VIEWER]
    document = make_document(session, actors[Role.MEMBER])
    with pytest.raises(NotFound):
        documents.get_document(session=session, actor=viewer, document_id=document.id)
    assert documents.list_documents(session=session, actor=viewer) == []
    to_status(session, actors, document, "PUBLISHED")
    session.refresh(document)
    assert document.published_at is not None and document.published_version == document.version
    assert document.meta["lastReviewed"]
    seen = documents.get_document(session=session, actor=viewer, document_id=document.id)
    assert seen["content"] == document.content and seen["status"] == "PUBLISHED"
    assert [d["id"] for d in documents.list_documents(session=session, actor=viewer)] == [
        document.id
    ]
    with pytest.raises(PermissionDenied):
        documents.list_versions(session=session, actor=viewer, document_id=document.id)


def test_editing_a_published_document_starts_a_draft_readers_do_not_see(session):
    _org, actors = org_with_roles(session)
    member, viewer = actors[Role.MEMBER], actors[Role.VIEWER]
    document = make_document(session, member, content="Published text\n")
    to_status(session, actors, document, "PUBLISHED")
    published_version = session.get(Document, document.id).published_version
    current = documents.get_document(session=session, actor=member, document_id=document.id)
    result = documents.save_draft(
        session=session,
        actor=member,
        document_id=document.id,
        title="Guide v2",
        content="Draft text\n",
        base_revision=current["revision"],
    )
    assert result["status"] == "DRAFT" and result["version"] == published_version + 1
    seen = documents.get_document(session=session, actor=viewer, document_id=document.id)
    assert (
        seen["content"] == "Published text\n"
        and seen["title"] == "Guide"
        and seen["status"] == "PUBLISHED"
    )
    listed = documents.list_documents(session=session, actor=viewer)
    assert listed[0]["title"] == "Guide" and listed[0]["status"] == "PUBLISHED"
    mine = documents.get_document(session=session, actor=member, document_id=document.id)
    assert mine["content"] == "Draft text\n" and mine["status"] == "DRAFT"
    # the new draft is reviewed and approved: readers now see it
    to_status(session, actors, session.get(Document, document.id), "PUBLISHED")
    seen = documents.get_document(session=session, actor=viewer, document_id=document.id)
    assert seen["content"] == "Draft text\n" and seen["title"] == "Guide v2"


def test_own_document_approval_refused_when_independent_review_is_required(session):
    org, actors = org_with_roles(session)
    admin, owner = actors[Role.ADMIN], actors[Role.OWNER]
    document = make_document(session, admin)
    documents.submit_for_review(session=session, actor=admin, document_id=document.id)
    org.require_independent_review = True
    session.add(org)
    session.flush()
    with pytest.raises(PermissionDenied, match="another reviewer"):
        documents.approve(session=session, actor=admin, document_id=document.id)
    queue = documents.review_queue(session=session, actor=admin)
    assert queue[0]["id"] == document.id and queue[0]["can_approve"] is False
    assert (
        documents.approve(session=session, actor=owner, document_id=document.id)["status"]
        == "PUBLISHED"
    )


def test_own_approval_allowed_when_not_required(session):
    _org, actors = org_with_roles(session)
    admin = actors[Role.ADMIN]
    document = make_document(session, admin)
    documents.submit_for_review(session=session, actor=admin, document_id=document.id)
    assert (
        documents.approve(session=session, actor=admin, document_id=document.id)["status"]
        == "PUBLISHED"
    )


def test_sending_back_needs_comments_and_shows_them(session):
    _org, actors = org_with_roles(session)
    document = make_document(session, actors[Role.MEMBER])
    documents.submit_for_review(
        session=session, actor=actors[Role.MEMBER], document_id=document.id, note="Ready"
    )
    queue = documents.review_queue(session=session, actor=actors[Role.ADMIN])
    assert queue[0]["note"] == "Ready" and queue[0]["submitted_by"]
    with pytest.raises(InvalidInput, match="Comments for the author is required"):
        documents.send_back(
            session=session, actor=actors[Role.ADMIN], document_id=document.id, comments=" "
        )
    documents.send_back(
        session=session,
        actor=actors[Role.ADMIN],
        document_id=document.id,
        comments="Add a screenshot",
    )
    seen = documents.get_document(
        session=session, actor=actors[Role.MEMBER], document_id=document.id
    )
    assert seen["status"] == "DRAFT" and "Add a screenshot" in seen["review"]["note"]


def test_save_draft_validation(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    document = make_document(session, member)
    base = dict(session=session, actor=member, document_id=document.id, base_revision=0)
    cases = [
        (dict(title="T", content=""), "empty"),
        (dict(title="T", content="   \n "), "empty"),
        (dict(title="T", content="x" * 100_001), "100,001 characters"),
        (dict(title="", content="ok"), "title is required"),
        (dict(title="t" * 201, content="ok"), "at most 200"),
        (dict(title="T", content="ok", tags=["x" * 31]), "tag"),
        (dict(title="T", content="ok", tags=[f"t{i}" for i in range(11)]), "At most 10 tags"),
    ]
    for kwargs, message in cases:
        with pytest.raises(InvalidInput, match=message):
            documents.save_draft(**base, **kwargs)
    session.refresh(document)
    assert document.revision == 0 and document.content.startswith("# Guide")
    ok = documents.save_draft(**base, title="T", content="x" * 100_000, tags="CRM, leads")
    assert ok["revision"] == 1
    session.refresh(document)
    assert len(document.content) == 100_000 and document.meta["tags"] == ["crm", "leads"]


def test_concurrent_saves_the_second_is_told_and_can_merge(session):
    _org, actors = org_with_roles(session)
    alice, bob = actors[Role.MEMBER], actors[Role.ADMIN]
    document = make_document(session, alice, content="line one\n")
    loaded = documents.get_document(session=session, actor=alice, document_id=document.id)[
        "revision"
    ]
    documents.save_draft(
        session=session,
        actor=alice,
        document_id=document.id,
        title="Guide",
        content="line one\nalice's line\n",
        base_revision=loaded,
    )
    with pytest.raises(documents.EditConflict) as caught:
        documents.save_draft(
            session=session,
            actor=bob,
            document_id=document.id,
            title="Guide",
            content="line one\nbob's line\n",
            base_revision=loaded,
        )
    theirs = caught.value.theirs
    assert theirs["content"] == "line one\nalice's line\n" and theirs["revision"] == loaded + 1
    session.refresh(document)
    assert document.content == "line one\nalice's line\n"  # nothing lost
    merged = "line one\nalice's line\nbob's line\n"
    documents.save_draft(
        session=session,
        actor=bob,
        document_id=document.id,
        title="Guide",
        content=merged,
        base_revision=theirs["revision"],
    )
    session.refresh(document)
    assert document.content == merged


def test_versions_restore_and_diff_of_non_adjacent_versions(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    document = make_document(session, member, content="alpha\nbeta\ngamma\n")
    rev = 0
    for text, note in [("alpha\nBETA\ngamma\n", "caps"), ("alpha\nBETA\ngamma\ndelta\n", "delta")]:
        out = documents.save_version(
            session=session,
            actor=member,
            document_id=document.id,
            changelog=note,
            title="Guide",
            content=text,
            base_revision=rev,
        )
        rev = out["revision"]
    versions = documents.list_versions(session=session, actor=member, document_id=document.id)
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert [v["changelog"] for v in versions] == ["delta", "caps", "Written."]

    diff = documents.diff_versions(
        session=session, actor=member, document_id=document.id, old=1, new=3
    )
    kinds = [(r["kind"], r["left_no"], r["right_no"]) for r in diff["rows"]]
    assert ("replace", "2", "2") in kinds and ("insert", "", "4") in kinds
    assert diff["added"] == 2 and diff["removed"] == 1
    replaced = next(r for r in diff["rows"] if r["kind"] == "replace")
    assert {"t": "beta", "c": "1"} in replaced["left"] and {"t": "BETA", "c": "1"} in replaced[
        "right"
    ]

    restored = documents.restore_version(
        session=session, actor=member, document_id=document.id, version=1, base_revision=rev
    )
    assert restored["version"] == 4
    session.refresh(document)
    assert document.content == "alpha\nbeta\ngamma\n"
    assert (
        documents.get_version(session=session, actor=member, document_id=document.id, version=3)[
            "content"
        ]
        == "alpha\nBETA\ngamma\ndelta\n"
    )
    with pytest.raises(NotFound):
        documents.diff_versions(
            session=session, actor=member, document_id=document.id, old=1, new=99
        )


def test_diff_folds_long_unchanged_runs():
    old = "\n".join(f"line {i}" for i in range(100))
    new = old.replace("line 50", "line fifty")
    result = documents.diff_texts(old, new)
    assert [r["kind"] for r in result["rows"]].count("skip") == 2
    assert len(result["rows"]) < 12


def test_editing_in_review_or_archived_is_refused(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    for status, message in (("REVIEW", "in review"), ("ARCHIVED", "archived")):
        document = make_document(session, member)
        to_status(session, actors, document, status)
        current = session.get(Document, document.id)
        with pytest.raises(Conflict, match=message):
            documents.save_draft(
                session=session,
                actor=member,
                document_id=document.id,
                title="T",
                content="new",
                base_revision=current.revision,
            )


def test_markdown_with_scripts_is_stored_as_text(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    document = make_document(session, member)
    nasty = '<script>alert(1)</script>\n[x](javascript:alert(1))\n<img src=x onerror="alert(1)">\n'
    documents.save_draft(
        session=session,
        actor=member,
        document_id=document.id,
        title="T",
        content=nasty,
        base_revision=0,
    )
    assert (
        documents.get_document(session=session, actor=member, document_id=document.id)["content"]
        == nasty
    )


def test_other_organization_gets_not_found_everywhere(session):
    _org, actors = org_with_roles(session)
    document = make_document(session, actors[Role.MEMBER])
    to_status(session, actors, document, "REVIEW")
    _other, others = org_with_roles(session)
    intruder = others[Role.OWNER]
    calls = [
        lambda: documents.get_document(session=session, actor=intruder, document_id=document.id),
        lambda: documents.list_versions(session=session, actor=intruder, document_id=document.id),
        lambda: documents.get_version(
            session=session, actor=intruder, document_id=document.id, version=1
        ),
        lambda: documents.diff_versions(
            session=session, actor=intruder, document_id=document.id, old=1, new=2
        ),
        lambda: documents.save_draft(
            session=session,
            actor=intruder,
            document_id=document.id,
            title="x",
            content="y",
            base_revision=0,
        ),
        lambda: documents.restore_version(
            session=session, actor=intruder, document_id=document.id, version=1, base_revision=None
        ),
        lambda: documents.approve(session=session, actor=intruder, document_id=document.id),
        lambda: documents.send_back(
            session=session, actor=intruder, document_id=document.id, comments="no"
        ),
        lambda: documents.submit_for_review(
            session=session, actor=intruder, document_id=document.id
        ),
        lambda: documents.archive(session=session, actor=intruder, document_id=document.id),
    ]
    for call in calls:
        with pytest.raises(NotFound, match="Document not found"):
            call()
    assert documents.list_documents(session=session, actor=intruder) == []
    assert documents.review_queue(session=session, actor=intruder) == []


def test_member_cannot_publish_and_viewer_cannot_write(session):
    _org, actors = org_with_roles(session)
    document = make_document(session, actors[Role.MEMBER])
    to_status(session, actors, document, "REVIEW")
    with pytest.raises(PermissionDenied, match="Admins and Owners can"):
        documents.approve(session=session, actor=actors[Role.MEMBER], document_id=document.id)
    with pytest.raises(PermissionDenied):
        documents.review_queue(session=session, actor=actors[Role.MEMBER])
    with pytest.raises(PermissionDenied):
        documents.save_draft(
            session=session,
            actor=actors[Role.VIEWER],
            document_id=document.id,
            title="x",
            content="y",
            base_revision=0,
        )


def test_working_copy_is_what_is_saved_now_and_tenant_bound(session):
    from techledger.services.errors import NotFound, PermissionDenied

    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    doc = make_document(session, member, title="Guide", content="First words.\n")
    documents.save_draft(
        session=session, actor=member, document_id=doc.id, title="Guide",
        content="Second words.\n", base_revision=0,
    )  # fmt: skip
    with pytest.raises(documents.EditConflict) as conflict:
        documents.save_draft(
            session=session, actor=actors[Role.ADMIN], document_id=doc.id, title="Guide",
            content="Mine.\n", base_revision=0,
        )  # fmt: skip
    copy = documents.working_copy(session=session, actor=actors[Role.ADMIN], document_id=doc.id)
    assert copy["content"] == "Second words.\n" == conflict.value.theirs["content"]
    assert copy["revision"] == 1
    with pytest.raises(PermissionDenied):
        documents.working_copy(session=session, actor=actors[Role.VIEWER], document_id=doc.id)
    _other, others = org_with_roles(session)
    with pytest.raises(NotFound):
        documents.working_copy(session=session, actor=others[Role.OWNER], document_id=doc.id)


def test_saving_nothing_new_makes_no_revision(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    doc = make_document(session, member, title="Guide", content="Words.\n")
    same = documents.save_draft(
        session=session, actor=member, document_id=doc.id, title="Guide", content="Words.\n",
        base_revision=0,
    )  # fmt: skip
    assert same["revision"] == 0
    # so a second editor with the same base is not refused because of it
    changed = documents.save_draft(
        session=session, actor=actors[Role.ADMIN], document_id=doc.id, title="Guide",
        content="Other words.\n", base_revision=0,
    )  # fmt: skip
    assert changed["revision"] == 1

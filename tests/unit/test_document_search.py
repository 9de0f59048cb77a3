"""Full-text search: PostgreSQL tsvector or SQLite FTS5, the same answers on both."""

from __future__ import annotations

import pytest

from techledger.enums import Role
from techledger.services import documents
from techledger.services.document_search import search_documents
from techledger.services.errors import InvalidInput
from tests.factories import org_with_roles
from tests.unit.test_documents import make_document, to_status


def _hit_words(parts):
    return [p["t"].lower() for p in parts if p["c"]]


def test_search_titles_and_content_with_highlights(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    lead = make_document(
        session,
        member,
        title="Create a lead",
        content="# Leads\n\nClick **Submit** to create the lead in Salesforce.\n",
    )
    opp = make_document(
        session,
        member,
        title="Close an opportunity",
        content="Choose the stage **Closed Won** and save.\n",
    )
    results = search_documents(session=session, actor=member, query="lead")
    assert [r["id"] for r in results] == [lead.id]
    assert "lead" in _hit_words(results[0]["title_parts"])
    assert any(w.startswith("lead") for w in _hit_words(results[0]["snippet_parts"]))
    assert "**" not in "".join(p["t"] for p in results[0]["snippet_parts"])
    # prefixes and several words
    assert [
        r["id"] for r in search_documents(session=session, actor=member, query="opport clos")
    ] == [opp.id]
    assert search_documents(session=session, actor=member, query="lead opportunity") == []
    # stemming on both databases: "creating" finds "create"
    assert [r["id"] for r in search_documents(session=session, actor=member, query="creating")] == [
        lead.id
    ]


def test_search_follows_edits(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    doc = make_document(session, member, title="Guide", content="Old words about invoices.\n")
    assert search_documents(session=session, actor=member, query="invoices")
    documents.save_draft(
        session=session,
        actor=member,
        document_id=doc.id,
        title="Guide",
        content="New words about quotes.\n",
        base_revision=0,
    )
    assert search_documents(session=session, actor=member, query="invoices") == []
    assert [r["id"] for r in search_documents(session=session, actor=member, query="quotes")] == [
        doc.id
    ]


def test_search_filters_and_roles(session):
    _org, actors = org_with_roles(session)
    member, viewer = actors[Role.MEMBER], actors[Role.VIEWER]
    draft = make_document(session, member, title="Lead draft", content="lead steps\n")
    published = make_document(session, member, title="Lead published", content="lead steps\n")
    to_status(session, actors, published, "PUBLISHED")
    other_app = make_document(session, member, title="Lead in HubSpot", content="lead steps\n")
    other_app.application_name = "HubSpot"
    session.add(other_app)
    session.flush()
    ids = lambda **kw: {r["id"] for r in search_documents(session=session, query="lead", **kw)}  # noqa: E731
    assert ids(actor=member) == {draft.id, published.id, other_app.id}
    assert ids(actor=member, status="published") == {published.id}
    assert ids(actor=member, application="HubSpot") == {other_app.id}
    assert ids(actor=viewer) == {published.id}  # viewers only find published text
    with pytest.raises(InvalidInput):
        search_documents(session=session, actor=member, query="lead", status="nope")


def test_search_is_tenant_bound_and_ignores_operators(session):
    _org, actors = org_with_roles(session)
    make_document(session, actors[Role.MEMBER], title="Secret lead process", content="lead\n")
    _other, others = org_with_roles(session)
    assert search_documents(session=session, actor=others[Role.OWNER], query="secret") == []
    for query in ['"', "lead OR secret", "NEAR(", "*", "lead:* | !x", "' OR 1=1 --", ""]:
        search_documents(session=session, actor=actors[Role.MEMBER], query=query)  # no error
    with pytest.raises(InvalidInput):
        search_documents(session=session, actor=actors[Role.MEMBER], query="x" * 201)


def test_readers_find_the_published_text_while_a_new_draft_is_written(session):
    _org, actors = org_with_roles(session)
    member, viewer = actors[Role.MEMBER], actors[Role.VIEWER]
    guide = make_document(
        session, member, title="Invoice approval", content="Approve the invoice in SAP.\n"
    )
    to_status(session, actors, guide, "PUBLISHED")
    ids = lambda actor, q, **kw: [  # noqa: E731
        r["id"] for r in search_documents(session=session, actor=actor, query=q, **kw)
    ]
    revision = session.get(type(guide), guide.id).revision
    documents.save_draft(
        session=session,
        actor=member,
        document_id=guide.id,
        title="Payment release",
        content="Release the payment in Coupa.\n",
        base_revision=revision,
    )
    # the draft is pending: readers still find the published text, never the draft's words
    assert ids(viewer, "invoice") == [guide.id]
    result = search_documents(session=session, actor=viewer, query="invoice")[0]
    assert result["title"] == "Invoice approval" and result["status"] == "PUBLISHED"
    assert ids(viewer, "coupa") == []
    assert ids(viewer, "invoice", status="published") == [guide.id]
    assert ids(viewer, "invoice", status="draft") == []
    # people who read drafts search the working copy
    assert ids(member, "coupa") == [guide.id] and ids(member, "invoice") == []
    # once the new draft is approved, readers find its words and no longer the old ones
    to_status(session, actors, session.get(type(guide), guide.id), "PUBLISHED")
    assert ids(viewer, "coupa") == [guide.id] and ids(viewer, "invoice") == []
    # archived guides are no longer found by readers
    documents.archive(session=session, actor=actors[Role.ADMIN], document_id=guide.id)
    assert ids(viewer, "coupa") == []
    assert ids(member, "coupa") == [guide.id]

"""Two people edit the same draft at once in Chromium: the second save is refused, shown side by
side, and merged without losing either person's words."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, create_organization, sign_up, unique_email
from tests.e2e.test_documents_flow import _seed


def _generate(member_email: str, workflow_id: str) -> str:
    from sqlmodel import select

    from techledger.db import session_scope
    from techledger.models import OrganizationMember, User
    from techledger.services import document_generation
    from techledger.services.actor import Actor

    with session_scope() as session:
        user = session.exec(select(User).where(User.email == member_email)).one()
        membership = session.exec(
            select(OrganizationMember).where(OrganizationMember.user_id == user.id)
        ).one()
        actor = Actor(
            user_id=user.id, organization_id=membership.organization_id, role=membership.role
        )
        return document_generation.generate_document(
            session=session, actor=actor, workflow_id=workflow_id
        ).id


def _content(document_id: str) -> str:
    from techledger.db import session_scope
    from techledger.models import Document

    with session_scope() as session:
        return session.get(Document, document_id).content


def _type_at_end(page, text: str) -> None:  # noqa: ANN001
    page.locator("#editor-source").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def _saved(page, document_id: str, text: str) -> None:  # noqa: ANN001
    """Wait until ``text`` is stored and the page says so."""
    deadline = time.time() + 30
    while text not in _content(document_id):
        assert time.time() < deadline, f"{text!r} was not saved"
        time.sleep(0.2)
    page.wait_for_function(
        "() => document.querySelector('#save-state').innerText.includes('Saved')"
    )


def test_two_editors_at_once_merge_without_losing_words(page, browser, base_url, app_env):  # noqa: ANN001
    owner_email, member_email = unique_email("owner"), unique_email("member")
    sign_up(page, owner_email, name="Olivia Owner")
    create_organization(page, f"Merge Org {time.time_ns() % 10**6}")
    other = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    member = other.new_page()
    member_errors: list[str] = []
    member.on("pageerror", lambda e: member_errors.append(f"pageerror: {e}"))
    member.on("console", lambda m: member_errors.append(m.text) if m.type == "error" else None)
    sign_up(member, member_email, name="Max Member")
    document_id = _generate(member_email, _seed(owner_email, member_email))

    # Both open the draft; the member saves first.
    for person in (page, member):
        person.goto(f"/documents/{document_id}")
        person.wait_for_selector("#editor-source")
    _type_at_end(member, "\n\nMember tip: check the email first.")
    _saved(member, document_id, "Member tip: check the email first.")

    # The owner's page still holds the old revision: their save is refused, nothing is lost.
    _type_at_end(page, "\n\nOwner tip: pick the lead source.")
    page.wait_for_selector("#conflict-panel")
    assert "Conflict" in page.locator("#save-state").inner_text()
    assert "Member tip" in page.locator("#conflict-theirs").input_value()
    # every keystroke is kept, even those that arrive after the conflict was found
    expect(page.locator("#conflict-mine")).to_have_value(
        re.compile("Owner tip: pick the lead source.$")
    )
    assert "Owner tip" not in _content(document_id)  # theirs is still what is stored
    page.screenshot(path=str(ARTIFACTS / "documents_conflict.png"), full_page=True)

    # Merge: the owner keeps theirs and adds the member's text below, then tidies by hand.
    page.click("#merge-theirs")
    _saved(page, document_id, "Owner tip: pick the lead source.")
    stored = _content(document_id)
    assert "Owner tip: pick the lead source." in stored
    assert "Member tip: check the email first." in stored

    # Now the member is behind: they merge by hand in the side-by-side panel and keep theirs.
    _type_at_end(member, "\n\nMember second tip.")
    member.wait_for_selector("#conflict-panel")
    mine = member.locator("#conflict-mine")
    merged = mine.input_value().replace("Member second tip.", "Member second tip (merged).")
    mine.fill(merged + "\n\nOwner tip: pick the lead source.")
    member.click("#keep-mine")
    _saved(member, document_id, "Member second tip (merged).")
    assert member.locator("#conflict-panel").count() == 0
    stored = _content(document_id)
    assert "Member second tip (merged)." in stored
    assert "Owner tip: pick the lead source." in stored
    assert "Member tip: check the email first." in stored
    assert member_errors == []

    # The owner's next keystroke is refused again (their copy is old), and taking theirs
    # loads the member's merged text.
    _type_at_end(page, "!")
    page.wait_for_selector("#conflict-panel")
    page.click("#take-theirs")
    page.wait_for_selector("#conflict-panel", state="detached")
    assert "Member second tip (merged)." in page.locator("#editor-source").input_value()
    other.close()

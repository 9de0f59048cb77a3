"""A trained workflow becomes a published guide in the browser: a member generates, edits and
submits it; an admin (the owner) approves it from the review queue and exports a PDF."""

from __future__ import annotations

import re
import time

from sqlmodel import select

from tests.e2e.conftest import ARTIFACTS, create_organization, sign_up, unique_email


def _seed(owner_email: str, member_email: str) -> str:
    """Make the member a MEMBER of the owner's organization, with a trained workflow."""
    from techledger.db import session_scope
    from techledger.enums import Role
    from techledger.models import OrganizationMember, User
    from techledger.services.actor import Actor
    from tests.factories_documents import make_action, make_trained_workflow

    with session_scope() as session:
        owner = session.exec(select(User).where(User.email == owner_email)).one()
        member = session.exec(select(User).where(User.email == member_email)).one()
        org_id = session.exec(
            select(OrganizationMember.organization_id).where(OrganizationMember.user_id == owner.id)
        ).one()
        session.add(OrganizationMember(user_id=member.id, organization_id=org_id, role=Role.MEMBER))
        session.flush()
        actor = Actor(user_id=member.id, organization_id=org_id, role=Role.MEMBER)
        workflow = make_trained_workflow(session, actor, action=make_action(session, org_id))
        return workflow.id


def test_member_writes_admin_publishes_then_exports_pdf(page, browser, base_url, app_env):  # noqa: ANN001
    owner_email, member_email = unique_email("owner"), unique_email("member")
    sign_up(page, owner_email, name="Olivia Owner")
    create_organization(page, f"Docs Org {time.time_ns() % 10**6}")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    other = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    member = other.new_page()
    dialogs: list[str] = []
    member.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    member_errors: list[str] = []
    member.on("pageerror", lambda e: member_errors.append(f"pageerror: {e}"))
    member.on("console", lambda m: member_errors.append(m.text) if m.type == "error" else None)
    sign_up(member, member_email, name="Max Member")
    _seed(owner_email, member_email)

    # The member generates the guide from the workflow.
    # (signed in since sign-up; the new membership is picked up on the next page load)
    member.goto("/documents")
    member.wait_for_selector("#documents-empty")
    member.click("#open-generate")
    member.wait_for_selector("#generate-workflow")
    member.click("#generate-submit")
    member.wait_for_url(re.compile(r".*/documents/[a-z0-9]+$"))
    member.wait_for_selector("#editor-source")
    assert "Screen 1: Lead form" in member.locator("#editor-preview").inner_text()
    member.wait_for_function(
        "() => [...document.querySelectorAll('#editor-preview img')]"
        ".filter(e => e.complete && e.naturalWidth > 0).length === 6"
    )

    # Live editing: the preview follows, images are kept, the draft saves itself; raw HTML is inert.
    source = member.locator("#editor-source")
    source.click()
    member.keyboard.press("Control+End")
    member.keyboard.type(
        "\n\n## Tips\n\nAlways check the **Email** first.\n\n"
        '<img src=x onerror="alert(1)"> <script>alert(2)</script> [bad](javascript:alert(3))\n'
    )
    try:
        member.wait_for_function(
            "() => document.querySelector('#editor-preview').innerText.includes('Always check the')"
        )
    finally:
        print("MEMBER ERRORS", member_errors)
    member.wait_for_function(
        "() => document.querySelector('#save-state').innerText.includes('Saved')"
    )
    preview = member.locator("#editor-preview")
    assert preview.locator("script").count() == 0
    assert preview.locator("img[onerror]").count() == 0
    assert preview.locator("a[href^='javascript']").count() == 0
    if preview.locator("a:has-text('bad')").count():
        preview.locator("a:has-text('bad')").click()
    assert dialogs == []
    assert member_errors == []
    member.screenshot(path=str(ARTIFACTS / "documents_member_typing.png"), full_page=True)
    member.wait_for_function(
        "() => [...document.querySelectorAll('#editor-preview img')]"
        ".filter(e => e.complete && e.naturalWidth > 0).length === 6",
        timeout=15_000,
    )
    member.fill("#editor-title", "How to create a lead")
    member.wait_for_function(
        "() => document.querySelector('#save-state').innerText.includes('Saved')"
    )
    document_url = member.url

    # Submitting for review with a note.
    member.click("#open-submit")
    member.fill("#review-note", "Ready for a look")
    member.click("#review-note-confirm")
    member.wait_for_function("() => document.querySelector('#doc-status').innerText === 'REVIEW'")
    assert member.locator("#approve").count() == 0  # a member cannot publish
    member.screenshot(path=str(ARTIFACTS / "documents_member_editor.png"), full_page=True)

    # The owner (an admin) approves it from the review queue.
    page.click("#nav-review")
    page.wait_for_selector("#review-queue")
    assert "Ready for a look" in page.locator("#review-queue").inner_text()
    page.screenshot(path=str(ARTIFACTS / "documents_review_queue.png"), full_page=True)
    page.locator("#review-queue button:has-text('Approve')").first.click()
    page.wait_for_selector("#review-empty")

    page.goto(document_url.replace(base_url, ""))
    page.wait_for_function("() => document.querySelector('#doc-status')?.innerText === 'PUBLISHED'")
    assert page.locator("#editor-title").input_value() == "How to create a lead"
    versions = page.locator(".version-row").count()
    assert versions >= 3  # generated, submitted, published

    # Compare two non-adjacent versions side by side.
    page.click("#compare-old")
    page.get_by_role("option", name="Version 1", exact=True).click()
    page.click("#compare")
    page.wait_for_selector("#diff-summary")
    assert "lines added" in page.locator("#diff-summary").inner_text()
    assert page.locator(".diff-row-insert").count() >= 1

    # Export to PDF: the job runs, its progress shows, the browser downloads the file.
    with page.expect_download(timeout=120_000) as download_info:
        page.click("#export-menu")
        page.click("#export-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.wait_for_selector("#export-status[data-status='done']")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(ARTIFACTS / "documents_published_1920.png"), full_page=True)

    # The member now sees it published.
    member.goto("/documents")
    member.wait_for_selector("#document-list")
    assert "PUBLISHED" in member.locator("#document-list").inner_text()
    member.fill("#document-search", "email")
    member.wait_for_selector("#search-results mark")
    member.screenshot(path=str(ARTIFACTS / "documents_search.png"), full_page=True)
    other.close()

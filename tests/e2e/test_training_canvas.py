"""The training canvas and the pattern library in Chromium, on a workflow seeded via services."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, log_in, unique_email

BOXES = "#canvas-svg rect"
# Redis state manager and a shared, busy machine: allow more than the default 5 s.
expect.set_options(timeout=15_000)


def _seed(email: str, *, screens: int = 2) -> dict:
    """A workflow of the signed-in person's organization with analyzed screenshots."""
    from sqlmodel import select

    from techledger.db import session_scope
    from techledger.enums import Role
    from techledger.models import OrganizationMember, User
    from techledger.services.actor import Actor
    from tests.factories_training import analyzed_screenshot, make_workflow

    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        member = session.exec(
            select(OrganizationMember).where(OrganizationMember.user_id == user.id)
        ).first()
        actor = Actor(user.id, member.organization_id, Role(member.role))
        workflow = make_workflow(session, actor, application="Salesforce", name="Create a lead")
        shots = [
            analyzed_screenshot(session, workflow, position=i, store_png=True)[0].id
            for i in range(screens)
        ]
        return {"workflow_id": workflow.id, "screens": shots, "org_id": member.organization_id}


def _add_person(org_id: str, role: str) -> str:
    from techledger.db import session_scope
    from techledger.enums import Role
    from techledger.models import OrganizationMember
    from techledger.services import accounts

    email = unique_email(role.lower())
    with session_scope() as session:
        user = accounts.sign_up(session=session, email=email, password=PASSWORD, name=role.title())
        session.add(OrganizationMember(user_id=user.id, organization_id=org_id, role=Role(role)))
    return email


def _box(page, element_type: str):  # noqa: ANN001, ANN202
    return page.locator(f"{BOXES}[data-type='{element_type}']").first


def _expect_focus(page, element_type: str) -> None:  # noqa: ANN001
    """The highlighted box is the first of ``element_type``, and it is drawn in red."""
    box = _box(page, element_type)
    box_id = box.get_attribute("id").removeprefix("box-")
    expect(page.locator("#canvas-focus")).to_have_attribute("data-focus", box_id)
    expect(box).to_have_css("stroke", "rgb(225, 29, 72)")


def test_train_with_mouse_and_keyboard_then_reload(signed_in_owner):  # noqa: ANN001
    page = signed_in_owner["page"]
    seed = _seed(signed_in_owner["email"])
    page.goto(f"/workflows/{seed['workflow_id']}/train")
    expect(page.locator(BOXES)).to_have_count(12)
    expect(page.locator("#progress")).to_have_text("0 of 8 answered, 0 recognized automatically")
    # The highest priority question comes first: the primary button.
    expect(page.locator("#current-question")).to_have_text('What happens when you click "Save"?')
    _expect_focus(page, "BUTTON")

    # Click a box: its question opens and its box is highlighted.
    _box(page, "LINK").click()
    expect(page.locator("#current-question")).to_have_text('Where does the link "Help" take you?')
    _expect_focus(page, "LINK")

    # Answer with the keyboard (HTML stays text); the box turns answered, the queue advances.
    page.locator("#answer-input").fill("Opens the <b>help</b> center")
    page.locator("#answer-input").press("Enter")
    expect(_box(page, "LINK")).to_have_attribute("data-state", "answered")
    expect(page.locator("#current-question")).to_have_text('What happens when you click "Save"?')
    expect(page.locator("#progress")).to_contain_text("1 of 8 answered")

    # 1 picks the first suggestion; S skips; K goes up the queue.
    page.locator("#current-question").click()  # focus leaves the answer box
    page.keyboard.press("1")
    save = page.locator(f"{BOXES}[data-type='BUTTON']").first
    expect(save).to_have_attribute("data-state", "answered")
    expect(page.locator("#progress")).to_contain_text("2 of 8 answered")
    skipped_question = page.locator("#current-question").inner_text()
    page.keyboard.press("s")
    expect(page.locator("#current-question")).not_to_have_text(skipped_question)
    expect(page.locator(f"{BOXES}[data-state='skipped']")).to_have_count(1)
    page.keyboard.press("j")
    page.keyboard.press("k")

    # Reload: everything persisted; the answer is shown as text.
    page.reload()
    expect(page.locator(BOXES)).to_have_count(12)
    expect(_box(page, "LINK")).to_have_attribute("data-state", "answered")
    expect(page.locator(f"{BOXES}[data-state='skipped']")).to_have_count(1)
    _box(page, "LINK").click()
    expect(page.locator("#current-answer")).to_have_text("Opens the <b>help</b> center")
    expect(page.locator("#current-answer b")).to_have_count(0)

    # Screen 2 of the same application: what was taught is recognized there.
    page.click(f"#screen-{seed['screens'][1]}")
    expect(page.locator(f"{BOXES}[data-state='known']")).to_have_count(2)
    expect(page.locator("#workflow-progress")).to_contain_text("2 recognized automatically")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path="artifacts/screens/training_canvas_1920.png")

    # A wrong automatic match can be undone from the canvas.
    page.locator(f"{BOXES}[data-state='known'][data-type='LINK']").click()
    page.click("#reject-match")
    expect(_box(page, "LINK")).to_have_attribute("data-state", "asked")
    expect(page.locator("#current-question")).to_have_text('Where does the link "Help" take you?')

    # A caption is not asked about; if it is really a button, say so: it gets its question.
    stage = page.locator(f"{BOXES}[data-state='caption']").nth(2)
    stage.click()
    expect(page.locator("#element-card")).to_contain_text("captions a field")
    page.click("#element-type")
    page.get_by_role("option", name="BUTTON").click()
    expect(page.locator("#current-question")).to_have_text('What happens when you click "Stage"?')
    expect(page.locator(f"{BOXES}[data-state='caption']")).to_have_count(3)

    # The pattern library lists what was learned; edit, deactivate, reactivate, usages.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("#nav-patterns")
    expect(page.locator("#patterns-table tbody tr")).to_have_count(2)
    row = page.locator("#patterns-table tbody tr", has_text="Help")
    row.locator("[id^='edit-']").click()
    page.fill("#edit-purpose", "Opens the help center in a new tab")
    page.click("#edit-save")
    expect(row).to_contain_text("Opens the help center in a new tab")
    row.locator("[id^='usages-']").click()
    expect(page.locator("#usages-list")).to_contain_text("Create a lead")
    page.keyboard.press("Escape")
    row.locator("[id^='deactivate-']").click()
    page.click("#confirm-deactivate")
    expect(row).to_contain_text("Deactivated")
    row.locator("[id^='reactivate-']").click()
    expect(row).not_to_contain_text("Deactivated")


def test_two_people_see_each_others_answers_and_viewers_cannot_train(  # noqa: ANN001
    signed_in_owner, browser, base_url
):
    page = signed_in_owner["page"]
    seed = _seed(signed_in_owner["email"], screens=1)
    url = f"/workflows/{seed['workflow_id']}/train"
    member_email = _add_person(seed["org_id"], "MEMBER")
    viewer_email = _add_person(seed["org_id"], "VIEWER")

    other = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    try:
        colleague = other.new_page()
        log_in(colleague, member_email)
        colleague.goto(url)
        expect(colleague.locator(BOXES)).to_have_count(12)
        page.goto(url)
        expect(page.locator(BOXES)).to_have_count(12)

        # The owner answers; the colleague's canvas changes without a reload.
        _box(page, "DROPDOWN").click()
        page.locator("#answer-input").fill("The lead's sales stage")
        page.click("#answer-submit")
        expect(_box(page, "DROPDOWN")).to_have_attribute("data-state", "answered")
        started = time.monotonic()
        expect(_box(colleague, "DROPDOWN")).to_have_attribute(
            "data-state", "answered", timeout=10_000
        )
        print(f"live update seen after {time.monotonic() - started:.1f}s")
        expect(colleague.locator("#progress")).to_contain_text("1 of 8 answered")
        # The colleague opens that question: it says who answered, with no answer box.
        _box(colleague, "DROPDOWN").click()
        expect(colleague.locator("#current-answer")).to_have_text("The lead's sales stage")
        expect(colleague.locator("#question-card")).to_contain_text("Answered by Olivia Owner")
        expect(colleague.locator("#answer-input")).to_have_count(0)
    finally:
        other.close()

    viewer_context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    try:
        viewer = viewer_context.new_page()
        log_in(viewer, viewer_email)
        viewer.goto(url)
        expect(viewer.locator("#canvas-error")).to_contain_text("cannot train on the canvas")
        expect(viewer.locator(BOXES)).to_have_count(0)
    finally:
        viewer_context.close()

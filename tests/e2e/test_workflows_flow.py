"""Create a workflow, upload screenshots with per-file progress, watch them get analysed live,
and open the viewer with every element boxed and typed."""

from __future__ import annotations

import re

from tests import screenshot_images as images
from tests.e2e.conftest import add_member, sign_up, unique_email


def _png(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": data}


def test_create_upload_watch_analysis_and_view_boxes(signed_in_owner, page, browser, base_url):  # noqa: ANN001
    page.click("#nav-workflows")
    page.wait_for_selector("#workflows-empty")
    page.click("#new-workflow")
    page.fill("#wf-name", "Create a lead")
    page.fill("#wf-application", "Acme CRM")
    page.click("#wf-create")
    page.wait_for_url(re.compile(r".*/workflows/c[0-9a-z]+$"))
    page.wait_for_selector("#workflow-name:has-text('Create a lead')")
    page.wait_for_selector("#screenshots-empty")
    workflow_path = page.url.split("//", 1)[1].split("/", 1)[1]
    assert (
        page.locator("#train-on-canvas").get_attribute("href").endswith(f"/{workflow_path}/train")
    )

    page.set_input_files(
        "input[type=file]",
        files=[
            _png("step1-form.png", images.form_png(seed=1)),
            _png("notes.png", images.text_renamed_png()),
            _png("step2-form.png", images.form_png(seed=2, title="Lead details", button="Save")),
        ],
    )
    # One row per file with its own progress bar, in the order they were chosen.
    rows = page.locator(".upload-row")
    rows.first.wait_for()
    assert rows.count() == 3
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert "step1-form.png" in texts[0] and "notes.png" in texts[1] and "step2-form.png" in texts[2]
    assert page.locator("#upload-list [role=progressbar]").count() == 3
    page.wait_for_selector(".upload-row[data-state=rejected]")
    page.wait_for_function(
        "document.querySelectorAll('.upload-row[data-state=stored]').length === 2"
    )
    assert "not a readable image" in page.locator(".upload-error").inner_text()
    assert "PNG, JPEG or WebP" in page.locator(".upload-error").inner_text()

    # Live status, without reloading: both reach ANALYZED.
    cards = page.locator(".shot-card")
    cards.nth(1).wait_for()
    assert cards.count() == 2
    page.wait_for_function(
        "[...document.querySelectorAll('.shot-status')].filter("
        "e => e.innerText.includes('ANALYZED')).length === 2",
        timeout=120_000,
    )
    assert page.locator("#pending-badge").count() == 0

    # The thumbnails are served by the authorized route.
    thumb = cards.first.locator("img")
    src = thumb.get_attribute("src")
    assert "/api/files/screenshots/" in src and "?t=" in src
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )

    # Reorder: the second screenshot moves first.
    second_id = cards.nth(1).locator("[id^=thumb-]").get_attribute("id")[len("thumb-") :]
    page.click(f"#earlier-{second_id}")
    page.wait_for_function(
        f"document.querySelector('.shot-card [id^=thumb-]').id === 'thumb-{second_id}'"
    )
    # ... and by dragging: the card now second, dropped on the first one's left half, leads.
    dragged_id = cards.nth(1).locator("[id^=thumb-]").get_attribute("id")[len("thumb-") :]
    assert cards.nth(1).get_attribute("draggable") == "true"
    cards.nth(1).drag_to(cards.nth(0), target_position={"x": 10, "y": 60})
    page.wait_for_function(
        f"document.querySelector('.shot-card [id^=thumb-]').id === 'thumb-{dragged_id}'"
    )
    assert page.locator(".shot-card.drop-before, .shot-card.drop-after").count() == 0
    # A card dropped on its own place changes nothing; put the order back by dragging right.
    cards.nth(0).drag_to(cards.nth(1), target_position={"x": 200, "y": 60})
    page.wait_for_function(
        f"document.querySelector('.shot-card [id^=thumb-]').id === 'thumb-{second_id}'"
    )

    # A Viewer of the organization sees the order but can neither drag nor move a screenshot.
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    reader = context.new_page()
    reader_email = unique_email("viewer")
    sign_up(reader, reader_email, name="Vera Viewer")
    add_member(signed_in_owner["email"], reader_email, "VIEWER")
    reader.goto("/" + workflow_path)
    reader_cards = reader.locator(".shot-card")
    reader_cards.nth(1).wait_for()
    assert [reader_cards.nth(i).get_attribute("draggable") for i in range(2)] == ["false"] * 2
    assert reader.locator("[id^=earlier-], [id^=later-], [id^=delete-]").count() == 0
    reader_cards.nth(1).drag_to(reader_cards.nth(0), target_position={"x": 10, "y": 60})
    page.reload()
    cards.nth(1).wait_for()
    assert cards.first.locator("[id^=thumb-]").get_attribute("id") == f"thumb-{second_id}"
    context.close()

    # The screenshot viewer: the image with one box per element, typed on hover.
    page.click(f"#thumb-{second_id}")
    page.wait_for_selector("#viewer-boxes rect")
    image = page.locator("#viewer-image")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    boxes = page.locator("#viewer-boxes rect")
    count = boxes.count()
    assert count >= 2
    assert page.locator("#viewer-element-count").inner_text() == f"{count} elements"
    assert page.locator("#viewer-boxes").get_attribute("viewBox") == "0 0 480 320"
    types = {boxes.nth(i).get_attribute("data-type") for i in range(count)}
    assert "INPUT" in types and len(types) >= 2
    # Pointing at a box names its type and text (the box with the widest area: on top of none).
    box = page.locator("#viewer-boxes rect[data-type=INPUT]").first
    box_type, box_text = box.get_attribute("data-type"), box.get_attribute("data-text")
    box.hover()
    page.wait_for_function(
        f"document.querySelector('#element-hover').innerText.includes('{box_type}')"
    )
    assert (box_text or "(no text)") in page.locator("#element-hover").inner_text()
    annotated = page.locator("#viewer-annotated").get_attribute("href")
    assert "/api/files/screenshots/" in annotated and "/annotated?t=" in annotated
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path="artifacts/screens/workflow-viewer-1920.png")
    page.click("#viewer-close")
    page.wait_for_selector("#viewer", state="detached")
    page.screenshot(path="artifacts/screens/workflow-page-1920.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    # Back in the list: the workflow with its counts; complete it.
    page.click("#back-to-workflows")
    page.wait_for_selector("#workflows-table")
    assert "2 screenshots" in page.locator("#workflows-table").inner_text()
    page.screenshot(path="artifacts/screens/workflows-list-1280.png", full_page=True)

    # Archive asks first, then the workflow leaves the active list; the filter finds it.
    workflow_id = workflow_path.rsplit("/", 1)[-1]
    page.click(f"#workflow-menu-{workflow_id}")
    page.click(f"#archive-{workflow_id}")
    page.click("#confirm-archive")
    page.wait_for_selector("#workflows-empty")
    page.get_by_role("radio", name="Archived").click()
    page.wait_for_selector(f"#workflow-link-{workflow_id}")
    assert "ARCHIVED" in page.locator("#workflows-table").inner_text()


def test_a_viewer_of_another_organization_gets_not_found(signed_in_owner, page, browser, base_url):  # noqa: ANN001
    page.click("#nav-workflows")
    page.wait_for_selector("#new-workflow")
    page.click("#new-workflow")
    page.fill("#wf-name", "Private")
    page.fill("#wf-application", "SAP")
    page.click("#wf-create")
    page.wait_for_url(re.compile(r".*/workflows/c[0-9a-z]+$"))
    path = "/" + page.url.split("//", 1)[1].split("/", 1)[1]

    from tests.e2e.conftest import create_organization, sign_up, unique_email

    other = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    stranger = other.new_page()
    sign_up(stranger, unique_email("stranger"))
    create_organization(stranger, "Other Org")
    stranger.goto(path)
    stranger.wait_for_selector("#workflow-not-found")
    other.close()

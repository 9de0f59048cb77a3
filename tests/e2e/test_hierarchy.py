"""The hierarchy editor in Chromium: build, rename, drag, reload, keyboard, delete, import/export,
templates, and the read-only view of a Viewer."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import add_member, sign_up, unique_email

ROW = ".hier-row"


def _row(page, name: str):  # noqa: ANN001, ANN202
    return page.locator(f"{ROW}[data-name={json.dumps(name)}]")


def _names(page, level: str) -> list[str]:  # noqa: ANN001
    return page.eval_on_selector_all(
        f"{ROW}[data-level='{level}']", "els => els.map(e => e.dataset.name)"
    )


def _wait_counter(page, selector: str, value: int) -> None:  # noqa: ANN001
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel) && "
        "Number(document.querySelector(sel).textContent) >= v",
        arg=[selector, value],
    )


def _open_hierarchy(page) -> None:  # noqa: ANN001
    page.click("#nav-hierarchy")
    page.wait_for_selector("#hierarchy-empty, #hierarchy-tree")


def _add(page, name: str, application: str | None = None) -> None:  # noqa: ANN001
    page.wait_for_selector("#add-name")
    page.fill("#add-name", name)
    if application is not None:
        page.fill("#add-application", application)
    page.click("#add-submit")
    _row(page, name).wait_for()
    page.wait_for_selector("#add-name", state="detached")


def _add_child(page, parent: str, name: str, application: str | None = None) -> None:  # noqa: ANN001
    _row(page, parent).click()
    page.wait_for_selector(f"#detail-name:text-is({json.dumps(parent)})")
    page.click("#detail-add-child")
    _add(page, name, application)


# Resolves once the page has drawn two more frames: every animation-frame callback requested
# before it has run.
NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)
# Whether the tree shows the drop where it is meant to go: the line at the top edge of the row
# named ``name`` ("above"), or that row highlighted ("into").
DROP_SHOWN = """([name, where]) => {
  const row = [...document.querySelectorAll('.hier-row')].find((r) => r.dataset.name === name);
  if (!row) return false;
  if (where === 'into') return row.classList.contains('will-receive-drop');
  const line = document.querySelector('.hier-drop-cursor');
  if (!line) return false;
  return Math.abs(line.getBoundingClientRect().top + 2 - row.getBoundingClientRect().top) <= 2;
}"""


def _show_actions(page, name: str) -> None:  # noqa: ANN001
    """Hover the row ``name`` until its action buttons show. A tree that re-lays its rows after
    a late update (the Redis state manager on a busy machine) moves the row from under a
    pointer that hovered it once: hover it again where it is now."""
    button = page.locator(f"[aria-label='Rename {name}']")
    for _ in range(5):
        # Chromium recomputes :hover only when the pointer moves: leave, then come back.
        page.mouse.move(0, 0)
        _row(page, name).hover()
        try:
            button.wait_for(state="visible", timeout=2000)
            return
        except PlaywrightTimeoutError:
            continue
    button.wait_for(state="visible")


def _drag(page, source: str, target: str, *, where: str, x: int = 80, before_drop=None) -> None:  # noqa: ANN001
    """Drag the row ``source`` onto the top edge ("above") or the middle ("into") of ``target``;
    ``x`` (from the row's left) picks the depth of a drop between rows, as in react-arborist.

    It lets go only once the tree shows the drop at the target, as a person does. react-dnd
    turns dragover events into a hover once per animation frame, computed for the rows under
    the pointer when that frame was requested but with the pointer's latest position. A browser
    repeats dragover while the pointer rests, which corrects such a hover at once; Playwright's
    drag sends dragover only when the mouse moves. On a busy machine a frame can come only after
    the last move, and the hover then stays computed against the row where the drag began (an
    illegal cursor, or a drop in the wrong place: the flake this replaces). So: let the pending
    frame run, move on the spot to the target's current place, let that hover's frame run, and
    look at the cursor; again if it is not there yet. (A read-only tree shows none: after a few
    tries the mouse is released anyway, and the test checks that nothing moved.)"""
    src = _row(page, source).bounding_box()
    page.mouse.move(src["x"] + 60, src["y"] + src["height"] / 2)
    page.mouse.down()
    page.mouse.move(src["x"] + 70, src["y"] + src["height"] / 2 + 8, steps=4)
    dst = _row(page, target).bounding_box()
    y = dst["y"] + (3 if where == "above" else dst["height"] / 2)
    page.mouse.move(dst["x"] + x, y, steps=12)
    for attempt in range(6):
        page.evaluate(NEXT_FRAMES)
        dst = _row(page, target).bounding_box()
        y = dst["y"] + (3 if where == "above" else dst["height"] / 2)
        page.mouse.move(dst["x"] + x + 1 + attempt % 2, y)
        page.evaluate(NEXT_FRAMES)
        if page.evaluate(DROP_SHOWN, [target, where]):
            break
    if before_drop is not None:
        before_drop()
    page.mouse.up()


def test_build_rename_drag_reload_keyboard_and_delete(signed_in_owner):
    page = signed_in_owner["page"]
    _open_hierarchy(page)
    page.wait_for_selector("#hierarchy-empty")
    page.wait_for_selector("text=Start from a template")

    page.click("#add-system")
    _add(page, "Sales <b>System</b>")
    page.click("#add-system")
    _add(page, "Finance")
    # HTML in a name is shown as text.
    assert _row(page, "Sales <b>System</b>").locator(".hier-name").inner_text() == (
        "Sales <b>System</b>"
    )
    _add_child(page, "Sales <b>System</b>", "Alpha")
    _add_child(page, "Sales <b>System</b>", "Beta")
    _add_child(page, "Finance", "Gamma")
    _add_child(page, "Alpha", "Leads")
    _add_child(page, "Leads", "Capture")
    _add_child(page, "Capture", "Create Lead", application="Salesforce")
    assert _row(page, "Create Lead").locator(".hier-app").inner_text() == "Salesforce"
    assert _names(page, "department") == ["Alpha", "Beta", "Gamma"]

    # Inline rename with the row's button: Enter saves ...
    _show_actions(page, "Beta")
    page.click("[aria-label='Rename Beta']")
    page.fill(".hier-rename", "Beta Team")
    page.keyboard.press("Enter")
    _wait_counter(page, "#renames-saved", 1)
    _row(page, "Beta Team").wait_for()
    # ... and Escape cancels.
    _show_actions(page, "Alpha")
    page.click("[aria-label='Rename Alpha']")
    page.fill(".hier-rename", "Not this")
    page.keyboard.press("Escape")
    page.wait_for_selector(".hier-rename", state="detached")
    assert _row(page, "Alpha").count() == 1 and _row(page, "Not this").count() == 0

    # Drag "Beta Team" above "Alpha" ...
    _drag(
        page,
        "Beta Team",
        "Alpha",
        where="above",
        before_drop=lambda: page.wait_for_selector(".hier-drop-cursor[data-legal='true']"),
    )
    _wait_counter(page, "#moves-saved", 1)
    assert _names(page, "department") == ["Beta Team", "Alpha", "Gamma"]
    # ... and "Gamma" across to the other System, above "Alpha".
    _drag(page, "Gamma", "Alpha", where="above")
    _wait_counter(page, "#moves-saved", 2)
    assert _names(page, "department") == ["Beta Team", "Gamma", "Alpha"]

    # An illegal drop (a Practice Group among the Systems) is refused with a message.
    def shows_refusal() -> None:
        page.wait_for_selector(".hier-drop-cursor.is-illegal:has-text('Not allowed here')")

    _drag(page, "Leads", "Finance", where="above", x=4, before_drop=shows_refusal)
    page.wait_for_selector("text=belongs under a Department")
    assert _names(page, "practice_group") == ["Leads"]
    assert _names(page, "system") == ["Sales <b>System</b>", "Finance"]

    # The order was persisted.
    page.reload()
    page.wait_for_selector("#hierarchy-tree")
    _row(page, "Alpha").wait_for()
    assert _names(page, "department") == ["Beta Team", "Gamma", "Alpha"]
    assert _names(page, "system") == ["Sales <b>System</b>", "Finance"]

    # Keyboard: select, arrows move, Enter renames, Delete deletes (after confirming).
    _row(page, "Alpha").click()
    page.wait_for_selector("#detail-name:text-is('Alpha')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hier-rename")
    page.fill(".hier-rename", "Alpha Renamed")
    page.keyboard.press("Enter")
    _wait_counter(page, "#renames-saved", 1)
    _row(page, "Alpha Renamed").wait_for()
    page.wait_for_selector("#detail-name:text-is('Alpha Renamed')")
    page.locator("#hierarchy-tree [role='tree']").focus()
    page.keyboard.press("ArrowUp")
    page.wait_for_selector(f"{ROW}.is-focused[data-name='Gamma']")
    page.keyboard.press("Delete")
    page.wait_for_selector("text=The Department 'Gamma' will be deleted (1 node in all).")
    page.click("#confirm-delete")
    page.wait_for_selector("text=Deleted 'Gamma' (1 node).")
    assert _names(page, "department") == ["Beta Team", "Alpha Renamed"]

    # Deleting a subtree from the side panel states its size first.
    _row(page, "Alpha Renamed").click()
    page.wait_for_selector("#detail-name:text-is('Alpha Renamed')")
    page.click("#detail-delete")
    page.wait_for_selector("text=and 3 nodes under it will be deleted (4 nodes in all)")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert _row(page, "Create Lead").count() == 1

    # Search keeps the ancestors of matches visible. (Typed once the dialog's closing update
    # has landed, as a person would: a keystroke racing that update can be overwritten.)
    page.wait_for_timeout(500)
    page.fill("#hierarchy-search", "create")
    expect(page.locator("#hierarchy-search")).to_have_value("create")
    expect(page.locator(".hier-row")).to_have_count(5, timeout=60_000)
    assert _names(page, "action") == ["Create Lead"]
    assert _names(page, "system") == ["Sales <b>System</b>"]


def test_signed_out_visitor_and_person_without_organization_are_sent_on(page):  # noqa: ANN001
    # The page signs the person in itself (with the tree, in one event): the same redirects as
    # every other signed-in page.
    page.goto("/hierarchy")
    page.wait_for_url(re.compile(r".*/login\?next=/hierarchy"))
    sign_up(page, unique_email("no-org"))
    page.goto("/hierarchy")
    page.wait_for_url(re.compile(r".*/organizations/new"))
    page.wait_for_selector("#org-name")


def test_import_a_json_file_export_it_identical_and_report_bad_files(signed_in_owner, tmp_path):
    page = signed_in_owner["page"]
    _open_hierarchy(page)
    template = (
        Path(__file__).resolve().parents[2] / "techledger/services/templates/finance-sap.json"
    )
    document = json.loads(template.read_text())
    document.pop("template")
    source = tmp_path / "finance.json"
    source.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    bad = tmp_path / "broken.json"
    bad.write_text(
        '{"systems": [\n  {"name": ""},\n  {"name": "A", "departments": [{"name": "x"}]},\n'
    )
    page.set_input_files("#hierarchy-import input[type=file]", str(bad))
    page.wait_for_selector("#import-errors")
    assert "Line 4" in page.locator("#import-errors").inner_text()
    page.wait_for_selector("#hierarchy-empty")  # nothing was written
    _wide_screenshot(page, "hierarchy-import-errors-1920")

    page.set_input_files("#hierarchy-import input[type=file]", str(source))
    page.wait_for_selector("#import-report")
    assert page.locator("#import-report").inner_text().startswith("Added")
    _row(page, "Post Vendor Invoice").wait_for()

    page.click("#export-button")
    with page.expect_download() as info:
        page.click("#export-json")
    exported = Path(info.value.path()).read_bytes()
    assert exported == source.read_bytes()
    assert info.value.suggested_filename.endswith("-hierarchy.json")
    _row(page, "Post Vendor Invoice").click()
    page.wait_for_selector("#detail-name:text-is('Post Vendor Invoice')")
    _wide_screenshot(page, "hierarchy-tree-1920")

    # The side panel edits the description and an Action's application; both are kept.
    assert "No workflows are linked here yet" in page.locator("#detail-workflows").inner_text()
    page.fill("#detail-description", "Enter the invoice <i>exactly</i> as printed.")
    page.fill("#detail-application", "SAP S/4HANA")
    page.click("#detail-save")
    page.wait_for_selector("text=Details saved.")
    _row(page, "Post Vendor Invoice").locator(".hier-app:text-is('SAP S/4HANA')").wait_for()
    page.reload()
    _row(page, "Post Vendor Invoice").click()
    page.wait_for_selector("#detail-name:text-is('Post Vendor Invoice')")
    assert page.input_value("#detail-description") == "Enter the invoice <i>exactly</i> as printed."
    assert page.input_value("#detail-application") == "SAP S/4HANA"


def test_template_and_read_only_viewer(signed_in_owner, browser, base_url):  # noqa: ANN001
    page = signed_in_owner["page"]
    _open_hierarchy(page)
    page.click("#template-sales-crm-salesforce")
    _row(page, "Create Lead from Web Form").wait_for()

    # A Viewer of the same organization sees the tree but cannot change it.
    viewer_email = unique_email("viewer")
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    viewer = context.new_page()
    errors: list[str] = []
    viewer.on("pageerror", lambda e: errors.append(str(e)))
    sign_up(viewer, viewer_email, name="Vera Viewer")
    add_member(signed_in_owner["email"], viewer_email, "VIEWER")
    viewer.goto("/hierarchy")
    viewer.wait_for_selector("#hierarchy-tree")
    _row(viewer, "Create Lead from Web Form").wait_for()
    assert viewer.locator("#add-system").count() == 0
    assert viewer.locator("#import-button").count() == 0
    assert viewer.locator(".hier-action").count() == 0
    assert "Read only" in viewer.locator("#tree-help").inner_text()
    _row(viewer, "Lead Management").click()
    viewer.wait_for_selector("#detail-name:text-is('Lead Management')")
    assert viewer.locator("#detail-delete").count() == 0
    assert viewer.locator("#detail-description").count() == 0
    viewer.keyboard.press("Enter")
    viewer.keyboard.press("Delete")
    time.sleep(0.5)
    assert viewer.locator(".hier-rename").count() == 0
    assert viewer.locator("#confirm-delete").count() == 0
    before = _names(viewer, "department")
    _drag(viewer, "Account Executives", "Sales Development", where="above")
    time.sleep(0.5)
    assert _names(viewer, "department") == before
    viewer.click("#export-button")
    with viewer.expect_download() as info:
        viewer.click("#export-csv")
    assert Path(info.value.path()).read_text().startswith("System,Department")
    context.close()
    assert errors == []


def _wide_screenshot(page, name: str) -> None:  # noqa: ANN001
    """The page at 1920 px wide, for looking at (artifacts/screens/)."""
    from tests.e2e.conftest import ARTIFACTS

    page.set_viewport_size({"width": 1920, "height": 1080})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})

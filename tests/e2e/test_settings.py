"""The settings page: rename, the review rule, and deleting an organization after typing its name."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, create_organization, sign_up, unique_email


def test_owner_renames_and_deletes_with_confirmation(page):  # noqa: ANN001
    sign_up(page, unique_email("settings"), name="Sam Settings")
    create_organization(page, "Before Rename")
    page.click("#nav-settings")
    page.wait_for_selector("#settings-name")
    page.set_viewport_size({"width": 1920, "height": 1080})
    expect(page.locator("#settings-save")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "settings-1920.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#settings-name", "After Rename")
    page.click("#settings-require-review")
    page.click("#settings-save")
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator("#org-switcher")).to_contain_text("After Rename")
    page.reload()
    expect(page.locator("#settings-name")).to_have_value("After Rename")
    expect(page.locator("#settings-require-review")).to_have_attribute("data-state", "checked")

    # An empty name is refused with a message that says why.
    page.fill("#settings-name", "")
    page.click("#settings-save")
    expect(page.get_by_text("Organization name is required.")).to_be_visible()

    page.click("#delete-org")
    expect(page.locator("#confirm-delete-org")).to_be_disabled()
    page.fill("#confirm-slug", "after-rename-wrong")
    expect(page.locator("#confirm-delete-org")).to_be_disabled()
    page.fill("#confirm-slug", "before-rename")
    page.click("#confirm-delete-org")
    page.wait_for_url(re.compile(r".*/organizations/new"))

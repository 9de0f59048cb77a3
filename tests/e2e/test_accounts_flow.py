"""Sign up, create an organization, invite a member, change a role, log out and in again."""

from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import expect

from tests.e2e.conftest import create_organization, log_in, sign_up, unique_email


def test_sign_up_create_org_invite_change_role_log_out_and_in(page, browser, base_url):  # noqa: ANN001
    owner = unique_email("owner")
    sign_up(page, owner, name="Olivia Owner")
    create_organization(page, "Acme <b>Sales</b> & Co")
    # HTML in a name is shown as text.
    expect(page.locator("#org-switcher")).to_contain_text("Acme <b>Sales</b> & Co")

    page.click("#nav-members")
    page.wait_for_selector("#invite-email")
    invitee = unique_email("bob")
    page.fill("#invite-email", invitee)
    page.click("#invite-submit")
    expect(page.locator("#invite-link")).to_contain_text("/invite/")
    link = page.locator("#invite-link").inner_text()
    assert "/invite/" in link

    # The invited person signs up in another browser context and accepts.
    other = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    bob = other.new_page()
    sign_up(bob, invitee, name="Bob Member")
    bob.goto(link.replace(base_url, ""))
    bob.click("#accept-invite")
    bob.wait_for_selector("#count-systems")
    expect(bob.locator("#org-switcher")).to_contain_text("Member")
    other.close()

    # The owner sees Bob and makes him an Admin.
    page.reload()
    page.wait_for_selector(f"[id='role-{invitee}']")
    page.click(f"[id='role-{invitee}']")
    page.get_by_role("option", name="ADMIN").click()
    page.wait_for_selector("text=Role changed to Admin.")
    page.reload()
    page.wait_for_selector(f"[id='role-{invitee}']")
    expect(page.locator(f"[id='role-{invitee}']")).to_have_text("ADMIN")

    # Log out, then log in again.
    page.click("#user-menu")
    page.click("#log-out")
    page.wait_for_url(re.compile(r".*/login"))
    log_in(page, owner)
    expect(page.locator("#org-switcher")).to_contain_text("Owner")


def test_wrong_password_shows_a_clear_message(page):  # noqa: ANN001
    email = unique_email("wrong")
    sign_up(page, email)
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", "not-the-password")
    page.click("#submit")
    page.wait_for_selector("#auth-error")
    expect(page.locator("#auth-error")).to_contain_text("Wrong email or password")


def test_signed_out_visitor_is_sent_to_login(page):  # noqa: ANN001
    page.goto("/members")
    page.wait_for_url(re.compile(r".*/login\?next=/members"))


def test_switch_between_organizations(page):  # noqa: ANN001
    sign_up(page, unique_email("switch"), name="Sasha Switch")
    create_organization(page, "First Org")
    page.click("#org-switcher")
    page.click("#new-organization")
    create_organization(page, "Second Org")
    expect(page.locator("#org-switcher")).to_contain_text("Second Org")
    page.click("#org-switcher")
    page.get_by_role("menuitem", name=re.compile("First Org")).click()
    expect(page.get_by_text("Switched to First Org.")).to_be_visible()
    expect(page.locator("#org-switcher")).to_contain_text("First Org")
    page.reload()
    expect(page.locator("#org-switcher")).to_contain_text("First Org")


def test_forms_wait_for_the_live_page_before_they_submit(base_url):  # noqa: ANN001
    """The page as served, before its script runs: a click on its submit button would send the
    form the browser's way (a reload with the password in the URL), so the button is disabled
    until the page is live."""
    for path in ("/login", "/signup"):
        html = urllib.request.urlopen(base_url + path, timeout=30).read().decode()
        button = re.search(r"<button[^>]*id=\"submit\"[^>]*>", html)
        assert button, f"{path} serves no submit button before its script runs"
        assert re.search(r"\sdisabled(=|\s|>)", button.group(0)), button.group(0)

"""Browser tests: the real app (reflex.testing.AppHarness) driven by Playwright in Debian's Chromium.

Run as their own pytest invocation: ``pytest tests/e2e``. ``E2E_MODE=prod`` (default) serves the
exported frontend; ``E2E_MODE=dev`` runs the dev server. A test fails if the page logs an error.
Screenshots of every test's last view land in ``artifacts/screens/``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("SCREENSHOT_DIR", REPO / "artifacts")) / "screens"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Console noise that is not the app's fault.
IGNORED_CONSOLE = re.compile(
    r"Download the React DevTools|\[vite\]|hydratefallback|Hey developer|favicon\.ico"
)
PASSWORD = "e2e-password-123"


@pytest.fixture(scope="session")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment the app under test runs with: its own database and files."""
    data = tmp_path_factory.mktemp("e2e-data")
    env = {
        "DATABASE_URL": os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{data / 'e2e.db'}",
        "STORAGE_URL": os.environ.get("E2E_STORAGE_URL") or f"file://{data / 'files'}",
        "DATA_DIR": str(data),
        "ENVIRONMENT": "test",
    }
    if os.environ.get("E2E_REDIS_URL"):
        env["REDIS_URL"] = os.environ["E2E_REDIS_URL"]
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    from techledger import db
    from techledger.settings import get_settings

    get_settings.cache_clear()
    db.get_engine.cache_clear()
    if env["DATABASE_URL"].startswith("postgresql"):
        import sqlalchemy as sa

        engine = sa.create_engine(env["DATABASE_URL"])
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    return env


@pytest.fixture(scope="session")
def rq_worker(app_env: dict[str, str]) -> Iterator[None]:
    """With Redis, jobs go to RQ: a real worker process runs them, as in production."""
    if "REDIS_URL" not in app_env:
        yield None
        return
    import subprocess
    import sys

    from redis import Redis

    Redis.from_url(app_env["REDIS_URL"]).flushdb()
    worker = subprocess.Popen(
        [sys.executable, "-m", "workers"], cwd=REPO, env={**os.environ, **app_env}
    )
    yield None
    worker.terminate()
    worker.wait(30)


@pytest.fixture(scope="session")
def harness(app_env: dict[str, str], rq_worker: None) -> Iterator:
    """One running TechLedger for the whole browser session."""
    from reflex.testing import AppHarness, AppHarnessProd

    cls = AppHarness if os.environ.get("E2E_MODE", "prod") == "dev" else AppHarnessProd
    with cls.create(root=REPO, app_name="techledger") as running:
        assert running.frontend_url is not None
        yield running


@pytest.fixture(scope="session")
def base_url(harness) -> str:  # noqa: ANN001
    return harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url: str, request: pytest.FixtureRequest) -> Iterator:  # noqa: ANN001
    """A fresh browser context at 1280x800; fails the test if the page logs an error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error"
            and not IGNORED_CONSOLE.search(m.text)
            and not m.text.startswith("Failed to load resource")  # reported with its URL below
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on(
        "response",
        lambda r: (
            errors.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 and not IGNORED_CONSOLE.search(r.url)
            else None
        ),
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    except Exception:  # noqa: BLE001  (a screenshot is a by-product)
        pass
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{time.time_ns()}@example.com"


def sign_up(page, email: str, name: str = "Test Person", password: str = PASSWORD) -> None:  # noqa: ANN001
    """Create an account through the sign-up page; lands on 'create an organization'."""
    page.goto("/signup")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/organizations/new"))


def log_in(page, email: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_selector("#org-switcher")


def create_organization(page, name: str) -> None:  # noqa: ANN001
    """From the 'create an organization' page to the new organization's home."""
    page.wait_for_selector("#org-name")
    page.fill("#org-name", name)
    page.click("#create-org")
    page.wait_for_selector("#count-systems")


def add_member(owner_email: str, email: str, role: str) -> None:
    """Add a signed-up person to the organization of ``owner_email``, in the app's database."""
    from sqlmodel import select

    from techledger.db import session_scope
    from techledger.enums import Role
    from techledger.models import Organization, OrganizationMember, User

    with session_scope() as session:
        org = session.exec(
            select(Organization)
            .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
            .join(User, User.id == OrganizationMember.user_id)
            .where(User.email == owner_email)
        ).one()
        user = session.exec(select(User).where(User.email == email)).one()
        session.add(OrganizationMember(user_id=user.id, organization_id=org.id, role=Role(role)))


@pytest.fixture
def signed_in_owner(page) -> dict:  # noqa: ANN001
    """A new person who owns a new organization, signed in on its home page."""
    email = unique_email("owner")
    sign_up(page, email, name="Olivia Owner")
    create_organization(page, f"Org {time.time_ns() % 10**8}")
    return {"email": email, "page": page}

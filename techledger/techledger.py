"""The Reflex app: pages and API routes. Everything else has its own module."""

from __future__ import annotations

import reflex as rx

from techledger import routes
from techledger.api import build_api
from techledger.components.layout import app_page
from techledger.daily_jobs import run_daily_in_process
from techledger.db import upgrade_database
from techledger.pages.auth import invite_page, login_page, signup_page
from techledger.pages.billing import billing_content
from techledger.pages.documents import document_content, documents_content, review_content
from techledger.pages.hierarchy import hierarchy_content
from techledger.pages.home import home_content
from techledger.pages.members import members_content
from techledger.pages.organizations import new_organization_page, settings_content
from techledger.pages.patterns import patterns_content
from techledger.pages.training import canvas_content
from techledger.pages.workflow import workflow_content
from techledger.pages.workflows import workflows_content
from techledger.state.auth import AuthState, InviteState
from techledger.state.billing import BillingState
from techledger.state.documents import DocumentsState, EditorState, ReviewState
from techledger.state.hierarchy import HierarchyState
from techledger.state.home import HomeState
from techledger.state.members import MembersState
from techledger.state.organizations import SettingsState
from techledger.state.patterns import PatternsState
from techledger.state.session import SessionState
from techledger.state.training import TrainingState
from techledger.state.workflow import WorkflowState
from techledger.state.workflows import WorkflowsState
from techledger.workflow_maintenance import recover_stuck_analyses_periodically

upgrade_database()  # an empty database is brought to the current schema on first start

app = rx.App(
    api_transformer=build_api(),
    stylesheets=["/styles.css"],
)
app.register_lifespan_task(recover_stuck_analyses_periodically)
app.register_lifespan_task(run_daily_in_process)


def _title(name: str) -> str:
    return f"{name} · TechLedger"


# Pages anyone may open: (view, route, title, on_load).
PUBLIC_PAGES = [
    (login_page, routes.LOGIN, "Log in", AuthState.redirect_if_signed_in),
    (signup_page, routes.SIGNUP, "Sign up", AuthState.redirect_if_signed_in),
    (invite_page, routes.INVITE, "Invitation", InviteState.load_invitation),
    (
        new_organization_page,
        routes.NEW_ORGANIZATION,
        "New organization",
        SessionState.require_login,
    ),
]
# Signed-in pages in the app frame: (content, route, title, loader, max width). A loader runs
# after SessionState.require_login; one in a list is the page's only on_load (it signs in itself).
APP_PAGES = [
    (home_content, routes.HOME, "Home", HomeState.load_home, None),
    (hierarchy_content, routes.HIERARCHY, "Hierarchy", [HierarchyState.load_hierarchy], "1600px"),
    (workflows_content, routes.WORKFLOWS, "Workflows", WorkflowsState.load_workflows, None),
    (workflow_content, routes.WORKFLOW, "Workflow", WorkflowState.load_workflow, "1400px"),
    (canvas_content, routes.CANVAS, "Training", TrainingState.load_canvas, "1800px"),
    (patterns_content, routes.PATTERNS, "Patterns", PatternsState.load_library, None),
    (documents_content, routes.DOCUMENTS, "Documents", DocumentsState.load_documents, None),
    (document_content, routes.DOCUMENT, "Document", EditorState.load_document, "1600px"),
    (review_content, routes.REVIEW, "Review", ReviewState.load_queue, None),
    (members_content, routes.MEMBERS, "Members", MembersState.load_members, None),
    (settings_content, routes.SETTINGS, "Settings", SettingsState.load_settings, None),
    (billing_content, routes.BILLING, "Billing", BillingState.load_billing, None),
]

for view, route, title, on_load in PUBLIC_PAGES:
    app.add_page(view, route=route, title=_title(title), on_load=on_load)
for content, route, title, loader, max_width in APP_PAGES:
    frame = app_page(content, max_width=max_width) if max_width else app_page(content)
    on_load = loader if isinstance(loader, list) else [SessionState.require_login, loader]
    app.add_page(frame, route=route, title=_title(title), on_load=on_load)

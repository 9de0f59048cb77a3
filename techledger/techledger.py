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

app.add_page(
    login_page,
    route=routes.LOGIN,
    title="Log in · TechLedger",
    on_load=AuthState.redirect_if_signed_in,
)
app.add_page(
    signup_page,
    route=routes.SIGNUP,
    title="Sign up · TechLedger",
    on_load=AuthState.redirect_if_signed_in,
)
app.add_page(
    invite_page,
    route=routes.INVITE,
    title="Invitation · TechLedger",
    on_load=InviteState.load_invitation,
)
app.add_page(
    new_organization_page,
    route=routes.NEW_ORGANIZATION,
    title="New organization · TechLedger",
    on_load=SessionState.require_login,
)
app.add_page(
    app_page(home_content),
    route=routes.HOME,
    title="Home · TechLedger",
    on_load=[SessionState.require_login, HomeState.load_home],
)
app.add_page(
    app_page(members_content),
    route=routes.MEMBERS,
    title="Members · TechLedger",
    on_load=[SessionState.require_login, MembersState.load_members],
)
app.add_page(
    app_page(settings_content),
    route=routes.SETTINGS,
    title="Settings · TechLedger",
    on_load=[SessionState.require_login, SettingsState.load_settings],
)
app.add_page(
    app_page(documents_content),
    route=routes.DOCUMENTS,
    title="Documents · TechLedger",
    on_load=[SessionState.require_login, DocumentsState.load_documents],
)
app.add_page(
    app_page(document_content, max_width="1600px"),
    route=routes.DOCUMENT,
    title="Document · TechLedger",
    on_load=[SessionState.require_login, EditorState.load_document],
)
app.add_page(
    app_page(review_content),
    route=routes.REVIEW,
    title="Review · TechLedger",
    on_load=[SessionState.require_login, ReviewState.load_queue],
)
app.add_page(
    app_page(canvas_content, max_width="1800px"),
    route=routes.CANVAS,
    title="Training · TechLedger",
    on_load=[SessionState.require_login, TrainingState.load_canvas],
)
app.add_page(
    app_page(patterns_content),
    route=routes.PATTERNS,
    title="Patterns · TechLedger",
    on_load=[SessionState.require_login, PatternsState.load_library],
)
app.add_page(
    app_page(workflows_content),
    route=routes.WORKFLOWS,
    title="Workflows · TechLedger",
    on_load=[SessionState.require_login, WorkflowsState.load_workflows],
)
app.add_page(
    app_page(workflow_content, max_width="1400px"),
    route=routes.WORKFLOW,
    title="Workflow · TechLedger",
    on_load=[SessionState.require_login, WorkflowState.load_workflow],
)
app.add_page(
    app_page(billing_content),
    route=routes.BILLING,
    title="Billing · TechLedger",
    on_load=[SessionState.require_login, BillingState.load_billing],
)
app.add_page(
    app_page(hierarchy_content, max_width="1600px"),
    route=routes.HIERARCHY,
    title="Hierarchy · TechLedger",
    on_load=[SessionState.require_login, HierarchyState.load_hierarchy],
)

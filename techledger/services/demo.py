"""A demo organization with a realistic hierarchy, so a new user sees something at once."""

from __future__ import annotations

from sqlmodel import Session, select

from techledger.enums import Role
from techledger.models import Organization, System, User
from techledger.services import accounts, hierarchy_io, organizations
from techledger.services.actor import Actor

DEMO_SLUG = "demo-company"
# The demo's hierarchy is built from the starter templates a new organization can apply.
DEMO_TEMPLATES = ("sales-crm-salesforce", "finance-sap")


def create_demo(*, session: Session, email: str, password: str) -> dict:
    """The demo user, organization and hierarchy; reuses them when they exist."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        user = accounts.sign_up(session=session, email=email, password=password, name="Demo User")
    org = session.exec(select(Organization).where(Organization.slug == DEMO_SLUG)).first()
    if org is None:
        org = organizations.create_organization(
            session=session, user_id=user.id, name="Demo Company", slug=DEMO_SLUG
        )
    has_tree = session.exec(select(System.id).where(System.organization_id == org.id)).first()
    nodes = 0
    if not has_tree:
        actor = Actor(user_id=user.id, organization_id=org.id, role=Role.OWNER)
        for slug in DEMO_TEMPLATES:
            nodes += hierarchy_io.apply_template(session=session, actor=actor, slug=slug)["added"]
    return {"organization_id": org.id, "slug": org.slug, "user_id": user.id, "nodes_created": nodes}

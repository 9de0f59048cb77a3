"""A demo organization with a realistic hierarchy, so a new user sees something at once."""

from __future__ import annotations

from sqlmodel import Session, select

from techledger.models import (
    Action,
    ActionGroup,
    Department,
    Organization,
    PracticeGroup,
    System,
    Transformation,
    User,
)
from techledger.services import accounts, organizations

DEMO_SLUG = "demo-company"

# System > Department > Practice group > Action group > (Action, application, [Transformations])
SAMPLE_HIERARCHY: list[tuple[str, list[tuple[str, list[tuple[str, list[tuple[str, list]]]]]]]] = [
    (
        "Sales & Marketing System",
        [
            (
                "Customer Relations",
                [
                    (
                        "Lead Management",
                        [
                            (
                                "Lead Creation",
                                [
                                    (
                                        "Create Lead from Web Form",
                                        "Salesforce",
                                        ["Validate email format", "Assign lead owner"],
                                    ),
                                    (
                                        "Import Leads from Trade Show",
                                        "Salesforce",
                                        ["Deduplicate by email"],
                                    ),
                                ],
                            ),
                            (
                                "Lead Qualification",
                                [("Convert Lead to Opportunity", "Salesforce", [])],
                            ),
                        ],
                    ),
                    (
                        "Campaigns",
                        [
                            (
                                "Email Campaigns",
                                [("Send Monthly Newsletter", "HubSpot", ["Segment contacts"])],
                            )
                        ],
                    ),
                ],
            )
        ],
    ),
    (
        "Finance System",
        [
            (
                "Accounts Payable",
                [
                    (
                        "Invoice Processing",
                        [("Invoice Entry", [("Post Vendor Invoice", "SAP", ["Three-way match"])])],
                    )
                ],
            )
        ],
    ),
]


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
        nodes = _seed_hierarchy(session, org.id)
    return {"organization_id": org.id, "slug": org.slug, "user_id": user.id, "nodes_created": nodes}


def _seed_hierarchy(session: Session, organization_id: str) -> int:
    count = 0
    for s_i, (s_name, departments) in enumerate(SAMPLE_HIERARCHY):
        system = System(organization_id=organization_id, name=s_name, order=s_i)
        session.add(system)
        session.flush()
        count += 1
        for d_i, (d_name, groups) in enumerate(departments):
            dept = Department(system_id=system.id, name=d_name, order=d_i)
            session.add(dept)
            session.flush()
            count += 1
            for p_i, (p_name, action_groups) in enumerate(groups):
                practice = PracticeGroup(department_id=dept.id, name=p_name, order=p_i)
                session.add(practice)
                session.flush()
                count += 1
                for a_i, (a_name, actions) in enumerate(action_groups):
                    group = ActionGroup(practice_group_id=practice.id, name=a_name, order=a_i)
                    session.add(group)
                    session.flush()
                    count += 1
                    for x_i, (x_name, app_name, transformations) in enumerate(actions):
                        action = Action(
                            action_group_id=group.id,
                            name=x_name,
                            application_name=app_name,
                            order=x_i,
                        )
                        session.add(action)
                        session.flush()
                        count += 1
                        for t_i, t_name in enumerate(transformations):
                            session.add(Transformation(action_id=action.id, name=t_name, order=t_i))
                            count += 1
    session.flush()
    return count

"""Who may do what: the one table of rights per role (DESIGN.md, "Tenancy and roles")."""

from __future__ import annotations

from enum import Enum

from techledger.enums import Role


class Permission(str, Enum):
    READ = "read"  # published documents and the hierarchy
    EDIT_WORKFLOWS = "edit_workflows"  # workflows, uploads
    TRAIN = "train"  # answer questions, edit patterns
    WRITE_DRAFTS = "write_drafts"  # generate and edit drafts, submit for review
    READ_DRAFTS = "read_drafts"
    MANAGE_HIERARCHY = "manage_hierarchy"
    MANAGE_MEMBERS = "manage_members"
    PUBLISH = "publish"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_BILLING = "manage_billing"
    DELETE_ORGANIZATION = "delete_organization"


_VIEWER = {Permission.READ}
_MEMBER = _VIEWER | {
    Permission.EDIT_WORKFLOWS,
    Permission.TRAIN,
    Permission.WRITE_DRAFTS,
    Permission.READ_DRAFTS,
}
_ADMIN = _MEMBER | {
    Permission.MANAGE_HIERARCHY,
    Permission.MANAGE_MEMBERS,
    Permission.PUBLISH,
    Permission.MANAGE_SETTINGS,
}
_OWNER = _ADMIN | {Permission.MANAGE_BILLING, Permission.DELETE_ORGANIZATION}

RIGHTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEWER),
    Role.MEMBER: frozenset(_MEMBER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.OWNER: frozenset(_OWNER),
}

DESCRIPTIONS: dict[Role, str] = {
    Role.OWNER: "Everything, including billing and deleting the organization.",
    Role.ADMIN: "Shapes the hierarchy, manages members and publishes documents.",
    Role.MEMBER: "Creates workflows, trains on the canvas and writes drafts.",
    Role.VIEWER: "Reads published documents and the hierarchy.",
}

_REFUSALS: dict[Permission, str] = {
    Permission.READ: "read this organization",
    Permission.EDIT_WORKFLOWS: "create or change workflows",
    Permission.TRAIN: "train on the canvas",
    Permission.WRITE_DRAFTS: "write or submit documents",
    Permission.READ_DRAFTS: "see unpublished documents",
    Permission.MANAGE_HIERARCHY: "change the hierarchy",
    Permission.MANAGE_MEMBERS: "manage members",
    Permission.PUBLISH: "publish or approve documents",
    Permission.MANAGE_SETTINGS: "change the organization's settings",
    Permission.MANAGE_BILLING: "manage billing",
    Permission.DELETE_ORGANIZATION: "delete the organization",
}


def can(role: Role, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return permission in RIGHTS[Role(role)]


def refusal(role: Role, permission: Permission) -> str:
    """The message shown when ``role`` lacks ``permission``: what, and who can."""
    allowed = [
        f"{r.value.title()}s" for r in (Role.MEMBER, Role.ADMIN, Role.OWNER) if can(r, permission)
    ]
    who = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " and " + allowed[-1]
    return f"Your role ({Role(role).value.title()}) cannot {_REFUSALS[permission]}; {who} can."

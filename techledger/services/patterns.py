"""The organization's pattern library: what it has learned about each application's elements.

Patterns are keyed by (organization, application, element type, normalized text): teaching
an element again updates its pattern instead of adding a twin. Deactivating is a soft delete
(the spec's ``isActive``): an inactive pattern is kept, shown, and never matched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, update
from sqlmodel import Session, select

from techledger.enums import ElementType, Role
from techledger.models import (
    DetectedElement,
    OrganizationMember,
    Pattern,
    Screenshot,
    User,
    Workflow,
)
from techledger.models.base import utcnow
from techledger.services import audit, changes, plan_limits
from techledger.services.actor import Actor
from techledger.services.errors import InvalidInput, not_found
from techledger.services.matching import normalize_text
from techledger.services.permissions import Permission
from techledger.services.validation import clean_text, optional_text

PURPOSE_MAX, ACTION_MAX, CONTEXT_MAX, TEXT_MAX, APP_MAX = 500, 1000, 2000, 2000, 100
EXPORT_FORMAT = "techledger.patterns/1"


def _touch_library(session: Session, organization_id: str, application: str) -> None:
    changes.touch(session, changes.library_key(organization_id, application))


def _element_type(value: Any, *, where: str = "") -> ElementType:
    try:
        return ElementType(str(value).upper())
    except ValueError:
        allowed = ", ".join(t.value for t in ElementType)
        raise InvalidInput(
            f"{where}Unknown element type '{value}'; use one of {allowed}.", field="element_type"
        ) from None


def find_pattern(
    session: Session,
    *,
    organization_id: str,
    application: str,
    element_type: ElementType,
    text: str | None,
    visual_hash: str | None = None,
) -> Pattern | None:
    """The organization's pattern for this application, type and text (active first);
    an element without text is known by its look (visual hash) instead."""
    key = normalize_text(text)
    if not key and not visual_hash:
        return None  # nothing tells two wordless elements apart: each gets its own pattern
    query = select(Pattern).where(
        Pattern.organization_id == organization_id,
        changes.application_column(Pattern.application_name)
        == changes.application_key(application),
        Pattern.element_type == ElementType(element_type),
    )
    word = _longest_word(key)
    if not key:
        query = query.where(Pattern.visual_hash == visual_hash)
    elif word:  # narrow in SQL on one word; the full normalization is compared in Python
        query = query.where(func.lower(func.coalesce(Pattern.text, "")).like(f"%{word}%"))
    rows = session.exec(query).all()
    same = [p for p in rows if normalize_text(p.text) == key]
    same.sort(key=lambda p: (not p.is_active, -p.usage_count, p.created_at))
    return same[0] if same else None


def _longest_word(key: str) -> str:
    words = [w for w in key.split() if w != "0" and w.isalnum()]
    return max(words, key=len) if words else ""


def learn_pattern(
    session: Session,
    *,
    organization_id: str,
    user_id: str,
    application: str,
    element_type: ElementType,
    text: str | None,
    purpose: str,
    action: str,
    business_context: str | None = None,
    confidence: float = 1.0,
    bounding_box: dict | None = None,
    visual_hash: str | None = None,
    answer_id: str | None = None,
) -> tuple[Pattern, bool]:
    """Create the pattern for (application, type, text) or update it; returns (pattern,
    created). A taught pattern that was deactivated becomes active again."""
    pattern = find_pattern(
        session,
        organization_id=organization_id,
        application=application,
        element_type=element_type,
        text=text,
        visual_hash=visual_hash,
    )
    created = pattern is None
    if pattern is None:
        pattern = Pattern(
            organization_id=organization_id,
            user_id=user_id,
            application_name=application.strip(),
            element_type=ElementType(element_type),
            text=(text or "").strip() or None,
            bounding_box=bounding_box or {},
            purpose=purpose,
            action=action,
        )
    pattern.purpose = purpose
    pattern.action = action
    pattern.business_context = business_context
    pattern.confidence = confidence
    pattern.is_active = True
    if bounding_box:
        pattern.bounding_box = bounding_box
    if visual_hash:
        pattern.visual_hash = visual_hash[:64]
    if answer_id:
        pattern.answer_id = answer_id
    pattern.updated_at = utcnow()
    session.add(pattern)
    session.flush()
    _touch_library(session, organization_id, application)
    return pattern, created


# ---------------------------------------------------------------- reading


def _pattern(session: Session, actor: Actor, pattern_id: str) -> Pattern:
    pattern = session.get(Pattern, pattern_id) if pattern_id else None
    if pattern is None or pattern.organization_id != actor.organization_id:
        raise not_found("Pattern")
    return pattern


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def describe(pattern: Pattern, author: str = "") -> dict:
    """A pattern as plain data for pages and exports."""
    return {
        "id": pattern.id,
        "application": pattern.application_name,
        "element_type": ElementType(pattern.element_type).value,
        "text": pattern.text or "",
        "purpose": pattern.purpose,
        "action": pattern.action,
        "business_context": pattern.business_context or "",
        "confidence": round(float(pattern.confidence), 2),
        "usage_count": int(pattern.usage_count),
        "is_active": bool(pattern.is_active),
        "last_used_at": _iso(pattern.last_used_at),
        "last_used": pattern.last_used_at.date().isoformat() if pattern.last_used_at else "never",
        "created": pattern.created_at.date().isoformat(),
        "author": author,
    }


def list_applications(*, session: Session, actor: Actor) -> list[dict]:
    """The applications the organization has patterns for, with counts."""
    actor.require(Permission.TRAIN)
    rows = session.exec(
        select(
            Pattern.application_name,
            func.count(),
            func.sum(sa.case((Pattern.is_active.is_(True), 1), else_=0)),
        )
        .where(Pattern.organization_id == actor.organization_id)
        .group_by(Pattern.application_name)
        .order_by(Pattern.application_name)
    ).all()
    merged: dict[str, dict] = {}
    for name, total, active in rows:
        key = changes.application_key(name)
        entry = merged.setdefault(key, {"application": name, "total": 0, "active": 0})
        entry["total"] += int(total)
        entry["active"] += int(active or 0)
    return list(merged.values())


def list_patterns(
    *,
    session: Session,
    actor: Actor,
    application: str = "",
    search: str = "",
    show_inactive: bool = True,
    limit: int = 500,
) -> list[dict]:
    """Patterns of the organization, most used first, optionally for one application."""
    actor.require(Permission.TRAIN)
    query = (
        select(Pattern, User)
        .join(User, User.id == Pattern.user_id)
        .where(Pattern.organization_id == actor.organization_id)
    )
    if application:
        query = query.where(
            changes.application_column(Pattern.application_name)
            == changes.application_key(application)
        )
    if not show_inactive:
        query = query.where(Pattern.is_active.is_(True))
    needle = (search or "").strip().lower()
    if needle:
        like = f"%{needle}%"
        query = query.where(
            func.lower(func.coalesce(Pattern.text, "")).like(like)
            | func.lower(Pattern.purpose).like(like)
            | func.lower(Pattern.action).like(like)
        )
    query = query.order_by(
        Pattern.is_active.desc(), Pattern.usage_count.desc(), Pattern.created_at
    ).limit(limit)
    return [describe(p, u.name or u.email) for p, u in session.exec(query).all()]


def pattern_usages(*, session: Session, actor: Actor, pattern_id: str) -> list[dict]:
    """The screenshots where a pattern was used, newest first."""
    actor.require(Permission.TRAIN)
    _pattern(session, actor, pattern_id)
    rows = session.exec(
        select(Screenshot, Workflow, func.count(DetectedElement.id))
        .join(Screenshot, Screenshot.id == DetectedElement.screenshot_id)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(
            DetectedElement.pattern_id == pattern_id,
            Workflow.organization_id == actor.organization_id,
        )
        .group_by(Screenshot.id, Workflow.id)
        .order_by(Screenshot.created_at.desc())
        .limit(200)
    ).all()
    return [
        {
            "screenshot_id": s.id,
            "workflow_id": w.id,
            "workflow": w.name,
            "screen": f"Screen {s.position + 1}",
            "file": s.original_filename or "",
            "elements": int(n),
            "date": s.created_at.date().isoformat(),
        }
        for s, w, n in rows
    ]


# ---------------------------------------------------------------- changing


def update_pattern(
    *,
    session: Session,
    actor: Actor,
    pattern_id: str,
    purpose: str,
    action: str,
    business_context: str | None = None,
) -> dict:
    """Edit what a pattern says: purpose (1..500), action (1..1000), business context."""
    actor.require(Permission.TRAIN)
    plan_limits.require_active(session, actor.organization_id)
    pattern = _pattern(session, actor, pattern_id)
    pattern.purpose = clean_text(
        purpose, field="purpose", label="Purpose", min_len=1, max_len=PURPOSE_MAX
    )
    pattern.action = clean_text(
        action, field="action", label="Action", min_len=1, max_len=ACTION_MAX
    )
    pattern.business_context = optional_text(
        business_context, field="business_context", label="Business context", max_len=CONTEXT_MAX
    )
    pattern.updated_at = utcnow()
    session.add(pattern)
    session.flush()
    audit.record(
        session=session,
        action="pattern.updated",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="pattern",
        target_id=pattern.id,
    )
    return describe(pattern)


def set_pattern_active(*, session: Session, actor: Actor, pattern_id: str, active: bool) -> dict:
    """Deactivate (soft delete: kept, never matched) or reactivate a pattern."""
    actor.require(Permission.TRAIN)
    plan_limits.require_active(session, actor.organization_id)
    pattern = _pattern(session, actor, pattern_id)
    if bool(pattern.is_active) != bool(active):
        pattern.is_active = bool(active)
        pattern.updated_at = utcnow()
        session.add(pattern)
        session.flush()
        _touch_library(session, pattern.organization_id, pattern.application_name)
        audit.record(
            session=session,
            action="pattern.reactivated" if active else "pattern.deactivated",
            organization_id=actor.organization_id,
            actor_id=actor.user_id,
            target_type="pattern",
            target_id=pattern.id,
        )
    return describe(pattern)


def merge_patterns(
    *, session: Session, actor: Actor, survivor_id: str, duplicate_ids: list[str]
) -> dict:
    """Fold duplicates into one pattern: their elements point to the survivor, their usage
    adds up, and they are deactivated. All must share application and element type."""
    actor.require(Permission.TRAIN)
    plan_limits.require_active(session, actor.organization_id)
    survivor = _pattern(session, actor, survivor_id)
    duplicate_ids = [d for d in dict.fromkeys(duplicate_ids) if d and d != survivor_id]
    if not duplicate_ids:
        raise InvalidInput("Choose at least one other pattern to merge into this one.")
    duplicates = [_pattern(session, actor, d) for d in duplicate_ids]
    for dup in duplicates:
        if changes.application_key(dup.application_name) != changes.application_key(
            survivor.application_name
        ) or ElementType(dup.element_type) != ElementType(survivor.element_type):
            raise InvalidInput(
                f"Only patterns of the same application and element type can be merged: "
                f"'{dup.text or dup.purpose}' is a {ElementType(dup.element_type).value} of "
                f"{dup.application_name}, the survivor a "
                f"{ElementType(survivor.element_type).value} of {survivor.application_name}."
            )
    moved = 0
    for dup in duplicates:
        result = session.execute(
            update(DetectedElement)
            .where(DetectedElement.pattern_id == dup.id)
            .values(pattern_id=survivor.id)
            .execution_options(synchronize_session=False)
        )
        moved += result.rowcount or 0
        survivor.usage_count = int(survivor.usage_count) + int(dup.usage_count)
        if dup.last_used_at and (
            survivor.last_used_at is None or dup.last_used_at > survivor.last_used_at
        ):
            survivor.last_used_at = dup.last_used_at
        dup.usage_count = 0
        dup.is_active = False
        dup.updated_at = utcnow()
        session.add(dup)
    survivor.is_active = True
    survivor.updated_at = utcnow()
    session.add(survivor)
    session.flush()
    _touch_library(session, survivor.organization_id, survivor.application_name)
    audit.record(
        session=session,
        action="pattern.merged",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="pattern",
        target_id=survivor.id,
        details={"merged": duplicate_ids, "elements_moved": moved},
    )
    return {"survivor": describe(survivor), "merged": len(duplicates), "elements_moved": moved}


def lower_confidence(session: Session, pattern: Pattern, by: float = 0.2) -> None:
    """A person said a match was wrong: trust the pattern less."""
    pattern.confidence = round(max(0.0, float(pattern.confidence) - by), 4)
    pattern.usage_count = max(0, int(pattern.usage_count) - 1)
    pattern.updated_at = utcnow()
    session.add(pattern)
    session.flush()
    _touch_library(session, pattern.organization_id, pattern.application_name)


# ---------------------------------------------------------------- export and import


def export_patterns(*, session: Session, actor: Actor) -> dict:
    """Every pattern of the organization as a JSON-ready document."""
    actor.require(Permission.TRAIN)
    rows = session.exec(
        select(Pattern)
        .where(Pattern.organization_id == actor.organization_id)
        .order_by(Pattern.application_name, Pattern.element_type, Pattern.text)
    ).all()
    return {
        "format": EXPORT_FORMAT,
        "patterns": [
            {
                "application": p.application_name,
                "element_type": ElementType(p.element_type).value,
                "text": p.text,
                "purpose": p.purpose,
                "action": p.action,
                "business_context": p.business_context,
                "confidence": float(p.confidence),
                "is_active": bool(p.is_active),
                "bounding_box": p.bounding_box or {},
                "visual_hash": p.visual_hash,
            }
            for p in rows
        ],
    }


def _check_item(number: int, item: Any) -> tuple[dict | None, list[str]]:
    where = f"pattern {number}: "
    if not isinstance(item, dict):
        return None, [f"{where}must be an object with application, element_type, purpose, action"]
    errors: list[str] = []
    clean: dict[str, Any] = {}

    def text(name: str, label: str, low: int, high: int, required: bool) -> None:
        value = item.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors.append(f"{where}{label} is required")
            clean[name] = None
            return
        if not isinstance(value, str):
            errors.append(f"{where}{label} must be text")
            return
        value = value.strip()
        if not low <= len(value) <= high:
            errors.append(f"{where}{label} must be {low} to {high} characters (has {len(value)})")
            return
        clean[name] = value

    text("application", "application", 1, APP_MAX, True)
    text("purpose", "purpose", 1, PURPOSE_MAX, True)
    text("action", "action", 1, ACTION_MAX, True)
    text("text", "text", 1, TEXT_MAX, False)
    text("business_context", "business context", 1, CONTEXT_MAX, False)
    try:
        clean["element_type"] = _element_type(item.get("element_type"), where="")
    except InvalidInput as error:
        errors.append(where + error.message[0].lower() + error.message[1:])
    confidence = item.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        errors.append(f"{where}confidence must be a number between 0 and 1")
    elif not 0.0 <= float(confidence) <= 1.0:
        errors.append(f"{where}confidence must be between 0 and 1 (got {confidence})")
    else:
        clean["confidence"] = float(confidence)
    active = item.get("is_active", True)
    if not isinstance(active, bool):
        errors.append(f"{where}is_active must be true or false")
    clean["is_active"] = bool(active)
    box = item.get("bounding_box", {}) or {}
    if not isinstance(box, dict):
        errors.append(f"{where}bounding_box must be an object")
    clean["bounding_box"] = box if isinstance(box, dict) else {}
    visual = item.get("visual_hash")
    if visual is not None and (not isinstance(visual, str) or len(visual) > 64):
        errors.append(f"{where}visual_hash must be text of at most 64 characters")
    clean["visual_hash"] = visual if isinstance(visual, str) else None
    return (None if errors else clean), errors


def import_patterns(*, session: Session, actor: Actor, document: Any) -> dict:
    """Add or update patterns from an export; a file with any bad pattern is refused whole,
    with every error listed."""
    actor.require(Permission.TRAIN)
    plan_limits.require_active(session, actor.organization_id)
    items = document.get("patterns") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InvalidInput(
            'The file must be a JSON object with a "patterns" list (as written by '
            "'techledger patterns export'), or a list of patterns."
        )
    cleaned: list[dict] = []
    errors: list[str] = []
    for number, item in enumerate(items, start=1):
        clean, problems = _check_item(number, item)
        errors.extend(problems)
        if clean is not None:
            cleaned.append(clean)
    if errors:
        raise InvalidInput(
            f"Nothing was imported: {len(errors)} problem(s) in the file.\n- " + "\n- ".join(errors)
        )
    created = updated = 0
    touched: set[str] = set()
    for item in cleaned:
        pattern, was_created = learn_pattern(
            session,
            organization_id=actor.organization_id,
            user_id=actor.user_id,
            application=item["application"],
            element_type=item["element_type"],
            text=item["text"],
            purpose=item["purpose"],
            action=item["action"],
            business_context=item["business_context"],
            confidence=item.get("confidence", 1.0),
            bounding_box=item["bounding_box"],
            visual_hash=item["visual_hash"],
        )
        if not item["is_active"]:
            pattern.is_active = False
            session.add(pattern)
        touched.add(item["application"])
        created += was_created
        updated += not was_created
    session.flush()
    audit.record(
        session=session,
        action="pattern.imported",
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        details={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated, "applications": sorted(touched)}


def author_names(session: Session, user_ids: set[str]) -> dict[str, str]:
    """Display names of people, by id."""
    if not user_ids:
        return {}
    rows = session.exec(select(User).where(User.id.in_(user_ids))).all()
    return {u.id: (u.name or u.email) for u in rows}


def owner_of(session: Session, organization_id: str) -> str | None:
    """The first Owner's user id (the author of imported patterns from the CLI)."""
    return session.exec(
        select(OrganizationMember.user_id)
        .where(
            OrganizationMember.organization_id == organization_id,
            OrganizationMember.role == Role.OWNER,
        )
        .order_by(OrganizationMember.created_at)
    ).first()

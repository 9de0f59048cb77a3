"""Documents: reading, drafts with optimistic locking, versions, diffs, review and publishing.

The working copy is ``Document.content``; every marked save and every status change freezes it
as a ``DocumentVersion``. ``published_version`` is what readers see: while a new draft of a
published guide is written and reviewed, readers keep the approved version.

Status moves DRAFT -> REVIEW (a member submits, with a note) -> PUBLISHED (an admin approves) or
back to DRAFT (with the reviewer's comments); PUBLISHED -> ARCHIVED. Editing a PUBLISHED document
starts a new DRAFT version. Documents are never deleted.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from techledger.enums import DocumentStatus, Role
from techledger.models import (
    Action,
    ActionGroup,
    Department,
    Document,
    DocumentVersion,
    Organization,
    PracticeGroup,
    PublishedDocument,
    System,
    User,
)
from techledger.models.base import utcnow
from techledger.models.documents import CONTENT_MAX, TITLE_MAX
from techledger.services import audit
from techledger.services.actor import Actor
from techledger.services.errors import Conflict, InvalidInput, PermissionDenied, not_found
from techledger.services.permissions import Permission

NOTE_MAX = 2000
TAG_MAX = 30
TAGS_MAX = 10
_TAG = re.compile(r"^[a-z0-9][a-z0-9 &+.\-]*$")


class EditConflict(Conflict):
    """Someone else saved the draft since this copy was loaded; ``theirs`` is what they saved."""

    def __init__(self, message: str, *, theirs: dict) -> None:
        super().__init__(message)
        self.theirs = theirs


# ---------------------------------------------------------------------- validation
def clean_title(value: str | None) -> str:
    """A document title: 1..200 characters."""
    title = " ".join((value or "").split())
    if not title:
        raise InvalidInput("The title is required.", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            f"The title is {len(title):,} characters long; at most {TITLE_MAX} are allowed.",
            field="title",
        )
    return title


def clean_content(value: str | None) -> str:
    """Markdown content: 1..100,000 characters (kept exactly as written)."""
    content = (value or "").replace("\r\n", "\n")
    if not content.strip():
        raise InvalidInput("The document is empty; write at least one line.", field="content")
    if len(content) > CONTENT_MAX:
        raise InvalidInput(
            f"The document is {len(content):,} characters long; at most {CONTENT_MAX:,} are "
            "allowed. Split it into several documents.",
            field="content",
        )
    return content


def clean_tags(values: list[str] | str | None) -> list[str]:
    """Up to 10 tags of 1..30 lowercase characters, without repeats."""
    if isinstance(values, str):
        values = values.split(",")
    tags: list[str] = []
    for raw in values or []:
        tag = " ".join(str(raw).lower().split())
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX or not _TAG.match(tag):
            raise InvalidInput(
                f"The tag '{tag[:40]}' is not allowed: use up to {TAG_MAX} letters, digits, "
                "spaces or - . & +.",
                field="tags",
            )
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise InvalidInput(f"At most {TAGS_MAX} tags are allowed.", field="tags")
    return tags


def _note(value: str | None, *, label: str, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"{label} is required.", field="note")
        return None
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            f"{label} is {len(text):,} characters long; at most {NOTE_MAX:,} are allowed.",
            field="note",
        )
    return text


# ---------------------------------------------------------------------- building blocks
def _document(session: Session, actor: Actor, document_id: str) -> Document:
    document = session.get(Document, document_id) if document_id else None
    if document is None or document.organization_id != actor.organization_id:
        raise not_found("Document")
    if not actor.can(Permission.READ_DRAFTS) and not _readable(document):
        raise not_found("Document")
    return document


def _readable(document: Document) -> bool:
    """Whether readers (viewers) may see the document: it has an approved, live version."""
    return (
        document.published_version is not None
        and DocumentStatus(document.status) != DocumentStatus.ARCHIVED
    )


def _version_row(session: Session, document_id: str, version: int) -> DocumentVersion | None:
    return session.exec(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document_id, DocumentVersion.version == version
        )
    ).first()


def latest_version_content(session: Session, document: Document) -> str | None:
    """The content frozen in the document's latest version."""
    row = _version_row(session, document.id, document.version)
    return row.content if row else None


def snapshot(
    session: Session, document: Document, actor: Actor, changelog: str | None, *, bump: bool = True
) -> DocumentVersion:
    """Freeze the working copy as the next version (or as the current number when ``bump`` is
    False, for a document's first version)."""
    if bump:
        document.version += 1
    row = DocumentVersion(
        document_id=document.id,
        version=document.version,
        content=document.content,
        changelog=(changelog or "")[:NOTE_MAX] or None,
        created_by=actor.user_id,
        title=document.title,
        status=DocumentStatus(document.status).value,
    )
    session.add(document)
    session.add(row)
    session.flush()
    return row


def claim(session: Session, actor: Actor, document_id: str, base_revision: int | None) -> Document:
    """Take the document for one change: ``revision`` moves on only if it is still
    ``base_revision`` (the one the person loaded), so two saves never silently overwrite each
    other. Without a base revision, the current one is taken (status changes)."""
    document = _document(session, actor, document_id)
    expected = document.revision if base_revision is None else int(base_revision)
    try:
        result = session.execute(
            update(Document)
            .where(Document.id == document.id, Document.revision == expected)
            .values(revision=Document.revision + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    except OperationalError as exc:  # SQLite: another writer committed first
        raise Conflict("Someone else saved this document at the same moment; try again.") from exc
    session.refresh(document)
    if result.rowcount != 1:
        raise EditConflict(
            "Someone else saved this document since you opened it. Their text is shown beside "
            "yours: merge the two, then save again.",
            theirs=_copy(document),
        )
    return document


def _copy(document: Document) -> dict:
    return {
        "title": document.title,
        "content": document.content,
        "tags": _tags(document),
        "revision": document.revision,
        "updated_at": _iso(document.updated_at),
    }


def working_copy(*, session: Session, actor: Actor, document_id: str) -> dict:
    """What is saved of the working copy now (title, content, tags, revision), to merge with
    after an ``EditConflict``. Read in a fresh transaction, it is never older than the save
    that caused the conflict (a conflict's own ``theirs`` can be, on SQLite)."""
    actor.require(Permission.WRITE_DRAFTS)
    return _copy(_document(session, actor, document_id))


def _tags(document: Document) -> list[str]:
    return list((document.meta or {}).get("tags") or [])


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _names(session: Session, user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.name, User.email).where(User.id.in_(user_ids))).all()
    return {uid: (name or email) for uid, name, email in rows}


def _summary(document: Document, names: dict[str, str] | None = None) -> dict:
    return {
        "id": document.id,
        "title": document.title,
        "status": DocumentStatus(document.status).value,
        "application_name": document.application_name,
        "action_id": document.action_id or "",
        "workflow_id": document.workflow_id or "",
        "version": document.version,
        "published_version": document.published_version or 0,
        "tags": _tags(document),
        "author": (names or {}).get(document.user_id, ""),
        "updated_at": _iso(document.updated_at),
        "updated": document.updated_at.strftime("%Y-%m-%d %H:%M") if document.updated_at else "",
    }


def _audit(session: Session, actor: Actor, action: str, document: Document, **details) -> None:  # noqa: ANN003
    audit.record(
        session=session,
        action=action,
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        target_type="document",
        target_id=document.id,
        details={"version": document.version, **details},
    )


# ---------------------------------------------------------------------- reading
def get_document(*, session: Session, actor: Actor, document_id: str) -> dict:
    """A document as the actor may see it: writers get the working copy, readers the published
    version."""
    actor.require(Permission.READ)
    document = _document(session, actor, document_id)
    names = _names(session, {document.user_id})
    data = _summary(document, names)
    data["meta"] = dict(document.meta or {})
    data["revision"] = document.revision
    data["published_at"] = _iso(document.published_at)
    data["can_edit"] = actor.can(Permission.WRITE_DRAFTS) and DocumentStatus(document.status) in (
        DocumentStatus.DRAFT,
        DocumentStatus.PUBLISHED,
    )
    if actor.can(Permission.READ_DRAFTS):
        data["content"] = document.content
        data["reading_version"] = document.version
    else:
        published = _version_row(session, document.id, document.published_version or 0)
        if published is None:
            raise not_found("Document")
        data["content"] = published.content
        data["title"] = published.title or document.title
        data["status"] = DocumentStatus.PUBLISHED.value
        data["reading_version"] = published.version
    review = _last_review_event(session, document)
    data["review"] = review
    return data


def _last_review_event(session: Session, document: Document) -> dict:
    """The latest submission or reviewer's answer, for the banner on the document."""
    row = session.exec(
        select(DocumentVersion)
        .where(
            DocumentVersion.document_id == document.id,
            DocumentVersion.status.in_(["REVIEW", "DRAFT", "PUBLISHED"]),
            DocumentVersion.changelog.is_not(None),
        )
        .order_by(DocumentVersion.version.desc())
    ).first()
    if row is None:
        return {}
    names = _names(session, {row.created_by})
    return {
        "version": row.version,
        "status": row.status or "",
        "note": row.changelog or "",
        "by": names.get(row.created_by, ""),
        "at": _iso(row.created_at),
    }


def list_documents(
    *,
    session: Session,
    actor: Actor,
    status: str | None = None,
    application: str | None = None,
    action_id: str | None = None,
    limit: int = 500,
) -> list[dict]:
    """The organization's documents the actor may see, newest first, optionally filtered."""
    actor.require(Permission.READ)
    query = select(Document).where(Document.organization_id == actor.organization_id)
    if not actor.can(Permission.READ_DRAFTS):
        query = query.where(
            Document.published_version.is_not(None),
            Document.status != DocumentStatus.ARCHIVED,
        )
    if status:
        query = query.where(Document.status == _status(status))
    if application:
        query = query.where(Document.application_name == application)
    if action_id:
        query = query.where(Document.action_id == action_id)
    rows = session.exec(query.order_by(Document.updated_at.desc()).limit(limit)).all()
    names = _names(session, {d.user_id for d in rows})
    summaries = [_summary(d, names) for d in rows]
    if not actor.can(Permission.READ_DRAFTS):
        _published_titles(session, rows, summaries)
    return summaries


def _published_titles(session: Session, rows: list[Document], summaries: list[dict]) -> None:
    pending = {d.id: d.published_version for d in rows if d.version != d.published_version}
    if not pending:
        return
    titles = {
        (v.document_id, v.version): v.title
        for v in session.exec(
            select(DocumentVersion).where(DocumentVersion.document_id.in_(list(pending)))
        ).all()
    }
    for summary in summaries:
        if summary["id"] in pending:
            summary["title"] = (
                titles.get((summary["id"], pending[summary["id"]])) or summary["title"]
            )
            summary["status"] = DocumentStatus.PUBLISHED.value


def _status(value: str) -> DocumentStatus:
    try:
        return DocumentStatus(str(value).upper())
    except ValueError:
        raise InvalidInput(
            f"Unknown status '{value}'; choose Draft, Review, Published or Archived.",
            field="status",
        ) from None


def list_applications(*, session: Session, actor: Actor) -> list[str]:
    """The applications the organization's documents are about."""
    actor.require(Permission.READ)
    rows = session.exec(
        select(Document.application_name)
        .where(Document.organization_id == actor.organization_id)
        .distinct()
        .order_by(Document.application_name)
    ).all()
    return [r for r in rows if r]


def browse_hierarchy(*, session: Session, actor: Actor) -> list[dict]:
    """The hierarchy down to Actions, each Action with how many documents it has (only the
    branches that lead to documents), as flat rows with a depth, for a tree view."""
    actor.require(Permission.READ)
    query = (
        select(Document.action_id, func.count())
        .where(Document.organization_id == actor.organization_id, Document.action_id.is_not(None))
        .group_by(Document.action_id)
    )
    if not actor.can(Permission.READ_DRAFTS):
        query = query.where(
            Document.published_version.is_not(None), Document.status != DocumentStatus.ARCHIVED
        )
    counts = dict(session.exec(query).all())
    if not counts:
        return []
    rows = session.exec(
        select(System, Department, PracticeGroup, ActionGroup, Action)
        .join(Department, Department.system_id == System.id)
        .join(PracticeGroup, PracticeGroup.department_id == Department.id)
        .join(ActionGroup, ActionGroup.practice_group_id == PracticeGroup.id)
        .join(Action, Action.action_group_id == ActionGroup.id)
        .where(System.organization_id == actor.organization_id, Action.id.in_(list(counts)))
        .order_by(
            System.order, Department.order, PracticeGroup.order, ActionGroup.order, Action.order
        )
    ).all()
    tree: list[dict] = []
    seen: set[str] = set()
    for levels in rows:
        for depth, node in enumerate(levels):
            if node.id in seen:
                continue
            seen.add(node.id)
            is_action = depth == 4
            tree.append(
                {
                    "id": node.id,
                    "name": node.name,
                    "depth": depth,
                    "kind": ["System", "Department", "Practice group", "Action group", "Action"][
                        depth
                    ],
                    "count": counts.get(node.id, 0) if is_action else 0,
                    "is_action": is_action,
                }
            )
    return tree


# ---------------------------------------------------------------------- writing
def save_draft(
    *,
    session: Session,
    actor: Actor,
    document_id: str,
    title: str,
    content: str,
    tags: list[str] | str | None = None,
    base_revision: int,
) -> dict:
    """Save the working copy (autosave). Refused with ``EditConflict`` if someone saved since
    ``base_revision``. Saving a published document starts its next draft version."""
    actor.require(Permission.WRITE_DRAFTS)
    title, content = clean_title(title), clean_content(content)
    tags = clean_tags(tags) if tags is not None else None
    document = _document(session, actor, document_id)
    _editable(document)
    unchanged = (
        document.revision == base_revision
        and (document.title, document.content) == (title, content)
        and (tags is None or tags == _tags(document))
    )
    if unchanged and DocumentStatus(document.status) != DocumentStatus.PUBLISHED:
        # nothing to save (a blur or Enter that changed nothing): no new revision, no conflict
        return {"revision": document.revision, "version": document.version, "status": "DRAFT"}
    document = claim(session, actor, document_id, base_revision)
    was_published = DocumentStatus(document.status) == DocumentStatus.PUBLISHED
    document.title, document.content = title, content
    if tags is not None:
        document.meta = {**(document.meta or {}), "tags": tags}
    if was_published:
        document.status = DocumentStatus.DRAFT
        snapshot(
            session,
            document,
            actor,
            f"New draft started from published version {document.published_version}.",
        )
    session.add(document)
    session.flush()
    return {"revision": document.revision, "version": document.version, "status": "DRAFT"}


def _editable(document: Document) -> None:
    status = DocumentStatus(document.status)
    if status == DocumentStatus.REVIEW:
        raise Conflict(
            "This document is in review; an admin must approve it or send it back before it "
            "can be edited."
        )
    if status == DocumentStatus.ARCHIVED:
        raise Conflict("This document is archived; archived documents cannot be edited.")


def save_version(
    *,
    session: Session,
    actor: Actor,
    document_id: str,
    changelog: str | None,
    title: str | None = None,
    content: str | None = None,
    tags: list[str] | str | None = None,
    base_revision: int | None = None,
) -> dict:
    """Save the working copy (with the given text, if any) as a new version with a changelog."""
    actor.require(Permission.WRITE_DRAFTS)
    note = _note(changelog, label="The change note", required=False)
    if content is not None or title is not None:
        current = _document(session, actor, document_id)
        save_draft(
            session=session,
            actor=actor,
            document_id=document_id,
            title=title if title is not None else current.title,
            content=content if content is not None else current.content,
            tags=tags,
            base_revision=current.revision if base_revision is None else base_revision,
        )
        base_revision = None
    document = _document(session, actor, document_id)
    _editable(document)
    document = claim(session, actor, document_id, base_revision)
    if DocumentStatus(document.status) == DocumentStatus.PUBLISHED:
        document.status = DocumentStatus.DRAFT
    snapshot(session, document, actor, note or "Saved as a version.")
    return {"revision": document.revision, "version": document.version}


def list_versions(*, session: Session, actor: Actor, document_id: str) -> list[dict]:
    """The document's versions, newest first (writers only: versions hold unpublished text)."""
    actor.require(Permission.READ_DRAFTS)
    document = _document(session, actor, document_id)
    rows = session.exec(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document.id)
        .order_by(DocumentVersion.version.desc())
    ).all()
    names = _names(session, {r.created_by for r in rows})
    return [
        {
            "version": r.version,
            "title": r.title or "",
            "status": r.status or "",
            "changelog": r.changelog or "",
            "author": names.get(r.created_by, "someone"),
            "created_at": _iso(r.created_at),
            "created": r.created_at.strftime("%Y-%m-%d %H:%M") if r.created_at else "",
            "characters": len(r.content),
            "is_published": r.version == document.published_version,
        }
        for r in rows
    ]


def get_version(*, session: Session, actor: Actor, document_id: str, version: int) -> dict:
    """One version's title and content."""
    actor.require(Permission.READ_DRAFTS)
    document = _document(session, actor, document_id)
    row = _version_row(session, document.id, int(version))
    if row is None:
        raise not_found("Version")
    return {"version": row.version, "title": row.title or "", "content": row.content}


def restore_version(
    *, session: Session, actor: Actor, document_id: str, version: int, base_revision: int | None
) -> dict:
    """Make an old version's text the working copy again, as a new version (history is kept)."""
    actor.require(Permission.WRITE_DRAFTS)
    document = _document(session, actor, document_id)
    _editable(document)
    row = _version_row(session, document.id, int(version))
    if row is None:
        raise not_found("Version")
    document = claim(session, actor, document_id, base_revision)
    document.content = row.content
    if row.title:
        document.title = row.title
    document.status = DocumentStatus.DRAFT
    snapshot(session, document, actor, f"Restored version {row.version}.")
    _audit(session, actor, "document.restored", document, restored=row.version)
    return {"revision": document.revision, "version": document.version}


# ---------------------------------------------------------------------- diff
def _parts(text: str, spans: list[tuple[int, int]]) -> list[dict[str, str]]:
    parts: list[dict[str, str]] = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            parts.append({"t": text[cursor:start], "c": ""})
        if end > start:
            parts.append({"t": text[start:end], "c": "1"})
        cursor = end
    if cursor < len(text) or not parts:
        parts.append({"t": text[cursor:], "c": ""})
    return parts


def _inline(old: str, new: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    if len(old) + len(new) > 2000:
        return [{"t": old, "c": "1"}], [{"t": new, "c": "1"}]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    left: list[tuple[int, int]] = []
    right: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            left.append((i1, i2))
        if tag in ("replace", "insert"):
            right.append((j1, j2))
    return _parts(old, left), _parts(new, right)


def diff_texts(old: str, new: str, *, context: int = 3) -> dict:
    """A side-by-side diff: rows of (old line, new line) marked equal, delete, insert or
    replace (with the changed characters marked), long unchanged runs folded into one row."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    rows: list[dict] = []
    added = removed = 0

    def row(kind: str, i: int | None, j: int | None, left: list, right: list) -> dict:
        return {
            "kind": kind,
            "left_no": "" if i is None else str(i + 1),
            "right_no": "" if j is None else str(j + 1),
            "left": left,
            "right": right,
        }

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            size = i2 - i1
            if context >= 0 and size > 2 * context + 1:
                head = context if rows else 0
                tail = context if i2 < len(a) or j2 < len(b) else 0
                for k in range(head):
                    rows.append(
                        row("equal", i1 + k, j1 + k, _parts(a[i1 + k], []), _parts(b[j1 + k], []))
                    )
                skipped = size - head - tail
                rows.append(
                    row("skip", None, None, [{"t": f"{skipped} unchanged lines", "c": ""}], [])
                )
                for k in range(size - tail, size):
                    rows.append(
                        row("equal", i1 + k, j1 + k, _parts(a[i1 + k], []), _parts(b[j1 + k], []))
                    )
            else:
                for k in range(size):
                    rows.append(
                        row("equal", i1 + k, j1 + k, _parts(a[i1 + k], []), _parts(b[j1 + k], []))
                    )
            continue
        removed += i2 - i1
        added += j2 - j1
        if tag == "delete":
            for i in range(i1, i2):
                rows.append(row("delete", i, None, [{"t": a[i], "c": "1"}], []))
        elif tag == "insert":
            for j in range(j1, j2):
                rows.append(row("insert", None, j, [], [{"t": b[j], "c": "1"}]))
        else:
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                i, j = i1 + k, j1 + k
                if i < i2 and j < j2:
                    left, right = _inline(a[i], b[j])
                    rows.append(row("replace", i, j, left, right))
                elif i < i2:
                    rows.append(row("delete", i, None, [{"t": a[i], "c": "1"}], []))
                else:
                    rows.append(row("insert", None, j, [], [{"t": b[j], "c": "1"}]))
    return {"rows": rows, "added": added, "removed": removed}


def diff_versions(*, session: Session, actor: Actor, document_id: str, old: int, new: int) -> dict:
    """Compare any two versions of a document (not only neighbours)."""
    actor.require(Permission.READ_DRAFTS)
    document = _document(session, actor, document_id)
    rows = {
        v.version: v
        for v in session.exec(
            select(DocumentVersion).where(
                DocumentVersion.document_id == document.id,
                DocumentVersion.version.in_([int(old), int(new)]),
            )
        ).all()
    }
    if int(old) not in rows or int(new) not in rows:
        raise not_found("Version")
    result = diff_texts(rows[int(old)].content, rows[int(new)].content)
    result.update(old=int(old), new=int(new))
    return result


# ---------------------------------------------------------------------- review and publishing
def _require_status(document: Document, allowed: DocumentStatus, doing: str) -> None:
    status = DocumentStatus(document.status)
    if status != allowed:
        raise Conflict(
            f"Only a document in {allowed.value.title()} can be {doing}; this one is "
            f"{status.value.title()}."
        )


def submit_for_review(
    *, session: Session, actor: Actor, document_id: str, note: str | None = None
) -> dict:
    """DRAFT -> REVIEW: ask an admin to approve the document (members and up)."""
    actor.require(Permission.WRITE_DRAFTS)
    text = _note(note, label="The note to the reviewer", required=False)
    document = _document(session, actor, document_id)
    _require_status(document, DocumentStatus.DRAFT, "submitted for review")
    document = claim(session, actor, document_id, None)
    document.status = DocumentStatus.REVIEW
    snapshot(
        session,
        document,
        actor,
        f"Submitted for review: {text}" if text else "Submitted for review.",
    )
    _audit(session, actor, "document.submitted", document, note=text or "")
    return {"status": "REVIEW", "version": document.version, "revision": document.revision}


def _submitter(session: Session, document: Document) -> str | None:
    row = session.exec(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document.id, DocumentVersion.status == "REVIEW")
        .order_by(DocumentVersion.version.desc())
    ).first()
    return row.created_by if row else None


def approve(
    *, session: Session, actor: Actor, document_id: str, comment: str | None = None
) -> dict:
    """REVIEW -> PUBLISHED (admins and owners). When the organization requires independent
    review, nobody approves a document they wrote or submitted."""
    actor.require(Permission.PUBLISH)
    text = _note(comment, label="The comment", required=False)
    document = _document(session, actor, document_id)
    _require_status(document, DocumentStatus.REVIEW, "approved")
    organization = session.get(Organization, actor.organization_id)
    if organization is not None and organization.require_independent_review:
        if actor.user_id in {document.user_id, _submitter(session, document)}:
            raise PermissionDenied(
                "This organization requires another reviewer: you cannot approve a document "
                "you wrote or submitted. Ask another admin or owner to approve it."
            )
    document = claim(session, actor, document_id, None)
    document.status = DocumentStatus.PUBLISHED
    document.published_at = utcnow()
    document.meta = {**(document.meta or {}), "lastReviewed": _iso(document.published_at)}
    row = snapshot(
        session,
        document,
        actor,
        f"Approved and published: {text}" if text else "Approved and published.",
    )
    document.published_version = row.version
    session.add(document)
    _publish_text(session, document, row)
    session.flush()
    _audit(session, actor, "document.published", document, comment=text or "")
    return {"status": "PUBLISHED", "version": document.version, "revision": document.revision}


def _publish_text(session: Session, document: Document, row: DocumentVersion) -> None:
    """Make ``row`` the text readers see and search (until the next approval or archiving)."""
    published = session.get(PublishedDocument, document.id) or PublishedDocument(
        document_id=document.id, organization_id=document.organization_id
    )
    published.version, published.title, published.content = (
        row.version,
        row.title or document.title,
        row.content,
    )
    session.add(published)


def send_back(*, session: Session, actor: Actor, document_id: str, comments: str) -> dict:
    """REVIEW -> DRAFT with the reviewer's comments (admins and owners)."""
    actor.require(Permission.PUBLISH)
    text = _note(comments, label="Comments for the author", required=True)
    document = _document(session, actor, document_id)
    _require_status(document, DocumentStatus.REVIEW, "sent back")
    document = claim(session, actor, document_id, None)
    document.status = DocumentStatus.DRAFT
    snapshot(session, document, actor, f"Sent back for changes: {text}")
    _audit(session, actor, "document.sent_back", document, comments=text)
    return {"status": "DRAFT", "version": document.version, "revision": document.revision}


def archive(*, session: Session, actor: Actor, document_id: str) -> dict:
    """PUBLISHED -> ARCHIVED (admins and owners). Archived documents are kept, never deleted."""
    actor.require(Permission.PUBLISH)
    document = _document(session, actor, document_id)
    _require_status(document, DocumentStatus.PUBLISHED, "archived")
    document = claim(session, actor, document_id, None)
    document.status = DocumentStatus.ARCHIVED
    snapshot(session, document, actor, "Archived.")
    published = session.get(PublishedDocument, document.id)
    if published is not None:  # readers no longer see or find it
        session.delete(published)
    _audit(session, actor, "document.archived", document)
    return {"status": "ARCHIVED", "version": document.version, "revision": document.revision}


def review_queue(*, session: Session, actor: Actor) -> list[dict]:
    """Documents waiting for review, oldest submission first, with who submitted and the note."""
    actor.require(Permission.PUBLISH)
    documents = session.exec(
        select(Document)
        .where(
            Document.organization_id == actor.organization_id,
            Document.status == DocumentStatus.REVIEW,
        )
        .order_by(Document.updated_at)
    ).all()
    if not documents:
        return []
    submissions = {}
    for row in session.exec(
        select(DocumentVersion)
        .where(
            DocumentVersion.document_id.in_([d.id for d in documents]),
            DocumentVersion.status == "REVIEW",
        )
        .order_by(DocumentVersion.version)
    ).all():
        submissions[row.document_id] = row
    names = _names(
        session, {d.user_id for d in documents} | {s.created_by for s in submissions.values()}
    )
    organization = session.get(Organization, actor.organization_id)
    strict = bool(organization and organization.require_independent_review)
    queue = []
    for document in documents:
        submission = submissions.get(document.id)
        note = (submission.changelog or "") if submission else ""
        note = note.removeprefix("Submitted for review: ").removeprefix("Submitted for review.")
        own = actor.user_id in {document.user_id, submission.created_by if submission else None}
        queue.append(
            {
                **_summary(document, names),
                "submitted_by": names.get(submission.created_by, "") if submission else "",
                "submitted": submission.created_at.strftime("%Y-%m-%d %H:%M") if submission else "",
                "note": note.strip(),
                "can_approve": not (strict and own),
                "is_published_before": document.published_version is not None,
            }
        )
    return queue


def role_can_review(role: Role) -> bool:
    """Whether people of ``role`` review documents (for pages)."""
    from techledger.services.permissions import can

    return can(role, Permission.PUBLISH)

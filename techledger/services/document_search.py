"""Full-text search over document titles and content, with highlighted snippets.

PostgreSQL: the stored, weighted tsvector ``document.search_vector`` (GIN index), ranked with
``ts_rank``, snippets from ``ts_headline``. SQLite: the FTS5 table ``document_fts`` kept by
triggers, ranked with ``bm25``, snippets from ``snippet()``. Both return the same shape: the
matched words are marked in ``title_parts`` / ``snippet_parts`` as ``{"t": text, "c": "1"}``, so
pages render them as text (never as HTML).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session

from techledger.enums import DocumentStatus
from techledger.services.actor import Actor
from techledger.services.errors import InvalidInput
from techledger.services.permissions import Permission

START, STOP = "\ue000", "\ue001"  # private-use characters: never in people's text
QUERY_MAX = 200
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_words(query: str) -> list[str]:
    """The words of a search box entry (operators and punctuation dropped), at most 8."""
    if len(query or "") > QUERY_MAX:
        raise InvalidInput(f"Search for at most {QUERY_MAX} characters.", field="query")
    return [w.lower() for w in _WORD.findall(query or "")][:8]


def marked_parts(text: str) -> list[dict[str, str]]:
    """Split text holding START/STOP marks into parts, the marked ones flagged."""
    parts: list[dict[str, str]] = []
    for chunk in re.split(f"({START}.*?{STOP})", text or "", flags=re.S):
        if not chunk:
            continue
        if chunk.startswith(START):
            parts.append({"t": chunk.strip(START + STOP), "c": "1"})
        else:
            parts.append({"t": chunk.replace(START, "").replace(STOP, ""), "c": ""})
    return parts


def tidy_snippet(text: str) -> str:
    """A snippet without Markdown clutter: image links, emphasis marks, heading hashes."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)?", r"\1", text or "")
    text = re.sub(r"\]\([^)]*\)?", "]", text)
    text = re.sub(r"(\*\*|__|`|^#+\s*|\s#+\s)", " ", text)
    text = re.sub(r"!?\[[^\]]*$", "", text).replace("![", "")  # an image cut by the snippet
    return " ".join(text.replace("\\", "").split())


def _visibility(actor: Actor) -> str:
    # Readers search live published text only (documents without a pending draft).
    return "" if actor.can(Permission.READ_DRAFTS) else "AND d.status = 'PUBLISHED'"


def _filters(status: str | None, application: str | None, params: dict) -> str:
    sql = ""
    if status:
        try:
            params["status"] = DocumentStatus(status.upper()).value
        except ValueError:
            raise InvalidInput(f"Unknown status '{status}'.", field="status") from None
        sql += " AND d.status = :status"
    if application:
        params["application"] = application
        sql += " AND d.application_name = :application"
    return sql


def search_documents(
    *,
    session: Session,
    actor: Actor,
    query: str,
    status: str | None = None,
    application: str | None = None,
    limit: int = 20,
) -> list[dict]:
    """The actor's organization's documents matching every word of ``query`` (prefixes too),
    best first, each with its title and a snippet, the matches marked."""
    actor.require(Permission.READ)
    words = query_words(query)
    if not words:
        return []
    params: dict = {"org": actor.organization_id, "limit": max(1, min(int(limit), 100))}
    extra = _visibility(actor) + _filters(status, application, params)
    if session.get_bind().dialect.name == "postgresql":
        params["q"] = " & ".join(f"{w}:*" for w in words)
        sql = f"""
            WITH hits AS (
                SELECT d.id, d.title, d.content, d.status, d.application_name, d.updated_at,
                       ts_rank(d.search_vector, q) AS rank, q
                FROM document d, to_tsquery('english', :q) q
                WHERE d.organization_id = :org AND d.search_vector @@ q {extra}
                ORDER BY rank DESC, d.updated_at DESC
                LIMIT :limit
            )
            SELECT id, status, application_name, rank,
                   ts_headline('english', title, q,
                       'StartSel={START}, StopSel={STOP}, HighlightAll=true') AS title_marked,
                   ts_headline('english', left(content, 20000), q,
                       'StartSel={START}, StopSel={STOP}, MaxWords=28, MinWords=12, '
                       'MaxFragments=2, FragmentDelimiter=" … "') AS snippet_marked
            FROM hits ORDER BY rank DESC, updated_at DESC
        """
    else:
        params["q"] = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        sql = f"""
            SELECT d.id, d.status, d.application_name, bm25(document_fts, 10.0, 1.0) AS rank,
                   highlight(document_fts, 0, '{START}', '{STOP}') AS title_marked,
                   snippet(document_fts, 1, '{START}', '{STOP}', ' … ', 24) AS snippet_marked
            FROM document_fts JOIN document d ON d.rowid = document_fts.rowid
            WHERE document_fts MATCH :q AND d.organization_id = :org {extra}
            ORDER BY rank, d.updated_at DESC
            LIMIT :limit
        """
    rows = session.execute(sa.text(sql), params).mappings().all()
    results = []
    for row in rows:
        snippet = tidy_snippet(row["snippet_marked"] or "")
        results.append(
            {
                "id": row["id"],
                "title": (row["title_marked"] or "").replace(START, "").replace(STOP, ""),
                "title_parts": marked_parts(row["title_marked"] or ""),
                "snippet_parts": marked_parts(snippet),
                "status": row["status"],
                "application_name": row["application_name"],
            }
        )
    return results

"""Full-text search over document titles and content, with highlighted snippets.

PostgreSQL: the stored, weighted tsvector ``search_vector`` (GIN index) of ``document`` (or, for
readers, of ``published_document``), ranked with ``ts_rank``, snippets from ``ts_headline``.
SQLite: the FTS5 tables ``document_fts`` / ``document_fts_published`` kept by triggers, ranked
with ``bm25``, snippets from ``snippet()``. Both return the same shape: the
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


def _source(actor: Actor) -> tuple[str, str, str, str, str]:
    """Where the searched text lives: ``(table, alias, join to document, FTS5 table, status)``.

    People who read drafts search each document's working copy. Readers search the published
    text (``published_document``): a guide with a new draft in the works is found by what is
    published, never by the draft, and archived guides are not found.
    """
    if actor.can(Permission.READ_DRAFTS):
        return "document", "d", "", "document_fts", "d.status"
    return (
        "published_document",
        "p",
        "JOIN document d ON d.id = p.document_id",
        "document_fts_published",
        "'PUBLISHED'",
    )


def _filters(status: str | None, application: str | None, params: dict) -> str:
    sql = ""
    if status:
        try:
            params["status"] = DocumentStatus(status.upper()).value
        except ValueError:
            raise InvalidInput(f"Unknown status '{status}'.", field="status") from None
        sql += " AND {status} = :status"
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
    table, t, join, fts, status_of = _source(actor)
    extra = _filters(status, application, params).format(status=status_of)
    if session.get_bind().dialect.name == "postgresql":
        params["q"] = " & ".join(f"{w}:*" for w in words)
        sql = f"""
            WITH hits AS (
                SELECT d.id, {t}.title, {t}.content, {status_of} AS status, d.application_name,
                       d.updated_at, ts_rank({t}.search_vector, q) AS rank, q
                FROM {table} {t} {join}, to_tsquery('english', :q) q
                WHERE {t}.organization_id = :org AND {t}.search_vector @@ q {extra}
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
            SELECT d.id, {status_of} AS status, d.application_name, bm25({fts}, 10.0, 1.0) AS rank,
                   highlight({fts}, 0, '{START}', '{STOP}') AS title_marked,
                   snippet({fts}, 1, '{START}', '{STOP}', ' … ', 24) AS snippet_marked
            FROM {fts} JOIN {table} {t} ON {t}.rowid = {fts}.rowid {join}
            WHERE {fts} MATCH :q AND {t}.organization_id = :org {extra}
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

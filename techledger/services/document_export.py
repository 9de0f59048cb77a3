"""Export a document: Markdown with its images in a zip, standalone HTML, or PDF.

Markdown is rendered by markdown-it-py with raw HTML off, then cleaned by nh3 (an allow-list
sanitizer): ``<script>``, ``javascript:`` links, ``on*`` attributes and raw HTML never survive.
HTML exports embed the step images as data URIs. PDFs are printed by a warm headless Chromium
(``techledger.printer``: Playwright, the system's /usr/bin/chromium) from that same clean HTML,
with the network cut off; page numbers come from Chromium's footer and the table of contents
gets its numbers from the first print's outline.

Exports run as jobs (``workers.tasks.export_document``) that record their progress on a
``DocumentExport`` row; the file is stored with ``get_store()`` and downloaded through a signed,
short-lived link (``/api/exports/<id>/download``).
"""

from __future__ import annotations

import base64
import html
import io
import logging
import os
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

import nh3
from markdown_it import MarkdownIt
from sqlalchemy import update
from sqlmodel import Session, select

from techledger.enums import DocumentStatus
from techledger.models import Document, DocumentExport, DocumentVersion
from techledger.models.base import utcnow
from techledger.printer import print_pdf
from techledger.services.actor import Actor
from techledger.services.document_images import URL_PREFIX, load_step_images, sign_path
from techledger.services.errors import InvalidInput, not_found
from techledger.services.permissions import Permission
from techledger.storage import get_store

log = logging.getLogger(__name__)

FORMATS = {
    "md": ("zip", "application/zip"),
    "html": ("html", "text/html"),
    "pdf": ("pdf", "application/pdf"),
}
_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
_SRC = re.compile(r'src="(/api/step-images/[A-Za-z0-9_-]{1,32}/[0-9a-f]{16}\.png)"')


# ---------------------------------------------------------------------- rendering
def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def render_markdown(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """Clean HTML for ``markdown`` and its table of contents: ``[(anchor, section title)]`` of
    the level-2 headings. Raw HTML in the Markdown shows as text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.enable("strikethrough")
    tokens = md.parse(markdown)
    used: set[str] = set()
    toc: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3"):
            inline = tokens[index + 1]
            title = "".join(
                c.content for c in (inline.children or []) if c.type in ("text", "code_inline")
            )
            anchor = _slug(title, used)
            token.attrSet("id", anchor)
            if token.tag == "h2":
                toc.append((anchor, title))
    raw = md.renderer.render(tokens, md.options, {})
    return sanitize_html(raw), toc


def sanitize_html(fragment: str) -> str:
    """Only harmless tags and attributes, only http(s)/mailto or relative links."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_CSS = """
:root { --ink:#1c2024; --muted:#60646c; --line:#e0e1e6; --accent:#3e63dd; }
* { box-sizing: border-box; }
body { font-family: "Inter","Helvetica Neue",Arial,sans-serif; color: var(--ink);
  line-height: 1.6; margin: 0; background: #fff; font-size: 15px; }
main { max-width: 860px; margin: 0 auto; padding: 40px 28px 80px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 8px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-top: 12px; border-top: 1px solid var(--line); }
.meta { color: var(--muted); font-size: 13px; margin-bottom: 24px; }
nav.toc { background: #f8f9fa; border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 20px; margin: 20px 0 28px; }
nav.toc .toc-title { margin: 0 0 6px; font-weight: 700; font-size: 15px; }
nav.toc ol { margin: 0; padding-left: 2.6em; }
nav.toc a { color: var(--ink); text-decoration: none; }
ol > li { margin: 12px 0; }
img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px;
  margin: 10px 0 4px; display: block; }
blockquote { margin: 0 0 16px; padding: 4px 16px; border-left: 3px solid var(--accent);
  color: var(--muted); }
code { background: #f1f3f5; padding: 1px 5px; border-radius: 4px; font-size: 90%; }
pre { background: #f1f3f5; padding: 12px; border-radius: 8px; overflow-x: auto; }
a { color: var(--accent); }
table { border-collapse: collapse; } td, th { border: 1px solid var(--line); padding: 4px 8px; }
"""

_PRINT_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
    color: #60646c; font-family: Helvetica, Arial, sans-serif; } }
body { font-size: 10.5pt; }
main { max-width: none; padding: 0; }
h2 { break-after: avoid; }
nav.toc { break-after: page; background: none; border: 0; padding: 0; }
nav.toc li a { display: flex; gap: 6px; align-items: baseline; }
nav.toc .dots { flex: 1; border-bottom: 1px dotted #b9bbc6; }
nav.toc .pg { min-width: 4ch; text-align: right; font-variant-numeric: tabular-nums; }
ol > li { break-inside: avoid; }
img { max-height: 95mm; width: auto; }
"""


def _page(
    title: str,
    body: str,
    toc: list[tuple[str, str]],
    meta_line: str,
    *,
    css: str,
    numbered: bool = False,
) -> str:
    contents = ""
    if toc:
        slot = '<span class="dots"></span><span class="pg"></span>' if numbered else ""
        items = "".join(
            f'<li><a href="#{html.escape(anchor)}"><span>{html.escape(text)}</span>{slot}</a></li>'
            for anchor, text in toc
        )
        contents = f'<nav class="toc"><p class="toc-title">Contents</p><ol>{items}</ol></nav>'
    if body.startswith("<h1"):
        end = body.index("</h1>") + len("</h1>")
        head, rest = body[:end], body[end:]
    else:
        head, rest = f"<h1>{html.escape(title)}</h1>", body
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data: https: http:; style-src 'unsafe-inline'\">"
        f"<title>{html.escape(title)}</title><style>{css}</style></head><body><main>"
        f'{head}<p class="meta">{html.escape(meta_line)}</p>{contents}{rest}'
        "</main></body></html>\n"
    )


def build_html(
    title: str, markdown: str, images: dict[str, tuple[bytes, str]], meta_line: str = ""
) -> str:
    """A standalone HTML page: clean, images embedded as data URIs, with a table of contents."""
    body, toc = render_markdown(markdown)
    return _page(title, _embed_images(body, images), toc, meta_line, css=_CSS)


def _embed_images(body: str, images: dict[str, tuple[bytes, str]], *, jpeg: bool = False) -> str:
    """``body`` with each step image's ``src`` replaced by a data URI (missing ones emptied).

    For PDFs the images become JPEGs, which Chromium embeds as they are (it recompresses PNGs);
    the conversions run in parallel, Pillow releasing the GIL while it codes.
    """
    used = [url for url in dict.fromkeys(_SRC.findall(body)) if url in images]

    def encode(url: str) -> str:
        data = images[url][0]
        if jpeg:
            return "data:image/jpeg;base64," + base64.b64encode(_as_jpeg(data)).decode()
        return "data:image/png;base64," + base64.b64encode(data).decode()

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        encoded = dict(zip(used, pool.map(encode, used), strict=True))
    return _SRC.sub(lambda match: f'src="{encoded.get(match.group(1), "")}"', body)


def build_pdf(
    title: str, markdown: str, images: dict[str, tuple[bytes, str]], meta_line: str = ""
) -> bytes:
    """A PDF with a table of contents (with page numbers), the step images and numbered pages.

    Headless Chromium prints the same clean HTML page as the HTML export (network cut off: only
    the embedded images load); the table of contents gets its page numbers from a second pass
    (see ``techledger.printer.PrintRequest``).
    """
    return print_pdf(_pdf_page(title, markdown, images, meta_line), page_number_slots="nav.toc .pg")


def _pdf_page(
    title: str, markdown: str, images: dict[str, tuple[bytes, str]], meta_line: str
) -> str:
    body, toc = render_markdown(markdown)
    quoted = '"' + re.sub(r'["\\\n\r]', " ", title)[:90] + '"'
    running_title = (
        "@page { @bottom-left { content: " + quoted + "; font-size: 8pt; color: #60646c; "
        "font-family: Helvetica, Arial, sans-serif; } }"
    )
    return _page(
        title,
        _embed_images(body, images, jpeg=True),
        toc,
        meta_line,
        css=_CSS + _PRINT_CSS + running_title,
        numbered=True,
    )


def _as_jpeg(png: bytes) -> bytes:
    """A JPEG copy of a step image, for the PDF."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=88)
    return out.getvalue()


def build_markdown_zip(title: str, markdown: str, images: dict[str, tuple[bytes, str]]) -> bytes:
    """A zip of ``guide.md`` and ``images/``, the Markdown pointing at the images beside it."""
    text = markdown
    for url, (_data, name) in images.items():
        text = text.replace(url, f"images/{name}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("guide.md", text)
        for _url, (data, name) in images.items():
            archive.writestr(f"images/{name}", data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def filename_for(title: str, fmt: str) -> str:
    """A safe file name for an export of ``title``."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:80] or "document"
    return f"{stem}.{FORMATS[fmt][0]}"


def _format(fmt: str) -> str:
    value = (fmt or "").lower().strip().lstrip(".")
    value = {"markdown": "md", "zip": "md"}.get(value, value)
    if value not in FORMATS:
        raise InvalidInput(
            f"Unknown export format '{fmt}'; choose md (Markdown zip), html or pdf.",
            field="format",
        )
    return value


def render_export(
    session: Session,
    organization_id: str,
    title: str,
    content: str,
    fmt: str,
    meta_line: str = "",
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The bytes of one export of ``content``."""
    fmt = _format(fmt)
    progress = progress or (lambda _p: None)
    images = load_step_images(session, organization_id, content)
    progress(35)
    if fmt == "md":
        data = build_markdown_zip(title, content, images)
    elif fmt == "html":
        data = build_html(title, content, images, meta_line).encode()
    else:
        data = build_pdf(title, content, images, meta_line)
    progress(90)
    return data


# ---------------------------------------------------------------------- what is exported
def _exported_text(session: Session, actor: Actor, document: Document) -> tuple[int, str, str]:
    """(version, title, content): writers export the working copy, readers the published one."""
    if actor.can(Permission.READ_DRAFTS):
        return document.version, document.title, document.content
    row = session.exec(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id,
            DocumentVersion.version == (document.published_version or 0),
        )
    ).first()
    if row is None:
        raise not_found("Document")
    return row.version, row.title or document.title, row.content


def _meta_line(document: Document, version: int) -> str:
    when = (document.published_at or document.updated_at or utcnow()).astimezone(UTC)
    status = DocumentStatus(document.status).value.title()
    return f"{document.application_name} · version {version} · {status} · {when:%Y-%m-%d}"


def _load(session: Session, actor: Actor, document_id: str) -> Document:
    from techledger.services.documents import _document

    actor.require(Permission.READ)
    return _document(session, actor, document_id)


def export_now(*, session: Session, actor: Actor, document_id: str, fmt: str) -> tuple[bytes, str]:
    """Export in the caller's process (the CLI): the file's bytes and its name."""
    fmt = _format(fmt)
    document = _load(session, actor, document_id)
    version, title, content = _exported_text(session, actor, document)
    data = render_export(
        session, actor.organization_id, title, content, fmt, _meta_line(document, version)
    )
    return data, filename_for(title, fmt)


def request_export(*, session: Session, actor: Actor, document_id: str, fmt: str) -> dict:
    """Queue an export; the job runs once this transaction commits. Returns its status."""
    from techledger.jobs import enqueue_after_commit

    fmt = _format(fmt)
    document = _load(session, actor, document_id)
    version, title, _content = _exported_text(session, actor, document)
    export = DocumentExport(
        organization_id=actor.organization_id,
        document_id=document.id,
        created_by=actor.user_id,
        version=version,
        format=fmt,
        filename=filename_for(title, fmt),
    )
    session.add(export)
    session.flush()
    enqueue_after_commit(session, "workers.tasks.export_document", export.id, retries=1)
    return _status(export)


def _status(export: DocumentExport) -> dict:
    return {
        "id": export.id,
        "format": export.format,
        "status": export.status,
        "progress": export.progress,
        "filename": export.filename or "",
        "error": export.error or "",
        "size_bytes": export.size_bytes or 0,
    }


def _export(session: Session, actor: Actor, export_id: str) -> DocumentExport:
    export = session.get(DocumentExport, export_id) if export_id else None
    if export is None or export.organization_id != actor.organization_id:
        raise not_found("Export")
    _load(session, actor, export.document_id)  # still visible to this person
    return export


def export_status(*, session: Session, actor: Actor, export_id: str) -> dict:
    """Where an export stands: queued, running (with progress), done or failed."""
    return _status(_export(session, actor, export_id))


def download_path(*, session: Session, actor: Actor, export_id: str, seconds: int = 600) -> str:
    """A signed link, valid for minutes, to download a finished export."""
    export = _export(session, actor, export_id)
    if export.status != "done" or not export.storage_key:
        raise InvalidInput("This export is not ready yet.")
    return sign_path(f"/api/exports/{export.id}/download", seconds=seconds)


def read_export(session: Session, export_id: str) -> tuple[bytes, str, str] | None:
    """A finished export's bytes, file name and media type (for the signed download route)."""
    export = session.get(DocumentExport, export_id)
    if export is None or export.status != "done" or not export.storage_key:
        return None
    from techledger.storage import BlobNotFound

    try:
        data = get_store().get(export.storage_key)
    except BlobNotFound:
        return None
    return data, export.filename or f"export.{FORMATS[export.format][0]}", FORMATS[export.format][1]


def run_export(export_id: str) -> None:
    """The job: render the export, store it, record progress and the outcome."""
    from techledger.db import session_scope

    def _set(**values) -> None:  # noqa: ANN003
        # One conditional UPDATE, not read-then-write: a second delivery of the job (RQ may
        # deliver twice) must not undo the first one's result, even when the two interleave.
        with session_scope() as session:
            session.execute(
                update(DocumentExport)
                .where(DocumentExport.id == export_id, DocumentExport.status != "done")
                .values(**values)
            )

    with session_scope() as session:
        export = session.get(DocumentExport, export_id)
        if export is None or export.status == "done":
            return
        document = session.get(Document, export.document_id)
        if document is None:
            return
        export_fmt, org_id, version = export.format, export.organization_id, export.version
        if version == document.version:
            title, content = document.title, document.content
        else:
            row = session.exec(
                select(DocumentVersion).where(
                    DocumentVersion.document_id == document.id, DocumentVersion.version == version
                )
            ).first()
            if row is None:
                title, content = document.title, document.content
            else:
                title, content = row.title or document.title, row.content
        meta_line = _meta_line(document, version)
    _set(status="running", progress=10, error=None)
    try:
        with session_scope() as session:
            data = render_export(
                session,
                org_id,
                title,
                content,
                export_fmt,
                meta_line,
                progress=lambda p: _set(progress=p),
            )
        key = f"orgs/{org_id}/exports/{export_id}/{filename_for(title, export_fmt)}"
        get_store().put(key, data, FORMATS[export_fmt][1])
    except Exception as exc:  # noqa: BLE001  (the person is told; the job is not retried forever)
        log.exception("export %s failed", export_id)
        _set(status="failed", error=f"The export failed: {exc}"[:1000], finished_at=utcnow())
        raise
    _set(
        status="done",
        progress=100,
        storage_key=key,
        size_bytes=len(data),
        finished_at=utcnow(),
    )


__all__ = [
    "FORMATS",
    "URL_PREFIX",
    "build_html",
    "build_markdown_zip",
    "build_pdf",
    "download_path",
    "export_now",
    "export_status",
    "read_export",
    "render_markdown",
    "request_export",
    "run_export",
    "sanitize_html",
]

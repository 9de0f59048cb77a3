"""Exports opened and checked: the zip, the HTML in Chromium, the PDF with pypdf."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from techledger.enums import Role
from techledger.services import document_export, documents
from techledger.services import document_generation as generation
from techledger.services.document_images import STEP_IMAGE_URL, check_signature
from techledger.services.errors import InvalidInput, NotFound
from tests.factories import org_with_roles
from tests.factories_documents import make_trained_workflow, use_store

NASTY = (
    "\n\n## Careful\n\n<script>alert('x')</script>\n\n"
    "[click me](javascript:alert(1)) and [ok](https://example.com)\n\n"
    '<img src="x" onerror="alert(2)">\n\n<div onclick="alert(3)">raw html</div>\n\n'
    "![pixel](javascript:alert(4))\n"
)


@pytest.fixture(autouse=True)
def _store(tmp_path):
    use_store(tmp_path / "files")


@pytest.fixture
def guide(session):
    _org, actors = org_with_roles(session)
    member = actors[Role.MEMBER]
    workflow = make_trained_workflow(session, member)
    document = generation.generate_document(session=session, actor=member, workflow_id=workflow.id)
    documents.save_draft(
        session=session,
        actor=member,
        document_id=document.id,
        title=document.title,
        content=document.content + NASTY,
        base_revision=document.revision,
    )
    return document, actors


def _inert(markup: str) -> None:
    """No script element, no event-handler attribute, no javascript: URL, no raw HTML element."""
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001
            found.append((tag, attrs))

    Collect().feed(markup)
    tags = {tag for tag, _ in found}
    assert "script" not in tags and "div" not in tags and "iframe" not in tags
    for tag, attrs in found:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(("javascript:", "vbscript:")), (
                    value
                )


def test_render_markdown_leaves_raw_html_inert():
    html, toc = document_export.render_markdown("# T\n\n## One\n\ntext" + NASTY)
    _inert(html)
    assert "&lt;script&gt;" in html  # shown as text
    assert 'href="https://example.com"' in html
    assert toc == [("one", "One"), ("careful", "Careful")]


def test_markdown_zip_has_the_guide_and_its_images(session, guide):
    document, actors = guide
    data, name = document_export.export_now(
        session=session, actor=actors[Role.MEMBER], document_id=document.id, fmt="md"
    )
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "guide.md" in names
    images = [n for n in names if n.startswith("images/") and n.endswith(".png")]
    assert len(images) == 6
    markdown = archive.read("guide.md").decode()
    assert "/api/step-images/" not in markdown
    for image in images:
        assert f"]({image})" in markdown
        assert archive.read(image)[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_export_renders_in_chromium_with_its_images(session, guide, tmp_path):
    document, actors = guide
    data, _name = document_export.export_now(
        session=session, actor=actors[Role.MEMBER], document_id=document.id, fmt="html"
    )
    text = data.decode()
    _inert(text)
    assert text.count("data:image/png;base64,") == 6
    path = tmp_path / "guide.html"
    path.write_bytes(data)
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        sizes = page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.complete, e.naturalWidth])"
        )
        loaded = [s for s in sizes if s[0] and s[1] > 0]
        assert len(loaded) == 6
        assert page.locator("h1").inner_text() == document.title
        assert page.locator("nav.toc li").count() == 3  # two screens + "Careful"
        page.click("text=click me")
        assert dialogs == []
        browser.close()


def test_pdf_has_pages_a_table_of_contents_and_the_images(session, guide):
    document, actors = guide
    data, name = document_export.export_now(
        session=session, actor=actors[Role.MEMBER], document_id=document.id, fmt="pdf"
    )
    assert name.endswith(".pdf") and data[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    texts = _pdf_pages_text(data, len(reader.pages))
    first = " ".join(texts[0].split())
    assert "Contents" in first
    for section in ("Screen 1: Lead form", "Screen 2: Confirmation", "Careful"):
        page = re.search(re.escape(section) + r"[ .]*?(\d+)\b", first)
        assert page, f"no TOC entry with a page number for {section}: {first}"
        assert section in texts[int(page.group(1)) - 1]  # the number points at the right page
    assert all(f"Page {i} of {len(texts)}" in t for i, t in enumerate(texts, start=1))
    import hashlib

    images = {hashlib.sha1(i.data).hexdigest() for page in reader.pages for i in page.images}
    assert len(images) == 6  # every step image, once each
    body = " ".join(" ".join(texts).split())
    assert "Click Save to save the lead." in body
    assert "<script>alert('x')</script>" in body  # raw HTML shows as text, nothing runs


def _pdf_pages_text(data: bytes, count: int) -> list[str]:
    """The text of each page, laid out (poppler's pdftotext, else pypdf's layout mode)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        return out.split("\f")[:count]
    reader = PdfReader(io.BytesIO(data))
    return [p.extract_text(extraction_mode="layout") for p in reader.pages]


def test_export_requests_are_checked(session, guide):
    """(The job itself runs on committed rows in test_document_jobs.py.)"""
    document, actors = guide
    member = actors[Role.MEMBER]
    status = document_export.request_export(
        session=session, actor=member, document_id=document.id, fmt="pdf"
    )
    assert status["status"] == "queued" and status["progress"] == 0
    assert status["filename"].endswith(".pdf")
    with pytest.raises(InvalidInput, match="not ready"):
        document_export.download_path(session=session, actor=member, export_id=status["id"])
    _other, others = org_with_roles(session)
    with pytest.raises(NotFound):
        document_export.export_status(
            session=session, actor=others[Role.OWNER], export_id=status["id"]
        )
    with pytest.raises(NotFound):
        document_export.request_export(
            session=session, actor=others[Role.OWNER], document_id=document.id, fmt="pdf"
        )
    with pytest.raises(InvalidInput, match="Unknown export format"):
        document_export.request_export(
            session=session, actor=member, document_id=document.id, fmt="docx"
        )


def test_readers_export_the_published_version(session, guide):
    document, actors = guide
    viewer = actors[Role.VIEWER]
    with pytest.raises(NotFound):
        document_export.export_now(
            session=session, actor=viewer, document_id=document.id, fmt="html"
        )
    documents.submit_for_review(session=session, actor=actors[Role.MEMBER], document_id=document.id)
    documents.approve(session=session, actor=actors[Role.ADMIN], document_id=document.id)
    current = documents.get_document(
        session=session, actor=actors[Role.MEMBER], document_id=document.id
    )
    documents.save_draft(
        session=session,
        actor=actors[Role.MEMBER],
        document_id=document.id,
        title="Unpublished title",
        content="unpublished text\n",
        base_revision=current["revision"],
    )
    data, _ = document_export.export_now(
        session=session, actor=viewer, document_id=document.id, fmt="html"
    )
    assert b"unpublished text" not in data and b"Unpublished title" not in data


def test_signed_links():
    from techledger.services.document_images import sign_path

    link = sign_path("/api/exports/abc/download", seconds=60)
    path, query = link.split("?")
    params = dict(p.split("=") for p in query.split("&"))
    assert check_signature(path, params["exp"], params["sig"])
    assert not check_signature("/api/exports/other/download", params["exp"], params["sig"])
    assert not check_signature(path, str(int(params["exp"]) + 1), params["sig"])
    assert not check_signature(path, "1", params["sig"])
    assert STEP_IMAGE_URL.fullmatch("/api/step-images/abc/0123456789abcdef.png")

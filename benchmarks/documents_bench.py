"""Documents benchmark: generation, HTML and PDF export of a 50-screen / 400-step guide, a diff of
two 100,000-character versions, and search over 10,000 documents on PostgreSQL.

    DATABASE_URL=postgresql+psycopg://... python benchmarks/documents_bench.py

Without a PostgreSQL ``DATABASE_URL`` a SQLite file is used and the search part is skipped.
Prints the numbers and writes ``benchmarks/results/documents.json``. Targets (issue 6):
generation <= 1.5 s, HTML <= 2 s, PDF <= 5 s, diff <= 0.5 s, search <= 100 ms.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGETS = {
    "generation_s": 1.5,
    "html_export_s": 2.0,
    "pdf_export_s": 5.0,
    "diff_s": 0.5,
    "search_ms": 100.0,
}
WORDS = (
    "lead account contact opportunity invoice quote order approval pipeline stage forecast "
    "territory campaign report dashboard record owner status priority customer vendor payment "
    "shipment warehouse ticket escalation renewal contract discount product catalog price region "
    "click enter choose save submit review confirm select open close update create assign email"
).split()


CPU: dict[str, float] = {}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Chromium, for the PDF)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn, repeat: int = 3, name: str = "") -> tuple[float, object]:  # noqa: ANN001
    """Best wall time of ``repeat`` runs (and, under ``name``, the CPU time of that best run:
    on a shared, loaded machine CPU time says what an idle one would take)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        result = fn()
        took = time.perf_counter() - start
        if took < best:
            best = took
            if name:
                CPU[name] = round(_cpu() - cpu, 3)
    return best, result


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="docs-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["STORAGE_URL"] = f"file://{tmp / 'files'}"
    os.environ.setdefault("ENVIRONMENT", "test")

    import itertools

    import tests.factories
    from techledger.db import session_scope, upgrade_database
    from techledger.enums import Role
    from techledger.models import Document, Organization
    from techledger.services import document_export, document_generation, documents
    from techledger.services.document_search import search_documents
    from tests.factories import org_with_roles
    from tests.factories_documents import big_screens, make_trained_workflow

    tests.factories._seq = itertools.count(time.time_ns())  # fresh emails on a reused database
    upgrade_database()
    results: dict[str, object] = {
        "database": url.split(":", 1)[0],
        "machine": f"{platform.machine()} {os.cpu_count()} cpu(s), load {os.getloadavg()[0]:.1f}",
        "targets": TARGETS,
    }
    org_ids: list[str] = []
    try:
        with session_scope() as session:
            org, actors = org_with_roles(session)
            org_ids.append(org.id)
            member = actors[Role.MEMBER]
            workflow = make_trained_workflow(
                session, member, big_screens(50, 400), name="Process a large order",
                size=(1280, 800),
            )  # fmt: skip
            workflow_id = workflow.id

        # 1. generation: the first run makes the 400 step images, later runs reuse them
        with session_scope() as session:
            start, cpu = time.perf_counter(), _cpu()
            document = document_generation.generate_document(
                session=session, actor=member, workflow_id=workflow_id
            )
            cold = time.perf_counter() - start
            CPU["generation_s"] = round(_cpu() - cpu, 3)
            document_id, content, title = document.id, document.content, document.title
        with session_scope() as session:
            start = time.perf_counter()
            document_generation.generate_document(
                session=session, actor=member, workflow_id=workflow_id
            )
            warm = time.perf_counter() - start
        results["generation_s"] = round(cold, 3)
        results["regeneration_s"] = round(warm, 3)
        results["guide"] = {
            "screens": 50,
            "steps": content.count("](/api/step-images/"),
            "characters": len(content),
        }

        # 2. exports (the same work the job does, without the queue)
        with session_scope() as session:
            html_s, html = _timed(
                lambda: document_export.render_export(session, org.id, title, content, "html"),
                name="html_export_s",
            )
            # The first PDF starts the worker's Chromium; later ones find it warm, as in a
            # running worker (``techledger.printer``).
            start = time.perf_counter()
            document_export.render_export(session, org.id, title, content, "pdf")
            results["pdf_export_cold_s"] = round(time.perf_counter() - start, 3)
            pdf_s, pdf = _timed(
                lambda: document_export.render_export(session, org.id, title, content, "pdf"),
                repeat=2,
                name="pdf_export_s",
            )
        import io

        from pypdf import PdfReader

        results["html_export_s"] = round(html_s, 3)
        results["html_bytes"] = len(html)
        results["pdf_export_s"] = round(pdf_s, 3)
        results["pdf_pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
        results["pdf_bytes"] = len(pdf)

        # 3. diff of two 100,000-character versions, 5% of the lines changed
        rng = random.Random(6)
        lines = []
        while sum(len(x) + 1 for x in lines) < 100_000:
            lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))))
        old = "\n".join(lines)[:100_000]
        changed = [
            (" ".join(rng.choice(WORDS) for _ in range(8)) if rng.random() < 0.05 else line)
            for line in old.split("\n")
        ]
        new = "\n".join(changed)[:100_000]
        diff_s, diff = _timed(lambda: documents.diff_texts(old, new), name="diff_s")
        results["diff_s"] = round(diff_s, 4)
        results["diff_rows"] = len(diff["rows"])

        # 4. search over 10,000 documents (PostgreSQL only)
        if url.startswith("postgresql"):
            results.update(_search_bench(session_scope, org_with_roles, search_documents, org_ids))
        else:
            results["search"] = "skipped: DATABASE_URL is not PostgreSQL"
        results["doc"] = document_id
    finally:
        with session_scope() as session:
            for org_id in org_ids:
                row = session.get(Organization, org_id)
                if row is not None:
                    session.execute(
                        Document.__table__.delete().where(Document.organization_id == org_id)
                    )
                    session.delete(row)
    results.pop("doc", None)
    results["cpu_s"] = CPU
    results["load_after"] = round(os.getloadavg()[0], 1)
    results["meets_targets"] = {
        key: (results[key] <= target)
        for key, target in TARGETS.items()
        if isinstance(results.get(key), (int, float))
    }
    out = ROOT / "benchmarks" / "results" / "documents.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def _search_bench(session_scope, org_with_roles, search_documents, org_ids) -> dict:  # noqa: ANN001
    import sqlalchemy as sa

    from techledger.enums import Role
    from techledger.ids import new_id
    from techledger.models import Document

    rng = random.Random(10_000)
    with session_scope() as session:
        org, actors = org_with_roles(session)
        org_ids.append(org.id)
        admin = actors[Role.ADMIN]
        rows = []
        now = time.time()
        from techledger.models.base import utcnow

        stamp = utcnow()
        # A library of guides: each is about a few topics (a handful of the domain words)
        # among the ordinary words of a guide, so a topic word is in roughly one guide in ten.
        filler = [
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
            for _ in range(3000)
        ]
        for i in range(10_000):
            app = rng.choice(["Salesforce", "HubSpot", "SAP", "NetSuite", "Zendesk"])
            topics = rng.sample(WORDS, 5)

            def word() -> str:
                return rng.choice(topics) if rng.random() < 0.25 else rng.choice(filler)  # noqa: B023

            body = "\n\n".join(
                f"{n}. " + " ".join(word() for _ in range(rng.randint(8, 20))) + "."
                for n in range(1, rng.randint(8, 30))
            )
            rows.append(
                {
                    "id": new_id(),
                    "user_id": admin.user_id,
                    "organization_id": org.id,
                    "title": f"How to {topics[0]} the {topics[1]} in {app} #{i}",
                    "content": f"# Guide {i}\n\n{body}\n",
                    "content_type": "MARKDOWN",
                    "application_name": app,
                    "status": rng.choice(["DRAFT", "PUBLISHED", "PUBLISHED", "REVIEW"]),
                    "version": 1,
                    "revision": 0,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        for chunk in range(0, len(rows), 1000):
            session.execute(sa.insert(Document), rows[chunk : chunk + 1000])
        insert_s = time.time() - now
    with session_scope() as session:
        session.execute(sa.text("ANALYZE document"))
    queries = [
        "invoice",
        "approval pipeline",
        "escalation ticket",
        "warehouse shipment",
        "renew",
        "discount price region",
        "salesforce lead",
        "forecast",
        "customer payment",
        "zzzz nothing",
    ]
    timings = []
    found = {}
    with session_scope() as session:
        search_documents(session=session, actor=admin, query="warm up")
        for _ in range(3):
            for query in queries:
                start = time.perf_counter()
                hits = search_documents(session=session, actor=admin, query=query)
                timings.append((time.perf_counter() - start) * 1000)
                found[query] = len(hits)
        filtered_start = time.perf_counter()
        search_documents(
            session=session, actor=admin, query="invoice", status="PUBLISHED", application="SAP"
        )
        filtered_ms = (time.perf_counter() - filtered_start) * 1000
        worst = []
        for _ in range(3):  # a word in every one of the 10,000 guides: all of them are ranked
            start = time.perf_counter()
            search_documents(session=session, actor=admin, query="guide")
            worst.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "search_documents": 10_000,
        "search_insert_s": round(insert_s, 1),
        "search_ms": round(statistics.median(timings), 1),
        "search_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "search_max_ms": round(timings[-1], 1),
        "search_filtered_ms": round(filtered_ms, 1),
        "search_every_document_matches_ms": round(min(worst), 1),
        "search_hits": found,
    }


if __name__ == "__main__":
    main()

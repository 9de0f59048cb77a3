"""How long the upload pipeline takes per screenshot, outside the vision engine and with it.

    python benchmarks/upload_pipeline.py [--count 5]

Uploads 1920x1080 PNG screenshots (drawn forms) into a scratch SQLite database and local
store, then runs each analysis job in this process. Prints and writes
``benchmarks/results/upload_pipeline.json``: upload (validate + thumbnail + store + row)
and analysis (engine + annotated copy + elements) seconds per screenshot, median and max.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _screens(count: int) -> list[bytes]:
    from PIL import Image, ImageDraw

    from tests.screenshot_images import _font, encode

    out = []
    for i in range(count):
        image = Image.new("RGB", (1920, 1080), "#f4f6f8")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 1920, 56), fill="#1b2a4a")
        draw.text((24, 16), f"Acme CRM · Lead {i}", fill="white", font=_font(20))
        for row in range(8):
            top = 120 + row * 90
            draw.text((80, top), f"Field {row + 1}", fill="#333", font=_font(16))
            draw.rectangle((80, top + 26, 700, top + 62), outline="#9aa5b1", fill="white")
        draw.rounded_rectangle((80, 880, 240, 924), radius=6, fill="#1f6feb")
        draw.text((128, 892), "Save", fill="white", font=_font(16))
        out.append(encode(image))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tl-bench-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch / 'bench.db'}",
        STORAGE_URL=f"file://{scratch / 'files'}",
        ENVIRONMENT="test",
    )
    os.environ.pop("REDIS_URL", None)
    from techledger import jobs
    from techledger.db import session_scope, upgrade_database
    from techledger.services import analysis, screenshots, workflows
    from tests.factories import make_org, owner_actor

    upgrade_database()
    jobs.enqueue = lambda path, *a, job_id=None, **k: job_id  # run the jobs here, timed
    with session_scope() as session:
        actor = owner_actor(session, make_org(session))
        wf_id = workflows.create_workflow(
            session=session, actor=actor, name="Bench", application_name="Acme"
        ).id
    uploads, analyses, ids = [], [], []
    for i, data in enumerate(_screens(args.count)):
        start = time.perf_counter()
        with session_scope() as session:
            shot = screenshots.upload_screenshot(
                session=session, actor=actor, workflow_id=wf_id, filename=f"{i}.png", data=data
            )
            ids.append((shot.id, shot.vision_job_id))
        uploads.append(time.perf_counter() - start)
    analysis.engine("local")  # loading the engine is not part of a job
    for screenshot_id, job_id in ids:
        start = time.perf_counter()
        assert analysis.run_analysis(screenshot_id, job_id) == "analyzed"
        analyses.append(time.perf_counter() - start)
    result = {
        "screenshots": args.count,
        "size": "1920x1080 PNG",
        "upload_s": {"median": round(statistics.median(uploads), 3), "max": round(max(uploads), 3)},
        "analysis_s": {
            "median": round(statistics.median(analyses), 3),
            "max": round(max(analyses), 3),
        },
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "upload_pipeline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

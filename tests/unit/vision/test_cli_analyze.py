"""``python -m techledger.cli_analyze``: one JSON line per good image, an error line per bad one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]
FIX = Path(__file__).parent / "fixtures"


def test_good_and_bad_image(tmp_path: Path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    good = FIX / "light_form_shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "techledger.cli_analyze",
            "--engine",
            "local",
            "--json",
            str(good),
            str(bad),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["image"] == str(good) and record["width"] == 480 and record["height"] == 300
    assert set(record) == {"image", "width", "height", "elements", "analysisResult"}
    el = record["elements"][0]
    assert set(el) == {"elementType", "boundingBox", "text", "confidence"}
    assert set(el["boundingBox"]) == {"top", "left", "width", "height"}
    assert any(
        e["elementType"] == "BUTTON" and "Save" in (e["text"] or "") for e in record["elements"]
    )
    err = [line for line in proc.stderr.splitlines() if "notes.png" in line]
    assert len(err) == 1 and "PNG, JPEG or WebP" in err[0]

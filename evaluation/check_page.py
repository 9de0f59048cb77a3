"""A hand-made page's writer's check: ``python evaluation/check_page.py PAGE.html [...]``.

Renders each page at 1920x1080 and 1366x768 into ``$CHECK_OUT`` (default ``/tmp/hm/out``),
extracts the truth exactly as the evaluation does (``render.py``), and writes
``<stem>_<size>.png`` (the screenshot) and ``<stem>_<size>_boxes.png`` (the truth boxes drawn
in each type's colour, as the product draws found elements: ``vision.annotate``). Prints the
count of each type, and warns of controls a few pixels across and of a page without any LABEL.
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render  # noqa: E402

from techledger.enums import ElementType  # noqa: E402
from techledger.vision.annotate import annotate  # noqa: E402
from techledger.vision.engine import Element, bounding_box  # noqa: E402

TINY = 6  # pixels: a clickable control narrower or lower than this is worth a second look


def check(page: Path, out: Path) -> None:
    for json_path in render.render([page], out, render.HELDOUT_VARIANTS[:2]):
        truth = json.loads(json_path.read_text())
        boxes = [
            Element(ElementType(e["type"]), bounding_box(*e["box"]), e["text"], 1.0)
            for e in truth["elements"]
        ]
        annotate(Image.open(json_path.with_suffix(".png")), boxes).save(
            json_path.with_name(json_path.stem + "_boxes.png")
        )
        counts = collections.Counter(e["type"] for e in truth["elements"])
        print(json_path.stem, dict(counts), "words", len(truth["words"]))
        for e in truth["elements"]:
            clickable = e["type"] in ("BUTTON", "INPUT", "DROPDOWN", "LINK")
            if clickable and min(e["box"][2], e["box"][3]) < TINY:
                print("  WARNING tiny", e)
        if not counts.get("LABEL"):
            print("  WARNING: no LABEL at all (is every line of text inside a typed element?)")


if __name__ == "__main__":
    target = Path(os.environ.get("CHECK_OUT", "/tmp/hm/out"))
    target.mkdir(parents=True, exist_ok=True)
    for arg in sys.argv[1:]:
        check(Path(arg), target)

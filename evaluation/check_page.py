"""A hand-made page's writer's check: ``python evaluation/check_page.py PAGE.html [...]``.

Renders each page at 1920x1080 and 1366x768 into ``$CHECK_OUT`` (default ``/tmp/hm/out``),
extracts the truth exactly as the evaluation does (``render.py``), and writes
``<stem>_<size>.png`` (the screenshot) and ``<stem>_<size>_boxes.png`` (the truth boxes drawn:
BUTTON red, INPUT blue, DROPDOWN cyan, CHECKBOX magenta, RADIO orange, TABLE green, LABEL grey,
LINK purple, MENU yellow, DIALOG black). Prints the count of each type, and warns of controls
a few pixels across and of a page without any LABEL.
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render  # noqa: E402

COLOURS = {
    "BUTTON": (230, 0, 0),
    "INPUT": (0, 0, 255),
    "DROPDOWN": (0, 180, 200),
    "CHECKBOX": (220, 0, 220),
    "RADIO": (255, 140, 0),
    "TABLE": (0, 170, 0),
    "LABEL": (130, 130, 130),
    "LINK": (128, 0, 200),
    "MENU": (200, 200, 0),
    "DIALOG": (0, 0, 0),
}
TINY = 6  # pixels: a clickable control narrower or lower than this is worth a second look


def check(page: Path, out: Path) -> None:
    for json_path in render.render([page], out, render.HELDOUT_VARIANTS[:2]):
        truth = json.loads(json_path.read_text())
        image = Image.open(json_path.with_suffix(".png")).convert("RGB")
        draw = ImageDraw.Draw(image)
        for e in truth["elements"]:
            left, top, width, height = e["box"]
            draw.rectangle(
                [left, top, left + width, top + height], outline=COLOURS[e["type"]], width=2
            )
        image.save(json_path.with_name(json_path.stem + "_boxes.png"))
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

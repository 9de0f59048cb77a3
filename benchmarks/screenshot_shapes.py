"""The evaluation screenshots in the shapes people also upload besides whole screens.

* ``screen``: the screenshot as rendered (a 16:9 screen);
* ``long``: the screenshot stacked twice, as a full-page capture of a page two screens long;
* ``crop``: its central region (60% of the width, 70% of the height), as a part of a screen
  cut out. Truth elements the cut crosses are listed in ``ignore`` (clipped to the crop):
  whether a half-visible button is one is moot, so neither finding nor missing it counts.
"""

from __future__ import annotations

import copy

from PIL import Image

SHAPES = ("screen", "long", "crop")
CROP = (0.2, 0.15, 0.8, 0.85)  # left, top, right, bottom as fractions of the screenshot


def reshape(image: Image.Image, truth: dict, shape: str) -> tuple[Image.Image, dict]:
    """``image`` and its ``truth`` (elements and words with ``box`` [left, top, width, height])
    in ``shape``; the truth gets an ``ignore`` list of boxes."""
    truth = copy.deepcopy(truth)
    truth.setdefault("ignore", [])
    if shape == "screen":
        return image, truth
    if shape == "long":
        w, h = image.size
        tall = Image.new(image.mode, (w, 2 * h))
        tall.paste(image, (0, 0))
        tall.paste(image, (0, h))
        for key in ("elements", "words"):
            truth[key] = truth[key] + [
                {**item, "box": [item["box"][0], item["box"][1] + h, *item["box"][2:]]}
                for item in truth[key]
            ]
        truth["height"] = 2 * h
        return tall, truth
    if shape == "crop":
        w, h = image.size
        l, t, r, b = (round(f * s) for f, s in zip(CROP, (w, h, w, h), strict=True))

        def moved(box: list[float]) -> list[float]:
            return [box[0] - l, box[1] - t, box[2], box[3]]

        def clipped(box: list[float]) -> list[float]:
            left, top = max(box[0], l), max(box[1], t)
            right, bottom = min(box[0] + box[2], r), min(box[1] + box[3], b)
            return [left - l, top - t, right - left, bottom - top]

        def inside(box: list[float]) -> bool:
            return box[0] >= l and box[1] >= t and box[0] + box[2] <= r and box[1] + box[3] <= b

        def crossed(box: list[float]) -> bool:
            visible = clipped(box)
            return not inside(box) and visible[2] > 0 and visible[3] > 0

        truth["ignore"] = [clipped(e["box"]) for e in truth["elements"] if crossed(e["box"])]
        truth["elements"] = [
            {**e, "box": moved(e["box"])} for e in truth["elements"] if inside(e["box"])
        ]
        truth["words"] = [
            {**wd, "box": moved(wd["box"])} for wd in truth["words"] if inside(wd["box"])
        ]
        truth["width"], truth["height"] = r - l, b - t
        return image.crop((l, t, r, b)), truth
    raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")

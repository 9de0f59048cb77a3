"""The spec's ``Screenshot.analysisResult`` JSON built from words and elements."""

from __future__ import annotations

from typing import Any

import numpy as np

from techledger.vision.engine import Element
from techledger.vision.ocr import Word
from techledger.vision.properties import hex_color


def word_box(w: Word) -> dict[str, int]:
    """``{top, left, width, height}`` of a word in image pixels."""
    return {"top": w.top, "left": w.left, "width": w.width, "height": w.height}


def dominant_colors(rgb: np.ndarray, n: int = 5) -> list[str]:
    """The most frequent colours of the screenshot (coarsely quantised), most frequent first."""
    px = rgb[::7, ::7].reshape(-1, 3)
    q = (px // 16).astype(np.int32)
    keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
    vals, counts = np.unique(keys, return_counts=True)
    out = []
    for k in vals[np.argsort(-counts)][:n]:
        out.append(hex_color(px[keys == k].mean(axis=0)))
    return out


def full_text(words: list[Word]) -> str:
    """Words in reading order (top to bottom by line, then left to right), space separated."""
    ws = sorted(words, key=lambda w: (w.top + w.height // 2) // max(6, w.height))
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.left)):
        for line in lines:
            ref = line[0]
            if abs((w.top + w.height / 2) - (ref.top + ref.height / 2)) < 0.5 * max(
                w.height, ref.height
            ):
                line.append(w)
                break
        else:
            lines.append([w])
    del ws
    return "\n".join(" ".join(w.text for w in sorted(line, key=lambda w: w.left)) for line in lines)


def build_analysis_result(
    rgb: np.ndarray, words: list[Word], elements: list[Element], objects: list[dict[str, Any]]
) -> dict[str, Any]:
    """``{"text": {...}, "objects": [...], "metadata": {...}}`` as in the spec."""
    h, w = rgb.shape[:2]
    return {
        "text": {
            "fullText": full_text(words),
            "words": [
                {"text": wd.text, "confidence": wd.confidence, "boundingBox": word_box(wd)}
                for wd in words
            ],
        },
        "objects": objects
        or [
            {
                "name": e.element_type.value.title(),
                "score": e.confidence,
                "boundingPoly": {"vertices": e.bounding_box["vertices"]},
            }
            for e in elements
        ],
        "metadata": {"width": int(w), "height": int(h), "dominantColors": dominant_colors(rgb)},
    }

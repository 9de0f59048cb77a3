"""Local OCR: Tesseract on a polarity-normalised copy of the screenshot, as words with boxes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Word:
    """One recognised word: its text, confidence 0..1 and box in image pixels."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def normalise_for_ocr(rgb: np.ndarray) -> np.ndarray:
    """Grey image with every text dark on white, whatever its own colours (dark themes, buttons).

    The background is estimated per colour channel with a wide median (strokes are
    thin); the ink is the largest channel difference from it, so colour-only
    contrast (white on yellow) survives.
    """
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    bg = cv2.medianBlur(small, 9)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    diff = cv2.absdiff(rgb, bg).max(axis=2)
    ink = cv2.convertScaleAbs(diff, alpha=2.0)
    # Tesseract skips words framed by boxes: erase long straight lines (borders, rules)
    unit = max(1.0, w / 1920.0) if w > 2400 else 1.0
    mask = (ink > 60).astype(np.uint8)
    hor = cv2.morphologyEx(
        mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(30 * unit), 1))
    )
    ver = cv2.morphologyEx(
        mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(34 * unit)))
    )
    lines = cv2.dilate(hor | ver, np.ones((3, 3), np.uint8))
    ink[lines > 0] = 0
    return 255 - ink


_ALNUM = re.compile(r"[A-Za-z0-9]")


def tesseract_words(rgb: np.ndarray, scale: float = 1.0) -> list[Word]:
    """Run Tesseract (sparse text mode) and return words with at least one letter or digit."""
    import pytesseract

    img = normalise_for_ocr(rgb)
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    data = pytesseract.image_to_data(
        img, output_type=pytesseract.Output.DICT, config="--psm 11 -c tessedit_do_invert=0"
    )
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0 or not _ALNUM.search(text):
            continue
        words.append(
            Word(
                text=text,
                confidence=round(conf / 100.0, 3),
                left=int(round(data["left"][i] / scale)),
                top=int(round(data["top"][i] / scale)),
                width=max(1, int(round(data["width"][i] / scale))),
                height=max(1, int(round(data["height"][i] / scale))),
            )
        )
    return words


def ocr_scale(width: int) -> float:
    """Upscale ordinary screenshots for Tesseract; high-DPI ones already have large glyphs."""
    return 1.5 if width <= 2400 else 0.8


def read_words(rgb: np.ndarray) -> list[Word]:
    """The words of a screenshot, read locally."""
    return tesseract_words(rgb, ocr_scale(rgb.shape[1]))

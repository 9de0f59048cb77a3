"""``VISION_ENGINE=google``: words and objects from Google Cloud Vision, elements from our classifier.

Google reads the text (document text detection) and localises objects; the same
candidate detection and classifier as the local engine then type the elements,
with Google's words in place of local OCR.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image

from techledger.vision.analysis_result import build_analysis_result
from techledger.vision.classify import find_elements
from techledger.vision.engine import Analysis
from techledger.vision.ocr import Word


def _vertices_box(vertices: Any) -> tuple[int, int, int, int]:
    xs = [int(getattr(v, "x", 0) or 0) for v in vertices]
    ys = [int(getattr(v, "y", 0) or 0) for v in vertices]
    l, t = min(xs), min(ys)
    return l, t, max(1, max(xs) - l), max(1, max(ys) - t)


def words_from_response(response: Any) -> list[Word]:
    """Words of an ``AnnotateImageResponse``: from ``full_text_annotation`` when present, else ``text_annotations``."""
    words: list[Word] = []
    fta = response.full_text_annotation
    for page in fta.pages if fta else []:
        for block in page.blocks:
            for para in block.paragraphs:
                for w in para.words:
                    text = "".join(s.text for s in w.symbols)
                    if not text.strip():
                        continue
                    l, t, width, height = _vertices_box(w.bounding_box.vertices)
                    conf = float(w.confidence) if w.confidence else 0.9
                    words.append(Word(text, round(conf, 3), l, t, width, height))
    if not words:
        for ann in list(response.text_annotations)[1:]:  # the first one is the whole text
            l, t, width, height = _vertices_box(ann.bounding_poly.vertices)
            conf = float(ann.score) if ann.score else 0.9
            words.append(Word(ann.description, round(conf, 3), l, t, width, height))
    return words


INK_CONTRAST = 60  # a pixel this far (any channel) from its box's background is ink


def tight_to_ink(rgb: np.ndarray, words: list[Word]) -> list[Word]:
    """Each word's box shrunk to the ink inside it. Google pads a word's box to its line's full
    ascender-to-descender height and a little beyond; the classifier learned on tight boxes
    (Tesseract's), so Google's words are tightened before elements are read from them. A rule
    crossing the whole box (a cell border, an underline) is not ink of the word."""
    out = []
    for w in words:
        crop = rgb[max(0, w.top) : w.bottom, max(0, w.left) : w.right].astype(np.int16)
        if crop.shape[0] < 2 or crop.shape[1] < 2:
            out.append(w)
            continue
        rim = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
        ink = np.abs(crop - np.median(rim, axis=0)).max(axis=2) > INK_CONTRAST
        ink[ink.all(axis=1)] = False
        ink[:, ink.all(axis=0)] = False
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if not rows.size:
            out.append(w)
            continue
        left, top = max(0, w.left) + int(cols[0]), max(0, w.top) + int(rows[0])
        width, height = int(cols[-1] - cols[0]) + 1, int(rows[-1] - rows[0]) + 1
        out.append(replace(w, left=left, top=top, width=width, height=height))
    return out


def objects_from_response(response: Any, width: int, height: int) -> list[dict[str, Any]]:
    """``localized_object_annotations`` as the spec's ``objects`` (pixel vertices)."""
    out = []
    for obj in response.localized_object_annotations:
        verts = [
            {"x": int(round(v.x * width)), "y": int(round(v.y * height))}
            for v in obj.bounding_poly.normalized_vertices
        ]
        out.append(
            {
                "name": obj.name,
                "score": round(float(obj.score), 4),
                "boundingPoly": {"vertices": verts},
            }
        )
    return out


class GoogleVisionEngine:
    """Google Cloud Vision for text and objects; ``client`` is injectable (tests pass a recorded fake)."""

    name = "google"

    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from google.cloud import vision

            self._client = vision.ImageAnnotatorClient()
        return self._client

    def annotate(self, image: Image.Image) -> Any:
        """One ``AnnotateImageResponse`` for the image (document text + object localisation)."""
        from google.cloud import vision

        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG")
        request = vision.AnnotateImageRequest(
            image=vision.Image(content=buf.getvalue()),
            features=[
                vision.Feature(type_=vision.Feature.Type.DOCUMENT_TEXT_DETECTION),
                vision.Feature(type_=vision.Feature.Type.OBJECT_LOCALIZATION),
            ],
        )
        response = self.client.annotate_image(request)
        if response.error and response.error.message:
            raise RuntimeError(f"Google Vision error: {response.error.message}")
        return response

    def analyze(self, image: Image.Image) -> Analysis:
        """Words and objects from Google, elements from the shared classifier."""
        rgb = np.asarray(image.convert("RGB"))
        response = self.annotate(image)
        words = tight_to_ink(rgb, words_from_response(response))
        elements = find_elements(rgb, words)
        objects = objects_from_response(response, image.width, image.height)
        result = build_analysis_result(rgb, words, elements, objects=objects)
        if not objects:
            result["objects"] = []
        return Analysis(
            width=image.width, height=image.height, elements=elements, analysis_result=result
        )

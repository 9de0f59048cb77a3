"""The default, offline engine: Tesseract OCR + colour-edge candidates + a small learned classifier."""

from __future__ import annotations

import numpy as np
from PIL import Image

from techledger.vision.analysis_result import build_analysis_result
from techledger.vision.classify import find_elements
from techledger.vision.engine import Analysis
from techledger.vision.ocr import read_words


class LocalVisionEngine:
    """Analyses screenshots on this machine; nothing leaves it."""

    name = "local"

    def analyze(self, image: Image.Image) -> Analysis:
        """Words, typed elements and the spec's ``analysisResult`` of one screenshot."""
        rgb = np.asarray(image.convert("RGB"))
        words = read_words(rgb)
        elements = find_elements(rgb, words)
        result = build_analysis_result(rgb, words, elements, objects=[])
        return Analysis(
            width=image.width, height=image.height, elements=elements, analysis_result=result
        )

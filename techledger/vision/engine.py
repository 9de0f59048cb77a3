"""What every vision engine returns: an ``Analysis`` of one screenshot, made of ``Element``s."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from PIL import Image

from techledger.enums import ElementType


def bounding_box(left: int, top: int, width: int, height: int) -> dict[str, Any]:
    """The spec's ``DetectedElement.boundingBox``: top/left/width/height plus the 4 corner vertices."""
    left, top, width, height = int(left), int(top), int(width), int(height)
    right, bottom = left + width, top + height
    return {
        "top": top,
        "left": left,
        "width": width,
        "height": height,
        "vertices": [
            {"x": left, "y": top},
            {"x": right, "y": top},
            {"x": right, "y": bottom},
            {"x": left, "y": bottom},
        ],
    }


@dataclass
class Element:
    """One typed UI element found on a screenshot (a future ``DetectedElement`` row)."""

    element_type: ElementType
    bounding_box: dict[str, Any]
    text: str | None
    confidence: float
    properties: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the spec's camelCase keys."""
        return {
            "elementType": self.element_type.value,
            "boundingBox": self.bounding_box,
            "text": self.text,
            "confidence": round(float(self.confidence), 4),
            "properties": self.properties,
        }


@dataclass
class Analysis:
    """The result of analysing one screenshot."""

    width: int
    height: int
    elements: list[Element]
    analysis_result: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "elements": [e.to_dict() for e in self.elements],
            "analysisResult": self.analysis_result,
        }

    def to_json(self) -> str:
        """The analysis as one JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


class VisionEngine(Protocol):
    """Anything that turns a screenshot into an ``Analysis``."""

    name: str

    def analyze(self, image: Image.Image) -> Analysis: ...

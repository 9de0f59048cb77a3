"""Vision engines: find typed UI elements, words and visual properties in a screenshot."""

from __future__ import annotations

import os

from techledger.vision.engine import Analysis, Element, VisionEngine, bounding_box
from techledger.vision.properties import visual_hash, visual_hash_distance
from techledger.vision.validation import InvalidScreenshot, load_screenshot, make_thumbnail

__all__ = [
    "Analysis",
    "Element",
    "InvalidScreenshot",
    "VisionEngine",
    "bounding_box",
    "get_engine",
    "load_screenshot",
    "make_thumbnail",
    "visual_hash",
    "visual_hash_distance",
]


def get_engine(name: str | None = "local") -> VisionEngine:
    """The engine called ``name`` ("local" or "google"); ``None`` reads ``VISION_ENGINE`` (default local)."""
    name = (name or os.environ.get("VISION_ENGINE") or "local").lower()
    if name == "local":
        from techledger.vision.local import LocalVisionEngine

        return LocalVisionEngine()
    if name == "google":
        from techledger.vision.google import GoogleVisionEngine

        return GoogleVisionEngine()
    raise ValueError(f"Unknown vision engine {name!r}; choose 'local' or 'google'.")

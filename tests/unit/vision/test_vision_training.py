"""Training rows of one screenshot (``training.train_classifier.labelled_rows``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from techledger.vision.classify import CLASSES
from techledger.vision.training.train_classifier import HANDMADE_WEIGHT, labelled_rows


def _screenshot(folder: Path, pages: str | None) -> Path:
    """A white page with one bordered button reading "Save", its cached OCR and its truth."""
    img = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([100, 80, 180, 112], outline=(40, 40, 40), width=2, fill=(230, 236, 245))
    draw.text((124, 90), "Save", fill="black")
    img.save(folder / "shot.png")
    words = [{"text": "Save", "left": 124, "top": 90, "width": 24, "height": 11, "confidence": 0.9}]
    (folder / "shot.ocr.json").write_text(json.dumps(words))
    truth = {"image": "shot.png", "elements": [{"type": "BUTTON", "box": [100, 80, 81, 33]}]}
    if pages is not None:
        truth["pages"] = pages
    path = folder / "shot.json"
    path.write_text(json.dumps(truth))
    return path


@pytest.mark.parametrize(
    ("pages", "weight"),
    [("handmade", HANDMADE_WEIGHT), ("train", 1.0), ("train_extra", 1.0), (None, 1.0)],
)
def test_hand_written_pages_weigh_more_than_generated_ones(
    tmp_path: Path, pages: str | None, weight: float
) -> None:
    feats, y, cands, got = labelled_rows(_screenshot(tmp_path, pages))
    assert got == weight
    assert len(cands) == len(y) == feats.shape[0] > 0
    # the bordered box is labelled a BUTTON whatever the page's weight
    assert CLASSES.index("BUTTON") in set(y.tolist())
    assert HANDMADE_WEIGHT > 1.0

"""Candidate regions: a table drawn without a frame still gets one box over all its rows."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from techledger.vision.detect import box_candidates, edge_map, row_stack_candidates

UNIT = 14.0  # typical text height of the drawings below


def _candidates(image: Image.Image):  # noqa: ANN202
    rgb = np.asarray(image)
    edges = edge_map(rgb)
    return row_stack_candidates(edges, box_candidates(rgb, edges, []), UNIT)


def _covers(cands, box: tuple[int, int, int, int], slack: int = 4) -> bool:  # noqa: ANN001
    return any(all(abs(a - b) <= slack for a, b in zip(c.box(), box, strict=True)) for c in cands)


def test_rules_between_rows_make_one_table_box_with_and_without_the_header_row() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 341, 40):  # seven rules 40 px apart, no frame, no column lines
        draw.line([(50, y), (850, y)], fill=(220, 220, 220))
    cands = _candidates(image)
    assert _covers(cands, (50, 100, 801, 241))  # from the first rule
    assert _covers(cands, (50, 60, 801, 281))  # with the header row above it
    assert all(c.source == "rows" for c in cands)


def test_zebra_stripes_without_any_rule_make_a_table_box() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 400, 60):  # a tinted row every other row
        draw.rectangle([50, y, 850, y + 29], fill=(240, 242, 246))
    cands = _candidates(image)
    tops = {c.top for c in cands}
    assert cands and min(tops) <= 100 + 4
    assert any(c.bottom >= 370 and c.left <= 50 and c.right >= 848 for c in cands)


def test_two_rules_or_unequal_rules_are_not_a_table() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(50, 100), (850, 100)], fill=(200, 200, 200))
    draw.line([(50, 140), (850, 140)], fill=(200, 200, 200))
    draw.line([(50, 180), (500, 180)], fill=(200, 200, 200))  # another length: another block
    draw.line([(300, 220), (850, 220)], fill=(200, 200, 200))
    assert _candidates(image) == []


def test_a_word_box_reaching_past_the_image_edge_is_clipped_and_features_still_compute() -> None:
    """Tesseract once reported a 'D' 34 px tall at the last rows of a 768 px screenshot; the
    line candidate went 10 px past the bottom and feature extraction crashed on it."""
    from techledger.vision.classify import candidates_and_features
    from techledger.vision.ocr import Word

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((10, 185), "D", fill="black")
    words = [Word(text="D", confidence=0.0, left=8, top=176, width=8, height=34)]
    cands, feats = candidates_and_features(np.asarray(image), words)
    lines = [c for c in cands if c.source == "line"]
    assert [c.box() for c in lines] == [(8, 176, 8, 24)]
    assert feats.shape[0] == len(cands) and np.isfinite(feats).all()

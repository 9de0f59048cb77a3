"""Training rows of one screenshot (``training.train_classifier.labelled_rows``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
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


def test_only_screenshots_of_committed_training_pages_are_learned_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screenshot left in the training folder by a page since moved (one waiting in
    ``pages/handmade_next``) or deleted is not learned from; one of a committed page is."""
    from techledger.vision.training import train_classifier

    # the recipe's own pages are the project's evaluation pages
    assert (train_classifier.PAGES.parent / "render.py").is_file()
    pages = tmp_path / "pages"
    for folder, name in [("handmade", "a1_kept.html"), ("handmade_next", "b1_waiting.html")]:
        (pages / folder).mkdir(parents=True)
        (pages / folder / name).write_text("<html></html>")
    monkeypatch.setattr(train_classifier, "PAGES", pages)
    shots = tmp_path / "train"
    shots.mkdir()
    for stem, page in [
        ("kept", "a1_kept.html"),
        ("waiting", "b1_waiting.html"),  # rendered while it was in handmade/
        ("gone", "zz9_no_such_page.html"),
        ("no_page", ""),
    ]:
        (shots / f"{stem}.json").write_text(json.dumps({"page": page, "pages": "handmade"}))
    kept = sorted(p.stem for p in shots.glob("*.json") if train_classifier._of_a_training_page(p))
    assert kept == ["kept"]


def test_cached_ocr_is_read_again_only_when_its_screenshot_is_newer(tmp_path: Path) -> None:
    """``cache_ocr`` resumes: a screenshot's cached words are kept while they are newer than
    it; a screenshot rendered again after them (its page changed) is read again."""
    import os

    from techledger.vision.training.cache_ocr import _one

    png = _screenshot(tmp_path, "handmade").with_suffix(".png")
    cache = png.with_suffix(".ocr.json")
    cache.write_text("[]")
    os.utime(png, (1_000_000, 1_000_000))
    _one(png)
    assert cache.read_text() == "[]"
    os.utime(png, (cache.stat().st_mtime + 10,) * 2)
    _one(png)
    assert "Save" in {w["text"] for w in json.loads(cache.read_text())}


def test_a_cache_made_before_the_unread_ink_was_read_is_brought_up_to_date(tmp_path: Path) -> None:
    """``cache_ocr --unread``: cached words gain the short tokens their reading left unread,
    without the whole screenshot being read anew; each screenshot is done once, and one read
    afresh counts as done."""
    from techledger.vision.training.cache_ocr import UNREAD_DONE, main
    from tests.screenshot_images import _font as font

    img = Image.new("RGB", (520, 40), "white")
    draw = ImageDraw.Draw(img)
    for x, text in ((10, "Residential"), (200, "A"), (330, "3")):
        draw.text((x, 12), text, fill=(33, 37, 41), font=font(13))
    png = tmp_path / "old.png"
    img.save(png)
    ink = np.nonzero(np.asarray(img)[:, :150].max(axis=2) < 128)
    left, top = int(ink[1].min()), int(ink[0].min())
    word = {"text": "Residential", "confidence": 0.96, "left": left, "top": top}
    word |= {"width": int(ink[1].max()) - left + 1, "height": int(ink[0].max()) - top + 1}
    cache = png.with_suffix(".ocr.json")
    cache.write_text(json.dumps([word]))
    main([str(tmp_path), "1", "--unread"])
    assert [w["text"] for w in json.loads(cache.read_text())] == ["Residential", "A", "3"]
    assert (tmp_path / UNREAD_DONE).read_text().split() == ["old.png"]
    cache.write_text(json.dumps([word]))
    main([str(tmp_path), "1", "--unread"])  # done already: not read again
    assert [w["text"] for w in json.loads(cache.read_text())] == ["Residential"]

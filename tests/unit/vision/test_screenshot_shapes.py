"""The benchmark's other shapes of a screenshot (``benchmarks/screenshot_shapes.py``)."""

from __future__ import annotations

import pytest
from PIL import Image

from benchmarks.screenshot_shapes import reshape


def _screen() -> tuple[Image.Image, dict]:
    image = Image.new("RGB", (1000, 600), "white")
    image.paste((0, 0, 255), (250, 150, 350, 180))  # the button's pixels
    truth = {
        "width": 1000,
        "height": 600,
        "elements": [
            {"type": "BUTTON", "box": [250, 150, 100, 30], "text": "Save"},  # inside the crop
            {"type": "LINK", "box": [10, 10, 50, 12], "text": "Home"},  # outside it
            {"type": "TABLE", "box": [100, 300, 400, 200], "text": ""},  # crossed by its left
        ],
        "words": [
            {"text": "Save", "box": [280, 158, 40, 14]},
            {"text": "Home", "box": [10, 10, 50, 12]},
        ],
    }
    return image, truth


def test_screen_is_the_screenshot_as_rendered() -> None:
    image, truth = _screen()
    same, kept = reshape(image, truth, "screen")
    assert same is image and kept["elements"] == truth["elements"] and kept["ignore"] == []


def test_long_stacks_the_screen_twice_with_its_truth() -> None:
    image, truth = _screen()
    tall, long_truth = reshape(image, truth, "long")
    assert tall.size == (1000, 1200) and long_truth["height"] == 1200
    assert len(long_truth["elements"]) == 6 and len(long_truth["words"]) == 4
    assert long_truth["elements"][3]["box"] == [250, 750, 100, 30]
    assert tall.getpixel((300, 765)) == (0, 0, 255)  # the second button is where its box says
    assert truth["height"] == 600 and len(truth["elements"]) == 3  # the input is untouched


def test_crop_keeps_what_is_whole_in_it_and_ignores_what_it_cuts() -> None:
    image, truth = _screen()
    part, cropped = reshape(image, truth, "crop")
    assert part.size == (600, 420)  # 200..800 x 90..510
    assert [e["type"] for e in cropped["elements"]] == ["BUTTON"]
    assert cropped["elements"][0]["box"] == [50, 60, 100, 30]
    assert part.getpixel((100, 75)) == (0, 0, 255)
    assert cropped["ignore"] == [[0, 210, 300, 200]]  # the table's visible part
    assert [w["text"] for w in cropped["words"]] == ["Save"]


def test_an_unknown_shape_is_refused() -> None:
    image, truth = _screen()
    with pytest.raises(ValueError, match="screen, long, crop"):
        reshape(image, truth, "round")

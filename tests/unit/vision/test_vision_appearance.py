"""The coarse picture of each candidate (``appearance.appearance_features``)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from techledger.vision.appearance import (
    END,
    N_FEATURES,
    WHOLE,
    appearance_features,
    grid_means,
    summed_area,
)
from techledger.vision.detect import edge_map

N_WHOLE, N_END = WHOLE[0] * WHOLE[1], END[0] * END[1]


def _blocks(row: np.ndarray) -> tuple[np.ndarray, ...]:
    edges, shading = row[:N_WHOLE].reshape(WHOLE), row[N_WHOLE : 2 * N_WHOLE].reshape(WHOLE)
    left = row[2 * N_WHOLE : 2 * N_WHOLE + N_END].reshape(END)
    right = row[2 * N_WHOLE + N_END :].reshape(END)
    return edges, shading, left, right


def test_grid_means_equal_the_cells_means_measured_directly() -> None:
    values = np.random.default_rng(3).random((90, 130)).astype(np.float32)
    table = summed_area(values)
    boxes = np.array([[10, 20, 58, 44], [0, 0, 130, 90], [5, 7, 17, 15]], float)  # l, t, r, b
    for rows, cols in ((4, 12), (2, 3), (1, 1)):
        got = grid_means(table, boxes, rows, cols)
        for box, row in zip(boxes.astype(int), got, strict=True):
            l, t, r, b = box
            ys = np.round(np.linspace(t, b, rows + 1)).astype(int)
            xs = np.round(np.linspace(l, r, cols + 1)).astype(int)
            want = [
                values[ys[i] : ys[i + 1], xs[j] : xs[j + 1]].mean()
                for i in range(rows)
                for j in range(cols)
            ]
            assert np.allclose(row, want, atol=1e-5)


def test_a_checkbox_a_chevron_and_a_filled_button_look_as_they_are() -> None:
    image = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(image)
    # a text field with a checkbox-like square at its left and a chevron at its right
    draw.rectangle([20, 20, 259, 59], outline=(120, 120, 120))
    draw.rectangle([30, 30, 49, 49], outline=(60, 60, 60))
    draw.line([(230, 35), (238, 44), (246, 35)], fill=(40, 40, 40), width=2)
    # a filled blue button with a white bar of "text" in its middle
    draw.rectangle([20, 100, 179, 139], fill=(30, 90, 220))
    draw.rectangle([60, 116, 139, 123], fill="white")
    # ... and a light grey one with dark text: shading is distance from the fill, either way
    draw.rectangle([200, 100, 359, 139], fill=(230, 230, 230))
    draw.rectangle([240, 116, 319, 123], fill=(20, 20, 20))
    rgb = np.asarray(image)
    boxes = np.array([[20, 20, 240, 40], [20, 100, 160, 40], [200, 100, 160, 40]], float)
    feats = appearance_features(rgb, edge_map(rgb), boxes)
    assert feats.shape == (3, N_FEATURES) and feats.dtype == np.float32

    edges, _, left, right = _blocks(feats[0])
    assert edges[:, 0].min() > 0 and edges[1:3, 4:8].max() == 0  # its border; blank middle
    assert left[1:4, 1:4].max() > 0 and right[1:4, 1:4].max() > 0  # the square, the chevron
    assert left[:, 1:4].sum() > 2 * edges[:, 4:8].sum()

    for button in feats[1:]:
        _, shading, _, _ = _blocks(button)
        assert shading[1:3, 4:8].min() > shading[0, :].max()  # the text stands out of the fill


def test_boxes_at_or_past_the_page_edge_and_none_at_all() -> None:
    rgb = np.full((120, 160, 3), 255, np.uint8)
    rgb[:, 150:] = 0
    feats = appearance_features(rgb, edge_map(rgb), np.array([[140, 100, 40, 40], [0, 0, 1, 1]]))
    assert feats.shape == (2, N_FEATURES) and np.isfinite(feats).all()
    assert appearance_features(rgb, edge_map(rgb), np.zeros((0, 4))).shape == (0, N_FEATURES)

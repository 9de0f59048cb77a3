"""A coarse picture of each candidate: where its edges and its shading lie.

The hand-made features of ``features.py`` measure what we thought to measure (borders, fill,
text placement). These let the classifier see shapes nobody named: a chevron in a field's
right end, a box or a circle at a checkbox's or radio's left, a filled pill, a ruled table.
Per candidate, from summed-area tables of the whole page (a few lookups per cell, whatever
the box's size):

* edge density on a 4 x 12 grid over the box;
* how far each of those cells' mean brightness is from the box's (fill and ink shapes);
* edge density on a 5 x 5 grid over the square at the box's left end, and at its right end.
"""

from __future__ import annotations

import cv2
import numpy as np

WHOLE = (4, 12)
END = (5, 5)
N_FEATURES = 2 * WHOLE[0] * WHOLE[1] + 2 * END[0] * END[1]
_LUMA = np.array([0.299, 0.587, 0.114], np.float32) / 255.0


def summed_area(values: np.ndarray) -> np.ndarray:
    """``S[y, x]`` = sum of ``values[:y, :x]`` (one row and column of zeros in front), in
    float64. OpenCV's integral image of uint8 or float32 values: the same table as two
    cumulative sums (bit for bit on all 176 evaluation screenshots' brightness), in a tenth of
    the time or less."""
    return cv2.integral(np.ascontiguousarray(values), sdepth=cv2.CV_64F)


def grid_means(table: np.ndarray, boxes: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Mean value of each cell of a ``rows`` x ``cols`` grid laid over each (l, t, r, b) box,
    one row per box; a box thinner than its grid gets one-pixel cells (clipped to the page)."""
    l, t, r, b = boxes.T

    def cuts(start: np.ndarray, end: np.ndarray, n: int, limit: int) -> np.ndarray:
        c = np.round(start[:, None] + (end - start)[:, None] * np.arange(n + 1) / n).astype(int)
        for k in range(1, n + 1):  # at least one pixel a cell
            c[:, k] = np.maximum(c[:, k], c[:, k - 1] + 1)
        return np.clip(c, 0, limit)

    ys = cuts(t, b, rows, table.shape[0] - 1)
    xs = cuts(l, r, cols, table.shape[1] - 1)
    s = table[ys[:, :, None], xs[:, None, :]]
    sums = s[:, 1:, 1:] - s[:, :-1, 1:] - s[:, 1:, :-1] + s[:, :-1, :-1]
    area = np.diff(ys, axis=1)[:, :, None] * np.diff(xs, axis=1)[:, None, :]
    return (sums / np.maximum(1, area)).reshape(len(boxes), rows * cols)


def appearance_features(rgb: np.ndarray, edges: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """``N_FEATURES`` columns per (left, top, width, height) box: see the module's docstring."""
    if len(boxes) == 0:
        return np.zeros((0, N_FEATURES), np.float32)
    l, t = boxes[:, 0].astype(float), boxes[:, 1].astype(float)
    r, b = l + np.maximum(1, boxes[:, 2]), t + np.maximum(1, boxes[:, 3])
    side = np.minimum(r - l, b - t)
    whole = np.stack([l, t, r, b], axis=1)
    edge_table = summed_area(edges)
    light_table = summed_area(rgb.astype(np.float32) @ _LUMA)
    light = grid_means(light_table, whole, *WHOLE)
    shading = np.abs(light - grid_means(light_table, whole, 1, 1))
    return np.hstack(
        [
            grid_means(edge_table, whole, *WHOLE),
            shading,
            grid_means(edge_table, np.stack([l, t, l + side, b], axis=1), *END),
            grid_means(edge_table, np.stack([r - side, t, r, b], axis=1), *END),
        ]
    ).astype(np.float32)

"""The second stage's view of a candidate's neighbourhood (``features.context_features``)."""

from __future__ import annotations

import numpy as np

from techledger.vision.detect import Candidate
from techledger.vision.features import context_features

K = 3  # classes in these examples


def _blocks(row: np.ndarray) -> dict[str, np.ndarray]:
    names = ["own", "enclosing", "inside", "overlapping", "row", "row_n", "column", "column_n"]
    sizes = [K, K, K, K, K, 1, K, 1]
    out, at = {}, 0
    for name, size in zip(names, sizes, strict=True):
        out[name] = row[at : at + size]
        at += size
    return out


def test_each_candidate_sees_its_box_its_contents_its_row_and_its_column() -> None:
    cands = [
        Candidate(100, 100, 300, 40, "ring"),  # 0: a box ...
        Candidate(110, 112, 80, 14, "line"),  # 1: ... with a line in it
        Candidate(300, 300, 60, 14, "line"),  # 2: three lines on a row (a nav bar)
        Candidate(380, 300, 60, 14, "line"),  # 3
        Candidate(460, 300, 60, 14, "line"),  # 4
        Candidate(300, 340, 90, 14, "line"),  # 5: under line 2, same left edge
        Candidate(299, 299, 62, 16, "ring"),  # 6: a frame round line 2 (IoU > 0.5)
    ]
    probs = np.array([[0.1 * i, 0.5, 0.05 * i] for i in range(len(cands))], np.float32)
    feats = context_features(cands, probs, unit=14.0)
    assert feats.shape == (len(cands), 6 * K + 2)

    line_in_box = _blocks(feats[1])
    assert np.allclose(line_in_box["own"], probs[1])
    assert np.allclose(line_in_box["enclosing"], probs[0])  # the box round it
    assert line_in_box["row_n"][0] == 0 and np.all(line_in_box["row"] == -1)

    box = _blocks(feats[0])
    assert np.all(box["enclosing"] == -1)  # nothing round it
    assert np.allclose(box["inside"], probs[1])  # the line in it

    nav = _blocks(feats[3])
    assert nav["row_n"][0] == 2  # lines 2 and 4, not itself, not the boxes
    assert np.allclose(nav["row"], (probs[2] + probs[4]) / 2)

    first = _blocks(feats[2])
    assert np.allclose(first["enclosing"], probs[6])  # the frame holds it
    assert np.allclose(first["overlapping"], probs[6])
    assert first["column_n"][0] == 1 and np.allclose(first["column"], probs[5])


def test_no_candidates_give_no_rows() -> None:
    assert context_features([], np.zeros((0, K), np.float32), unit=14.0).shape[0] == 0

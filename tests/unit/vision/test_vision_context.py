"""The second stage's view of a candidate's neighbourhood (``features.context_features``)."""

from __future__ import annotations

import numpy as np
import pytest

from techledger.vision.detect import Candidate
from techledger.vision.features import BESIDE, beside_features, context_features

K = 3  # classes in these examples


def _blocks(row: np.ndarray) -> dict[str, np.ndarray]:
    names = ["own", "enclosing", "inside", "overlapping", "row", "row_n", "column", "column_n"]
    names += ["round_it"]
    names += ["box_below", "box_below_gap", "box_right", "box_right_gap"]
    names += ["box_left", "box_left_gap", "line_above", "line_above_gap"]
    names += ["line_left", "line_left_gap"]
    sizes = [K, K, K, K, K, 1, K, 1, K] + [K, 1] * 5
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
    assert feats.shape == (len(cands), 12 * K + 7)

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


def test_each_candidate_sees_what_lies_just_beside_it() -> None:
    """A form: a label over its field, a label before its field, a checkbox before its
    caption, and a cell in a table inside a card. Each sees its nearest neighbour on each side
    (boxes below, right and left; lines above and left) and how far it is in text heights."""
    cands = [
        Candidate(100, 100, 60, 14, "line"),  # 0: "Priority" ...
        Candidate(100, 120, 200, 32, "ring"),  # 1: ... over its field, 6 px below
        Candidate(100, 200, 50, 14, "line"),  # 2: "From" ...
        Candidate(170, 191, 200, 32, "ring"),  # 3: ... before its field, 20 px to the right
        Candidate(100, 260, 16, 16, "ring"),  # 4: a checkbox ...
        Candidate(124, 261, 90, 14, "line"),  # 5: ... before its caption, 8 px away
        Candidate(500, 100, 400, 300, "ring"),  # 6: a card ...
        Candidate(520, 140, 360, 200, "flat"),  # 7: ... holding a table ...
        Candidate(530, 150, 60, 14, "line"),  # 8: ... with a cell
        Candidate(100, 600, 60, 14, "line"),  # 9: a line far from everything
    ]
    probs = np.array([[0.1 * i, 1 - 0.1 * i, 0.01 * i] for i in range(len(cands))], np.float32)
    feats = context_features(cands, probs, unit=14.0)
    blocks = [_blocks(row) for row in feats]

    assert np.allclose(blocks[0]["box_below"], probs[1])
    assert blocks[0]["box_below_gap"][0] == pytest.approx(6 / 14)
    assert np.allclose(blocks[1]["line_above"], probs[0])  # the field sees its label
    assert blocks[1]["line_above_gap"][0] == pytest.approx(6 / 14)
    assert np.allclose(blocks[2]["box_right"], probs[3])
    assert blocks[2]["box_right_gap"][0] == pytest.approx(20 / 14)
    assert np.allclose(blocks[3]["line_left"], probs[2])
    assert np.allclose(blocks[5]["box_left"], probs[4])
    assert blocks[5]["box_left_gap"][0] == pytest.approx(8 / 14)
    assert np.all(blocks[5]["box_below"] == -1)  # the next field is too far below

    cell = blocks[8]
    assert np.allclose(cell["enclosing"], probs[7])  # the smallest box round it: the table
    assert np.allclose(cell["round_it"], np.maximum(probs[6], probs[7]))  # the card too
    assert np.all(cell["box_below"] == -1)  # the boxes round it are not beside it

    alone = blocks[9]
    for side in ("box_below", "box_right", "box_left", "line_above", "line_left"):
        assert np.all(alone[side] == -1) and alone[side + "_gap"][0] == -1


def test_the_first_stage_sees_how_far_and_how_big_its_neighbours_are() -> None:
    """``beside_features``: per side of ``BESIDE``, the nearest neighbour's distance, width and
    height in text heights, or -1 for all three."""
    unit = 14.0
    cands = [
        Candidate(100, 100, 60, 14, "line"),  # 0: a caption ...
        Candidate(100, 120, 210, 28, "ring"),  # 1: ... over its field
        Candidate(100, 260, 16, 16, "ring"),  # 2: a checkbox ...
        Candidate(124, 261, 90, 14, "line"),  # 3: ... before its caption
    ]
    feats = beside_features(cands, unit)
    assert feats.shape == (4, 3 * len(BESIDE))
    sides = {(side, of_boxes): 3 * k for k, (side, of_boxes, _) in enumerate(BESIDE)}

    def side(i: int, name: str, of_boxes: bool) -> list[float]:
        at = sides[name, of_boxes]
        return [round(float(v), 3) for v in feats[i, at : at + 3]]

    assert side(0, "below", True) == [round(6 / unit, 3), 15.0, 2.0]
    assert side(1, "above", False) == [round(6 / unit, 3), round(60 / unit, 3), 1.0]
    assert side(3, "left", True) == [round(8 / unit, 3), round(16 / unit, 3), round(16 / unit, 3)]
    assert side(3, "below", True) == [-1.0, -1.0, -1.0]  # nothing under the caption


@pytest.mark.parametrize("block", [7, 64])
def test_beside_features_in_blocks_equal_all_at_once(monkeypatch, block) -> None:  # noqa: ANN001
    import techledger.vision.features as features

    cands = _random_candidates(300, seed=6)
    whole = beside_features(cands, unit=13.0)
    monkeypatch.setattr(features, "NEIGHBOUR_ROWS", block)
    np.testing.assert_array_equal(beside_features(cands, unit=13.0), whole)
    assert (whole[:, 0] > 0).any() and (whole[:, 0] == -1).any()  # found and not found


def test_no_candidates_give_no_rows() -> None:
    assert context_features([], np.zeros((0, K), np.float32), unit=14.0).shape[0] == 0
    assert beside_features([], unit=14.0).shape == (0, 3 * len(BESIDE))


@pytest.mark.parametrize("block", [512, 7])
def test_neighbour_counts_of_all_candidates_at_once_equal_one_by_one(monkeypatch, block) -> None:  # noqa: ANN001
    """``features._neighbours`` counts every candidate's containers, inner boxes and lines and
    row and column neighbours with matrices; each count equals the one taken candidate by
    candidate, on boxes that nest, share rows and columns, and repeat, whether the matrices
    hold all candidates' rows at once or a few at a time."""
    import techledger.vision.features as features
    from techledger.vision.features import _neighbours

    monkeypatch.setattr(features, "NEIGHBOUR_ROWS", block)

    rng = np.random.default_rng(3)
    n, unit = 120, 11.0
    boxes = np.column_stack(
        [
            rng.integers(0, 60, n) * 5,
            rng.integers(0, 40, n) * 5,
            rng.integers(1, 30, n) * 4,
            rng.integers(1, 12, n) * 3,
        ]
    ).astype(float)
    boxes[10:20] = boxes[0:10]  # duplicates contain each other
    is_box = rng.random(n) < 0.5
    reach = 90.0  # a screen's height: columns are counted this far up and down
    n_cont, smallest, counts = _neighbours(boxes, is_box, unit, reach)
    L, T, W, H = boxes.T
    R, B = L + W, T + H
    for i in range(n):
        l, t, r, b = L[i], T[i], R[i], B[i]
        cont = (L <= l + 1) & (T <= t + 1) & (R >= r - 1) & (B >= b - 1) & is_box
        cont[i] = False
        assert n_cont[i] == cont.sum()
        if cont.any():
            assert smallest[i] == np.where(cont)[0][np.argmin((W * H)[cont])]
        inb = (L >= l - 1) & (T >= t - 1) & (R <= r + 1) & (B <= b + 1)
        inb[i] = False
        row = np.abs((T + B) / 2 - (t + b) / 2) < max(b - t, unit) * 0.6
        left = (np.abs(L - l) < 3) & (np.abs((T + B) / 2 - (t + b) / 2) < reach)
        expected = {
            "n_inner_boxes": (inb & is_box).sum(),
            "n_inner_lines": (inb & ~is_box).sum(),
            "small_box_left": (
                row & is_box & (R <= l + 2) & (R >= l - 3 * unit) & (W < 3 * unit)
            ).any(),
            "line_right": (row & ~is_box & (L >= r - 2) & (L <= r + 2.5 * unit)).any(),
            "line_left": (row & ~is_box & (R <= l + 2) & (R >= l - 6 * unit)).any(),
            "n_same_row_lines": (row & ~is_box).sum(),
            "n_same_left_lines": (left & ~is_box).sum(),
            "n_same_left_boxes": (left & is_box & (np.abs(H - (b - t)) < 4)).sum(),
        }
        assert list(counts) == list(expected)
        assert {k: counts[k][i] for k in counts} == expected, i
    assert all(n_cont[10 + k] >= 1 for k in range(10) if is_box[k])  # the copies are counted
    assert n_cont.max() > 1 and counts["n_inner_lines"].max() > 0  # the example nests
    far = _neighbours(boxes, is_box, unit, 10_000.0)[2]["n_same_left_lines"]
    assert (far > counts["n_same_left_lines"]).any()  # and some columns run past the reach


def _random_candidates(n: int, seed: int) -> list[Candidate]:
    rng = np.random.default_rng(seed)
    cands = [
        Candidate(
            int(rng.integers(0, 60)) * 10,
            int(rng.integers(0, 60)) * 10,
            int(rng.integers(1, 30)) * 8,
            int(rng.integers(1, 8)) * 7,
            "line" if rng.random() < 0.5 else "ring",
        )
        for _ in range(n)
    ]
    return cands + cands[: n // 5]  # duplicates hold each other


@pytest.mark.parametrize("block", [7, 64])
def test_context_features_in_blocks_equal_all_at_once(monkeypatch, block) -> None:  # noqa: ANN001
    """The second stage's features do not depend on how many candidates' rows the matrices
    hold at a time (up to float32 rounding of the means)."""
    import techledger.vision.features as features

    cands = _random_candidates(300, seed=1)
    probs = np.random.default_rng(2).random((len(cands), K)).astype(np.float32)
    whole = context_features(cands, probs, unit=13.0)
    monkeypatch.setattr(features, "NEIGHBOUR_ROWS", block)
    blocks = context_features(cands, probs, unit=13.0)
    assert blocks.shape == whole.shape
    np.testing.assert_allclose(blocks, whole, atol=1e-6)
    assert (whole[:, 3 * K : 4 * K] > 0).any() and (whole[:, 5 * K] > 0).any()  # rows, holders


def test_context_features_of_thousands_of_candidates_take_little_memory() -> None:
    """A long page has thousands of candidates: the second stage's features of 3,000 must not
    build 3,000 x 3,000 matrices (that took 1.9 GB at 6,000 candidates, over the 1.5 GB the
    whole analysis may use)."""
    import tracemalloc

    cands = _random_candidates(2500, seed=4)
    probs = np.random.default_rng(5).random((len(cands), 11)).astype(np.float32)
    tracemalloc.start()
    try:
        context_features(cands, probs, unit=13.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 150e6, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768), (2732, 1536), (900, 400)])
def test_a_screen_or_less_keeps_its_plain_positions(width, height) -> None:  # noqa: ANN001
    from techledger.vision.features import _screen

    screen_h, on_screen = _screen(width, height)
    assert screen_h == height
    assert [on_screen(y) for y in (0, height / 4, height)] == [0.0, 0.25, 1.0]


def test_a_long_page_keeps_its_ends_and_reads_its_middle_as_mid_screen() -> None:
    """A 1920-wide page three screens tall: its first half-screen and last half-screen keep the
    positions a screen gives them, all between is mid-screen, and the steps are continuous."""
    from techledger.vision.features import _screen

    screen_h, on_screen = _screen(1920, 3240)
    assert screen_h == 1080
    assert on_screen(0) == 0.0 and on_screen(270) == 0.25 and on_screen(540) == 0.5
    assert on_screen(1000) == on_screen(2000) == 0.5
    assert on_screen(3240 - 270) == 0.75 and on_screen(3240) == 1.0


def test_a_long_page_places_its_first_screen_like_a_screen() -> None:
    """A page three screens tall (a full-page capture): the candidates in its first screen's
    top half get the same position and size features as on the screen alone; ``y / H`` had
    squeezed them into the top sixth of the page."""
    from techledger.vision.detect import edge_map
    from techledger.vision.features import FEATURE_NAMES, candidate_features

    screen = np.full((540, 960, 3), 255, np.uint8)
    screen[40:80, 100:300] = (30, 90, 200)  # a filled button
    screen[200:260, 100:500] = (220, 220, 220)  # a panel
    page = np.vstack([screen] * 3)
    cands = [Candidate(100, 40, 200, 40, "ring"), Candidate(100, 200, 400, 60, "flat")]
    alone = candidate_features(screen, edge_map(screen), cands, 14.0)
    first = candidate_features(page, edge_map(page), cands, 14.0)
    for name in ("x_rel", "y_rel", "r_rel", "b_rel", "area_rel"):
        k = FEATURE_NAMES.index(name)
        np.testing.assert_allclose(first[:, k], alone[:, k], err_msg=name)

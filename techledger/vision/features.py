"""Numeric description of each candidate region, the input of the element classifier."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from techledger.vision.detect import Candidate

FEATURE_NAMES: list[str] = []


def _ring(img: np.ndarray, l: int, t: int, r: int, b: int, d: int) -> np.ndarray:
    """Pixels on the rectangle outline at distance ``d`` outside (d>0) or inside (d<0) the box."""
    H, W = img.shape[:2]
    l2, t2, r2, b2 = l - d, t - d, r - 1 + d, b - 1 + d
    l2, r2 = max(0, min(W - 1, l2)), max(0, min(W - 1, r2))
    t2, b2 = max(0, min(H - 1, t2)), max(0, min(H - 1, b2))
    if r2 <= l2 or b2 <= t2:
        return img[t2 : t2 + 1, l2 : l2 + 1].reshape(-1, *img.shape[2:])
    step = max(1, (r2 - l2) // 40)
    vstep = max(1, (b2 - t2) // 20)
    parts = [img[t2, l2:r2:step], img[b2, l2:r2:step], img[t2:b2:vstep, l2], img[t2:b2:vstep, r2]]
    return np.concatenate(parts, axis=0)


def _median_color(px: np.ndarray) -> np.ndarray:
    """Per-channel median, equal to ``np.median(px, axis=0)`` but 4x faster (thousands of calls)."""
    if px.size == 0:
        return np.zeros(3)
    t = np.ascontiguousarray(px.reshape(-1, 3).T)
    m = t.shape[1] // 2
    if t.shape[1] % 2:
        return np.partition(t, m, axis=1)[:, m].astype(np.float64)
    p = np.partition(t, (m - 1, m), axis=1)
    return (p[:, m - 1].astype(np.float64) + p[:, m]) / 2.0


def _median(values: np.ndarray) -> float:
    """``np.median`` of a short 1-D array, without its overhead (called per candidate)."""
    v = np.sort(values)
    n = len(v)
    return (float(v[(n - 1) // 2]) + float(v[n // 2])) / 2.0


def _lum(c: np.ndarray) -> float:
    return float(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255.0


def _sat(c: np.ndarray) -> float:
    return float(c.max() - c.min()) / 255.0


def _cdist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(float) - b.astype(float)).max()) / 255.0


def _geometry(cands: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates' (left, top, width, height) boxes as an n x 4 float array, and which of
    them are boxes rather than text lines."""
    boxes = np.array([c.box() for c in cands], dtype=np.float64).reshape(-1, 4)
    return boxes, np.array([c.source != "line" for c in cands], dtype=bool)


def candidate_features(
    rgb: np.ndarray, edges: np.ndarray, cands: list[Candidate], unit: float
) -> np.ndarray:
    """One row of features per candidate. ``unit`` is the typical text height in pixels."""
    H, W = edges.shape
    page_bg = _median_color(rgb[::16, ::16])
    boxes, is_box = _geometry(cands)
    L, T = boxes[:, 0], boxes[:, 1]
    R, B = L + boxes[:, 2], T + boxes[:, 3]
    words = _line_words(cands)
    wb = np.array([(w.left, w.top, w.right, w.bottom) for w in words], dtype=float).reshape(-1, 4)
    wcx, wcy = (wb[:, 0] + wb[:, 2]) / 2, (wb[:, 1] + wb[:, 3]) / 2
    screen_h, on_screen = _screen(W, H)
    n_containers, smallest_container, neighbours = _neighbours(boxes, is_box, unit, screen_h)
    rows = []
    enclosing_colour: dict[int, np.ndarray] = {}
    for i, c in enumerate(cands):
        l, t, r, b = int(L[i]), int(T[i]), int(R[i]), int(B[i])
        w, h = r - l, b - t
        f: dict[str, float] = {}
        f["src_line"] = float(c.source == "line")
        f["src_ring"] = float(c.source == "ring")
        f["src_flat"] = float(c.source == "flat")
        f["src_rows"] = float(c.source == "rows")  # a "panel" has none of these flags
        f["reading_piece"] = float(c.reading == "piece")
        f["reading_join"] = float(c.reading == "join")
        f["reading_icon"] = float(c.reading == "icon")
        f["reading_underline"] = float(c.reading == "underline")
        f["w_u"], f["h_u"] = w / unit, h / unit
        f["aspect"] = w / max(1, h)
        f["area_rel"] = w * h / (W * screen_h)
        f["x_rel"], f["y_rel"] = l / W, on_screen(t)
        f["r_rel"], f["b_rel"] = r / W, on_screen(b)
        # words inside (by centre)
        inside = (wcx >= l) & (wcx <= r) & (wcy >= t) & (wcy <= b) if len(wb) else np.zeros(0, bool)
        nw = int(inside.sum())
        f["n_words"] = nw
        if nw:
            ib = wb[inside]
            f["text_cover"] = float(
                ((ib[:, 2] - ib[:, 0]) * (ib[:, 3] - ib[:, 1])).sum() / max(1, w * h)
            )
            text_h = _median(ib[:, 3] - ib[:, 1])
            f["text_h_rel"] = float(text_h / max(1, h))
            f["text_h_u"] = float(text_h / unit)
            f["text_left_gap"] = float((ib[:, 0].min() - l) / unit)
            f["text_right_gap"] = float((r - ib[:, 2].max()) / unit)
            f["text_top_gap"] = float((ib[:, 1].min() - t) / unit)
            f["text_bottom_gap"] = float((b - ib[:, 3].max()) / unit)
            f["text_center_off"] = float(
                ((ib[:, 0].min() + ib[:, 2].max()) / 2 - (l + r) / 2) / max(1, w)
            )
            f["text_vcenter_off"] = float(
                ((ib[:, 1].min() + ib[:, 3].max()) / 2 - (t + b) / 2) / max(1, h)
            )
            ys = np.sort(np.unique(np.round(ib[:, 1] / max(2, unit * 0.6))))
            xs = np.unique(np.round(ib[:, 0] / max(2, unit)))
            f["n_text_rows"] = float(len(ys))
            f["n_text_cols"] = float(len(xs))
            f["text_w_frac"] = float((ib[:, 2].max() - ib[:, 0].min()) / max(1, w))
        else:
            for k in (
                "text_cover",
                "text_h_rel",
                "text_h_u",
                "text_left_gap",
                "text_right_gap",
                "text_top_gap",
                "text_bottom_gap",
                "text_center_off",
                "text_vcenter_off",
                "n_text_rows",
                "n_text_cols",
                "text_w_frac",
            ):
                f[k] = -1.0
        txt = " ".join(w.text for w in c.words) if c.source == "line" else ""
        f["n_chars"] = float(len(txt))
        f["has_digit"] = float(any(ch.isdigit() for ch in txt))
        f["title_case"] = float(bool(txt) and txt[0].isupper())
        f["ends_colon"] = float(txt.endswith(":"))
        f["has_dots"] = float("..." in txt or "@" in txt)
        f["mean_conf"] = float(np.mean([w.confidence for w in c.words])) if c.words else -1.0
        # colours
        crop = rgb[t:b, l:r]
        step = max(1, int(max(w, h) // 60))
        inner = crop[::step, ::step].reshape(-1, 3)
        bgc = _median_color(inner)
        ring_in = _median_color(_ring(rgb, l, t, r, b, -2))
        ring_edge = _ring(rgb, l, t, r, b, 0)
        ring_out = _median_color(_ring(rgb, l, t, r, b, 3))
        ring_out2 = _median_color(_ring(rgb, l, t, r, b, 8))
        f["bg_lum"], f["bg_sat"] = _lum(bgc), _sat(bgc)
        f["out_lum"], f["out_sat"] = _lum(ring_out), _sat(ring_out)
        f["in_out_diff"] = _cdist(bgc, ring_out)
        f["ringin_out_diff"] = _cdist(ring_in, ring_out)
        f["ringin_out2_diff"] = _cdist(ring_in, ring_out2)
        f["edge_ring_diff"] = _cdist(_median_color(ring_edge), ring_out)
        f["page_diff"] = _cdist(bgc, page_bg)
        f["page_lum"] = _lum(page_bg)
        # ink colour: pixels far from the background
        d = np.abs(inner.astype(int) - bgc.astype(int)).max(axis=1)
        ink = inner[d > 60]
        f["ink_frac"] = float(len(ink) / max(1, len(inner)))
        if len(ink):
            ic = _median_color(ink)
            f["ink_lum"], f["ink_sat"] = _lum(ic), _sat(ic)
            f["ink_contrast"] = _cdist(ic, bgc)
            f["ink_blue"] = float(ic[2] - (ic[0] + ic[1]) / 2) / 255.0
        else:
            f["ink_lum"] = f["ink_sat"] = f["ink_contrast"] = f["ink_blue"] = -1.0
        f["inner_std"] = float(inner.std()) / 255.0
        # edges: border presence, inside density, chevron zone
        e = edges[t:b, l:r]
        if e.size:
            f["edge_top"] = float(e[: min(2, h)].max(axis=0).mean())
            f["edge_bot"] = float(e[max(0, h - 2) :].max(axis=0).mean())
            f["edge_left"] = float(e[:, : min(2, w)].max(axis=1).mean())
            f["edge_right"] = float(e[:, max(0, w - 2) :].max(axis=1).mean())
            core = e[2 : max(3, h - 2), 2 : max(3, w - 2)]
            f["edge_inside"] = float(core.mean()) if core.size else 0.0
            rz = e[2 : max(3, h - 2), max(0, w - int(min(h, 2.2 * unit))) : max(1, w - 2)]
            f["edge_rightzone"] = float(rz.mean()) if rz.size else 0.0
            # corners: is the corner pixel the outside colour (rounded / circle)?
            k = max(1, min(w, h) // 6)
            cpx = np.array(
                [
                    rgb[t + k // 2, l + k // 2],
                    rgb[t + k // 2, r - 1 - k // 2],
                    rgb[b - 1 - k // 2, l + k // 2],
                    rgb[b - 1 - k // 2, r - 1 - k // 2],
                ]
            )
            f["corner_out"] = float(np.mean([_cdist(p, ring_out) < 0.06 for p in cpx]))
            # horizontal rules inside (table rows)
            rowsum = core.mean(axis=1) if core.size else np.zeros(1)
            f["n_hrules"] = float((rowsum > 0.85).sum()) / max(1, h / unit)
        else:
            for k in (
                "edge_top",
                "edge_bot",
                "edge_left",
                "edge_right",
                "edge_inside",
                "edge_rightzone",
                "corner_out",
                "n_hrules",
            ):
                f[k] = 0.0
        # underline just below a text line
        if c.source == "line" and b + 3 < H:
            f["underline"] = float(edges[b : b + 4, l:r].mean(axis=1).max()) if w > 0 else 0.0
        else:
            f["underline"] = -1.0
        # context among candidates
        f["n_containers"] = float(n_containers[i])
        if n_containers[i]:
            j = int(smallest_container[i])
            f["enc_w_ratio"] = float(boxes[j, 2] / max(1, w))
            f["enc_h_ratio"] = float(boxes[j, 3] / max(1, h))
            f["enc_h_u"] = float(boxes[j, 3] / unit)
            f["enc_w_u"] = float(boxes[j, 2] / unit)
            if j not in enclosing_colour:  # many candidates share one panel: measure it once
                ej = (int(L[j]), int(T[j]), int(R[j]), int(B[j]))
                enclosing_colour[j] = _median_color(rgb[ej[1] : ej[3] : 4, ej[0] : ej[2] : 4])
            ec = enclosing_colour[j]
            f["enc_lum"], f["enc_sat"] = _lum(ec), _sat(ec)
        else:
            f["enc_w_ratio"] = f["enc_h_ratio"] = f["enc_h_u"] = f["enc_w_u"] = -1.0
            f["enc_lum"] = f["enc_sat"] = -1.0
        for name in neighbours:
            f[name] = float(neighbours[name][i])
        rows.append(f)
    if not FEATURE_NAMES and rows:
        FEATURE_NAMES.extend(rows[0].keys())
    names = FEATURE_NAMES or list(rows[0].keys()) if rows else FEATURE_NAMES
    return np.array([[r[k] for k in names] for r in rows], dtype=np.float32).reshape(
        len(rows), len(names)
    )


SCREEN_ASPECT = 9 / 16  # height / width of the screens the classifier learned from


def _screen(W: int, H: int) -> tuple[int, Callable[[float], float]]:
    """The height of one screen of this width, and where a y of the image sits on such a
    screen, from 0 (its top) to 1 (its bottom). A screenshot taller than a screen (a whole
    long page, a portrait monitor) keeps its first screen's top half and its last screen's
    bottom half as they are; everything between is mid-screen (0.5), never squeezed towards
    the top as ``y / H`` would squeeze a long page's first screen."""
    screen_h = min(H, round(W * SCREEN_ASPECT))
    if screen_h >= H:
        return H, lambda y: y / H

    def on_screen(y: float) -> float:
        if y <= screen_h / 2:
            return y / screen_h
        if H - y <= screen_h / 2:
            return 1 - (H - y) / screen_h
        return 0.5

    return screen_h, on_screen


NEIGHBOUR_ROWS = 512  # candidates compared with all others at a time: memory stays linear


def _neighbours(
    boxes: np.ndarray, is_box: np.ndarray, unit: float, reach: float
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """What surrounds each candidate among the others, for all of them at once (row i of each
    matrix is candidate i, column j another candidate): how many boxes contain it and the
    smallest of them, and the counts of its inner boxes and lines and of its row and column
    neighbours, in the order they are features. A column counts the candidates less than
    ``reach`` (a screen's height) above or below: all of a screen, a part of a long page.
    The matrices are built ``NEIGHBOUR_ROWS`` rows at a time (a tall page has thousands of
    candidates)."""
    parts = [
        _neighbours_of(boxes, is_box, unit, reach, slice(k, k + NEIGHBOUR_ROWS))
        for k in range(0, len(boxes), NEIGHBOUR_ROWS)
    ]
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        {name: np.concatenate([p[2][name] for p in parts]) for name in parts[0][2]},
    )


def _own(values: np.ndarray, rows: slice) -> np.ndarray:
    """The values of the candidates in ``rows`` as a column, to set against every candidate's."""
    return values[rows, None]


def _nesting(boxes: np.ndarray, rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row i a candidate of ``rows``, column j any candidate: whether i holds j and whether j
    holds i (within a pixel; never itself, though an equal box holds it both ways), and
    whether j is another candidate than i."""
    L, T = boxes[:, 0], boxes[:, 1]
    R, B = L + boxes[:, 2], T + boxes[:, 3]
    l, t, r, b = _own(L, rows), _own(T, rows), _own(R, rows), _own(B, rows)
    alone = np.arange(len(boxes)) != _own(np.arange(len(boxes)), rows)
    holds = (L >= l - 1) & (T >= t - 1) & (R <= r + 1) & (B <= b + 1) & alone
    held = (L <= l + 1) & (T <= t + 1) & (R >= r - 1) & (B >= b - 1) & alone
    return holds, held, alone


def _neighbours_of(
    boxes: np.ndarray, is_box: np.ndarray, unit: float, reach: float, rows: slice
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """``_neighbours`` of the candidates in ``rows``."""
    L, T = boxes[:, 0], boxes[:, 1]
    R, B = L + boxes[:, 2], T + boxes[:, 3]
    W, H = boxes[:, 2], boxes[:, 3]

    def col(v: np.ndarray) -> np.ndarray:
        return _own(v, rows)

    inb, cont, _ = _nesting(boxes, rows)
    cont &= is_box
    smallest = np.argmin(np.where(cont, W * H, np.inf), axis=1)
    cy = (T + B) / 2
    same_row = np.abs(cy - col(cy)) < col(np.maximum(H, unit)) * 0.6
    lines = same_row & ~is_box
    same_left = (np.abs(L - col(L)) < 3) & (np.abs(cy - col(cy)) < reach)
    counts = {
        "n_inner_boxes": (inb & is_box).sum(axis=1),
        "n_inner_lines": (inb & ~is_box).sum(axis=1),
        "small_box_left": (
            same_row & is_box & (R <= col(L) + 2) & (R >= col(L) - 3 * unit) & (W < 3 * unit)
        ).any(axis=1),
        "line_right": (lines & (L >= col(R) - 2) & (L <= col(R) + 2.5 * unit)).any(axis=1),
        "line_left": (lines & (R <= col(L) + 2) & (R >= col(L) - 6 * unit)).any(axis=1),
        "n_same_row_lines": lines.sum(axis=1),
        "n_same_left_lines": (same_left & ~is_box).sum(axis=1),
        "n_same_left_boxes": (same_left & is_box & (np.abs(H - col(H)) < 4)).sum(axis=1),
    }
    return cont.sum(axis=1), smallest, counts


def _line_words(cands: list[Candidate]) -> list:
    """Every OCR word once: from the text lines as grouped (a word may also stand in a piece,
    a join or an icon reading of its line)."""
    return [w for c in cands if c.source == "line" and c.reading == "line" for w in c.words]


def typical_text_height(cands: list[Candidate]) -> float:
    """Median word height: the scale unit of the screenshot (bigger on high-DPI captures)."""
    hs = [w.height for w in _line_words(cands)]
    return float(np.median(hs)) if hs else 14.0


def context_features(cands: list[Candidate], probs: np.ndarray, unit: float) -> np.ndarray:
    """Second-stage features: what the first stage thinks of each candidate's neighbourhood.

    Per candidate, the class probabilities of the smallest box around it, the highest of the
    candidates inside it and of those overlapping it (IoU > 0.5), the mean over the text
    lines beside it on its row and in its column (with their counts), the highest over all
    the boxes round it, and its nearest neighbours on each side of ``BESIDE`` with their
    distances. A plain line among lines that look like links is a link too (a nav bar, a tab
    strip); text inside something that looks like an input is its value, not a label; a line
    just above a field is the field's label. Like ``_neighbours``, the candidate-by-candidate
    matrices are built ``NEIGHBOUR_ROWS`` candidates at a time."""
    n, k = probs.shape
    if n == 0:
        return np.zeros((0, (7 + len(BESIDE)) * k + 2 + len(BESIDE)), np.float32)
    probs = probs.astype(np.float32)
    boxes, is_box = _geometry(cands)
    return np.vstack(
        [
            _context_of(boxes, is_box, probs, unit, slice(at, at + NEIGHBOUR_ROWS))
            for at in range(0, n, NEIGHBOUR_ROWS)
        ]
    )


def _context_of(
    boxes: np.ndarray, is_box: np.ndarray, probs: np.ndarray, unit: float, rows: slice
) -> np.ndarray:
    """``context_features`` of the candidates in ``rows`` (row i of each matrix is one of
    them, column j any candidate)."""
    L, T, Wd, Ht = boxes.T
    R, B = L + Wd, T + Ht
    area = np.maximum(1.0, Wd * Ht)

    def col(v: np.ndarray) -> np.ndarray:
        return _own(v, rows)

    holds, held, alone = _nesting(boxes, rows)
    enclosing = np.where(held & is_box, area, np.inf)
    nearest = enclosing.argmin(axis=1)
    f_enclosing = np.where(np.isfinite(enclosing.min(axis=1))[:, None], probs[nearest], -1.0)
    inter = np.clip(np.minimum(col(R), R) - np.maximum(col(L), L), 0, None)
    inter *= np.clip(np.minimum(col(B), B) - np.maximum(col(T), T), 0, None)
    overlapping = (inter / (col(area) + area - inter) > 0.5) & alone
    del inter
    cy = (T + B) / 2
    taller = np.maximum(np.maximum(col(Ht), Ht), unit)
    gap = np.maximum(L - col(R), col(L) - R)
    row = (
        (np.abs(col(cy) - cy) < 0.6 * taller)
        & (np.abs(col(Ht) - Ht) < 0.5 * unit + 0.2 * col(Ht))
        & (gap < 8 * unit)
        & ~is_box
        & ~holds
        & ~held
        & alone
    )
    del taller, gap
    column = (np.abs(col(L) - L) < 3) & (np.abs(col(cy) - cy) < 10 * unit) & ~is_box & alone
    parts = [probs[rows], f_enclosing, _masked_max(holds, probs), _masked_max(overlapping, probs)]
    for near in (row, column):
        count = near.sum(axis=1)
        mean = (near.astype(np.float32) @ probs) / np.maximum(1, count)[:, None]
        parts += [np.where(count[:, None] > 0, mean, -1.0), count[:, None]]
    # the likeliest of each type among all the boxes round it (a cell's table is not its smallest)
    parts.append(_masked_max(held & is_box, probs))
    parts += _verdicts_beside(boxes, is_box, probs, unit, rows, ~holds & ~held & alone)
    return np.hstack(parts).astype(np.float32).reshape(len(probs[rows]), -1)


# where a candidate's nearest neighbour is looked for: (side, boxes or text lines, how far in
# text heights). A field lies under or beside its label, a checkbox before its caption, and a
# field's label above it or before it.
BESIDE = (
    ("below", True, 2.5),
    ("right", True, 6.0),
    ("left", True, 4.0),
    ("above", False, 2.5),
    ("left", False, 6.0),
)


def _beside(
    boxes: np.ndarray,
    is_box: np.ndarray,
    unit: float,
    rows: slice,
    apart: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per ``BESIDE`` entry, the nearest such neighbour of each candidate in ``rows`` and how
    far it is in text heights (index -1 and gap -1 when there is none; ``apart``: the
    candidates neither holding nor held by it). Below and above mean overlapping columns,
    right and left the other's box level with the candidate's middle."""
    L, T, Wd, Ht = boxes.T
    R, B = L + Wd, T + Ht
    own_l, own_t, own_r, own_b = (_own(v, rows) for v in (L, T, R, B))
    own_cy = (own_t + own_b) / 2
    across = (np.minimum(own_r, R) - np.maximum(own_l, L)) > 0
    level = (own_cy >= T) & (own_cy <= B) & (np.abs(Ht - _own(Ht, rows)) < 4 * unit)
    gaps = {
        "below": lambda: T - own_b,
        "above": lambda: own_t - B,
        "right": lambda: L - own_r,
        "left": lambda: own_l - R,
    }
    out = []
    for side, of_boxes, reach in BESIDE:
        gap = gaps[side]()
        lined_up = across if side in ("below", "above") else level
        # touching is beside: a box may overlap its neighbour by a border or a shadow
        slack = 0.3 * unit if side in ("below", "above") else 2.0
        near = apart & lined_up & (is_box == of_boxes) & (gap > -slack) & (gap < reach * unit)
        gap = np.where(near, gap, np.inf)
        j = gap.argmin(axis=1)
        nearest = gap[np.arange(len(gap)), j]
        found = np.isfinite(nearest)
        out.append((np.where(found, j, -1), np.where(found, nearest / unit, -1.0)))
    return out


def beside_features(cands: list[Candidate], unit: float) -> np.ndarray:
    """Per candidate and ``BESIDE`` entry, how far its nearest such neighbour is and its width
    and height, in text heights (-1 when there is none): a field under or beside its caption,
    a checkbox before its own."""
    if not cands:
        return np.zeros((0, 3 * len(BESIDE)), np.float32)
    boxes, is_box = _geometry(cands)
    blocks = []
    for at in range(0, len(cands), NEIGHBOUR_ROWS):
        rows = slice(at, at + NEIGHBOUR_ROWS)
        holds, held, alone = _nesting(boxes, rows)
        parts = []
        for j, gap in _beside(boxes, is_box, unit, rows, ~holds & ~held & alone):
            size = np.where(j[:, None] >= 0, boxes[j, 2:] / unit, -1.0)
            parts += [gap[:, None], size]
        blocks.append(np.hstack(parts))
    return np.vstack(blocks).astype(np.float32)


def _verdicts_beside(
    boxes: np.ndarray,
    is_box: np.ndarray,
    probs: np.ndarray,
    unit: float,
    rows: slice,
    apart: np.ndarray,
) -> list[np.ndarray]:
    """The first stage's probabilities of each ``BESIDE`` neighbour and its distance (-1 for
    both when there is none)."""
    parts = []
    for j, gap in _beside(boxes, is_box, unit, rows, apart):
        parts += [np.where(j[:, None] >= 0, probs[j], -1.0), gap[:, None]]
    return parts


def _masked_max(mask: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Per row i and class c, the largest ``probs[j, c]`` over the j with ``mask[i, j]`` (0 if none)."""
    out = np.zeros((len(mask), probs.shape[1]), np.float32)
    for c in range(probs.shape[1]):
        out[:, c] = np.where(mask, probs[None, :, c], 0.0).max(axis=1, initial=0.0)
    return out

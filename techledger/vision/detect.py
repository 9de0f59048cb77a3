"""Candidate regions of a screenshot: boxes from colour edges, and lines of OCR words."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from techledger.vision.ocr import Word

EDGE_THRESHOLD = 6  # largest channel step between neighbour pixels that counts as an edge


@dataclass
class Candidate:
    """A region that may be a UI element; ``source`` says where it came from."""

    left: int
    top: int
    width: int
    height: int
    source: str  # "ring" (edge component), "flat" (region between edges), "line" (OCR words),
    # "rows" (a stack of row rules or stripes: a table without a frame)
    words: list[Word] = field(default_factory=list)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def box(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.width, self.height)


def edge_map(rgb: np.ndarray) -> np.ndarray:
    """uint8 mask of pixels where colour steps by more than ``EDGE_THRESHOLD`` to the right or below."""
    rgb = np.ascontiguousarray(rgb)
    dx = cv2.absdiff(rgb[:, 1:], rgb[:, :-1])
    dy = cv2.absdiff(rgb[1:, :], rgb[:-1, :])
    dxm = cv2.max(cv2.max(dx[..., 0], dx[..., 1]), dx[..., 2])
    dym = cv2.max(cv2.max(dy[..., 0], dy[..., 1]), dy[..., 2])
    e = np.zeros(rgb.shape[:2], np.uint8)
    e[:, :-1] |= (dxm > EDGE_THRESHOLD).view(np.uint8)
    e[:-1, :] |= (dym > EDGE_THRESHOLD).view(np.uint8)
    return e


def _glyph_of_word(box: tuple[int, int, int, int], wb: np.ndarray) -> bool:
    """True when the box lies inside a word's box and is narrower than it: a letter, not a control."""
    if len(wb) == 0:
        return False
    l, t, w, h = box
    inside = (
        (wb[:, 0] <= l + 1)
        & (wb[:, 1] <= t + 1)
        & (wb[:, 2] >= l + w - 1)
        & (wb[:, 3] >= t + h - 1)
    )
    return bool((inside & (wb[:, 2] - wb[:, 0] > w + 4)).any())


def box_candidates(rgb: np.ndarray, edges: np.ndarray, words: list[Word]) -> list[Candidate]:
    """Boxes of connected edge rings and of flat regions bounded by edges, without glyphs."""
    h_img, w_img = edges.shape
    wb = np.array([(w.left, w.top, w.right, w.bottom) for w in words], dtype=np.int32).reshape(
        -1, 4
    )
    out: list[Candidate] = []
    seen: set[tuple[int, int, int, int]] = set()

    def add(l: int, t: int, w: int, h: int, src: str) -> None:
        if w < 8 or h < 8 or w * h > 0.9 * w_img * h_img:
            return
        if w < 12 and h < 12:
            return
        key = (l // 2, t // 2, w // 2, h // 2)
        if key in seen or (w < 40 and _glyph_of_word((l, t, w, h), wb)):
            return
        seen.add(key)
        out.append(Candidate(l, t, w, h, src))

    thick = cv2.dilate(edges, np.ones((3, 3), np.uint8))  # closes anti-aliased corner gaps
    n, _, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    for i in range(1, n):
        l, t, w, h, area = stats[i]
        add(int(l), int(t), int(w), int(h), "ring")
    n, _, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    for i in range(1, n):
        l, t, w, h, area = stats[i]
        add(int(l) + 1, int(t) + 1, int(w) - 2, int(h) - 2, "ring")
    flat = (1 - thick).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    for i in range(1, n):
        l, t, w, h, area = stats[i]
        if area < 0.4 * w * h:  # ragged: leaked around things, not a box interior
            continue
        l0, t0 = max(0, l - 2), max(0, t - 2)
        add(
            int(l0),
            int(t0),
            int(min(w_img, l + w + 2) - l0),
            int(min(h_img, t + h + 2) - t0),
            "flat",
        )
    return out


def text_lines(words: list[Word], edges: np.ndarray) -> list[Candidate]:
    """Group words into visual lines; a wide gap or a vertical edge between words splits a line."""
    ws = sorted(words, key=lambda w: (w.top + w.height / 2, w.left))
    lines: list[list[Word]] = []
    for w in sorted(ws, key=lambda w: w.left):
        best = None
        for line in lines:
            last = line[-1]
            ov = min(last.bottom, w.bottom) - max(last.top, w.top)
            hmax = max(last.height, w.height)
            gap = w.left - last.right
            if ov >= 0.5 * min(last.height, w.height) and -2 <= gap <= 0.9 * hmax:
                if gap > 2 and _edge_between(edges, last, w):
                    continue
                best = line
                break
        if best is None:
            lines.append([w])
        else:
            best.append(w)
    out = []
    h_img, w_img = edges.shape
    for line in lines:
        # clipped to the image: an OCR engine may report a box reaching past its edge
        l = max(0, min(w.left for w in line))
        t = max(0, min(w.top for w in line))
        r = min(w_img, max(w.right for w in line))
        b = min(h_img, max(w.bottom for w in line))
        if r > l and b > t:
            out.append(Candidate(l, t, r - l, b - t, "line", words=line))
    return out


def _edge_between(edges: np.ndarray, a: Word, b: Word) -> bool:
    t = max(a.top, b.top)
    bot = min(a.bottom, b.bottom)
    if bot - t < 3:
        return False
    band = edges[t:bot, a.right + 1 : b.left - 1]
    if band.size == 0:
        return False
    return bool((band.mean(axis=0) > 0.8).any())


def row_stack_candidates(edges: np.ndarray, boxes: list[Candidate], unit: float) -> list[Candidate]:
    """Tables drawn without an outer frame: rules between rows, or zebra stripes, stacked at a
    steady pitch with the same left and right ends. Neither makes one connected ring, so the
    edge and flat candidates never cover such a table whole; this adds the box of each stack
    (once from its first rule, once from one row above it, where a header sits)."""
    h_img = edges.shape[0]
    min_len = int(max(60, 8 * unit))
    rules = cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((1, min_len), np.uint8))
    _n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    segments = [  # (left, right, y)
        (int(l), int(l + w), int(t)) for l, t, w, h, _area in stats[1:] if h <= 3
    ]
    # zebra stripes: flat regions one row tall and wide; their top and bottom are row bounds
    for c in boxes:
        if c.source == "flat" and c.height < 3.5 * unit and c.width >= min_len:
            segments += [(c.left, c.right, c.top), (c.left, c.right, c.bottom)]
    groups: list[list[tuple[int, int, int]]] = []
    for seg in sorted(segments, key=lambda s: s[2]):
        same_ends = (
            g
            for g in groups
            if abs(g[0][0] - seg[0]) <= 4
            and abs(g[0][1] - seg[1]) <= 4
            and 0 < seg[2] - g[-1][2] <= 5 * unit
        )
        group = next(same_ends, None)
        if group is None:
            groups.append([seg])
        elif seg[2] - group[-1][2] > 2:  # a 2 px rule or a stripe edge beside a rule is one bound
            group.append(seg)
    out = []
    for g in groups:
        ys = sorted({y for _, _, y in g})
        if len(ys) < 3:
            continue
        pitch = float(np.median(np.diff(ys)))
        if pitch < 1.2 * unit:
            continue
        left = min(s[0] for s in g)
        right = max(s[1] for s in g)
        bottom = min(h_img, ys[-1] + 1)
        for top in (ys[0], max(0, int(ys[0] - pitch))):
            out.append(Candidate(left, top, right - left, bottom - top, "rows"))
    return out

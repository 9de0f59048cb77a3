"""Candidate regions of a screenshot: boxes from colour edges, and lines of OCR words."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

import cv2
import numpy as np

from techledger.vision.ocr import ALNUM, Word

EDGE_THRESHOLD = 6  # largest channel step between neighbour pixels that counts as an edge
PANEL_ENDS = 2  # px two stacked flat regions' left and right ends may differ in one panel
PANEL_GAP = (-6, 3)  # px from one region's bottom to the next one's top (they overlap by
# their 2 px margins round a 1-2 px rule, or just touch)


@dataclass
class Candidate:
    """A region that may be a UI element; ``source`` says where it came from."""

    left: int
    top: int
    width: int
    height: int
    source: str  # "ring" (edge component), "flat" (region between edges), "line" (OCR words),
    # "rows" (a stack of row rules or stripes: a table without a frame), "panel" (flat regions
    # stacked between full-width rules: a floating menu over the page)
    words: list[Word] = field(default_factory=list)
    # of a "line": "line" (words grouped by gaps and rules), "piece" (a part of one between its
    # wider gaps), "join" (two lines of a row read as one) or "icon" (a line with the small mark
    # just before or after it)
    reading: str = "line"

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


_RING_GLYPHS = set("O0oQ@©®°")
# what OCR reads in the gaps of a row of rings: "@.0,0,.0" is five radios, not a number
_BETWEEN_RINGS = set(".,_-'`:;/|")
RING_SHARE = 0.6  # of an unsure word's characters, at least this many rings: a row of controls
UNSURE = 0.7  # OCR confidence below which a word may be rings misread ("0O.0,6.0", "o70'0")


def rings_only(word: Word) -> bool:
    """True when a word is a row of radios or checkboxes read as letters ("O", "@0", "0.@.0"),
    or an unsure reading made mostly of rings (a grid of radios and checkboxes)."""
    core = [c for c in word.text if c not in _BETWEEN_RINGS]
    if not core:
        return False
    rings = sum(c in _RING_GLYPHS for c in core)
    if rings == len(core):
        return True
    return word.confidence < UNSURE and len(core) >= 3 and rings >= RING_SHARE * len(core)


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
    # a "word" of rings only is a row of radios or checkboxes read as letters: the boxes
    # inside it are controls, not glyphs
    lettered = [w for w in words if not rings_only(w)]
    wb = np.array([(w.left, w.top, w.right, w.bottom) for w in lettered], dtype=np.int32).reshape(
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
    """Group words into visual lines; a wide gap or a vertical edge between words splits a line.

    Where a line could be read two ways, both readings are candidates and the classifier
    chooses: a line is also offered in the pieces between its wider gaps (a caption and its
    value side by side: ``reading == "piece"``), two lines of one row are also offered
    joined when little separates them (a symbol OCR does not read, such as the "+" of
    "Me + spouse": ``reading == "join"``), a line is also offered with a count at the far
    end of its row (a nav item's "Assigned ... 87", also a "join"), a line is also offered
    with the small mark just before or after it (a nav item's icon, a chevron: ``reading ==
    "icon"``) or centred above it (a toolbar button's or a nav rail's icon over its caption,
    also an "icon"), and with the padding round it down to a bar under it that overhangs it
    on both sides (an open tab: ``reading == "underline"``)."""
    lines = _group_lines(words, edges)
    out: list[Candidate] = []
    seen: set[tuple[int, int, int, int]] = set()

    def add(group: list[Word], reading: str, box: tuple[int, int, int, int] | None = None) -> None:
        l, t, r, b = box or _extent(group, edges.shape)
        if r > l and b > t and (l, t, r, b) not in seen:
            seen.add((l, t, r, b))
            out.append(Candidate(l, t, r - l, b - t, "line", words=group, reading=reading))

    for line in lines:
        add(line, "line")
    for line in lines:
        pieces = _pieces(line)
        if len(pieces) > 1:
            for piece in pieces:
                add(piece, "piece")
    for a, b in _joinable(lines, edges):
        add(a + b, "join")
    for a, b in _counted(lines, edges):
        add(a + b, "join")
    # words read surely: an icon is often read as a short unsure "word" ("hl", "C")
    sure = [w for w in words if w.confidence >= UNSURE and len(ALNUM.findall(w.text)) >= 2]
    boxes = np.array([(w.left, w.top, w.right, w.bottom) for w in sure], np.int32).reshape(-1, 4)
    for line in lines:
        for box in _with_icons(line, edges):
            add(line, "icon", box)
        above = _under_an_icon(line, edges, boxes)
        if above:
            add(line, "icon", above)
    for line in lines:
        tab = _over_a_bar(line, edges)
        if tab:
            add(line, "underline", tab)
    return out


def _extent(group: list[Word], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the words, clipped to the image: an OCR engine may report
    a box reaching past its edge."""
    h_img, w_img = shape[:2]
    return (
        max(0, min(w.left for w in group)),
        max(0, min(w.top for w in group)),
        min(w_img, max(w.right for w in group)),
        min(h_img, max(w.bottom for w in group)),
    )


ICON_GAP = 1.2  # an icon this close (in word heights) to a line's end belongs with it
ICON_SIZE = 1.8  # and is at most this many word heights wide


def _with_icons(line: list[Word], edges: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The line's box (l, t, r, b) grown over a small mark just before it (a nav item's icon)
    or just after it (a chevron), and over both, when such marks stand alone there."""
    h_img, w_img = edges.shape
    l, t, r, b = _extent(line, edges.shape)
    h = b - t
    if h < 3 or r <= l:
        return []
    pad = int(0.4 * h)
    band = edges[max(0, t - pad) : min(h_img, b + pad)]
    reach, size = int(ICON_GAP * h), int(ICON_SIZE * h)

    def mark(lo: int, hi: int, towards_text_at_hi: bool) -> tuple[int, int] | None:
        lo, hi = max(0, lo), min(w_img, hi)
        if hi - lo < 3:
            return None
        cols = np.nonzero(band[:, lo:hi].any(axis=0))[0]
        if not len(cols):
            return None
        # the run of inked columns nearest the text, closed over gaps of up to 2 px
        cols = cols[::-1] if towards_text_at_hi else cols
        run = [cols[0]]
        for c in cols[1:]:
            if abs(c - run[-1]) > 3:
                break
            run.append(c)
        a, z = lo + min(run), lo + max(run) + 1
        if z - a > size or z - a < 3:
            return None
        # alone: nothing inked in the stretch beyond it
        beyond = band[:, max(0, a - pad) : a] if towards_text_at_hi else band[:, z : z + pad]
        if beyond.any():
            return None
        rows = np.nonzero(band[:, a:z].any(axis=1))[0]
        return (a, z) if rows[-1] - rows[0] <= 1.6 * h else None

    before = mark(l - reach - size, l - 1, True)
    after = mark(r + 1, r + reach + size, False)
    out = []
    if before:
        out.append((before[0], t, r, b))
    if after:
        out.append((l, t, after[1], b))
    if before and after:
        out.append((before[0], t, after[1], b))
    return out


BAR_REACH = 2.0  # an open tab's bar lies at most this many text heights below its text
BAR_OVERHANG = (0.4, 3.0)  # and overhangs the text on each side by this much (text heights)
BAR_THICKNESS = 6  # pixels, at most
BAR_GAP_INK = 0.1  # more of the row under the text inked than this, and no bar can follow
BAR_SIDE = 0.35  # a side rising from a bar's end over this much of the text's height: a box


ABOVE_GAP = 1.6  # word heights: an icon at most this far above a caption is the caption's
ABOVE_SIZE = 2.6  # and at most this many word heights tall


def _under_an_icon(
    line: list[Word], edges: np.ndarray, words: np.ndarray
) -> tuple[int, int, int, int] | None:
    """The line's box (l, t, r, b) grown up over a mark centred just above it, standing alone
    there (no text in it, nothing inked round it): the icon of a toolbar button or of a nav
    rail's item, drawn over its caption."""
    w_img = edges.shape[1]
    l, t, r, b = _extent(line, edges.shape)
    h = b - t
    if h < 3 or r <= l:
        return None
    cx, half = (l + r) / 2, max(r - l, 2 * h) / 2
    x0, x1 = int(max(0, cx - half - h)), int(min(w_img, cx + half + h))
    top = max(0, t - int((ABOVE_GAP + ABOVE_SIZE) * h))
    rows = np.nonzero(edges[top : t - 1, x0:x1].any(axis=1))[0]
    if not len(rows) or t - 1 - (top + rows[-1]) > ABOVE_GAP * h:
        return None
    z = top + rows[-1] + 1
    a = z - 1
    for y in rows[::-1] + top:  # the run of inked rows nearest the caption, gaps of 2 px closed
        if a - y > 3:
            break
        a = y
    if not 0.6 * h <= z - a <= ABOVE_SIZE * h:
        return None
    cols = np.nonzero(edges[a:z, x0:x1].any(axis=0))[0]
    ia, iz = x0 + cols[0], x0 + cols[-1] + 1
    if ia <= x0 or iz >= x1 or abs((ia + iz) / 2 - cx) > 0.25 * max(r - l, h):
        return None  # wider than the caption's reach (a rule, a box), or not centred over it
    if edges[max(0, a - h // 2) : a, x0:x1].any():
        return None  # more ink just above: not a mark standing alone
    if (
        len(words)
        and ((words[:, 0] < iz) & (words[:, 2] > ia) & (words[:, 1] < z) & (words[:, 3] > a)).any()
    ):
        return None  # text read surely: the line above, not an icon
    return (min(l, int(ia)), int(a), max(r, int(iz)), b)


def _over_a_bar(line: list[Word], edges: np.ndarray) -> tuple[int, int, int, int] | None:
    """The box (l, t, r, b) of an open tab read from its text: a bar (or rule) a little below
    the line runs past both its ends but stops soon after them; the box spans the bar and is
    padded above the text as much as below it. A link's own underline does not overhang it and
    a divider does not stop."""
    h_img, w_img = edges.shape
    l, t, r, b = _extent(line, edges.shape)
    h = b - t
    if h < 4 or r - l < h:
        return None
    lo, hi = max(0, l - int(BAR_OVERHANG[1] * h) - 1), min(w_img, r + int(BAR_OVERHANG[1] * h) + 1)
    bottom = min(h_img, b + int(BAR_REACH * h) + 1)
    for y in range(b, bottom):
        row = edges[y, lo:hi]
        if not row[l - lo : r - lo].all():
            if row[l - lo : r - lo].mean() > BAR_GAP_INK:
                return None  # ink under the text that is not a bar
            continue
        left, right = l - lo, r - lo
        while left > 0 and row[left - 1]:
            left -= 1
        while right < len(row) and row[right]:
            right += 1
        if left == 0 or right == len(row):
            return None  # runs on: a divider, not a tab's bar
        if min(l - lo - left, right - (r - lo)) < BAR_OVERHANG[0] * h:
            return None  # a link's underline
        last = y
        for y2 in range(y + 1, min(h_img, y + BAR_THICKNESS + 1)):
            if edges[y2, l:r].all():
                last = y2
        x0, x1 = lo + left, lo + right
        # a side rising from either end (past a rounded corner)
        beside = edges[t:b, max(0, x0 - h // 2) : x0 + 2].any(axis=1).mean()
        beside = max(beside, edges[t:b, max(0, x1 - 2) : x1 + h // 2].any(axis=1).mean())
        if beside > BAR_SIDE:
            return None  # the bottom of a box round the text (a button, a pill): a box of its own
        pad = last + 1 - b
        return (x0, max(0, t - pad), x1, last + 1)
    return None


def _group_lines(words: list[Word], edges: np.ndarray) -> list[list[Word]]:
    """Words in visual lines, left to right: each word, from the leftmost, joins the first line
    (in the order they were started) whose last word it continues. A line whose last word ends
    further left than any word can continue it is set aside (a long page has thousands)."""
    lines: list[list[Word]] = []
    open_lines: list[list[Word]] = []  # lines a word may still continue, in the order started
    tallest = max((w.height for w in words), default=0)
    for w in sorted(words, key=lambda w: (w.left, w.top + w.height / 2)):
        open_lines = [
            line
            for line in open_lines
            if w.left - line[-1].right <= 0.9 * max(line[-1].height, tallest)
        ]
        best = None
        for line in open_lines:
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
            open_lines.append(lines[-1])
        else:
            best.append(w)
    return lines


PIECE_GAP = 0.6  # a gap wider than this many word heights may part two texts
JOIN_GAP = 2.0  # two lines of a row this close (in word heights) may be one


def _pieces(line: list[Word]) -> list[list[Word]]:
    """The line cut at each gap wider than ``PIECE_GAP`` word heights."""
    pieces = [[line[0]]]
    for prev, w in zip(line, line[1:], strict=False):
        if w.left - prev.right > PIECE_GAP * max(prev.height, w.height):
            pieces.append([])
        pieces[-1].append(w)
    return pieces


def _joinable(lines: list[list[Word]], edges: np.ndarray) -> list[tuple[list[Word], list[Word]]]:
    """Pairs of lines, one right after the other on a row, with no rule between them: each
    line and the nearest line starting on its row within ``JOIN_GAP`` word heights after it
    (only lines starting that near are looked at)."""
    starts = sorted(range(len(lines)), key=lambda j: lines[j][0].left)
    lefts = [lines[j][0].left for j in starts]
    tallest = max((line[0].height for line in lines), default=0)
    pairs = []
    for a in lines:
        last = a[-1]
        nxt = None
        reach = JOIN_GAP * max(last.height, tallest)
        near = starts[bisect_right(lefts, last.right) : bisect_right(lefts, last.right + reach)]
        for j in sorted(near):  # in the lines' order: the first of equally near ones wins
            b = lines[j]
            first = b[0]
            gap = first.left - last.right
            ov = min(last.bottom, first.bottom) - max(last.top, first.top)
            hmax = max(last.height, first.height)
            if b is a or ov < 0.5 * min(last.height, first.height):
                continue
            if 0.9 * hmax < gap <= JOIN_GAP * hmax and (nxt is None or first.left < nxt[0].left):
                nxt = b
        if nxt is not None and not _edge_between(edges, last, nxt[0]):
            pairs.append((a, nxt))
    return pairs


COUNT_REACH = 16  # word heights: how far along its row a line's count may stand (a nav item)
_COUNT = re.compile(r"^[(\[]?\d[\d,.]{0,5}[kKmM+]?[)\]]?$")


def _counted(lines: list[list[Word]], edges: np.ndarray) -> list[tuple[list[Word], list[Word]]]:
    """Pairs of a line and a count ("87", "(3)", "1,184") standing alone further along its row,
    beyond ``JOIN_GAP`` and within ``COUNT_REACH`` word heights, with no other text and no
    rule between them: a nav item or a folder with its count at the far end."""
    counts = [b for b in lines if len(b) == 1 and _COUNT.match(b[0].text)]
    if not counts:
        return []
    firsts = np.array([(line[0].left, line[0].top, line[0].bottom) for line in lines])
    at = np.array([(b[0].left, b[0].top, b[0].bottom, b[0].height) for b in counts])
    pairs = []
    for a in lines:
        last = a[-1]
        if len(a) == 1 and _COUNT.match(last.text):
            continue
        h = last.height
        gap = at[:, 0] - last.right
        ov = np.minimum(at[:, 2], last.bottom) - np.maximum(at[:, 1], last.top)
        near = (
            (JOIN_GAP * h < gap) & (gap <= COUNT_REACH * h) & (ov >= 0.5 * np.minimum(h, at[:, 3]))
        )
        for k in np.nonzero(near)[0]:
            first = counts[k][0]
            between = (
                (firsts[:, 0] > last.right)
                & (firsts[:, 0] < first.left)
                & (np.minimum(firsts[:, 2], last.bottom) - np.maximum(firsts[:, 1], last.top) > 0)
            )
            if not between.any() and not _edge_between(edges, last, first):
                pairs.append((a, counts[k]))
    return pairs


def _edge_between(edges: np.ndarray, a: Word, b: Word) -> bool:
    """A vertical edge as tall as the words between them (a rule, a field's side). The three
    columns next to each word are not looked at: an OCR box may stop a pixel short of its
    last letter, and an "l" or a "t" is as tall as the word."""
    t = max(a.top, b.top)
    bot = min(a.bottom, b.bottom)
    if bot - t < 3:
        return False
    band = edges[t:bot, a.right + 3 : b.left - 3]
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


def panel_candidates(boxes: list[Candidate]) -> list[Candidate]:
    """Floating panels cut across by full-width rules (an open menu's separators, its
    highlighted item). Drawn over the page, such a panel's frame touches the edges of what it
    covers, so no ring outlines it alone; its inside is a stack of flat regions with the same
    left and right ends, each starting where the one above ends. This adds the box of each
    longest such stack of two or more regions."""
    flats = sorted((c for c in boxes if c.source == "flat"), key=lambda c: (c.top, c.left))
    if len(flats) < 2:
        return []
    ltrb = np.array([(c.left, c.top, c.right, c.bottom) for c in flats])
    below: dict[int, int] = {}
    for i, (l, t, r, b) in enumerate(ltrb):
        nxt = np.nonzero(
            (np.abs(ltrb[:, 0] - l) <= PANEL_ENDS)
            & (np.abs(ltrb[:, 2] - r) <= PANEL_ENDS)
            & (ltrb[:, 1] > t)
            & (ltrb[:, 1] - b >= PANEL_GAP[0])
            & (ltrb[:, 1] - b <= PANEL_GAP[1])
        )[0]
        if len(nxt):
            below[i] = int(nxt[0])  # sorted by top: the nearest one
    heads = set(below) - set(below.values())
    out = []
    for i in sorted(heads):
        chain = [i]
        while chain[-1] in below:
            chain.append(below[chain[-1]])
        left, right = int(ltrb[chain, 0].min()), int(ltrb[chain, 2].max())
        top, bottom = int(ltrb[chain[0], 1]), int(ltrb[chain[-1], 3])
        out.append(Candidate(left, top, right - left, bottom - top, "panel"))
    return out

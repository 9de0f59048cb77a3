"""Local OCR: Tesseract on a polarity-normalised copy of the screenshot, as words with boxes."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Word:
    """One recognised word: its text, confidence 0..1 and box in image pixels."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


BG_WINDOW = 11  # median window for the background, in half-size pixels
FLAT_SPREAD = 12  # colour range below which a neighbourhood is flat fill
MIN_PEAK = 24  # weakest local contrast that is stretched to full black (below: noise)


def normalise_for_ocr(rgb: np.ndarray) -> np.ndarray:
    """Grey image with every text dark on white, whatever its own colours (dark themes, buttons).

    The background is estimated per colour channel with a wide median (strokes are
    thin); the ink is the largest channel difference from it, so colour-only
    contrast (white on yellow) survives.
    """
    h, w = rgb.shape[:2]
    unit = max(1.0, w / 1920.0) if w > 2400 else 1.0
    f = int(round(2 * unit))  # the median window (BG_WINDOW at half size) grows with the DPI
    small = cv2.resize(rgb, (w // f, h // f), interpolation=cv2.INTER_AREA)
    bg = cv2.medianBlur(small, BG_WINDOW)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    diff = _channel_max(cv2.absdiff(rgb, bg))
    # local contrast stretch: faint text (light grey, blue on blue) gets the same dark
    # strokes as ordinary text, so Tesseract's global threshold keeps it
    peak = cv2.dilate(diff, np.ones((15, 15), np.uint8))
    peak = cv2.min(cv2.max(peak, MIN_PEAK), 128)
    ink = cv2.divide(diff, peak, scale=255.0)
    # a pixel in a flat patch wider than any stroke is fill (the halo the median leaves
    # round filled buttons), not ink
    k = np.ones((2 * int(np.ceil(2.5 * unit)) + 1,) * 2, np.uint8)
    spread = _channel_max(cv2.absdiff(cv2.dilate(rgb, k), cv2.erode(rgb, k)))
    ink = cv2.bitwise_and(ink, cv2.compare(spread, FLAT_SPREAD, cv2.CMP_GE))
    _ink_inside_badges(rgb, bg, ink, unit)
    # Tesseract skips words framed by boxes: erase long straight lines (borders, rules).
    # A line has nothing on either side of it; a long run through bold glyphs has.
    mask = (ink > 60).astype(np.uint8)
    hor = _isolated_runs(mask, int(30 * unit), int(3 * unit))
    ver = _isolated_runs(mask.T, int(34 * unit), int(3 * unit)).T
    lines = cv2.dilate(hor | ver | _frames((ink > 30).astype(np.uint8)), np.ones((3, 3), np.uint8))
    ink[lines > 0] = 0
    return 255 - ink


RING_SIZE = (12, 96)  # px: circles and rounded squares drawn round a step number or initials
BADGE_MAX_HEIGHT = 30  # px at 1x: taller fills are wider than the median window anyway
PILL_EDGE = 4  # px round a pill's fill where its outline blends into the page
STROKE_DEPTH = 3  # px inside a pill's fill where ink is surely a glyph's, and how far it runs out


def _ink_inside_badges(rgb: np.ndarray, bg: np.ndarray, ink: np.ndarray, unit: float) -> None:
    """Re-measure the ink inside small filled shapes (tags, status pills, badges) against their
    own fill. The median background is wider than such a shape, so it takes the page colour
    there: white text on a red pill then matches the "background" and vanishes, while the
    pill's rounded ends come out as brackets. Inside each pill (the convex hull of its fill,
    less a 1 px rim, where only strokes running in from the inside count), ink is the distance
    from the fill colour instead, and the pill's outline round it is no ink."""
    k = np.ones((3, 3), np.uint8)  # a pill is only a little taller than its text: look close
    near_spread = _channel_max(cv2.absdiff(cv2.dilate(rgb, k), cv2.erode(rgb, k)))
    page = np.median(rgb[::16, ::16].reshape(-1, 3), axis=0).astype(np.uint8)
    coloured = cv2.max(
        _channel_max(cv2.absdiff(rgb, bg)),
        _channel_max(cv2.absdiff(rgb, np.full_like(rgb, page))),
    )
    fill = cv2.bitwise_and(
        cv2.compare(near_spread, FLAT_SPREAD, cv2.CMP_LT), cv2.compare(coloured, 48, cv2.CMP_GE)
    )
    # glyph strokes cut a pill's fill into pieces: close the gaps to see each pill whole
    whole = cv2.morphologyEx(fill, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(whole, connectivity=4)
    max_h = BADGE_MAX_HEIGHT * unit
    rim = np.ones((3, 3), np.uint8)
    vertical = np.ones((3, 1), np.uint8)
    for i in range(1, n):
        left, top, width, height, area = (int(v) for v in stats[i])
        if not (8 * unit <= height <= max_h and width >= height):
            continue
        box = (slice(top, top + height), slice(left, left + width))
        piece = (labels[box] == i).astype(np.uint8)
        # the pill's inside: the convex hull of its fill (glyphs leave gaps in the fill, and
        # the page shows at its rounded corners), less a rim where it blends into the page
        hull = np.zeros_like(piece)
        points = cv2.findNonZero(piece)
        cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
        hull_area = int(hull.sum())
        if hull_area < 0.7 * width * height or area < 0.25 * hull_area:
            continue  # not a pill: a thin outline, a line, an odd shape
        inner = cv2.erode(hull, rim, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        own = fill[box] & piece
        colour = np.median(rgb[box][own > 0], axis=0).astype(np.uint8)
        diff = _channel_max(cv2.absdiff(rgb[box], np.full_like(rgb[box], colour)))
        inside = diff[inner > 0]
        glyphs = inside > MIN_PEAK
        plain = diff <= MIN_PEAK
        bands = [plain[r][hull[r] > 0].mean() for r in (1, 2, height - 3, height - 2)]
        if not 0.03 <= glyphs.mean() <= 0.6 or min(bands) < 0.8:
            # nothing written on it (a bar, a swatch), not filled (an outline), or no plain
            # band above and below its text (the strokes of large bold letters run together)
            continue
        local = cv2.divide(diff, np.full_like(diff, max(MIN_PEAK, int(inside.max()))), scale=255.0)
        # the rim is the pill's edge blending into the page, except where a glyph's stroke runs
        # into it (the tail of a "g"): keep ink reached straight up or down from strokes well
        # inside the pill
        marked = (hull > 0) & ~plain
        strokes = cv2.erode(
            hull, rim, iterations=STROKE_DEPTH, borderType=cv2.BORDER_CONSTANT, borderValue=0
        )
        for _ in range(STROKE_DEPTH):
            strokes = cv2.dilate(strokes & marked, vertical)
        strokes &= marked
        ink[box] = np.where((inner > 0) | (strokes > 0), local, np.where(hull > 0, 0, ink[box]))
        # and the pill's outline just outside it is no ink either (it would join such a tail)
        t0, l0 = max(0, top - PILL_EDGE), max(0, left - PILL_EDGE)
        around = ink[t0 : top + height + PILL_EDGE, l0 : left + width + PILL_EDGE]  # a view
        grown = np.zeros_like(around)
        grown[top - t0 : top - t0 + height, left - l0 : left - l0 + width] = hull
        around[cv2.dilate(grown, rim, iterations=PILL_EDGE) > grown] = 0


def _channel_max(img: np.ndarray) -> np.ndarray:
    """Per pixel, the largest of the three channels (cv2 is much faster than numpy here)."""
    a, b, c = cv2.split(img)
    return cv2.max(cv2.max(a, b), c)


def _frames(mask: np.ndarray) -> np.ndarray:
    """Ink components that are outlines Tesseract reads as brackets: wide boxes (buttons, inputs,
    the halo of a filled button) with nothing in their interior, and squarish rings (circles,
    rounded squares) round a short text (a step number, an avatar's initials), whose middle holds
    other ink but none of their own, unlike the glyphs O, 0 or 8."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = np.zeros_like(mask)
    l, t, w, h, area = (stats[:, j] for j in range(5))
    wide = (w >= 16) & (h >= 10) & (w >= 1.3 * h)
    ring = (h >= RING_SIZE[0]) & (h <= RING_SIZE[1]) & (w >= 0.75 * h) & (w < 1.3 * h)
    ring &= area <= 0.4 * w * h
    wide[0] = ring[0] = False
    for i in np.nonzero(wide | ring)[0]:
        li, ti, wi, hi = int(l[i]), int(t[i]), int(w[i]), int(h[i])
        m = max(3, hi // 4)
        middle = labels[ti + m : ti + hi - m, li + m : li + wi - m]
        if (middle == i).sum() > 0.03 * area[i]:
            continue
        if ring[i] and ((middle > 0) & (middle != i)).sum() < 0.05 * middle.size:
            continue
        sub = labels[ti : ti + hi, li : li + wi] == i
        if wide[i]:
            # a word just above or below a box can touch it through anti-aliasing: it is
            # not part of the frame, which runs from its first long row to its last
            rows = np.nonzero(sub.sum(axis=1) >= 0.5 * wi)[0]
            if len(rows):
                sub[: max(0, rows[0] - 1)] = False
                sub[rows[-1] + 2 :] = False
        out[ti : ti + hi, li : li + wi] |= sub.view(np.uint8)
    return out


def _isolated_runs(mask: np.ndarray, length: int, gap: int) -> np.ndarray:
    """Pixels of horizontal runs >= ``length`` long with no ink ``gap`` rows above and below."""
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    near = np.zeros_like(mask)
    near[gap:] |= mask[:-gap]
    near[:-gap] |= mask[gap:]
    return cv2.morphologyEx(runs & (1 - near), cv2.MORPH_OPEN, k)


ALNUM = re.compile(r"[A-Za-z0-9]")  # a word holds at least one of these


BANDS = 2  # horizontal bands read by parallel Tesseract processes (one per core)
OVERLAP = 48  # px of the (scaled) image each band reaches past its cut: taller than any line
TESS_CONFIG = ["-c", "tessedit_do_invert=0"]
REREAD_CONF = 0.9  # words read with less confidence are read again, larger, one per line
REREAD_HEIGHT = 30  # px: the height a word's box is scaled to for the second reading
REREAD_PSM = 6
# px: Tesseract refuses an image taller than 32,767 px: more crops are read in several stacks
MAX_CANVAS_HEIGHT = 32000
STACK_MARGIN = 16  # white pixels round the stacked crops
STACK_GAP = 24  # and between two of them


def band_cuts(img: np.ndarray, bands: int) -> list[int]:
    """Rows that split ``img`` (dark ink on white) into ``bands`` bands holding about the same
    amount of ink (Tesseract's time grows with the text it reads, not with blank rows; a
    mail list filling the top half would otherwise leave one process idle), preferring the
    blank row closest to each split, so that hardly any line is cut."""
    h = img.shape[0]
    ink_rows = (img < 160).sum(axis=1)
    total = int(ink_rows.sum())
    cumulative = np.cumsum(ink_rows)
    cuts = [0]
    for k in range(1, bands):
        target = int(np.searchsorted(cumulative, k * total / bands)) if total else k * h // bands
        lo, hi = max(cuts[-1] + 1, target - h // (4 * bands)), min(h - 1, target + h // (4 * bands))
        window = ink_rows[lo:hi]
        if len(window) == 0:
            continue
        best = window.min()
        rows = np.nonzero(window == best)[0] + lo
        cuts.append(int(rows[np.argmin(np.abs(rows - target))]))
    cuts.append(h)
    return cuts


def merge_bands(results: list[tuple[int, list[Word]]], cuts: list[float]) -> list[Word]:
    """Words of overlapping bands, each word kept once: by the band whose own part
    (between its cuts) holds the word's vertical centre. ``results`` pairs each band's
    top offset with its words in band coordinates; the merged words are in image ones."""
    out = []
    for k, (offset, words) in enumerate(results):
        lo, hi = cuts[k], cuts[k + 1]
        for w in words:
            centre = offset + w.top + w.height / 2
            if lo <= centre < hi:
                out.append(Word(w.text, w.confidence, w.left, w.top + offset, w.width, w.height))
    return out


def _tesseract_tsv(img: np.ndarray, psm: int = 11) -> list[Word]:
    """Words of one grey image from the Tesseract CLI (one thread; bands run in parallel)."""
    import pytesseract

    with tempfile.TemporaryDirectory(prefix="tl-ocr-") as tmp:
        path = os.path.join(tmp, "in.pgm")
        cv2.imwrite(path, img)
        proc = subprocess.run(
            [
                pytesseract.pytesseract.tesseract_cmd,
                path,
                "stdout",
                "--psm",
                str(psm),
                *TESS_CONFIG,
                "tsv",
            ],
            capture_output=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    words = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        conf = float(cols[10])
        if not text or conf < 0 or not ALNUM.search(text):
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append(Word(text, round(conf / 100.0, 3), left, top, width, height))
    return words


def tesseract_words(rgb: np.ndarray, scale: float = 1.0, bands: int = BANDS) -> list[Word]:
    """Run Tesseract (sparse text mode) and return words with at least one letter or digit.

    The normalised image is cut into ``bands`` overlapping horizontal bands read by
    parallel Tesseract processes (each also re-reads its unsure words, see
    ``reread_uncertain``); words are merged back without duplicates."""
    from concurrent.futures import ThreadPoolExecutor

    norm = normalise_for_ocr(rgb)
    img = norm
    if scale != 1.0:
        img = cv2.resize(norm, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    cuts = band_cuts(img, max(1, bands))
    spans = [
        (max(0, cuts[k] - OVERLAP), min(img.shape[0], cuts[k + 1] + OVERLAP))
        for k in range(len(cuts) - 1)
    ]

    def read_band(k: int) -> list[Word]:
        """First reading of band ``k``, in image coordinates, then its unsure words and the
        ink it left unread in its own part, again."""
        span = spans[k]
        words = [
            Word(
                w.text,
                w.confidence,
                int(round(w.left / scale)),
                int(round((w.top + span[0]) / scale)),
                max(1, int(round(w.width / scale))),
                max(1, int(round(w.height / scale))),
            )
            for w in _tesseract_tsv(img[span[0] : span[1]])
        ]
        return reread_uncertain(norm, words, (cuts[k] / scale, cuts[k + 1] / scale))

    with ThreadPoolExecutor(len(spans)) as pool:
        found = list(pool.map(read_band, range(len(spans))))
    return merge_bands([(0, ws) for ws in found], [c / scale for c in cuts])


def scaled_crop(
    norm: np.ndarray, box: tuple[int, int, int, int]
) -> tuple[np.ndarray, int, int, float]:
    """The box's crop of ``norm`` with a margin, scaled to ``REREAD_HEIGHT``; and its left, top
    and scale."""
    H, W = norm.shape[:2]
    left, top, w, h = box
    pad_y, pad_x = max(2, h // 4), 3
    t, b = max(0, top - pad_y), min(H, top + h + pad_y)
    l, r = max(0, left - pad_x), min(W, left + w + pad_x)
    k = float(np.clip(REREAD_HEIGHT / max(1, h), 1.0, 4.0))
    return cv2.resize(norm[t:b, l:r], None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC), l, t, k


def stack_crops(
    crops: list[tuple[np.ndarray, int, int, float]],
) -> tuple[np.ndarray, list[tuple[int, int, int, int, float]]]:
    """One white image with each ``scaled_crop`` on its own row; returns it and per crop
    ``(row top, row bottom, crop left, crop top, scale)``."""
    rows, layout, y, width = [], [], STACK_MARGIN, 0
    for crop, l, t, k in crops:
        rows.append((y, crop))
        layout.append((y, y + crop.shape[0], l, t, k))
        y += crop.shape[0] + STACK_GAP
        width = max(width, crop.shape[1])
    canvas = np.full((y, width + 2 * STACK_MARGIN), 255, np.uint8)
    for y0, crop in rows:
        canvas[y0 : y0 + crop.shape[0], STACK_MARGIN : STACK_MARGIN + crop.shape[1]] = crop
    return canvas, layout


def _batches(crops: list[tuple[np.ndarray, int, int, float]]) -> list[range]:
    """Runs of crops whose stacked image stays under ``MAX_CANVAS_HEIGHT``."""
    out, start, y = [], 0, STACK_MARGIN
    for i, (crop, *_) in enumerate(crops):
        if i > start and y + crop.shape[0] + STACK_GAP > MAX_CANVAS_HEIGHT:
            out.append(range(start, i))
            start, y = i, STACK_MARGIN
        y += crop.shape[0] + STACK_GAP
    return [*out, range(start, len(crops))]


# Ink no word covers: Tesseract's page reading drops isolated short tokens (a table cell's
# "3" or "A", a count, initials) and the tail of a word past a small mark ("58" of "58.0").
LEFTOVER_INK = 140  # grey level (of the normalised image) below which a pixel is ink
LEFTOVER_PAD = 2  # px round each read word whose ink is its own
LEFTOVER_GLYPH = (0.35, 1.25, 1.6)  # a glyph's height (min, max) and width, in text heights
LEFTOVER_MIN_AREA = 6  # px of ink: smaller is a dot or noise
LEFTOVER_GAP = 0.45  # text heights between glyphs of one token
LEFTOVER_MAX_WIDTH = 4.0  # text heights: a longer unread run is no short token
LEFTOVER_NEAR = 0.6  # text heights from a read word on its line: the word's unread part
# a token read alone: its least height and width, in text heights, and the share of its box
# that is ink (below: a rule's corner, a dotted line; above: an icon, an avatar, a bar)
TOKEN_MIN_SIZE = (0.6, 0.3)
TOKEN_FILL = (0.3, 0.7)
LEFTOVER_CONF = 0.9  # a token read alone is kept when this sure and not all lower case
MERGED_CONF = 0.8  # a word read again with its unread part replaces it when this sure


@dataclass(frozen=True)
class _Reading:
    """One crop to read again: its box, and the words its reading may replace (none: new
    words, kept only when sure)."""

    box: tuple[int, int, int, int]
    replaces: tuple[int, ...]


def _text_height(words: list[Word]) -> float:
    heights = [w.height for w in words if len(w.text) >= 3]
    return float(np.median(heights)) if heights else 16.0


def _tokens(glyphs: list[list[int]], gap: float) -> list[list[int]]:
    """Glyph boxes (left, top, width, height) joined left to right into tokens: a glyph
    overlapping a token's line by half its height and at most ``gap`` px after it."""
    tokens: list[list[int]] = []
    for g in sorted(glyphs):
        for tok in tokens:
            left, top, width, height = tok
            shared = min(top + height, g[1] + g[3]) - max(top, g[1])
            if (
                shared > 0.5 * min(height, g[3])
                and 0 <= g[0] - left
                and g[0] - (left + width) <= gap
            ):
                right, bottom = max(left + width, g[0] + g[2]), max(top + height, g[1] + g[3])
                tok[0], tok[1] = min(left, g[0]), min(top, g[1])
                tok[2], tok[3] = right - tok[0], bottom - tok[1]
                break
        else:
            tokens.append(list(g))
    return tokens


def unread_ink(
    norm: np.ndarray, words: list[Word], rows: tuple[float, float] | None = None
) -> list[_Reading]:
    """Short runs of glyph-sized ink that no read word covers (centred within ``rows``, when
    given), as crops to read: alone, or with the words just before or after them on their
    line, whose unread part they then are. Words Tesseract was unsure of are read again
    anyway (``reread_uncertain``), so ink beside them is left to that reading."""
    unit = _text_height(words)
    lo, hi, widest = (k * unit for k in LEFTOVER_GLYPH)
    # only the rows whose glyphs may be centred within ``rows``
    top0, bottom0 = 0, norm.shape[0]
    if rows is not None:
        top0 = max(0, int(rows[0] - hi))
        bottom0 = min(bottom0, int(np.ceil(rows[1] + hi)))
    ink = (norm[top0:bottom0] < LEFTOVER_INK).astype(np.uint8)
    pad = LEFTOVER_PAD
    for w in words:
        t, b = max(0, w.top - pad - top0), max(0, w.bottom + pad - top0)
        ink[t:b, max(0, w.left - pad) : w.right + pad] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = [
        [int(stats[i][0]), int(stats[i][1]) + top0, int(stats[i][2]), int(stats[i][3])]
        for i in range(1, n)
        if lo <= stats[i][3] <= hi and stats[i][2] <= widest and stats[i][4] >= LEFTOVER_MIN_AREA
    ]
    # the read words' boxes, for finding those beside each token at once
    w_left, w_top, w_right, w_bottom, w_height, w_conf = (
        np.array([(w.left, w.top, w.right, w.bottom, w.height, w.confidence) for w in words], float)
        .reshape(-1, 6)
        .T
    )
    out = []
    for left, top, width, height in _tokens(glyphs, LEFTOVER_GAP * unit):
        if width > LEFTOVER_MAX_WIDTH * unit:
            continue
        if rows is not None and not rows[0] <= top + height / 2 < rows[1]:
            continue
        shared = np.minimum(top + height, w_bottom) - np.maximum(top, w_top)
        gap = np.maximum(w_left - (left + width), left - w_right)
        on_line = (shared > 0.5 * np.minimum(height, w_height)) & (gap <= LEFTOVER_NEAR * unit)
        beside = np.flatnonzero(on_line).tolist()
        if (w_conf[on_line] < REREAD_CONF).any():
            continue
        if not beside and not _token_shaped(norm[top : top + height, left : left + width], unit):
            continue
        if beside:
            right = max([left + width] + [words[i].right for i in beside])
            bottom = max([top + height] + [words[i].bottom for i in beside])
            left = min([left] + [words[i].left for i in beside])
            top = min([top] + [words[i].top for i in beside])
            width, height = right - left, bottom - top
        out.append(_Reading((left, top, width, height), tuple(beside)))
    return out


def _token_shaped(crop: np.ndarray, unit: float) -> bool:
    """Whether unread ink standing alone may be a short token: tall and wide enough for a
    glyph, and its box neither nearly empty nor nearly solid (on `unseen`, this turns away 40%
    of the crops and 30 of the 571 words found in them)."""
    height, width = crop.shape[:2]
    fill = float((crop < LEFTOVER_INK).mean()) if crop.size else 0.0
    return (
        height >= TOKEN_MIN_SIZE[0] * unit
        and width >= TOKEN_MIN_SIZE[1] * unit
        and TOKEN_FILL[0] <= fill < TOKEN_FILL[1]
    )


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _sure_token(word: Word) -> bool:
    """A token read from unread ink is kept when Tesseract is sure of it and it is not all
    lower case letters: icons (a close cross, a chevron, a radio's ring) read as "x", "v",
    "o"; the digits, capitals and codes of table cells and counts do not."""
    letters = re.sub(r"[^A-Za-z0-9]", "", word.text)
    return word.confidence >= LEFTOVER_CONF and not (letters.isalpha() and letters.islower())


def reread_uncertain(
    norm: np.ndarray, words: list[Word], rows: tuple[float, float] | None = None
) -> list[Word]:
    """Read once more, scaled up and one per line, the words Tesseract was unsure of (small
    fonts, merged words) and the ink it left unread (``unread_ink``; within ``rows``, when
    given). An unsure word's new reading replaces it only when more confident; a word read
    again with its unread part replaces it when sure and longer; a token read alone is added
    when ``_sure_token``. A page with many crops is read in several stacks: Tesseract refuses
    taller images."""
    low = [i for i, w in enumerate(words) if w.confidence < REREAD_CONF]
    jobs = [
        _Reading((words[i].left, words[i].top, words[i].width, words[i].height), (i,)) for i in low
    ]
    jobs += unread_ink(norm, words, rows)
    if not jobs:
        return words
    crops = [scaled_crop(norm, job.box) for job in jobs]
    replaced: dict[int, list[Word]] = {}
    added: list[Word] = []
    for batch in _batches(crops):
        canvas, layout = stack_crops([crops[j] for j in batch])
        again = _tesseract_tsv(canvas, psm=REREAD_PSM)
        for j, (y0, y1, l, t, k) in zip(batch, layout, strict=True):
            got = [
                Word(
                    w.text,
                    w.confidence,
                    l + int(round((w.left - STACK_MARGIN) / k)),
                    t + int(round((w.top - y0) / k)),
                    max(1, int(round(w.width / k))),
                    max(1, int(round(w.height / k))),
                )
                for w in again
                if y0 <= w.top + w.height / 2 < y1
            ]
            if not got:
                continue
            job = jobs[j]
            if j < len(low):
                (i,) = job.replaces
                if float(np.mean([w.confidence for w in got])) > words[i].confidence:
                    replaced[i] = got
            elif not job.replaces:
                added += [w for w in got if _sure_token(w)]
            elif not any(i in replaced for i in job.replaces):
                old = "".join(_alnum(words[i].text) for i in job.replaces)
                if (
                    len("".join(_alnum(w.text) for w in got)) > len(old)
                    and min(w.confidence for w in got) >= MERGED_CONF
                ):
                    replaced[job.replaces[0]] = got
                    replaced.update({i: [] for i in job.replaces[1:]})
    if not replaced and not added:
        return words
    out = []
    for i, w in enumerate(words):
        out.extend(replaced.get(i, [w]))
    return out + added


def ocr_scale(width: int) -> float:
    """Upscale ordinary screenshots for Tesseract; high-DPI ones already have large glyphs."""
    return 1.5 if width <= 2400 else 0.8


def read_words(rgb: np.ndarray) -> list[Word]:
    """The words of a screenshot, read locally."""
    return tesseract_words(rgb, ocr_scale(rgb.shape[1]))

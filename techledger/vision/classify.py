"""Turn OCR words and a screenshot into typed elements with a learned classifier over candidates."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np

from techledger.enums import ElementType
from techledger.vision.appearance import appearance_features
from techledger.vision.detect import (
    Candidate,
    box_candidates,
    edge_map,
    panel_candidates,
    row_stack_candidates,
    text_lines,
)
from techledger.vision.engine import Element, bounding_box
from techledger.vision.features import (
    beside_features,
    candidate_features,
    context_features,
    typical_text_height,
)
from techledger.vision.ocr import Word
from techledger.vision.properties import element_properties

MODEL_PATH = Path(__file__).with_name("element_classifier.txt")
# the second stage sees the first one's verdicts on each candidate's neighbours
CONTEXT_MODEL_PATH = Path(__file__).with_name("element_classifier_context.txt")
CLASSES = ["NONE"] + [t.value for t in ElementType if t is not ElementType.UNKNOWN]
MIN_SCORE = 0.35  # an element's likeliest type must be this likely
NONE_RATIO = 0.8  # and at least this fraction as likely as "no element"
NMS_IOU = 0.5
PREDICT_THREADS = 2
_LABEL = CLASSES.index("LABEL")


@functools.lru_cache(maxsize=1)
def _models():  # noqa: ANN202
    """The two LightGBM stages (the second may be absent: then the first one decides)."""
    import lightgbm as lgb

    if not MODEL_PATH.exists():
        return None, None
    second = (
        lgb.Booster(model_file=str(CONTEXT_MODEL_PATH)) if CONTEXT_MODEL_PATH.exists() else None
    )
    return lgb.Booster(model_file=str(MODEL_PATH)), second


def class_probabilities(
    cands: list[Candidate], feats: np.ndarray, first: Any, second: Any | None
) -> np.ndarray:
    """Per candidate, the probability of each of ``CLASSES``: the first stage on the candidate's
    own features, then (when given) the second on those plus its neighbourhood's verdicts."""
    # both cores: the OCR processes are done by now (one thread took 0.23 s a stage on a
    # dense page, two 0.11 s, with the same probabilities)
    probs = first.predict(feats, num_threads=PREDICT_THREADS)
    if second is None:
        return probs
    unit = typical_text_height(cands)
    context = context_features(cands, probs, unit)
    return second.predict(np.hstack([feats, context]), num_threads=PREDICT_THREADS)


def candidates_and_features(
    rgb: np.ndarray, words: list[Word]
) -> tuple[list[Candidate], np.ndarray]:
    """All candidate regions of a screenshot and their feature rows (shared by training and inference)."""
    edges = edge_map(rgb)
    lines = text_lines(words, edges)
    boxes = box_candidates(rgb, edges, words)
    unit = typical_text_height(lines)
    cands = lines + boxes + row_stack_candidates(edges, boxes, unit) + panel_candidates(boxes)
    if not cands:
        return cands, np.zeros((0, 0), np.float32)
    extents = np.array([c.box() for c in cands], dtype=float)
    feats = np.hstack(
        [
            candidate_features(rgb, edges, cands, unit),
            appearance_features(rgb, edges, extents),
            beside_features(cands, unit),
        ]
    )
    return cands, feats


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two (left, top, width, height) boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _words_in(words: list[Word], box: tuple[int, int, int, int]) -> list[Word]:
    l, t, w, h = box
    out = [
        wd
        for wd in words
        if l <= wd.left + wd.width / 2 <= l + w and t <= wd.top + wd.height / 2 <= t + h
    ]
    return sorted(
        out, key=lambda wd: (round((wd.top + wd.height / 2) / max(4, wd.height)), wd.left)
    )


# A LABEL is static text outside any other typed element: the text of these belongs to them
# (a card-style RADIO holds its plan's name and price).
_HOLDS_ITS_TEXT = {"INPUT", "DROPDOWN", "BUTTON", "TABLE", "RADIO"}
# and no other element is read from the text inside these: a button's caption is not a link
_HOLDS_ALL_ITS_TEXT = {"INPUT", "DROPDOWN", "BUTTON", "RADIO"}


def _without_text_inside(kept: list[tuple[float, int, int]], cands: list[Candidate]):  # noqa: ANN202
    """Drop LABELs lying (80% or more of their area) inside an INPUT, DROPDOWN, BUTTON, TABLE or
    RADIO that was also found, and any element read from a text line inside an INPUT, DROPDOWN,
    BUTTON or RADIO: a placeholder, a button's caption or a radio card's text is not an element
    of its own."""
    holders = [(i, CLASSES[k], cands[i].box()) for _, i, k in kept if CLASSES[k] in _HOLDS_ITS_TEXT]

    def inside(i: int, kinds: set[str]) -> bool:
        left, top, width, height = cands[i].box()
        for j, kind, (h_left, h_top, h_width, h_height) in holders:
            if j == i or kind not in kinds:
                continue
            overlap_w = min(left + width, h_left + h_width) - max(left, h_left)
            overlap_h = min(top + height, h_top + h_height) - max(top, h_top)
            if overlap_w > 0 and overlap_h > 0 and overlap_w * overlap_h >= 0.8 * width * height:
                return True
        return False

    return [
        (score, i, k)
        for score, i, k in kept
        if not (CLASSES[k] == "LABEL" and inside(i, _HOLDS_ITS_TEXT))
        and not (cands[i].source == "line" and inside(i, _HOLDS_ALL_ITS_TEXT))
    ]


def choose(cands: list[Candidate], probs: np.ndarray) -> list[tuple[float, int, int]]:
    """The candidates that are elements, as (score, candidate index, class index), best first:
    each candidate's likeliest type when sure enough (LABELs are read from text lines only),
    without boxes overlapping a better one, without texts already read into a better element,
    and without texts inside other elements."""
    # a LABEL is a line of text: a box's LABEL is no element, unless it is drawn round a line
    twins = _line_twins(cands)
    boxes = np.array([c.source != "line" and i not in twins for i, c in enumerate(cands)])
    probs = probs.copy()
    probs[boxes, 0] += probs[boxes, _LABEL]
    probs[boxes, _LABEL] = 0.0
    order = []
    for i, p in enumerate(probs):
        k = int(np.argmax(p[1:])) + 1
        if p[k] >= MIN_SCORE and p[k] >= p[0] * NONE_RATIO:
            order.append((float(p[k]), i, k))
    order.sort(key=lambda x: -x[0])
    kept: list[tuple[float, int, int]] = []
    read: set[int] = set()  # the words (by id) of the text lines kept so far
    for score, i, k in order:
        b = cands[i].box()
        if any(iou(b, cands[j].box()) > NMS_IOU for _, j, _ in kept):
            continue
        # a word belongs to one element: another reading of a kept line is not a second one
        if cands[i].source == "line":
            words = {id(w) for w in cands[i].words}
        else:
            words = twins[i] if k == _LABEL else set()
        if words & read:
            continue
        read |= words
        kept.append((score, i, k))
    return _without_text_inside(kept, cands)


def _is_mark(word: Word) -> bool:
    """A word of one or two characters: a radio's ring or a checkbox read as "O" or "CO"."""
    return len(word.text) <= 2


def _line_twins(cands: list[Candidate]) -> dict[int, set[int]]:
    """The boxes (by index) drawn round a text line's ink, with the ids of that line's words.

    OCR's box of a line can be taller than its ink (a word boxed with the rule under it) or
    hold a radio's ring read as a letter; the edges round the same text give its true extent.
    A box is a line's twin when the words whose centres it holds are all of one line's (the
    whole line, not a piece of it) but for marks at its ends, and its box differs from the
    line's (IoU < ``NMS_IOU``) or leaves a mark out."""
    lines = [
        (c, {id(w) for w in c.words})
        for c in cands
        if c.source == "line" and c.reading == "line" and c.words
    ]
    words = list({id(w): w for c, _ in lines for w in c.words}.values())
    twins: dict[int, set[int]] = {}
    for i, c in enumerate(cands):
        if c.source == "line":
            continue
        inside = {id(w) for w in _words_in(words, c.box())}
        line = next((ln for ln, ids in lines if inside and inside <= ids), None)
        if line is None:
            continue
        rest = [w for w in line.words if id(w) not in inside]
        ends = (line.words[0], line.words[-1])
        if all(_is_mark(w) and any(w is e for e in ends) for w in rest) and (
            rest or iou(c.box(), line.box()) < NMS_IOU
        ):
            twins[i] = inside
    return twins


def _mark_words(
    kept: list[tuple[float, int, int]], cands: list[Candidate], words: list[Word]
) -> set[int]:
    """The words (by id) that fill a found checkbox or radio: its mark read as a letter ("O",
    "@"), not text of the label beside it. The caption inside a card-style radio is far
    smaller than the card, so it stays text."""
    return {
        id(w)
        for _, i, k in kept
        if CLASSES[k] in ("CHECKBOX", "RADIO")
        for w in _words_in(words, cands[i].box())
        if w.width * w.height >= 0.3 * cands[i].width * cands[i].height
    }


def reported_box(cand: Candidate, marks: set[int]) -> tuple[int, int, int, int]:
    """A candidate's box as an element: a text line without a found checkbox's or radio's mark
    read at its start or end (its caption beside it is the LABEL)."""
    words = list(cand.words) if cand.source == "line" else []
    while len(words) > 1 and id(words[0]) in marks:
        words.pop(0)
    while len(words) > 1 and id(words[-1]) in marks:
        words.pop()
    if not words or len(words) == len(cand.words):
        return cand.box()
    left, top = min(w.left for w in words), min(w.top for w in words)
    right, bottom = max(w.right for w in words), max(w.bottom for w in words)
    return (left, top, right - left, bottom - top)


def find_elements(rgb: np.ndarray, words: list[Word]) -> list[Element]:
    """Typed elements of a screenshot given its OCR words (local or Google)."""
    cands, feats = candidates_and_features(rgb, words)
    first, second = _models()
    if not cands or first is None:
        return []
    probs = class_probabilities(cands, feats, first, second)
    kept = choose(cands, probs)
    marks = _mark_words(kept, cands, words)
    elements = []
    for score, i, k in kept:
        c = cands[i]
        box = reported_box(c, marks)
        etype = ElementType(CLASSES[k])
        inside = [w for w in _words_in(words, box) if id(w) not in marks]
        if etype in (ElementType.CHECKBOX, ElementType.RADIO, ElementType.MENU):
            text = ""
        elif etype is ElementType.DIALOG:
            first = inside[:1]
            text = " ".join(
                w.text
                for w in inside
                if first and abs(w.top - first[0].top) < first[0].height * 0.6
            )
        else:
            text = " ".join(w.text for w in inside)
        th = float(np.median([w.height for w in inside])) if inside else None
        elements.append(
            Element(
                element_type=etype,
                bounding_box=bounding_box(*box),
                text=text,
                confidence=round(score, 4),
                properties=element_properties(rgb, box, th),
            )
        )
    elements.sort(key=lambda e: (e.bounding_box["top"], e.bounding_box["left"]))
    return elements

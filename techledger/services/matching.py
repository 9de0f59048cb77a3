"""Matching detected elements against the organization's learned patterns.

An element matches a pattern of the same organization, application and element type when
their texts agree (exactly after normalization, or closely by rapidfuzz), with the visual
hash and the relative position on the screen as further evidence. Elements without text
match on visual hash and position alone. Every threshold and weight lives in
``MatchTuning``; ``benchmarks/question_reduction.py`` tunes them.

Speed: patterns are held in a per-process ``PatternIndex`` per (organization, application),
bucketed by element type and keyed by normalized text, with a token/affix index bounding the
fuzzy fallback and a position grid for elements without text. The index is rebuilt only
when the ``patterns:<org>:<app>`` change marker moves (``services.changes``).
"""

from __future__ import annotations

import bisect
import re
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from techledger.enums import ElementType
from techledger.models import DetectedElement, Pattern, Screenshot, Workflow
from techledger.models.base import utcnow
from techledger.services import changes


@dataclass(frozen=True)
class MatchTuning:
    """Every threshold and weight of matching (tuned by benchmarks/question_reduction.py)."""

    accept: float = 0.80  # combined score needed for a match
    fuzzy_min_text: float = 0.80  # text similarity (0..1) below which texts do not agree
    fuzzy_prefilter: float = 0.70  # rapidfuzz cutoff for candidate texts (checked word by word)
    word_min: float = 0.80  # a misread word must still be this similar to the right one
    skeleton_score: float = 0.97  # texts equal once OCR look-alikes are folded
    fuzzy_candidates: int = 64  # at most this many texts are compared fuzzily per element
    weight_text: float = 0.75
    weight_visual: float = 0.15
    weight_position: float = 0.10
    position_radius: float = 0.35  # relative distance at which position evidence reaches 0
    visual_min: float = 0.90  # elements without text need this visual similarity
    textless_accept: float = 0.85
    textless_position_radius: float = 0.08
    # A pattern's own confidence scales its score between (1 - influence) and 1.
    confidence_influence: float = 0.5


DEFAULT_TUNING = MatchTuning()

# Field-like elements take their caption label's text when they have none of their own.
FIELD_TYPES = frozenset(
    {ElementType.INPUT, ElementType.DROPDOWN, ElementType.CHECKBOX, ElementType.RADIO}
)

# Record data (ids, amounts, dates: 3+ digits or separated groups) collapses to "0";
# short numbers that are part of the screen ("Address line 2", "Step 1") are kept.
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)+|\d{3,}")
_NOT_WORD = re.compile(r"[^\w\s]+")


def normalize_text(text: str | None) -> str:
    """Text as matching sees it: case-folded, record numbers collapsed, punctuation and extra
    spaces removed ("Invoice #10023:" and "invoice 771" both become "invoice 0")."""
    value = unicodedata.normalize("NFKC", text or "").casefold()
    value = _NUMBER.sub("0", value)
    value = _NOT_WORD.sub(" ", value).replace("_", " ")
    return " ".join(value.split())


def _digits(key: str) -> list[str]:
    return sorted(t for t in key.split() if t.isdigit())


_OCR_LOOKALIKES = str.maketrans({"1": "l", "i": "l", "|": "l", "0": "o", "5": "s"})


def ocr_skeleton(key: str) -> str:
    """A normalized text with the characters OCR confuses folded together ("Subrnit" and
    "Submit" share one skeleton)."""
    return key.replace("rn", "m").replace("vv", "w").translate(_OCR_LOOKALIKES)


def texts_agree(a: str, b: str, tuning: MatchTuning | None = None) -> float:
    """How surely two normalized texts are the same words (0..1).

    Misreadings inside a word are forgiven; a different word is not: "Mark status as
    complete" is not "Mark stage as complete", and "Address line 1" is never "line 2".
    """
    tuning = tuning or DEFAULT_TUNING
    if a == b:
        return 1.0
    if not a or not b or _digits(a) != _digits(b):
        return 0.0
    sa, sb = ocr_skeleton(a), ocr_skeleton(b)
    if sa == sb:
        return tuning.skeleton_score
    ta, tb = sa.split(), sb.split()
    if len(ta) == len(tb):
        differing = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
        if len(differing) > max(1, len(ta) // 3):
            return 0.0
        if any(fuzz.ratio(x, y) < tuning.word_min * 100 for x, y in differing):
            return 0.0
    elif fuzz.ratio(sa.replace(" ", ""), sb.replace(" ", "")) < 95:  # only split/merged words
        return 0.0
    return fuzz.ratio(sa, sb) / 100.0


def _tokens(key: str) -> set[str]:
    out: set[str] = set()
    for token in key.split():
        if token == "0":
            continue
        out.add("w:" + token)
        if len(token) >= 4:
            out.add("p:" + token[:3])
            out.add("s:" + token[-3:])
    return out


def parse_visual_hash(value: Any) -> tuple[int, int] | None:
    """A hex visual hash as (integer, bit count), or None if absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return int(value, 16), 4 * len(value)
    except ValueError:
        return None


def relative_center(box: dict | None, width: float, height: float) -> tuple[float, float] | None:
    """The center of ``box`` as fractions of the image size."""
    if not box or not width or not height:
        return None
    try:
        x = (float(box.get("left", 0)) + float(box.get("width", 0)) / 2) / float(width)
        y = (float(box.get("top", 0)) + float(box.get("height", 0)) / 2) / float(height)
    except (TypeError, ValueError):
        return None
    return x, y


@dataclass(frozen=True)
class PatternEntry:
    """What matching needs of one pattern."""

    pattern_id: str
    key: str
    position: tuple[float, float] | None
    visual: tuple[int, int] | None
    confidence: float


@dataclass
class _TypeBucket:
    exact: dict[str, list[PatternEntry]] = field(default_factory=dict)
    by_token: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    textless_grid: dict[tuple[int, int], list[PatternEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )
    textless_unplaced: list[PatternEntry] = field(default_factory=list)


GRID = 10


def _cell(position: tuple[float, float]) -> tuple[int, int]:
    return (
        min(GRID - 1, max(0, int(position[0] * GRID))),
        min(GRID - 1, max(0, int(position[1] * GRID))),
    )


class PatternIndex:
    """The active patterns of one organization and application, ready for fast lookups."""

    def __init__(self, stamp: str | None = None) -> None:
        self.stamp = stamp
        self.buckets: dict[ElementType, _TypeBucket] = {}
        self.where: dict[str, tuple[ElementType, PatternEntry]] = {}
        self.high_water: datetime | None = None  # newest ``updated_at`` read so far
        self.built_at = time.monotonic()

    @property
    def size(self) -> int:
        return len(self.where)

    def remove(self, pattern_id: str) -> None:
        """Forget a pattern (deactivated or changed); a no-op if it is not indexed."""
        found = self.where.pop(pattern_id, None)
        if found is None:
            return
        element_type, entry = found
        bucket = self.buckets[element_type]
        if entry.key:
            entries = [e for e in bucket.exact.get(entry.key, []) if e.pattern_id != pattern_id]
            if entries:
                bucket.exact[entry.key] = entries
            else:  # its tokens keep pointing at the key; lookups skip keys that are gone
                bucket.exact.pop(entry.key, None)
        elif entry.position is not None:
            cell = _cell(entry.position)
            bucket.textless_grid[cell] = [
                e for e in bucket.textless_grid[cell] if e.pattern_id != pattern_id
            ]
        else:
            bucket.textless_unplaced = [
                e for e in bucket.textless_unplaced if e.pattern_id != pattern_id
            ]

    def add(self, element_type: ElementType, entry: PatternEntry) -> None:
        element_type = ElementType(element_type)
        if entry.pattern_id in self.where:
            self.remove(entry.pattern_id)
        bucket = self.buckets.setdefault(element_type, _TypeBucket())
        self.where[entry.pattern_id] = (element_type, entry)
        if entry.key:
            entries = bucket.exact.get(entry.key)
            if entries is None:
                bucket.exact[entry.key] = [entry]
                for token in _tokens(entry.key):
                    bucket.by_token[token].append(entry.key)
            else:
                entries.append(entry)
        elif entry.position is not None:
            bucket.textless_grid[_cell(entry.position)].append(entry)
        else:
            bucket.textless_unplaced.append(entry)

    def text_candidates(
        self, element_type: ElementType, key: str, tuning: MatchTuning
    ) -> list[tuple[PatternEntry, float]]:
        """Patterns whose text agrees with ``key``: exact first, else the closest fuzzy texts."""
        bucket = self.buckets.get(ElementType(element_type))
        if bucket is None or not key:
            return []
        exact = bucket.exact.get(key)
        if exact:
            return [(entry, 1.0) for entry in exact]
        tokens = _tokens(key)
        if not tokens:
            return []
        # Rarest tokens first, so the candidate set stays small and telling.
        lists = sorted((bucket.by_token.get(t, []) for t in tokens), key=len)
        seen: dict[str, None] = {}
        for keys in lists:
            for candidate in keys:
                if candidate not in bucket.exact:
                    continue
                seen.setdefault(candidate, None)
                if len(seen) >= tuning.fuzzy_candidates:
                    break
            if len(seen) >= tuning.fuzzy_candidates:
                break
        if not seen:
            return []
        found = process.extract(
            key, list(seen), scorer=fuzz.ratio, score_cutoff=tuning.fuzzy_prefilter * 100, limit=5
        )
        out: list[tuple[PatternEntry, float]] = []
        for text, _, _ in found:
            score = texts_agree(key, text, tuning)
            if score >= tuning.fuzzy_min_text and text in bucket.exact:
                out.extend((entry, score) for entry in bucket.exact[text])
        return out

    def textless_candidates(
        self, element_type: ElementType, position: tuple[float, float] | None
    ) -> list[PatternEntry]:
        bucket = self.buckets.get(ElementType(element_type))
        if bucket is None:
            return []
        if position is None:
            return list(bucket.textless_unplaced)
        cx, cy = _cell(position)
        out = list(bucket.textless_unplaced)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                out.extend(bucket.textless_grid.get((cx + dx, cy + dy), ()))
        return out


@dataclass(frozen=True)
class ElementView:
    """What matching needs of one detected element."""

    element_id: str
    element_type: ElementType
    key: str  # normalized text (its caption's text for a field without text)
    position: tuple[float, float] | None
    visual: tuple[int, int] | None
    rejected: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    element_id: str
    pattern_id: str
    score: float


def _visual_similarity(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float | None:
    if a is None or b is None or a[1] != b[1] or a[1] == 0:
        return None
    return 1.0 - (a[0] ^ b[0]).bit_count() / a[1]


def _position_similarity(
    a: tuple[float, float] | None, b: tuple[float, float] | None, radius: float
) -> float | None:
    if a is None or b is None:
        return None
    distance = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
    return max(0.0, 1.0 - distance / radius)


def score_pair(
    element: ElementView,
    entry: PatternEntry,
    text_score: float | None,
    tuning: MatchTuning = DEFAULT_TUNING,
) -> float:
    """The combined evidence (0..1) that ``element`` is the element ``entry`` was learned from;
    0 when a required piece of evidence is missing."""
    visual = _visual_similarity(element.visual, entry.visual)
    if text_score is None:  # no text: look and place must both agree
        if visual is None or visual < tuning.visual_min:
            return 0.0
        position = _position_similarity(
            element.position, entry.position, tuning.textless_position_radius
        )
        if position is None or position <= 0:
            return 0.0
        combined = 0.6 * visual + 0.4 * position
        if combined < tuning.textless_accept:
            return 0.0
    else:
        if text_score < tuning.fuzzy_min_text:
            return 0.0
        position = _position_similarity(element.position, entry.position, tuning.position_radius)
        parts = [(tuning.weight_text, text_score)]
        if visual is not None:
            parts.append((tuning.weight_visual, visual))
        if position is not None:
            parts.append((tuning.weight_position, position))
        combined = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    influence = tuning.confidence_influence
    return combined * ((1.0 - influence) + influence * max(0.0, min(1.0, entry.confidence)))


def best_match(
    index: PatternIndex, element: ElementView, tuning: MatchTuning = DEFAULT_TUNING
) -> Match | None:
    """The pattern ``element`` most likely is, if the evidence clears ``tuning.accept``."""
    best: Match | None = None
    if element.key:
        candidates = index.text_candidates(element.element_type, element.key, tuning)
        scored = ((entry, score_pair(element, entry, text, tuning)) for entry, text in candidates)
        threshold = tuning.accept
    else:
        candidates_textless = index.textless_candidates(element.element_type, element.position)
        scored = (
            (entry, score_pair(element, entry, None, tuning)) for entry in candidates_textless
        )
        threshold = tuning.textless_accept
    for entry, score in scored:
        if entry.pattern_id in element.rejected or score < threshold:
            continue
        if best is None or score > best.score:
            best = Match(element.element_id, entry.pattern_id, round(min(1.0, score), 4))
    return best


def match_elements(
    index: PatternIndex, elements: list[ElementView], tuning: MatchTuning = DEFAULT_TUNING
) -> list[Match]:
    """The confident matches among ``elements`` (pure: no database)."""
    out = []
    for element in elements:
        found = best_match(index, element, tuning)
        if found is not None:
            out.append(found)
    return out


# ---------------------------------------------------------------- captions (layout reading)


def _box(element: Any) -> tuple[float, float, float, float]:
    box = element.bounding_box or {}
    return (
        float(box.get("left", 0) or 0),
        float(box.get("top", 0) or 0),
        float(box.get("width", 0) or 0),
        float(box.get("height", 0) or 0),
    )


def caption_labels(elements: list[Any]) -> dict[str, str]:
    """Which LABEL captions which field: ``{field element id: label element id}``.

    A label captions the nearest field it sits directly left of, directly above, or (for a
    checkbox or radio) directly right of, within a small gap. Each label captions one field.
    """
    labels = sorted(
        (
            (_box(e), e)
            for e in elements
            if ElementType(e.element_type) == ElementType.LABEL and e.text
        ),
        key=lambda item: item[0][1],
    )
    tops = [box[1] for box, _ in labels]
    tallest = max((box[3] for box, _ in labels), default=0.0)
    fields = [e for e in elements if ElementType(e.element_type) in FIELD_TYPES]
    pairs: list[tuple[float, str, str]] = []
    for f in fields:
        fx, fy, fw, fh = _box(f)
        f_type = ElementType(f.element_type)
        # Only labels whose top lies near the field's rows can caption it.
        low = bisect.bisect_left(tops, fy - tallest - max(12.0, 1.2 * max(fh, tallest)) - 4)
        high = bisect.bisect_right(tops, fy + fh)
        for (lx, ly, lw, lh), label in labels[low:high]:
            gap_limit_x = max(24.0, 1.5 * max(fh, lh)) + 16.0
            gap_limit_y = max(12.0, 1.2 * max(fh, lh))
            v_overlap = min(fy + fh, ly + lh) - max(fy, ly)
            h_overlap = min(fx + fw, lx + lw) - max(fx, lx)
            distance = None
            if v_overlap > 0.4 * min(fh, lh) and lx + lw <= fx + 4:
                gap = fx - (lx + lw)
                if gap <= max(120.0, 3 * fh):  # a label column left of the fields
                    distance = max(gap, 0.0)
            elif (
                v_overlap > 0.4 * min(fh, lh)
                and f_type in (ElementType.CHECKBOX, ElementType.RADIO)
                and lx >= fx + fw - 4
            ):
                gap = lx - (fx + fw)
                if gap <= gap_limit_x:
                    distance = max(gap, 0.0)
            elif ly + lh <= fy + 4 and (h_overlap > 0 or abs(lx - fx) <= 8):
                gap = fy - (ly + lh)
                if gap <= gap_limit_y:
                    distance = max(gap, 0.0)
            if distance is not None:
                pairs.append((distance, f.id, label.id))
    pairs.sort()
    captions: dict[str, str] = {}
    used: set[str] = set()
    for _, field_id, label_id in pairs:
        if field_id in captions or label_id in used:
            continue
        captions[field_id] = label_id
        used.add(label_id)
    return captions


def element_views(
    elements: list[Any], width: float, height: float, captions: dict[str, str] | None = None
) -> list[ElementView]:
    """Matching's view of a screenshot's elements (fields take their caption's text)."""
    if captions is None:
        captions = caption_labels(elements)
    by_id = {e.id: e for e in elements}
    views = []
    for e in elements:
        # A field is named by its caption: its own text is usually the record's value.
        text = by_id[captions[e.id]].text if e.id in captions else e.text
        properties = e.properties or {}
        views.append(
            ElementView(
                element_id=e.id,
                element_type=ElementType(e.element_type),
                key=normalize_text(text),
                position=relative_center(e.bounding_box, width, height),
                visual=parse_visual_hash(properties.get("visualHash")),
                rejected=frozenset(properties.get("rejectedPatternIds") or ()),
            )
        )
    return views


def element_text(element: Any, elements: list[Any]) -> str:
    """The words that name an element: a field's caption, else its own text."""
    if ElementType(element.element_type) in FIELD_TYPES:
        label_id = caption_labels(elements).get(element.id)
        if label_id:
            return next((e.text or "" for e in elements if e.id == label_id), "").strip()
    return (element.text or "").strip()


# ---------------------------------------------------------------- the per-process cache

_cache: dict[tuple[str, str], PatternIndex] = {}
_cache_lock = threading.Lock()


def image_size(screenshot: Screenshot) -> tuple[float, float]:
    dims = screenshot.dimensions or {}
    return float(dims.get("width") or 0), float(dims.get("height") or 0)


def entry_for(pattern: Any) -> PatternEntry:
    """The index entry of a pattern row (or of a row-like tuple with the same fields)."""
    box = pattern.bounding_box or {}
    position = None
    if "centerX" in box and "centerY" in box:
        try:
            position = (float(box["centerX"]), float(box["centerY"]))
        except (TypeError, ValueError):
            position = None
    return PatternEntry(
        pattern_id=pattern.id,
        key=normalize_text(pattern.text),
        position=position,
        visual=parse_visual_hash(pattern.visual_hash),
        confidence=float(pattern.confidence),
    )


# A pattern change is read again by every process within this window after its
# ``updated_at`` (covers transactions that commit a little after they wrote; ours take
# seconds). A bulk import is therefore re-read whole for this long after it.
REFRESH_WINDOW = timedelta(minutes=2)
FULL_REBUILD_AFTER_S = 30 * 60


def _pattern_rows(session: Session, organization_id: str, application: str, since=None):  # noqa: ANN001, ANN202
    query = select(
        Pattern.id,
        Pattern.element_type,
        Pattern.text,
        Pattern.bounding_box,
        Pattern.visual_hash,
        Pattern.confidence,
        Pattern.is_active,
        Pattern.updated_at,
    ).where(
        Pattern.organization_id == organization_id,
        changes.application_column(Pattern.application_name)
        == changes.application_key(application),
    )
    if since is None:
        query = query.where(Pattern.is_active.is_(True))
    else:
        query = query.where(Pattern.updated_at >= since)
    return session.exec(query).all()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _apply_rows(index: PatternIndex, rows: list) -> None:  # noqa: ANN001
    for row in rows:
        if row.is_active:
            index.add(ElementType(row.element_type), entry_for(row))
        else:
            index.remove(row.id)
        moment = _aware(row.updated_at)
        if moment is not None and (index.high_water is None or moment > index.high_water):
            index.high_water = moment


def build_index(
    session: Session, organization_id: str, application: str, stamp: str | None = None
) -> PatternIndex:
    """Read the active patterns of one organization and application into a fresh index."""
    index = PatternIndex(stamp)
    _apply_rows(index, _pattern_rows(session, organization_id, application))
    return index


def pattern_index(session: Session, organization_id: str, application: str) -> PatternIndex:
    """The organization's active patterns for ``application``, cached per process.

    When the ``patterns:<org>:<app>`` marker moves, only the patterns changed since the
    cached index was read are read again (a full rebuild every 30 minutes bounds any
    drift). A transaction that changed patterns itself gets a private index, so the shared
    one never holds anything that could still be rolled back.
    """
    marker = changes.library_key(organization_id, application)
    stamp = changes.read(session, marker)
    key = (organization_id, changes.application_key(application))
    cached = _cache.get(key)
    if stamp is not None and cached is not None and cached.stamp == stamp:
        return cached
    private = marker in session.info.get(changes.TOUCHED, ())
    fresh = cached is not None and time.monotonic() - cached.built_at < FULL_REBUILD_AFTER_S
    if private or stamp is None or not fresh or cached.high_water is None:
        index = build_index(session, organization_id, application, stamp)
        if not private and stamp is not None:
            with _cache_lock:
                _cache[key] = index
        return index
    with _cache_lock:  # readers never lock: lists and dicts are swapped or appended whole
        rows = _pattern_rows(
            session, organization_id, application, since=cached.high_water - REFRESH_WINDOW
        )
        _apply_rows(cached, rows)
        cached.stamp = stamp
    return cached


def forget_cache() -> None:
    """Drop every cached index (tests and benchmarks)."""
    with _cache_lock:
        _cache.clear()


# ---------------------------------------------------------------- matching a screenshot


def screenshot_context(session: Session, screenshot_id: str) -> tuple[Screenshot, Workflow]:
    screenshot = session.get(Screenshot, screenshot_id)
    if screenshot is None:
        raise LookupError(f"screenshot {screenshot_id} does not exist")
    workflow = session.get(Workflow, screenshot.workflow_id)
    assert workflow is not None
    return screenshot, workflow


def record_usage(session: Session, counts: dict[str, int]) -> None:
    """Add matched uses to patterns' ``usage_count`` and stamp ``last_used_at`` (one batch)."""
    if not counts:
        return
    table = Pattern.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("pattern_id"))
        .values(
            usage_count=table.c.usage_count + bindparam("uses"),
            last_used_at=utcnow(),
            updated_at=table.c.updated_at,  # use is not a change: matching caches stay valid
        )
    )
    session.connection().execute(
        statement, [{"pattern_id": pid, "uses": n} for pid, n in sorted(counts.items())]
    )
    for pattern in session.identity_map.values():  # rows already loaded see the new counts
        if isinstance(pattern, Pattern) and pattern.id in counts:
            session.expire(pattern, ["usage_count", "last_used_at"])


def match_screenshot(
    session: Session,
    screenshot_id: str,
    *,
    tuning: MatchTuning = DEFAULT_TUNING,
    elements: list[DetectedElement] | None = None,
) -> list[Match]:
    """Match a screenshot's unmatched elements against its organization's active patterns;
    links the confident matches and counts their use. Called by the analysis pipeline."""
    screenshot, workflow = screenshot_context(session, screenshot_id)
    if elements is None:
        elements = list(
            session.exec(
                select(DetectedElement).where(DetectedElement.screenshot_id == screenshot_id)
            ).all()
        )
    width, height = image_size(screenshot)
    index = pattern_index(session, workflow.organization_id, workflow.application_name)
    if index.size == 0:
        return []
    views = [
        v
        for v, e in zip(element_views(elements, width, height), elements, strict=True)
        if e.pattern_id is None
    ]
    matches = match_elements(index, views, tuning)
    link_matches(session, elements, matches)
    return matches


def link_matches(session: Session, elements: list[DetectedElement], matches: list[Match]) -> None:
    """Point matched elements at their patterns and count the uses (batched statements)."""
    if not matches:
        return
    session.flush()
    table = DetectedElement.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("element_id"))
        .values(pattern_id=bindparam("pid"), match_confidence=bindparam("score")),
        [{"element_id": m.element_id, "pid": m.pattern_id, "score": m.score} for m in matches],
    )
    by_id = {e.id: e for e in elements}
    counts: dict[str, int] = defaultdict(int)
    for found in matches:
        element = by_id[found.element_id]
        set_committed_value(element, "pattern_id", found.pattern_id)
        set_committed_value(element, "match_confidence", found.score)
        counts[found.pattern_id] += 1
    record_usage(session, counts)

"""Matching rules: normalization, type agreement, text variants, thresholds, evidence."""

from __future__ import annotations

import pytest

from techledger.enums import ElementType
from techledger.services.matching import (
    DEFAULT_TUNING,
    ElementView,
    MatchTuning,
    PatternEntry,
    PatternIndex,
    best_match,
    caption_labels,
    normalize_text,
)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Submit", "submit"),
        ("  SUBMIT  ", "submit"),
        ("Email *", "email"),
        ("Email:", "email"),
        ("Invoice #10023", "invoice 0"),
        ("Invoice 7731", "invoice 0"),
        ("Address line 2", "address line 2"),
        ("Due 12/05/2026", "due 0"),
        ("Save   and\nclose", "save and close"),
        ("Total: $1,234.50", "total 0"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(raw, normalized):  # noqa: ANN001
    assert normalize_text(raw) == normalized


def _entry(pid: str, text: str, pos=(0.5, 0.5), visual=None, confidence=1.0) -> PatternEntry:  # noqa: ANN001
    return PatternEntry(pid, normalize_text(text), pos, visual, confidence)


def _view(text: str, element_type=ElementType.BUTTON, pos=(0.5, 0.5), visual=None, rejected=()):  # noqa: ANN001, ANN202
    return ElementView("e1", element_type, normalize_text(text), pos, visual, frozenset(rejected))


@pytest.fixture
def index() -> PatternIndex:
    idx = PatternIndex("s")
    idx.add(ElementType.BUTTON, _entry("p-submit", "Submit", (0.1, 0.9)))
    idx.add(ElementType.BUTTON, _entry("p-cancel", "Cancel", (0.2, 0.9)))
    idx.add(ElementType.LINK, _entry("p-link-submit", "Submit", (0.1, 0.9)))
    idx.add(ElementType.INPUT, _entry("p-email", "Email address", (0.3, 0.3)))
    idx.add(ElementType.BUTTON, _entry("p-invoice", "Open invoice 1200", (0.5, 0.5)))
    return idx


def test_same_text_same_type_matches(index):  # noqa: ANN001
    found = best_match(index, _view("SUBMIT", pos=(0.12, 0.88)))
    assert found is not None and found.pattern_id == "p-submit"
    assert 0.9 < found.score <= 1.0


def test_type_must_agree(index):  # noqa: ANN001
    found = best_match(index, _view("Submit", ElementType.LINK, pos=(0.1, 0.9)))
    assert found.pattern_id == "p-link-submit"
    assert best_match(index, _view("Submit", ElementType.CHECKBOX)) is None
    assert best_match(index, _view("Cancel", ElementType.LINK)) is None


def test_digits_and_ocr_typos_still_match(index):  # noqa: ANN001
    assert best_match(index, _view("Open Invoice 9931")).pattern_id == "p-invoice"
    typo = best_match(index, _view("Email adress", ElementType.INPUT, pos=(0.3, 0.3)))
    assert typo is not None and typo.pattern_id == "p-email"
    assert typo.score < 1.0


@pytest.mark.parametrize(
    ("learned", "seen", "same"),
    [
        ("Submit", "Subrnit", True),  # OCR: rn for m
        ("Last name", "Last narne", True),
        ("Delete", "Dclete", True),
        ("Email address", "Email adress", True),
        ("Mark stage as complete", "Mark status as complete", False),  # another word
        ("Help for this page", "Help for this list", False),
        ("Submit as Open", "Submit as On-hold", False),
        ("Export CSV", "Export PDF", False),
        ("Save", "Save as draft", False),
    ],
)
def test_misreadings_match_but_other_words_do_not(learned, seen, same):  # noqa: ANN001
    idx = PatternIndex("s")
    idx.add(ElementType.BUTTON, _entry("p", learned))
    found = best_match(idx, _view(seen))
    assert (found is not None) is same


def test_numbered_twins_are_not_fuzzy_matches():
    idx = PatternIndex("s")
    idx.add(ElementType.INPUT, _entry("line-1", "Address line 1"))
    assert best_match(idx, _view("Address line 1", ElementType.INPUT)).pattern_id == "line-1"
    assert best_match(idx, _view("Adress line 1", ElementType.INPUT)).pattern_id == "line-1"
    assert best_match(idx, _view("Address line 2", ElementType.INPUT)) is None


def test_different_words_do_not_match(index):  # noqa: ANN001
    assert best_match(index, _view("Submit order")) is None
    assert best_match(index, _view("Subscribe")) is None
    assert best_match(index, _view("Email", ElementType.INPUT, pos=(0.3, 0.3))) is None


def test_threshold_decides(index):  # noqa: ANN001
    strict = MatchTuning(fuzzy_min_text=0.99)
    assert (
        best_match(index, _view("Email adress", ElementType.INPUT, pos=(0.3, 0.3)), strict) is None
    )
    never = MatchTuning(accept=1.01)
    assert best_match(index, _view("Submit", pos=(0.1, 0.9)), never) is None


def test_position_and_visual_pick_between_twins():
    idx = PatternIndex("s")
    idx.add(ElementType.BUTTON, _entry("top", "Save", (0.9, 0.1), (0xFF00, 16)))
    idx.add(ElementType.BUTTON, _entry("bottom", "Save", (0.9, 0.9), (0x00FF, 16)))
    assert best_match(idx, _view("Save", pos=(0.88, 0.12), visual=(0xFF00, 16))).pattern_id == "top"
    assert (
        best_match(idx, _view("Save", pos=(0.9, 0.85), visual=(0x00FF, 16))).pattern_id == "bottom"
    )


def test_textless_elements_need_look_and_place():
    idx = PatternIndex("s")
    idx.add(ElementType.BUTTON, _entry("icon", "", (0.95, 0.05), (0xABCDEF0123456789, 64)))
    same = _view("", pos=(0.95, 0.06), visual=(0xABCDEF0123456789, 64))
    assert best_match(idx, same).pattern_id == "icon"
    assert best_match(idx, _view("", pos=(0.2, 0.5), visual=(0xABCDEF0123456789, 64))) is None
    assert best_match(idx, _view("", pos=(0.95, 0.05), visual=(0x1234567890ABCDEF, 64))) is None
    assert best_match(idx, _view("", pos=(0.95, 0.05), visual=None)) is None


def test_low_confidence_pattern_stops_matching():
    idx = PatternIndex("s")
    idx.add(ElementType.BUTTON, _entry("weak", "Save", (0.5, 0.5), confidence=0.2))
    assert best_match(idx, _view("Save", pos=(0.5, 0.5))) is None
    assert DEFAULT_TUNING.accept > 0.5 + 0.5 * 0.2


def test_rejected_pattern_is_not_matched_again(index):  # noqa: ANN001
    assert best_match(index, _view("Submit", pos=(0.1, 0.9), rejected=["p-submit"])) is None


class _E:
    def __init__(self, id, t, text, box):  # noqa: A002, ANN001
        self.id, self.element_type, self.text = id, t, text
        self.bounding_box = dict(zip(("left", "top", "width", "height"), box, strict=True))


def test_caption_labels_pair_labels_with_fields():
    elements = [
        _E("l1", ElementType.LABEL, "Email", (40, 100, 80, 20)),
        _E("i1", ElementType.INPUT, None, (40, 124, 300, 32)),
        _E("l2", ElementType.LABEL, "Phone", (40, 180, 80, 20)),
        _E("i2", ElementType.INPUT, None, (130, 176, 300, 32)),  # label on the left
        _E("c1", ElementType.CHECKBOX, None, (40, 240, 18, 18)),
        _E("l3", ElementType.LABEL, "Subscribe", (64, 239, 100, 20)),  # label on the right
        _E("h1", ElementType.LABEL, "Contact details", (40, 20, 300, 30)),  # a heading
    ]
    assert caption_labels(elements) == {"i1": "l1", "i2": "l2", "c1": "l3"}

"""Candidate regions: a table drawn without a frame still gets one box over all its rows."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from techledger.vision.detect import box_candidates, edge_map, row_stack_candidates
from techledger.vision.ocr import Word

UNIT = 14.0  # typical text height of the drawings below


def _candidates(image: Image.Image):  # noqa: ANN202
    rgb = np.asarray(image)
    edges = edge_map(rgb)
    return row_stack_candidates(edges, box_candidates(rgb, edges, []), UNIT)


def _covers(cands, box: tuple[int, int, int, int], slack: int = 4) -> bool:  # noqa: ANN001
    return any(all(abs(a - b) <= slack for a, b in zip(c.box(), box, strict=True)) for c in cands)


def test_rules_between_rows_make_one_table_box_with_and_without_the_header_row() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 341, 40):  # seven rules 40 px apart, no frame, no column lines
        draw.line([(50, y), (850, y)], fill=(220, 220, 220))
    cands = _candidates(image)
    assert _covers(cands, (50, 100, 801, 241))  # from the first rule
    assert _covers(cands, (50, 60, 801, 281))  # with the header row above it
    assert all(c.source == "rows" for c in cands)


def test_zebra_stripes_without_any_rule_make_a_table_box() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 400, 60):  # a tinted row every other row
        draw.rectangle([50, y, 850, y + 29], fill=(240, 242, 246))
    cands = _candidates(image)
    tops = {c.top for c in cands}
    assert cands and min(tops) <= 100 + 4
    assert any(c.bottom >= 370 and c.left <= 50 and c.right >= 848 for c in cands)


def test_two_rules_or_unequal_rules_are_not_a_table() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(50, 100), (850, 100)], fill=(200, 200, 200))
    draw.line([(50, 140), (850, 140)], fill=(200, 200, 200))
    draw.line([(50, 180), (500, 180)], fill=(200, 200, 200))  # another length: another block
    draw.line([(300, 220), (850, 220)], fill=(200, 200, 200))
    assert _candidates(image) == []


def test_a_word_box_reaching_past_the_image_edge_is_clipped_and_features_still_compute() -> None:
    """Tesseract once reported a 'D' 34 px tall at the last rows of a 768 px screenshot; the
    line candidate went 10 px past the bottom and feature extraction crashed on it."""
    from techledger.vision.classify import candidates_and_features
    from techledger.vision.ocr import Word

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((10, 185), "D", fill="black")
    words = [Word(text="D", confidence=0.0, left=8, top=176, width=8, height=34)]
    cands, feats = candidates_and_features(np.asarray(image), words)
    lines = [c for c in cands if c.source == "line"]
    assert [c.box() for c in lines] == [(8, 176, 8, 24)]
    assert feats.shape[0] == len(cands) and np.isfinite(feats).all()


# --- text lines and their other readings -------------------------------------------------


def _word(text: str, left: int, width: int, top: int = 50, height: int = 13):  # noqa: ANN202
    from techledger.vision.ocr import Word

    return Word(text=text, confidence=0.95, left=left, top=top, width=width, height=height)


def _lines(image: Image.Image, words: list) -> dict[str, set[tuple[int, int, int, int]]]:  # noqa: ANN001
    """Boxes of the line candidates, by reading."""
    from techledger.vision.detect import text_lines

    out: dict[str, set[tuple[int, int, int, int]]] = {}
    for c in text_lines(words, edge_map(np.asarray(image))):
        assert c.source == "line"
        out.setdefault(c.reading, set()).add(c.box())
    return out


def test_a_tall_last_letter_just_past_the_ocr_box_does_not_split_the_line() -> None:
    """OCR boxed "will" one pixel short of its last "l": that full-height stroke once read as a
    rule between the words and "Who will be covered?" became two lines."""
    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([96, 50, 97, 62], fill="black")  # the "l" stroke, just past the word box
    words = [_word("will", 70, 25), _word("be", 104, 16)]
    assert _lines(image, words)["line"] == {(70, 50, 50, 13)}


def test_a_rule_between_words_splits_the_line_and_is_never_joined_across() -> None:
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).line([(105, 40), (105, 72)], fill=(120, 120, 120))  # a field's side
    words = [_word("Name", 60, 36), _word("Dana", 114, 34)]
    lines = _lines(image, words)
    assert lines["line"] == {(60, 50, 36, 13), (114, 50, 34, 13)}
    assert "join" not in lines


def test_a_line_is_also_offered_in_its_pieces_between_wide_gaps() -> None:
    """A caption and its value side by side ("Plant: 1010") read as one line by the gaps."""
    image = Image.new("RGB", (400, 120), "white")
    words = [_word("Plant:", 20, 40), _word("1010", 70, 30)]  # a 10 px gap: under 0.9 x 13
    lines = _lines(image, words)
    assert lines["line"] == {(20, 50, 80, 13)}
    assert lines["piece"] == {(20, 50, 40, 13), (70, 50, 30, 13)}


def test_two_lines_a_symbol_apart_are_also_offered_joined() -> None:
    """OCR does not read the "+" of "Me + spouse": a gap of 18 px splits the line."""
    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(88, 56), (94, 56)], fill="black")
    draw.line([(91, 53), (91, 59)], fill="black")
    words = [_word("Me", 60, 21), _word("spouse", 99, 47)]
    lines = _lines(image, words)
    assert lines["line"] == {(60, 50, 21, 13), (99, 50, 47, 13)}
    assert lines["join"] == {(60, 50, 86, 13)}
    far = [_word("Me", 60, 21), _word("spouse", 120, 47)]  # 39 px: over twice the height
    assert "join" not in _lines(image, far)


def test_a_small_icon_before_a_nav_item_and_a_chevron_after_it_are_offered_with_it() -> None:
    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 49, 53, 62], outline=(90, 90, 90))  # the icon, 8 px before the text
    draw.line([(136, 54), (140, 58), (144, 54)], fill=(90, 90, 90))  # a chevron after it
    lines = _lines(image, [_word("Reports", 62, 66)])
    assert (62, 50, 66, 13) in lines["line"]
    grown = lines["icon"]
    assert any(b[0] <= 41 and b[0] + b[2] == 128 for b in grown)  # with the icon
    assert any(b[0] == 62 and b[0] + b[2] >= 144 for b in grown)  # with the chevron
    assert any(b[0] <= 41 and b[0] + b[2] >= 144 for b in grown)  # with both


def test_a_mark_that_is_part_of_something_bigger_is_not_an_icon() -> None:
    """A long rule running up to the text (a table's column) is not the item's icon."""
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).line([(0, 56), (50, 56)], fill=(90, 90, 90))
    assert "icon" not in _lines(image, [_word("Reports", 62, 66)])


def test_a_line_reaching_past_the_image_bottom_is_grown_over_its_icon_inside_the_image() -> None:
    from techledger.vision.classify import candidates_and_features

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle([40, 186, 52, 199], outline=(90, 90, 90))
    words = [_word("Reports", 62, 66, top=185, height=24)]  # 9 px past the bottom
    cands, feats = candidates_and_features(np.asarray(image), words)
    icons = [c for c in cands if c.reading == "icon"]
    assert icons and all(c.bottom <= 200 for c in cands)
    assert feats.shape[0] == len(cands) and np.isfinite(feats).all()


def test_an_open_tab_is_offered_padded_down_to_its_bar() -> None:
    """GitHub's "Issues" tab: the open tab's 2 px bar lies 9 px under its text and overhangs it
    by 14 px each side; the tab's box is the bar's width, padded above as much as below."""
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).rectangle([46, 72, 141, 73], fill=(253, 140, 115))
    lines = _lines(image, [_word("Issues", 60, 68)])
    assert (60, 50, 68, 13) in lines["line"]
    (box,) = lines["underline"]
    left, top, width, height = box
    assert (left, left + width) == (46, 142)  # the bar's extent
    assert 73 <= top + height <= 75 and abs((50 - top) - (top + height - 63)) <= 1


def test_a_nav_item_is_also_offered_with_the_count_at_the_far_end_of_its_row() -> None:
    """ "Assigned ........ 87" is one link: the line is also offered joined with a count alone
    further along its row, but not across a rule, past other text, or with a word that is
    no count."""
    blank = Image.new("RGB", (400, 120), "white")
    assigned = _word("Assigned", 20, 60)
    count = _word("87", 196, 14)
    whole = (20, 50, 190, 13)

    def joined(image: Image.Image, words: list) -> set:  # noqa: ANN001
        return _lines(image, words).get("join", set())

    assert whole in joined(blank, [assigned, count])
    assert whole in joined(blank, [assigned, _word("(1,184)", 160, 50)])
    ruled = blank.copy()
    ImageDraw.Draw(ruled).line([(140, 40), (140, 70)], fill=(180, 180, 180))
    assert not joined(ruled, [assigned, count])
    between = joined(blank, [assigned, _word("Today", 120, 36), count])
    assert not any(left == 20 for left, *_ in between)  # "Today 87" may be one, not all three
    assert not joined(blank, [assigned, _word("Open", 180, 30)])  # no count
    assert not joined(blank, [assigned, _word("87", 396, 14)])  # too far along


def test_a_caption_is_also_offered_with_the_icon_centred_above_it() -> None:
    """A nav rail's item or a toolbar button draws its icon over its caption: the caption is
    also offered grown over the icon, even when OCR reads the icon as an unsure "word"; not
    over a line of text above it, an off-centre mark, or a rule running past it."""
    image = Image.new("RGB", (400, 160), "white")
    ImageDraw.Draw(image).rectangle([42, 20, 59, 37], outline=(60, 60, 60), width=2)  # icon
    caption = _word("Home", 33, 26, top=50, height=10)
    assert (33, 19, 27, 41) in _lines(image, [caption])["icon"]
    assert (33, 19, 27, 41) in _lines(image, [caption, Word("hl", 0.6, 42, 20, 18, 18)])["icon"]
    text_above = Image.new("RGB", (400, 160), "white")
    ImageDraw.Draw(text_above).rectangle([30, 30, 62, 39], fill=(60, 60, 60))  # inked text
    above = _word("Users", 30, 33, top=30, height=10)
    assert all(box[1] >= 50 for box in _lines(text_above, [caption, above]).get("icon", set()))
    off = Image.new("RGB", (400, 160), "white")
    ImageDraw.Draw(off).rectangle([90, 20, 107, 37], outline=(60, 60, 60), width=2)
    assert "icon" not in _lines(off, [caption])
    ruled = Image.new("RGB", (400, 160), "white")
    ImageDraw.Draw(ruled).line([(0, 40), (399, 40)], fill=(180, 180, 180))
    assert "icon" not in _lines(ruled, [caption])


def test_a_links_own_underline_a_divider_and_a_buttons_bottom_are_no_tab_bar() -> None:
    words = [_word("Issues", 60, 68)]
    own = Image.new("RGB", (400, 120), "white")  # text-decoration: as wide as the text
    ImageDraw.Draw(own).line([(60, 64), (127, 64)], fill=(0, 0, 200))
    divider = Image.new("RGB", (400, 120), "white")  # runs on across the page
    ImageDraw.Draw(divider).line([(0, 72), (399, 72)], fill=(200, 200, 200))
    button = Image.new("RGB", (400, 120), "white")  # a rounded box round the text
    ImageDraw.Draw(button).rounded_rectangle([46, 40, 141, 73], radius=6, outline=(90, 90, 90))
    for image in (own, divider, button):
        assert "underline" not in _lines(image, words)


def test_a_row_of_radios_read_as_a_word_of_rings_keeps_its_radios() -> None:
    """OCR reads a matrix row of radios as "0000" (or "@0"): the rings inside that word are
    controls, each a candidate of its own, while the letters of a real word ("Save") are not."""
    from techledger.vision.ocr import Word

    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    for x in (40, 70, 100, 130):  # four 12 px radios 30 px apart
        draw.ellipse([x, 40, x + 11, 51], outline=(110, 110, 110), width=1)
    draw.ellipse([250, 40, 261, 51], outline=(40, 40, 40), width=2)  # an "o" of a real word
    rgb = np.asarray(image)
    edges = edge_map(rgb)
    rings = Word("0000", 0.4, 40, 40, 102, 12)
    word = Word("Sove", 0.9, 240, 38, 60, 16)
    cands = box_candidates(rgb, edges, [rings, word])
    for x in (40, 70, 100, 130):
        assert _covers(cands, (x, 40, 12, 12), slack=2)
    assert not any(c.left >= 240 for c in cands)


@pytest.mark.parametrize(
    ("text", "confidence", "rings"),
    [
        ("@.0,0,.0", 0.3, True),  # five radios with OCR's commas between them
        ("0O.0,6.0.0.0", 0.41, True),  # a checkbox of the row read as a "6"
        ("070/007", 0.2, True),
        ("O", 0.9, True),
        ("0.00", 0.95, True),  # only rings: a price would have other digits
        ("600", 0.88, False),  # a sure reading with a digit that is no ring
        ("eno", 0.38, False),  # mostly letters
        ("Boo", 0.95, False),  # a word read surely
        ("20", 0.5, False),  # too short to tell
        ("...", 0.2, False),  # no ring at all
    ],
)
def test_a_word_made_mostly_of_rings_is_a_row_of_controls(
    text: str, confidence: float, rings: bool
) -> None:
    from techledger.vision.detect import rings_only
    from techledger.vision.ocr import Word

    assert rings_only(Word(text, confidence, 0, 0, 50, 12)) is rings


def test_a_grid_row_of_radios_and_checkboxes_read_as_mixed_glyphs_keeps_its_controls() -> None:
    """A survey-style row of four radios and two checkboxes that OCR reads unsurely as
    "0O.0,6.0": every control is a candidate of its own."""
    from techledger.vision.ocr import Word

    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    for x in (40, 70, 100, 130):
        draw.ellipse([x, 40, x + 11, 51], outline=(110, 110, 110), width=1)
    for x in (160, 190):
        draw.rounded_rectangle([x, 40, x + 11, 51], radius=2, outline=(110, 110, 110))
    rgb = np.asarray(image)
    cands = box_candidates(rgb, edge_map(rgb), [Word("0O.0,6.0", 0.41, 40, 40, 162, 12)])
    for x in (40, 70, 100, 130, 160, 190):
        assert _covers(cands, (x, 40, 12, 12), slack=2)


def _menu_over_a_form() -> tuple[Image.Image, tuple[int, int, int, int]]:
    """An open menu (frame, a highlighted first item, two separators) drawn over a form whose
    fields run under it, so the menu's frame joins their borders into one edge component."""
    image = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(image)
    for y in (120, 200, 280, 360):  # fields from the page behind, cut by the menu
        draw.rectangle([40, y, 700, y + 34], outline=(170, 170, 170), fill="white")
    left, top, right, bottom = 400, 90, 640, 420
    draw.rectangle([left, top, right, bottom], outline=(205, 210, 220), fill="white")
    draw.rectangle([left + 1, top + 6, right - 1, top + 40], fill=(232, 240, 254))  # hover
    for y in (210, 330):
        draw.line([(left + 1, y), (right - 1, y)], fill=(225, 225, 230))
    for y in range(top + 14, bottom - 20, 30):  # item texts, as ink
        draw.rectangle([left + 24, y, left + 120, y + 9], fill=(40, 40, 40))
    return image, (left, top, right - left + 1, bottom - top + 1)


def test_a_menu_over_the_page_split_by_separators_is_offered_whole() -> None:
    from benchmarks.vision_benchmark import iou
    from techledger.vision.detect import panel_candidates

    image, menu = _menu_over_a_form()
    rgb = np.asarray(image)
    edges = edge_map(rgb)
    boxes = box_candidates(rgb, edges, [])
    assert max(iou(list(c.box()), list(menu)) for c in boxes) < 0.5  # no ring outlines it alone
    panels = panel_candidates(boxes)
    best = max(panels, key=lambda c: iou(list(c.box()), list(menu)))
    assert iou(list(best.box()), list(menu)) >= 0.9 and best.source == "panel"


def test_one_flat_region_or_regions_of_other_widths_make_no_panel() -> None:
    from techledger.vision.detect import panel_candidates

    image = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 100, 400, 300], outline=(180, 180, 180))  # one box, no rule across it
    draw.rectangle([500, 100, 800, 200], outline=(180, 180, 180))  # two boxes one above the
    draw.rectangle([520, 201, 780, 300], outline=(180, 180, 180))  # other, of other widths
    rgb = np.asarray(image)
    edges = edge_map(rgb)
    assert panel_candidates(box_candidates(rgb, edges, [])) == []

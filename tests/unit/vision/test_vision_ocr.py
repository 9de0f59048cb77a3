"""Local OCR: the normalisation for Tesseract and the banded (parallel) reading."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from techledger.vision.ocr import (
    Word,
    band_cuts,
    merge_bands,
    normalise_for_ocr,
    reread_uncertain,
    scaled_crop,
    stack_crops,
    tesseract_words,
)


def _w(text: str, top: int, height: int = 20, left: int = 10) -> Word:
    return Word(text, 0.9, left, top, 40, height)


def test_band_cuts_prefer_a_blank_row_near_the_middle() -> None:
    img = np.full((200, 50), 255, np.uint8)
    img[80:115] = 0  # a text line across the equal split (row 100)
    img[130:140] = 0
    cuts = band_cuts(img, 2)
    assert cuts[0] == 0 and cuts[-1] == 200
    assert 115 <= cuts[1] < 130  # the blank gap nearest the middle, not through the line


def test_band_cuts_share_the_ink_not_the_height() -> None:
    """Text filling the top of a page (a mail list) is split between both Tesseract processes;
    an equal-height split would leave the lower one an empty band."""
    img = np.full((400, 50), 255, np.uint8)
    for top in range(10, 150, 20):
        img[top : top + 12] = 0  # seven text lines in the top 150 rows, nothing below
    cuts = band_cuts(img, 2)
    assert cuts[0] == 0 and cuts[-1] == 400
    above, below = (int((img[a:b] < 160).sum()) for a, b in zip(cuts, cuts[1:], strict=False))
    assert 50 <= cuts[1] <= 110 and min(above, below) >= 0.3 * (above + below)
    assert img[cuts[1]].min() == 255  # a blank row between lines, not through one


def test_band_cuts_one_band_is_the_whole_image() -> None:
    assert band_cuts(np.full((90, 10), 255, np.uint8), 1) == [0, 90]


def test_merge_bands_keeps_each_word_once_in_image_coordinates() -> None:
    cuts = [0, 100, 200]
    # band 0 spans rows 0..148, band 1 spans rows 52..200 (overlap 48 each side of the cut)
    band0 = [_w("top", 10), _w("cut", 85), _w("below", 120)]  # "below" centre 130: band 1's
    band1 = [_w("cut", 33), _w("below", 68), _w("bottom", 120)]  # "cut" centre 95: band 0's
    merged = merge_bands([(0, band0), (52, band1)], cuts)
    assert sorted((w.text, w.top) for w in merged) == [
        ("below", 120),
        ("bottom", 172),
        ("cut", 85),
        ("top", 10),
    ]


def test_normalise_keeps_bold_heading_and_drops_button_frames() -> None:
    rgb = np.full((120, 560, 3), 255, np.uint8)
    # an outlined button: its frame must go, the text inside must stay
    cv2.rectangle(rgb, (20, 20), (140, 50), (120, 120, 120), 1)
    cv2.putText(rgb, "Apply", (45, 42), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (30, 30, 30), 1)
    # a bold heading whose glyphs touch along a long row: not a "line"
    cv2.putText(
        rgb, "Lead Qualification", (160, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (40, 40, 40), 3
    )
    out = normalise_for_ocr(rgb)
    assert out[20, 80] > 200 and out[35, 20] > 200  # frame erased (top side, left side)
    assert (out[25:46, 45:110] < 128).sum() > 40  # button text kept
    heading = rgb[55:100, 160:].max(axis=2) < 128
    assert (out[55:100, 160:][heading] < 128).mean() > 0.9  # heading strokes kept


def _pill_page() -> np.ndarray:
    """Issue-list tags: white text on small red and green pills, dark text on a yellow one."""
    from PIL import Image, ImageDraw

    from tests.screenshot_images import _font as font

    img = Image.new("RGB", (520, 60), "white")
    draw = ImageDraw.Draw(img)
    x = 12
    for word, fill, ink in (
        ("urgent", (215, 58, 74), "white"),
        ("enhancement", (14, 138, 22), "white"),
        ("performance", (251, 202, 40), (31, 35, 3)),
    ):
        width = int(draw.textlength(word, font=font(12))) + 16
        draw.rounded_rectangle((x, 20, x + width, 38), radius=9, fill=fill)
        draw.text((x + 8, 22), word, fill=ink, font=font(12))
        x += width + 24
    return np.asarray(img)


def test_text_on_small_coloured_pills_is_read() -> None:
    """A pill shorter than the background window: measured against the page, its white text
    vanished and its rounded ends read as brackets ("@performance)")."""
    words = [w.text for w in tesseract_words(_pill_page(), 1.5)]
    assert words == ["urgent", "enhancement", "performance"]


def test_a_tail_running_into_a_pills_edge_is_kept() -> None:
    """The tail of a "g" reaching a tight pill's bottom edge was cut with the edge, so the word
    read "qateway" (on the hand-written issue tracker, "bug" read "bua"); keeping it must not
    let the pill's outline join the text as a bracket."""
    from PIL import Image, ImageDraw

    from tests.screenshot_images import _font as font

    img = Image.new("RGB", (360, 60), "white")
    draw = ImageDraw.Draw(img)
    x = 12
    for word in ("bug", "gateway", "triage"):
        width = int(draw.textlength(word, font=font(13))) + 12
        draw.rounded_rectangle((x, 21, x + width, 35), radius=7, fill=(215, 58, 74))
        draw.text((x + 6, 19), word, fill="white", font=font(13))
        x += width + 24
    words = [w.text for w in tesseract_words(np.asarray(img), 1.5)]
    assert words == ["bug", "gateway", "triage"]


def test_a_caption_touching_the_box_below_it_is_not_erased_with_the_box() -> None:
    """On a dark console (a hand-written evaluation page), the faint halo under "Description"
    joined it to the text area's frame below, and the caption was erased with the frame."""
    from pathlib import Path

    from PIL import Image

    page = Path(__file__).parents[3] / "evaluation/other/a4_service_console_case_1366.png"
    rgb = np.asarray(Image.open(page).convert("RGB"))[440:600, 380:1366]
    words = [w.text for w in tesseract_words(np.ascontiguousarray(rgb), 1.5)]
    assert "Description" in words


def _step_page() -> np.ndarray:
    """A wizard's step bar: numbers in outlined circles, initials in a filled one, and the
    glyphs O and 0 alone, which are rings too but hold nothing."""
    from PIL import Image, ImageDraw

    from tests.screenshot_images import _font as font

    img = Image.new("RGB", (520, 60), "white")
    draw = ImageDraw.Draw(img)
    for x, number in ((12, "3"), (132, "4")):
        draw.ellipse((x, 16, x + 26, 42), outline=(150, 150, 150), width=2)
        draw.text((x + 9, 21), number, fill=(60, 60, 60), font=font(14))
        draw.text((x + 34, 21), "Dental", fill=(60, 60, 60), font=font(14))
    draw.ellipse((252, 14, 282, 44), fill=(13, 71, 161))
    draw.text((258, 21), "JM", fill="white", font=font(13))
    draw.text((292, 21), "Jonas", fill=(30, 30, 30), font=font(14))
    draw.text((380, 14), "O 0", fill=(30, 30, 30), font=font(24))
    return np.asarray(img)


def test_rings_round_short_text_are_erased_but_not_round_glyphs() -> None:
    """Tesseract read a step number in its circle as "(4)" or nothing, and an avatar's
    initials as "(*s)"; the rings go, while O and 0 (empty rings) stay."""
    page = _step_page()
    out = normalise_for_ocr(page)
    assert out[17:19, 20:30].min() > 200 and out[29, 12:15].min() > 200  # circle top, left
    assert (out[20:38, 20:30] < 128).sum() > 20  # the number inside kept
    glyphs = page[10:50, 380:430].max(axis=2) < 128
    assert (out[10:50, 380:430][glyphs] < 128).mean() > 0.9
    words = [w.text for w in tesseract_words(page, 1.5)]
    assert words[:5] == ["3", "Dental", "4", "Dental", "JM"]


def test_normalise_stretches_faint_text() -> None:
    rgb = np.full((60, 200, 3), 250, np.uint8)
    cv2.putText(rgb, "faint", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (215, 215, 215), 2)
    out = normalise_for_ocr(rgb)
    assert out.min() < 60  # 35 levels of contrast become dark strokes


@pytest.mark.parametrize("bands", [1, 2])
def test_tesseract_words_same_in_one_or_two_bands(bands: int) -> None:
    rgb = np.full((300, 500, 3), 255, np.uint8)
    for i, word in enumerate(["Account", "Invoice", "Approve", "Customer", "Payment"]):
        cv2.putText(rgb, word, (30, 40 + 55 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    words = tesseract_words(rgb, 1.5, bands=bands)
    texts = [w.text for w in sorted(words, key=lambda w: w.top)]
    assert texts == ["Account", "Invoice", "Approve", "Customer", "Payment"]
    assert all(10 <= w.top <= 260 and 20 <= w.height <= 40 for w in words)


@pytest.mark.parametrize("n", [1, 2, 5, 6, 301])
def test_fast_median_colour_equals_numpy(n: int) -> None:
    from techledger.vision.features import _median_color

    px = np.random.default_rng(n).integers(0, 256, (n, 3)).astype(np.uint8)
    assert np.array_equal(_median_color(px), np.median(px, axis=0))


@pytest.mark.parametrize("n", [1, 2, 5, 6, 301])
def test_fast_median_equals_numpy(n: int) -> None:
    from techledger.vision.features import _median

    values = np.random.default_rng(n).integers(0, 60, n).astype(np.float64)
    assert _median(values) == np.median(values)


def test_stack_crops_puts_each_word_on_its_own_scaled_row() -> None:
    norm = np.full((100, 300), 255, np.uint8)
    canvas, layout = stack_crops(
        [scaled_crop(norm, b) for b in [(10, 10, 60, 10), (100, 50, 80, 40)]]
    )
    (a0, a1, al, at, ak), (b0, b1, bl, bt, bk) = layout
    assert ak == 3.0 and bk == 1.0  # a 10 px word is scaled to 30 px, a 40 px one is not shrunk
    assert a1 <= b0 and b1 <= canvas.shape[0]  # rows do not overlap
    assert (al, at) == (7, 8) and (bl, bt) == (97, 40)  # crop origins include the padding


def test_reread_replaces_an_unsure_misreading_only() -> None:
    rgb = np.full((60, 400, 3), 255, np.uint8)
    cv2.putText(rgb, "Invoice", (20, 35), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1)
    cv2.putText(rgb, "Ledger", (220, 35), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1)
    norm = normalise_for_ocr(rgb)
    unsure = Word("lnvoce", 0.2, 20, 25, 56, 11)
    sure = Word("Ledgr", 0.95, 220, 25, 50, 13)  # confident: kept even though wrong
    out = reread_uncertain(norm, [unsure, sure])
    assert [w.text for w in out] == ["Invoice", "Ledgr"]
    assert abs(out[0].left - 20) <= 3 and abs(out[0].top - 25) <= 4
    assert 40 <= out[0].width <= 70


def test_many_unsure_words_are_read_again_in_stacks_tesseract_accepts(monkeypatch) -> None:  # noqa: ANN001
    """A dense page's unsure words, stacked one per row, once made an image taller than
    Tesseract accepts (32,767 px) and the whole screenshot failed: they are read in several
    stacks under ``MAX_CANVAS_HEIGHT``, each word back in its place."""
    import techledger.vision.ocr as ocr

    names = ["Invoice", "Ledger", "Supplier", "Payment", "Approve", "Region"]
    rgb = np.full((60 * len(names), 300, 3), 255, np.uint8)
    for n, name in enumerate(names):
        cv2.putText(rgb, name, (20, 35 + 60 * n), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1)
    norm = normalise_for_ocr(rgb)
    unsure = [Word("x", 0.2, 20, 25 + 60 * n, 62, 11) for n in range(len(names))]
    heights = []
    real = ocr._tesseract_tsv

    def tesseract(img: np.ndarray, psm: int = 11) -> list[Word]:
        heights.append(img.shape[0])
        return real(img, psm)

    monkeypatch.setattr(ocr, "_tesseract_tsv", tesseract)
    monkeypatch.setattr(ocr, "MAX_CANVAS_HEIGHT", 150)  # two 33+24 px rows a stack
    out = reread_uncertain(norm, unsure)
    assert len(heights) == 3 and max(heights) <= 150
    assert [w.text for w in out] == names
    assert [abs(w.top - u.top) <= 4 for w, u in zip(out, unsure, strict=True)] == [True] * 6


def _cells(texts: list[tuple[int, str]], size: int = 13) -> np.ndarray:
    """One table row: each text drawn at its x, dark on white."""
    from PIL import Image, ImageDraw

    from tests.screenshot_images import _font as font

    img = Image.new("RGB", (520, 40), "white")
    draw = ImageDraw.Draw(img)
    for x, text in texts:
        draw.text((x, 12), text, fill=(33, 37, 41), font=font(size))
    return np.asarray(img)


def _box_of(rgb: np.ndarray, x0: int, x1: int) -> tuple[int, int, int, int]:
    """The ink box of the columns x0..x1 (a word as Tesseract would have boxed it)."""
    ys, xs = np.nonzero(rgb[:, x0:x1].max(axis=2) < 128)
    return (
        int(x0 + xs.min()),
        int(ys.min()),
        int(xs.max() - xs.min() + 1),
        int(ys.max() - ys.min() + 1),
    )


def test_short_tokens_left_unread_are_read_and_added() -> None:
    """Tesseract's page reading drops a table cell's lone "A" or "3" (on `unseen`, 499 missed
    words were one character with no word read over them): the ink no word covers is read
    again, scaled up, and sure tokens are added where they are."""
    rgb = _cells([(10, "Residential"), (200, "A"), (330, "3")])
    norm = normalise_for_ocr(rgb)
    first = [Word("Residential", 0.96, *_box_of(rgb, 0, 150))]
    out = reread_uncertain(norm, first)
    assert [w.text for w in out] == ["Residential", "A", "3"]
    for w, x in zip(out[1:], (200, 330), strict=True):
        assert abs(w.left - x) <= 3 and 8 <= w.top <= 20


def test_the_unread_part_of_a_word_is_read_with_it() -> None:
    """ "58.0" read as "58": the ".0" after the small point is ink no word covers, beside a
    read word on its line, so the two are read again together and the longer reading
    replaces the word."""
    rgb = _cells([(10, "Tm"), (120, "58.0")])
    norm = normalise_for_ocr(rgb)
    whole = _box_of(rgb, 100, 200)
    first = [
        Word("Tm", 0.95, *_box_of(rgb, 0, 60)),
        Word("58", 0.95, whole[0], whole[1], int(whole[2] * 0.55), whole[3]),
    ]
    out = reread_uncertain(norm, first)
    assert [w.text for w in out] == ["Tm", "58.0"]
    assert abs(out[1].left - whole[0]) <= 3 and abs(out[1].width - whole[2]) <= 5


def test_unread_ink_is_read_by_the_band_it_belongs_to() -> None:
    from techledger.vision.ocr import unread_ink

    rgb = _cells([(10, "Residential"), (200, "A")])
    norm = normalise_for_ocr(rgb)
    first = [Word("Residential", 0.96, *_box_of(rgb, 0, 150))]
    assert len(unread_ink(norm, first)) == 1
    assert len(unread_ink(norm, first, (0.0, 40.0))) == 1
    assert unread_ink(norm, first, (30.0, 80.0)) == []  # its centre is the other band's
    # ink beside a word Tesseract was unsure of is left to that word's own second reading
    rgb = _cells([(10, "Tm"), (120, "58.0")])
    whole = _box_of(rgb, 100, 200)
    tm = Word("Tm", 0.95, *_box_of(rgb, 0, 60))
    part = Word("58", 0.95, whole[0], whole[1], int(whole[2] * 0.55), whole[3])
    assert [r.replaces for r in unread_ink(normalise_for_ocr(rgb), [tm, part])] == [(1,)]
    unsure = Word("58", 0.5, part.left, part.top, part.width, part.height)
    assert unread_ink(normalise_for_ocr(rgb), [tm, unsure]) == []


@pytest.mark.parametrize(
    ("text", "confidence", "kept"),
    [
        ("3", 0.97, True),
        ("A", 0.93, True),
        ("MO", 0.91, True),
        ("12.5", 0.95, True),
        ("x", 0.94, False),
        ("vo", 0.95, False),
        ("3", 0.7, False),
    ],
)
def test_a_token_read_alone_is_kept_only_when_sure_and_not_lower_case(
    text: str, confidence: float, kept: bool
) -> None:
    """Icons read from unread ink come out as lower-case letters (a close cross "x", a
    chevron "v", a radio's ring "o"): on `unseen`, 88% of such readings overlapped no word."""
    from techledger.vision.ocr import _sure_token

    assert _sure_token(Word(text, confidence, 0, 0, 8, 12)) is kept

"""The engines on small rendered screenshots, and the Google engine on a recorded response."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from techledger.enums import ElementType
from techledger.vision import Analysis, get_engine, visual_hash_distance
from techledger.vision.annotate import annotate, crop_with_highlight
from techledger.vision.google import GoogleVisionEngine

FIX = Path(__file__).parent / "fixtures"
GOOGLE = Path(__file__).parents[2] / "fixtures" / "google_vision"


def _iou(a: dict, b: list[int]) -> float:
    ax, ay, aw, ah = a["left"], a["top"], a["width"], a["height"]
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    return ix * iy / (aw * ah + bw * bh - ix * iy)


@pytest.fixture(scope="module")
def local_results() -> dict[str, tuple[Analysis, dict]]:
    engine = get_engine("local")
    out = {}
    for name in ("light_form_shot", "dark_form_shot"):
        image = Image.open(FIX / f"{name}.png").convert("RGB")
        out[name] = (engine.analyze(image), json.loads((FIX / f"{name}.json").read_text()))
    return out


@pytest.mark.parametrize("name", ["light_form_shot", "dark_form_shot"])
def test_local_finds_save_button(local_results, name: str) -> None:
    analysis, truth = local_results[name]
    save = next(e for e in truth["elements"] if e["type"] == "BUTTON" and e["text"] == "Save")
    found = [e for e in analysis.elements if _iou(e.bounding_box, save["box"]) >= 0.5]
    assert found, analysis.to_json()
    assert found[0].element_type is ElementType.BUTTON
    assert "Save" in (found[0].text or "")
    assert 0.0 <= found[0].confidence <= 1.0
    props = found[0].properties
    assert props["backgroundColor"].startswith("#") and len(props["backgroundColor"]) == 7
    assert len(props["visualHash"]) == 16


def test_local_reads_the_upload_form_of_the_browser_tests_element_by_element() -> None:
    """The form the browser tests upload, as a member sees it in the viewer: every element
    with its type and text. With the models of this stop, a box round the word "address" hid
    the line "Email address" until LABELs were read from text lines only."""
    import io

    from tests import screenshot_images as images

    image = Image.open(io.BytesIO(images.form_png(seed=2, title="Lead details", button="Save")))
    found = [(e.element_type.value, e.text) for e in get_engine("local").analyze(image).elements]
    assert found == [
        ("LABEL", "Lead details"),
        ("LABEL", "Email address"),
        ("INPUT", "name@company.com"),
        ("LABEL", "Company"),
        ("INPUT", ""),
        ("BUTTON", "Save"),
    ]


def test_local_analysis_result_shape(local_results) -> None:
    analysis, truth = local_results["light_form_shot"]
    r = analysis.analysis_result
    assert set(r) == {"text", "objects", "metadata"}
    assert r["metadata"]["width"] == 480 and r["metadata"]["height"] == 300
    texts = {w["text"] for w in r["text"]["words"]}
    assert {"Save", "Cancel", "Email"} <= texts
    assert set(r["text"]["words"][0]["boundingBox"]) == {"top", "left", "width", "height"}
    box = analysis.elements[0].bounding_box
    assert len(box["vertices"]) == 4 and box["vertices"][2] == {
        "x": box["left"] + box["width"],
        "y": box["top"] + box["height"],
    }
    assert json.loads(analysis.to_json())["width"] == 480


class FakeClient:
    """Stands in for ``ImageAnnotatorClient``: answers every request with a recorded response."""

    def __init__(self, path: Path) -> None:
        from google.cloud import vision

        self.response = vision.AnnotateImageResponse.from_json(path.read_text())
        self.requests = []

    def annotate_image(self, request):
        self.requests.append(request)
        return self.response


def test_google_engine_on_recorded_response() -> None:
    client = FakeClient(GOOGLE / "light_form_shot.json")
    engine = GoogleVisionEngine(client=client)
    image = Image.open(FIX / "light_form_shot.png").convert("RGB")
    analysis = engine.analyze(image)
    assert len(client.requests) == 1
    words = analysis.analysis_result["text"]["words"]
    assert [w["text"] for w in words][:2] == ["Contact", "Details"]
    assert words[0]["confidence"] == pytest.approx(0.98)
    assert analysis.analysis_result["objects"][0]["name"] == "Button"
    assert analysis.analysis_result["objects"][0]["boundingPoly"]["vertices"][0]["x"] > 0
    truth = json.loads((FIX / "light_form_shot.json").read_text())
    for caption in ("Save", "Cancel"):
        button = next(
            e for e in truth["elements"] if e["type"] == "BUTTON" and e["text"] == caption
        )
        hits = [e for e in analysis.elements if _iou(e.bounding_box, button["box"]) >= 0.5]
        assert [(e.element_type, e.text) for e in hits] == [(ElementType.BUTTON, caption)]


def test_google_word_boxes_are_tightened_to_their_ink() -> None:
    """Google pads word boxes to the line's height; elements are read from the ink's extent.
    A rule crossing the whole padded box (a cell border) is not part of the word."""
    import numpy as np

    from techledger.vision.google import tight_to_ink
    from techledger.vision.ocr import Word

    rgb = np.full((60, 200, 3), 255, np.uint8)
    rgb[20:31, 30:70] = (20, 20, 20)  # the word's ink
    rgb[40, :] = (150, 150, 150)  # a cell border inside the second word's padded box
    rgb[44:52, 120:150] = (200, 30, 30)  # red ink
    words = [
        Word("Save", 0.9, 25, 14, 50, 22),
        Word("Total", 0.9, 115, 36, 40, 20),
        Word("blank", 0.9, 160, 5, 30, 20),  # no ink inside: left as Google gave it
    ]
    tight = tight_to_ink(rgb, words)
    assert [(w.left, w.top, w.width, w.height) for w in tight] == [
        (30, 20, 40, 11),
        (120, 44, 30, 8),
        (160, 5, 30, 20),
    ]
    assert [w.text for w in tight] == ["Save", "Total", "blank"]


def test_visual_hash_and_annotate(local_results) -> None:
    analysis, _ = local_results["light_form_shot"]
    hashes = [e.properties["visualHash"] for e in analysis.elements]
    assert visual_hash_distance(hashes[0], hashes[0]) == 0
    assert 0 <= visual_hash_distance(hashes[0], hashes[-1]) <= 64
    image = Image.open(FIX / "light_form_shot.png").convert("RGB")
    out = annotate(image, analysis.elements)
    assert out.size == image.size and out.tobytes() != image.tobytes()
    crop = crop_with_highlight(image, analysis.elements[0].bounding_box, margin=20)
    assert crop.width <= image.width and crop.height <= image.height


def test_a_text_inside_an_input_button_table_or_radio_card_is_not_an_element_of_its_own() -> None:
    """A placeholder or caption read as its own line belongs to the element around it: a
    LABEL inside an input, button, table or card-style radio is dropped, and so is any element
    read from a text line inside an input, button or radio card; a link read inside a table,
    or a box inside a button, stays."""
    from techledger.vision.classify import CLASSES, _without_text_inside
    from techledger.vision.detect import Candidate

    kind = {
        n: CLASSES.index(n)
        for n in ("INPUT", "LABEL", "BUTTON", "LINK", "TABLE", "CHECKBOX", "RADIO")
    }
    cands = [
        Candidate(29, 73, 302, 34, "ring"),  # 0 INPUT
        Candidate(41, 85, 159, 15, "line"),  # 1 LABEL: its placeholder, inside it
        Candidate(31, 53, 105, 11, "line"),  # 2 LABEL: its caption, above it
        Candidate(300, 80, 80, 15, "line"),  # 3 LABEL: only a third of it overlaps the input
        Candidate(29, 219, 122, 40, "ring"),  # 4 BUTTON
        Candidate(50, 230, 60, 15, "line"),  # 5 BUTTON read again from its caption line
        Candidate(400, 300, 500, 300, "ring"),  # 6 TABLE
        Candidate(420, 340, 80, 14, "line"),  # 7 LINK in a cell: kept
        Candidate(420, 380, 80, 14, "line"),  # 8 LABEL in a cell: the table's text
        Candidate(35, 224, 14, 14, "ring"),  # 9 CHECKBOX box inside the button: not a text line
        Candidate(1000, 200, 280, 140, "ring"),  # 10 RADIO: a plan card
        Candidate(1020, 220, 90, 16, "line"),  # 11 LABEL: the plan's name inside it
        Candidate(1020, 250, 60, 24, "line"),  # 12 LINK read from its price line
        Candidate(1000, 350, 120, 16, "line"),  # 13 LABEL under the card: kept
    ]
    kept = [
        (0.9, 0, kind["INPUT"]),
        (0.8, 1, kind["LABEL"]),
        (0.9, 2, kind["LABEL"]),
        (0.7, 3, kind["LABEL"]),
        (0.9, 4, kind["BUTTON"]),
        (0.6, 5, kind["BUTTON"]),
        (0.9, 6, kind["TABLE"]),
        (0.7, 7, kind["LINK"]),
        (0.7, 8, kind["LABEL"]),
        (0.5, 9, kind["CHECKBOX"]),
        (0.9, 10, kind["RADIO"]),
        (0.8, 11, kind["LABEL"]),
        (0.6, 12, kind["LINK"]),
        (0.8, 13, kind["LABEL"]),
    ]
    assert [i for _, i, _ in _without_text_inside(kept, cands)] == [0, 2, 3, 4, 6, 7, 9, 10, 13]


def test_a_checkbox_read_as_a_letter_is_not_text_of_its_label() -> None:
    """OCR reads an empty checkbox as "O": that word is the checkbox's mark, so the label
    beside it reads "Send reminders"; the caption inside a card-style radio stays its text."""
    from techledger.vision.classify import CLASSES, _mark_words
    from techledger.vision.detect import Candidate
    from techledger.vision.ocr import Word

    words = [
        Word("O", 0.6, 24, 141, 16, 16),
        Word("Send", 0.9, 49, 143, 33, 11),
        Word("Basic", 0.9, 230, 120, 40, 14),
    ]
    cands = [
        Candidate(24, 140, 16, 16, "ring"),  # CHECKBOX
        Candidate(200, 100, 180, 90, "ring"),  # card-style RADIO with its caption inside
        Candidate(24, 141, 58, 16, "line", words=words[:2]),  # LABEL
    ]
    kept = [(0.9, 0, CLASSES.index("CHECKBOX")), (0.8, 1, CLASSES.index("RADIO"))]
    kept.append((0.7, 2, CLASSES.index("LABEL")))
    assert _mark_words(kept, cands, words) == {id(words[0])}


def test_a_word_is_read_into_one_element_whichever_reading_of_its_line_wins() -> None:
    """A line and its pieces are all candidates; once the likelier one is kept, another
    reading sharing a word with it is not a second element, even when their boxes overlap
    too little for the box rule to drop it. Lines with words of their own are all kept."""
    import numpy as np

    from techledger.vision.classify import CLASSES, choose
    from techledger.vision.detect import Candidate
    from techledger.vision.ocr import Word

    def word(text: str, left: int, top: int = 50) -> Word:
        return Word(text=text, confidence=0.9, left=left, top=top, width=40, height=13)

    plant, code = word("Plant:", 20), word("1010", 70)
    other = word("Berlin", 20, top=90)
    cands = [
        Candidate(20, 50, 90, 13, "line", words=[plant, code]),  # 0 the whole line
        Candidate(20, 50, 40, 13, "line", words=[plant], reading="piece"),  # 1
        Candidate(70, 50, 40, 13, "line", words=[code], reading="piece"),  # 2
        Candidate(20, 90, 40, 13, "line", words=[other]),  # 3 a line of its own
    ]
    probs = np.zeros((4, len(CLASSES)))
    label = CLASSES.index("LABEL")
    probs[:, 0] = 0.1
    probs[:, label] = [0.5, 0.8, 0.7, 0.6]  # the two pieces are likelier than the whole
    kept = choose(cands, probs)
    assert sorted(i for _, i, _ in kept) == [1, 2, 3]
    probs[0, label] = 0.9  # now the whole line is the likeliest: its pieces go
    assert sorted(i for _, i, _ in choose(cands, probs)) == [0, 3]


def test_a_label_is_read_from_a_text_line_not_from_a_box_round_part_of_it() -> None:
    """A box drawn round one word of "Email address" once won as a LABEL over the whole line
    and hid it ("address" alone was kept). A box's LABEL likelihood counts as no element: the
    line is the LABEL, and a box that is likelier a button than nothing is still a button."""
    import numpy as np

    from techledger.vision.classify import CLASSES, choose
    from techledger.vision.detect import Candidate
    from techledger.vision.ocr import Word

    email = Word(text="Email", confidence=0.96, left=31, top=53, width=39, height=11)
    address = Word(text="address", confidence=0.96, left=77, top=53, width=59, height=11)
    cands = [
        Candidate(31, 53, 105, 11, "line", words=[email, address]),  # 0 the whole line
        Candidate(75, 52, 60, 12, "ring"),  # 1 a box round "address"
        Candidate(29, 219, 122, 40, "ring"),  # 2 a button
    ]
    label, button = CLASSES.index("LABEL"), CLASSES.index("BUTTON")
    probs = np.zeros((3, len(CLASSES)))
    probs[0, [0, label]] = [0.06, 0.75]
    probs[1, [0, label]] = [0.05, 0.9]
    probs[2, [0, label, button]] = [0.2, 0.3, 0.5]
    kept = choose(cands, probs)
    assert sorted((i, CLASSES[k]) for _, i, k in kept) == [(0, "LABEL"), (2, "BUTTON")]


def test_a_box_round_a_whole_line_s_ink_may_be_its_label() -> None:
    """OCR boxed "Yesterday" with the rule under it, so the line's box is twice its ink's
    height and matches no LABEL; and it read a radio's ring as "O" at the start of "Monthly".
    The edges round each text give its true extent: such a box may be the LABEL, in place of
    its line (a word is read once). A box round the line's own box, or round one word of a
    longer line, is still no LABEL."""
    import numpy as np

    from techledger.vision.classify import CLASSES, choose
    from techledger.vision.detect import Candidate
    from techledger.vision.ocr import Word

    day = [
        Word("Yesterday", 0.9, 25, 782, 43, 28),
        Word("at", 0.9, 71, 786, 8, 8),
        Word("5:12", 0.9, 82, 785, 19, 9),
        Word("PM", 0.9, 105, 785, 13, 9),
    ]
    ring, monthly = Word("O", 0.5, 944, 465, 16, 17), Word("Monthly", 0.9, 969, 467, 53, 15)
    email, address = Word("Email", 0.9, 31, 53, 39, 11), Word("address", 0.9, 77, 53, 59, 11)
    cands = [
        Candidate(25, 782, 93, 28, "line", words=day),  # 0 the line, as tall as its OCR box
        Candidate(24, 784, 94, 13, "ring"),  # 1 the edges round its ink
        Candidate(944, 465, 78, 17, "line", words=[ring, monthly]),  # 2 "O Monthly"
        Candidate(968, 466, 53, 15, "ring"),  # 3 the edges round "Monthly"
        Candidate(31, 53, 105, 11, "line", words=[email, address]),  # 4 "Email address"
        Candidate(30, 52, 107, 13, "ring"),  # 5 a box as the line's own
        Candidate(75, 52, 60, 12, "ring"),  # 6 a box round "address" alone
    ]
    label = CLASSES.index("LABEL")
    probs = np.zeros((len(cands), len(CLASSES)))
    probs[:, 0] = 0.1
    probs[:, label] = [0.5, 0.9, 0.5, 0.9, 0.7, 0.9, 0.9]
    kept = choose(cands, probs)
    assert sorted((i, CLASSES[k]) for _, i, k in kept) == [
        (1, "LABEL"),
        (3, "LABEL"),
        (4, "LABEL"),
    ]
    probs[[1, 3], label] = 0.4  # when the lines are likelier, they are the LABELs
    assert sorted(i for _, i, _ in choose(cands, probs)) == [0, 2, 4]


def test_an_element_read_from_a_line_leaves_out_a_found_checkbox_s_mark() -> None:
    """The line "O Send reminders" holds the checkbox beside it read as a letter: once the
    checkbox is found, the LABEL's box is its caption's. A line without a mark at its ends,
    and a box that is not a text line, keep their boxes."""
    from techledger.vision.classify import reported_box
    from techledger.vision.detect import Candidate
    from techledger.vision.ocr import Word

    mark = Word("O", 0.6, 24, 141, 16, 16)
    send, later = Word("Send", 0.9, 49, 143, 33, 11), Word("reminders", 0.9, 86, 143, 64, 13)
    line = Candidate(24, 141, 126, 16, "line", words=[mark, send, later])
    assert reported_box(line, {id(mark)}) == (49, 143, 101, 13)
    assert reported_box(line, set()) == (24, 141, 126, 16)
    middle = Candidate(24, 141, 126, 16, "line", words=[send, mark, later])
    assert reported_box(middle, {id(mark)}) == (24, 141, 126, 16)
    alone = Candidate(24, 141, 16, 16, "line", words=[mark])
    assert reported_box(alone, {id(mark)}) == (24, 141, 16, 16)
    box = Candidate(20, 130, 200, 40, "ring")
    assert reported_box(box, {id(mark)}) == (20, 130, 200, 40)


def test_google_word_boxes_past_the_image_edge_or_degenerate_are_kept_safely() -> None:
    """Google may report a box reaching past the image, or one a pixel thin: the first is
    tightened within the image, the second is left as given; neither raises."""
    import numpy as np

    from techledger.vision.google import tight_to_ink
    from techledger.vision.ocr import Word

    rgb = np.full((40, 100, 3), 255, np.uint8)
    rgb[10:20, 85:100] = (0, 0, 0)  # ink running to the right edge
    words = [Word("Edge", 0.9, 80, 5, 40, 20), Word("thin", 0.9, 10, 10, 1, 12)]
    tight = tight_to_ink(rgb, words)
    assert [(w.left, w.top, w.width, w.height) for w in tight] == [
        (85, 10, 15, 10),
        (10, 10, 1, 12),
    ]

"""The evaluation's truth is what a person sees: what a scrolled panel hides is not in it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "evaluation"))

import render  # noqa: E402

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
html,body{margin:0;height:100%;overflow:hidden;font:14px "DejaVu Sans"}
.panel{position:absolute;left:40px;top:40px;width:300px;height:120px;overflow:hidden;background:#fff;border:1px solid #ccc}
.grid{position:absolute;left:400px;top:40px;width:300px;height:200px;overflow:auto}
.escape{position:absolute;left:40px;top:300px;width:200px;height:40px;overflow:hidden}
</style></head><body>
<div class="panel">
  <p>Shown in the panel</p>
  <button data-el="BUTTON" style="height:30px">Shown button</button>
  <div style="height:160px"></div>
  <p>Scrolled out of sight</p>
  <button data-el="BUTTON" style="height:30px">Hidden button</button>
</div>
<div class="grid"><table data-el="TABLE" style="width:330px;height:220px;background:#eee">
  <tr><td>Cell</td><td>Cell</td></tr></table></div>
<div class="escape"><div data-el="MENU" data-overlay="1" style="position:fixed;left:40px;top:400px;
  width:180px;height:100px;background:#fafafa;border:1px solid #999"><a data-el="LINK" href="#">Open</a></div></div>
</body></html>"""


def _truth(tmp_path: Path) -> dict:
    page = tmp_path / "scrolled.html"
    page.write_text(PAGE, encoding="utf-8")
    (json_path,) = render.render([page], tmp_path / "out", [("1920", 1920, 1080, 1)])
    return json.loads(json_path.read_text())


def test_what_a_scrolled_panel_hides_is_not_in_the_truth(tmp_path: Path) -> None:
    truth = _truth(tmp_path)
    texts = {(e["type"], e["text"]) for e in truth["elements"]}
    assert ("LABEL", "Shown in the panel") in texts
    assert ("BUTTON", "Shown button") in texts
    assert ("LABEL", "Scrolled out of sight") not in texts
    assert ("BUTTON", "Hidden button") not in texts


def test_a_table_wider_than_its_scroller_is_cut_to_it_and_a_fixed_menu_is_not(
    tmp_path: Path,
) -> None:
    truth = _truth(tmp_path)
    (table,) = [e for e in truth["elements"] if e["type"] == "TABLE"]
    left, top, width, height = table["box"]
    assert (left, top) == (400, 40) and width <= 300 and height <= 200
    (menu,) = [e for e in truth["elements"] if e["type"] == "MENU"]
    assert menu["box"][3] >= 100  # a fixed box escapes the 40 px clipper round it


def test_the_generator_still_writes_the_committed_held_out_pages(tmp_path: Path) -> None:
    """The held-out screenshots and truth are committed: a change to the generator's training
    variety must not move a single held-out page (their scores would no longer compare)."""
    import generate

    committed = Path(__file__).parents[2] / "evaluation" / "pages" / "heldout"
    written = generate.write_pages(generate.HELDOUT_PAGES, tmp_path, jitter=False)
    assert len(written) == len(list(committed.glob("*.html")))
    for page in written:
        assert page.read_text() == (committed / page.name).read_text(), page.name


CONTROLS = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
html,body{margin:0;height:100%;overflow:hidden;font:14px "DejaVu Sans"}
input,select,textarea{display:block;margin:20px;width:260px;font:14px "DejaVu Sans"}
</style></head><body>
<input data-el="INPUT" value="Acme Corporation">
<input data-el="INPUT" placeholder="Search accounts">
<textarea data-el="INPUT">Call back on Monday</textarea>
<select data-el="DROPDOWN"><option>Prospect</option><option selected>Customer</option>
  <option>Partner</option></select>
<div data-el="INPUT" style="margin:20px;width:260px;border:1px solid #999;padding:4px">
  <span>$</span><input style="border:0;margin:0;width:200px;display:inline" value="1,200.00"></div>
<input data-el="BUTTON" type="submit" value="Save record">
<table data-el="TABLE" style="margin:20px;background:#eee"><tr><td>Qty</td><td><input value="3"></td></tr></table>
</body></html>"""


def test_a_controls_truth_text_is_what_it_shows(tmp_path: Path) -> None:
    """An INPUT's text is its value or its placeholder and a DROPDOWN's its chosen option
    (``innerText`` is empty for a form field and lists every option of a select); a TABLE's
    is its own text, not a field's in it."""
    page = tmp_path / "controls.html"
    page.write_text(CONTROLS, encoding="utf-8")
    (json_path,) = render.render([page], tmp_path / "out", [("1920", 1920, 1080, 1)])
    texts = [(e["type"], e["text"]) for e in json.loads(json_path.read_text())["elements"]]
    assert texts[:6] == [
        ("INPUT", "Acme Corporation"),
        ("INPUT", "Search accounts"),
        ("INPUT", "Call back on Monday"),
        ("DROPDOWN", "Customer"),
        ("INPUT", "$ 1,200.00"),
        ("BUTTON", "Save record"),
    ]
    assert ("TABLE", "Qty") in texts


def test_rendering_only_the_missing_screenshots_keeps_the_ones_already_there(
    tmp_path: Path,
) -> None:
    """``render.py --train --missing`` resumes a stopped render: a screenshot whose truth exists
    is neither rendered again nor returned, a new page's is."""
    out = tmp_path / "out"
    first = tmp_path / "first.html"
    first.write_text(PAGE, encoding="utf-8")
    (done,) = render.render([first], out, [("1920", 1920, 1080, 1)])
    png = done.with_suffix(".png")
    before = (done.stat().st_mtime_ns, png.stat().st_mtime_ns)
    second = tmp_path / "second.html"
    second.write_text(CONTROLS, encoding="utf-8")
    again = render.render([first, second], out, [("1920", 1920, 1080, 1)], missing_only=True)
    assert [p.name for p in again] == ["second_1920.json"]
    assert (done.stat().st_mtime_ns, png.stat().st_mtime_ns) == before
    assert json.loads(again[0].read_text())["page"] == "second.html"

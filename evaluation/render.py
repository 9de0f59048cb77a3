"""Render evaluation pages in headless Chromium to PNG and extract the truth JSON from the DOM.

Truth convention (what the engine is scored against):

* typed elements carry ``data-el``; their box is the visual extent: the border box
  when the element paints a background, border or shadow (or is a replaced
  element such as a native checkbox), else the union of its painted content (so a
  borderless text button's box is its text);
* a LABEL is one visual line of static text outside any leaf typed element
  (DIALOG and MENU are containers: text in them is still LABELs / LINKs);
* text in a table belongs to the TABLE; menu items and tabs are LINKs; toggle
  switches are CHECKBOXes; card-style radio options are RADIOs with the card box;
* text of CHECKBOX/RADIO is empty, INPUT text is its value or placeholder, a
  DIALOG's text is its title;
* anything under an overlay (open menu, dialog) that the overlay covers is dropped;
  elements less than half inside the viewport, or less than half left in sight by the
  ancestors that clip their overflow (a scrolled list, a fixed-height panel), are dropped,
  the rest clipped;
* a LABEL line none of whose words is visible (all cut by an ancestor that clips its overflow,
  such as a scrolled panel) is dropped;
* words: every visible whitespace-separated token with a letter or digit, with its box;
  a word cut by an ancestor that clips its overflow (an ellipsis, a scrolled list) is
  not visible: it is not wholly across, or not three quarters of its height down.

Boxes are ``[left, top, width, height]`` in image pixels (CSS px x device scale).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (suffix, viewport width, height, device scale factor)
HELDOUT_VARIANTS = [("1920", 1920, 1080, 1), ("1366", 1366, 768, 1), ("1366x2", 1366, 768, 2)]

EXTRACT_JS = r"""
() => {
  const LEAF = new Set(['BUTTON','INPUT','DROPDOWN','CHECKBOX','RADIO','TABLE','LINK']);
  const vw = window.innerWidth, vh = window.innerHeight;
  const R = r => ({l: r.left, t: r.top, r: r.right, b: r.bottom});
  const union = (a, b) => !a ? b : !b ? a : {l: Math.min(a.l,b.l), t: Math.min(a.t,b.t), r: Math.max(a.r,b.r), b: Math.max(a.b,b.b)};
  const alpha = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return c === 'transparent' ? 0 : 1;
                       const p = m[1].split(',').map(s => parseFloat(s)); return p.length > 3 ? p[3] : 1; };
  function paints(el) {
    const cs = getComputedStyle(el);
    if (['INPUT','SELECT','TEXTAREA','IMG'].includes(el.tagName)) return true;
    if (alpha(cs.backgroundColor) > 0) return true;
    if (cs.boxShadow && cs.boxShadow !== 'none') return true;
    for (const s of ['Top','Right','Bottom','Left'])
      if (parseFloat(cs['border'+s+'Width']) > 0 && cs['border'+s+'Style'] !== 'none' && alpha(cs['border'+s+'Color']) > 0) return true;
    return false;
  }
  function visible(el) {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    }
    return true;
  }
  function textRects(node) {
    const rg = document.createRange(); rg.selectNodeContents(node);
    return [...rg.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
  }
  function content(el) {  // union of painted content
    let u = null;
    for (const ch of el.childNodes) {
      if (ch.nodeType === 3) { if (ch.textContent.trim()) for (const r of textRects(ch)) u = union(u, R(r)); }
      else if (ch.nodeType === 1 && visible(ch)) {
        if (ch.tagName === 'svg' || ch.tagName === 'SVG' || paints(ch)) { const r = ch.getBoundingClientRect(); if (r.width > 0) u = union(u, R(r)); }
        else u = union(u, content(ch));
      }
    }
    return u;
  }
  const visBox = el => paints(el) ? R(el.getBoundingClientRect()) : content(el);
  const overlays = [...document.querySelectorAll('[data-overlay]')].map(e => ({el: e, box: visBox(e)}));
  function occluded(el, box) {
    for (const o of overlays) {
      if (o.el === el || o.el.contains(el)) continue;
      if (box.l < o.box.r && box.r > o.box.l && box.t < o.box.b && box.b > o.box.t) return true;
    }
    return false;
  }
  const clips = cs => !(cs.overflowX === 'visible' && cs.overflowY === 'visible');
  function inside(e) {  // the box an element shows its content in (inside its borders and scrollbars)
    const c = e.getBoundingClientRect(), l = c.left + e.clientLeft, t = c.top + e.clientTop;
    return {l, t, r: l + e.clientWidth, b: t + e.clientHeight};
  }
  function clippedAway(el, r) {  // cut by an ancestor that clips its overflow (ellipsis, scroll)
    for (let e = el; e && e !== document.body && e.nodeType === 1; e = e.parentElement) {
      if (!clips(getComputedStyle(e))) continue;
      const c = inside(e);
      const seen = Math.min(r.bottom, c.b) - Math.max(r.top, c.t);
      if (r.left < c.l - 1 || r.right > c.r + 1 || seen < 0.75 * r.height) return true;
    }
    return false;
  }
  function leafOwner(node) {
    for (let e = node.nodeType === 1 ? node : node.parentElement; e; e = e.parentElement)
      if (e.dataset && e.dataset.el && LEAF.has(e.dataset.el)) return e;
    return null;
  }
  const norm = s => s.replace(/\s+/g, ' ').trim();
  // what a control shows: a form field's value (else its placeholder), a select's chosen
  // option; innerText has neither (empty for <input>, every option for <select>)
  function controlText(el) {
    const field = el.matches('input,textarea,select') ? el : el.querySelector('input,textarea,select');
    if (field && field.tagName === 'SELECT')
      return norm(field.selectedIndex >= 0 ? field.options[field.selectedIndex].text : '');
    if (field && !['checkbox', 'radio', 'hidden'].includes(field.type))
      return norm(`${field === el ? '' : el.innerText} ${field.value || field.placeholder}`);
    return norm(el.innerText || '');
  }
  const elements = [];
  function shownPart(el, box) {  // what ancestors clipping their overflow leave of box in sight
    let b = box, pos = getComputedStyle(el).position;
    if (pos === 'fixed') return b;
    let escaping = pos === 'absolute';  // an absolute box escapes clippers up to its containing block
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e), positioned = cs.position !== 'static';
      if (!(escaping && !positioned) && clips(cs)) {
        const c = inside(e);
        b = {l: Math.max(b.l, c.l), t: Math.max(b.t, c.t), r: Math.min(b.r, c.r), b: Math.min(b.b, c.b)};
        if (b.r <= b.l || b.b <= b.t) return null;
      }
      if (positioned) escaping = false;
      if (cs.position === 'fixed') break;
      if (cs.position === 'absolute') escaping = true;
    }
    return b;
  }
  const area = b => Math.max(0, b.r - b.l) * Math.max(0, b.b - b.t);
  for (const el of document.querySelectorAll('[data-el]')) {
    if (!visible(el)) continue;
    const whole = visBox(el); if (!whole) continue;
    if (occluded(el, whole)) continue;
    const box = shownPart(el, whole);
    if (!box || area(box) < 0.5 * area(whole)) continue;
    const type = el.dataset.el;
    let text = '';
    if (type === 'DIALOG') text = el.dataset.title || '';
    else if (type === 'CHECKBOX' || type === 'RADIO' || type === 'MENU') text = '';
    else if (type === 'INPUT' || type === 'DROPDOWN' || type === 'BUTTON') text = controlText(el);
    else text = norm(el.innerText || '');
    elements.push({type, box, text, ink: !paints(el)});
  }
  // LABELs: lines of text nodes outside leaf typed elements, merged per block ancestor and line
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const groups = new Map();
  let n;
  while ((n = walker.nextNode())) {
    if (!n.textContent.trim()) continue;
    const p = n.parentElement; if (!p || !visible(p) || leafOwner(n)) continue;
    if (['STYLE','SCRIPT','TITLE'].includes(p.tagName)) continue;
    let blk = p; while (blk !== document.body && getComputedStyle(blk).display === 'inline') blk = blk.parentElement;
    if (!groups.has(blk)) groups.set(blk, []);
    for (const r of textRects(n)) groups.get(blk).push({box: R(r), text: n.textContent, node: n});
  }
  for (const [blk, rects] of groups) {
    const lines = [];
    for (const it of rects) {
      const cy = (it.box.t + it.box.b) / 2;
      let line = lines.find(L => cy > L.box.t && cy < L.box.b);
      if (line) { line.box = union(line.box, it.box); if (!line.nodes.includes(it.node)) line.nodes.push(it.node); }
      else lines.push({box: it.box, nodes: [it.node]});
    }
    for (const L of lines) {
      if (occluded(blk, L.box)) continue;
      // text of that line: the words whose rects fall in the line
      const words = [];
      let seen = false;  // a line scrolled or clipped out of sight is no LABEL
      for (const node of L.nodes) {
        const s = node.textContent; const re = /\S+/g; let m;
        while ((m = re.exec(s))) { const rg = document.createRange(); rg.setStart(node, m.index); rg.setEnd(node, m.index + m[0].length);
          const rr = rg.getClientRects()[0]; if (rr && rr.top + rr.height/2 > L.box.t && rr.top + rr.height/2 < L.box.b) {
            words.push(m[0]); seen = seen || !clippedAway(node.parentElement, rr); } }
      }
      if (!seen) continue;
      elements.push({type: 'LABEL', box: L.box, text: words.join(' '), ink: true});
    }
  }
  // words
  const words = [];
  const w2 = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while ((n = w2.nextNode())) {
    const p = n.parentElement; if (!p || !visible(p) || ['STYLE','SCRIPT','TITLE'].includes(p.tagName)) continue;
    const s = n.textContent; const re = /\S+/g; let m;
    while ((m = re.exec(s))) {
      if (!/[A-Za-z0-9]/.test(m[0])) continue;
      const rg = document.createRange(); rg.setStart(n, m.index); rg.setEnd(n, m.index + m[0].length);
      const rr = rg.getClientRects()[0]; if (!rr || rr.width < 1) continue;
      const box = R(rr);
      if (occluded(p, box) || clippedAway(p, rr)) continue;
      words.push({text: m[0], box});
    }
  }
  return {vw, vh, elements, words};
}
"""


def _clip(box: dict, vw: float, vh: float, scale: float) -> list[int] | None:
    """Clip a CSS-px box to the viewport; None when less than half of it is visible."""
    l, t, r, b = box["l"], box["t"], box["r"], box["b"]
    area = max(0.0, r - l) * max(0.0, b - t)
    cl, ct, cr, cb = max(0, l), max(0, t), min(vw, r), min(vh, b)
    if cr <= cl or cb <= ct or area <= 0:
        return None
    if (cr - cl) * (cb - ct) < 0.5 * area:
        return None
    x0, y0 = int(round(cl * scale)), int(round(ct * scale))
    x1, y1 = int(round(cr * scale)), int(round(cb * scale))
    return [x0, y0, max(1, x1 - x0), max(1, y1 - y0)]


def tighten_to_ink(rgb, box: list[int]) -> list[int]:
    """Shrink a text box (font content area) to the pixels actually painted in it: its visual extent."""
    import numpy as np

    l, t, w, h = box
    crop = rgb[t : t + h, l : l + w].astype(int)
    if crop.size == 0:
        return box
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    vals, counts = np.unique(border, axis=0, return_counts=True)
    bg = vals[np.argmax(counts)]
    ink = np.abs(crop - bg).max(axis=2) > 40
    ys, xs = np.nonzero(ink)
    if len(ys) == 0:
        return box
    return [
        int(l + xs.min()),
        int(t + ys.min()),
        int(xs.max() - xs.min() + 1),
        int(ys.max() - ys.min() + 1),
    ]


def render(
    pages: list[Path],
    out_dir: Path,
    variants: list[tuple[str, int, int, int]],
    missing_only: bool = False,
) -> list[Path]:
    """Render each page in each variant; write ``<stem>_<suffix>.png`` and ``.json``. Returns the JSON paths.
    With ``missing_only``, a screenshot whose truth is already there is kept as it is (and not
    returned): after a page is edited, delete its screenshots or render without it."""
    import numpy as np
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for suffix, w, h, dpr in variants:
            ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=dpr)
            page = ctx.new_page()
            for html_path in pages:
                stem = f"{html_path.stem}_{suffix}"
                png, jp = out_dir / f"{stem}.png", out_dir / f"{stem}.json"
                if missing_only and jp.exists():
                    continue
                page.goto(html_path.resolve().as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(png))
                raw = page.evaluate(EXTRACT_JS)
                rgb = np.asarray(Image.open(png).convert("RGB"))
                elements = []
                for e in raw["elements"]:
                    box = _clip(e["box"], raw["vw"], raw["vh"], dpr)
                    if box and e.get("ink"):
                        box = tighten_to_ink(rgb, box)
                    if box and box[2] >= 2 and box[3] >= 2:
                        elements.append({"type": e["type"], "box": box, "text": e["text"]})
                words = []
                for wd in raw["words"]:
                    box = _clip(wd["box"], raw["vw"], raw["vh"], dpr)
                    if box:
                        words.append({"text": wd["text"], "box": box})
                truth = {
                    "image": png.name,
                    "page": html_path.name,
                    "pages": html_path.parent.name,
                    "width": w * dpr,
                    "height": h * dpr,
                    "scale": dpr,
                    "elements": elements,
                    "words": words,
                }
                jp.write_text(json.dumps(truth, indent=1), encoding="utf-8")
                written.append(jp)
            ctx.close()
        browser.close()
    return written


def heldout_variants_for(stem: str) -> list[tuple[str, int, int, int]]:
    """Every held-out page at 1920x1080@1x, plus 1366x768 at 1x (even) or 2x (odd page numbers)."""
    num = int(stem.split("_")[0])
    return [HELDOUT_VARIANTS[0], HELDOUT_VARIANTS[1] if num % 2 == 0 else HELDOUT_VARIANTS[2]]


def render_heldout(out_dir: Path | None = None) -> list[Path]:
    """Render the committed held-out pages into ``evaluation/heldout/``."""
    out_dir = out_dir or HERE / "heldout"
    pages = sorted((HERE / "pages" / "heldout").glob("*.html"))
    written = []
    for p in pages:
        written += render([p], out_dir, heldout_variants_for(p.stem))
    return written


def render_hand_written(name: str) -> list[Path]:
    """Render a hand-written set, ``pages/<name>/*.html``, into ``<name>/`` at 1920x1080@1x
    and 1366x768@1x."""
    pages = sorted((HERE / "pages" / name).glob("*.html"))
    return render(pages, HERE / name, HELDOUT_VARIANTS[:2])


def render_training(pages_dir: Path, missing_only: bool = False) -> list[Path]:
    """Render one folder of training pages into ``train/``: half at 1920x1080, half at
    1366x768, and every 4th page also at 1366x768@2x (without high-DPI captures the classifier
    never saw a 2x checkbox, radio dot or toggle knob)."""
    pages = sorted(pages_dir.glob("*.html"))
    half = len(pages) // 2
    out = HERE / "train"
    written = render(pages[:half], out, [("1920", 1920, 1080, 1)], missing_only)
    written += render(pages[half:], out, [("1366", 1366, 768, 1)], missing_only)
    return written + render(pages[::4], out, [HELDOUT_VARIANTS[2]], missing_only)


def render_handmade(missing_only: bool = False) -> list[Path]:
    """Render the hand-written training pages into ``train/`` in all three variants (1920x1080,
    1366x768 and 1366x768@2x): they are few and unlike the generator's, so each counts."""
    pages = sorted((HERE / "pages" / "handmade").glob("*.html"))
    return render(pages, HERE / "train", HELDOUT_VARIANTS, missing_only)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument(
        "--train",
        action="store_true",
        help="render evaluation/pages/{train,train_extra,handmade}/*.html into train/",
    )
    ap.add_argument(
        "--other",
        action="store_true",
        help="render the hand-written out-of-template pages evaluation/pages/other/*.html",
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="render the second hand-written set evaluation/pages/fresh/*.html (never tuned on)",
    )
    ap.add_argument(
        "--unseen",
        action="store_true",
        help="render the pages of writers no training page shares, evaluation/pages/unseen/*.html",
    )
    ap.add_argument(
        "--missing",
        action="store_true",
        help="with --train: render only the screenshots not yet in train/",
    )
    a = ap.parse_args()
    if a.heldout:
        print(len(render_heldout()), "held-out screenshots")
    for name in [s for s in ("other", "fresh", "unseen") if getattr(a, s)]:
        print(len(render_hand_written(name)), f"hand-written screenshots ({name})")
    if a.train:
        n = sum(
            len(render_training(HERE / "pages" / d, a.missing)) for d in ("train", "train_extra")
        )
        n += len(render_handmade(a.missing))
        print(n, "training screenshots")

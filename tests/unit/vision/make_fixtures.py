"""Regenerate the small screenshot fixtures and the Google Vision response fixture.

    python tests/unit/vision/make_fixtures.py

The Google fixture is written in the exact ``AnnotateImageResponse`` JSON format
(``textAnnotations``, ``fullTextAnnotation`` pages/blocks/paragraphs/words/symbols,
``localizedObjectAnnotations``); its words are the true words of the fixture page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "evaluation"))

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
html,body{{margin:0;height:100%;overflow:hidden}}
body{{font-family:'Liberation Sans',sans-serif;font-size:15px;color:{fg};background:{bg};padding:24px;box-sizing:border-box}}
.in{{border:1px solid {bd};background:{surface};border-radius:4px;padding:7px 8px;width:240px;box-sizing:border-box}}
</style></head><body>
<div style="font-size:22px;font-weight:bold;margin-bottom:18px">Contact Details</div>
<div style="margin-bottom:6px">Email</div>
<div class="in" data-el="INPUT"><span>jane.doe@example.com</span></div>
<div style="display:flex;gap:8px;align-items:center;margin:16px 0">
<span data-el="CHECKBOX" style="display:inline-block;width:16px;height:16px;box-sizing:border-box;border:1px solid {muted};border-radius:3px;background:{surface}"></span>
<div>Send reminders</div></div>
<div style="display:flex;gap:12px;margin-top:10px">
<button data-el="BUTTON" style="background:{primary};color:#ffffff;border:1px solid {primary};padding:8px 20px;border-radius:4px;font:inherit">Save</button>
<button data-el="BUTTON" style="background:{surface};color:{primary};border:1px solid {bd};padding:8px 20px;border-radius:4px;font:inherit">Cancel</button>
</div></body></html>"""

THEMES = {
    "light_form": dict(
        fg="#212529",
        bg="#ffffff",
        surface="#ffffff",
        bd="#ced4da",
        muted="#6c757d",
        primary="#0d6efd",
    ),
    "dark_form": dict(
        fg="#e8e8e8",
        bg="#1e1e1e",
        surface="#252526",
        bd="#5a5a5a",
        muted="#a0a0a0",
        primary="#3794ff",
    ),
}


def google_response(truth: dict) -> dict:
    """An AnnotateImageResponse (JSON form) with the page's true words as Google would send them."""
    words = truth["words"]

    def verts(b: list[int]) -> list[dict[str, int]]:
        l, t, w, h = b
        return [
            {"x": l, "y": t},
            {"x": l + w, "y": t},
            {"x": l + w, "y": t + h},
            {"x": l, "y": t + h},
        ]

    full = " ".join(w["text"] for w in words)
    allbox = [min(w["box"][0] for w in words), min(w["box"][1] for w in words), 0, 0]
    allbox[2] = max(w["box"][0] + w["box"][2] for w in words) - allbox[0]
    allbox[3] = max(w["box"][1] + w["box"][3] for w in words) - allbox[1]
    text_annotations = [
        {"locale": "en", "description": full + "\n", "boundingPoly": {"vertices": verts(allbox)}}
    ]
    text_annotations += [
        {"description": w["text"], "boundingPoly": {"vertices": verts(w["box"])}} for w in words
    ]
    gwords = []
    for w in words:
        l, t, ww, hh = w["box"]
        n = len(w["text"])
        symbols = []
        for i, ch in enumerate(w["text"]):
            x0 = l + ww * i // n
            x1 = l + ww * (i + 1) // n
            sym = {
                "boundingBox": {"vertices": verts([x0, t, max(1, x1 - x0), hh])},
                "text": ch,
                "confidence": 0.99,
            }
            if i == n - 1:
                sym["property"] = {"detectedBreak": {"type": "SPACE"}}
            symbols.append(sym)
        gwords.append(
            {"boundingBox": {"vertices": verts(w["box"])}, "symbols": symbols, "confidence": 0.98}
        )
    page = {
        "property": {"detectedLanguages": [{"languageCode": "en", "confidence": 1}]},
        "width": truth["width"],
        "height": truth["height"],
        "blocks": [
            {
                "boundingBox": {"vertices": verts(allbox)},
                "blockType": "TEXT",
                "confidence": 0.98,
                "paragraphs": [
                    {
                        "boundingBox": {"vertices": verts(allbox)},
                        "words": gwords,
                        "confidence": 0.98,
                    }
                ],
            }
        ],
        "confidence": 0.98,
    }
    objects = []
    for e in truth["elements"]:
        if e["type"] == "BUTTON":
            l, t, w, h = e["box"]
            W, H = truth["width"], truth["height"]
            objects.append(
                {
                    "mid": "/m/0n0j",
                    "name": "Button",
                    "score": 0.71,
                    "boundingPoly": {
                        "normalizedVertices": [
                            {"x": l / W, "y": t / H},
                            {"x": (l + w) / W, "y": t / H},
                            {"x": (l + w) / W, "y": (t + h) / H},
                            {"x": l / W, "y": (t + h) / H},
                        ]
                    },
                }
            )
    return {
        "textAnnotations": text_annotations,
        "fullTextAnnotation": {"pages": [page], "text": full + "\n"},
        "localizedObjectAnnotations": objects,
    }


def main() -> None:
    from render import render

    out = HERE / "fixtures"
    pages = []
    for name, theme in THEMES.items():
        p = out / f"{name}.html"
        p.write_text(PAGE.format(**theme))
        pages.append(p)
    written = render(pages, out, [("shot", 480, 300, 1)])
    for jp in written:
        if jp.stem.startswith("light_form"):
            resp = google_response(json.loads(jp.read_text()))
            (ROOT / "tests" / "fixtures" / "google_vision" / "light_form_shot.json").write_text(
                json.dumps(resp, indent=1)
            )
    print("written", [p.name for p in written])


if __name__ == "__main__":
    main()

"""Which truth words does local OCR miss, and what do they have in common?

    python evaluation/ocr_misses.py [--set heldout] [--cache DIR] [--show N]

Runs ``read_words`` on every screenshot of the set (or reuses ``DIR/<stem>.json``),
matches words exactly as ``benchmarks/vision_benchmark.py`` does, and breaks the
misses down by glyph height, contrast, the truth element the word sits in, page
scale/theme, and the word's shape (digits, punctuation, case). A miss is also told
apart as "misread" (an engine word overlaps it with other text) or "unseen".
For analysis only: never tune on the held-out set's individual words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def norm_word(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def overlaps(a: list[int], b: dict) -> bool:
    l, t, w, h = a
    return (
        b["left"] < l + w
        and b["left"] + b["width"] > l
        and b["top"] < t + h
        and b["top"] + b["height"] > t
    )


def contrast(rgb: np.ndarray, box: list[int]) -> float:
    """Largest channel difference between the box's border colour and its most distant pixel."""
    l, t, w, h = box
    crop = rgb[t : t + h, l : l + w].astype(int)
    if crop.size == 0:
        return 0.0
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    vals, counts = np.unique(border, axis=0, return_counts=True)
    bg = vals[np.argmax(counts)]
    return float(np.abs(crop - bg).max(axis=2).max())


def container(truth: dict, box: list[int]) -> str:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    best = None
    for e in truth["elements"]:
        l, t, w, h = e["box"]
        if l <= cx <= l + w and t <= cy <= t + h and e["type"] not in ("DIALOG", "MENU"):
            if best is None or w * h < best[0]:
                best = (w * h, e["type"])
    return best[1] if best else "none"


def shape(text: str) -> str:
    n = norm_word(text)
    if n.isdigit():
        return "digits"
    if any(c.isdigit() for c in n):
        return "mixed-digits"
    if re.search(r"[^A-Za-z0-9]", text):
        return "punct"
    if len(n) <= 2:
        return "short"
    if text.isupper():
        return "UPPER"
    return "word"


def bucket(v: float, edges: list[float]) -> str:
    for e in edges:
        if v < e:
            return f"<{e}"
    return f">={edges[-1]}"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--set", default="heldout")
    ap.add_argument("--cache", default="/tmp/ocr_cache")
    ap.add_argument("--refresh", action="store_true", help="ignore cached words")
    ap.add_argument("--show", type=int, default=60, help="list this many misses")
    a = ap.parse_args()
    from techledger.vision.ocr import read_words

    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    stats: dict[str, Counter] = defaultdict(Counter)
    misses = []
    total = found = 0
    secs = []
    for jp in sorted((HERE / a.set).glob("*.json")):
        if jp.name.endswith(".ocr.json"):
            continue
        truth = json.loads(jp.read_text())
        rgb = np.asarray(Image.open(jp.with_suffix(".png")).convert("RGB"))
        cp = cache / jp.name
        if cp.exists() and not a.refresh:
            words = json.loads(cp.read_text())
        else:
            t0 = time.perf_counter()
            words = [asdict(w) for w in read_words(rgb)]
            secs.append(time.perf_counter() - t0)
            cp.write_text(json.dumps(words))
        ew = [(norm_word(w["text"]), w) for w in words]
        dark = rgb.mean() < 110
        for w in truth["words"]:
            total += 1
            n = norm_word(w["text"])
            hit = any(en == n and overlaps(w["box"], b) for en, b in ew)
            near = [b["text"] for en, b in ew if overlaps(w["box"], b)]
            h = w["box"][3] / truth["scale"]
            keys = {
                "height(css px)": bucket(h, [12, 14, 16, 18, 22]),
                "contrast": bucket(contrast(rgb, w["box"]), [60, 100, 150, 200]),
                "inside": container(truth, w["box"]),
                "variant": jp.stem.rsplit("_", 1)[1] + (" dark" if dark else ""),
                "shape": shape(w["text"]),
                "kind": "hit" if hit else ("misread" if near else "unseen"),
            }
            for k, v in keys.items():
                stats[k][(v, hit)] += 1
            if hit:
                found += 1
            else:
                misses.append((jp.stem, w["text"], w["box"], near, keys))
    print(f"word recall {found / total:.4f}  ({found}/{total}, {total - found} missed)")
    if secs:
        print(f"OCR seconds: median {np.median(secs):.2f}, total {sum(secs):.1f}")
    for k, c in stats.items():
        print(f"\n{k}:")
        vals = sorted({v for v, _ in c})
        for v in vals:
            hit, miss = c[(v, True)], c[(v, False)]
            print(
                f"  {v:22s} {miss:5d} missed of {hit + miss:5d}  ({miss / max(1, hit + miss):.1%})"
            )
    print()
    for m in misses[: a.show]:
        print(f"{m[0]:34s} {m[1]!r:24s} {m[2]} read={m[3]} {m[4]['inside']} {m[4]['contrast']}")


if __name__ == "__main__":
    main()

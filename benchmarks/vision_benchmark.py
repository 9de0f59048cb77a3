"""Score a vision engine on the held-out evaluation screenshots.

    python benchmarks/vision_benchmark.py [--engine local] [--limit N] [--set heldout|other|fresh|unseen]
        [--shape screen|long|crop]

Renders a set's pages first when their PNGs are missing. Greedy matching at
IoU >= 0.5 per type gives precision / recall / F1 per type; matching boxes while
ignoring type gives type accuracy; OCR word recall counts a truth word as found
when an engine word with the same normalised text overlaps it. Times and peak
memory are reported, never asserted. Writes ``benchmarks/results/vision.json``
and ``vision.md``; any other set writes ``vision_<set>.json`` and ``vision_<set>.md``
(``--set other``, the hand-written out-of-template pages: ``vision_other.*``; ``--set fresh``,
the second hand-written set, written after the engine was built and never tuned on:
``vision_fresh.*``; ``--set unseen``, 40 pages by eight writers the training pages share
none with: ``vision_unseen.*``). ``--shape long`` scores each screenshot stacked twice (a full-page capture)
and ``--shape crop`` its central region (``screenshot_shapes``), into ``vision_<set>_<shape>.*``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from benchmarks.screenshot_shapes import SHAPES, reshape  # noqa: E402
from techledger.enums import ElementType  # noqa: E402

HELDOUT = ROOT / "evaluation" / "heldout"
RESULTS = ROOT / "benchmarks" / "results"
TYPES = [t.value for t in ElementType if t is not ElementType.UNKNOWN]


def iou(a: list[float], b: list[float]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def greedy_match(
    pred: list[list[float]], truth: list[list[float]], thr: float = 0.5
) -> list[tuple[int, int]]:
    """Pairs (pred index, truth index), highest IoU first, each used once, IoU >= thr."""
    pairs = []
    for i, p in enumerate(pred):
        for j, t in enumerate(truth):
            v = iou(p, t)
            if v >= thr:
                pairs.append((v, i, j))
    pairs.sort(reverse=True)
    used_p, used_t, out = set(), set(), []
    for _, i, j in pairs:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        out.append((i, j))
    return out


def norm_word(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--engine", default="local")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument(
        "--set",
        default="heldout",
        choices=["heldout", "other", "fresh", "unseen"],
        help="evaluation/heldout (generated pages), evaluation/other (hand-written pages),"
        " evaluation/fresh (second hand-written set, never tuned on) or evaluation/unseen"
        " (hand-written by writers of no training page)",
    )
    ap.add_argument(
        "--shape",
        default="screen",
        choices=SHAPES,
        help="screen (as rendered), long (stacked twice, a full-page capture) or crop (the"
        " central region; elements the cut crosses count neither way)",
    )
    ap.add_argument(
        "--errors",
        type=Path,
        help="also write every false positive / missed element (type, image, box) to this JSON file",
    )
    a = ap.parse_args()
    folder = HELDOUT.parent / a.set
    jsons = sorted(folder.glob("*.json"))
    if not jsons or any(not p.with_suffix(".png").exists() for p in jsons):
        # rendered from their committed pages (the unseen set's 25 MB of PNGs are not committed)
        sys.path.insert(0, str(ROOT / "evaluation"))
        from render import render_hand_written, render_heldout  # type: ignore[import-not-found]

        if a.set == "heldout":
            render_heldout()
        else:
            render_hand_written(a.set)
        jsons = sorted(folder.glob("*.json"))
    if not jsons:
        sys.exit(f"no screenshots in {folder}: python evaluation/render.py --{a.set}")
    if a.limit:
        jsons = jsons[: a.limit]

    from techledger.vision import get_engine

    engine = get_engine(a.engine)
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in TYPES}
    matched_any = type_agree = 0
    words_total = words_found = 0
    times_1080: list[float] = []
    times_all: list[float] = []
    per_image = []
    errors: list[dict] = []
    rss_before = peak_rss_mb()
    load_before = os.getloadavg()
    for jp in jsons:
        truth = json.loads(jp.read_text())
        image = Image.open(jp.with_suffix(".png")).convert("RGB")
        image, truth = reshape(image, truth, a.shape)
        t0 = time.perf_counter()
        analysis = engine.analyze(image)
        dt = time.perf_counter() - t0
        times_all.append(dt)
        if (image.width, image.height) == (1920, 1080):
            times_1080.append(dt)
        pred = [
            (e.element_type.value, [e.bounding_box[k] for k in ("left", "top", "width", "height")])
            for e in analysis.elements
        ]
        pred = [(ty, b) for ty, b in pred if not any(iou(b, x) > 0.3 for x in truth["ignore"])]
        tru = [(e["type"], e["box"]) for e in truth["elements"]]
        for t in TYPES:
            p = [b for ty, b in pred if ty == t]
            g = [b for ty, b in tru if ty == t]
            pairs = greedy_match(p, g)
            m = len(pairs)
            if a.errors:
                mp, mt = {i for i, _ in pairs}, {j for _, j in pairs}
                errors += [
                    {"kind": "fp", "type": t, "image": jp.stem, "box": b}
                    for i, b in enumerate(p)
                    if i not in mp
                ]
                errors += [
                    {"kind": "fn", "type": t, "image": jp.stem, "box": b}
                    for j, b in enumerate(g)
                    if j not in mt
                ]
            counts[t]["tp"] += m
            counts[t]["fp"] += len(p) - m
            counts[t]["fn"] += len(g) - m
        for i, j in greedy_match([b for _, b in pred], [b for _, b in tru]):
            matched_any += 1
            type_agree += pred[i][0] == tru[j][0]
        ew = [
            (norm_word(w["text"]), w["boundingBox"])
            for w in analysis.analysis_result["text"]["words"]
        ]
        found = 0
        for w in truth["words"]:
            n = norm_word(w["text"])
            l, t, ww, hh = w["box"]
            for en, b in ew:
                if (
                    en == n
                    and b["left"] < l + ww
                    and b["left"] + b["width"] > l
                    and b["top"] < t + hh
                    and b["top"] + b["height"] > t
                ):
                    found += 1
                    break
        words_total += len(truth["words"])
        words_found += found
        per_image.append(
            {
                "image": jp.with_suffix(".png").name,
                "seconds": round(dt, 3),
                "elements": len(pred),
                "truth": len(tru),
            }
        )
        print(f"{jp.stem:40s} {dt:6.2f}s  pred {len(pred):4d} truth {len(tru):4d}", file=sys.stderr)

    def prf(c: dict[str, int]) -> dict[str, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": c["tp"] + c["fn"],
            **c,
        }

    per_type = {t: prf(c) for t, c in counts.items()}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    overall = prf(total)
    times = times_1080 or times_all
    result = {
        "engine": a.engine,
        "set": a.set,
        "shape": a.shape,
        "screenshots": len(jsons),
        "per_type": per_type,
        "overall": overall,
        "type_accuracy": round(type_agree / matched_any, 4) if matched_any else 0.0,
        "boxes_matched_ignoring_type": matched_any,
        "ocr_word_recall": round(words_found / words_total, 4) if words_total else 0.0,
        "ocr_words": words_total,
        "seconds_per_screenshot_1920x1080": {
            "median": round(statistics.median(times), 3) if times else None,
            "p95": round(sorted(times)[max(0, int(round(0.95 * len(times))) - 1)], 3)
            if times
            else None,
            "count": len(times),
        },
        "seconds_per_screenshot_all": {
            "median": round(statistics.median(times_all), 3) if times_all else None
        },
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # the machine is shared: 1-minute load average before and after, to read the times by
        "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "cpu_count": os.cpu_count(),
        "rss_before_engine_mb": round(rss_before, 1),
        "images": per_image,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "vision" if a.set == "heldout" else f"vision_{a.set}"
    name += "" if a.shape == "screen" else f"_{a.shape}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    if a.errors:
        a.errors.write_text(json.dumps(errors, indent=1))
    md = ["| type | support | precision | recall | F1 |", "|---|---:|---:|---:|---:|"]
    for t in TYPES:
        r = per_type[t]
        md.append(
            f"| {t} | {r['support']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |"
        )
    md.append(
        f"| **overall** | {overall['support']} | {overall['precision']:.3f} | {overall['recall']:.3f} | {overall['f1']:.3f} |"
    )
    sec = result["seconds_per_screenshot_1920x1080"]
    md += [
        "",
        f"- screenshots: {len(jsons)} ({a.set}, shape {a.shape}), engine `{a.engine}`",
        f"- type accuracy on boxes matched ignoring type (IoU >= 0.5): {result['type_accuracy']:.3f} ({matched_any} boxes)",
        f"- OCR word recall: {result['ocr_word_recall']:.4f} ({words_total} words)",
        f"- seconds per {'1920x1080 ' if times_1080 else ''}screenshot: median {sec['median']}, p95 {sec['p95']} ({sec['count']} screenshots;"
        f" {result['cpu_count']} CPUs, 1-min load average {result['load_average_1min'][0]} before,"
        f" {result['load_average_1min'][1]} after)",
        f"- peak memory (RSS of the benchmark process, without the Tesseract processes): {result['peak_rss_mb']} MB",
    ]
    (RESULTS / f"{name}.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()

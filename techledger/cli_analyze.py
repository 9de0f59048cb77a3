"""``techledger analyze``: run a vision engine over screenshots and print one JSON line per image.

python -m techledger.cli_analyze --engine local --json IMAGE...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from techledger.vision import InvalidScreenshot, get_engine, load_screenshot


def analyze_command(images: list[Path], engine: str = "local", json_output: bool = True) -> int:
    """Analyse each image; print ``{"image", "width", "height", "elements", "analysisResult"}`` per line.

    A bad image gets a one-line error on stderr and the rest are still analysed; the
    return value is 0 when every image was analysed, 1 otherwise.
    """
    status = 0
    vision = None
    for path in images:
        path = Path(path)
        try:
            image = load_screenshot(path.read_bytes())
        except FileNotFoundError:
            print(f"error: {path}: no such file", file=sys.stderr)
            status = 1
            continue
        except InvalidScreenshot as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if vision is None:
            vision = get_engine(engine)
        analysis = vision.analyze(image)
        elements = [
            {
                "elementType": e.element_type.value,
                "boundingBox": {k: e.bounding_box[k] for k in ("top", "left", "width", "height")},
                "text": e.text,
                "confidence": round(float(e.confidence), 4),
            }
            for e in analysis.elements
        ]
        record = {
            "image": str(path),
            "width": analysis.width,
            "height": analysis.height,
            "elements": elements,
            "analysisResult": analysis.analysis_result,
        }
        if json_output:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(
                f"{path}: {analysis.width}x{analysis.height}, {len(elements)} elements", flush=True
            )
            for e in elements:
                b = e["boundingBox"]
                print(
                    f"  {e['elementType']:9s} {b['left']:5d},{b['top']:5d} {b['width']:4d}x{b['height']:<4d} "
                    f"{e['confidence']:.2f} {e['text'] or ''}",
                    flush=True,
                )
    return status


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``[--engine local|google] [--json|--text] IMAGE...``."""
    import argparse

    ap = argparse.ArgumentParser(
        prog="techledger analyze", description="Find UI elements in screenshots."
    )
    ap.add_argument("--engine", default="local", choices=["local", "google"])
    ap.add_argument("--json", dest="json_output", action="store_true", default=True)
    ap.add_argument("--text", dest="json_output", action="store_false")
    ap.add_argument("images", nargs="+", type=Path)
    a = ap.parse_args(argv)
    return analyze_command(a.images, engine=a.engine, json_output=a.json_output)


if __name__ == "__main__":
    sys.exit(main())

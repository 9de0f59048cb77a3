"""Cache local OCR words of the training screenshots (OCR is the slow step of feature extraction).

    python -m techledger.vision.training.cache_ocr evaluation/train [PROCESSES] [--again]

A screenshot whose cache exists (and is newer than the screenshot) is skipped; after a change to
the OCR, pass ``--again`` to read every screenshot anew (the classifier must learn from the
words it will see).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image

from techledger.vision.ocr import read_words


def _one(png: Path, again: bool = False) -> None:
    out = png.with_suffix(".ocr.json")
    if out.exists() and not again and out.stat().st_mtime >= png.stat().st_mtime:
        return
    rgb = np.asarray(Image.open(png).convert("RGB"))
    out.write_text(json.dumps([asdict(w) for w in read_words(rgb)]))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--again"]
    folder = Path(args[0])
    pngs = sorted(folder.glob("*.png"))
    with Pool(int(args[1]) if len(args) > 1 else 2) as pool:
        pool.starmap(_one, [(png, "--again" in sys.argv) for png in pngs], chunksize=4)
    print(len(pngs), "cached")

"""Cache local OCR words of the training screenshots (OCR is the slow step of feature extraction)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image

from techledger.vision.ocr import read_words


def _one(png: Path) -> None:
    out = png.with_suffix(".ocr.json")
    if out.exists():
        return
    rgb = np.asarray(Image.open(png).convert("RGB"))
    out.write_text(json.dumps([asdict(w) for w in read_words(rgb)]))


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    pngs = sorted(folder.glob("*.png"))
    with Pool(int(sys.argv[2]) if len(sys.argv) > 2 else 2) as pool:
        pool.map(_one, pngs, chunksize=4)
    print(len(pngs), "cached")

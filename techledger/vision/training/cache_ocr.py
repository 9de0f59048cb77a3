"""Cache local OCR words of the training screenshots (OCR is the slow step of feature extraction).

    python -m techledger.vision.training.cache_ocr evaluation/train [PROCESSES] [--again|--unread]

A screenshot whose cache exists (and is newer than the screenshot) is skipped; after a change to
the OCR, pass ``--again`` to read every screenshot anew (the classifier must learn from the
words it will see).

``--unread`` brings a cache made before the OCR read the ink its first reading leaves unread
(``ocr.unread_ink``, 2026-11-28) up to date without reading every screenshot anew (about 80 min
on two cores): the cached words' unsure ones and the ink they leave unread are read again, as
``read_words`` does band by band after its first reading (a word that second reading already
replaced is not replaced again unless more confident, so the words come out as a fresh reading
would, but for rare differences at the bands' seam). Each screenshot done is listed in
``UNREAD_DONE`` in the folder, so the step can be stopped and run again.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image

from techledger.vision.ocr import Word, normalise_for_ocr, read_words, reread_uncertain

UNREAD_DONE = "unread.done"  # screenshots whose cached words include the unread ink's


def cached_words(png: Path) -> list[Word]:
    """The words cached for a screenshot."""
    return [Word(**w) for w in json.loads(png.with_suffix(".ocr.json").read_text())]


def _cache(png: Path, words: list[Word]) -> None:
    png.with_suffix(".ocr.json").write_text(json.dumps([asdict(w) for w in words]))
    _mark_unread_done(png)


def _one(png: Path, again: bool = False) -> None:
    out = png.with_suffix(".ocr.json")
    if out.exists() and not again and out.stat().st_mtime >= png.stat().st_mtime:
        return
    _cache(png, read_words(np.asarray(Image.open(png).convert("RGB"))))


def _mark_unread_done(png: Path) -> None:
    with open(png.parent / UNREAD_DONE, "a", encoding="utf-8") as done:
        done.write(
            png.name + "\n"
        )  # one short line: appends from several processes interleave whole


def _add_unread(png: Path) -> None:
    norm = normalise_for_ocr(np.asarray(Image.open(png).convert("RGB")))
    _cache(png, reread_uncertain(norm, cached_words(png)))


def main(argv: list[str]) -> None:
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0])
    pngs = sorted(folder.glob("*.png"))
    processes = int(args[1]) if len(args) > 1 else 2
    with Pool(processes) as pool:
        if "--unread" in flags:
            done_file = folder / UNREAD_DONE
            done = set(done_file.read_text().split()) if done_file.exists() else set()
            todo = [p for p in pngs if p.name not in done and p.with_suffix(".ocr.json").exists()]
            pool.map(_add_unread, todo, chunksize=4)
            print(
                len(todo),
                "brought up to date,",
                len(pngs) - len(todo),
                "already were or have no words",
            )
            return
        pool.starmap(_one, [(png, "--again" in flags) for png in pngs], chunksize=4)
    print(len(pngs), "cached")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Train the element classifier on TRAINING pages (never the held-out, ``other`` or ``fresh`` sets).

Steps (``bash scripts/retrain_vision.sh`` runs them, keeping screenshots and OCR in a cache
outside the work tree): ``python evaluation/generate.py --train 600 --extra 200``, ``python
evaluation/render.py --train`` (the generated pages and the hand-made ones of
``evaluation/pages/handmade``), ``python -m techledger.vision.training.cache_ocr
evaluation/train``, then this script. It learns only from screenshots of pages still in
``evaluation/pages``.
A hand-made screenshot's rows weigh ``HANDMADE_WEIGHT`` times a generated one's: there are
few of them, and they are what the generator cannot make (other writers' layouts and looks).
It writes the two LightGBM text models of ``techledger/vision/``:

* ``element_classifier.txt``, the first stage, on each candidate's own features;
* ``element_classifier_context.txt``, the second stage, on those plus the first stage's
  verdicts on the candidate's neighbours (``features.context_features``). It must learn from
  verdicts as wrong as the ones it will get, so its training rows carry out-of-fold ones:
  the screenshots are split in two halves and each half is judged by a first stage trained
  on the other.

The trees are kept small (15 leaves, 60 rows a leaf, half the features per tree): deeper ones
learn the generator's templates and do worse on hand-written pages unlike them.
"""

from __future__ import annotations

import json
import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image

from techledger.vision.classify import (
    CLASSES,
    CONTEXT_MODEL_PATH,
    MODEL_PATH,
    candidates_and_features,
    iou,
)
from techledger.vision.detect import Candidate
from techledger.vision.features import context_features, typical_text_height
from techledger.vision.training.cache_ocr import cached_words

PARAMS = {
    "objective": "multiclass",
    "num_class": len(CLASSES),
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 60,
    "lambda_l2": 5.0,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": 7,
    "deterministic": True,
    "num_threads": 2,
    "verbose": -1,
}

# a hand-written training page (evaluation/pages/handmade) counts this many generated ones
HANDMADE_WEIGHT = 2.0

# features, class index per candidate, candidates, weight of each of its rows
Screenshot = tuple[np.ndarray, np.ndarray, list[Candidate], float]


def labelled_rows(json_path: Path) -> Screenshot:
    """Features, class index and candidate of every candidate region of one training screenshot,
    and the weight of its rows."""
    truth = json.loads(json_path.read_text())
    png = json_path.with_suffix(".png")
    rgb = np.asarray(Image.open(png).convert("RGB"))
    cands, feats = candidates_and_features(rgb, cached_words(png))
    y = np.zeros(len(cands), np.int32)
    for i, c in enumerate(cands):
        best, best_t = 0.5, None
        for e in truth["elements"]:
            v = iou(c.box(), tuple(e["box"]))
            if v >= best:
                best, best_t = v, e["type"]
        if best_t:
            y[i] = CLASSES.index(best_t)
    weight = HANDMADE_WEIGHT if truth.get("pages") == "handmade" else 1.0
    return feats, y, cands, weight


def _train(shots: list[Screenshot], val: list[Screenshot] | None, rounds: int, x=None):  # noqa: ANN001, ANN202
    """A booster on ``shots`` (rows ``x(shot)``), stopped early on ``val`` when given."""
    import lightgbm as lgb

    x = x or (lambda shot: shot[0])
    data = lgb.Dataset(
        np.concatenate([x(s) for s in shots]),
        np.concatenate([s[1] for s in shots]),
        weight=np.concatenate([np.full(len(s[1]), s[3]) for s in shots]),
    )
    if val is None:
        return lgb.train(PARAMS, data, num_boost_round=rounds)
    valid = lgb.Dataset(np.concatenate([x(s) for s in val]), np.concatenate([s[1] for s in val]))
    return lgb.train(
        PARAMS,
        data,
        num_boost_round=rounds,
        valid_sets=[valid],
        callbacks=[lgb.log_evaluation(100), lgb.early_stopping(30, verbose=False)],
    )


def _report(name: str, booster, val: list[Screenshot], x) -> None:  # noqa: ANN001
    pred = booster.predict(np.concatenate([x(s) for s in val])).argmax(axis=1)
    yv = np.concatenate([s[1] for s in val])
    print(f"{name}: {booster.current_iteration()} rounds, validation screenshots {len(val)}")
    for k, cls in enumerate(CLASSES):
        tp = int(((pred == k) & (yv == k)).sum())
        p, r = tp / max(1, (pred == k).sum()), tp / max(1, (yv == k).sum())
        print(f"  {cls:9s} support {int((yv == k).sum()):5d} P {p:.3f} R {r:.3f}")


# the committed pages the recipe learns from; a screenshot of any other page left in the training
# folder (a page since moved or deleted, one waiting in pages/handmade_next) is not learned from
PAGES = Path(__file__).resolve().parents[3] / "evaluation" / "pages"


def _of_a_training_page(json_path: Path) -> bool:
    truth = json.loads(json_path.read_text())
    return (PAGES / truth.get("pages", "") / truth.get("page", "")).is_file()


def main(folder: Path, rounds: int = 400) -> None:
    jsons = sorted(
        p
        for p in folder.glob("*.json")
        if not p.name.endswith(".ocr.json")
        and p.with_suffix(".ocr.json").exists()
        and _of_a_training_page(p)
    )
    print(len(jsons), "training screenshots")
    with Pool(2) as pool:
        shots = pool.map(labelled_rows, jsons, chunksize=8)
    order = np.random.default_rng(7).permutation(len(shots))  # mixed validation fold
    shots = [shots[i] for i in order]
    # the validation fold is generated pages only: every hand-written one is kept to learn from
    generated = [s for s in shots if s[3] == 1.0]
    n_val = max(1, len(generated) // 10)
    val = generated[:n_val]
    train = [s for s in shots if not any(s is v for v in val)]
    half_a, half_b = train[: len(train) // 2], train[len(train) // 2 :]
    y_all = np.concatenate([s[1] for s in train])
    print("train rows", len(y_all), "classes", np.bincount(y_all, minlength=len(CLASSES)))

    first = _train(train, val, rounds)
    _report("first stage", first, val, lambda s: s[0])
    first.save_model(str(MODEL_PATH))
    # out-of-fold verdicts: each half judged by a first stage that never saw it
    verdicts: dict[int, np.ndarray] = {}
    for judged, learned in ((half_a, half_b), (half_b, half_a)):
        booster = _train(learned, None, first.current_iteration())
        verdicts |= {id(s): booster.predict(s[0]) for s in judged}
    verdicts |= {id(s): first.predict(s[0]) for s in val}

    def with_context(shot: Screenshot) -> np.ndarray:
        feats, _, cands, _ = shot
        unit = typical_text_height(cands)
        return np.hstack([feats, context_features(cands, verdicts[id(shot)], unit)])

    second = _train(train, val, rounds, with_context)
    _report("second stage", second, val, with_context)
    second.save_model(str(CONTEXT_MODEL_PATH))
    for path in (MODEL_PATH, CONTEXT_MODEL_PATH):
        print("saved", path, path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evaluation/train"),
        int(sys.argv[2]) if len(sys.argv) > 2 else 400,
    )

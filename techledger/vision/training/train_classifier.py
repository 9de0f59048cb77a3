"""Train the element classifier on generated TRAINING pages (never the held-out set).

Steps: ``python evaluation/generate.py --train 600 --extra 200``, ``python evaluation/render.py
--train``, ``python -m techledger.vision.training.cache_ocr evaluation/train``, then this script.
It writes ``techledger/vision/element_classifier.txt`` (a LightGBM text model).

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

from techledger.vision.classify import CLASSES, MODEL_PATH, candidates_and_features, iou
from techledger.vision.ocr import Word


def labelled_rows(json_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Features and class index of every candidate of one training screenshot."""
    truth = json.loads(json_path.read_text())
    png = json_path.with_suffix(".png")
    words = [Word(**w) for w in json.loads(png.with_suffix(".ocr.json").read_text())]
    rgb = np.asarray(Image.open(png).convert("RGB"))
    cands, feats = candidates_and_features(rgb, words)
    y = np.zeros(len(cands), np.int32)
    for i, c in enumerate(cands):
        best, best_t = 0.5, None
        for e in truth["elements"]:
            v = iou(c.box(), tuple(e["box"]))
            if v >= best:
                best, best_t = v, e["type"]
        if best_t:
            y[i] = CLASSES.index(best_t)
    return feats, y


def main(folder: Path) -> None:
    jsons = sorted(
        p
        for p in folder.glob("*.json")
        if not p.name.endswith(".ocr.json") and p.with_suffix(".ocr.json").exists()
    )
    with Pool(2) as pool:
        parts = pool.map(labelled_rows, jsons)
    parts = [
        parts[i] for i in np.random.default_rng(7).permutation(len(parts))
    ]  # mixed validation fold
    n_val = max(1, len(parts) // 10)
    X = np.concatenate([p[0] for p in parts[:-n_val]])
    y = np.concatenate([p[1] for p in parts[:-n_val]])
    Xv = np.concatenate([p[0] for p in parts[-n_val:]])
    yv = np.concatenate([p[1] for p in parts[-n_val:]])
    print("train rows", X.shape, "classes", np.bincount(y, minlength=len(CLASSES)))
    import lightgbm as lgb

    params = {
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
    booster = lgb.train(
        params,
        lgb.Dataset(X, y),
        num_boost_round=int(sys.argv[2]) if len(sys.argv) > 2 else 400,
        valid_sets=[lgb.Dataset(Xv, yv)],
        callbacks=[lgb.log_evaluation(50), lgb.early_stopping(30, verbose=False)],
    )
    pred = booster.predict(Xv).argmax(axis=1)
    for k, name in enumerate(CLASSES):
        tp = int(((pred == k) & (yv == k)).sum())
        print(
            f"{name:9s} support {int((yv == k).sum()):5d} P {tp / max(1, (pred == k).sum()):.3f} R {tp / max(1, (yv == k).sum()):.3f}"
        )
    booster.save_model(str(MODEL_PATH))
    print("saved", MODEL_PATH, MODEL_PATH.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evaluation/train"))

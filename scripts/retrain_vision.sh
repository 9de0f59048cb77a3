#!/usr/bin/env bash
# Retrain the local vision engine's classifier by the committed recipe, in resumable steps:
#
#   bash scripts/retrain_vision.sh prepare   # training screenshots and their OCR (cached)
#   bash scripts/retrain_vision.sh train     # both LightGBM stages -> techledger/vision/*.txt
#   bash scripts/retrain_vision.sh bench     # every evaluation set -> benchmarks/results/
#   bash scripts/retrain_vision.sh all       # the three in turn
#
# The training screenshots and their OCR live outside the work tree, in $TL_TRAIN_CACHE
# (default ~/.cache/techledger/train, linked as evaluation/train), so a machine handed to the
# next session keeps them: on the 2-core machine, rendering the 3,391 screenshots takes about
# 35 min, reading them (OCR) about 90 min and training about 90 min, more than one session
# holds. `prepare` does only what is missing (new pages, screenshots without OCR, cached
# words from before the OCR read the ink its first reading leaves unread: `cache_ocr
# --unread`, 25 min for 3,463 with CI beside it), so it can be stopped and run again. After
# another change to the OCR, clear the cache (the classifier must learn from the words it
# will see); after a change to a page or to the generator, delete its screenshots.
set -Eeuo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
source scripts/env.sh
export PYTHONPATH=$REPO
CACHE=${TL_TRAIN_CACHE:-$HOME/.cache/techledger/train}
step=${1:-all}

link_cache() {
  mkdir -p "$CACHE"
  if [ -d evaluation/train ] && [ ! -L evaluation/train ]; then
    # screenshots rendered into the work tree before the cache existed: keep them
    find evaluation/train -maxdepth 1 -type f -exec mv -n {} "$CACHE"/ \;
    rm -rf evaluation/train
  fi
  ln -sfn "$CACHE" evaluation/train
}

# the generated training pages are not committed (seeded, so the same every time) and the
# trainer learns only from screenshots of pages that exist: write them before either step
generated_pages() { python evaluation/generate.py --train 600 --extra 200; }

prepare() {
  link_cache
  generated_pages
  python evaluation/render.py --train --missing
  python -m techledger.vision.training.cache_ocr evaluation/train "$(nproc)"
  python -m techledger.vision.training.cache_ocr evaluation/train "$(nproc)" --unread
}

train() {
  link_cache
  generated_pages
  python -m techledger.vision.training.train_classifier evaluation/train
}

bench() {
  for set in heldout other fresh unseen; do
    python benchmarks/vision_benchmark.py --set "$set" | tail -5
  done
  for set in fresh other; do
    for shape in crop long; do
      python benchmarks/vision_benchmark.py --set "$set" --shape "$shape" | tail -3
    done
  done
}

case "$step" in
  prepare) prepare ;;
  train) train ;;
  bench) bench ;;
  all) prepare && train && bench ;;
  *) echo "usage: bash scripts/retrain_vision.sh [prepare|train|bench|all]" >&2 && exit 2 ;;
esac

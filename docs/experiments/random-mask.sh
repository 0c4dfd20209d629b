#!/usr/bin/env bash
# The random-mask CVAE of docs/EVALUATION.md ("One model for any mask"): trained (about 9 minutes on 2 cores),
# evaluated under its own random masks and under each fixed observation, and its pictures. Not shipped in
# savedmodels/ (65 MB of weights that this script makes again); the figures are in docs/EVALUATION.md.
# Usage: docs/experiments/random-mask.sh [RUNS_DIR]      (default runs)
#   VAE='java -jar /path/to/vae4j.jar' runs a fixed build instead of bin/vae (which rebuilds when sources change)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runs}"
vae() { ${VAE:-"$root/bin/vae"} "$@"; }
images="$root/docs/images"
model="$runs/mnist-cvae-random-mask/savedmodel"

[ -d "$model" ] || vae train --conditioning partial --observe random-mask --latent-dim 16 --validation 5000 \
  --binarize dynamic --epochs 10 --lr-schedule cosine --out "$runs/mnist-cvae-random-mask"
# -log p(Y|X) under its own random masks (seed 0), K = 5000 on the first 1,000 test images (about 20 minutes)
vae evaluate --model "$model" --importance-limit 1000
# under the middle column, to set beside mnist-cvae-column (trained on that column alone), same protocol
vae evaluate --model "$model" --importance-limit 1000 --mask middle-column
# the ELBO alone under the other fixed observations
for m in left-half top-half center-square; do
  vae evaluate --model "$model" --importance-samples 0 --mask "$m"
done
vae complete --model "$model" --png "$images/mnist-cvae-random-mask-complete.png" --count 10 --seed 3
vae complete --model "$model" --png "$images/mnist-cvae-random-mask-top-half.png" --count 10 --mask top-half

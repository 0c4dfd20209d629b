#!/usr/bin/env bash
# The recipe comparison of docs/EVALUATION.md: the same model, data, seed and optimizer for 10 epochs, trained on
# the ELBO and on the importance-weighted bound (k = 5), each keeping a moving average of its weights; each run's
# last weights exported beside its average; all four evaluated on the same test images.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
common=(--epochs 10 --ema 0.999 --optimizer adamax --learning-rate 0.002 --binarize dynamic --lr-schedule cosine
  --seed 1)
bin/vae train "${common[@]}" --out runs/cmp-elbo
bin/vae train "${common[@]}" --objective iwae --train-samples 5 --out runs/cmp-iwae
for run in runs/cmp-elbo runs/cmp-iwae; do
  bin/vae export --run "$run" --weights last   # version 2 beside the run's own export (the average) in version 1
  for version in 1 2; do
    bin/vae evaluate --model "$run/savedmodel/$version" --importance-samples 5000 --importance-limit 500
  done
done

#!/usr/bin/env bash
# How the models in savedmodels/ and the pictures in docs/images/ were made (docs/EVALUATION.md has the figures).
# Long on 2 cores: about 50 minutes of training for mnist-z32 and 15 for mnist-z2; the importance-sampled NLL
# (K = 5000) takes about 10 minutes per 1000 test images: 100 minutes for all 10,000 of mnist-z32, 20 for the
# first 2,000 of mnist-z2.
# Usage: docs/experiments/shipped-models.sh [RUNS_DIR]      (default runs)
#   VAE='java -jar /path/to/vae4j.jar' runs a fixed build instead of bin/vae (which rebuilds when sources change)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-$root/runs}"
vae() { ${VAE:-"$root/bin/vae"} "$@"; }
images="$root/docs/images"

# mnist-z32: the default conv model, longer and on dynamically binarized MNIST (the literature's protocol)
[ -d "$runs/mnist-z32/savedmodel" ] || vae train --binarize dynamic --epochs 50 --lr-schedule cosine \
  --out "$runs/mnist-z32"
# mnist-z2: two latent dimensions, for the manifold and the scatter plot
[ -d "$runs/mnist-z2/savedmodel" ] || vae train --latent-dim 2 --binarize dynamic --epochs 20 --lr-schedule cosine \
  --out "$runs/mnist-z2"

for m in mnist-z32 mnist-z2; do
  if [ ! -d "$root/savedmodels/$m/1" ]; then
    mkdir -p "$root/savedmodels/$m"
    version="$(ls "$runs/$m/savedmodel" | sort -n | tail -1)"
    cp -r "$runs/$m/savedmodel/$version" "$root/savedmodels/$m/1"
  fi
done
# test -ELBO and NLL with K = 5000, written into the model cards: mnist-z32 on the whole test set, the picture
# model mnist-z2 on the first 2,000 test images
vae evaluate --model "$root/savedmodels/mnist-z32"
vae evaluate --model "$root/savedmodels/mnist-z2" --importance-limit 2000

vae sample --model "$root/savedmodels/mnist-z32" --png "$images/mnist-z32-samples.png" --count 64 --seed 1
vae reconstruct --model "$root/savedmodels/mnist-z32" --png "$images/mnist-z32-reconstructions.png"
vae interpolate --model "$root/savedmodels/mnist-z32" --png "$images/mnist-z32-interpolate.png" --from 0 --to 1
vae manifold --model "$root/savedmodels/mnist-z2" --png "$images/mnist-z2-manifold.png"
vae scatter --model "$root/savedmodels/mnist-z2" --png "$images/mnist-z2-scatter.png"
vae scatter --model "$root/savedmodels/mnist-z32" --png "$images/mnist-z32-scatter-pca.png" --pca

# Conditional VAEs (issue 12), each holding out 5,000 training images to keep its best epoch. mnist-cvae-label:
# labels in the encoder and the decoder, z = 2 (docs/EVALUATION.md says why so small); classify-check judges its
# samples with a separately trained classifier. mnist-cvae-column and its regressor: the tutorial's completion
# experiment, the middle column observed. About 40 minutes of training together on 2 cores, and 15 minutes for
# each K = 5000 evaluation of 1,000 test images.
[ -d "$runs/mnist-cvae-label/savedmodel" ] || vae train --conditioning label --latent-dim 2 --validation 5000 \
  --binarize dynamic --epochs 12 --lr-schedule cosine --out "$runs/mnist-cvae-label"
[ -d "$runs/mnist-cvae-column/savedmodel" ] || vae train --conditioning partial --observe middle-column \
  --latent-dim 16 --validation 5000 --binarize dynamic --epochs 10 --lr-schedule cosine --out "$runs/mnist-cvae-column"
[ -d "$runs/mnist-cvae-column-regressor/savedmodel" ] || vae train --conditioning partial --observe middle-column \
  --regressor --validation 5000 --binarize dynamic --epochs 10 --lr-schedule cosine \
  --out "$runs/mnist-cvae-column-regressor"
for m in mnist-cvae-label mnist-cvae-column mnist-cvae-column-regressor; do
  if [ ! -d "$root/savedmodels/$m/1" ]; then
    mkdir -p "$root/savedmodels/$m"
    version="$(ls "$runs/$m/savedmodel" | sort -n | tail -1)"
    cp -r "$runs/$m/savedmodel/$version" "$root/savedmodels/$m/1"
  fi
done
vae evaluate --model "$root/savedmodels/mnist-cvae-label" --importance-limit 1000
vae evaluate --model "$root/savedmodels/mnist-cvae-column" --importance-limit 1000
# the regressor is deterministic: one importance sample is its exact log p(Y|X)
vae evaluate --model "$root/savedmodels/mnist-cvae-column-regressor" --importance-samples 1
vae evaluate --model "$root/savedmodels/mnist-cvae-column-regressor" --importance-samples 1 \
  --importance-limit 1000 --no-update
vae classify-check --model "$root/savedmodels/mnist-cvae-label" --per-class 100 \
  --markdown "$root/docs/classify-check-mnist-cvae-label.md"
vae sample --model "$root/savedmodels/mnist-cvae-label" --png "$images/mnist-cvae-label-samples.png" --seed 1
vae complete --model "$root/savedmodels/mnist-cvae-column" \
  --regressor "$root/savedmodels/mnist-cvae-column-regressor" --png "$images/mnist-cvae-column-complete.png"

# mnist-z32 version 2: version 1 fine-tuned with the importance-weighted bound (issue 26; 1.77 hours of epochs on
# the 2-core AMD EPYC machine, run in the background from a copy of the jar, resumable with --resume)
if [ ! -d "$root/savedmodels/mnist-z32/2" ]; then
  vae train --init-from "$root/savedmodels/mnist-z32/1" --out "$runs/mnist-z32-v2" --objective iwae \
    --train-samples 5 --optimizer adamax --learning-rate 0.0005 --lr-schedule cosine --lr-warmup-steps 500 \
    --ema 0.999 --binarize dynamic --epochs 40 --seed 7 --checkpoint-every 250 --model-version 2
  cp -r "$runs/mnist-z32-v2/savedmodel/2" "$root/savedmodels/mnist-z32/2"
  # shipped when better than version 1 on the same 1,000 images (both with --no-update --scores for the pairs)
  vae evaluate --model "$root/savedmodels/mnist-z32/2" --importance-limit 1000
fi

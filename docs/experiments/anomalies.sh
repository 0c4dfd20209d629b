#!/usr/bin/env bash
# Anomaly detection end to end on a real texture: a conv VAE with the discretized logistic likelihood is trained on
# 64 x 64 patches of a gravel photograph, then scores held-out patches and the same patches with a synthetic
# defect (scratch, spot, blur) with vae anomalies. The photograph is scikit-image's gravel.png (CC0, from
# CC0Textures' Gravel04), shipped by Debian's python3-skimage package; apt-get download fetches it without
# installing anything. Usage: docs/experiments/anomalies.sh [WORK_DIR] (default runs/anomalies)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-runs/anomalies}
epochs=${EPOCHS:-20}
mkdir -p "$work"
if [ ! -f "$work/gravel.png" ]; then
  (cd "$work" && apt-get download python3-skimage >/dev/null && dpkg-deb -x python3-skimage_*.deb deb)
  cp "$work"/deb/usr/lib/python3/dist-packages/skimage/data/gravel.png "$work/gravel.png"
fi
python3 docs/experiments/anomaly_patches.py "$work/gravel.png" "$work/patches"
# the held-out normal patches alone, for the model's bits per dimension on the texture
mkdir -p "$work/normal/train" "$work/normal/test"
cp -r "$work/patches/train/normal" "$work/normal/train/" && cp -r "$work/patches/test/normal" "$work/normal/test/"
bin/vae train --data "$work/patches" --likelihood logistic --epochs "$epochs" --out "$work/run"
bin/vae evaluate --model "$work/run/savedmodel" --data "$work/normal" --importance-samples 100 --no-update
bin/vae anomalies --model "$work/run/savedmodel" --data "$work/patches" --fpr 0.05 \
  --scores "$work/scores.csv" --png "$work/worst.png"

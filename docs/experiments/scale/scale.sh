#!/usr/bin/env bash
# Data at scale: 200,000 generated 64 x 64 RGB pictures (2.46 GB of pixels) train for one epoch under a 4 GiB heap,
# then again from the cache under a 1 GiB heap, less than the pixels. Prints the import time, the cache size, the
# epoch's images/s and the peak resident memory of each run, split into anonymous memory (heap, TensorFlow) and
# file pages (the mapped cache, which the kernel drops and reads again under memory pressure). The model is the
# MLP (512,256; z = 32) for speed: the data path is what is measured, and it is the same for the conv model.
#   docs/experiments/scale/scale.sh [WORK_DIR]   (default ~/vae4j-scale; needs about 4 GB of disk)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="${1:-$HOME/vae4j-scale}"
mkdir -p "$work"
if [ ! -d "$work/pictures" ]; then
  java "$repo/docs/experiments/scale/MakePictures.java" "$work/pictures.tmp" 200000 64 1
  mv "$work/pictures.tmp" "$work/pictures"
fi
(cd "$repo" && mvn -q -B -DskipTests package)
rm -rf "$work/cache" "$work/run-4g" "$work/run-1g"
train() {  # heap, run folder
  local start=$SECONDS
  java "-Xmx$1" -jar "$repo/target/vae4j.jar" train --data "$work/pictures" --cache-dir "$work/cache" \
    --architecture mlp --latent-dim 32 --epochs 1 --seed 1 --out "$2" > "$2.log" 2>&1 &
  local pid=$! anon=0 file=0 hwm=0 a f h
  while kill -0 "$pid" 2> /dev/null; do
    if read -r a f h < <(awk '/^RssAnon/ {a=$2} /^RssFile/ {f=$2} /^VmHWM/ {h=$2} END {print a+0, f+0, h+0}' \
        "/proc/$pid/status" 2> /dev/null); then
      [ "$a" -gt "$anon" ] && anon=$a; [ "$f" -gt "$file" ] && file=$f; [ "$h" -gt "$hwm" ] && hwm=$h
    fi
    sleep 0.5
  done
  wait "$pid" || { tail -5 "$2.log"; exit 1; }
  grep -E "decoded|from the cache" "$2.log" || true
  grep -E "^epoch 1/1  train" "$2.log" | sed 's/.*w 1.00 *//'
  echo "wall $((SECONDS - start)) s; peak resident $((hwm / 1024)) MB; most anonymous $((anon / 1024)) MB," \
    "most file pages $((file / 1024)) MB"
}
echo "== first run, -Xmx4g: decode into the cache, train one epoch"
train 4g "$work/run-4g"
du -b "$work/cache"/*.vae4j-pixels | awk '{printf "cache file: %.2f GB\n", $1 / 1e9}'
echo "== second run, -Xmx1g: from the cache"
train 1g "$work/run-1g"

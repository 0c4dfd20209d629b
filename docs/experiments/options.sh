#!/usr/bin/env bash
# The runs behind docs/OPTIONS.md: each option of 'vae train' next to the default, on the built-in MNIST.
# Every run is short (EPOCHS epochs, default 3) so the whole table takes about 20 minutes on 2 cores.
# Usage: docs/experiments/options.sh [OUT_DIR]     (default runs/options)
#   VAE='java -jar /path/to/vae4j.jar' runs a fixed build instead of bin/vae (which rebuilds when sources change)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/options}"
epochs="${EPOCHS:-3}"
mkdir -p "$out"

run() {
  local name="$1"; shift
  if [ -f "$out/$name/savedmodel/1/saved_model.pb" ]; then
    echo "== $name: done already" >&2
    return
  fi
  rm -rf "$out/$name"
  echo "== $name: vae train --epochs $epochs $*" >&2
  local start=$SECONDS
  ${VAE:-"$root/bin/vae"} train --epochs "$epochs" --device cpu --out "$out/$name" "$@" > "$out/$name.log" 2>&1
  echo "${*:-(defaults)}|$((SECONDS - start))" > "$out/$name/command.txt"
}

run conv-bernoulli-z32
run conv-gaussian-z32      --likelihood gaussian --sigma 0.1
run conv-beta0.5           --kl-weight 0.5
run conv-beta4             --kl-weight 4
run conv-anneal-linear     --kl-anneal linear --kl-warmup-steps 1000
run conv-free-bits-0.5     --free-bits 0.5
run conv-beta4-free-bits-0.5 --kl-weight 4 --free-bits 0.5
run mlp-bernoulli-z32      --architecture mlp --hidden 512,256
run conv-bernoulli-z2      --latent-dim 2

# one line of the table per run, from its last epoch (metrics.csv) and its command
printf '| run | options | test -ELBO (nats) | test KL | KL per dim | active dims | wall s |\n'
printf '|---|---|---|---|---|---|---|\n'
for dir in "$out"/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/metrics.csv" ] || continue
  z="$(grep -o '"latent_dim": [0-9]*' "$dir/spec.json" | grep -o '[0-9]*$')"
  IFS='|' read -r cmd secs < "$dir/command.txt" || true
  cmd="$(echo "$cmd" | sed 's/ *$//')"
  tail -n 1 "$dir/metrics.csv" | awk -F, -v n="$name" -v c="${cmd:-(defaults)}" -v z="$z" -v s="${secs// /}" \
    '{printf "| %s | `%s` | %.2f | %.2f | %.3f | %d / %d | %s |\n", n, c, -$5, $7, $7 / z, $8, z, s}'
done

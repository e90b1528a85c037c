#!/usr/bin/env bash
# Character-level language modelling on the King James Bible: sMLP against gMLP, the dense
# Transformer and Transformer-MoE with Switch, GShard, BASE and HASH routing. All "-lm-tiny"
# configs have the same FLOPs per token.
#   1. equal FLOPs: every model trains the same number of steps on the same tokens;
#   2. equal wall-clock: every model trains for the minutes the dense Transformer needed in 1,
#      its step count set from its own speed measured in 1 (same machine, same one thread).
# Each run uses one CPU thread; two run side by side on a 2-core machine.
# Usage, from the repository root: bash results/kjv.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-1500}"
families="smlp gmlp transformer switch gshard base hash"
mkdir -p runs

train() { # name steps
  OMP_NUM_THREADS=1 MOELAB_PROGRESS=lines ./moelab train --config "$1-lm-tiny" --dataset kjv \
    --epochs 1 --max-steps "$2" --batch-size 32 --lr 2e-3 --seed 42 --checkpoint-every 0 \
    --out "runs/$3" > "runs/$3.log" 2>&1
}
export -f train

# 1. equal FLOPs
printf '%s\n' $families | xargs -P 2 -I{} bash -c "train {} $steps kjv-flops-{}"
./moelab compare --out results/kjv/equal-flops $(printf 'runs/kjv-flops-%s ' $families)

# 2. equal wall-clock: steps = budget / (seconds per step of the same model in 1)
budget=$(awk -F, '$1 == "kjv-flops-transformer" { print $3 }' results/kjv/equal-flops/summary.csv)
for f in $families; do
  minutes=$(awk -F, -v r="kjv-flops-$f" '$1 == r { print $3 }' results/kjv/equal-flops/summary.csv)
  echo "$f $(awk -v s="$steps" -v b="$budget" -v m="$minutes" 'BEGIN { printf "%d", s * b / m }')"
done > runs/kjv-time-steps.txt
ln -sfn kjv-flops-transformer runs/kjv-time-transformer   # the budget is this very run
grep -v '^transformer ' runs/kjv-time-steps.txt | xargs -P 2 -L 1 bash -c 'train "$0" "$1" "kjv-time-$0"'
./moelab compare --out results/kjv/equal-time $(printf 'runs/kjv-time-%s ' $families)
cp runs/kjv-time-steps.txt results/kjv/equal-time/steps.txt
cp runs/kjv-flops-smlp/routing.png results/kjv/routing-smlp.png
cp runs/kjv-flops-smlp/routing.csv results/kjv/routing-smlp.csv   # to redraw the chart later
